// What vendors send at onboarding, matched to a provider's fields: JSON, `key: value`, `KEY=value` (with export and
// quotes), a Markdown table; names by key, label, upper case with the provider's name in front; credential sets;
// what matched nothing is named, and no value ever appears in the summary.
#include "core/profile/ProfileLoader.h"
#include "core/vault/CredentialPaste.h"

#include <QTest>

using namespace keyway;

class TestCredentialPaste : public QObject
{
    Q_OBJECT

private:
    ProfileRegistry m_registry;

    const ProviderProfile& profile(const char* id) const { return *m_registry.find(QString::fromLatin1(id)); }

private Q_SLOTS:
    void initTestCase()
    {
        m_registry.loadShipped();
        QVERIFY(m_registry.find(QStringLiteral("seismic")));
        QVERIFY(m_registry.find(QStringLiteral("astrada")));
    }

    void formats_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("json") << "{\"clientId\": \"c-1\", \"clientSecret\": \"s-1\", \"region\": \"eu\"}";
        QTest::newRow("key: value") << "Client ID: c-1\nClient Secret: s-1\nRegion: eu\n";
        QTest::newRow("KEY=value")
            << "# from the portal\nexport SEISMIC_CLIENT_ID=\"c-1\"\nSEISMIC_CLIENT_SECRET='s-1'\nREGION=eu";
        QTest::newRow("table")
            << "| Field | Value |\n|---|---|\n| Client ID | c-1 |\n| Client Secret | s-1 |\n| Region | eu |";
        QTest::newRow("tabs") << "client_id\tc-1\nclient_secret\ts-1\nregion\teu";
    }

    void formats()
    {
        QFETCH(QString, text);
        const CredentialPaste::Result result = CredentialPaste::match(text, profile("seismic"));
        QCOMPARE(result.values.value(QStringLiteral("clientId")), QStringLiteral("c-1"));
        QCOMPARE(result.values.value(QStringLiteral("clientSecret")), QStringLiteral("s-1"));
        QCOMPARE(result.values.size(), 2);
        QCOMPARE(result.ignored.size(), 1);
        QVERIFY(result.ignored.first().compare(QStringLiteral("region"), Qt::CaseInsensitive) == 0);
        const QString summary = CredentialPaste::summary(result);
        QVERIFY(summary.contains(QStringLiteral("clientSecret")));
        QVERIFY(summary.contains(QStringLiteral("Ignored:")));
        QVERIFY2(!summary.contains(QStringLiteral("s-1")), qPrintable(summary));
        QVERIFY(!summary.contains(QStringLiteral("c-1")));
    }

    void credentialSets()
    {
        const auto result = CredentialPaste::match(
            QStringLiteral("{\"api\": {\"client_id\": \"a\", \"client_secret\": \"b\"}, \"sdk.client_id\": \"c\"}"),
            profile("astrada"));
        QCOMPARE(result.values.value(QStringLiteral("api.client_id")), QStringLiteral("a"));
        QCOMPARE(result.values.value(QStringLiteral("api.client_secret")), QStringLiteral("b"));
        QCOMPARE(result.values.value(QStringLiteral("sdk.client_id")), QStringLiteral("c"));
        // Without its set, client_id names two fields: it is ignored rather than guessed.
        const auto ambiguous = CredentialPaste::match(QStringLiteral("client_id=x"), profile("astrada"));
        QVERIFY(ambiguous.values.isEmpty());
        QCOMPARE(ambiguous.ignored, QStringList {QStringLiteral("client_id")});
    }

    void nothingMatched()
    {
        const auto result = CredentialPaste::match(QStringLiteral("hello world"), profile("seismic"));
        QVERIFY(result.values.isEmpty());
        QCOMPARE(CredentialPaste::summary(result), QStringLiteral("Nothing matched a field of this provider."));
    }
};

QTEST_GUILESS_MAIN(TestCredentialPaste)
#include "tst_credential_paste.moc"
