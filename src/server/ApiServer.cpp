// SPDX-License-Identifier: MIT
#include "ApiServer.h"

#include "conversation/ApiError.h"
#include "ChatExchange.h"
#include "conversation/Conversation.h"
#include "dialects/anthropic_messages/MessagesDialect.h"
#include "dialects/anthropic_messages/MessagesFormat.h"
#include "dialects/anthropic_messages/MessagesRequest.h"
#include "dialects/openai_chat/ChatCompletionsDialect.h"
#include "dialects/openai_responses/ResponsesDialect.h"
#include "session/ChatSession.h"
#include "GuardedTcpServer.h"
#include "HttpCompat.h"
#include "zai/ImageInput.h"
#include "util/Logging.h"
#include "dialects/openai_chat/OpenAiFormat.h"
#include "util/Redact.h"
#include "zai/CaptchaSource.h"
#include "zai/TokenPool.h"
#include "zai/ZaiClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

// The QtHttpServer side: every request goes to ApiServer::handle().
class ApiServer::Frontend : public HttpServerBase
{
public:
    Frontend(ApiServer *owner, GuardedTcpServer *tcp)
        : HttpServerBase(owner), m_owner(owner), m_tcp(tcp)
    {
    }

protected:
    void dispatch(const QHttpServerRequest &request, std::unique_ptr<HttpExchange> exchange) override
    {
        m_owner->handle(request, std::move(exchange));
    }
    QTcpSocket *socketFor(const QHostAddress &peer, quint16 port) const override
    {
        return m_tcp->socketFor(peer, port);
    }

private:
    ApiServer *m_owner;
    GuardedTcpServer *m_tcp;
};

struct ApiServer::Route
{
    QByteArray method;
    QString path;
    bool prefix; // path is a prefix: /v1/models/{id}
    bool needsKey;
    void (ApiServer::*handler)(const QHttpServerRequest &, std::unique_ptr<HttpExchange> &,
                               RequestRecord &, const Dialect &);
    const Dialect *dialect; // the wire format of the route's answers and errors
};

namespace {

// The bridge's own routes (/, /health) and unknown paths answer errors in the OpenAI envelope.
const ChatCompletionsDialect &openAiChat()
{
    static const ChatCompletionsDialect dialect;
    return dialect;
}

// Claude Code and the Anthropic SDKs: POST /v1/messages and /v1/messages/count_tokens.
const MessagesDialect &anthropicMessages()
{
    static const MessagesDialect dialect;
    return dialect;
}

// The Codex CLI and the OpenAI SDKs' responses API: POST /v1/responses.
const ResponsesDialect &openAiResponses()
{
    static const ResponsesDialect dialect;
    return dialect;
}

QByteArray methodName(const QHttpServerRequest &request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    case QHttpServerRequest::Method::Trace: return "TRACE";
    default: break;
    }
    return "UNKNOWN";
}

QByteArray keyDigest(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

// Compares digests, so that neither the content nor the length of the key leaks through time.
bool digestMatches(QByteArrayView presented, const QByteArray &expectedDigest)
{
    const QByteArray digest = keyDigest(presented);
    unsigned char diff = digest.size() == expectedDigest.size() ? 0 : 1;
    for (qsizetype i = 0; i < digest.size() && i < expectedDigest.size(); ++i)
        diff |= static_cast<unsigned char>(digest.at(i) ^ expectedDigest.at(i));
    return diff == 0;
}

} // namespace

ApiServer::ApiServer(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<RequestRecord>();
}

ApiServer::~ApiServer()
{
    stop();
}

quint16 ApiServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString ApiServer::baseUrl() const
{
    QString host = m_config.listenHost;
    if (host == u"0.0.0.0" || host == u"::" || host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        host = u"127.0.0.1"_s;
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return u"http://%1:%2/v1"_s.arg(host).arg(port());
}

bool ApiServer::start(const BridgeConfig &config, const UpstreamProfile &profile, QString *error)
{
    stop();
    setConfig(config);
    auto *tcp = new GuardedTcpServer(this);
    tcp->setMaxBodyBytes(config.maxBodyBytes);
    const ApiError tooLarge(
        ApiError::Kind::PayloadTooLarge,
        u"The request body is larger than the limit of %1 MiB (MAX_REQUEST_BODY_MB)."_s.arg(
            config.maxBodyBytes / (1024 * 1024)));
    tcp->setErrorBody(openAiChat().errorBody(tooLarge));
    tcp->setErrorBody(anthropicMessages().errorBody(tooLarge), "/v1/messages");
    if (config.corsOrigins.contains(u"*"_s))
        tcp->setExtraHeaders("Access-Control-Allow-Origin: *\r\n");
    const QHostAddress address = config.listenHost.compare(u"localhost"_s, Qt::CaseInsensitive) == 0
                                     ? QHostAddress(QHostAddress::LocalHost)
                                     : QHostAddress(config.listenHost);
    m_listenError = QAbstractSocket::UnknownSocketError;
    if (!tcp->listen(address, config.listenPort)) {
        m_listenError = tcp->serverError();
        const bool inUse = m_listenError == QAbstractSocket::AddressInUseError;
        *error = inUse ? tr("Port %1 on %2 is already in use. Stop the program that uses it, or "
                            "choose another port (LISTEN_PORT or --port).")
                             .arg(config.listenPort)
                             .arg(config.listenHost)
                       : tr("Cannot listen on %1:%2: %3")
                             .arg(config.listenHost)
                             .arg(config.listenPort)
                             .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    auto *http = new Frontend(this, tcp);
    if (!http->bindTcpServer(tcp)) {
        *error = tr("The HTTP server could not take over the listening socket.");
        const QPointer<GuardedTcpServer> guard = tcp;
        delete http; // may own the socket already
        delete guard.data();
        return false;
    }
    tcp->attachAfterHttpServer();
    m_tcp = tcp;
    m_http = http;
    createClient(config, profile);
    m_uptime.start();
    m_startedAt = QDateTime::currentSecsSinceEpoch();
    qCInfo(lcServer).noquote() << "serving the OpenAI API at" << baseUrl();
    Q_EMIT runningChanged(true);
    return true;
}

void ApiServer::stop()
{
    if (!m_tcp)
        return;
    // Cancel in-flight answers first (they hold responders), then the server, then the socket.
    const auto exchanges = findChildren<ChatExchange *>(Qt::FindDirectChildrenOnly);
    for (ChatExchange *exchange : exchanges) {
        exchange->serverStopping();
        delete exchange;
    }
    // QtHttpServer makes the listening socket its child when it is bound to it, so deleting the
    // HTTP server may delete the socket too: close it first and track it.
    const QPointer<GuardedTcpServer> tcp = m_tcp;
    m_tcp = nullptr;
    tcp->close();
    delete m_http;
    m_http = nullptr;
    delete tcp.data();
    delete m_client;
    m_client = nullptr;
    qCInfo(lcServer) << "server stopped";
    Q_EMIT runningChanged(false);
}

void ApiServer::createClient(const BridgeConfig &config, const UpstreamProfile &profile)
{
    m_client = new ZaiClient(config, profile, this);
    m_client->setCaptchaSource(m_captchaSource);
    connect(m_client->tokens(), &TokenPool::allTokensRejected, this, &ApiServer::allTokensRejected);
    connect(m_client, &ZaiClient::captchaRequired, this, &ApiServer::captchaRequired);
}

void ApiServer::setCaptchaSource(CaptchaSource *source)
{
    m_captchaSource = source;
    if (m_client)
        m_client->setCaptchaSource(source);
}

bool ApiServer::needsRebind(const BridgeConfig &before, const BridgeConfig &after)
{
    return before.listenHost != after.listenHost || before.listenPort != after.listenPort
           || before.maxBodyBytes != after.maxBodyBytes
           || before.corsOrigins.contains(u"*"_s) != after.corsOrigins.contains(u"*"_s);
}

bool ApiServer::reconfigure(const BridgeConfig &config, const UpstreamProfile &profile)
{
    if (!m_tcp || needsRebind(m_config, config))
        return false;
    BridgeConfig applied = config;
    applied.listenPort = m_config.listenPort; // keeps port 0 meaning "the port we got"
    setConfig(applied);
    // Sessions in flight hold the old client: it goes when the last of them has gone.
    ZaiClient *old = m_client;
    disconnect(old->tokens(), nullptr, this, nullptr);
    createClient(applied, profile);
    const auto exchanges = findChildren<ChatExchange *>(Qt::FindDirectChildrenOnly);
    if (exchanges.isEmpty()) {
        delete old;
    } else {
        auto remaining = std::make_shared<qsizetype>(exchanges.size());
        const QPointer<ZaiClient> guard = old;
        for (ChatExchange *exchange : exchanges) {
            connect(exchange, &QObject::destroyed, this, [remaining, guard] {
                // Later: the exchange's session still talks to the client while it dies.
                if (--*remaining == 0 && guard)
                    guard->deleteLater();
            });
        }
    }
    qCInfo(lcServer) << "configuration applied without restarting the server";
    return true;
}

QList<QPair<QByteArray, QByteArray>> ApiServer::commonHeaders(const QByteArray &origin,
                                                              const QByteArray &contentType) const
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.emplaceBack("Content-Type", contentType);
    if (m_config.corsOrigins.contains(u"*"_s)) {
        headers.emplaceBack("Access-Control-Allow-Origin", "*");
    } else if (!origin.isEmpty() && m_config.corsOrigins.contains(QString::fromUtf8(origin))) {
        headers.emplaceBack("Access-Control-Allow-Origin", origin);
        headers.emplaceBack("Vary", "Origin");
    }
    return headers;
}

void ApiServer::setConfig(const BridgeConfig &config)
{
    m_config = config;
    m_loopbackListen = config.isLoopbackHost();
    m_apiKeyDigest = keyDigest(config.apiKey.toUtf8());
}

bool ApiServer::authorized(const QHttpServerRequest &request) const
{
    if (!m_config.authRequired())
        return true;
    const QByteArray apiKey = HttpCompat::header(request, "x-api-key");
    const QByteArray authorization = HttpCompat::header(request, "authorization");
    QByteArrayView presented = QByteArrayView(apiKey).trimmed();
    const QByteArrayView bearer = QByteArrayView(authorization).trimmed();
    if (bearer.size() > 7 && bearer.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        presented = bearer.sliced(7).trimmed();
    return !presented.isEmpty() && digestMatches(presented, m_apiKeyDigest);
}

bool ApiServer::hostAllowed(const QHttpServerRequest &request) const
{
    if (!m_loopbackListen)
        return true;
    QByteArray host = HttpCompat::header(request, "host").trimmed().toLower();
    if (host.isEmpty())
        return true; // HTTP/1.0 clients send none; a browser always does
    if (host.startsWith('[')) {
        host = host.mid(1, host.indexOf(']') - 1);
    } else if (host.count(':') == 1) {
        host = host.left(host.indexOf(':'));
    }
    if (host == "localhost" || host == "127.0.0.1" || host.endsWith(".localhost"))
        return true; // (the address most clients use, without parsing it)
    const QHostAddress address(QString::fromLatin1(host));
    return !address.isNull() && address.isLoopback();
}

void ApiServer::sendJson(std::unique_ptr<HttpExchange> &exchange, const QHttpServerRequest &request,
                         int status, const QByteArray &json, RequestRecord &record,
                         QList<QPair<QByteArray, QByteArray>> extra)
{
    auto headers = commonHeaders(HttpCompat::header(request, "origin"), "application/json");
    headers.append(extra);
    exchange->respond(status, json, headers);
    record.status = status;
}

void ApiServer::sendError(std::unique_ptr<HttpExchange> &exchange,
                          const QHttpServerRequest &request, const ApiError &error,
                          RequestRecord &record, const Dialect &dialect,
                          QList<QPair<QByteArray, QByteArray>> extra)
{
    if (error.kind() == ApiError::Kind::InvalidApiKey)
        extra.emplaceBack("WWW-Authenticate", "Bearer");
    if (error.retryAfterSeconds() > 0)
        extra.emplaceBack("Retry-After", QByteArray::number(error.retryAfterSeconds()));
    record.error = error.message();
    record.errorCode = error.code();
    sendJson(exchange, request, dialect.errorStatus(error), dialect.errorBody(error), record, extra);
}

void ApiServer::log(const RequestRecord &record)
{
    // printf-style: without QDebug's text stream, which costs more than the line itself
    qCInfo(lcAccess, "%ls", qUtf16Printable(record.toLogLine()));
    Q_EMIT requestFinished(record);
}

void ApiServer::handle(const QHttpServerRequest &request, std::unique_ptr<HttpExchange> exchange)
{
    static const QList<Route> routes = {
        {"GET", u"/"_s, false, false, &ApiServer::handleRoot, &openAiChat()},
        {"GET", u"/health"_s, false, false, &ApiServer::handleHealth, &openAiChat()},
        {"GET", u"/v1/models"_s, false, true, &ApiServer::handleModels, &openAiChat()},
        {"GET", u"/v1/models/"_s, true, true, &ApiServer::handleModel, &openAiChat()},
        {"POST", u"/v1/chat/completions"_s, false, true, &ApiServer::handleChat, &openAiChat()},
        // The query (Claude Code's ?beta=true) is not part of the path.
        {"POST", u"/v1/messages"_s, false, true, &ApiServer::handleChat, &anthropicMessages()},
        {"POST", u"/v1/messages/count_tokens"_s, false, true, &ApiServer::handleCountTokens,
         &anthropicMessages()},
        {"POST", u"/v1/responses"_s, false, true, &ApiServer::handleChat, &openAiResponses()},
        // Aliases for clients configured with a base URL without /v1.
        {"GET", u"/models"_s, false, true, &ApiServer::handleModels, &openAiChat()},
        {"GET", u"/models/"_s, true, true, &ApiServer::handleModel, &openAiChat()},
        {"POST", u"/chat/completions"_s, false, true, &ApiServer::handleChat, &openAiChat()},
        {"POST", u"/responses"_s, false, true, &ApiServer::handleChat, &openAiResponses()},
    };

    RequestRecord record;
    record.timeMs = QDateTime::currentMSecsSinceEpoch();
    record.method = QString::fromLatin1(methodName(request));
    QString path = request.url().path();
    if (path.size() > 1 && path.endsWith(u'/') && !path.startsWith(u"/v1/models/"_s)
        && !path.startsWith(u"/models/"_s))
        path.chop(1);
    record.path = path;
    QElapsedTimer clock;
    clock.start();
    const auto finishPlain = [&] {
        record.latencyMs = clock.elapsed();
        log(record);
    };

    if (!hostAllowed(request)) {
        sendError(exchange, request,
                  ApiError(ApiError::Kind::PermissionDenied,
                           u"Requests for the host \"%1\" are refused while ZaiBridge listens on a "
                           u"loopback address (DNS-rebinding protection). Use 127.0.0.1 or "
                           u"localhost."_s.arg(QString::fromUtf8(HttpCompat::header(request, "host"))),
                           {}, u"host_not_allowed"_s),
                  record, openAiChat());
        return finishPlain();
    }

    const QByteArray method = methodName(request);
    QList<const Route *> pathMatches;
    for (const Route &route : routes) {
        const bool matches = route.prefix ? (path.startsWith(route.path) && path.size() > route.path.size())
                                          : path == route.path;
        if (matches)
            pathMatches.append(&route);
    }
    if (pathMatches.isEmpty()) {
        // Anthropic's clients read Anthropic's errors (e.g. the unsupported /v1/messages/batches)
        const Dialect &dialect = path.startsWith(u"/v1/messages/"_s)
                                     ? static_cast<const Dialect &>(anthropicMessages())
                                     : openAiChat();
        // GET /v1/responses/{id} and its kin: what a client of a storing server tries
        const QString message =
            path.startsWith(u"/v1/responses/"_s)
                ? u"Response not found: ZaiBridge keeps no responses (%1 %2). Every answer of "
                  u"POST /v1/responses comes whole in its reply or its stream."_s
                : u"Unknown path %1 %2. This server serves GET /v1/models, POST "
                  u"/v1/chat/completions, POST /v1/responses and POST /v1/messages."_s;
        sendError(exchange, request,
                  ApiError(ApiError::Kind::NotFound,
                           message.arg(QString::fromLatin1(method), path)),
                  record, dialect);
        return finishPlain();
    }
    QByteArray allow;
    const Route *route = nullptr;
    for (const Route *candidate : std::as_const(pathMatches)) {
        allow += (allow.isEmpty() ? "" : ", ") + candidate->method;
        if (candidate->method == method || (method == "HEAD" && candidate->method == "GET"))
            route = candidate;
    }
    allow += ", OPTIONS";
    if (method == "OPTIONS") {
        // CORS preflight (or a plain OPTIONS): answer without a key.
        auto headers = commonHeaders(HttpCompat::header(request, "origin"), {});
        headers.emplaceBack("Allow", allow);
        headers.emplaceBack("Access-Control-Allow-Methods", allow);
        QByteArray requested = HttpCompat::header(request, "access-control-request-headers");
        if (requested.isEmpty())
            requested = "Authorization, Content-Type, X-Api-Key";
        headers.emplaceBack("Access-Control-Allow-Headers", requested);
        headers.emplaceBack("Access-Control-Max-Age", "86400");
        exchange->respond(204, {}, headers);
        record.status = 204;
        return finishPlain();
    }
    if (!route) {
        sendError(exchange, request,
                  ApiError(ApiError::Kind::MethodNotAllowed,
                           u"Method %1 is not allowed for %2; use %3."_s.arg(
                               QString::fromLatin1(method), path, QString::fromLatin1(allow))),
                  record, *pathMatches.first()->dialect, {{"Allow", allow}});
        return finishPlain();
    }
    if (route->needsKey && !authorized(request)) {
        const bool missing = HttpCompat::header(request, "authorization").isEmpty()
                             && HttpCompat::header(request, "x-api-key").isEmpty();
        sendError(exchange, request,
                  ApiError(ApiError::Kind::InvalidApiKey,
                           missing ? u"Missing API key: send it as \"Authorization: Bearer <key>\" "
                                     u"or \"x-api-key\"."_s
                                   : u"Incorrect API key provided."_s),
                  record, *route->dialect);
        return finishPlain();
    }
    (this->*(route->handler))(request, exchange, record, *route->dialect);
    if (exchange) {
        // Answered synchronously.
        record.latencyMs = clock.elapsed();
        log(record);
    }
}

void ApiServer::handleRoot(const QHttpServerRequest &request,
                           std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                           const Dialect &)
{
    const QJsonObject body{
        {u"name"_s, u"ZaiBridge"_s},
        {u"description"_s, u"OpenAI-compatible gateway to the Z.AI GLM web chat"_s},
        {u"version"_s, QStringLiteral(ZB_VERSION)},
        {u"endpoints"_s, QJsonArray{u"GET /health"_s, u"GET /v1/models"_s,
                                    u"GET /v1/models/{id}"_s, u"POST /v1/chat/completions"_s,
                                    u"POST /v1/responses"_s, u"POST /v1/messages"_s,
                                    u"POST /v1/messages/count_tokens"_s}}};
    sendJson(exchange, request, 200, QJsonDocument(body).toJson(QJsonDocument::Compact), record);
}

void ApiServer::handleHealth(const QHttpServerRequest &request,
                             std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                             const Dialect &)
{
    QJsonObject upstream;
    const auto last = m_client->lastCallSucceeded();
    upstream.insert(u"last_call_ok"_s, last ? QJsonValue(*last) : QJsonValue(QJsonValue::Null));
    upstream.insert(u"last_call_at"_s, m_client->lastCallAt().isValid()
                                           ? QJsonValue(m_client->lastCallAt().toString(Qt::ISODate))
                                           : QJsonValue(QJsonValue::Null));
    const QJsonObject body{{u"status"_s, u"ok"_s},
                           {u"version"_s, QStringLiteral(ZB_VERSION)},
                           {u"uptime_seconds"_s, double(m_uptime.elapsed() / 1000)},
                           {u"upstream"_s, upstream}};
    sendJson(exchange, request, 200, QJsonDocument(body).toJson(QJsonDocument::Compact), record);
}

void ApiServer::handleModels(const QHttpServerRequest &request,
                             std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                             const Dialect &)
{
    // Claude Code and the Anthropic SDKs send anthropic-version, and read Anthropic's list.
    const QJsonObject list =
        HttpCompat::header(request, "anthropic-version").isEmpty()
            ? OpenAiFormat::modelList(m_client->catalogue(), m_startedAt)
            : MessagesFormat::modelList(m_client->catalogue(), m_startedAt);
    sendJson(exchange, request, 200, QJsonDocument(list).toJson(QJsonDocument::Compact), record);
}

void ApiServer::handleModel(const QHttpServerRequest &request,
                            std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                            const Dialect &dialect)
{
    const qsizetype slash = record.path.indexOf(u"/models/"_s);
    const QString id = QUrl::fromPercentEncoding(record.path.mid(slash + 8).toUtf8());
    const bool anthropic = !HttpCompat::header(request, "anthropic-version").isEmpty();
    const ModelEntry *entry = m_client->catalogue().find(id);
    if (!entry) {
        sendError(exchange, request,
                  ApiError(ApiError::Kind::ModelNotFound,
                           u"The model '%1' does not exist."_s.arg(id), u"model"_s),
                  record, anthropic ? static_cast<const Dialect &>(anthropicMessages()) : dialect);
        return;
    }
    const QJsonObject model = anthropic ? MessagesFormat::model(*entry, m_startedAt)
                                        : OpenAiFormat::model(*entry, m_startedAt);
    sendJson(exchange, request, 200, QJsonDocument(model).toJson(QJsonDocument::Compact), record);
}

void ApiServer::handleChat(const QHttpServerRequest &request,
                           std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                           const Dialect &dialect)
{
    const QByteArray body = request.body(); // the request object is reused: copy now
    if (lcServer().isDebugEnabled())
        qCDebug(lcServer).noquote() << "chat request:" << Redact::bytes(body.left(4000));
    record.dialect = dialect.name();
    ApiError error;
    std::optional<Dialect::Request> parsed = dialect.parse(body, &error);
    if (!parsed)
        return sendError(exchange, request, error, record, dialect);
    Conversation &conversation = parsed->conversation;
    record.clientModel = conversation.model;
    record.stream = conversation.stream;
    const ModelEntry *model = findModel(conversation.model, dialect, &error);
    if (!model)
        return sendError(exchange, request, error, record, dialect);
    record.clientModel = model->id;
    record.upstreamModel = model->upstreamId;
    if (ImageInput::imageCount(conversation) > 0) {
        QStringList imageModels;
        for (const ModelEntry &e : m_client->catalogue().entries()) {
            if (e.images == ModelEntry::Images::Upload && e.vision)
                imageModels.append(e.id);
        }
        const ApiError imageError = ImageInput::prepare(
            conversation, *model, {m_config.maxImageBytes, m_config.maxImages}, imageModels);
        if (imageError.isError())
            return sendError(exchange, request, imageError, record, dialect);
    }

    auto *session = new ChatSession(m_client, std::move(conversation), *model);
    const QByteArray origin = HttpCompat::header(request, "origin");
    auto headers = [this, origin](const QByteArray &contentType) {
        return commonHeaders(origin, contentType);
    };
    auto *chat = new ChatExchange(std::move(exchange), session, std::move(parsed->writer), &dialect,
                                  headers, m_config.keepAliveMs, record, this);
    connect(chat, &ChatExchange::done, this, &ApiServer::log);
    chat->start();
}

const ModelEntry *ApiServer::findModel(const QString &name, const Dialect &dialect,
                                       ApiError *error) const
{
    if (const ModelEntry *model = dialect.findModel(m_client->catalogue(), name))
        return model;
    QStringList names;
    for (const ModelEntry &e : m_client->catalogue().entries())
        names.append(e.id);
    *error = ApiError(ApiError::Kind::ModelNotFound,
                      u"The model '%1' does not exist. Available models: %2."_s.arg(
                          name, names.join(u", "_s)),
                      u"model"_s);
    return nullptr;
}

void ApiServer::handleCountTokens(const QHttpServerRequest &request,
                                  std::unique_ptr<HttpExchange> &exchange, RequestRecord &record,
                                  const Dialect &dialect)
{
    record.dialect = dialect.name();
    ApiError error;
    const std::optional<MessagesRequest> parsed =
        MessagesRequest::parse(request.body(), &error, MessagesRequest::Purpose::CountTokens);
    if (!parsed)
        return sendError(exchange, request, error, record, dialect);
    const ModelEntry *model = findModel(parsed->conversation.model, dialect, &error);
    if (!model)
        return sendError(exchange, request, error, record, dialect);
    record.clientModel = model->id;
    record.upstreamModel = model->upstreamId;
    sendJson(exchange, request, 200,
             MessagesFormat::tokenCount(MessagesRequest::inputTokens(parsed->conversation)), record);
}
