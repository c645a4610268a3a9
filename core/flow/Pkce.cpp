#include "core/flow/Pkce.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QRandomGenerator>

namespace keyway {

QString Pkce::randomToken(int bytes)
{
    QByteArray buffer(bytes, Qt::Uninitialized);
    auto* generator = QRandomGenerator::system();
    for (int i = 0; i < bytes; ++i) {
        buffer[i] = static_cast<char>(generator->bounded(256));
    }
    return QString::fromLatin1(buffer.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString Pkce::challengeFor(const QString& verifier)
{
    const QByteArray digest = QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Pkce Pkce::generate()
{
    Pkce pkce;
    pkce.verifier = randomToken(32);
    pkce.challenge = challengeFor(pkce.verifier);
    return pkce;
}

} // namespace keyway
