// SPDX-License-Identifier: MIT
#include "TrayController.h"

#include "AutoStart.h"
#include "MainWindow.h"
#include "TrayIcons.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QEvent>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTimer>

using namespace Qt::StringLiterals;

TrayController::TrayController(BridgeController *bridge, AutoStart *autoStart, QObject *parent)
    : QObject(parent), m_bridge(bridge), m_autoStart(autoStart), m_menu(new QMenu)
{
    m_status = m_menu->addAction(QString());
    m_status->setEnabled(false);
    m_menu->addSeparator();
    m_toggle = m_menu->addAction(QString());
    m_toggle->setObjectName(u"actionToggleServer"_s);
    // Clients want the base URL in two shapes: OpenAI ones with /v1, Claude Code without.
    m_copyUrlMenu = m_menu->addMenu(QString());
    m_copyUrl = m_copyUrlMenu->menuAction();
    m_copyUrl->setObjectName(u"actionCopyBaseUrl"_s);
    m_copyOpenAiUrl = m_copyUrlMenu->addAction(QString());
    m_copyOpenAiUrl->setObjectName(u"actionCopyOpenAiBaseUrl"_s);
    m_copyClaudeUrl = m_copyUrlMenu->addAction(QString());
    m_copyClaudeUrl->setObjectName(u"actionCopyClaudeBaseUrl"_s);
    m_copyKey = m_menu->addAction(QString());
    m_copyKey->setObjectName(u"actionCopyApiKey"_s);
    m_menu->addSeparator();
    m_signIn = m_menu->addAction(QString());
    m_signIn->setObjectName(u"actionSignInToZai"_s);
    setZaiWindowAvailable(false);
    m_settings = m_menu->addAction(QString());
    m_settings->setObjectName(u"actionSettings"_s);
    m_log = m_menu->addAction(QString());
    m_log->setObjectName(u"actionRequestLog"_s);
    m_openAtLogin = m_menu->addAction(QString());
    m_openAtLogin->setObjectName(u"actionOpenAtLogin"_s);
    m_openAtLogin->setCheckable(true);
    m_openAtLogin->setChecked(m_autoStart && m_autoStart->isEnabled());
    m_menu->addSeparator();
    m_about = m_menu->addAction(QString());
    m_about->setObjectName(u"actionAbout"_s);
    m_quit = m_menu->addAction(QString());
    m_quit->setObjectName(u"actionQuit"_s);

    connect(m_toggle, &QAction::triggered, m_bridge, &BridgeController::toggle);
    const auto copyOpenAi = [this] {
        copy(m_bridge->baseUrl(),
             tr("The base URL for OpenAI clients is on the clipboard: %1").arg(m_bridge->baseUrl()));
    };
    connect(m_copyUrl, &QAction::triggered, this, copyOpenAi);
    connect(m_copyOpenAiUrl, &QAction::triggered, this, copyOpenAi);
    connect(m_copyClaudeUrl, &QAction::triggered, this, [this] {
        copy(m_bridge->anthropicBaseUrl(),
             tr("Claude Code's ANTHROPIC_BASE_URL is on the clipboard: %1")
                 .arg(m_bridge->anthropicBaseUrl()));
    });
    connect(m_copyKey, &QAction::triggered, this, [this] {
        copy(m_bridge->settings().apiKey, tr("The API key is on the clipboard."));
    });
    connect(m_signIn, &QAction::triggered, this, &TrayController::zaiWindowRequested);
    connect(m_settings, &QAction::triggered, this, &TrayController::settingsRequested);
    connect(m_log, &QAction::triggered, this, &TrayController::logRequested);
    connect(m_about, &QAction::triggered, this, &TrayController::aboutRequested);
    connect(m_quit, &QAction::triggered, this, &TrayController::quitRequested);
    connect(m_openAtLogin, &QAction::toggled, this, [this](bool on) {
        if (!m_autoStart)
            return;
        QString error;
        if (!m_autoStart->setEnabled(on, &error)) {
            const QSignalBlocker block(m_openAtLogin);
            m_openAtLogin->setChecked(!on);
            showMessage(tr("Open at login"), error, true);
        }
    });
    connect(m_bridge, &BridgeController::stateChanged, this, &TrayController::updateState);
    connect(m_bridge, &BridgeController::serverRestarted, this, [this] {
        showMessage(tr("Server restarted"),
                    tr("The server was restarted to apply the new address or port: %1")
                        .arg(m_bridge->baseUrl()),
                    false);
    });
    m_clickTimer = new QTimer(this);
    m_clickTimer->setSingleShot(true);
    connect(m_clickTimer, &QTimer::timeout, this, [this] { m_menu->popup(m_clickPos); });
    qApp->installEventFilter(this);
    retranslate();
}

TrayController::~TrayController()
{
    delete m_window.data();
    delete m_tray;
    delete m_menu; // and its submenu
}

void TrayController::copy(const QString &text, const QString &confirmation)
{
    QApplication::clipboard()->setText(text);
    showMessage(tr("Copied"), confirmation, false);
}

MainWindow *TrayController::mainWindow() const
{
    return m_window;
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::LanguageChange)
        retranslate();
    return QObject::eventFilter(watched, event);
}

void TrayController::retranslate()
{
    m_copyUrlMenu->setTitle(tr("Copy base URL"));
    m_copyOpenAiUrl->setText(tr("For OpenAI clients (Cline, Roo Code, Kilo Code, Codex)"));
    m_copyClaudeUrl->setText(tr("For Claude Code (ANTHROPIC_BASE_URL)"));
    m_copyKey->setText(tr("Copy API key"));
    m_signIn->setText(tr("Sign in to Z.AI…"));
    m_settings->setText(tr("Settings…"));
    m_log->setText(tr("Request log…"));
    m_openAtLogin->setText(tr("Open at login"));
    m_about->setText(tr("About ZaiBridge"));
    m_quit->setText(tr("Quit"));
    updateState();
}

namespace {
// A tooltip of short lines: panels show one long line cut off, or across the screen.
QString wrapped(const QString &text, int width = 60)
{
    QStringList lines;
    for (const QString &paragraph : text.split(u'\n')) {
        QString line;
        for (const QString &word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
                lines.append(line);
                line.clear();
            }
            line += (line.isEmpty() ? QString() : u" "_s) + word;
        }
        lines.append(line);
    }
    return lines.join(u'\n');
}
} // namespace

QString TrayController::toolTip() const
{
    switch (m_bridge->state()) {
    case BridgeController::State::Serving: {
        QString tip = tr("ZaiBridge: serving at %1").arg(m_bridge->baseUrl());
        for (const QString &url : m_bridge->lanBaseUrls())
            tip += u"\n"_s + tr("On the network: %1").arg(url);
        return tip;
    }
    case BridgeController::State::Error:
        return tr("ZaiBridge: error") + u"\n"_s + wrapped(m_bridge->errorText());
    case BridgeController::State::Stopped:
        break;
    }
    return tr("ZaiBridge: stopped (%1)").arg(m_bridge->baseUrl());
}

void TrayController::updateState()
{
    const bool running = m_bridge->isRunning();
    m_toggle->setText(running ? tr("Stop server") : tr("Start server"));
    QString status;
    switch (m_bridge->state()) {
    case BridgeController::State::Serving:
        status = tr("Serving at %1").arg(m_bridge->baseUrl());
        for (const QString &url : m_bridge->lanBaseUrls())
            status += u"\n"_s + tr("On the network: %1").arg(url);
        break;
    case BridgeController::State::Error:
        status = tr("Error: server not running");
        break;
    case BridgeController::State::Stopped:
        status = tr("Stopped");
        break;
    }
    m_status->setText(status);
    m_copyKey->setEnabled(!m_bridge->settings().apiKey.isEmpty());
    const QIcon icon = TrayIcons::forState(m_bridge->state());
    if (m_tray) {
        m_tray->setIcon(icon);
        m_tray->setToolTip(toolTip());
    }
    if (m_window)
        m_window->updateState(icon, status, toolTip(), m_bridge->errorText());
}

void TrayController::show()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon;
            m_tray->setContextMenu(m_menu);
            connect(m_tray, &QSystemTrayIcon::messageClicked, this,
                    [this] { Q_EMIT messageClicked(m_messageKey); });
            connect(m_tray, &QSystemTrayIcon::activated, this, &TrayController::activate);
        }
        updateState();
        m_tray->show();
        if (m_window && !m_window->isVisible())
            delete m_window.data();
        return;
    }
    ensureWindow();
    m_window->show();
    pollForTray();
}

void TrayController::activate(QSystemTrayIcon::ActivationReason reason)
{
    switch (reason) {
    case QSystemTrayIcon::Trigger:
#if !defined(Q_OS_MACOS)
        // macOS opens the menu on any click by itself. Elsewhere a left click opens it once the
        // double-click interval has passed without a second click: a menu opened at once takes
        // the second click for itself, and the double click never arrives here.
        if (!m_clickTimer->isActive()) {
            m_clickPos = QCursor::pos();
            m_clickTimer->start(QApplication::doubleClickInterval());
        }
#endif
        break;
    case QSystemTrayIcon::DoubleClick:
    case QSystemTrayIcon::MiddleClick:
        m_clickTimer->stop();
        m_bridge->toggle();
        break;
    default:
        break;
    }
}

void TrayController::pollForTray()
{
    // Some panels start after the session's autostart programs: keep looking for a tray.
    if (!m_trayPoll) {
        m_trayPoll = new QTimer(this);
        m_trayPoll->setInterval(2000);
        connect(m_trayPoll, &QTimer::timeout, this, [this] {
            if (QSystemTrayIcon::isSystemTrayAvailable()) {
                m_trayPoll->stop();
                show();
            }
        });
    }
    m_trayPoll->start();
}

void TrayController::ensureWindow()
{
    if (m_window)
        return;
    m_window = new MainWindow(this);
    updateState();
}

void TrayController::bringToFront()
{
    if (m_tray && m_tray->isVisible() && !m_window) {
        m_menu->popup(QCursor::pos());
        return;
    }
    ensureWindow();
    m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void TrayController::setZaiWindowAvailable(bool available)
{
    m_signIn->setVisible(available);
    m_signIn->setEnabled(available);
}

void TrayController::showMessage(const QString &title, const QString &message, bool error)
{
    showMessage(title, message, error, QString());
}

void TrayController::showMessage(const QString &title, const QString &message, bool error,
                                 const QString &key)
{
    m_messageKey = key;
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(title, message,
                            error ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information,
                            10000);
    } else {
        ensureWindow();
        m_window->showNotice(title, message, error);
    }
}
