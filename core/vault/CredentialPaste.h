#pragma once

#include "core/profile/ProviderProfile.h"

#include <QCoreApplication>
#include <QMap>
#include <QStringList>

namespace keyway {

// Reads what vendors send when they hand out credentials — a JSON object, `key: value` lines, `KEY=value` lines
// (also `export KEY=value`, quoted values) or a two-column table (`| Client ID | abc |`, tab separated) — and
// matches each entry to a field of a provider's profile by key or label, ignoring case, spaces, `_`, `-` and a
// leading provider name (`SEISMIC_CLIENT_ID`, "Client Secret", clientSecret all find clientSecret).
class CredentialPaste
{
    Q_DECLARE_TR_FUNCTIONS(keyway::CredentialPaste)

public:
    struct Result
    {
        QMap<QString, QString> values; // field key -> value (secret ones included: for the keychain only)
        QStringList matched; // "source name → field key", never a value
        QStringList ignored; // source names no field matched
    };

    static Result match(const QString& text, const ProviderProfile& profile);
    // "Filled clientId, clientSecret. Ignored: region." — names only, never a value.
    static QString summary(const Result& result);

private:
    static QList<QPair<QString, QString>> entries(const QString& text);
};

} // namespace keyway
