#pragma once

#include "core/vault/EnvironmentBundle.h"

#include <QCoreApplication>

#include <optional>

namespace keyway {

class ProfileRegistry;

// A request of a Postman collection, kept as a sample of the environment it came with.
struct PostmanSample
{
    QString name;
    QString method;
    QString path; // relative to the environment's base URL when it shares its origin, else absolute
    QString body;
};

// Turns Postman exports into Keyway environments:
// - a collection v2.1 whose `auth` (on the collection, or inherited by its requests from a folder) is oauth2:
//   client credentials -> oauth2-client, authorization code with or without PKCE -> oauth2-code; its variables
//   are resolved (disabled ones skipped) and its requests become samples;
// - an environment file: its enabled values, matched to the profile whose required keys they cover.
// Secret values (the profile's secret fields, or Postman "secret" variables) go to `secrets`, for the keychain,
// never to a bundle or a file.
class PostmanImport
{
    Q_DECLARE_TR_FUNCTIONS(keyway::PostmanImport)

public:
    struct Result
    {
        QList<BundleEnvironment> environments;
        QMap<QString, QMap<QString, QString>> secrets; // environment name -> key -> value
        QStringList notes; // what was skipped or guessed, for a person
    };

    static bool looksLikePostman(const QByteArray& data);
    static std::optional<Result> parse(const QByteArray& data, const ProfileRegistry& profiles, QString* error);
};

} // namespace keyway
