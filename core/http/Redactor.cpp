#include "core/http/Redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QUrl>

#include <algorithm>

namespace keyway {

namespace {

// The forms in which a value travels: as is, percent-encoded (URLs, forms), form-encoded with '+'
// for spaces, and JSON-escaped.
QStringList encodedForms(const QString& value)
{
    QStringList forms {value};
    const QString percent = QString::fromLatin1(QUrl::toPercentEncoding(value));
    forms.append(percent);
    QString plus = percent;
    plus.replace(QStringLiteral("%20"), QStringLiteral("+"));
    forms.append(plus);
    const QByteArray json = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
    forms.append(QString::fromUtf8(json.mid(2, json.size() - 4))); // strip ["..."]
    QString slashEscaped = forms.last();
    slashEscaped.replace(QLatin1Char('/'), QStringLiteral("\\/"));
    forms.append(slashEscaped);
    forms.removeAll(QString());
    forms.removeDuplicates();
    return forms;
}

const QList<QByteArray>& alwaysSecretHeaders()
{
    static const QList<QByteArray> names = {QByteArrayLiteral("authorization"),
                                            QByteArrayLiteral("proxy-authorization"),
                                            QByteArrayLiteral("cookie"),
                                            QByteArrayLiteral("set-cookie")};
    return names;
}

} // namespace

QString Redactor::placeholder(const QString& label)
{
    return QString(QChar(0x00AB)) + label + QChar(0x00BB);
}

void Redactor::addSecret(const QString& value, const QString& label)
{
    if (value.size() < 4) {
        return;
    }
    const QString replacement = placeholder(label);
    for (const QString& form : encodedForms(value)) {
        const bool known
            = std::any_of(m_secrets.cbegin(), m_secrets.cend(), [&](const Secret& s) { return s.needle == form; });
        if (!known) {
            m_secrets.append({form, replacement});
        }
    }
    std::stable_sort(m_secrets.begin(), m_secrets.end(), [](const Secret& a, const Secret& b) {
        return a.needle.size() > b.needle.size();
    });
}

void Redactor::addCredentialHeader(const QByteArray& name, const QString& label)
{
    m_headers.append({name.toLower(), label});
}

void Redactor::merge(const Redactor& other)
{
    for (const auto& s : other.m_secrets) {
        const bool known = std::any_of(
            m_secrets.cbegin(), m_secrets.cend(), [&](const Secret& mine) { return mine.needle == s.needle; });
        if (!known) {
            m_secrets.append(s);
        }
    }
    std::stable_sort(m_secrets.begin(), m_secrets.end(), [](const Secret& a, const Secret& b) {
        return a.needle.size() > b.needle.size();
    });
    m_headers.append(other.m_headers);
}

QString Redactor::redact(const QString& text) const
{
    QString result = text;
    for (const auto& s : m_secrets) {
        result.replace(s.needle, s.replacement);
    }
    return result;
}

QString Redactor::redact(const QByteArray& bytes) const
{
    return redact(QString::fromUtf8(bytes));
}

QString Redactor::redactHeader(const QByteArray& name, const QByteArray& value) const
{
    const QByteArray lower = name.toLower();
    for (const auto& [header, label] : m_headers) {
        if (header == lower) {
            return placeholder(label);
        }
    }
    if (alwaysSecretHeaders().contains(lower)) {
        // Keep the scheme ("Bearer", "Basic") so the reader sees how the credential travels.
        const int space = value.indexOf(' ');
        const QString scheme = lower.endsWith("authorization") && space > 0
            ? QString::fromLatin1(value.left(space)) + QLatin1Char(' ')
            : QString();
        return scheme + placeholder(QString::fromLatin1(lower));
    }
    return redact(QString::fromUtf8(value));
}

QString Redactor::redactUrl(const QUrl& url) const
{
    return redact(url.toString(QUrl::FullyEncoded));
}

} // namespace keyway
