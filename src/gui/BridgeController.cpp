// SPDX-License-Identifier: MIT
#include "BridgeController.h"

#include "ApiServer.h"
#include "util/Logging.h"
#include "util/Redact.h"

#include <QNetworkInterface>

using namespace Qt::StringLiterals;

BridgeController::BridgeController(UpstreamProfile baseProfile, QObject *parent)
    : QObject(parent), m_baseProfile(std::move(baseProfile)), m_server(new ApiServer(this))
{
    connect(m_server, &ApiServer::requestFinished, this, &BridgeController::onRequestFinished);
    connect(m_server, &ApiServer::allTokensRejected, this, [this] {
        raiseAlert(u"tokens-rejected"_s, tr("Z.AI rejected every token"),
                   tr("Every configured Z.AI token was rejected. Open Settings → Z.AI, test the "
                      "tokens and paste fresh ones from chat.z.ai."));
    });
    connect(m_server, &ApiServer::captchaRequired, this, &BridgeController::captchaRequired);
}

BridgeController::~BridgeController() = default;

void BridgeController::setCaptchaSource(CaptchaSource *source)
{
    m_server->setCaptchaSource(source);
}

bool BridgeController::isRunning() const
{
    return m_server->isRunning();
}

quint16 BridgeController::port() const
{
    return m_server->isRunning() ? m_server->port() : m_settings.port;
}

QString BridgeController::baseUrl() const
{
    return anthropicBaseUrl() + u"/v1"_s;
}

QString BridgeController::anthropicBaseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

QStringList BridgeController::lanAddresses()
{
    QStringList addresses;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
            && !address.isLinkLocal())
            addresses.append(address.toString());
    }
    return addresses;
}

QStringList BridgeController::lanBaseUrls() const
{
    QStringList urls;
    if (!m_settings.lanAccess)
        return urls;
    for (const QString &address : lanAddresses())
        urls.append(u"http://%1:%2/v1"_s.arg(address).arg(port()));
    return urls;
}

void BridgeController::setSettings(const AppSettings &settings)
{
    m_settings = settings;
    Logging::setDebugEnabled(settings.detailedLogging);
    if (!m_server->isRunning()) {
        if (m_state == State::Error)
            start(); // the change may be the fix (a free port, a key for LAN access)
        return;
    }
    const BridgeConfig after = settings.toBridgeConfig();
    if (m_server->reconfigure(after, settings.profile(m_baseProfile)))
        return;
    if (start())
        Q_EMIT serverRestarted();
}

bool BridgeController::start()
{
    const BridgeConfig config = m_settings.toBridgeConfig();
    if (!config.isLoopbackHost() && config.apiKey.isEmpty()) {
        setState(State::Error, tr("Listening on the network needs an API key: set one in "
                                  "Settings → Server."));
        return false;
    }
    QString error;
    if (!m_server->start(config, m_settings.profile(m_baseProfile), &error)) {
        // The server's own text advises the headless server's flags: the tray says it in its
        // own words, short enough for a tooltip.
        if (m_server->listenError() == QAbstractSocket::AddressInUseError)
            error = tr("Port %1 is already in use by another program.").arg(config.listenPort);
        error = Redact::text(error, m_settings.secrets());
        setState(State::Error, error);
        raiseAlert(u"start-failed"_s, tr("ZaiBridge could not start"),
                   error + u"\n\n"_s +
                       tr("Fix: choose another port in Settings → Server, or stop the other "
                          "program, then click Start server."));
        return false;
    }
    setState(State::Serving);
    return true;
}

void BridgeController::stop()
{
    m_server->stop();
    setState(State::Stopped);
}

void BridgeController::toggle()
{
    if (m_server->isRunning())
        stop();
    else
        start();
}

void BridgeController::setState(State state, const QString &error)
{
    const bool changed = state != m_state || error != m_error;
    m_state = state;
    m_error = error;
    if (changed)
        Q_EMIT stateChanged(state);
}

void BridgeController::raiseAlert(const QString &cause, const QString &title,
                                  const QString &message)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto last = m_lastAlert.constFind(cause);
    if (last != m_lastAlert.cend() && now - *last < AlertIntervalMs)
        return;
    m_lastAlert.insert(cause, now);
    Q_EMIT alert(cause, title, message);
}

void BridgeController::onRequestFinished(const RequestRecord &record)
{
    if (record.errorCode == u"upstream_signature_rejected" ||
        record.errorCode == u"upstream_version_rejected") {
        raiseAlert(u"upstream-changed"_s, tr("Z.AI changed in a way ZaiBridge cannot handle"),
                   tr("%1\n\nCheck for a ZaiBridge update, or set the signing secret or FE "
                      "version in Settings → Z.AI.")
                       .arg(record.error));
    } else if (record.errorCode == u"upstream_token_rejected" && m_settings.tokens.size() > 0) {
        raiseAlert(u"tokens-rejected"_s, tr("Z.AI rejected every token"),
                   tr("Every configured Z.AI token was rejected. Open Settings → Z.AI, test the "
                      "tokens and paste fresh ones from chat.z.ai."));
    }
    Q_EMIT requestFinished(record);
}
