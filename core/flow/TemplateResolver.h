#pragma once

#include "core/profile/ProviderProfile.h"

#include <QMap>
#include <QSet>
#include <QString>
#include <QUrl>

#include <functional>

namespace keyway {

// Resolves `{{name}}` templates of a profile. Lookup order: flow variables (redirect_uri, state,
// code_verifier, refresh_token), captured values, then credentials. With a credential set, `{{client_id}}`
// means `SET.client_id`. A field's default value (client_auth = body) applies when the value is unset.
class TemplateResolver
{
public:
    TemplateResolver(const ProviderProfile& profile, QMap<QString, QString> credentials, QString credentialSet);

    void setVariable(const QString& name, const QString& value) { m_variables.insert(name, value); }
    void setCaptured(const QString& name, const QString& value) { m_captured.insert(name, value); }
    void removeCaptured(const QString& name) { m_captured.remove(name); }

    QString value(const QString& name) const;
    QString resolve(const QString& text) const;
    // Names referenced by a template ({{code}} → "code").
    static QSet<QString> names(const QString& text);
    // The one placeholder parser: replaces each `{{name}}` of `text` by replace(name, placeholderText).
    static QString substitute(const QString& text,
                              const std::function<QString(const QString& name, const QString& placeholder)>& replace);

    // Absolute when it starts with http:// or https://; otherwise appended to the base URL, keeping
    // the base URL's path prefix ("/oauth/token" on "https://h/prov" → "https://h/prov/oauth/token").
    static QUrl resolveUrl(const QString& baseUrl, const QString& value);

    const QString& credentialSet() const { return m_set; }
    const QMap<QString, QString>& credentials() const { return m_credentials; }

private:
    const ProviderProfile& m_profile;
    QMap<QString, QString> m_credentials; // full keys (SET.key for credential sets)
    QString m_set;
    QMap<QString, QString> m_variables;
    QMap<QString, QString> m_captured;
};

} // namespace keyway
