#pragma once

#include "core/http/HttpMessage.h"

#include <QList>
#include <QSet>
#include <QString>

namespace keyway {

// Replaces secret values (client secrets, tokens, codes, verifiers) with named placeholders such as
// «clientSecret» wherever they appear: raw, percent-encoded, form-encoded or JSON-escaped. Header
// values that are credentials by nature (Authorization, Cookie, the profile's token header) are
// replaced whole. Every event, history entry and curl export goes through one of these.
class Redactor
{
public:
    static QString placeholder(const QString& label); // «label»

    // Values shorter than 4 characters are ignored: replacing them would garble every reply.
    void addSecret(const QString& value, const QString& label);
    void addCredentialHeader(const QByteArray& name, const QString& label);
    void merge(const Redactor& other);
    bool isEmpty() const { return m_secrets.isEmpty(); }

    // Replaces known secrets, then anything shaped like a token whether or not it is known: the value of
    // a JSON field or form parameter named like a token (access_token, refresh_token, id_token,
    // accessToken, refreshToken, idToken) and every JWT. A token the user fetched by hand in the composer
    // is as secret as one a flow captured.
    QString redact(const QString& text) const;
    static QString redactTokenShapes(const QString& text);
    QString redact(const QByteArray& bytes) const; // UTF-8, lossy for binary bodies
    QString redactHeader(const QByteArray& name, const QByteArray& value) const;
    QString redactUrl(const QUrl& url) const;
    // What redact() looks for, as bytes: every secret's encoded forms and the marks of token shapes. A
    // window of bytes holding none of them comes out of redact() unchanged, so a streamed gigabyte is
    // checked by byte search without being decoded.
    QList<QByteArray> byteNeedles() const;

private:
    struct Secret
    {
        QString needle;
        QString replacement;
    };
    QList<Secret> m_secrets; // longest first, so a token containing another secret is replaced whole
    QList<QPair<QByteArray, QString>> m_headers;
};

} // namespace keyway
