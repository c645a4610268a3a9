#include "core/flow/TemplateResolver.h"

#include <QRegularExpression>

namespace keyway {

namespace {

const QRegularExpression& pattern()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{\\s*([A-Za-z0-9_.@-]+)\\s*\\}\\}"));
    return re;
}

} // namespace

TemplateResolver::TemplateResolver(const ProviderProfile& profile,
                                   QMap<QString, QString> credentials,
                                   QString credentialSet)
    : m_profile(profile), m_credentials(std::move(credentials)), m_set(std::move(credentialSet))
{
}

QString TemplateResolver::value(const QString& name) const
{
    if (auto it = m_variables.constFind(name); it != m_variables.cend()) {
        return *it;
    }
    if (auto it = m_captured.constFind(name); it != m_captured.cend()) {
        return *it;
    }
    QString key = name;
    if (!m_set.isEmpty() && !name.contains(QLatin1Char('.'))) {
        key = m_set + QLatin1Char('.') + name;
    }
    const QString stored = m_credentials.value(key);
    if (!stored.isEmpty()) {
        return stored;
    }
    if (const CredentialField* field = m_profile.field(key)) {
        return field->defaultValue;
    }
    return {};
}

QString TemplateResolver::substitute(const QString& text,
                                     const std::function<QString(const QString&, const QString&)>& replace)
{
    QString result;
    qsizetype last = 0;
    auto it = pattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        result += QStringView(text).mid(last, match.capturedStart() - last);
        result += replace(match.captured(1), match.captured(0));
        last = match.capturedEnd();
    }
    result += QStringView(text).mid(last);
    return result;
}

QString TemplateResolver::resolve(const QString& text) const
{
    return substitute(text, [this](const QString& name, const QString&) { return value(name); });
}

QSet<QString> TemplateResolver::names(const QString& text)
{
    QSet<QString> result;
    auto it = pattern().globalMatch(text);
    while (it.hasNext()) {
        result.insert(it.next().captured(1));
    }
    return result;
}

QUrl TemplateResolver::resolveUrl(const QString& baseUrl, const QString& value)
{
    const QString trimmed = value.trimmed();
    if (trimmed.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
        || trimmed.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)) {
        return QUrl(trimmed, QUrl::TolerantMode);
    }
    QString base = baseUrl.trimmed();
    // Appending by text keeps the base URL's path prefix (QUrl::resolved would replace it).
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    QString path = trimmed;
    if (!path.isEmpty() && !path.startsWith(QLatin1Char('/')) && !path.startsWith(QLatin1Char('?'))) {
        path.prepend(QLatin1Char('/'));
    }
    return QUrl(base + path, QUrl::TolerantMode);
}

} // namespace keyway
