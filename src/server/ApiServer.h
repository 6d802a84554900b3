// SPDX-License-Identifier: MIT
#pragma once

#include "config/BridgeConfig.h"
#include "util/RequestRecord.h"
#include "zai/UpstreamProfile.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

class ApiError;
class Dialect;
struct ModelEntry;
class GuardedTcpServer;
class HttpExchange;
class QHttpServerRequest;
class CaptchaSource;
class ZaiClient;

// The OpenAI-compatible HTTP server: routes, auth, CORS, the DNS-rebinding guard and the access
// log, in front of a ZaiClient. Start, stop and restart it from the GUI thread; nothing blocks.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(QObject *parent = nullptr);
    ~ApiServer() override;

    // Listens and serves; on failure returns false with a message that says how to fix it.
    bool start(const BridgeConfig &config, const UpstreamProfile &profile, QString *error);
    void stop();
    // Applies a new configuration to a running server without closing the listening socket:
    // tokens, models, timeouts, proxy, CORS and the API key. Requests in flight finish on the
    // old upstream client. Returns false (and changes nothing) when the server is stopped or the
    // change needs a new socket (see needsRebind): call start() then.
    bool reconfigure(const BridgeConfig &config, const UpstreamProfile &profile);
    static bool needsRebind(const BridgeConfig &before, const BridgeConfig &after);

    bool isRunning() const { return m_tcp != nullptr; }
    quint16 port() const;
    // Why the last start() could not listen (QAbstractSocket::UnknownSocketError when it did).
    QAbstractSocket::SocketError listenError() const { return m_listenError; }
    QString baseUrl() const; // http://127.0.0.1:PORT/v1
    ZaiClient *client() const { return m_client; }
    // Where captcha verify parameters come from (not owned; kept across restarts and
    // reconfigurations). None: requests that meet Z.AI's captcha gate get 403 captcha_required
    // and captchaRequired() is emitted.
    void setCaptchaSource(CaptchaSource *source);
    const BridgeConfig &config() const { return m_config; }

    // Dispatch entry for the HTTP front end (HttpCompat); public for it only.
    void handle(const QHttpServerRequest &request, std::unique_ptr<HttpExchange> exchange);

Q_SIGNALS:
    void runningChanged(bool running);
    void requestFinished(const RequestRecord &record);
    // Every configured Z.AI token was rejected (forwarded from the client's TokenPool).
    void allTokensRejected();
    // Z.AI asked for a captcha and no source is set (`reason`: what Z.AI said).
    void captchaRequired(const QString &reason);

private:
    struct Route;
    class Frontend;

    void handleRoot(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &, RequestRecord &,
                      const Dialect &);
    void handleHealth(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &, RequestRecord &,
                        const Dialect &);
    void handleModels(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &, RequestRecord &,
                        const Dialect &);
    void handleModel(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &, RequestRecord &,
                       const Dialect &);
    void handleChat(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &, RequestRecord &,
                      const Dialect &);
    void handleCountTokens(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &,
                           RequestRecord &, const Dialect &);
    // The model a client named, as its dialect maps it; nullptr with a 404 in *error.
    const ModelEntry *findModel(const QString &name, const Dialect &dialect,
                                ApiError *error) const;

    bool authorized(const QHttpServerRequest &request) const;
    bool hostAllowed(const QHttpServerRequest &request) const;
    QList<QPair<QByteArray, QByteArray>> commonHeaders(const QByteArray &origin,
                                                       const QByteArray &contentType) const;
    void sendJson(std::unique_ptr<HttpExchange> &exchange, const QHttpServerRequest &request,
                  int status, const QByteArray &json, RequestRecord &record,
                  QList<QPair<QByteArray, QByteArray>> extra = {});
    void sendError(std::unique_ptr<HttpExchange> &exchange, const QHttpServerRequest &request,
                   const class ApiError &error, RequestRecord &record, const Dialect &dialect,
                   QList<QPair<QByteArray, QByteArray>> extra = {});
    void log(const RequestRecord &record);
    void createClient(const BridgeConfig &config, const UpstreamProfile &profile);

    void setConfig(const BridgeConfig &config);

    BridgeConfig m_config;
    // Derived from m_config once instead of for every request.
    bool m_loopbackListen = false;
    QByteArray m_apiKeyDigest; // SHA-256 of the configured key
    GuardedTcpServer *m_tcp = nullptr;
    Frontend *m_http = nullptr;
    ZaiClient *m_client = nullptr;
    QPointer<CaptchaSource> m_captchaSource;
    QElapsedTimer m_uptime;
    qint64 m_startedAt = 0;
    QAbstractSocket::SocketError m_listenError = QAbstractSocket::UnknownSocketError;
};
