// SPDX-License-Identifier: MIT
#include "config/BridgeConfig.h"
#include "zai/Signer.h"
#include "zai/UpstreamProfile.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QUuid>
#include <QTest>

using namespace Qt::StringLiterals;

class TestConfigLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void originalVariables();
    void serverVariables();
    void catalogueVariablesAreKnown();
    void modelVariableRenamesItsModel_data();
    void modelVariableRenamesItsModel();
    void invalidValuesNameTheVariable_data();
    void invalidValuesNameTheVariable();
    void invalidProxyErrorHidesThePassword_data();
    void invalidProxyErrorHidesThePassword();
    void junjieIsTreatedAsUnset();
    void legacyEndpointIsMapped();
    void envFileAndPrecedence();
    void nonLoopbackNeedsKey();
    void authRules();
    void deviceIdFromTheEnvironment();
    void deviceIdKeptInAFile();

private:
    static ConfigLoader::Result load(const QHash<QString, QString> &vars,
                                     const QHash<QString, QString> &overrides = {})
    {
        QProcessEnvironment env;
        for (auto it = vars.begin(); it != vars.end(); ++it)
            env.insert(it.key(), it.value());
        return ConfigLoader::load(env, QString(), false, overrides);
    }
};

void TestConfigLoader::defaults()
{
    const auto r = load({});
    QVERIFY(r.config);
    QCOMPARE(r.config->listenHost, u"127.0.0.1"_s);
    QCOMPARE(r.config->listenPort, 8080);
    QCOMPARE(r.config->maxRetries, 3);
    QCOMPARE(r.config->maxBodyBytes, 32LL * 1024 * 1024);
    QCOMPARE(r.config->corsOrigins, QStringList{u"*"_s});
    QVERIFY(r.config->tokens.isEmpty());
    QVERIFY(!r.config->authRequired());
    QCOMPARE(r.config->maxImageBytes, 20LL * 1024 * 1024);
    QCOMPARE(r.config->maxImages, 20);
    QCOMPARE(r.config->imageFetchTimeoutMs, 30000);
    QCOMPARE(r.config->keepAliveMs, 15000); // SSE_KEEPALIVE_SECONDS=15, the original's interval
    QVERIFY(r.config->modelRenames.isEmpty());
    QVERIFY(r.config->deviceId.isEmpty()); // the headless server keeps one in a file
}

void TestConfigLoader::originalVariables()
{
    const auto r = load({{u"API_ENDPOINT"_s, u"http://127.0.0.1:9999/api/v2/chat/completions"_s},
                         {u"ZAI_TOKEN"_s, u"tok1, tok2 ,,tok3"_s},
                         {u"AUTH_TOKEN"_s, u"sk-abc"_s},
                         {u"LISTEN_PORT"_s, u"9090"_s},
                         {u"DEBUG_LOGGING"_s, u"true"_s},
                         {u"MAX_RETRIES"_s, u"5"_s},
                         {u"HTTP_PROXY"_s, u"http://proxy.local:3128"_s},
                         {u"HTTPS_PROXY"_s, u"127.0.0.1:7890"_s},
                         {u"GLM_47_MODEL"_s, u"my-glm-4.7"_s},
                         {u"ZAI_SIGNING_SECRET"_s, u"6b6579"_s},
                         {u"UVICORN_WORKERS"_s, u"4"_s},
                         {u"MAX_IMAGE_BYTES"_s, u"5000000"_s},
                         {u"MAX_IMAGES"_s, u"3"_s},
                         {u"IMAGE_FETCH_TIMEOUT"_s, u"7"_s}});
    QVERIFY2(r.config, qPrintable(r.error));
    const BridgeConfig &c = *r.config;
    QCOMPARE(c.endpoint, u"http://127.0.0.1:9999/api/v2/chat/completions"_s);
    QCOMPARE(c.tokens, (QStringList{u"tok1"_s, u"tok2"_s, u"tok3"_s}));
    QCOMPARE(c.apiKey, u"sk-abc"_s);
    QCOMPARE(c.listenPort, 9090);
    QVERIFY(c.debugLogging);
    QCOMPARE(c.maxRetries, 5);
    QCOMPARE(c.httpProxy.host(), u"proxy.local"_s);
    QCOMPARE(c.httpsProxy.port(), 7890);
    QCOMPARE(c.modelRenames.value(u"GLM_47_MODEL"_s), u"my-glm-4.7"_s);
    QCOMPARE(c.signingSecret, "key"_ba);
    QVERIFY(c.authRequired());
    QVERIFY(r.warnings.join(u' ').contains(u"UVICORN_WORKERS"_s));
    QCOMPARE(c.maxImageBytes, 5000000);
    QCOMPARE(c.maxImages, 3);
    QCOMPARE(c.imageFetchTimeoutMs, 7000);
}

void TestConfigLoader::serverVariables()
{
    const auto r = load({{u"SSE_KEEPALIVE_SECONDS"_s, u"42"_s},
                         {u"MAX_REQUEST_BODY_MB"_s, u"64"_s},
                         {u"CORS_ALLOWED_ORIGINS"_s,
                          u" https://app.example , http://localhost:3000,,"_s}});
    QVERIFY2(r.config, qPrintable(r.error));
    QCOMPARE(r.config->keepAliveMs, 42000); // seconds in the variable, milliseconds in the config
    QCOMPARE(r.config->maxBodyBytes, 64LL * 1024 * 1024);
    // Listed origins replace the "*" default; blanks around commas and empty entries are dropped.
    QCOMPARE(r.config->corsOrigins,
             (QStringList{u"https://app.example"_s, u"http://localhost:3000"_s}));
    QVERIFY(r.warnings.isEmpty());

    // The bounds themselves are accepted.
    const auto low = load({{u"SSE_KEEPALIVE_SECONDS"_s, u"1"_s}, {u"MAX_REQUEST_BODY_MB"_s, u"1"_s}});
    QVERIFY2(low.config, qPrintable(low.error));
    QCOMPARE(low.config->keepAliveMs, 1000);
    QCOMPARE(low.config->maxBodyBytes, 1024LL * 1024);
    const auto high =
        load({{u"SSE_KEEPALIVE_SECONDS"_s, u"300"_s}, {u"MAX_REQUEST_BODY_MB"_s, u"4096"_s}});
    QVERIFY2(high.config, qPrintable(high.error));
    QCOMPARE(high.config->keepAliveMs, 300000);
    QCOMPARE(high.config->maxBodyBytes, 4096LL * 1024 * 1024);
}

void TestConfigLoader::catalogueVariablesAreKnown()
{
    // Every rename variable of the built-in catalogue is one the loader reads (it only picks up
    // known *_MODEL names), and every known *_MODEL name renames a built-in model.
    const QStringList known = ConfigLoader::knownVariables();
    const QStringList catalogue = UpstreamProfile::builtIn().catalogue().renameVariables();
    QCOMPARE(catalogue.size(), 18);
    QCOMPARE(QSet<QString>(catalogue.begin(), catalogue.end()).size(), catalogue.size());
    for (const QString &name : catalogue)
        QVERIFY2(known.contains(name), qPrintable(name + u" is not a known variable"_s));
    for (const QString &name : known) {
        if (name.endsWith(u"_MODEL"_s))
            QVERIFY2(catalogue.contains(name), qPrintable(name + u" renames no model"_s));
    }
}

void TestConfigLoader::modelVariableRenamesItsModel_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("modelId");
    const UpstreamProfile builtIn = UpstreamProfile::builtIn(); // outlives the loop
    for (const ModelEntry &e : builtIn.catalogue().entries()) {
        if (!e.renameEnv.isEmpty())
            QTest::newRow(qPrintable(e.renameEnv)) << e.renameEnv << e.id;
    }
}

void TestConfigLoader::modelVariableRenamesItsModel()
{
    QFETCH(QString, variable);
    QFETCH(QString, modelId);
    const QString renamed = u"custom-"_s + modelId.toLower();
    const auto r = load({{variable, u"  "_s + renamed + u" "_s}});
    QVERIFY2(r.config, qPrintable(r.error));
    QCOMPARE(r.config->modelRenames, (QHash<QString, QString>{{variable, renamed}}));

    // What ZaiClient does with the loaded renames: only the named model changes its client-facing
    // id, and it keeps its upstream mapping and switches.
    const UpstreamProfile builtIn = UpstreamProfile::builtIn();
    UpstreamProfile profile = builtIn;
    profile.catalogue().applyRenames(r.config->modelRenames);
    const ModelEntry *original = builtIn.catalogue().find(modelId);
    QVERIFY(original);
    const ModelEntry *model = profile.catalogue().find(renamed);
    QVERIFY2(model, qPrintable(renamed));
    QVERIFY(!profile.catalogue().find(modelId));
    QCOMPARE(model->renameEnv, variable);
    QCOMPARE(model->upstreamId, original->upstreamId);
    QCOMPARE(model->thinking, original->thinking);
    QCOMPARE(model->search, original->search);
    QCOMPARE(model->vision, original->vision);
    const QList<ModelEntry> &before = builtIn.catalogue().entries();
    const QList<ModelEntry> &after = profile.catalogue().entries();
    QCOMPARE(after.size(), before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        if (before.at(i).renameEnv != variable)
            QCOMPARE(after.at(i).id, before.at(i).id);
    }
}

void TestConfigLoader::invalidValuesNameTheVariable_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("port text") << u"LISTEN_PORT"_s << u"eighty"_s;
    QTest::newRow("port range") << u"LISTEN_PORT"_s << u"70000"_s;
    QTest::newRow("retries") << u"MAX_RETRIES"_s << u"-1"_s;
    QTest::newRow("debug") << u"DEBUG_LOGGING"_s << u"maybe"_s;
    QTest::newRow("skip") << u"SKIP_AUTH_TOKEN"_s << u"sure"_s;
    QTest::newRow("endpoint") << u"API_ENDPOINT"_s << u"ftp://x/y"_s;
    QTest::newRow("proxy") << u"HTTPS_PROXY"_s << u"gopher://x:1"_s;
    QTest::newRow("host") << u"LISTEN_HOST"_s << u"not an address"_s;
    QTest::newRow("body") << u"MAX_REQUEST_BODY_MB"_s << u"0"_s;
    QTest::newRow("body range") << u"MAX_REQUEST_BODY_MB"_s << u"4097"_s;
    QTest::newRow("body text") << u"MAX_REQUEST_BODY_MB"_s << u"32MB"_s;
    QTest::newRow("keep-alive zero") << u"SSE_KEEPALIVE_SECONDS"_s << u"0"_s;
    QTest::newRow("keep-alive range") << u"SSE_KEEPALIVE_SECONDS"_s << u"301"_s;
    QTest::newRow("keep-alive text") << u"SSE_KEEPALIVE_SECONDS"_s << u"15s"_s;
    QTest::newRow("image bytes") << u"MAX_IMAGE_BYTES"_s << u"20MB"_s;
    QTest::newRow("images") << u"MAX_IMAGES"_s << u"0"_s;
    QTest::newRow("fetch timeout") << u"IMAGE_FETCH_TIMEOUT"_s << u"0"_s;
}

void TestConfigLoader::invalidValuesNameTheVariable()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    const auto r = load({{name, value}});
    QVERIFY(!r.config);
    QVERIFY2(r.error.contains(name), qPrintable(r.error));
}

void TestConfigLoader::invalidProxyErrorHidesThePassword_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("shown"); // what the message shows of it
    QTest::newRow("scheme") << u"ftp://alice:hunter2@proxy.lan:21"_s
                            << u"ftp://alice:***@proxy.lan:21"_s;
    QTest::newRow("@ in the password") << u"socks4://alice:p@ss@proxy.lan/x"_s
                                       << u"socks4://alice:***@proxy.lan/x"_s;
    QTest::newRow("no scheme") << u"alice:hunter2@"_s << u"alice:***@"_s;
    QTest::newRow("/ in the password") << u"http://alice:hun/ter2@proxy.lan:8080"_s
                                       << u"http://alice:***@proxy.lan:8080"_s;
    QTest::newRow("? in the password") << u"http://alice:hun?ter2@proxy.lan"_s
                                       << u"http://alice:***@proxy.lan"_s;
    QTest::newRow("# in the password") << u"http://alice:hun#ter2@proxy.lan"_s
                                       << u"http://alice:***@proxy.lan"_s;
    QTest::newRow("no password") << u"ftp://alice@proxy.lan"_s << u"ftp://alice@proxy.lan"_s;
}

// The message of an invalid proxy URL quotes the value, but never its password.
void TestConfigLoader::invalidProxyErrorHidesThePassword()
{
    QFETCH(QString, value);
    QFETCH(QString, shown);
    const auto r = load({{u"HTTPS_PROXY"_s, value}});
    QVERIFY(!r.config);
    QVERIFY2(r.error.contains(u"HTTPS_PROXY"_s), qPrintable(r.error));
    QVERIFY2(r.error.contains(shown), qPrintable(r.error));
    QVERIFY(!r.error.contains(u"hunter2"_s));
    QVERIFY(!r.error.contains(u"ter2"_s));
    QVERIFY(!r.error.contains(u"p@ss"_s));
}

void TestConfigLoader::junjieIsTreatedAsUnset()
{
    const auto r = load({{u"ZAI_SIGNING_SECRET"_s, u"junjie"_s}});
    QVERIFY(r.config);
    QVERIFY(r.config->signingSecret.isEmpty());
    QVERIFY(r.warnings.join(u' ').contains(u"junjie"_s));
}

void TestConfigLoader::legacyEndpointIsMapped()
{
    const auto r = load({{u"API_ENDPOINT"_s, u"https://chat.z.ai/api/chat/completions"_s}});
    QVERIFY(r.config);
    QCOMPARE(r.config->endpoint, u"https://chat.z.ai/api/v2/chat/completions"_s);
    QCOMPARE(r.warnings.size(), 1);
}

void TestConfigLoader::envFileAndPrecedence()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u".env"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\nexport LISTEN_PORT=7001\nAUTH_TOKEN=\"sk-from-file\"\nZAI_TOKEN='a,b' \n"
            "MAX_RETRIES=2 # inline comment\n\nDEBUG_LOGGING=false\n");
    f.close();
    QProcessEnvironment env;
    env.insert(u"MAX_RETRIES"_s, u"4"_s); // the process environment beats the file
    auto r = ConfigLoader::load(env, path, true, {{u"LISTEN_PORT"_s, u"7002"_s}});
    QVERIFY2(r.config, qPrintable(r.error));
    QCOMPARE(r.config->listenPort, 7002); // the command line beats both
    QCOMPARE(r.config->apiKey, u"sk-from-file"_s);
    QCOMPARE(r.config->tokens, (QStringList{u"a"_s, u"b"_s}));
    QCOMPARE(r.config->maxRetries, 4);

    r = ConfigLoader::load({}, dir.filePath(u"missing.env"_s), true, {});
    QVERIFY(!r.config);
    QVERIFY(r.error.contains(u"missing.env"_s));
    QVERIFY(ConfigLoader::load({}, dir.filePath(u"missing.env"_s), false, {}).config);
}

void TestConfigLoader::nonLoopbackNeedsKey()
{
    auto r = load({{u"LISTEN_HOST"_s, u"0.0.0.0"_s}});
    QVERIFY(!r.config);
    QVERIFY(r.error.contains(u"AUTH_TOKEN"_s));
    r = load({{u"LISTEN_HOST"_s, u"0.0.0.0"_s}, {u"AUTH_TOKEN"_s, u"k"_s}, {u"SKIP_AUTH_TOKEN"_s, u"true"_s}});
    QVERIFY(r.config);
    QVERIFY(r.config->authRequired()); // SKIP_AUTH_TOKEN only applies on loopback
    QVERIFY(!r.warnings.isEmpty());
}

void TestConfigLoader::authRules()
{
    auto r = load({{u"AUTH_TOKEN"_s, u"k"_s}, {u"SKIP_AUTH_TOKEN"_s, u"true"_s}});
    QVERIFY(!r.config->authRequired());
    r = load({{u"AUTH_TOKEN"_s, u"k"_s}});
    QVERIFY(r.config->authRequired());
}


void TestConfigLoader::deviceIdFromTheEnvironment()
{
    QVERIFY(ConfigLoader::knownVariables().contains(u"ZAI_DEVICE_ID"_s));
    const auto r = load({{u"ZAI_DEVICE_ID"_s, u" 0f8e2c1a-5b3d-4e6f-8a9b-c0d1e2f3a4b5 "_s}});
    QVERIFY2(r.config, qPrintable(r.error));
    QCOMPARE(r.config->deviceId, u"0f8e2c1a-5b3d-4e6f-8a9b-c0d1e2f3a4b5"_s);
    // It becomes a header value: line breaks, spaces and control characters are refused.
    for (const QString &bad : {u"two words"_s, u"line\r\nX-Evil: 1"_s, u"tab\there"_s,
                               QString(129, u'a'), u"é"_s}) {
        const auto refused = load({{u"ZAI_DEVICE_ID"_s, bad}});
        QVERIFY2(!refused.config, qPrintable(bad));
        QVERIFY2(refused.error.contains(u"ZAI_DEVICE_ID"_s), qPrintable(refused.error));
    }
}

void TestConfigLoader::deviceIdKeptInAFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"nested/ZaiBridge/device-id"_s);
    QString warning;
    const QString first = ConfigLoader::storedDeviceId(path, &warning);
    QVERIFY2(warning.isEmpty(), qPrintable(warning));
    QVERIFY(!QUuid::fromString(first).isNull());
    QVERIFY(QFile::exists(path));
    QCOMPARE(ConfigLoader::storedDeviceId(path, &warning), first); // reused, not made again
    QCOMPARE(ConfigLoader::storedDeviceId(path, &warning), first);

    // A damaged file gets a new id; an id the user wrote there is taken as it is.
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\n\n");
    file.close();
    const QString fresh = ConfigLoader::storedDeviceId(path, &warning);
    QVERIFY(fresh != first && !QUuid::fromString(fresh).isNull());
    QCOMPARE(ConfigLoader::storedDeviceId(path, &warning), fresh);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("my-own-device\n");
    file.close();
    QCOMPARE(ConfigLoader::storedDeviceId(path, &warning), u"my-own-device"_s);

    // Where nothing can be written, the id serves this run and the warning says so.
    QFile blocker(dir.filePath(u"blocker"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    warning.clear();
    const QString unkept =
        ConfigLoader::storedDeviceId(dir.filePath(u"blocker/device-id"_s), &warning);
    QVERIFY(!QUuid::fromString(unkept).isNull());
    QVERIFY2(warning.contains(u"ZAI_DEVICE_ID"_s), qPrintable(warning));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "testConfigLoader.moc"
