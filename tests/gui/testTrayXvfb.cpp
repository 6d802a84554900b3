// SPDX-License-Identifier: MIT
// The tray icon in a real X server: run by run-with-xvfb-tray.sh (Xvfb + the trayer tray host).
// Checks that the icon is embedded and its menu holds the actions; with ZB_SCREENSHOT_DIR set it
// also saves the tray menu and every settings page as PNG (scripts/screenshots.sh).

#include "BridgeController.h"
#include "MemorySecretStore.h"
#include "RequestLogModel.h"
#include "RequestLogWindow.h"
#include "SettingsDialog.h"
#include "SettingsStore.h"
#include "StubZaiWindow.h"
#include "TrayApplication.h"
#include "TrayController.h"
#include "TrayIcons.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScreen>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
#include <dlfcn.h>
#define ZB_HAVE_XPOINTER
#endif

using namespace Qt::StringLiterals;

#ifdef ZB_HAVE_XPOINTER
namespace {
// Real pointer events through the X server (the XTEST extension, loaded at run time: the suite
// needs no X development headers). Synthetic Qt events would skip the popup menu's pointer grab,
// which is what swallowed the second click of a double click.
class XPointer
{
public:
    XPointer()
    {
        void *x11 = dlopen("libX11.so.6", RTLD_NOW);
        void *xtst = dlopen("libXtst.so.6", RTLD_NOW);
        if (!x11 || !xtst)
            return;
        m_open = reinterpret_cast<OpenFn>(dlsym(x11, "XOpenDisplay"));
        m_flush = reinterpret_cast<FlushFn>(dlsym(x11, "XFlush"));
        m_close = reinterpret_cast<FlushFn>(dlsym(x11, "XCloseDisplay"));
        m_motion = reinterpret_cast<MotionFn>(dlsym(xtst, "XTestFakeMotionEvent"));
        m_button = reinterpret_cast<ButtonFn>(dlsym(xtst, "XTestFakeButtonEvent"));
        if (m_open && m_flush && m_close && m_motion && m_button)
            m_display = m_open(nullptr);
    }
    ~XPointer()
    {
        if (m_display)
            m_close(m_display);
    }
    bool isValid() const { return m_display != nullptr; }
    void moveTo(const QPoint &p)
    {
        m_motion(m_display, -1, p.x(), p.y(), 0);
        m_flush(m_display);
    }
    void click()
    {
        m_button(m_display, 1, 1, 0);
        m_button(m_display, 1, 0, 30);
        m_flush(m_display);
    }

private:
    using OpenFn = void *(*)(const char *);
    using FlushFn = int (*)(void *);
    using MotionFn = int (*)(void *, int, int, int, unsigned long);
    using ButtonFn = int (*)(void *, unsigned int, int, unsigned long);
    OpenFn m_open = nullptr;
    FlushFn m_flush = nullptr;
    FlushFn m_close = nullptr;
    MotionFn m_motion = nullptr;
    ButtonFn m_button = nullptr;
    void *m_display = nullptr;
};
} // namespace
#endif

class TestTrayXvfb : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trayIconAppearsWithItsMenu();
    void doubleClickOnTheIconToggles();

private:
    void save(const QImage &image, const QString &name);
    QString m_shots;
};

void TestTrayXvfb::save(const QImage &image, const QString &name)
{
    QVERIFY(!image.isNull());
    // A screenshot of one colour would mean nothing was drawn.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 4, qPrintable(name));
    if (!m_shots.isEmpty())
        QVERIFY(image.save(QDir(m_shots).filePath(name)));
}

void TestTrayXvfb::trayIconAppearsWithItsMenu()
{
    if (QGuiApplication::platformName() != u"xcb")
        QSKIP("needs a real X server: run through tests/gui/run-with-xvfb-tray.sh");
    m_shots = qEnvironmentVariable("ZB_SCREENSHOT_DIR");
    // The tray host may come up after us: poll, as the app itself does.
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 20000);

    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"zaibridge.ini"_s), QSettings::IniFormat);
    AppSettings plain;
    plain.port = 0;
    plain.language = AppSettings::Language::English;
    SettingsStore(&ini, nullptr).savePlain(plain);
    MemorySecretStore keychain;
    TrayApplication::Options options;
    options.settings = &ini;
    options.keychain = &keychain;
    options.fallbackSecretsPath = dir.filePath(u"secrets.json"_s);
    options.autoStartLocation = dir.filePath(u"autostart.desktop"_s);
    options.executable = u"zaibridge"_s;
    StubZaiWindow zaiWindow; // the tray app's menu and settings with the Z.AI window's entries
    options.zaiWindow = &zaiWindow;
    TrayApplication app(options, UpstreamProfile::builtIn());
    app.start();
    QTRY_VERIFY(app.isReady());
    QCOMPARE(app.bridge()->state(), BridgeController::State::Serving);
    QVERIFY(app.firstRunNotice()); // a first run: its notice would be in the pictures
    app.firstRunNotice()->close();

    QSystemTrayIcon *icon = app.tray()->trayIcon();
    QVERIFY(icon);
    QVERIFY(icon->isVisible());
    QVERIFY(!app.tray()->mainWindow()); // a tray exists: no fallback window
    // Embedded by the tray host: it has a place on the screen.
    QTRY_VERIFY_WITH_TIMEOUT(!icon->geometry().isEmpty(), 10000);
    QVERIFY(icon->toolTip().contains(u"serving at http://127.0.0.1:"_s));

    QStringList texts;
    for (QAction *action : icon->contextMenu()->actions()) {
        if (!action->isSeparator())
            texts.append(action->text());
    }
    for (const QString &expected :
         {u"Stop server"_s, u"Copy base URL"_s, u"Copy API key"_s, u"Sign in to Z.AI…"_s,
          u"Settings…"_s,
          u"Request log…"_s, u"Open at login"_s, u"About ZaiBridge"_s, u"Quit"_s})
        QVERIFY2(texts.contains(expected), qPrintable(expected));

    // The three state icons at panel sizes, on a light and a dark panel.
    {
        QImage strip(3 * 56 + 8, 2 * 40, QImage::Format_RGB32);
        QPainter p(&strip);
        p.fillRect(0, 0, strip.width(), 40, QColor(0xf0, 0xf0, 0xf0));
        p.fillRect(0, 40, strip.width(), 40, QColor(0x24, 0x24, 0x24));
        int x = 8;
        for (const auto state : {BridgeController::State::Stopped, BridgeController::State::Serving,
                                 BridgeController::State::Error}) {
            const QIcon stateIcon = TrayIcons::forState(state);
            for (const int row : {0, 1}) {
                stateIcon.paint(&p, QRect(x, row * 40 + 9, 22, 22));
                stateIcon.paint(&p, QRect(x + 26, row * 40 + 4, 32, 32).adjusted(0, 0, -4, -4));
            }
            x += 56;
        }
        p.end();
        save(strip, u"tray-icons.png"_s);
    }

    // Open the menu at the icon and photograph the top right of the screen.
    const QRect geometry = icon->geometry();
    QMenu *menu = icon->contextMenu();
    menu->popup(QPoint(geometry.right() - menu->sizeHint().width(), geometry.bottom() + 4));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    // With the Copy base URL submenu open: the URL for each kind of client.
    QMenu *urls = app.tray()->copyUrlAction()->menu();
    menu->setActiveAction(app.tray()->copyUrlAction());
    QTest::keyClick(menu, Qt::Key_Right);
    QVERIFY(QTest::qWaitForWindowExposed(urls));
    QTest::qWait(300);
    QScreen *screen = QGuiApplication::primaryScreen();
    const QRect area = QRect(menu->geometry().topLeft(), menu->geometry().size())
                           .united(urls->geometry())
                           .united(geometry)
                           .adjusted(-80, -8, 8, 8)
                           .intersected(screen->geometry());
    save(screen->grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage(),
         u"tray-menu.png"_s);
    urls->hide();
    menu->hide();

    // Every settings page, and the request log with a served and a failed request.
    app.openSettings();
    SettingsDialog *dialog = app.settingsDialog();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    // What a user's dialog looks like: the usual port (held by the bridge) and two tokens.
    AppSettings shown = app.bridge()->settings();
    shown.port = 8080;
    shown.tokens = {
        {u"work laptop"_s, u"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEyMyJ9.c2lnbmF0dXJlLXdvcms"_s},
        {u"personal"_s, u"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjQ1NiJ9.c2lnbmF0dXJlLWhvbWU"_s}};
    dialog->setPortCheck([](const QString &, quint16) { return true; });
    dialog->setServerPort(8080);
    dialog->setSettings(shown);
    QVERIFY(dialog->isValid());
    auto *tabs = dialog->findChild<QTabWidget *>(u"tabs"_s);
    const QStringList pages{u"server"_s, u"zai"_s, u"models"_s, u"network"_s, u"advanced"_s};
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(100);
        save(dialog->grab().toImage(), u"settings-%1.png"_s.arg(pages.value(i)));
    }
    dialog->close();

    RequestRecord ok;
    ok.timeMs = QDateTime::currentMSecsSinceEpoch();
    ok.method = u"POST"_s;
    ok.path = u"/v1/chat/completions"_s;
    ok.status = 200;
    ok.clientModel = u"GLM-4.7"_s;
    ok.upstreamModel = u"glm-4.7"_s;
    ok.dialect = u"openai"_s;
    ok.latencyMs = 1840;
    ok.promptTokens = 812;
    ok.completionTokens = 164;
    ok.attempts = 1;
    RequestRecord failed = ok;
    failed.status = 502;
    failed.latencyMs = 230;
    failed.promptTokens = failed.completionTokens = 0;
    failed.attempts = 2;
    failed.error =
        u"Z.AI rejected the request signature (HTTP 400: Signature verification failed)."_s;
    RequestRecord claude = ok; // Claude Code's request
    claude.path = u"/v1/messages"_s;
    claude.dialect = u"anthropic"_s;
    claude.clientModel = u"GLM-5.3"_s;
    claude.upstreamModel = u"glm-5.3"_s;
    claude.latencyMs = 2630;
    claude.promptTokens = 18342;
    claude.completionTokens = 291;
    app.requestLog()->add(claude);
    app.requestLog()->add(ok);
    app.requestLog()->add(failed);
    app.openLog();
    QVERIFY(QTest::qWaitForWindowExposed(app.logWindow()));
    app.logWindow()->selectRow(0); // the failure, in full
    QTest::qWait(100);
    save(app.logWindow()->grab().toImage(), u"request-log.png"_s);
    app.logWindow()->close();
}

// A real double click on the embedded icon (XEmbed, as in Xfce, MATE or LXQt) toggles the server:
// the menu of the first click must not open at once, or it takes the second click.
void TestTrayXvfb::doubleClickOnTheIconToggles()
{
    if (QGuiApplication::platformName() != u"xcb")
        QSKIP("needs a real X server: run through tests/gui/run-with-xvfb-tray.sh");
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 20000);
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"zaibridge.ini"_s), QSettings::IniFormat);
    AppSettings plain;
    plain.port = 0;
    plain.language = AppSettings::Language::English;
    SettingsStore(&ini, nullptr).savePlain(plain);
    MemorySecretStore keychain;
    TrayApplication::Options options;
    options.settings = &ini;
    options.keychain = &keychain;
    options.fallbackSecretsPath = dir.filePath(u"secrets.json"_s);
    options.autoStartLocation = dir.filePath(u"autostart.desktop"_s);
    options.executable = u"zaibridge"_s;
    TrayApplication app(options, UpstreamProfile::builtIn());
    app.start();
    QTRY_VERIFY(app.isReady());
    if (app.firstRunNotice())
        app.firstRunNotice()->close();
    QCOMPARE(app.bridge()->state(), BridgeController::State::Serving);
    QSystemTrayIcon *icon = app.tray()->trayIcon();
    QTRY_VERIFY_WITH_TIMEOUT(!icon->geometry().isEmpty(), 10000);
#ifndef ZB_HAVE_XPOINTER
    QSKIP("needs X11 and XTEST");
#else
    XPointer pointer;
    if (!pointer.isValid())
        QSKIP("libX11/libXtst (XTEST) not available");
    pointer.moveTo(icon->geometry().center());
    QTest::qWait(QApplication::doubleClickInterval() + 100); // no earlier click counts
    pointer.click();
    QTest::qWait(80);
    pointer.click();
    QTRY_COMPARE(app.bridge()->state(), BridgeController::State::Stopped);
    QTest::qWait(QApplication::doubleClickInterval() + 200);
    QVERIFY(!app.tray()->menu()->isVisible());
    // A single click opens the menu, once the double-click interval has passed.
    pointer.click();
    QTRY_VERIFY(app.tray()->menu()->isVisible());
    app.tray()->menu()->hide();
    QCOMPARE(app.bridge()->state(), BridgeController::State::Stopped);
#endif
}

QTEST_MAIN(TestTrayXvfb)
#include "testTrayXvfb.moc"
