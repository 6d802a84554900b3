// SPDX-License-Identifier: MIT
// zaibridge: the tray application. Everything but the assembly lives in bridge_gui.

#include "KeychainSecretStore.h"
#include "SingleInstance.h"
#include "util/Translations.h"
#include "TrayApplication.h"
#include "zai/UpstreamProfile.h"
#ifdef ZB_HAVE_ZAI_WINDOW
#include "ZaiWindowController.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"zaibridge"_s);
    QApplication::setApplicationDisplayName(u"ZaiBridge"_s);
    QApplication::setOrganizationName(u"ZaiBridge"_s);
    QApplication::setApplicationVersion(QStringLiteral(ZB_VERSION));
    QApplication::setDesktopFileName(u"zaibridge"_s);
    // Closing a window leaves the bridge serving in the tray; Quit is in the menu.
    QApplication::setQuitOnLastWindowClosed(false);
    Translations::install(QLocale::system());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "ZaiBridge tray application: an OpenAI-compatible API for the Z.AI GLM web chat."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption autostartOption(
        u"autostart"_s,
        QCoreApplication::translate("main", "Started at login (no window is opened)."));
    parser.addOption(autostartOption);
    parser.process(app);

    SingleInstance instance(SingleInstance::defaultName());
    if (!instance.claim())
        return 0; // the running instance comes to the front

    QString error;
    const auto profile = UpstreamProfile::load(QString(), &error);
    if (!profile) {
        QMessageBox::critical(nullptr, u"ZaiBridge"_s, error);
        return 2;
    }

    QSettings settings;
    KeychainSecretStore keychain(u"ZaiBridge"_s);
    TrayApplication::Options options;
    options.settings = &settings;
    options.keychain = &keychain;
    options.fallbackSecretsPath =
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/secrets.json"_s;
    options.executable = QCoreApplication::applicationFilePath();
#ifdef ZB_HAVE_ZAI_WINDOW
    // The Z.AI window's browser profile (cookies, the sign-in) lives in the app's data folder.
    ZaiWindowController zaiWindow(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/zai-window"_s);
    options.zaiWindow = &zaiWindow;
#endif
    TrayApplication tray(options, *profile);
    QObject::connect(&instance, &SingleInstance::activationRequested, &tray,
                     &TrayApplication::bringToFront);
    tray.start();
    return app.exec();
}
