// SPDX-License-Identifier: MIT
// KeychainSecretStore against a real Secret Service: run by run-with-keyring.sh inside a private
// D-Bus session with an unlocked gnome-keyring and a throw-away HOME.

#include "KeychainSecretStore.h"
#include "BridgeController.h"
#include "SettingsStore.h"
#include "TrayApplication.h"

#include <QAbstractButton>
#include <QFile>
#include <QMessageBox>
#include <QProcess>

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
    void lockedKeychainBringsTheChoiceAndTheKeyStays(); // last: it locks the collection

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

// The Secret Service is there but its collection is locked and nobody can unlock it (no
// prompter in this session, as when a user dismisses the unlock prompt): the tray app asks
// where the secrets go instead of showing the D-Bus error, and the API key survives a restart.
void TestKeychain::lockedKeychainBringsTheChoiceAndTheKeyStays()
{
    QProcess gdbus;
    gdbus.start(u"gdbus"_s,
                {u"call"_s, u"--session"_s, u"--dest"_s, u"org.freedesktop.secrets"_s,
                 u"--object-path"_s, u"/org/freedesktop/secrets"_s, u"--method"_s,
                 u"org.freedesktop.Secret.Service.Lock"_s,
                 u"['/org/freedesktop/secrets/collection/login']"_s});
    if (!gdbus.waitForFinished(10000) || gdbus.exitCode() != 0)
        QSKIP("cannot lock the keyring collection (gdbus)");
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"z.ini"_s), QSettings::IniFormat);
    AppSettings plain;
    plain.port = 0;
    plain.startServerAtLaunch = false;
    plain.language = AppSettings::Language::English;
    SettingsStore(&ini, nullptr).savePlain(plain);
    KeychainSecretStore keychain(u"ZaiBridgeLockedTest"_s);
    TrayApplication::Options options;
    options.settings = &ini;
    options.keychain = &keychain;
    options.fallbackSecretsPath = dir.filePath(u"secrets.json"_s);
    options.autoStartLocation = dir.filePath(u"autostart.desktop"_s);
    options.executable = u"zaibridge"_s;
    QString key;
    {
        TrayApplication app(options, UpstreamProfile::builtIn());
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.pendingQuestion() != nullptr, 20000);
        QMessageBox *question = app.pendingQuestion();
        qInfo().noquote() << "the keychain said:" << question->detailedText();
        QVERIFY(!question->detailedText().isEmpty());
        QVERIFY(!question->text().contains(question->detailedText()));
        key = app.bridge()->settings().apiKey; // empty when the read was refused
        question->findChild<QAbstractButton *>(u"memoryOnlyButton"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(app.isReady(), 20000);
        key = app.bridge()->settings().apiKey;
        QVERIFY(!key.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(options.fallbackSecretsPath), 20000);
    }
    TrayApplication again(options, UpstreamProfile::builtIn());
    again.start();
    QTRY_VERIFY_WITH_TIMEOUT(again.isReady(), 20000);
    QVERIFY(!again.pendingQuestion());
    QCOMPARE(again.bridge()->settings().apiKey, key);
}

QTEST_MAIN(TestKeychain)
#include "testKeychain.moc"
