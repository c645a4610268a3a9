#include "core/http/Redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cstring>

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

// Field names whose value is a bearer credential in every provider this tool knows.
const QString& tokenFieldNames()
{
    static const QString names = QStringLiteral("access_token|refresh_token|id_token|accessToken|refreshToken|idToken");
    return names;
}

} // namespace

QString Redactor::redactTokenShapes(const QString& text)
{
    // "access_token": "..." (JSON, with escapes), also when the reply is itself embedded as a JSON string.
    static const QRegularExpression jsonField(
        QStringLiteral("(\\\\?\"(%1)\\\\?\"\\s*:\\s*\\\\?\")((?:[^\"\\\\]|\\\\[^\"])+)").arg(tokenFieldNames()));
    // access_token=... in a form body, a query string or a fragment.
    static const QRegularExpression formField(
        QStringLiteral("((?:^|[&?#\\s])(%1)=)([^&\\s\"#]+)").arg(tokenFieldNames()));
    // A JWT: three base64url parts, the first two starting with the encoding of '{"'.
    static const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{2,}\\.eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*"));
    if (!text.contains(QLatin1String("oken")) && !text.contains(QLatin1String("eyJ"))) {
        return text;
    }
    QString result = text;
    for (const QRegularExpression* field : {&jsonField, &formField}) {
        QString out;
        qsizetype last = 0;
        auto it = field->globalMatch(result);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const QString value = m.captured(3);
            out += QStringView(result).mid(last, m.capturedStart(3) - last);
            // Already a placeholder: keep the name a flow gave it.
            out += value.startsWith(QChar(0x00AB)) ? value : placeholder(m.captured(2));
            last = m.capturedEnd(3);
        }
        if (last > 0) {
            out += QStringView(result).mid(last);
            result = out;
        }
    }
    result.replace(jwt, placeholder(QStringLiteral("jwt")));
    return result;
}

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
    return redactTokenShapes(result);
}

QList<QByteArray> Redactor::byteNeedles() const
{
    // The same cheap test redactTokenShapes() starts with, then every secret's forms (often the same bytes).
    QList<QByteArray> needles {QByteArrayLiteral("oken"), QByteArrayLiteral("eyJ")};
    for (const auto& s : m_secrets) {
        const QByteArray bytes = s.needle.toUtf8();
        // A needle holding a shorter one is found whenever it is: searching the shorter one is enough.
        const bool covered = std::any_of(
            needles.cbegin(), needles.cend(), [&](const QByteArray& shorter) { return bytes.contains(shorter); });
        if (!covered) {
            needles.append(bytes);
        }
    }
    return needles;
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
            // "Bearer «access_token»": the scheme says how the token travels and is no secret.
            static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]* (?=\\S)"));
            const QRegularExpressionMatch match = scheme.match(QString::fromLatin1(value));
            return (match.hasMatch() ? match.captured(0) : QString()) + placeholder(label);
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
