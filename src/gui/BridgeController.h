// SPDX-License-Identifier: MIT
#pragma once

#include "AppSettings.h"
#include "util/RequestRecord.h"
#include "zai/UpstreamProfile.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

class ApiServer;
class CaptchaSource;

// The server as the tray sees it: one state (stopped, serving, error), start/stop, and settings
// that take effect at once (the server is restarted only when its socket must change). Also the
// source of the desktop alerts, each cause at most once a minute.
class BridgeController : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Serving, Error };
    Q_ENUM(State)

    explicit BridgeController(UpstreamProfile baseProfile, QObject *parent = nullptr);
    ~BridgeController() override;

    const AppSettings &settings() const { return m_settings; }
    const UpstreamProfile &baseProfile() const { return m_baseProfile; }
    // Applies new settings; a running server is reconfigured, or restarted when it must rebind.
    void setSettings(const AppSettings &settings);

    bool start();
    void stop();
    void toggle();

    State state() const { return m_state; }
    QString errorText() const { return m_error; }
    bool isRunning() const;
    quint16 port() const;    // the bound port while serving, else the configured one
    QString baseUrl() const; // http://127.0.0.1:PORT/v1 (OpenAI chat and Responses clients)
    // Claude Code's ANTHROPIC_BASE_URL: http://127.0.0.1:PORT, without /v1 (it adds that).
    QString anthropicBaseUrl() const;
    // With LAN access on: the base URLs other computers reach, http://ADDRESS:PORT/v1.
    QStringList lanBaseUrls() const;
    // This computer's IPv4 addresses on its networks (not loopback, not link-local).
    static QStringList lanAddresses();
    ApiServer *server() const { return m_server; }
    // Where verify parameters come from when Z.AI wants a captcha (not owned); null: none, and
    // such requests fail at once with 403 captcha_required and captchaRequired().
    void setCaptchaSource(CaptchaSource *source);

    // An alert that happened less than a minute ago for the same cause is dropped.
    static constexpr qint64 AlertIntervalMs = 60 * 1000;

Q_SIGNALS:
    void stateChanged(BridgeController::State state);
    void requestFinished(const RequestRecord &record);
    void serverRestarted(); // a settings change needed a new socket
    void alert(const QString &cause, const QString &title, const QString &message);
    // Z.AI asked for a captcha and there is no source (`reason`: what Z.AI said).
    void captchaRequired(const QString &reason);

private:
    void setState(State state, const QString &error = {});
    void raiseAlert(const QString &cause, const QString &title, const QString &message);
    void onRequestFinished(const RequestRecord &record);

    UpstreamProfile m_baseProfile;
    AppSettings m_settings;
    ApiServer *m_server;
    State m_state = State::Stopped;
    QString m_error;
    QHash<QString, qint64> m_lastAlert;
};
