#pragma once

#include "core/profile/ProviderProfile.h"

#include <QByteArray>
#include <QString>

namespace keyway {

// Which header (Idempotency-Key) a request needs, from the profile's method + path patterns
// ('*' matches exactly one path segment); empty when none. `path` is the request path as the user
// wrote it, without the environment's prefix; a query string is ignored.
QByteArray idempotencyHeaderFor(const QList<IdempotencyRule>& rules, const QString& method, const QString& path);

// A fresh UUID v4 in its canonical lower-case form.
QByteArray newIdempotencyKey();

} // namespace keyway
