#pragma once

#include "core/vault/Environment.h"
#include "core/vault/SecretStore.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QStringList>

#include <functional>
#include <optional>

namespace keyway {

class EnvironmentService;
class ProfileRegistry;

// One environment of a bundle: everything needed to recreate it except the secrets, whose keys only
// are listed (so the importer knows what to ask for).
struct BundleEnvironment
{
    QString name;
    QString provider;
    QString baseUrl;
    QMap<QString, QString> values; // non-secret values only
    QStringList secrets; // secret keys (SET.key) the environment holds, never their values
    QList<EnvironmentSample> samples; // requests that came with it (a Postman collection's)

    bool operator==(const BundleEnvironment& other) const
    {
        return name == other.name && provider == other.provider && baseUrl == other.baseUrl && values == other.values
            && secrets == other.secrets && samples == other.samples;
    }
};

// What an import came to. Nothing is created when `ok` is false.
struct BundleImportResult
{
    bool ok = false;
    bool keychainInaccessible = false; // the keychain (or CI mode) refused the secrets
    QString error;
    QStringList imported; // names, in bundle order
    QMap<QString, QStringList> missingSecrets; // name -> secret keys still without a value
};

// Secret-free, shareable environment bundles:
//   {"keyway_bundle": 1, "environments": [{"name", "provider", "base_url", "values": {...}, "secrets": [KEY],
//    "samples": [{"name", "method", "path", "body"}] (only when there are any)}]}
// Export and import go through EnvironmentService, so the keychain-first rule holds; a bundle that carries
// the value of a secret is refused (naming the key) rather than stored anywhere.
class EnvironmentBundle
{
    Q_DECLARE_TR_FUNCTIONS(keyway::EnvironmentBundle)

public:
    static constexpr int FormatVersion = 1;

    // The bundle as written to a file: stable key order, two-space indent, final newline.
    static QByteArray serialize(const QList<BundleEnvironment>& environments);
    // True when `data` is a JSON object with "keyway_bundle" (other formats, such as Postman's, are not).
    static bool looksLikeBundle(const QByteArray& data);
    // Parses and validates against the profiles: known provider, http(s) base URL, keys the profile
    // declares, no secret values. On failure returns nothing and says what and where in `error`.
    static std::optional<QList<BundleEnvironment>>
    parse(const QByteArray& data, const ProfileRegistry& profiles, QString* error);

    using ExportDone = std::function<void(const std::optional<QList<BundleEnvironment>>& bundle, const QString& error)>;
    using ImportDone = std::function<void(const BundleImportResult& result)>;

    // The bundle entries of `environments` (names), all of them when empty. The listed secrets are those the
    // keychain holds (or cannot tell about) and the required ones. For command-line code: waits for the keychain.
    static std::optional<QList<BundleEnvironment>>
    exportAndWait(EnvironmentService& service, const QStringList& names, QString* error);
    // The same without waiting (the GUI): `done` is called later from the event loop, unless `context` died first.
    static void
    exportEnvironments(EnvironmentService& service, const QStringList& names, QObject* context, ExportDone done);

    // Creates the bundle's environments with `secrets` (environment name -> key -> value). An existing name
    // is refused unless `replace`, which updates that environment in place. Every name is checked before
    // anything is changed. For command-line code: waits for the keychain.
    static BundleImportResult importAndWait(EnvironmentService& service,
                                            const QList<BundleEnvironment>& environments,
                                            const QMap<QString, QMap<QString, QString>>& secrets,
                                            bool replace);
    // The same without waiting (the GUI): `done` is called later from the event loop, unless `context` died first.
    static void importEnvironments(EnvironmentService& service,
                                   const QList<BundleEnvironment>& environments,
                                   const QMap<QString, QMap<QString, QString>>& secrets,
                                   bool replace,
                                   QObject* context,
                                   ImportDone done);
};

} // namespace keyway
