#include "core/vault/Environment.h"

#include "core/util/Clock.h"

#include <QUuid>

namespace keyway {

Environment Environment::create(const QString& name, const QString& providerId, const QString& baseUrl)
{
    Environment environment;
    environment.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    environment.name = name;
    environment.providerId = providerId;
    environment.baseUrl = baseUrl;
    environment.created = Clock::currentDateTimeUtc();
    return environment;
}

} // namespace keyway
