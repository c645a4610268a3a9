#pragma once

#include "core/sandbox/DemoProvider.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace keyway::sandbox {

class RouteTable;
class SandboxContext;

// One emulated provider family under its own path prefix; one file per provider implements it.
class EmulatedProvider
{
public:
    virtual ~EmulatedProvider() = default;

    virtual QString pathPrefix() const = 0; // "/seismic"
    // The profiles it serves, with demo credentials; `baseUrl` is http://127.0.0.1:PORT<prefix>.
    virtual QList<DemoProvider> demoProviders(const QUrl& baseUrl) const = 0;
    // Registers its provider ids and their extra faults.
    virtual void registerFaults(SandboxContext& context) const = 0;
    virtual void registerRoutes(RouteTable& routes) = 0;
};

} // namespace keyway::sandbox
