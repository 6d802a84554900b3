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
#include <QPainter>
#include <QScreen>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTrayXvfb : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trayIconAppearsWithItsMenu();

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
    QTest::qWait(300);
    QScreen *screen = QGuiApplication::primaryScreen();
    const QRect area = QRect(menu->geometry().topLeft(), menu->geometry().size())
                           .united(geometry)
                           .adjusted(-80, -8, 8, 8)
                           .intersected(screen->geometry());
    save(screen->grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage(),
         u"tray-menu.png"_s);
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

QTEST_MAIN(TestTrayXvfb)
#include "testTrayXvfb.moc"
