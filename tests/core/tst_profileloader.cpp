#include "core/profile/ProfileLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace keyway;

namespace {

// A minimal valid profile; tests break one thing at a time.
QByteArray minimalProfile(const QByteArray& replace = {}, const QByteArray& with = {})
{
    QByteArray doc = R"({
  "id": "acme",
  "name": "Acme",
  "fields": [
    { "key": "client_id", "required": true },
    { "key": "client_secret", "required": true, "secret": true }
  ],
  "flow": [
    { "id": "token", "title": "Token", "method": "POST", "url": "/token",
      "form": { "client_id": "{{client_id}}", "client_secret": "{{client_secret}}" },
      "captures": [ { "name": "access_token", "pointer": "/access_token", "ttl": 60 } ] }
  ],
  "token": { "header": "Authorization", "prefix": "Bearer ", "capture": "access_token" }
})";
    if (!replace.isEmpty()) {
        Q_ASSERT(doc.contains(replace));
        doc.replace(replace, with);
    }
    return doc;
}

QList<ProfileError> errorsOf(const QByteArray& doc)
{
    QList<ProfileError> errors;
    const auto profile = ProfileLoader::parse(doc, QStringLiteral("acme.json"), &errors);
    if (profile) {
        errors.clear();
    }
    return errors;
}

bool hasError(const QList<ProfileError>& errors, const QString& pointer, const QString& fragment)
{
    for (const auto& e : errors) {
        if (e.pointer == pointer && e.message.contains(fragment) && e.file == QLatin1String("acme.json")) {
            return true;
        }
    }
    return false;
}

QString dump(const QList<ProfileError>& errors)
{
    QStringList lines;
    for (const auto& e : errors) {
        lines.append(e.toString());
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestProfileLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyShippedProfileLoads()
    {
        ProfileRegistry registry;
        registry.loadShipped();
        QVERIFY2(registry.errors().isEmpty(), qPrintable(dump(registry.errors())));
        QCOMPARE(registry.ids(),
                 QStringList({QStringLiteral("astrada"),
                              QStringLiteral("banking"),
                              QStringLiteral("ecard"),
                              QStringLiteral("oauth2-client"),
                              QStringLiteral("oauth2-code"),
                              QStringLiteral("oauth2-device"),
                              QStringLiteral("seismic")}));
    }

    // Every value a shipped profile captures onto a timeline lane has a name a person reads: OAuth's own
    // names are Keyway's (ui/MainWindow), anything else carries the profile's `label`.
    void everyCapturedValueHasAReadableLaneName()
    {
        ProfileRegistry registry;
        registry.loadShipped();
        const QStringList oauthNames = {QStringLiteral("code"),
                                        QStringLiteral("device_code"),
                                        QStringLiteral("access_token"),
                                        QStringLiteral("refresh_token"),
                                        QStringLiteral("id_token")};
        int labelled = 0;
        for (const ProviderProfile* profile : registry.profiles()) {
            QList<FlowStep> steps = profile->steps;
            if (profile->refresh) {
                steps.append(*profile->refresh);
            }
            for (const FlowStep& step : std::as_const(steps)) {
                // Discovered endpoints and a device step's public values never become lanes.
                if (step.kind == StepKind::Discovery || step.kind == StepKind::Device) {
                    continue;
                }
                for (const Capture& capture : step.captures) {
                    if (oauthNames.contains(capture.name)) {
                        continue;
                    }
                    const QString label = profile->captureLabel(capture.name);
                    QVERIFY2(!label.isEmpty() && !label.contains(QLatin1Char('_')),
                             qPrintable(QStringLiteral("%1: capture %2 of step %3 has no readable label")
                                            .arg(profile->id, capture.name, step.id)));
                    ++labelled;
                }
            }
        }
        QVERIFY(labelled >= 3); // user_id of both sign-ins, eCard's scope
        QCOMPARE(registry.find(QStringLiteral("oauth2-code"))->captureLabel(QStringLiteral("user_id")),
                 QStringLiteral("user ID"));
    }

    // The credential keys are a contract with scripts (the README's provider table).
    void credentialKeysFollowTheContract_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QStringList>("required");
        QTest::addColumn<QStringList>("optional");
        QTest::addColumn<QStringList>("secret");
        QTest::newRow("seismic") << "seismic" << QStringList {"clientId", "clientSecret"}
                                 << QStringList {"parentAccountId", "merchantId", "defaultBinId", "webhookSecret"}
                                 << QStringList {"clientSecret", "webhookSecret"};
        QTest::newRow("banking") << "banking" << QStringList {"client_id", "client_secret"} << QStringList {}
                                 << QStringList {"client_secret"};
        QTest::newRow("ecard") << "ecard" << QStringList {"client_id", "client_secret"} << QStringList {}
                               << QStringList {"client_secret"};
        QTest::newRow("astrada") << "astrada" << QStringList {"api.client_id", "api.client_secret"}
                                 << QStringList {"sdk.client_id", "sdk.client_secret"}
                                 << QStringList {"api.client_secret", "sdk.client_secret"};
        // With an issuer the endpoints are discovered, and private_key_jwt signs with client_key instead of a
        // secret: so only client_id is required.
        QTest::newRow("oauth2-code") << "oauth2-code" << QStringList {"client_id"}
                                     << QStringList {"issuer",
                                                     "authorize_url",
                                                     "token_url",
                                                     "client_secret",
                                                     "scope",
                                                     "prompt",
                                                     "client_auth",
                                                     "jwks_uri",
                                                     "client_key",
                                                     "key_id",
                                                     "introspection_url",
                                                     "revocation_url",
                                                     "probe_path"}
                                     << QStringList {"client_secret", "client_key"};
        QTest::newRow("oauth2-client") << "oauth2-client" << QStringList {"client_id"}
                                       << QStringList {"issuer",
                                                       "token_url",
                                                       "client_secret",
                                                       "scope",
                                                       "client_auth",
                                                       "jwks_uri",
                                                       "client_key",
                                                       "key_id",
                                                       "introspection_url",
                                                       "revocation_url"}
                                       << QStringList {"client_secret", "client_key"};
        QTest::newRow("oauth2-device") << "oauth2-device" << QStringList {"client_id"}
                                       << QStringList {"issuer",
                                                       "device_authorization_url",
                                                       "token_url",
                                                       "client_secret",
                                                       "scope",
                                                       "client_auth",
                                                       "jwks_uri",
                                                       "client_key",
                                                       "key_id",
                                                       "introspection_url",
                                                       "revocation_url"}
                                       << QStringList {"client_secret", "client_key"};
    }

    void credentialKeysFollowTheContract()
    {
        QFETCH(QString, provider);
        QFETCH(QStringList, required);
        QFETCH(QStringList, optional);
        QFETCH(QStringList, secret);
        ProfileRegistry registry;
        registry.loadShipped();
        const ProviderProfile* p = registry.find(provider);
        QVERIFY(p);
        QCOMPARE(p->fieldKeys().size(), required.size() + optional.size());
        for (const QString& key : p->fieldKeys()) {
            const CredentialField* f = p->field(key);
            QVERIFY2(required.contains(key) || optional.contains(key), qPrintable(key));
            QCOMPARE(f->required, required.contains(key));
            QCOMPARE(f->secret, secret.contains(key));
        }
    }

    void astradaHasTwoCredentialSets()
    {
        ProfileRegistry registry;
        registry.loadShipped();
        const ProviderProfile* p = registry.find(QStringLiteral("astrada"));
        QVERIFY(p);
        QCOMPARE(p->defaultCredentialSet(), QStringLiteral("api"));
        QVERIFY(p->hasCredentialSet(QStringLiteral("sdk")));
        const auto sdk = p->fieldsOfSet(QStringLiteral("sdk"));
        QCOMPARE(sdk.size(), 2);
        QCOMPARE(sdk.first().bareKey, QStringLiteral("client_id"));
        QCOMPARE(sdk.first().key, QStringLiteral("sdk.client_id"));
    }

    void seismicDeclaresItsQuirks()
    {
        ProfileRegistry registry;
        registry.loadShipped();
        const ProviderProfile* p = registry.find(QStringLiteral("seismic"));
        QVERIFY(p);
        QCOMPARE(p->token.header, QStringLiteral("x-access-token"));
        QCOMPARE(p->token.prefix, QString());
        QCOMPARE(p->apiSuccess.codePointer, QStringLiteral("/code"));
        QCOMPARE(p->apiSuccess.codeEquals, QStringLiteral("000000"));
        QVERIFY(p->reauthCodes.contains(QStringLiteral("40399")));
        QCOMPARE(p->steps.size(), 2);
        QCOMPARE(p->steps[0].bodyKind, BodyKind::Query);
        QVERIFY(p->steps[0].captures[0].singleUse);
        QCOMPARE(p->steps[1].bodyKind, BodyKind::Json);
        QCOMPARE(p->steps[1].success.nonEmpty, QStringList {QStringLiteral("/data/accessToken")});
        QCOMPARE(p->idempotency.size(), 6);
        QVERIFY(p->check.has_value());
        QCOMPARE(p->check->path, QStringLiteral("/v1/card/bins"));
        QVERIFY(p->featured);
        QVERIFY(p->webhook);
        QCOMPARE(p->webhook->header, QStringLiteral("x-seismic-signature"));
        QCOMPARE(p->webhookSecretField()->key, QStringLiteral("webhookSecret"));
    }

    void paramOrderIsKept()
    {
        ProfileRegistry registry;
        registry.loadShipped();
        const ProviderProfile* p = registry.find(QStringLiteral("banking"));
        QVERIFY(p);
        QStringList names;
        for (const auto& param : p->steps[0].params) {
            names.append(param.name);
        }
        QCOMPARE(names, QStringList({"client_id", "client_secret", "grant_type"}));
    }

    void malformedProfilesGivePreciseErrors_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{ \"id\": ") << "/"
                                  << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << "/"
                                       << "expected an object";
        QTest::newRow("missing id") << minimalProfile("\"id\": \"acme\",", "") << "/id"
                                    << "missing required string";
        QTest::newRow("bad id") << minimalProfile("\"id\": \"acme\"", "\"id\": \"Acme Corp\"") << "/id"
                                << "lowercase letters";
        QTest::newRow("wrong type") << minimalProfile("\"name\": \"Acme\"", "\"name\": 42") << "/name"
                                    << "expected a string, found number";
        QTest::newRow("unknown key") << minimalProfile("\"name\": \"Acme\"", "\"name\": \"Acme\", \"flws\": []")
                                     << "/flws"
                                     << "unknown key \"flws\"";
        QTest::newRow("empty flow") << minimalProfile("\"flow\": [", "\"flow\": [], \"x\": [") << "/flow"
                                    << "non-empty array";
        QTest::newRow("template typo") << minimalProfile("{{client_secret}}", "{{client_secrte}}")
                                       << "/flow/0/form/client_secret"
                                       << "{{client_secrte}} names no credential field";
        QTest::newRow("bad method") << minimalProfile("\"method\": \"POST\"", "\"method\": \"FETCH\"")
                                    << "/flow/0/method"
                                    << "GET, POST";
        QTest::newRow("bad pointer") << minimalProfile("\"pointer\": \"/access_token\"",
                                                       "\"pointer\": \"access_token\"")
                                     << "/flow/0/captures/0/pointer"
                                     << "JSON pointer";
        QTest::newRow("negative ttl") << minimalProfile("\"ttl\": 60", "\"ttl\": -5") << "/flow/0/captures/0/ttl"
                                      << "positive whole number";
        QTest::newRow("duplicate field") << minimalProfile("{ \"key\": \"client_secret\",", "{ \"key\": \"client_id\",")
                                         << "/fields/1/key"
                                         << "duplicate field key";
        QTest::newRow("token capture unknown")
            << minimalProfile("\"capture\": \"access_token\" }", "\"capture\": \"jwt\" }") << "/token/capture"
            << "no flow step captures \"jwt\"";
        QTest::newRow("two bodies") << minimalProfile("\"form\": {", "\"json\": {}, \"form\": {") << "/flow/0"
                                    << "at most one of";
        QTest::newRow("bad status") << minimalProfile("\"ttl\": 60 } ] }",
                                                      "\"ttl\": 60 } ], \"success\": {\"statuses\": [1000]} }")
                                    << "/flow/0/success/statuses/0"
                                    << "between 100 and 599";
        // The webhook block names a secret field, a header and known encodings.
        const QByteArray token
            = R"("token": { "header": "Authorization", "prefix": "Bearer ", "capture": "access_token" })";
        QTest::newRow("webhook field unknown")
            << minimalProfile(token, token + R"(, "webhook": { "secret": "signing", "header": "X-Sig" })")
            << "/webhook/secret"
            << "names no credential field; expected one of: client_id, client_secret";
        QTest::newRow("webhook field not secret")
            << minimalProfile(token, token + R"(, "webhook": { "secret": "client_id", "header": "X-Sig" })")
            << "/webhook/secret"
            << "must be declared \"secret\": true";
        QTest::newRow("webhook without header")
            << minimalProfile(token, token + R"(, "webhook": { "secret": "client_secret" })") << "/webhook/header"
            << "missing required string";
        QTest::newRow("webhook bad header")
            << minimalProfile(token, token + R"(, "webhook": { "secret": "client_secret", "header": "X Sig:" })")
            << "/webhook/header"
            << "HTTP header name";
        QTest::newRow("webhook bad encoding") << minimalProfile(
            token,
            token + R"(, "webhook": { "secret": "client_secret", "header": "X-Sig", "encodings": ["hex", "b64"] })")
                                              << "/webhook/encodings/1"
                                              << "\"hex\" or \"base64\"";
        QTest::newRow("webhook unknown key") << minimalProfile(
            token, token + R"(, "webhook": { "secret": "client_secret", "header": "X-Sig", "algo": "md5" })")
                                             << "/webhook/algo"
                                             << "unknown key";
        QTest::newRow("check names no field")
            << minimalProfile(token, token + R"(, "check": { "method": "GET", "path": "{{probe}}" })") << "/check/path"
            << "{{probe}} names no credential field";
        QTest::newRow("reauth codes without envelope")
            << minimalProfile(token, token + R"(, "reauth": { "codes": ["40399"] })") << "/reauth/codes"
            << "codePointer";
        QTest::newRow("featured not boolean") << minimalProfile(token, token + R"(, "featured": "yes")") << "/featured"
                                              << "true or false";
    }

    void newBlocksAreRead()
    {
        const QByteArray token
            = R"("token": { "header": "Authorization", "prefix": "Bearer ", "capture": "access_token" })";
        QList<ProfileError> errors;
        const auto p = ProfileLoader::parse(
            minimalProfile(token,
                           token + R"(, "featured": true, "check": { "method": "GET", "path": "{{client_id}}/me" },
                                  "webhook": { "secret": "client_secret", "header": "X-Sig", "encodings": ["base64"], "prefixes": ["v1="] })"),
            QStringLiteral("acme.json"),
            &errors);
        QVERIFY2(p, qPrintable(dump(errors)));
        QVERIFY(p->featured);
        QVERIFY(p->webhook);
        QCOMPARE(p->webhook->header, QStringLiteral("X-Sig"));
        QCOMPARE(p->webhook->encodings, QStringList {QStringLiteral("base64")});
        QCOMPARE(p->webhook->prefixes, QStringList {QStringLiteral("v1=")});
        QVERIFY(p->webhookSecretField());
        QCOMPARE(p->webhookSecretField()->key, QStringLiteral("client_secret"));
        const auto plain = ProfileLoader::parse(minimalProfile(), QStringLiteral("acme.json"), &errors);
        QVERIFY(plain && !plain->webhookSecretField() && !plain->featured);
    }

    void malformedProfilesGivePreciseErrors()
    {
        QFETCH(QByteArray, doc);
        QFETCH(QString, pointer);
        QFETCH(QString, message);
        const auto errors = errorsOf(doc);
        QVERIFY2(hasError(errors, pointer, message), qPrintable(QStringLiteral("got:\n") + dump(errors)));
    }

    void minimalProfileIsValid()
    {
        const auto errors = errorsOf(minimalProfile());
        QVERIFY2(errors.isEmpty(), qPrintable(dump(errors)));
    }

    void brokenUserProfileDoesNotHideTheOthers()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto write = [&](const QString& name, const QByteArray& content) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        };
        write(QStringLiteral("acme.json"), minimalProfile());
        write(QStringLiteral("broken.json"), QByteArray("{ nope"));
        write(QStringLiteral("impostor.json"), minimalProfile("\"id\": \"acme\"", "\"id\": \"seismic\""));

        ProfileRegistry registry;
        registry.loadShipped();
        registry.loadDirectory(dir.path());
        QVERIFY(registry.find(QStringLiteral("acme")));
        QVERIFY(registry.find(QStringLiteral("seismic")));
        QCOMPARE(registry.find(QStringLiteral("seismic"))->sourceFile, QStringLiteral(":/providers/seismic.json"));
        QCOMPARE(registry.errors().size(), 2);
        QVERIFY(registry.errors()[0].file.endsWith(QLatin1String("broken.json")));
        QVERIFY(registry.errors()[1].file.endsWith(QLatin1String("impostor.json")));
        QVERIFY(registry.errors()[1].message.contains(QLatin1String("already defined")));
    }
};

QTEST_GUILESS_MAIN(TestProfileLoader)
#include "tst_profileloader.moc"
