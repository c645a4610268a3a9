// The rules behind an environment's connection: which proxy a request takes (the environment's key, then
// the variables as curl reads them, NO_PROXY), what a bad connection value is told, and the words a TLS
// failure is explained in (unknown authority, expired on DATE, name mismatch with the certificate's names).
#include "core/http/ConnectionSettings.h"
#include "core/http/ProxyResolver.h"
#include "core/http/TlsDiagnosis.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslError>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

class TestConnectionSettings : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QSslCertificate m_certificate; // CN=partner.example, SAN partner.example and api.partner.example

    static QProcessEnvironment variables(const QMap<QString, QString>& values)
    {
        QProcessEnvironment env;
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            env.insert(it.key(), it.value());
        }
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess openssl;
        openssl.setWorkingDirectory(m_dir.path());
        openssl.start(QStringLiteral("openssl"),
                      {"req",
                       "-x509",
                       "-newkey",
                       "rsa:2048",
                       "-nodes",
                       "-keyout",
                       "k.pem",
                       "-out",
                       "c.pem",
                       "-days",
                       "2",
                       "-subj",
                       "/CN=partner.example",
                       "-addext",
                       "subjectAltName=DNS:partner.example,DNS:api.partner.example"});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(m_dir.filePath(QStringLiteral("c.pem")));
        QCOMPARE(certificates.size(), 1);
        m_certificate = certificates.first();
    }

    void noProxyAsCurl_data()
    {
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("bypassed");
        QTest::newRow("star") << "*"
                              << "https://anything.example" << true;
        QTest::newRow("domain") << "example.com"
                                << "https://example.com/x" << true;
        QTest::newRow("subdomain") << "example.com"
                                   << "https://api.example.com/x" << true;
        QTest::newRow("leading dot") << ".example.com"
                                     << "https://api.example.com/x" << true;
        QTest::newRow("not a suffix of a label") << "example.com"
                                                 << "https://badexample.com/x" << false;
        QTest::newRow("list with spaces") << "a.test, example.com"
                                          << "https://example.com" << true;
        QTest::newRow("ip") << "10.1.2.3"
                            << "http://10.1.2.3:8080/" << true;
        QTest::newRow("cidr") << "10.0.0.0/8"
                              << "http://10.200.0.1/" << true;
        QTest::newRow("cidr miss") << "10.0.0.0/8"
                                   << "http://11.0.0.1/" << false;
        QTest::newRow("ipv6") << "[::1]"
                              << "http://[::1]:8080/" << true;
        QTest::newRow("empty") << ""
                               << "https://example.com" << false;
    }

    void noProxyAsCurl()
    {
        QFETCH(QString, noProxy);
        QFETCH(QString, url);
        QFETCH(bool, bypassed);
        QCOMPARE(ProxyResolver::bypasses(noProxy, QUrl(url)), bypassed);
    }

    void variablesAsCurl()
    {
        const QUrl https(QStringLiteral("https://api.partner.example/v1"));
        const QUrl http(QStringLiteral("http://api.partner.example/v1"));
        // Lower case wins; the scheme picks the variable; ALL_PROXY is the fallback.
        auto env = variables({{"https_proxy", "http://lower:3128"}, {"HTTPS_PROXY", "http://upper:3128"}});
        QCOMPARE(ProxyResolver::resolve(https, {}, {}, env).proxy.hostName(), QStringLiteral("lower"));
        QCOMPARE(ProxyResolver::resolve(https, {}, {}, env).source, QStringLiteral("https_proxy"));
        QVERIFY(ProxyResolver::resolve(http, {}, {}, env).direct());
        env = variables({{"HTTP_PROXY", "proxy.corp:8080"}, {"ALL_PROXY", "socks5://socks.corp"}});
        const ProxyChoice forHttp = ProxyResolver::resolve(http, {}, {}, env);
        QCOMPARE(forHttp.proxy.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(forHttp.proxy.port(), quint16(8080));
        const ProxyChoice forHttps = ProxyResolver::resolve(https, {}, {}, env);
        QCOMPARE(forHttps.proxy.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(forHttps.source, QStringLiteral("ALL_PROXY"));
        // NO_PROXY wins over the variables, the environment's key over both, `none` over everything.
        env = variables({{"HTTPS_PROXY", "http://upper:3128"}, {"NO_PROXY", "partner.example"}});
        QVERIFY(ProxyResolver::resolve(https, {}, {}, env).direct());
        const ProxyChoice own = ProxyResolver::resolve(https, QStringLiteral("http://keyway@own:3128"), "pw", env);
        QCOMPARE(own.proxy.hostName(), QStringLiteral("own"));
        QCOMPARE(own.proxy.password(), QStringLiteral("pw"));
        QCOMPARE(own.display, QStringLiteral("http://keyway@own:3128")); // never the password
        QVERIFY(ProxyResolver::resolve(https, QStringLiteral("none"), {}, variables({{"ALL_PROXY", "http://a:1"}}))
                    .direct());
        // A variable Qt cannot use fails the request rather than going around it.
        const ProxyChoice bad
            = ProxyResolver::resolve(https, {}, {}, variables({{"HTTPS_PROXY", "https://tls.proxy"}}));
        QVERIFY(bad.error.contains(QStringLiteral("HTTPS_PROXY")));
    }

    void connectionValuesAreChecked()
    {
        QVERIFY(ConnectionSettings::checkValue(ConnectionSettings::caFileKey(), m_dir.filePath("missing.pem"))
                    .contains(QStringLiteral("cannot read")));
        QVERIFY(ConnectionSettings::checkValue(ConnectionSettings::caFileKey(), m_dir.filePath("k.pem"))
                    .contains(QStringLiteral("holds no certificate")));
        QVERIFY(ConnectionSettings::checkValue(ConnectionSettings::caFileKey(), m_dir.filePath("c.pem")).isEmpty());
        QVERIFY(ConnectionSettings::checkValue(ConnectionSettings::proxyKey(), QStringLiteral("http://u:secret@h:1"))
                    .contains(QStringLiteral("proxy_password")));
        QVERIFY(ConnectionSettings::checkValue(ConnectionSettings::proxyKey(), QStringLiteral("none")).isEmpty());
        QFile key(m_dir.filePath(QStringLiteral("k.pem")));
        QVERIFY(key.open(QIODevice::ReadOnly));
        QVERIFY(ConnectionSettings::checkClientKey(key.readAll()).isEmpty());
        QVERIFY(!ConnectionSettings::checkClientKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\n").isEmpty());

        // A client certificate without its key in the keychain: every request says so.
        const ConnectionPtr missingKey
            = ConnectionSettings::build({{ConnectionSettings::clientCertKey(), m_dir.filePath("c.pem")}}, {});
        QVERIFY(missingKey->error().contains(QStringLiteral("tls.client_key")));
        QCOMPARE(ConnectionSettings::secretKeysFor(
                     {{ConnectionSettings::clientCertKey(), "c.pem"}, {ConnectionSettings::proxyKey(), "http://h:1"}}),
                 QStringList({ConnectionSettings::clientKeyKey(), ConnectionSettings::proxyPasswordKey()}));
        QVERIFY(ConnectionSettings::secretKeysFor({{ConnectionSettings::proxyKey(), "none"}}).isEmpty());
        // Two environments with different settings never share a connection pool.
        QVERIFY(ConnectionSettings::build({}, {})->identity()
                != ConnectionSettings::build({{ConnectionSettings::proxyKey(), "http://h:1"}}, {})->identity());
    }

    void tlsFailuresInWords()
    {
        const QString expired = TlsDiagnosis::describeErrors(QStringLiteral("api.partner.example:443"),
                                                             {QSslError(QSslError::CertificateExpired, m_certificate)},
                                                             {m_certificate},
                                                             nullptr);
        QVERIFY2(expired.contains(QStringLiteral("the certificate expired on ")
                                  + TlsDiagnosis::utc(m_certificate.expiryDate())),
                 qPrintable(expired));
        QVERIFY(expired.contains(QStringLiteral("SHA-256 ") + TlsDiagnosis::fingerprint(m_certificate)));

        const QString mismatch = TlsDiagnosis::describeErrors(QStringLiteral("10.0.0.5:443"),
                                                              {QSslError(QSslError::HostNameMismatch, m_certificate)},
                                                              {m_certificate},
                                                              nullptr);
        QVERIFY2(mismatch.contains(QStringLiteral("name mismatch: the certificate is for api.partner.example, "
                                                  "partner.example.")),
                 qPrintable(mismatch));

        const QString selfSigned
            = TlsDiagnosis::describeErrors(QStringLiteral("partner.example:443"),
                                           {QSslError(QSslError::SelfSignedCertificate, m_certificate)},
                                           {m_certificate},
                                           nullptr);
        QVERIFY2(selfSigned.contains(QStringLiteral("self-signed"))
                     && selfSigned.contains(QStringLiteral("tls.ca_file")),
                 qPrintable(selfSigned));
        QVERIFY(selfSigned.contains(QStringLiteral("subject partner.example; issuer partner.example")));
        QCOMPARE(TlsDiagnosis::fingerprint(m_certificate).size(), 95); // 32 bytes as AB:CD:...
    }
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connection_settings.moc"
