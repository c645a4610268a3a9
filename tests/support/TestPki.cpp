#include "tests/support/TestPki.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QProcess>

namespace keyway::test {

bool TestPki::create(const QString& directory)
{
    m_directory = directory;
    return QDir().mkpath(directory) && selfSigned(QStringLiteral("ca"), QStringLiteral("/CN=Partner Test CA"), 30);
}

bool TestPki::openssl(const QStringList& args, QByteArray* out) const
{
    QProcess process;
    process.setWorkingDirectory(m_directory);
    process.start(QStringLiteral("openssl"), args);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning() << "openssl" << args << process.readAllStandardError();
        return false;
    }
    if (out) {
        *out = process.readAllStandardOutput();
    }
    return true;
}

namespace {
// `openssl req` arguments for a new unencrypted RSA key in NAME.key for `subject`, its request or certificate in
// `out`.
QStringList newKey(const QString& name, const QString& subject, const QString& out)
{
    return {QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"),
            QStringLiteral("-keyout"),
            name + QStringLiteral(".key"),
            QStringLiteral("-subj"),
            subject,
            QStringLiteral("-out"),
            out};
}
} // namespace

bool TestPki::selfSigned(const QString& name, const QString& subject, int days)
{
    return openssl(QStringList {QStringLiteral("req"), QStringLiteral("-x509")}
                   + newKey(name, subject, name + QStringLiteral(".pem"))
                   + QStringList {QStringLiteral("-days"), QString::number(days)});
}

bool TestPki::issue(const QString& name, const QString& subject, const QString& san)
{
    if (!openssl(QStringList {QStringLiteral("req")} + newKey(name, subject, name + QStringLiteral(".csr")))) {
        return false;
    }
    QStringList sign {QStringLiteral("x509"),
                      QStringLiteral("-req"),
                      QStringLiteral("-in"),
                      name + QStringLiteral(".csr"),
                      QStringLiteral("-CA"),
                      QStringLiteral("ca.pem"),
                      QStringLiteral("-CAkey"),
                      QStringLiteral("ca.key"),
                      QStringLiteral("-CAcreateserial"),
                      QStringLiteral("-out"),
                      name + QStringLiteral(".pem"),
                      QStringLiteral("-days"),
                      QStringLiteral("30")};
    if (!san.isEmpty()) {
        QFile ext(path(name + QStringLiteral(".ext")));
        if (!ext.open(QIODevice::WriteOnly)) {
            return false;
        }
        ext.write("subjectAltName=" + san.toUtf8() + "\n");
        ext.close();
        sign << QStringLiteral("-extfile") << name + QStringLiteral(".ext");
    }
    return openssl(sign);
}

QByteArray TestPki::keyCanary(const QString& name) const
{
    QFile key(path(name + QStringLiteral(".key")));
    return key.open(QIODevice::ReadOnly) ? key.readAll().split('\n').value(3) : QByteArray();
}

} // namespace keyway::test
