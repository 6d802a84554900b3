// SPDX-License-Identifier: MIT
#pragma once

#include "AppSettings.h"
#include "SecretStore.h"
#include "zai/UpstreamProfile.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcessEnvironment>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

class AutoStart;
class BridgeController;
class LogCapture;
class QMessageBox;
class QSettings;
class RequestLogModel;
class RequestLogWindow;
class SettingsDialog;
class SettingsStore;
class TrayController;
class ZaiWindowLink;

// The tray application assembled: settings and secrets, the server controller, the tray, the
// settings dialog and the request log. start() reads the secrets (asynchronously), asks before
// falling back to a file when the keychain is missing or refuses (then or at the first save),
// then starts the server if so configured.
class TrayApplication : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QSettings *settings = nullptr;   // required; not owned
        SecretStore *keychain = nullptr; // the preferred store; not owned
        QString fallbackSecretsPath;     // the user-confirmed file fallback
        QString autoStartLocation;       // empty: the platform's
        QString executable;              // what open-at-login launches
        ZaiWindowLink *zaiWindow = nullptr; // the Z.AI window; not owned; null: none
    };

    TrayApplication(Options options, UpstreamProfile profile, QObject *parent = nullptr);
    ~TrayApplication() override;

    void start();
    bool isReady() const { return m_ready; }

    BridgeController *bridge() const { return m_bridge; }
    TrayController *tray() const { return m_tray; }
    RequestLogModel *requestLog() const { return m_log; }
    SettingsStore *store() const { return m_store; }
    SettingsDialog *settingsDialog() const;
    RequestLogWindow *logWindow() const;
    QMessageBox *pendingQuestion() const; // the keychain fallback question, while it is open
    QMessageBox *firstRunNotice() const;  // the first run's addresses and key, while shown
    // The headless server's variables set in `environment` that the tray app does not read (it
    // takes its configuration from Settings; the proxy variables reach it as system settings).
    static QStringList ignoredVariables(const QProcessEnvironment &environment);

    void openSettings();
    void openLog();
    void openZaiWindow();
    // Takes an account token from the Z.AI window: stored and applied like a typed one.
    void adoptToken(const QString &token, const QString &account);
    // The chat page the Z.AI window shows: the origin of the configured endpoint.
    QUrl chatOrigin(const AppSettings &settings) const;
    void showAbout();
    void applySettings(const AppSettings &settings);
    // A second launch: raises (and restores) the open window, or opens the settings.
    void bringToFront();
    // Quit in the menu, SIGTERM or SIGINT: the server stops, the settings are saved, the event
    // loop ends (whether or not a window is open).
    void quit();
    static void installLanguage(AppSettings::Language language);

Q_SIGNALS:
    void ready();
    void secretsSaved(const SecretStore::Result &result);

private:
    void onSecretsLoaded(AppSettings settings, const SecretStore::Result &worst);
    // Asks where the secrets go when the keychain is missing or refuses; `then` runs with the
    // chosen store in place.
    void askForFallback(const QString &reason, std::function<void()> then);
    bool usingKeychain() const;
    std::unique_ptr<SecretStore> sessionStore() const;
    void finishStart(AppSettings settings);
    void saveSecrets(const AppSettings &settings);
    void onCaptchaRequired();
    void showFirstRunNotice();

    Options m_options;
    UpstreamProfile m_profile;
    std::unique_ptr<SecretStore> m_ownStore; // the file or memory store chosen at run time
    SettingsStore *m_store;
    BridgeController *m_bridge;
    std::unique_ptr<AutoStart> m_autoStart;
    TrayController *m_tray;
    RequestLogModel *m_log;
    LogCapture *m_capture;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<RequestLogWindow> m_logWindow;
    QPointer<QMessageBox> m_question;
    QPointer<QMessageBox> m_about;
    QPointer<QMessageBox> m_firstRun;
    bool m_ready = false;
    QString m_pendingToken; // captured before the secrets were read: adopted at the end of start
    QString m_pendingAccount;
    QElapsedTimer m_captchaNotice; // the last "Z.AI asks for a captcha" notification
};
