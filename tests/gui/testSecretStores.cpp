// SPDX-License-Identifier: MIT
// The in-memory and file secret stores and the settings store's split: secrets through the
// SecretStore only, everything else in QSettings, read back as written.

#include "FileSecretStore.h"
#include "MemorySecretStore.h"
#include "SettingsStore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSecretStores : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void memoryStoreAnswersAsynchronously();
    void fileStoreIsOwnerOnly();
    void settingsRoundTripKeepsSecretsOutOfQSettings();
    void proxyPasswordMovesOutOfOldSettings_data();
    void proxyPasswordMovesOutOfOldSettings();
    void failedSecretReadIsReported();

private:
    static SecretStore::Result wait(SecretStore &store,
                                    const std::function<void(SecretStore::Callback)> &call);
};

SecretStore::Result TestSecretStores::wait(SecretStore &,
                                           const std::function<void(SecretStore::Callback)> &call)
{
    std::optional<SecretStore::Result> result;
    call([&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        return {SecretStore::Status::Failed, {}, u"timeout"_s};
    return *result;
}

void TestSecretStores::memoryStoreAnswersAsynchronously()
{
    MemorySecretStore store;
    bool called = false;
    store.read(u"k"_s, this, [&called](const SecretStore::Result &) { called = true; });
    QVERIFY(!called); // never synchronously
    QTRY_VERIFY(called);
    QCOMPARE(wait(store, [&](auto cb) { store.read(u"k"_s, this, cb); }).status,
             SecretStore::Status::NotFound);
    QCOMPARE(wait(store, [&](auto cb) { store.write(u"k"_s, u"v"_s, this, cb); }).status,
             SecretStore::Status::Ok);
    QCOMPARE(wait(store, [&](auto cb) { store.read(u"k"_s, this, cb); }).value, u"v"_s);
    QCOMPARE(wait(store, [&](auto cb) { store.remove(u"k"_s, this, cb); }).status,
             SecretStore::Status::Ok);
    QCOMPARE(wait(store, [&](auto cb) { store.read(u"k"_s, this, cb); }).status,
             SecretStore::Status::NotFound);

    // A destroyed context drops the callback.
    auto *context = new QObject;
    bool late = false;
    store.read(u"k"_s, context, [&late](const SecretStore::Result &) { late = true; });
    delete context;
    QTest::qWait(20);
    QVERIFY(!late);
}

void TestSecretStores::fileStoreIsOwnerOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/secrets.json"_s);
    {
        FileSecretStore store(path);
        QCOMPARE(
            wait(store, [&](auto cb) { store.write(u"api-key"_s, u"sk-1"_s, this, cb); }).status,
            SecretStore::Status::Ok);
    }
    QVERIFY(QFile::exists(path));
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(path) &
                 ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
             QFile::Permissions());
#endif
    FileSecretStore again(path);
    QCOMPARE(wait(again, [&](auto cb) { again.read(u"api-key"_s, this, cb); }).value, u"sk-1"_s);
    QVERIFY(again.backendName().contains(u"secrets.json"_s));
}

void TestSecretStores::settingsRoundTripKeepsSecretsOutOfQSettings()
{
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"z.ini"_s), QSettings::IniFormat);
    MemorySecretStore secrets;
    SettingsStore store(&ini, &secrets);
    AppSettings s;
    s.port = 9000;
    s.lanAccess = true;
    s.apiKey = u"sk-roundtrip-secret"_s;
    s.tokens = {{u"a"_s, u"tok-roundtrip-a"_s}, {u"b"_s, u"tok-roundtrip-b"_s}};
    s.proxyMode = AppSettings::ProxyMode::Manual;
    s.httpProxy = QUrl(u"http://alice:proxy-pw-secret@proxy:8080"_s);
    s.httpsProxy = QUrl(u"http://bob:https-pw-secret@proxy:8443"_s);
    s.language = AppSettings::Language::SimplifiedChinese;
    s.models = UpstreamProfile::builtIn().catalogue().entries().mid(0, 2);
    s.models[0].id = u"renamed"_s;
    s.deviceId = AppSettings::generateDeviceId();
    store.savePlain(s);
    std::optional<SecretStore::Result> saved;
    store.saveSecrets(s, this, [&saved](const SecretStore::Result &r) { saved = r; });
    QTRY_VERIFY(saved.has_value());
    QCOMPARE(saved->status, SecretStore::Status::Ok);

    ini.sync();
    QFile file(ini.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains("sk-roundtrip-secret"));
    QVERIFY(!text.contains("tok-roundtrip"));
    QVERIFY(!text.contains("pw-secret"));
    QVERIFY(text.contains("alice@proxy:8080")); // the user name is not a secret
    QVERIFY(text.contains("zh_CN")); // enums stored as strings
    QVERIFY(text.contains(s.deviceId.toLatin1())); // not a secret: with the plain settings

    std::optional<AppSettings> loaded;
    store.loadSecrets(store.loadPlain(), this,
                      [&loaded](const AppSettings &a, const SecretStore::Result &) { loaded = a; });
    QTRY_VERIFY(loaded.has_value());
    QVERIFY(*loaded == s);
    QCOMPARE(loaded->deviceId, s.deviceId);
    QCOMPARE(loaded->toBridgeConfig().deviceId, s.deviceId);
    QCOMPARE(loaded->httpsProxy.password(), u"https-pw-secret"_s);
    // Saved again without one (settings of an older version), the id stays.
    AppSettings without = *loaded;
    without.deviceId.clear();
    store.savePlain(without);
    QCOMPARE(store.loadPlain().deviceId, s.deviceId);
    QVERIFY(loaded->secrets().contains(u"proxy-pw-secret"_s)); // redacted from every log
}

// Settings written before the proxy passwords moved to the secret store hold them in the URL:
// they keep working, and move to a store that keeps them (here the owner-only file) on the first
// load; only then do they leave the settings file. A memory-only store would lose them at exit,
// so with one the file keeps them.
void TestSecretStores::proxyPasswordMovesOutOfOldSettings_data()
{
    QTest::addColumn<bool>("persistent");
    QTest::newRow("owner-only file") << true;
    QTest::newRow("memory only") << false;
}

void TestSecretStores::proxyPasswordMovesOutOfOldSettings()
{
    QFETCH(bool, persistent);
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"z.ini"_s), QSettings::IniFormat);
    ini.setValue(u"network/proxyMode"_s, u"manual"_s);
    ini.setValue(u"network/httpProxy"_s, u"http://alice:old-pw-secret@proxy:8080"_s);
    ini.setValue(u"models/catalogue"_s, u"left as it is"_s); // only the proxy keys are rewritten
    ini.sync();
    std::unique_ptr<SecretStore> secrets;
    if (persistent)
        secrets = std::make_unique<FileSecretStore>(dir.filePath(u"secrets.json"_s));
    else
        secrets = std::make_unique<MemorySecretStore>();
    SettingsStore store(&ini, secrets.get());

    std::optional<AppSettings> loaded;
    store.loadSecrets(store.loadPlain(), this,
                      [&loaded](const AppSettings &a, const SecretStore::Result &) { loaded = a; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->httpProxy.password(), u"old-pw-secret"_s);
    const SecretStore::Result moved = wait(
        *secrets, [&](auto cb) { secrets->read(SettingsStore::ProxyPasswordsName, this, cb); });
    ini.sync();
    QFile file(ini.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("left as it is"));
    if (!persistent) {
        QCOMPARE(moved.status, SecretStore::Status::NotFound);
        QVERIFY(text.contains("old-pw-secret"));
        return;
    }
    QCOMPARE(moved.status, SecretStore::Status::Ok);
    QVERIFY(moved.value.contains(u"old-pw-secret"_s));
    QVERIFY2(!text.contains("old-pw-secret"), text.constData());
    QVERIFY(text.contains("alice@proxy:8080"));

    // And the next start reads it back from the secret store.
    std::optional<AppSettings> again;
    store.loadSecrets(store.loadPlain(), this,
                      [&again](const AppSettings &a, const SecretStore::Result &) { again = a; });
    QTRY_VERIFY(again.has_value());
    QCOMPARE(again->httpProxy, loaded->httpProxy);
}

void TestSecretStores::failedSecretReadIsReported()
{
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"z.ini"_s), QSettings::IniFormat);
    MemorySecretStore secrets;
    secrets.setFailure(SecretStore::Status::NoBackend);
    SettingsStore store(&ini, &secrets);
    std::optional<SecretStore::Result> worst;
    store.loadSecrets({}, this,
                      [&worst](const AppSettings &, const SecretStore::Result &r) { worst = r; });
    QTRY_VERIFY(worst.has_value());
    QCOMPARE(worst->status, SecretStore::Status::NoBackend);
    QVERIFY(!worst->error.isEmpty());
}

QTEST_MAIN(TestSecretStores)
#include "testSecretStores.moc"
