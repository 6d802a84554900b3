// SPDX-License-Identifier: MIT
// KeychainSecretStore against a real Secret Service: run by run-with-keyring.sh inside a private
// D-Bus session with an unlocked gnome-keyring and a throw-away HOME.

#include "KeychainSecretStore.h"
#include "SettingsStore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void writeReadRemove();
    void settingsStoreUsesTheKeychain();

private:
    SecretStore::Result run(const std::function<void(SecretStore::Callback)> &call);
};

void TestKeychain::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("no session bus: run this test through tests/gui/run-with-keyring.sh");
}

SecretStore::Result TestKeychain::run(const std::function<void(SecretStore::Callback)> &call)
{
    std::optional<SecretStore::Result> result;
    call([&result](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return {SecretStore::Status::Failed, {}, u"timeout"_s};
    return *result;
}

void TestKeychain::writeReadRemove()
{
    KeychainSecretStore store(u"ZaiBridgeTest"_s);
    const QString key = u"api-key"_s;
    auto r = run([&](auto cb) { store.read(key, this, cb); });
    QCOMPARE(r.status, SecretStore::Status::NotFound);
    r = run([&](auto cb) { store.write(key, u"sk-keychain-secret"_s, this, cb); });
    QVERIFY2(r.status == SecretStore::Status::Ok, qPrintable(r.error));
    r = run([&](auto cb) { store.read(key, this, cb); });
    QVERIFY2(r.status == SecretStore::Status::Ok, qPrintable(r.error));
    QCOMPARE(r.value, u"sk-keychain-secret"_s);
    // A second store object (a new process would be the same) sees it too.
    KeychainSecretStore other(u"ZaiBridgeTest"_s);
    QCOMPARE(run([&](auto cb) { other.read(key, this, cb); }).value, u"sk-keychain-secret"_s);
    r = run([&](auto cb) { store.remove(key, this, cb); });
    QCOMPARE(r.status, SecretStore::Status::Ok);
    QCOMPARE(run([&](auto cb) { store.read(key, this, cb); }).status,
             SecretStore::Status::NotFound);
}

void TestKeychain::settingsStoreUsesTheKeychain()
{
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"z.ini"_s), QSettings::IniFormat);
    KeychainSecretStore keychain(u"ZaiBridgeTest"_s);
    SettingsStore store(&ini, &keychain);
    AppSettings s;
    s.apiKey = u"sk-kc"_s;
    s.tokens = {{u"work"_s, u"tok-kc-1"_s}};
    std::optional<SecretStore::Result> saved;
    store.saveSecrets(s, this, [&saved](const SecretStore::Result &r) { saved = r; });
    QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 20000);
    QVERIFY2(saved->status == SecretStore::Status::Ok, qPrintable(saved->error));
    std::optional<AppSettings> loaded;
    store.loadSecrets(AppSettings{}, this,
                      [&loaded](const AppSettings &a, const SecretStore::Result &) { loaded = a; });
    QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 20000);
    QCOMPARE(loaded->apiKey, u"sk-kc"_s);
    QCOMPARE(loaded->tokens, s.tokens);
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "testKeychain.moc"
