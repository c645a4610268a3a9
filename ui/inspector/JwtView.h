#pragma once

#include "core/http/ConnectionSettings.h"

#include <QString>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace keyway::ui {

// Shows a token-shaped string decoded: header and claims as indented JSON, and `exp` as a local time
// with the remaining life ("expires in 4:59", "expired 12 s ago") measured with keyway::Clock.
// With the environment's JWKS (setJwks) the signature is checked against the issuer's keys and the view
// says "signature verified with key KID of ISSUER" or exactly why not; without one it says it was not checked.
class JwtView : public QWidget
{
    Q_OBJECT
public:
    explicit JwtView(QWidget* parent = nullptr);

    // False (and the view cleared with an explanation) when `token` is not a decodable JWT.
    bool setToken(const QString& token);
    void clear();

    // The issuer's key set of the current environment ("" = none known): tokens are verified against it,
    // fetched over the environment's connection settings (its CA file, client certificate and proxy).
    void setJwks(const QString& jwksUri, ConnectionPtr connection);
    QString summaryText() const;
    QString signatureText() const;
    QString headerText() const;
    QString claimsText() const;

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void refreshSummary();

    void checkSignature();

    QLabel* m_summary = nullptr;
    QLabel* m_signature = nullptr;
    QString m_token;
    QString m_jwksUri;
    ConnectionPtr m_connection;
    QPlainTextEdit* m_header = nullptr;
    QPlainTextEdit* m_claims = nullptr;
    QString m_algorithm;
    QString m_subject;
    qint64 m_expiresAt = -1; // seconds since epoch, -1 = no exp claim
    qint64 m_issuedAt = -1;
    QTimer m_ticker; // only while visible and the token has an expiry
};

} // namespace keyway::ui
