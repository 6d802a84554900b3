// SPDX-License-Identifier: MIT
#include "TrayApplication.h"

#include "ApiServer.h"
#include "AutoStart.h"
#include "BridgeController.h"
#include "FileSecretStore.h"
#include "LogCapture.h"
#include "MainWindow.h"
#include "RequestLogModel.h"
#include "RequestLogWindow.h"
#include "SessionSecretStore.h"
#include "SettingsDialog.h"
#include "SettingsStore.h"
#include "TerminationSignals.h"
#include "util/Translations.h"
#include "TrayController.h"
#include "TrayIcons.h"
#include "ZaiWindowLink.h"

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// The key of the notifications that open the Z.AI window when clicked.
const QString ZaiWindowMessage = QStringLiteral("zai-window");

// Brings a window back the way the user left it, minimised or behind others.
void restore(QWidget *window)
{
    window->setWindowState(window->windowState() & ~Qt::WindowMinimized);
    window->show();
    window->raise();
    window->activateWindow();
}
} // namespace

TrayApplication::TrayApplication(Options options, UpstreamProfile profile, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_profile(std::move(profile)),
      m_store(new SettingsStore(m_options.settings, m_options.keychain, this)),
      m_bridge(new BridgeController(m_profile, this)),
      m_autoStart(std::make_unique<AutoStart>(m_options.executable, m_options.autoStartLocation)),
      m_tray(new TrayController(m_bridge, m_autoStart.get(), this)),
      m_log(new RequestLogModel(m_store, this)), m_capture(new LogCapture(this))
{
    connect(m_bridge, &BridgeController::requestFinished, m_log, &RequestLogModel::add);
    connect(m_bridge, &BridgeController::alert, this,
            [this](const QString &, const QString &title, const QString &message) {
                m_tray->showMessage(title, message, true);
            });
    connect(m_tray, &TrayController::settingsRequested, this, &TrayApplication::openSettings);
    connect(m_tray, &TrayController::logRequested, this, &TrayApplication::openLog);
    connect(m_tray, &TrayController::aboutRequested, this, &TrayApplication::showAbout);
    connect(m_tray, &TrayController::quitRequested, this, &TrayApplication::quit);
    connect(TerminationSignals::instance(), &TerminationSignals::received, this,
            &TrayApplication::quit);
    connect(m_capture, &LogCapture::line, this, [this](const QString &line) {
        if (m_logWindow)
            m_logWindow->appendDetail(line);
    });
    m_tray->setZaiWindowAvailable(m_options.zaiWindow != nullptr);
    if (ZaiWindowLink *zai = m_options.zaiWindow) {
        connect(m_tray, &TrayController::zaiWindowRequested, this,
                &TrayApplication::openZaiWindow);
        connect(m_tray, &TrayController::messageClicked, this, [this](const QString &key) {
            if (key == ZaiWindowMessage)
                openZaiWindow();
        });
        connect(zai, &ZaiWindowLink::tokenCaptured, this, &TrayApplication::adoptToken);
        connect(zai, &ZaiWindowLink::attentionNeeded, this,
                [this](const QString &title, const QString &message) {
                    m_tray->showMessage(title, message, false, ZaiWindowMessage);
                });
        zai->setOrigin(chatOrigin(m_bridge->settings()));
        // The page's captcha SDK makes the verify parameters, from the first request on: the
        // window's page loads in the background when Z.AI first asks, and the window comes to
        // the front only when the captcha wants the user (a first request succeeds, P.11).
        m_bridge->setCaptchaSource(zai->captchaSource());
    }
    connect(m_bridge, &BridgeController::captchaRequired, this,
            &TrayApplication::onCaptchaRequired);
}

TrayApplication::~TrayApplication()
{
    delete m_settingsDialog.data();
    delete m_logWindow.data();
    delete m_question.data();
    delete m_about.data();
    delete m_firstRun.data();
}

QMessageBox *TrayApplication::firstRunNotice() const
{
    return m_firstRun;
}

QStringList TrayApplication::ignoredVariables(const QProcessEnvironment &environment)
{
    QStringList names;
    for (const QString &name : ConfigLoader::knownVariables()) {
        if (name != u"HTTP_PROXY" && name != u"HTTPS_PROXY" && name != u"NO_PROXY"
            && environment.contains(name))
            names.append(name);
    }
    return names;
}

SettingsDialog *TrayApplication::settingsDialog() const
{
    return m_settingsDialog;
}

RequestLogWindow *TrayApplication::logWindow() const
{
    return m_logWindow;
}

QMessageBox *TrayApplication::pendingQuestion() const
{
    return m_question;
}

void TrayApplication::installLanguage(AppSettings::Language language)
{
    switch (language) {
    case AppSettings::Language::English:
        Translations::install(QLocale(QLocale::English, QLocale::UnitedStates));
        break;
    case AppSettings::Language::SimplifiedChinese:
        Translations::install(QLocale(QLocale::Chinese, QLocale::China));
        break;
    case AppSettings::Language::System:
        Translations::install(QLocale::system());
        break;
    }
}

void TrayApplication::start()
{
    const AppSettings plain = m_store->loadPlain();
    installLanguage(plain.language);
    // The user's earlier answer to the keychain question stays the answer.
    const QString fallback = m_store->secretFallback();
    if (fallback == u"file" || !m_options.keychain) {
        m_ownStore = std::make_unique<FileSecretStore>(m_options.fallbackSecretsPath);
        m_store->setSecretStore(m_ownStore.get());
    } else if (fallback == u"memory") {
        m_ownStore = sessionStore();
        m_store->setSecretStore(m_ownStore.get());
    }
    m_store->loadSecrets(plain, this,
                         [this](const AppSettings &settings, const SecretStore::Result &worst) {
                             onSecretsLoaded(settings, worst);
                         });
}

void TrayApplication::onSecretsLoaded(AppSettings settings, const SecretStore::Result &worst)
{
    if (worst.status != SecretStore::Status::Ok && usingKeychain()) {
        const AppSettings plain = m_store->loadPlain();
        askForFallback(worst.error, [this, plain] {
            m_store->loadSecrets(
                plain, this, [this](const AppSettings &s, const SecretStore::Result &w) {
                    onSecretsLoaded(s, w);
                });
        });
        return;
    }
    if (worst.status != SecretStore::Status::Ok)
        m_tray->showMessage(tr("Secrets could not be read"), worst.error, true);
    finishStart(std::move(settings));
}

bool TrayApplication::usingKeychain() const
{
    return m_options.keychain && m_store->secretStore() == m_options.keychain;
}

std::unique_ptr<SecretStore> TrayApplication::sessionStore() const
{
    return std::make_unique<SessionSecretStore>(m_options.fallbackSecretsPath,
                                                QStringList{SettingsStore::ApiKeyName});
}

void TrayApplication::askForFallback(const QString &reason, std::function<void()> then)
{
    if (m_question)
        return; // already asked; its answer covers this failure too
    // Never silently: the user decides between an owner-only file and memory. What the keychain
    // said (a D-Bus error on Linux) is in the details, not in the question.
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("The keychain is not available"),
        tr("ZaiBridge keeps your Z.AI tokens and its API key in the system keychain, but the "
           "keychain is missing or refused to store them.\n\nStore them in a file that only your "
           "user account can read instead? The file is not encrypted.\n\nWith \"Memory only\", "
           "the Z.AI tokens are forgotten when ZaiBridge quits; the API key is still kept in that "
           "file, so that the clients you set up keep working after a restart."));
    if (!reason.isEmpty())
        box->setDetailedText(reason);
    box->setObjectName(u"keychainFallbackQuestion"_s);
    QPushButton *useFile = box->addButton(tr("Use a private file"), QMessageBox::AcceptRole);
    useFile->setObjectName(u"useFileButton"_s);
    QPushButton *memory = box->addButton(tr("Memory only"), QMessageBox::RejectRole);
    memory->setObjectName(u"memoryOnlyButton"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_question = box;
    connect(box, &QMessageBox::buttonClicked, this,
            [this, useFile, then = std::move(then)](QAbstractButton *button) {
                if (button == useFile) {
                    m_store->setSecretFallback(u"file"_s);
                    m_ownStore = std::make_unique<FileSecretStore>(m_options.fallbackSecretsPath);
                } else {
                    m_store->setSecretFallback(u"memory"_s);
                    m_ownStore = sessionStore();
                }
                m_store->setSecretStore(m_ownStore.get());
                if (m_settingsDialog)
                    m_settingsDialog->setSecretBackend(m_ownStore->backendName());
                then();
            });
    box->open();
}

void TrayApplication::finishStart(AppSettings settings)
{
    const bool firstRun = settings.apiKey.isEmpty();
    if (firstRun) {
        settings.apiKey = AppSettings::generateApiKey(); // first run
        saveSecrets(settings);
    }
    if (settings.deviceId.isEmpty()) {
        settings.deviceId = AppSettings::generateDeviceId(); // first run: kept from now on
        m_store->savePlain(settings);
    }
    m_bridge->setSettings(settings);
    if (m_options.zaiWindow)
        m_options.zaiWindow->setOrigin(chatOrigin(settings));
    m_capture->setSecrets(settings.secrets());
    m_capture->setEnabled(settings.detailedLogging);
    m_tray->show();
    if (settings.startServerAtLaunch)
        m_bridge->start();
    m_ready = true;
    if (firstRun)
        showFirstRunNotice();
    // The headless server's variables do nothing here: say so once, rather than leave a user
    // wondering why API_ENDPOINT or LISTEN_PORT had no effect.
    const QStringList ignored = ignoredVariables(QProcessEnvironment::systemEnvironment());
    if (!ignored.isEmpty()) {
        m_tray->showMessage(tr("Environment variables not used"),
                            tr("The tray app takes its configuration from Settings, not from %1. "
                               "Settings → Z.AI → Import .env… reads such values from a file; "
                               "zaibridge-server reads the environment.")
                                .arg(ignored.join(u", "_s)),
                            false);
    }
    if (!m_pendingToken.isEmpty())
        adoptToken(std::exchange(m_pendingToken, {}), std::exchange(m_pendingAccount, {}));
    Q_EMIT ready();
}

void TrayApplication::saveSecrets(const AppSettings &settings)
{
    const bool toKeychain = usingKeychain();
    m_store->saveSecrets(settings, this, [this, toKeychain](const SecretStore::Result &result) {
        if (result.status != SecretStore::Status::Ok && toKeychain && usingKeychain()) {
            // A keychain that is there but refuses (a dismissed unlock prompt, a locked
            // collection): the same choice as a missing one, then the secrets go there.
            askForFallback(result.error, [this] { saveSecrets(m_bridge->settings()); });
        } else if (result.status != SecretStore::Status::Ok) {
            m_tray->showMessage(tr("Secrets could not be saved"), result.error, true);
        }
        Q_EMIT secretsSaved(result);
    });
}

void TrayApplication::applySettings(const AppSettings &settings)
{
    const AppSettings before = m_bridge->settings();
    m_store->savePlain(settings);
    if (settings.apiKey != before.apiKey || settings.tokens != before.tokens
        || settings.httpProxy.password() != before.httpProxy.password()
        || settings.httpsProxy.password() != before.httpsProxy.password())
        saveSecrets(settings);
    if (settings.language != before.language)
        installLanguage(settings.language);
    m_capture->setSecrets(settings.secrets());
    m_capture->setEnabled(settings.detailedLogging);
    if (m_logWindow)
        m_logWindow->setDetailedLogging(settings.detailedLogging);
    m_bridge->setSettings(settings);
    if (m_options.zaiWindow)
        m_options.zaiWindow->setOrigin(chatOrigin(settings));
    if (m_settingsDialog)
        m_settingsDialog->setServerPort(m_bridge->isRunning() ? m_bridge->port() : 0);
}

QUrl TrayApplication::chatOrigin(const AppSettings &settings) const
{
    const QUrl endpoint(settings.endpoint.isEmpty() ? m_profile.endpoint() : settings.endpoint);
    QUrl origin;
    origin.setScheme(endpoint.scheme());
    origin.setHost(endpoint.host());
    origin.setPort(endpoint.port());
    return origin;
}

void TrayApplication::onCaptchaRequired()
{
    // One notice for a burst of refused requests.
    if (m_captchaNotice.isValid() && m_captchaNotice.elapsed() < BridgeController::AlertIntervalMs)
        return;
    m_captchaNotice.start();
    if (m_options.zaiWindow) {
        m_tray->showMessage(tr("Z.AI asks for a captcha"),
                            tr("A request was refused because Z.AI wants a verification. Click "
                               "here to open the Z.AI window: from then on it answers Z.AI's "
                               "verifications. Then send the request again."),
                            true, ZaiWindowMessage);
    } else {
        m_tray->showMessage(tr("Z.AI asks for a captcha"),
                            tr("A request was refused because Z.AI wants a verification, and "
                               "this build of ZaiBridge has no Z.AI window. The headless "
                               "zaibridge-server can get verifications from ZAI_CAPTCHA_COMMAND."),
                            true);
    }
}

void TrayApplication::openZaiWindow()
{
    if (m_options.zaiWindow)
        m_options.zaiWindow->open();
}

void TrayApplication::adoptToken(const QString &token, const QString &account)
{
    if (!m_ready) {
        m_pendingToken = token;
        m_pendingAccount = account;
        return;
    }
    AppSettings settings = m_bridge->settings();
    const TokenEntry entry{account.isEmpty() ? tr("Z.AI window") : account, token};
    const bool known = std::any_of(settings.tokens.cbegin(), settings.tokens.cend(),
                                   [&token](const TokenEntry &e) { return e.token == token; });
    if (known)
        return; // a session the window had already handed over (its cookie is kept)
    // A new token of the same account replaces the old one; another account is added.
    auto same = std::find_if(settings.tokens.begin(), settings.tokens.end(),
                             [&entry](const TokenEntry &e) { return e.label == entry.label; });
    if (same != settings.tokens.end())
        *same = entry;
    else
        settings.tokens.append(entry);
    applySettings(settings); // into the secret store (the keychain), as Settings → OK does
    if (m_settingsDialog)
        m_settingsDialog->mergeToken(entry);
    m_tray->showMessage(tr("Signed in to Z.AI"),
                        account.isEmpty()
                            ? tr("The bridge now uses this account.")
                            : tr("The bridge now uses this account: %1.").arg(account),
                        false);
}

void TrayApplication::openSettings()
{
    if (!m_settingsDialog) {
        auto *dialog = new SettingsDialog(m_profile);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowIcon(TrayIcons::application());
        connect(dialog, &SettingsDialog::applied, this, &TrayApplication::applySettings);
        connect(dialog, &SettingsDialog::zaiWindowRequested, this,
                &TrayApplication::openZaiWindow);
        dialog->setZaiWindowAvailable(m_options.zaiWindow != nullptr);
        // Settings → Test asks the same captcha source as the bridge (while the window lives).
        if (m_options.zaiWindow)
            dialog->setCaptchaSource(m_options.zaiWindow->captchaSource());
        m_settingsDialog = dialog;
    }
    // An open dialog keeps what the user typed (it may be minimised or behind other windows);
    // only a dialog that is not on screen is filled from the current settings.
    if (!m_settingsDialog->isVisible()) {
        m_settingsDialog->setSecretBackend(
            m_store->secretStore() ? m_store->secretStore()->backendName() : QString());
        m_settingsDialog->setServerPort(m_bridge->isRunning() ? m_bridge->port() : 0);
        m_settingsDialog->setSettings(m_bridge->settings());
    }
    restore(m_settingsDialog);
}

void TrayApplication::openLog()
{
    if (!m_logWindow) {
        auto *window = new RequestLogWindow(m_log);
        window->setAttribute(Qt::WA_DeleteOnClose);
        m_logWindow = window;
    }
    m_logWindow->setDetailedLogging(m_bridge->settings().detailedLogging);
    restore(m_logWindow);
}

void TrayApplication::showFirstRunNotice()
{
    // The first run: more than a new icon somewhere in a panel. The key is the user's own (it is
    // in Settings too) and shown only here, never in a notification that a log may keep.
    auto *box = new QMessageBox(QMessageBox::Information, tr("ZaiBridge is ready"), QString());
    box->setObjectName(u"firstRunNotice"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIconPixmap(TrayIcons::application().pixmap(64, 64));
    box->setTextFormat(Qt::RichText);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QString lan;
    for (const QString &url : m_bridge->lanBaseUrls())
        lan += tr("<p>From other computers on your network: <code>%1</code></p>").arg(url);
    box->setText(
        tr("<h3>ZaiBridge is ready</h3>"
           "<p>It lives in the system tray (or in its small window where there is no tray). "
           "Set up your client with:</p>"
           "<p>OpenAI clients (Cline, Roo Code, Kilo Code, Codex): base URL <code>%1</code></p>"
           "<p>Claude Code: <code>ANTHROPIC_BASE_URL=%2</code></p>"
           "%3"
           "<p>API key: <code>%4</code></p>"
           "<p>The tray menu copies the base URL and the key; Settings → Server shows them "
           "again.</p>")
            .arg(m_bridge->baseUrl(), m_bridge->anthropicBaseUrl(), lan,
                 m_bridge->settings().apiKey.toHtmlEscaped()));
    m_firstRun = box;
    box->setModal(false); // the menu and the settings stay usable beside it
    box->show();
}

void TrayApplication::showAbout()
{
    if (!m_about) {
        auto *box = new QMessageBox(QMessageBox::NoIcon, tr("About ZaiBridge"), QString());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setIconPixmap(TrayIcons::application().pixmap(64, 64));
        m_about = box;
    }
    m_about->setText(tr("<h3>ZaiBridge %1</h3><p>A local OpenAI-compatible API in front of the "
                        "Z.AI GLM web chat, for Cline, Roo Code, Kilo Code and other clients.</p>"
                        "<p>Base URL: <code>%2</code></p><p>MIT License.</p>")
                         .arg(QCoreApplication::applicationVersion(), m_bridge->baseUrl()));
    m_about->open();
}

void TrayApplication::quit()
{
    m_bridge->stop();
    if (m_ready)
        m_store->savePlain(m_bridge->settings()); // what the bridge runs with is kept
    m_options.settings->sync();
    // exit(), not quit(): QApplication::quit() first asks every window to close, and the fallback
    // window refuses (it minimises itself when there is no tray), which cancelled the quit.
    QCoreApplication::exit(0);
}

void TrayApplication::bringToFront()
{
    // A second launch: the window the user has open comes back to the front (restored when
    // minimised); with none open, the settings open, so that the launch shows something.
    if (m_question && m_question->isVisible()) {
        restore(m_question);
    } else if (m_settingsDialog && m_settingsDialog->isVisible()) {
        restore(m_settingsDialog);
    } else if (m_logWindow && m_logWindow->isVisible()) {
        restore(m_logWindow);
    } else if (m_tray->mainWindow() && m_tray->mainWindow()->isVisible()) {
        m_tray->bringToFront();
    } else if (m_ready) {
        openSettings();
    } else {
        m_tray->bringToFront();
    }
}
