// SPDX-License-Identifier: MIT
// The assembled tray application offscreen (no tray there, so the fallback window shows): the
// menu's actions start and stop a real server on port 0, the state and tooltip follow, settings
// apply without restarting the app, start-up failures raise one alert, and a missing keychain
// leads to a question, never to a silent fallback.

#include "ApiServer.h"
#include "BridgeController.h"
#include "IntegrationSupport.h"
#include "MainWindow.h"
#include "MemorySecretStore.h"
#include "SettingsDialog.h"
#include "SettingsStore.h"
#include "StubZaiWindow.h"
#include "zai/ZaiClient.h"
#include "TrayApplication.h"
#include "TrayController.h"

#include <QAbstractButton>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkInterface>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>
#include <QToolButton>
#include <QUuid>

#include <csignal>

using namespace Qt::StringLiterals;

class TestTrayApplication : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void menuHoldsTheActions();
    void toggleStartsAndStopsARealServer();
    void firstRunGeneratesAnApiKeyInTheSecretStore();
    void applyReconfiguresOrRestartsOnlyTheServer();
    void proxyPasswordIsSavedAsASecret();
    void portInUseIsAnErrorWithOneAlert();
    void rejectedTokensRaiseOneAlert();
    void missingKeychainAsksBeforeUsingAFile();
    void declinedFallbackKeepsSecretsInMemory();
    void refusingKeychainAsksAndTheKeyStays();
    void openAtLoginWritesAnAutostartEntry();
    void zaiWindowOpensFromTheMenuAndTheSettings();
    void capturedTokenIsStoredLikeATypedOne();
    void captchaSourceIsTheWindowFromTheStart();
    void quitEndsTheEventLoopWithoutATray();
    void terminationSignalShutsDownCleanly();
    void openWindowsComeBackWithTheirEdits();
    void stopDuringAStreamEndsItWithAnErrorEvent();
    void doubleClickTogglesAndAClickOpensTheMenu();
    void firstRunShowsTheAddressesAndTheKey();
    void lanModeShowsTheReachableAddress();
    void headlessVariablesAreSaidToBeIgnored();

private:
    std::unique_ptr<TrayApplication> makeApp(quint16 port = 0, bool start = true,
                                             ZaiWindowLink *zaiWindow = nullptr);
    static QString storedTokens(SecretStore *store);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MemorySecretStore> m_keychain;
};

void TestTrayApplication::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestTrayApplication::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings =
        std::make_unique<QSettings>(m_dir->filePath(u"zaibridge.ini"_s), QSettings::IniFormat);
    m_keychain = std::make_unique<MemorySecretStore>();
}

void TestTrayApplication::cleanup()
{
    m_settings.reset();
    m_keychain.reset();
    m_dir.reset();
}

std::unique_ptr<TrayApplication> TestTrayApplication::makeApp(quint16 port, bool start,
                                                              ZaiWindowLink *zaiWindow)
{
    AppSettings plain;
    plain.port = port;
    plain.startServerAtLaunch = start;
    plain.language = AppSettings::Language::English;
    SettingsStore(m_settings.get(), nullptr).savePlain(plain);
    TrayApplication::Options options;
    options.settings = m_settings.get();
    options.keychain = m_keychain.get();
    options.fallbackSecretsPath = m_dir->filePath(u"secrets.json"_s);
    options.autoStartLocation = m_dir->filePath(u"autostart/zaibridge.desktop"_s);
    options.executable = u"/opt/zaibridge/bin/zaibridge"_s;
    options.zaiWindow = zaiWindow;
    return std::make_unique<TrayApplication>(options, UpstreamProfile::builtIn());
}

void TestTrayApplication::menuHoldsTheActions()
{
    auto app = makeApp(0, false);
    QSignalSpy ready(app.get(), &TrayApplication::ready);
    app->start();
    QTRY_COMPARE(ready.count(), 1);
    QStringList texts;
    for (QAction *action : app->tray()->menu()->actions()) {
        if (!action->isSeparator() && action->isEnabled())
            texts.append(action->text());
    }
    QCOMPARE(texts,
             (QStringList{u"Start server"_s, u"Copy base URL"_s, u"Copy API key"_s, u"Settings…"_s,
                          u"Request log…"_s, u"Open at login"_s, u"About ZaiBridge"_s, u"Quit"_s}));
    QVERIFY(app->tray()->openAtLoginAction()->isCheckable());
    QVERIFY(!app->tray()->signInAction()->isVisible()); // no Z.AI window in this app
    app->openSettings();
    QVERIFY(app->settingsDialog()->findChild<QPushButton *>(u"zaiWindowButton"_s)->isHidden());
    app->settingsDialog()->close();
    // No tray offscreen: the small window with the same controls is shown instead.
    QVERIFY(app->tray()->mainWindow());
    QVERIFY(app->tray()->mainWindow()->isVisible());
    QCOMPARE(app->bridge()->state(), BridgeController::State::Stopped);
    QVERIFY(app->tray()->toolTip().contains(u"stopped"_s));
}

void TestTrayApplication::toggleStartsAndStopsARealServer()
{
    auto app = makeApp(0, true);
    QSignalSpy ready(app.get(), &TrayApplication::ready);
    QSignalSpy states(app->bridge(), &BridgeController::stateChanged);
    app->start();
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    const quint16 port = app->bridge()->port();
    QVERIFY(port != 0);
    QAction *toggle = app->tray()->toggleAction();
    QCOMPARE(toggle->text(), u"Stop server"_s);
    QVERIFY(app->tray()->toolTip().contains(u"serving at http://127.0.0.1:%1/v1"_s.arg(port)));

    const QUrl health(u"http://127.0.0.1:%1/health"_s.arg(port));
    QCOMPARE(Http::get(health).status, 200);

    // Copy base URL: a submenu with each dialect's URL; every copy is confirmed (offscreen: in
    // the fallback window's notice), the key without showing it.
    auto *notice = app->tray()->mainWindow()->findChild<QLabel *>(u"noticeLabel"_s);
    QMenu *urls = app->tray()->copyUrlAction()->menu();
    QVERIFY(urls);
    QCOMPARE(urls->actions(), (QList<QAction *>{app->tray()->copyOpenAiUrlAction(),
                                                app->tray()->copyClaudeUrlAction()}));
    QCOMPARE(app->tray()->copyOpenAiUrlAction()->text(),
             u"For OpenAI clients (Cline, Roo Code, Kilo Code, Codex)"_s);
    QCOMPARE(app->tray()->copyClaudeUrlAction()->text(),
             u"For Claude Code (ANTHROPIC_BASE_URL)"_s);
    app->tray()->copyUrlAction()->trigger(); // the fallback window's button
    QCOMPARE(QApplication::clipboard()->text(), u"http://127.0.0.1:%1/v1"_s.arg(port));
    QVERIFY(notice->text().contains(u"on the clipboard"_s));
    QApplication::clipboard()->clear();
    app->tray()->copyOpenAiUrlAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), u"http://127.0.0.1:%1/v1"_s.arg(port));
    app->tray()->copyClaudeUrlAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), u"http://127.0.0.1:%1"_s.arg(port));
    QVERIFY(notice->text().contains(u"ANTHROPIC_BASE_URL"_s));
    app->tray()->copyKeyAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), app->bridge()->settings().apiKey);
    QVERIFY(notice->text().contains(u"API key is on the clipboard"_s));
    QVERIFY(!notice->text().contains(app->bridge()->settings().apiKey));

    toggle->trigger();
    QCOMPARE(app->bridge()->state(), BridgeController::State::Stopped);
    QVERIFY(!app->bridge()->server()->isRunning());
    QCOMPARE(toggle->text(), u"Start server"_s);
    QCOMPARE(Http::get(health, {}, 2000).status, 0); // nobody listens any more

    toggle->trigger();
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    QCOMPARE(Http::get(QUrl(u"http://127.0.0.1:%1/health"_s.arg(app->bridge()->port()))).status,
             200);
    QCOMPARE(states.count(), 3); // serving, stopped, serving
}

void TestTrayApplication::firstRunGeneratesAnApiKeyInTheSecretStore()
{
    auto app = makeApp(0, false);
    QSignalSpy saved(app.get(), &TrayApplication::secretsSaved);
    app->start();
    QTRY_VERIFY(app->isReady());
    const QString key = app->bridge()->settings().apiKey;
    QVERIFY(key.size() >= 32);
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(m_keychain->contains(SettingsStore::ApiKeyName));
    // Secrets never reach the settings file.
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(key.toUtf8()));

    // The first run also makes the X-Device-Id, kept with the plain settings (not a secret).
    const QString deviceId = app->bridge()->settings().deviceId;
    QVERIFY2(!QUuid::fromString(deviceId).isNull(), qPrintable(deviceId));
    QCOMPARE(SettingsStore(m_settings.get(), nullptr).loadPlain().deviceId, deviceId);

    // The next start reads the same key and the same device id back.
    app.reset();
    auto second = makeApp(0, false);
    second->start();
    QTRY_VERIFY(second->isReady());
    QCOMPARE(second->bridge()->settings().apiKey, key);
    QCOMPARE(second->bridge()->settings().deviceId, deviceId);
}

void TestTrayApplication::applyReconfiguresOrRestartsOnlyTheServer()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    auto app = makeApp(0, true);
    app->start();
    QTRY_VERIFY(app->isReady());
    ApiServer *server = app->bridge()->server();
    QVERIFY(server->isRunning());
    const quint16 port = server->port();
    QSignalSpy restarted(app->bridge(), &BridgeController::serverRestarted);

    // A token and endpoint change: same socket, new upstream side.
    AppSettings s = app->bridge()->settings();
    s.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    const QString token = TestBed::makeToken(u"u-7"_s);
    fake.addValidToken(token);
    s.tokens = {{u"mine"_s, token}};
    app->applySettings(s);
    QCOMPARE(restarted.count(), 0);
    QCOMPARE(server->port(), port);
    QCOMPARE(server->config().tokens, QStringList{token});
    const auto reply = Http::post(QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(port)),
                                  chatBody(u"GLM-4.5"_s, u"hello"_s, false),
                                  {{"Authorization", "Bearer " + s.apiKey.toUtf8()}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(fake.requests(u"/api/v2/chat/completions"_s).last().header("authorization"),
             "Bearer " + token.toUtf8());
    QCOMPARE(fake.requests(u"/api/v2/chat/completions"_s).last().header("x-device-id"),
             s.deviceId.toUtf8()); // the settings' id reaches the upstream

    // A port change needs a new socket: only the server restarts.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 newPort = probe.serverPort();
    probe.close();
    s.port = newPort;
    app->applySettings(s);
    QCOMPARE(restarted.count(), 1);
    QCOMPARE(server->port(), newPort);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    QVERIFY(app->tray()->toolTip().contains(QString::number(newPort)));
    QCOMPARE(SettingsStore(m_settings.get(), nullptr).loadPlain().port, newPort);
}

// Applying a manual proxy with a password: the password goes to the secret store (and nowhere
// in the settings file), the server gets the proxy with it, and the next start has it again.
void TestTrayApplication::proxyPasswordIsSavedAsASecret()
{
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->isReady());
    QVERIFY(!m_keychain->contains(SettingsStore::ProxyPasswordsName));
    AppSettings s = app->bridge()->settings();
    s.proxyMode = AppSettings::ProxyMode::Manual;
    s.httpProxy = QUrl(u"http://alice:proxy-pw-7@127.0.0.1:3128"_s);
    app->applySettings(s);
    QTRY_VERIFY(m_keychain->contains(SettingsStore::ProxyPasswordsName));
    QCOMPARE(app->bridge()->settings().toBridgeConfig().httpProxy.password(), u"proxy-pw-7"_s);
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray text = ini.readAll();
    QVERIFY(!text.contains("proxy-pw-7"));
    QVERIFY(text.contains("alice@127.0.0.1:3128"));

    // What the next start reads (makeApp would overwrite the plain settings, so read them here).
    SettingsStore store(m_settings.get(), m_keychain.get());
    std::optional<AppSettings> loaded;
    store.loadSecrets(store.loadPlain(), this,
                      [&loaded](const AppSettings &a, const SecretStore::Result &) { loaded = a; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->httpProxy, s.httpProxy);
}

void TestTrayApplication::portInUseIsAnErrorWithOneAlert()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    auto app = makeApp(holder.serverPort(), true);
    QSignalSpy alerts(app->bridge(), &BridgeController::alert);
    app->start();
    QTRY_VERIFY(app->isReady());
    QCOMPARE(app->bridge()->state(), BridgeController::State::Error);
    QVERIFY(app->bridge()->errorText().contains(u"already in use"_s));
    QVERIFY(app->tray()->toolTip().contains(u"error"_s));
    // The tooltip: short lines, and no advice for the headless server's command line.
    const QString tip = app->tray()->toolTip();
    QVERIFY2(tip.contains(u'\n'), qPrintable(tip));
    for (const QString &line : tip.split(u'\n'))
        QVERIFY2(line.size() <= 60, qPrintable(line));
    for (const QString &text : {tip, app->bridge()->errorText()}) {
        QVERIFY2(!text.contains(u"--port"_s) && !text.contains(u"LISTEN_PORT"_s), qPrintable(text));
    }
    QCOMPARE(alerts.count(), 1);
    QCOMPARE(alerts.at(0).at(0).toString(), u"start-failed"_s);
    QVERIFY(alerts.at(0).at(2).toString().contains(u"another port"_s));
    // Trying again within the minute fails again, silently.
    app->tray()->toggleAction()->trigger();
    QCOMPARE(app->bridge()->state(), BridgeController::State::Error);
    QCOMPARE(alerts.count(), 1);
    // Choosing a free port in Settings is the fix: Apply starts the server.
    AppSettings s = app->bridge()->settings();
    s.port = 0;
    app->applySettings(s);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    QVERIFY(app->bridge()->port() != holder.serverPort());
}

void TestTrayApplication::rejectedTokensRaiseOneAlert()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    auto app = makeApp(0, true);
    app->start();
    QTRY_VERIFY(app->isReady());
    AppSettings s = app->bridge()->settings();
    s.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    s.tokens = {{u"old"_s, TestBed::makeToken(u"gone-1"_s)},
                {u"older"_s, TestBed::makeToken(u"gone-2"_s)}};
    app->applySettings(s); // neither token is known to the fake: both are rejected
    QSignalSpy alerts(app->bridge(), &BridgeController::alert);
    const QUrl chat(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(app->bridge()->port()));
    const HeaderPairs auth{{"Authorization", "Bearer " + s.apiKey.toUtf8()}};
    const auto first = Http::post(chat, chatBody(u"GLM-4.5"_s, u"hi"_s, false), auth);
    QVERIFY2(first.status == 403 || first.status == 401, first.body.constData());
    QCOMPARE(first.error().value(u"code"_s).toString(), u"upstream_token_rejected"_s);
    QTRY_VERIFY(alerts.count() >= 1);
    QCOMPARE(alerts.at(0).at(0).toString(), u"tokens-rejected"_s);
    QVERIFY(!alerts.at(0).at(2).toString().contains(s.tokens.at(0).token));
    Http::post(chat, chatBody(u"GLM-4.5"_s, u"again"_s, false), auth);
    QTest::qWait(50);
    QCOMPARE(alerts.count(), 1); // once per cause and minute
}

void TestTrayApplication::missingKeychainAsksBeforeUsingAFile()
{
    m_keychain->setFailure(SecretStore::Status::NoBackend);
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->pendingQuestion() != nullptr);
    QVERIFY(!app->isReady()); // nothing happens until the user answers
    QVERIFY(!QFile::exists(m_dir->filePath(u"secrets.json"_s)));
    auto *useFile = app->pendingQuestion()->findChild<QAbstractButton *>(u"useFileButton"_s);
    QVERIFY(useFile);
    useFile->click();
    QTRY_VERIFY(app->isReady());
    const QString path = m_dir->filePath(u"secrets.json"_s);
    QTRY_VERIFY(QFile::exists(path));
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(path) &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
#endif
    QCOMPARE(SettingsStore(m_settings.get(), nullptr).secretFallback(), u"file"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains(app->bridge()->settings().apiKey.toUtf8()));
}

void TestTrayApplication::declinedFallbackKeepsSecretsInMemory()
{
    m_keychain->setFailure(SecretStore::Status::NoBackend);
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->pendingQuestion() != nullptr);
    app->pendingQuestion()->findChild<QAbstractButton *>(u"memoryOnlyButton"_s)->click();
    QTRY_VERIFY(app->isReady());
    const QString key = app->bridge()->settings().apiKey;
    QVERIFY(!key.isEmpty());
    QCOMPARE(SettingsStore(m_settings.get(), nullptr).secretFallback(), u"memory"_s);
    // The tokens stay in memory; the API key, which the user's clients are set up with, goes to
    // the private file so that it is the same after a restart.
    AppSettings s = app->bridge()->settings();
    s.tokens = {{u"mine"_s, u"tok-memory-only-7"_s}};
    app->applySettings(s);
    const QString path = m_dir->filePath(u"secrets.json"_s);
    QTRY_VERIFY(QFile::exists(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains(key.toUtf8()));
    QVERIFY(!text.contains("tok-memory-only-7"));
    app.reset();
    auto second = makeApp(0, false);
    second->start();
    QTRY_VERIFY(second->isReady());
    QVERIFY(!second->pendingQuestion()); // the answer is kept
    QCOMPARE(second->bridge()->settings().apiKey, key);
    QVERIFY(second->bridge()->settings().tokens.isEmpty());
}

// A keychain that is there but refuses to store (a dismissed unlock prompt): no balloon with a
// raw D-Bus error, but the question; whatever the answer, the API key survives a restart.
void TestTrayApplication::refusingKeychainAsksAndTheKeyStays()
{
    for (const QString &button : {u"useFileButton"_s, u"memoryOnlyButton"_s}) {
        cleanup();
        init();
        m_keychain->setWriteFailure(SecretStore::Status::Failed);
        QString key;
        {
            auto app = makeApp(0, false);
            app->start();
            QTRY_VERIFY2(app->pendingQuestion() != nullptr, qPrintable(button));
            QMessageBox *question = app->pendingQuestion();
            QVERIFY(!question->text().contains(u"org.freedesktop"_s));
            QVERIFY(question->detailedText().contains(u"org.freedesktop"_s));
            auto *notice = app->tray()->mainWindow()->findChild<QLabel *>(u"noticeLabel"_s);
            QVERIFY(!notice->text().contains(u"org.freedesktop"_s));
            key = app->bridge()->settings().apiKey;
            QVERIFY(!key.isEmpty());
            std::optional<SecretStore::Status> saved;
            connect(app.get(), &TrayApplication::secretsSaved, this,
                    [&saved](const SecretStore::Result &r) { saved = r.status; });
            question->findChild<QAbstractButton *>(button)->click();
            QTRY_VERIFY(saved.has_value());
            QCOMPARE(*saved, SecretStore::Status::Ok);
        }
        auto second = makeApp(0, false); // the keychain still refuses
        second->start();
        QTRY_VERIFY(second->isReady());
        QVERIFY(!second->pendingQuestion());
        QCOMPARE(second->bridge()->settings().apiKey, key);
    }
}

void TestTrayApplication::openAtLoginWritesAnAutostartEntry()
{
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->isReady());
    const QString entry = m_dir->filePath(u"autostart/zaibridge.desktop"_s);
    QAction *action = app->tray()->openAtLoginAction();
    QVERIFY(!action->isChecked());
    action->trigger();
    QVERIFY(action->isChecked());
#if !defined(Q_OS_WIN)
    QFile file(entry);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("/opt/zaibridge/bin/zaibridge"));
    file.close();
#endif
    action->trigger();
    QVERIFY(!action->isChecked());
    QVERIFY(!QFile::exists(entry));
}

QString TestTrayApplication::storedTokens(SecretStore *store)
{
    QString value;
    bool done = false;
    store->read(SettingsStore::TokensName, store, [&](const SecretStore::Result &r) {
        value = r.value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        qWarning("the secret store did not answer");
    return value;
}

void TestTrayApplication::zaiWindowOpensFromTheMenuAndTheSettings()
{
    StubZaiWindow window;
    auto app = makeApp(0, false, &window);
    app->start();
    QTRY_VERIFY(app->isReady());
    QAction *signIn = app->tray()->signInAction();
    QVERIFY(signIn->isVisible());
    QVERIFY(signIn->isEnabled());
    QCOMPARE(signIn->text(), u"Sign in to Z.AI…"_s);
    // The chat page of the configured endpoint (here the profile's).
    QCOMPARE(window.origin, QUrl(u"https://chat.z.ai"_s));
    signIn->trigger();
    QCOMPARE(window.opened, 1);

    app->openSettings();
    auto *button = app->settingsDialog()->findChild<QPushButton *>(u"zaiWindowButton"_s);
    QVERIFY(button);
    QVERIFY(!button->isHidden()); // on the Z.AI page
    button->click();
    QCOMPARE(window.opened, 2);

    // Another endpoint, another chat page.
    AppSettings s = app->bridge()->settings();
    s.endpoint = u"http://127.0.0.1:9/api/v2/chat/completions"_s;
    app->applySettings(s);
    QCOMPARE(window.origin, QUrl(u"http://127.0.0.1:9"_s));
}

void TestTrayApplication::capturedTokenIsStoredLikeATypedOne()
{
    StubZaiWindow window;
    auto app = makeApp(0, false, &window);
    // Captured before the secrets are read: kept until then, never written over them.
    const QString first = u"eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFubkBleGFtcGxlLmNvbSJ9.c2ln"_s;
    Q_EMIT window.tokenCaptured(first, u"ann@example.com"_s);
    QVERIFY(app->bridge()->settings().tokens.isEmpty());
    app->start();
    QTRY_VERIFY(app->isReady());
    QCOMPARE(app->bridge()->settings().tokens,
             (QList<TokenEntry>{{u"ann@example.com"_s, first}}));
    QTRY_VERIFY(storedTokens(m_keychain.get()).contains(first));
    QVERIFY(!app->bridge()->settings().apiKey.isEmpty()); // the first run's key is kept too
    // The notice says so (offscreen: in the fallback window).
    auto *notice = app->tray()->mainWindow()->findChild<QLabel *>(u"noticeLabel"_s);
    QVERIFY(notice->text().contains(u"Signed in to Z.AI"_s));
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(first.toUtf8()));

    // The same account signs in again with a new token: it replaces the old one; a typed
    // token of another account stays. An open settings dialog shows the new token at once.
    AppSettings s = app->bridge()->settings();
    s.tokens.append({u"typed"_s, u"typed-token"_s});
    app->applySettings(s);
    app->openSettings();
    const QString second = first + u"2"_s;
    Q_EMIT window.tokenCaptured(second, u"ann@example.com"_s);
    QCOMPARE(app->bridge()->settings().tokens,
             (QList<TokenEntry>{{u"ann@example.com"_s, second}, {u"typed"_s, u"typed-token"_s}}));
    QTRY_VERIFY(storedTokens(m_keychain.get()).contains(second));
    QCOMPARE(app->settingsDialog()->settings().tokens, app->bridge()->settings().tokens);
    // A token without an e-mail gets the window's label.
    Q_EMIT window.tokenCaptured(u"opaque"_s, QString());
    QCOMPARE(app->bridge()->settings().tokens.last(), (TokenEntry{u"Z.AI window"_s, u"opaque"_s}));
    QCOMPARE(app->settingsDialog()->settings().tokens.size(), 3);
}

void TestTrayApplication::captchaSourceIsTheWindowFromTheStart()
{
    // With the Z.AI window built in, its page is the bridge's captcha source from the start (it
    // loads in the background when Z.AI first asks), and Settings → Test's.
    FakeZaiServer fake;
    QVERIFY(fake.start());
    fake.setCaptchaRequired(true);
    {
        StubZaiWindow window;
        QVERIFY(!window.hasSession());
        auto app = makeApp(0, true, &window);
        app->start();
        QTRY_VERIFY(app->isReady());
        QCOMPARE(app->bridge()->server()->client()->captchaSource(), &window.source);
        app->openSettings();
        QCOMPARE(app->settingsDialog()->captchaSource(), &window.source);
        app->settingsDialog()->close(); // deleted on close
        QTRY_VERIFY(!app->settingsDialog());
    }
    // A build without the window: a captcha request fails at once, and the notice says how the
    // headless server gets verifications.
    m_settings->clear();
    auto app = makeApp(0, true, nullptr);
    AppSettings plain = SettingsStore(m_settings.get(), nullptr).loadPlain();
    plain.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    SettingsStore(m_settings.get(), nullptr).savePlain(plain);
    app->start();
    QTRY_VERIFY(app->isReady());
    QVERIFY(!app->bridge()->server()->client()->captchaSource());
    const HeaderPairs auth{{"Authorization", "Bearer " + app->bridge()->settings().apiKey.toUtf8()}};
    const QUrl chat(app->bridge()->baseUrl() + u"/chat/completions"_s);
    const HttpResponse refused = Http::post(chat, chatBody(u"GLM-4.5"_s, u"hi"_s, false), auth);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.error().value("code"_L1).toString(), u"captcha_required"_s);
    auto *notice = app->tray()->mainWindow()->findChild<QLabel *>(u"noticeLabel"_s);
    QTRY_VERIFY(notice->text().contains(u"Z.AI asks for a captcha"_s));
    QVERIFY(notice->text().contains(u"ZAI_CAPTCHA_COMMAND"_s));
}

// Quit in the fallback window (offscreen there is no tray) ends the application's event loop:
// the window's close handling (it minimises itself without a tray) must not veto it.
void TestTrayApplication::quitEndsTheEventLoopWithoutATray()
{
    auto app = makeApp(0, true);
    app->start();
    QTRY_VERIFY(app->isReady());
    QVERIFY(app->tray()->mainWindow()->isVisible());
    auto *quit = app->tray()->mainWindow()->findChild<QToolButton *>(u"quitButton"_s);
    QVERIFY(quit);
    QTimer::singleShot(0, quit, &QToolButton::click);
    QTimer watchdog; // only if Quit did not end the loop
    watchdog.setSingleShot(true);
    connect(&watchdog, &QTimer::timeout, qApp, [] { QCoreApplication::exit(99); });
    watchdog.start(5000);
    QCOMPARE(QApplication::exec(), 0);
    QVERIFY(!app->bridge()->isRunning());
}

// SIGTERM (a logout, `kill`, systemd) stops the server, saves the settings and ends the loop.
void TestTrayApplication::terminationSignalShutsDownCleanly()
{
#ifdef Q_OS_UNIX
    auto app = makeApp(0, true);
    app->start();
    QTRY_VERIFY(app->isReady());
    const quint16 port = app->bridge()->port();
    AppSettings s = app->bridge()->settings();
    s.maxRetries = 7;
    app->bridge()->setSettings(s); // applied, not yet written (as by a path that saves later)
    QTimer::singleShot(0, [] { std::raise(SIGTERM); });
    QTimer watchdog;
    watchdog.setSingleShot(true);
    connect(&watchdog, &QTimer::timeout, qApp, [] { QCoreApplication::exit(99); });
    watchdog.start(5000);
    QCOMPARE(QApplication::exec(), 0);
    QVERIFY(!app->bridge()->isRunning());
    QCOMPARE(Http::get(QUrl(u"http://127.0.0.1:%1/health"_s.arg(port)), {}, 2000).status, 0);
    QCOMPARE(SettingsStore(m_settings.get(), nullptr).loadPlain().maxRetries, 7);
#else
    QSKIP("POSIX signals");
#endif
}

// Settings… from the menu and a second launch bring back the open settings window (restored
// when minimised) with what the user typed; a minimised fallback window is restored too.
void TestTrayApplication::openWindowsComeBackWithTheirEdits()
{
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->isReady());
    app->openSettings();
    SettingsDialog *dialog = app->settingsDialog();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *port = dialog->findChild<QLineEdit *>(u"portEdit"_s);
    QVERIFY(port);
    port->setText(u"18461"_s); // typed, not applied
    dialog->showMinimized();
    QVERIFY(dialog->isMinimized());
    app->tray()->settingsAction()->trigger();
    QCOMPARE(app->settingsDialog(), dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isMinimized());
    QCOMPARE(port->text(), u"18461"_s);

    // A second launch (SingleInstance's activation): the open window, not the menu.
    dialog->showMinimized();
    app->bringToFront();
    QVERIFY(!dialog->isMinimized());
    QVERIFY(!app->tray()->menu()->isVisible());
    QCOMPARE(port->text(), u"18461"_s);
    dialog->close(); // deleted on close
    QTRY_VERIFY(!app->settingsDialog());

    // Offscreen the fallback window stands for the tray: minimised, a second launch restores it.
    MainWindow *window = app->tray()->mainWindow();
    window->showMinimized();
    QVERIFY(window->isMinimized());
    app->bringToFront();
    QVERIFY(window->isVisible());
    QVERIFY(!window->isMinimized());
}

// Stop server (or Quit) while a client streams: the stream ends with the dialect's error event
// saying that the server was stopped, for the OpenAI and the Anthropic dialect alike.
void TestTrayApplication::stopDuringAStreamEndsItWithAnErrorEvent()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    fake.setDefaultChunks(200);
    fake.setDefaultDelayMs(40); // a long, slow answer
    auto app = makeApp(0, true);
    app->start();
    QTRY_VERIFY(app->isReady());
    AppSettings s = app->bridge()->settings();
    s.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    app->applySettings(s);
    const HeaderPairs auth{{"Authorization", "Bearer " + s.apiKey.toUtf8()}};
    const QByteArray anthropic = QJsonDocument(QJsonObject{
        {u"model"_s, u"GLM-4.5"_s}, {u"max_tokens"_s, 100}, {u"stream"_s, true},
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                               {u"content"_s, u"a long answer"_s}}}}})
                                     .toJson(QJsonDocument::Compact);
    for (const auto &[path, body] :
         {std::pair{QByteArray("/v1/chat/completions"),
                    chatBody(u"GLM-4.5"_s, u"a long answer"_s, true)},
          std::pair{QByteArray("/v1/messages"), anthropic}}) {
        if (!app->bridge()->isRunning())
            app->tray()->toggleAction()->trigger();
        RawClient client;
        QVERIFY(client.connectTo(app->bridge()->port()));
        client.sendRequest("POST", path, body, auth);
        // Some of the answer has arrived: the stream is open.
        QVERIFY2(client.waitFor([](const HttpResponse &r) { return r.body.count("data:") >= 3; }),
                 path.constData());
        QCOMPARE(client.current().status, 200);
        app->tray()->toggleAction()->trigger(); // Stop server
        QVERIFY(!app->bridge()->isRunning());
        const HttpResponse response = client.readResponse(5000);
        QVERIFY2(response.complete, response.body.right(300).constData());
        QList<SseEvent> events = Sse::parse(response.body);
        events.removeIf([](const SseEvent &e) { return e.comment; });
        QVERIFY(!events.isEmpty());
        const SseEvent &last = events.last();
        // The data line (an Anthropic event has its event line first).
        const QJsonObject json =
            QJsonDocument::fromJson(last.raw.mid(last.raw.indexOf("data:") + 5)).object();
        QVERIFY2(json.value(u"error"_s).toObject().value(u"message"_s).toString().contains(
                     u"server was stopped"_s),
                 last.raw.constData());
        if (path == "/v1/messages")
            QVERIFY2(last.raw.startsWith("event: error"), last.raw.constData());
    }
}

// The tray icon's gestures as QSystemTrayIcon reports them (a double click arrives as Trigger,
// then DoubleClick): the double click toggles the server and no menu is left open to swallow
// it; a single click opens the menu once the double-click interval has passed.
void TestTrayApplication::doubleClickTogglesAndAClickOpensTheMenu()
{
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->isReady());
    TrayController *tray = app->tray();
    QMenu *menu = tray->menu();
    QCOMPARE(app->bridge()->state(), BridgeController::State::Stopped);
    tray->activate(QSystemTrayIcon::Trigger);
    QVERIFY(!menu->isVisible()); // not yet: a second click may follow
    tray->activate(QSystemTrayIcon::DoubleClick);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    QTest::qWait(QApplication::doubleClickInterval() + 200);
    QVERIFY(!menu->isVisible());
    tray->activate(QSystemTrayIcon::Trigger);
    tray->activate(QSystemTrayIcon::DoubleClick);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Stopped);
#if !defined(Q_OS_MACOS)
    tray->activate(QSystemTrayIcon::Trigger);
    QTRY_VERIFY(menu->isVisible());
    menu->hide();
#endif
    tray->activate(QSystemTrayIcon::MiddleClick);
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
}

// The first run says more than a new icon: a notice with both base URLs and the key.
void TestTrayApplication::firstRunShowsTheAddressesAndTheKey()
{
    QString key;
    {
        auto app = makeApp(0, true);
        app->start();
        QTRY_VERIFY(app->isReady());
        QMessageBox *notice = app->firstRunNotice();
        QVERIFY(notice);
        QVERIFY(QTest::qWaitForWindowExposed(notice));
        key = app->bridge()->settings().apiKey;
        const quint16 port = app->bridge()->port();
        QVERIFY2(notice->text().contains(u"http://127.0.0.1:%1/v1"_s.arg(port)),
                 qPrintable(notice->text()));
        QVERIFY(notice->text().contains(u"ANTHROPIC_BASE_URL=http://127.0.0.1:%1<"_s.arg(port)));
        QVERIFY(notice->text().contains(key));
    }
    auto second = makeApp(0, true); // not the first run any more
    second->start();
    QTRY_VERIFY(second->isReady());
    QCOMPARE(second->bridge()->settings().apiKey, key);
    QVERIFY(!second->firstRunNotice());
}

QStringList lanAddressesOfThisMachine()
{
    QStringList addresses;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
            && !address.isLinkLocal())
            addresses.append(address.toString());
    }
    return addresses;
}

// With LAN access the tray says where other computers reach the bridge, not only 127.0.0.1.
void TestTrayApplication::lanModeShowsTheReachableAddress()
{
    const QStringList addresses = lanAddressesOfThisMachine();
    if (addresses.isEmpty())
        QSKIP("this machine has no network address besides loopback");
    AppSettings plain;
    plain.port = 0;
    plain.lanAccess = true;
    plain.language = AppSettings::Language::English;
    auto app = makeApp(0, true);
    SettingsStore(m_settings.get(), nullptr).savePlain(plain);
    app->start();
    QTRY_VERIFY(app->isReady());
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    const quint16 port = app->bridge()->port();
    for (const QString &address : addresses) {
        const QString url = u"http://%1:%2/v1"_s.arg(address).arg(port);
        QVERIFY2(app->tray()->toolTip().contains(url), qPrintable(app->tray()->toolTip()));
        QVERIFY2(app->firstRunNotice()->text().contains(url),
                 qPrintable(app->firstRunNotice()->text()));
        auto *state = app->tray()->mainWindow()->findChild<QLabel *>(u"stateText"_s);
        QVERIFY2(state->text().contains(url), qPrintable(state->text()));
    }
    // It answers there (with the key).
    const HeaderPairs auth{{"Authorization", "Bearer " + app->bridge()->settings().apiKey.toUtf8()}};
    QCOMPARE(Http::get(QUrl(u"http://%1:%2/v1/models"_s.arg(addresses.first()).arg(port)), auth)
                 .status,
             200);
}

// The headless server's variables do nothing in the tray app, and it says so.
void TestTrayApplication::headlessVariablesAreSaidToBeIgnored()
{
    qputenv("API_ENDPOINT", "http://127.0.0.1:9/api/v2/chat/completions");
    qputenv("LISTEN_PORT", "9");
    auto app = makeApp(0, false);
    app->start();
    QTRY_VERIFY(app->isReady());
    qunsetenv("API_ENDPOINT");
    qunsetenv("LISTEN_PORT");
    auto *notice = app->tray()->mainWindow()->findChild<QLabel *>(u"noticeLabel"_s);
    QVERIFY2(notice->text().contains(u"API_ENDPOINT"_s), qPrintable(notice->text()));
    QVERIFY(notice->text().contains(u"LISTEN_PORT"_s));
    QVERIFY(notice->text().contains(u"Settings"_s));
    QVERIFY(app->bridge()->settings().endpoint.isEmpty()); // not taken, as it says
}

QTEST_MAIN(TestTrayApplication)
#include "testTrayApplication.moc"
