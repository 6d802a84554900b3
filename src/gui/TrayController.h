// SPDX-License-Identifier: MIT
#pragma once

#include "BridgeController.h"

#include <QObject>
#include <QPoint>
#include <QPointer>
#include <QSystemTrayIcon>

class AutoStart;
class MainWindow;
class QAction;
class QMenu;
class QTimer;

// The tray icon, its menu and the actions it shares with the fallback main window (shown where
// no system tray exists). Follows the controller's state: icon, tooltip and the toggle's text.
class TrayController : public QObject
{
    Q_OBJECT
public:
    TrayController(BridgeController *bridge, AutoStart *autoStart, QObject *parent = nullptr);
    ~TrayController() override;

    // Shows the tray icon, or the main window when there is no tray (and keeps looking for one).
    void show();
    void showMessage(const QString &title, const QString &message, bool error);
    // The same, and a click on the notification emits messageClicked(`key`).
    void showMessage(const QString &title, const QString &message, bool error,
                     const QString &key);
    // Whether the tray app has the Z.AI window: shows or hides "Sign in to Z.AI…".
    void setZaiWindowAvailable(bool available);
    void bringToFront(); // a second launch: show the main window or the menu
    // A click on the tray icon: a left click opens the menu (after the double-click interval,
    // so that a double click can toggle the server), a double or middle click toggles it.
    void activate(QSystemTrayIcon::ActivationReason reason);

    QMenu *menu() const { return m_menu; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    MainWindow *mainWindow() const; // the fallback window, if shown

    QAction *toggleAction() const { return m_toggle; }
    // The "Copy base URL" submenu's own action (triggered, e.g. by the fallback window's button:
    // the OpenAI clients' URL), and its two entries.
    QAction *copyUrlAction() const { return m_copyUrl; }
    QAction *copyOpenAiUrlAction() const { return m_copyOpenAiUrl; }
    QAction *copyClaudeUrlAction() const { return m_copyClaudeUrl; }
    QAction *copyKeyAction() const { return m_copyKey; }
    QAction *signInAction() const { return m_signIn; }
    QAction *settingsAction() const { return m_settings; }
    QAction *logAction() const { return m_log; }
    QAction *openAtLoginAction() const { return m_openAtLogin; }
    QAction *aboutAction() const { return m_about; }
    QAction *quitAction() const { return m_quit; }

    QString toolTip() const;

Q_SIGNALS:
    void zaiWindowRequested();
    void settingsRequested();
    void logRequested();
    void aboutRequested();
    void quitRequested();
    void messageClicked(const QString &key); // the notification shown with that key

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void updateState();
    void ensureWindow();
    void pollForTray();
    void copy(const QString &text, const QString &confirmation);

    BridgeController *m_bridge;
    AutoStart *m_autoStart;
    QMenu *m_menu;
    QSystemTrayIcon *m_tray = nullptr;
    QPointer<MainWindow> m_window;
    QTimer *m_trayPoll = nullptr;
    QTimer *m_clickTimer = nullptr; // a left click's menu waits for a possible second click
    QPoint m_clickPos;
    QString m_messageKey; // of the notification shown last
    QAction *m_status;
    QAction *m_toggle;
    QMenu *m_copyUrlMenu;
    QAction *m_copyUrl;
    QAction *m_copyOpenAiUrl;
    QAction *m_copyClaudeUrl;
    QAction *m_copyKey;
    QAction *m_signIn;
    QAction *m_settings;
    QAction *m_log;
    QAction *m_openAtLogin;
    QAction *m_about;
    QAction *m_quit;
};
