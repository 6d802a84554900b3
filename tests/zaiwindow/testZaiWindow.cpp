// SPDX-License-Identifier: MIT
// The Z.AI window (zai-protocol.md P.11) in a real X server against the fake upstream's chat page,
// which loads a stand-in for Aliyun's captcha SDK with the same interface: the sign-in's token
// reaches the tray app's secret store; a traceless verification gives a verify parameter the fake
// minted, without showing the window; a challenge brings the window to the front with a
// notification and is answered once the "human" (this test) clicks the slider; a failure names
// the window; a withdrawn ask leaves nothing behind. With ZB_SCREENSHOT_DIR set, the challenge is
// saved as zai-window.png for the README.

#include "BridgeController.h"
#include "FakeZaiServer.h"
#include "IntegrationSupport.h"
#include "MemorySecretStore.h"
#include "SettingsStore.h"
#include "TokenCapture.h"
#include "TrayApplication.h"
#include "TrayController.h"
#include "WindowCaptchaSource.h"
#include "ZaiWindow.h"
#include "ZaiWindowController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkCookie>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineUrlRequestInterceptor>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int Wait = 20000; // every wait is bounded: a page load, a verification

QString jwt(const QJsonObject &claims)
{
    const auto part = [](const QByteArray &json) {
        return QString::fromLatin1(
            json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return part(R"({"alg":"HS256","typ":"JWT"})"_ba) + u'.' +
           part(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + u".c2ln"_s;
}

// The fake's pages name the real service's CDN for their assets: the test stays on loopback.
class LoopbackOnly : public QWebEngineUrlRequestInterceptor
{
public:
    using QWebEngineUrlRequestInterceptor::QWebEngineUrlRequestInterceptor;
    void interceptRequest(QWebEngineUrlRequestInfo &info) override
    {
        const QString host = info.requestUrl().host();
        if (host != u"127.0.0.1" && host != u"localhost")
            info.block(true);
    }
};

// The answers one ticket gave, counted without keeping a pointer to it.
struct Answers
{
    QStringList ready;
    QStringList failed;
    int waiting = 0;
};

} // namespace

class TestZaiWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void guestTokensAreNoAccounts();
    void signInHandsTheTokenToTheSecretStore();
    void tracelessVerificationNeedsNoWindow();
    void challengeBringsTheWindowAndWaitsForTheHuman();
    void failureNamesTheWindow();
    void withdrawnAskLeavesNothingBehind();
    void asksAreAnsweredOneAfterTheOther();
    void reloadUnderAnAskStartsItAgain();
    void firstRequestLoadsTheWindowInTheBackground();
    void bridgeRequestWaitsForTheHuman();
    void bridgeRequestTimesOutWithTheError();

private:
    // The tray app assembled around the window, secrets in memory, upstream the fake.
    std::unique_ptr<TrayApplication> makeApp(const UpstreamProfile &profile, bool serve);
    static UpstreamProfile profileWaiting(int seconds);
    HttpResponse chat(TrayApplication &app, int timeoutMs = 20000);
    CaptchaAsk ask() const;
    CaptchaTicket *obtain(Answers *answers);
    QVariant js(const QString &script);

    LoopbackOnly m_loopbackOnly;
    std::unique_ptr<QTemporaryDir> m_root;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeZaiServer> m_fake;
    std::unique_ptr<ZaiWindowController> m_controller;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MemorySecretStore> m_keychain;
    QString m_shots;
};

void TestZaiWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_shots = qEnvironmentVariable("ZB_SCREENSHOT_DIR");
    QCOMPARE(QGuiApplication::platformName(), u"xcb"_s);
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
}

void TestZaiWindow::cleanupTestCase()
{
    // Qt WebEngine finishes writing a profile's files after the profile is gone.
    QTest::qWait(1000);
    m_root.reset();
}

void TestZaiWindow::init()
{
    // One folder per test (a new profile each time) under one removed at the end.
    m_dir = std::make_unique<QTemporaryDir>(m_root->filePath(u"test-XXXXXX"_s));
    QVERIFY(m_dir->isValid());
    m_dir->setAutoRemove(false);
    m_fake = std::make_unique<FakeZaiServer>();
    QVERIFY2(m_fake->start(), qPrintable(m_fake->errorString()));
    m_fake->setChatPageAtRoot(true); // the origin's page is the chat, as on chat.z.ai
    m_controller = std::make_unique<ZaiWindowController>(m_dir->filePath(u"zai-window"_s));
    m_controller->setOrigin(m_fake->baseUrl());
    connect(m_controller.get(), &ZaiWindowLink::sessionStarted, this, [this] {
        m_controller->window()->profile()->setUrlRequestInterceptor(&m_loopbackOnly);
    });
}

void TestZaiWindow::cleanup()
{
    m_settings.reset();
    m_keychain.reset();
    m_controller.reset();
    m_fake.reset();
    m_dir.reset();
}

CaptchaAsk TestZaiWindow::ask() const
{
    CaptchaAsk a;
    a.reason = u"Z.AI asked for a captcha (FRONTEND_CAPTCHA_REQUIRED)"_s;
    a.region = u"sgp"_s;
    a.prefix = u"no8xfe"_s;
    a.sceneId = u"didk33e0"_s;
    a.scriptUrl = m_fake->baseUrl().resolved(QUrl(u"/__fake/AliyunCaptcha.js"_s));
    a.origin = m_fake->baseUrl();
    a.waitSeconds = 20;
    return a;
}

CaptchaTicket *TestZaiWindow::obtain(Answers *answers)
{
    CaptchaTicket *ticket = m_controller->captchaSource()->obtain(ask(), this);
    connect(ticket, &CaptchaTicket::ready, this,
            [answers](const QString &param) { answers->ready.append(param); });
    connect(ticket, &CaptchaTicket::failed, this,
            [answers](const QString &message) { answers->failed.append(message); });
    connect(ticket, &CaptchaTicket::waitingForUser, this, [answers] { ++answers->waiting; });
    return ticket;
}

QVariant TestZaiWindow::js(const QString &script)
{
    QVariant result;
    bool done = false;
    m_controller->window()->page()->runJavaScript(script, QWebEngineScript::MainWorld,
                                                  [&](const QVariant &value) {
                                                      result = value;
                                                      done = true;
                                                  });
    if (!QTest::qWaitFor([&] { return done; }, Wait))
        qWarning("runJavaScript gave no result in time: %s", qPrintable(script));
    return result;
}

void TestZaiWindow::guestTokensAreNoAccounts()
{
    const QString account = jwt({{"id"_L1, u"u-1"_s}, {"email"_L1, u"ann@example.com"_s}});
    const QString guest =
        jwt({{"id"_L1, u"g-1"_s}, {"email"_L1, u"Guest-1763200000123@guest.com"_s}});
    QCOMPARE(TokenCapture::accountOf(account), u"ann@example.com"_s);
    QVERIFY(!TokenCapture::isGuest(account));
    QVERIFY(TokenCapture::isGuest(guest));
    QVERIFY(!TokenCapture::isGuest(u"opaque-token"_s));
    QCOMPARE(TokenCapture::accountOf(u"opaque-token"_s), QString());

    QNetworkCookie cookie("token", "x");
    cookie.setDomain(u"chat.z.ai"_s);
    QVERIFY(TokenCapture::isTokenCookie(cookie, u"chat.z.ai"_s));
    QVERIFY(!TokenCapture::isTokenCookie(cookie, u"evil.example"_s));
    cookie.setDomain(u".z.ai"_s);
    QVERIFY(TokenCapture::isTokenCookie(cookie, u"chat.z.ai"_s));
    QVERIFY(!TokenCapture::isTokenCookie(QNetworkCookie("session", "x"), u"chat.z.ai"_s));

    // In the page: a guest token set by script is not taken for an account.
    QSignalSpy captured(m_controller.get(), &ZaiWindowLink::tokenCaptured);
    m_controller->open();
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->window()->isShowing(m_fake->baseUrl()), Wait);
    js(u"document.cookie = 'token=%1; path=/'; true"_s.arg(guest));
    QTest::qWait(500);
    QCOMPARE(captured.count(), 0);
}

void TestZaiWindow::signInHandsTheTokenToTheSecretStore()
{
    auto app = makeApp(UpstreamProfile::builtIn(), false);
    QSignalSpy saved(app.get(), &TrayApplication::secretsSaved);
    app->start();
    QTRY_VERIFY(app->isReady());
    QTRY_COMPARE(saved.count(), 1); // the first run's API key
    QVERIFY(app->tray()->signInAction()->isVisible());
    QCOMPARE(app->tray()->signInAction()->text(), u"Sign in to Z.AI…"_s);
    QCOMPARE(m_controller->origin(), m_fake->baseUrl());

    // The menu opens the window on the chat page; the user signs in there.
    QSignalSpy captured(m_controller.get(), &ZaiWindowLink::tokenCaptured);
    app->tray()->signInAction()->trigger();
    ZaiWindow *window = m_controller->window();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_VERIFY_WITH_TIMEOUT(window->isShowing(m_fake->baseUrl()), Wait);
    QCOMPARE(js(u"document.getElementById('zb-fake-chat').dataset.signedIn"_s).toString(),
             u"false"_s);
    js(u"document.getElementById('zb-fake-sign-in').click(); true"_s);
    QTRY_COMPARE_WITH_TIMEOUT(captured.count(), 1, Wait);
    const QString token = m_fake->signInToken();
    QCOMPARE(captured.at(0).at(0).toString(), token);
    QCOMPARE(captured.at(0).at(1).toString(), u"zb-fake-user@example.com"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->isShowing(m_fake->baseUrl()), Wait);
    QCOMPARE(js(u"document.getElementById('zb-fake-chat').dataset.signedIn"_s).toString(),
             u"true"_s);

    // Stored like a typed token: in the settings the bridge runs with, and in the secret store.
    const QList<TokenEntry> tokens = app->bridge()->settings().tokens;
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.at(0).token, token);
    QCOMPARE(tokens.at(0).label, u"zb-fake-user@example.com"_s);
    QTRY_COMPARE(saved.count(), 2);
    QVERIFY(m_keychain->contains(SettingsStore::TokensName));
    QString stored;
    m_keychain->read(SettingsStore::TokensName, this,
                  [&stored](const SecretStore::Result &r) { stored = r.value; });
    QTRY_VERIFY(!stored.isEmpty());
    QVERIFY(stored.contains(token));
    // Never in the plain settings file.
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(token.toUtf8()));

    // Signing out in the window is noticed (the stored token stays until removed in Settings).
    QSignalSpy signedOut(m_controller.get(), &ZaiWindowLink::signedOut);
    js(u"document.getElementById('zb-fake-sign-out').click(); true"_s);
    QTRY_COMPARE_WITH_TIMEOUT(signedOut.count(), 1, Wait);
    QCOMPARE(app->bridge()->settings().tokens.size(), 1);
    // A sign-in again hands over the same token: nothing changes.
    QTRY_VERIFY_WITH_TIMEOUT(window->isShowing(m_fake->baseUrl()), Wait);
    js(u"document.getElementById('zb-fake-sign-in').click(); true"_s);
    QTRY_COMPARE_WITH_TIMEOUT(captured.count(), 2, Wait);
    QCOMPARE(app->bridge()->settings().tokens.size(), 1);

    // The next start of the window's session hands over the same token: nothing changes.
    m_controller->setOrigin(QUrl(u"http://localhost:1"_s));
    m_controller->setOrigin(m_fake->baseUrl());
    QTest::qWait(500);
    QCOMPARE(app->bridge()->settings().tokens.size(), 1);
    QCOMPARE(saved.count(), 2);
}

void TestZaiWindow::tracelessVerificationNeedsNoWindow()
{
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Traceless);
    QSignalSpy attention(m_controller.get(), &ZaiWindowLink::attentionNeeded);
    const int minted = m_fake->mintedCaptchaParams();
    Answers answers;
    CaptchaTicket *ticket = obtain(&answers);
    QVERIFY(answers.ready.isEmpty()); // never from inside obtain()
    QTRY_COMPARE_WITH_TIMEOUT(answers.ready.size(), 1, Wait);
    QVERIFY(answers.failed.isEmpty());
    QCOMPARE(answers.waiting, 0);
    QVERIFY(!answers.ready.at(0).isEmpty());
    // The parameter is one the fake's SDK stand-in minted for this ask (the page's own instance
    // verifies only on Send).
    QCOMPARE(m_fake->mintedCaptchaParams(), minted + 1);
    // Made in the background: the window was never shown, nobody was bothered.
    QVERIFY(m_controller->window());
    QVERIFY(!m_controller->window()->isVisible());
    QCOMPARE(attention.count(), 0);
    // The page is left as it was: the container is gone.
    QTRY_COMPARE_WITH_TIMEOUT(js(u"document.querySelectorAll('[data-zb-captcha]').length"_s)
                                  .toInt(),
                              0, Wait);
    delete ticket;
}

void TestZaiWindow::challengeBringsTheWindowAndWaitsForTheHuman()
{
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    QSignalSpy attention(m_controller.get(), &ZaiWindowLink::attentionNeeded);
    Answers answers;
    CaptchaTicket *ticket = obtain(&answers);
    QTRY_COMPARE_WITH_TIMEOUT(answers.waiting, 1, Wait);
    QVERIFY(answers.ready.isEmpty());
    ZaiWindow *window = m_controller->window();
    QVERIFY(window->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QCOMPARE(attention.count(), 1);
    QVERIFY(attention.at(0).at(0).toString().contains(u"verification"_s));
    QVERIFY(m_controller->windowCaptchaSource()->isWaitingForUser());
    QCOMPARE(js(u"getComputedStyle(document.querySelector('[data-zb-captcha]')).visibility"_s)
                 .toString(),
             u"visible"_s);
    QCOMPARE(js(u"!!document.querySelector('[data-zb-captcha] #zb-fake-slider')"_s).toBool(),
             true);

    if (!m_shots.isEmpty()) {
        window->resize(820, 460); // the README's size
        QTest::qWait(1000);       // the page's paint reaches the X server
        QScreen *screen = window->screen();
        const QRect frame = window->frameGeometry();
        const QImage shot = screen->grabWindow(0, frame.x(), frame.y(), frame.width(),
                                               frame.height())
                                .toImage();
        QVERIFY(shot.save(QDir(m_shots).filePath(u"zai-window.png"_s)));
    }

    // Nothing is clicked for the user: the answer waits for the human.
    QTest::qWait(1000);
    QVERIFY(answers.ready.isEmpty());
    // The test is the human here.
    js(u"document.getElementById('zb-fake-slider').click(); true"_s);
    QTRY_COMPARE_WITH_TIMEOUT(answers.ready.size(), 1, Wait);
    QVERIFY(answers.failed.isEmpty());
    QVERIFY(!m_controller->windowCaptchaSource()->isWaitingForUser());
    delete ticket;
}

void TestZaiWindow::failureNamesTheWindow()
{
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Fail);
    Answers answers;
    CaptchaTicket *ticket = obtain(&answers);
    QTRY_COMPARE_WITH_TIMEOUT(answers.failed.size(), 1, Wait);
    QVERIFY(answers.ready.isEmpty());
    const QString message = answers.failed.at(0);
    QVERIFY2(message.contains(u"Z.AI window"_s), qPrintable(message));
    QVERIFY2(message.contains(u"F001"_s), qPrintable(message));
    QCOMPARE(m_controller->captchaSource()->describe(), u"the Z.AI window"_s);
    delete ticket;
}

void TestZaiWindow::withdrawnAskLeavesNothingBehind()
{
    // As the core does when captcha.waitSeconds have passed: it deletes the ticket.
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    Answers answers;
    CaptchaTicket *ticket = obtain(&answers);
    QTRY_COMPARE_WITH_TIMEOUT(answers.waiting, 1, Wait);
    QCOMPARE(js(u"!!document.getElementById('zb-fake-slider')"_s).toBool(), true);
    delete ticket;
    QVERIFY(!m_controller->windowCaptchaSource()->isWaitingForUser());
    QCOMPARE(m_controller->windowCaptchaSource()->pendingAsks(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(js(u"document.querySelectorAll('[data-zb-captcha]').length"_s)
                                  .toInt(),
                              0, Wait);
    QCOMPARE(js(u"!!document.getElementById('zb-fake-slider')"_s).toBool(), false);
    QTest::qWait(1000);
    QVERIFY(answers.ready.isEmpty());
    QVERIFY(answers.failed.isEmpty());

    // A later ask works as before.
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Traceless);
    Answers later;
    CaptchaTicket *next = obtain(&later);
    QTRY_COMPARE_WITH_TIMEOUT(later.ready.size(), 1, Wait);
    QVERIFY(answers.ready.isEmpty());
    delete next;
}

void TestZaiWindow::asksAreAnsweredOneAfterTheOther()
{
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Traceless);
    Answers first, second;
    CaptchaTicket *a = obtain(&first);
    CaptchaTicket *b = obtain(&second);
    QCOMPARE(m_controller->windowCaptchaSource()->pendingAsks(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(second.ready.size(), 1, Wait);
    QCOMPARE(first.ready.size(), 1);
    QVERIFY(first.ready.at(0) != second.ready.at(0)); // each is used once upstream
    delete a;
    delete b;
}

void TestZaiWindow::reloadUnderAnAskStartsItAgain()
{
    // The user reloads the page (or signs in, which loads it anew) while a challenge waits.
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    Answers answers;
    CaptchaTicket *ticket = obtain(&answers);
    QTRY_COMPARE_WITH_TIMEOUT(answers.waiting, 1, Wait);
    QSignalSpy loaded(m_controller->window(), &ZaiWindow::pageLoaded);
    m_controller->window()->page()->triggerAction(QWebEnginePage::Reload);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, Wait);
    // The challenge is back on the new page, visible, and still answers the same ticket.
    QTRY_VERIFY_WITH_TIMEOUT(js(u"!!document.querySelector('[data-zb-captcha] #zb-fake-slider')"_s)
                                 .toBool(),
                             Wait);
    QTRY_COMPARE_WITH_TIMEOUT(
        js(u"getComputedStyle(document.querySelector('[data-zb-captcha]')).visibility"_s)
            .toString(),
        u"visible"_s, Wait);
    QCOMPARE(answers.waiting, 1);
    js(u"document.getElementById('zb-fake-slider').click(); true"_s);
    QTRY_COMPARE_WITH_TIMEOUT(answers.ready.size(), 1, Wait);
    QVERIFY(answers.failed.isEmpty());
    delete ticket;
}

std::unique_ptr<TrayApplication> TestZaiWindow::makeApp(const UpstreamProfile &profile, bool serve)
{
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"zaibridge.ini"_s),
                                             QSettings::IniFormat);
    m_keychain = std::make_unique<MemorySecretStore>();
    AppSettings plain;
    plain.port = 0;
    plain.startServerAtLaunch = serve;
    plain.language = AppSettings::Language::English;
    plain.endpoint = m_fake->baseUrl().toString() + u"/api/v2/chat/completions"_s;
    plain.maxRetries = 0;
    SettingsStore(m_settings.get(), nullptr).savePlain(plain);
    TrayApplication::Options options;
    options.settings = m_settings.get();
    options.keychain = m_keychain.get();
    options.fallbackSecretsPath = m_dir->filePath(u"secrets.json"_s);
    options.autoStartLocation = m_dir->filePath(u"autostart/zaibridge.desktop"_s);
    options.executable = u"/opt/zaibridge/bin/zaibridge"_s;
    options.zaiWindow = m_controller.get();
    return std::make_unique<TrayApplication>(options, profile);
}

UpstreamProfile TestZaiWindow::profileWaiting(int seconds)
{
    QJsonObject json = UpstreamProfile::builtIn().json();
    QJsonObject captcha = json.value(u"captcha"_s).toObject();
    captcha.insert(u"waitSeconds"_s, seconds);
    json.insert(u"captcha"_s, captcha);
    QString error;
    const auto profile = UpstreamProfile::fromJson(json, &error);
    if (!profile)
        qFatal("profile: %s", qPrintable(error));
    return *profile;
}

HttpResponse TestZaiWindow::chat(TrayApplication &app, int timeoutMs)
{
    return Http::post(QUrl(app.bridge()->baseUrl() + u"/chat/completions"_s),
                      chatBody(u"GLM-4.5"_s, u"hello"_s, false),
                      {{"Authorization", "Bearer " + app.bridge()->settings().apiKey.toUtf8()}},
                      timeoutMs);
}

void TestZaiWindow::firstRequestLoadsTheWindowInTheBackground()
{
    // A first run: the window was never opened. Z.AI's captcha on the first request loads the
    // window's page in the background, its SDK answers (traceless), and the request succeeds
    // without the window ever showing.
    m_fake->setCaptchaRequired(true);
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Traceless);
    QVERIFY(!m_controller->hasSession());
    auto app = makeApp(UpstreamProfile::builtIn(), true);
    app->start();
    QTRY_VERIFY(app->isReady());
    QCOMPARE(app->bridge()->state(), BridgeController::State::Serving);
    QSignalSpy required(app->bridge(), &BridgeController::captchaRequired);
    const int minted = m_fake->mintedCaptchaParams();
    const HttpResponse answered = chat(*app);
    QCOMPARE(answered.status, 200);
    QVERIFY(!answered.answer().isEmpty());
    QCOMPARE(required.count(), 0);
    QVERIFY(m_controller->window());
    QVERIFY(!m_controller->window()->isVisible());
    QVERIFY(m_controller->hasSession());
    // The completion carried the parameter the window's page got from the SDK stand-in.
    QCOMPARE(m_fake->mintedCaptchaParams(), minted + 1);
    const QList<RecordedRequest> sent = m_fake->requests(u"/api/v2/chat/completions"_s);
    QCOMPARE(sent.size(), 1);
    QVERIFY(!sent.last().json.value("captcha_verify_param"_L1).toString().isEmpty());
}

void TestZaiWindow::bridgeRequestWaitsForTheHuman()
{
    m_fake->setCaptchaRequired(true);
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    m_controller->ensureWindow(); // the window's session lives (opened earlier)
    auto app = makeApp(profileWaiting(20), true);
    app->start();
    QTRY_VERIFY(app->isReady());
    // The "human": solves the challenge a moment after the window came to the front.
    int raised = 0;
    connect(m_controller.get(), &ZaiWindowLink::attentionNeeded, this, [this, &raised] {
        ++raised;
        QVERIFY(m_controller->window()->isVisible());
        QTimer::singleShot(500, this, [this] {
            m_controller->window()->page()->runJavaScript(
                u"document.getElementById('zb-fake-slider').click()"_s,
                QWebEngineScript::MainWorld);
        });
    });
    const HttpResponse answered = chat(*app);
    QCOMPARE(answered.status, 200);
    QVERIFY(!answered.answer().isEmpty());
    QCOMPARE(raised, 1);
}

void TestZaiWindow::bridgeRequestTimesOutWithTheError()
{
    m_fake->setCaptchaRequired(true);
    m_fake->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    m_controller->ensureWindow();
    auto app = makeApp(profileWaiting(3), true);
    app->start();
    QTRY_VERIFY(app->isReady());
    QSignalSpy attention(m_controller.get(), &ZaiWindowLink::attentionNeeded);
    QElapsedTimer clock;
    clock.start();
    const HttpResponse refused = chat(*app);
    QCOMPARE(refused.status, 403);
    QVERIFY(clock.elapsed() >= 2500); // a coarse timer may fire 5 % early
    QCOMPARE(refused.error().value("code"_L1).toString(), u"captcha_required"_s);
    const QString message = refused.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"the Z.AI window gave no verify parameter within 3 seconds"_s),
             qPrintable(message));
    QCOMPARE(attention.count(), 1); // the window was raised for the challenge
    // The core withdrew the ask: the page is left clean, nothing waits any more.
    QTRY_COMPARE(m_controller->windowCaptchaSource()->pendingAsks(), 0);
    QVERIFY(!m_controller->windowCaptchaSource()->isWaitingForUser());
    QTRY_COMPARE_WITH_TIMEOUT(js(u"document.querySelectorAll('[data-zb-captcha]').length"_s)
                                  .toInt(),
                              0, Wait);
}

QTEST_MAIN(TestZaiWindow)
#include "testZaiWindow.moc"
