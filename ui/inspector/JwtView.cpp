#include "ui/inspector/JwtView.h"

#include "core/oidc/IdTokenValidator.h"
#include "core/util/Clock.h"
#include "core/util/Jwt.h"
#include "ui/timeline/DurationFormat.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace keyway::ui {

namespace {
QPlainTextEdit* makeJsonPane(const QString& objectName, const QString& accessibleName, QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

QString localTime(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch)
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}
} // namespace

JwtView::JwtView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("jwtView"));
    setAccessibleName(tr("JWT decoder"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("jwtSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_signature = new QLabel(this);
    m_signature->setObjectName(QStringLiteral("jwtSignature"));
    m_signature->setWordWrap(true);
    m_signature->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_header = makeJsonPane(QStringLiteral("jwtHeader"), tr("JWT header"), splitter);
    m_claims = makeJsonPane(QStringLiteral("jwtClaims"), tr("JWT claims"), splitter);
    splitter->addWidget(m_header);
    splitter->addWidget(m_claims);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_signature);
    layout->addWidget(splitter, 1);
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &JwtView::refreshSummary);
    clear();
}

bool JwtView::setToken(const QString& token)
{
    const auto jwt = Jwt::decode(token);
    if (!jwt) {
        clear();
        m_summary->setText(tr("This value is not a JWT (three base64url parts whose first two are JSON)."));
        return false;
    }
    m_header->setPlainText(QString::fromUtf8(QJsonDocument(jwt->header).toJson(QJsonDocument::Indented)));
    m_claims->setPlainText(QString::fromUtf8(QJsonDocument(jwt->claims).toJson(QJsonDocument::Indented)));
    m_algorithm = jwt->header.value(QLatin1String("alg")).toString();
    m_subject = jwt->claims.value(QLatin1String("sub")).toVariant().toString();
    m_expiresAt = jwt->claimSeconds(QStringLiteral("exp")).value_or(-1);
    m_issuedAt = jwt->claimSeconds(QStringLiteral("iat")).value_or(-1);
    m_token = token.trimmed();
    refreshSummary();
    checkSignature();
    if (isVisible() && m_expiresAt >= 0) {
        m_ticker.start();
    }
    return true;
}

void JwtView::setJwks(const QString& jwksUri, ConnectionPtr connection)
{
    if (m_jwksUri == jwksUri && m_connection == connection) {
        return;
    }
    m_jwksUri = jwksUri;
    m_connection = std::move(connection);
    checkSignature();
}

void JwtView::checkSignature()
{
    if (m_token.isEmpty()) {
        m_signature->clear();
        return;
    }
    if (m_jwksUri.isEmpty()) {
        m_signature->setText(tr("Signature not verified: this environment names no issuer or JWKS URL to check it "
                                "against."));
        return;
    }
    m_signature->setText(tr("Checking the signature against the issuer's keys…"));
    oidc::IdTokenExpectations expect;
    expect.jwksUri = m_jwksUri;
    expect.connection = m_connection;
    expect.checkClaims = false;
    const QString token = m_token;
    oidc::IdTokenValidator::validate(token, expect, this, [this, token](const oidc::IdTokenVerdict& verdict) {
        if (token == m_token) {
            m_signature->setText(oidc::IdTokenValidator::describe(verdict));
        }
    });
}

QString JwtView::signatureText() const
{
    return m_signature->text();
}

void JwtView::clear()
{
    m_ticker.stop();
    m_token.clear();
    m_signature->clear();
    m_header->clear();
    m_claims->clear();
    m_algorithm.clear();
    m_subject.clear();
    m_expiresAt = -1;
    m_issuedAt = -1;
    m_summary->setText(tr("Select a token-shaped string in the tree or the body and choose Decode JWT."));
}

void JwtView::refreshSummary()
{
    if (m_header->document()->isEmpty()) {
        return;
    }
    QStringList lines;
    lines << tr("Algorithm: %1").arg(m_algorithm.isEmpty() ? tr("none") : m_algorithm);
    if (!m_subject.isEmpty()) {
        lines << tr("Subject: %1").arg(m_subject);
    }
    if (m_issuedAt >= 0) {
        lines << tr("Issued: %1").arg(localTime(m_issuedAt));
    }
    if (m_expiresAt >= 0) {
        const qint64 left = m_expiresAt - Clock::currentSecsSinceEpoch();
        lines << tr("Expires: %1 (%2)").arg(localTime(m_expiresAt), expiryPhrase(left));
    } else {
        lines << tr("No exp claim: the token does not say when it expires.");
    }
    m_summary->setText(lines.join(QLatin1Char('\n')));
}

QString JwtView::summaryText() const
{
    return m_summary->text();
}

QString JwtView::headerText() const
{
    return m_header->toPlainText();
}

QString JwtView::claimsText() const
{
    return m_claims->toPlainText();
}

void JwtView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refreshSummary();
    if (m_expiresAt >= 0) {
        m_ticker.start();
    }
}

void JwtView::hideEvent(QHideEvent* event)
{
    m_ticker.stop();
    QWidget::hideEvent(event);
}

} // namespace keyway::ui
