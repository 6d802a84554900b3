// SPDX-License-Identifier: MIT
#include "FakeZaiServer.h"

#include "FakeHttpConnection.h"
#include "zai/Signer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcFakeZai, "zb.fakeupstream", QtWarningMsg)

namespace {

constexpr auto CompletionsPath = "/api/v2/chat/completions"_L1;
constexpr auto LegacyCompletionsPath = "/api/chat/completions"_L1;
const QByteArray SignatureFailed =
    R"({"detail":"403: Signature validation failed: 签名验证失败"})"_ba;
const QByteArray InvalidToken =
    R"({"detail":"Your session has expired or the token is invalid. Please sign in again."})"_ba;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The envelope keeps "type" first, as the real server writes it.
QByteArray envelope(const QJsonObject &data)
{
    return R"({"type":"chat:completion","data":)" + compact(data) + '}';
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray traceId()
{
    return QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

// Text of one message's content: a string, or the text parts of a multi-part array.
QString messageText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    const QJsonArray array = content.toArray();
    for (const QJsonValue &part : array) {
        if (part.toObject().value("type"_L1).toString() == "text"_L1)
            parts.append(part.toObject().value("text"_L1).toString());
    }
    return parts.join(u' ');
}

int estimateTokens(qsizetype characters)
{
    return int(std::max<qsizetype>(1, (characters + 3) / 4));
}

// Splits text into at most `parts` pieces of roughly equal length, never between the two halves
// of a surrogate pair.
QStringList splitEvenly(const QString &text, int parts)
{
    QStringList pieces;
    const qsizetype size = text.size();
    const qsizetype n = std::min<qsizetype>(std::max(parts, 1), size);
    qsizetype start = 0;
    for (qsizetype i = 1; i <= n; ++i) {
        qsizetype end = size * i / n;
        if (end < size && end > 0 && text.at(end).isLowSurrogate())
            ++end;
        if (end > start)
            pieces.append(text.mid(start, end - start));
        start = std::max(start, end);
    }
    return pieces;
}

// "prod-fe-1.0.231" -> {1, 0, 231}; empty when it is not three numbers.
QList<int> versionNumbers(const QString &feVersion)
{
    static const QRegularExpression re(u"^prod-fe-(\\d+)\\.(\\d+)\\.(\\d+)$"_s);
    const QRegularExpressionMatch m = re.match(feVersion);
    if (!m.hasMatch())
        return {};
    return {m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt()};
}

// All system-message text of a request: where the gateway puts tool and format instructions. A
// conversation of user messages only (zai-protocol.md P.12) carries them in its first message.
QString systemText(const QJsonArray &messages)
{
    QString system;
    for (const QJsonValue &m : messages) {
        if (m.toObject().value("role"_L1).toString() == "system"_L1)
            system += messageText(m.toObject().value("content"_L1));
    }
    if (system.isEmpty() && !messages.isEmpty())
        system = messageText(messages.first().toObject().value("content"_L1));
    return system;
}

// The request's tool-protocol trigger, or empty.
QString toolTrigger(const QString &system)
{
    static const QRegularExpression triggerRe(u"<Function_[A-Za-z0-9]{4}_Start/>"_s);
    return triggerRe.match(system).captured(0);
}

// The model's side of the tool protocol (zai-protocol.md 7.4), deterministic: with tools offered
// and no result yet, call the forced tool (or the first) with arguments made from its schema; with
// a <tool_result> in the last user turn, answer by quoting it. "[no-tool]" in the last user turn
// makes it ignore the tools.
std::optional<QString> toolProtocolAnswer(const QJsonArray &messages)
{
    const QString system = systemText(messages);
    const QString trigger = toolTrigger(system);
    if (trigger.isEmpty() || !system.contains("<tools>"_L1) || messages.isEmpty())
        return std::nullopt;
    const QJsonObject last = messages.last().toObject();
    const QString lastText = messageText(last.value("content"_L1));
    if (last.value("role"_L1).toString() != "user"_L1 || lastText.contains("[no-tool]"_L1))
        return std::nullopt;
    static const QRegularExpression resultRe(
        u"<tool_result tool=\"([^\"]*)\" call_id=\"([^\"]*)\">(.*?)</tool_result>"_s,
        QRegularExpression::DotMatchesEverythingOption);
    const auto result = resultRe.match(lastText);
    if (result.hasMatch())
        return u"The tool %1 said: %2"_s.arg(result.captured(1), result.captured(3));

    static const QRegularExpression toolRe(
        u"<tool name=\"([^\"]+)\"><description>.*?</description><parameters>(.*?)</parameters></tool>"_s,
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression forcedRe(u"must call the tool \"([^\"]+)\""_s);
    const QString forced = forcedRe.match(system).captured(1);
    QString name;
    QJsonObject schema;
    auto it = toolRe.globalMatch(system);
    while (it.hasNext()) {
        const auto m = it.next();
        if (name.isEmpty() || m.captured(1) == forced) {
            name = m.captured(1);
            schema = QJsonDocument::fromJson(m.captured(2).toUtf8()).object();
        }
    }
    if (name.isEmpty())
        return std::nullopt;
    QJsonObject args;
    const QJsonObject properties = schema.value("properties"_L1).toObject();
    for (auto p = properties.begin(); p != properties.end(); ++p) {
        const QString type = p.value().toObject().value("type"_L1).toString();
        if (type == "integer"_L1 || type == "number"_L1)
            args.insert(p.key(), 1);
        else if (type == "boolean"_L1)
            args.insert(p.key(), true);
        else if (type == "array"_L1)
            args.insert(p.key(), QJsonArray());
        else if (type == "object"_L1)
            args.insert(p.key(), QJsonObject());
        else
            args.insert(p.key(), p.key().contains("path"_L1) ? u"README.md"_s : u"example"_s);
    }
    return u"I will use %1.\n%2\n<function_calls>\n<function_call>\n<tool>%1</tool>\n"
           "<args_json><![CDATA[%3]]></args_json>\n</function_call>\n</function_calls>"_s
        .arg(name, trigger, QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)));
}

const QByteArray MissingFile =
    R"({"detail":[{"type":"missing","loc":["body","file"],"msg":"Field required","input":null}]})"_ba;

struct MultipartPart
{
    QByteArray name;
    QByteArray filename;
    QByteArray type;
    QByteArray data;
};

// A multipart/form-data body split into its parts; empty when it is malformed.
std::optional<QList<MultipartPart>> multipartParts(const QByteArray &body, const QByteArray &boundary)
{
    const QByteArray delimiter = "--" + boundary;
    const QByteArray separator = "\r\n" + delimiter;
    QList<MultipartPart> parts;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        return std::nullopt;
    static const QRegularExpression nameRe(u"\\bname=\"([^\"]*)\""_s);
    static const QRegularExpression fileRe(u"\\bfilename=\"([^\"]*)\""_s);
    static const QRegularExpression typeRe(u"(?:^|\r\n)Content-Type:\\s*([^\r\n]+)"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    while (true) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return parts; // the closing delimiter
        if (body.mid(pos, 2) != "\r\n")
            return std::nullopt;
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", pos + 2);
        if (headerEnd < 0)
            return std::nullopt;
        const QString headers = QString::fromUtf8(body.mid(pos + 2, headerEnd - pos - 2));
        const qsizetype next = body.indexOf(separator, headerEnd + 4);
        if (next < 0)
            return std::nullopt;
        MultipartPart part;
        part.name = nameRe.match(headers).captured(1).toUtf8();
        part.filename = fileRe.match(headers).captured(1).toUtf8();
        part.type = typeRe.match(headers).captured(1).trimmed().toLatin1();
        part.data = body.mid(headerEnd + 4, next - headerEnd - 4);
        parts.append(part);
        pos = next + 2;
    }
}

quint32 bigEndian(const QByteArray &b, qsizetype at, int bytes)
{
    quint32 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | quint8(b.at(at + i));
    return v;
}

// "image/png 16x16": the type the bytes really have and, where cheap to read, the size.
QString describeImage(const QByteArray &b, const QString &declared)
{
    if (b.startsWith("\x89PNG\r\n\x1a\n") && b.size() >= 24 && b.mid(12, 4) == "IHDR")
        return u"image/png %1x%2"_s.arg(bigEndian(b, 16, 4)).arg(bigEndian(b, 20, 4));
    if ((b.startsWith("GIF87a") || b.startsWith("GIF89a")) && b.size() >= 10)
        return u"image/gif %1x%2"_s.arg(quint8(b.at(6)) | quint8(b.at(7)) << 8)
            .arg(quint8(b.at(8)) | quint8(b.at(9)) << 8);
    if (b.startsWith("\xff\xd8")) {
        // Walk the JPEG segments to the first start-of-frame marker.
        qsizetype i = 2;
        while (i + 9 < b.size() && quint8(b.at(i)) == 0xff) {
            const quint8 marker = quint8(b.at(i + 1));
            const bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
                             && marker != 0xcc;
            if (sof)
                return u"image/jpeg %1x%2"_s.arg(bigEndian(b, i + 7, 2)).arg(bigEndian(b, i + 5, 2));
            i += 2 + bigEndian(b, i + 2, 2);
        }
        return u"image/jpeg"_s;
    }
    if (b.size() >= 12 && b.startsWith("RIFF") && b.mid(8, 4) == "WEBP")
        return u"image/webp"_s;
    return declared.isEmpty() ? u"unknown"_s : u"not an image (%1)"_s.arg(declared);
}

} // namespace

FakeZaiServer::FakeZaiServer(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this)), m_feVersion(u"prod-fe-1.0.231"_s),
      m_secret(Signer::defaultSecret()),
      m_models({u"glm-4.7"_s, u"GLM-4-6-API-V1"_s, u"0727-360B-API"_s, u"0727-106B-API"_s,
                u"glm-4.5v"_s, u"glm-4.6v"_s, u"glm-5"_s}),
      m_persistedModels({u"glm-4.7"_s, u"glm-4.6v"_s})
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeZaiServer::onNewConnection);
}

FakeZaiServer::~FakeZaiServer() = default;

bool FakeZaiServer::start(quint16 port)
{
    // The default backlog (50) makes a burst of 200 benchmark connections wait for SYN retries.
    m_server->setListenBacklogSize(1024);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        m_errorString = m_server->errorString();
        return false;
    }
    return true;
}

quint16 FakeZaiServer::port() const
{
    return m_server->serverPort();
}

QUrl FakeZaiServer::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port());
    return url;
}

QString FakeZaiServer::errorString() const
{
    return m_errorString;
}

// --- configuration -------------------------------------------------------------------------

void FakeZaiServer::setFeVersion(const QString &version)
{
    m_feVersion = version.startsWith("prod-fe-"_L1) ? version : u"prod-fe-"_s + version;
}

QString FakeZaiServer::feVersion() const
{
    return m_feVersion;
}

void FakeZaiServer::setLandingPage(const QByteArray &html)
{
    m_landingOverride = html;
}

void FakeZaiServer::setSigningSecret(const QByteArray &secret)
{
    m_secret = secret;
}

void FakeZaiServer::addValidToken(const QString &token)
{
    User user;
    user.role = u"user"_s;
    // JWT-like tokens carry the user in their payload, as the real ones do (section 2.3).
    const QStringList segments = token.split(u'.');
    if (segments.size() == 3) {
        const QJsonObject claims =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(segments.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
                .object();
        for (const auto key : {"id"_L1, "user_id"_L1, "uid"_L1, "sub"_L1}) {
            if (claims.value(key).isString()) {
                user.id = claims.value(key).toString();
                break;
            }
        }
        user.email = claims.value("email"_L1).toString();
    }
    if (user.id.isEmpty()) {
        user.id = QUuid::createUuidV5(QUuid(), token).toString(QUuid::WithoutBraces);
    }
    if (user.email.isEmpty())
        user.email = u"user-"_s + user.id.left(8) + u"@example.com"_s;
    user.name = user.email.section(u'@', 0, 0);
    if (user.email.endsWith("@guest.com"_L1))
        user.role = u"guest"_s;
    m_users.insert(token, user);
}

void FakeZaiServer::revokeToken(const QString &token)
{
    m_users.remove(token);
}

void FakeZaiServer::setGuestAllowed(bool allowed)
{
    m_guestAllowed = allowed;
}

void FakeZaiServer::setPersistedModels(const QStringList &upstreamIds)
{
    m_persistedModels = QSet<QString>(upstreamIds.cbegin(), upstreamIds.cend());
}

void FakeZaiServer::addModel(const QString &upstreamId)
{
    if (!m_models.contains(upstreamId))
        m_models.append(upstreamId);
}

QStringList FakeZaiServer::models() const
{
    return m_models;
}

void FakeZaiServer::setDefaultChunks(int chunks)
{
    m_defaultChunks = std::max(1, chunks);
}

void FakeZaiServer::setDefaultDelayMs(int ms)
{
    m_defaultDelayMs = std::max(0, ms);
}

void FakeZaiServer::setThinkingDelayMs(int ms)
{
    m_thinkingDelayMs = std::max(0, ms);
}

void FakeZaiServer::setRequireFeVersionHttpStatus(bool httpStatus)
{
    m_feVersionHttpStatus = httpStatus;
}

void FakeZaiServer::setConcurrencyLimit(int streamsPerToken)
{
    m_concurrencyLimit = std::max(0, streamsPerToken);
}

void FakeZaiServer::setRecording(bool on)
{
    m_recording = on;
}

void FakeZaiServer::enqueue(const FakeReply &reply)
{
    m_replies.enqueue(reply);
}

// --- event builders ------------------------------------------------------------------------

QByteArray FakeZaiServer::answerEvent(const QString &text)
{
    return envelope({{"phase"_L1, u"answer"_s}, {"delta_content"_L1, text}});
}

QByteArray FakeZaiServer::thinkingEvent(const QString &text)
{
    return envelope({{"phase"_L1, u"thinking"_s}, {"delta_content"_L1, text}});
}

QString FakeZaiServer::thinkingOpening()
{
    return u"<details type=\"reasoning\" done=\"false\" view=\"\" last_tool_call_name=\"\">\n"
           "<summary>Thinking…</summary>\n> "_s;
}

QString FakeZaiServer::quoteThought(const QString &thought)
{
    QString quoted = thought;
    return quoted.replace(u'\n', "\n> "_L1);
}

QByteArray FakeZaiServer::thinkingEndEvent(const QString &thought, int durationSeconds)
{
    // Index 32 is just after `<details type="reasoning" done="`: the edit flips it to true and
    // re-sends the whole block (section 6.3/6.4).
    const QString seconds = QString::number(durationSeconds);
    return editEvent(32,
                     u"true\" duration=\""_s + seconds +
                         u"\" view=\"\" last_tool_call_name=\"\">\n<summary>Thought for "_s +
                         seconds + u" seconds</summary>\n> "_s + quoteThought(thought) +
                         u"\n</details>"_s,
                     u"answer"_s);
}

QByteArray FakeZaiServer::editEvent(int index, const QString &content, const QString &phase)
{
    return envelope({{"phase"_L1, phase}, {"edit_index"_L1, index}, {"edit_content"_L1, content}});
}

QByteArray FakeZaiServer::usageEvent(int promptTokens, int completionTokens)
{
    const QJsonObject usage{{"prompt_tokens"_L1, promptTokens},
                            {"completion_tokens"_L1, completionTokens},
                            {"total_tokens"_L1, promptTokens + completionTokens},
                            {"prompt_tokens_details"_L1, QJsonObject{{"cached_tokens"_L1, 0}}}};
    return envelope({{"phase"_L1, u"other"_s}, {"usage"_L1, usage}});
}

QByteArray FakeZaiServer::doneEvent()
{
    return envelope({{"phase"_L1, u"done"_s}, {"done"_L1, true}});
}

QByteArray FakeZaiServer::errorEvent(const QJsonValue &code, const QString &detail)
{
    // Nested and flat, both with done, as the real server sends it (section 6.6).
    const QJsonObject error{{"detail"_L1, detail}, {"code"_L1, code}};
    const QJsonObject nested{{"error"_L1, error}, {"done"_L1, true}};
    return envelope({{"data"_L1, nested}, {"error"_L1, error}, {"done"_L1, true}});
}

QString FakeZaiServer::expectedAnswer(const QString &prompt, bool webSearch)
{
    return (webSearch ? u"[search] "_s : QString()) + u"Echo: "_s + prompt;
}

QString FakeZaiServer::expectedThought(const QString &prompt)
{
    return u"The user said: "_s + prompt + u"\nI will echo it back."_s;
}

QList<QByteArray> FakeZaiServer::defaultEvents(const QString &prompt, bool thinking, bool webSearch,
                                               int chunks, int promptTokens)
{
    QList<QByteArray> events;
    QString thought;
    if (thinking) {
        // One delta per thought line, each later line starting with the quote prefix.
        thought = expectedThought(prompt);
        const QStringList lines = thought.split(u'\n');
        events.append(thinkingEvent(thinkingOpening() + lines.first()));
        for (qsizetype i = 1; i < lines.size(); ++i)
            events.append(thinkingEvent(u"\n> "_s + lines.at(i)));
        events.append(thinkingEndEvent(thought));
    }
    const QString answer = expectedAnswer(prompt, webSearch);
    const QStringList pieces = splitEvenly(answer, chunks);
    for (qsizetype i = 0; i < pieces.size(); ++i)
        events.append(answerEvent((thinking && i == 0 ? u"\n"_s : QString()) + pieces.at(i)));
    events.append(usageEvent(promptTokens, estimateTokens(answer.size() + thought.size())));
    events.append(doneEvent());
    return events;
}

// --- recording -----------------------------------------------------------------------------

QList<RecordedRequest> FakeZaiServer::requests(const QString &pathPrefix) const
{
    if (pathPrefix.isEmpty())
        return m_records;
    QList<RecordedRequest> out;
    for (const RecordedRequest &r : m_records) {
        if (r.path.startsWith(pathPrefix))
            out.append(r);
    }
    return out;
}

int FakeZaiServer::count(const QString &pathPrefix) const
{
    int total = 0;
    for (auto it = m_pathCounts.cbegin(); it != m_pathCounts.cend(); ++it) {
        if (it.key().startsWith(pathPrefix))
            total += it.value();
    }
    return total;
}

void FakeZaiServer::clearRecords()
{
    m_records.clear();
    m_pathCounts.clear();
    m_lastRejection.clear();
}

// --- connections and routing ---------------------------------------------------------------

void FakeZaiServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new FakeHttpConnection(socket, this);
        ++m_openConnections;
        ++m_totalConnections;
        connect(
            connection, &FakeHttpConnection::requestReady, this,
            [this, connection](const RecordedRequest &request) { handle(connection, request); });
        connect(connection, &FakeHttpConnection::streamEnded, this,
                [this, connection](bool aborted) {
                    if (!m_streamTokens.remove(connection))
                        return;
                    if (aborted) {
                        ++m_abortedStreams;
                        emit streamAborted();
                    } else {
                        ++m_completedStreams;
                        emit streamFinished();
                    }
                });
        connect(connection, &FakeHttpConnection::closed, this, [this] { --m_openConnections; });
    }
}

void FakeZaiServer::handle(FakeHttpConnection *connection, const RecordedRequest &request)
{
    const QString &path = request.path;
    ++m_pathCounts[path];
    if (m_recording)
        m_records.append(request);
    qCInfo(lcFakeZai) << request.method << path;

    const QPointer<FakeHttpConnection> guard(connection);
    emit requestReceived(path);
    if (!guard)
        return;

    const bool completion = path == CompletionsPath || path == LegacyCompletionsPath;
    if (!completion) {
        FakeReply scripted;
        if (takeScripted(path, false, &scripted)) {
            sendScripted(connection, scripted);
            return;
        }
    }

    // Paths of section 1; a known path with another method gets FastAPI's 405.
    using Handler = void (FakeZaiServer::*)(FakeHttpConnection *, const RecordedRequest &);
    struct Route
    {
        const char *method;
        QLatin1StringView path;
        bool prefix;
        Handler handler;
    };
    static const Route routes[] = {
        {"GET", "/"_L1, false, &FakeZaiServer::handleLanding},
        {"GET", "/api/v1/auths/"_L1, false, &FakeZaiServer::handleAuths},
        {"GET", "/api/v1/auths"_L1, false, &FakeZaiServer::handleAuths},
        {"POST", "/api/v1/auths/guest"_L1, false, &FakeZaiServer::handleGuest},
        {"POST", "/api/v1/chats/new"_L1, false, &FakeZaiServer::handleChatsNew},
        {"DELETE", "/api/v1/chats/"_L1, true, &FakeZaiServer::handleChatsDelete},
        {"GET", "/api/models"_L1, false, &FakeZaiServer::handleModels},
        {"POST", "/api/v1/files/"_L1, false, &FakeZaiServer::handleFileUpload},
        {"POST", "/api/v1/files"_L1, false, &FakeZaiServer::handleFileUpload},
        {"POST", CompletionsPath, false, &FakeZaiServer::handleCompletion},
        {"POST", LegacyCompletionsPath, false, &FakeZaiServer::handleCompletion},
    };
    for (const Route &route : routes) {
        if (route.prefix ? !path.startsWith(route.path) : path != route.path)
            continue;
        if (request.method != route.method)
            sendJson(connection, 405, R"({"detail":"Method Not Allowed"})"_ba);
        else
            (this->*route.handler)(connection, request);
        return;
    }
    sendJson(connection, 404, R"({"detail":"Not Found"})"_ba);
}

bool FakeZaiServer::takeScripted(const QString &path, bool completion, FakeReply *out)
{
    for (qsizetype i = 0; i < m_replies.size(); ++i) {
        const FakeReply &reply = m_replies.at(i);
        const bool matches =
            reply.pathPrefix.isEmpty() ? completion : path.startsWith(reply.pathPrefix);
        if (matches) {
            *out = m_replies.takeAt(i);
            return true;
        }
    }
    return false;
}

void FakeZaiServer::sendScripted(FakeHttpConnection *connection, const FakeReply &reply)
{
    if (reply.httpStatus == 0) {
        connection->dropWithoutResponse();
        return;
    }
    const QByteArray type = reply.contentType.isEmpty() ? "application/json"_ba : reply.contentType;
    connection->sendResponse(reply.httpStatus,
                             {{"Content-Type"_ba, type}, {"x-trace-id"_ba, traceId()}}, reply.body,
                             reply.httpStatus != 200);
}

void FakeZaiServer::sendJson(FakeHttpConnection *connection, int status, const QByteArray &json)
{
    connection->sendResponse(
        status, {{"Content-Type"_ba, "application/json"_ba}, {"x-trace-id"_ba, traceId()}}, json);
}

void FakeZaiServer::reject(FakeHttpConnection *connection, int status, const QByteArray &json,
                           const QString &why)
{
    m_lastRejection = why;
    qCInfo(lcFakeZai) << "rejected:" << status << why;
    sendJson(connection, status, json);
}

void FakeZaiServer::sendWafPage(FakeHttpConnection *connection, const QString &why)
{
    m_lastRejection = why;
    qCInfo(lcFakeZai) << "WAF block:" << why;
    // Shape of the Aliyun WAF block page (section 6.6): HTML, not JSON, and the link to
    // errors.aliyun.com that adapters use to recognise it.
    const QByteArray page =
        "<!doctypehtml><html><head><meta charset=\"utf-8\"><title>405</title></head><body>"
        "<div class=\"container\"><h1>405</h1><p>Sorry, your request has been blocked as it may "
        "cause potential threats to the server's security.</p><p>Traceid: "_ba +
        traceId() +
        "</p></div><script src=\"https://errors.aliyun.com/error.js?s=10\"></script>"
        "</body></html>"_ba;
    connection->sendResponse(405, {{"Content-Type"_ba, "text/html; charset=utf-8"_ba}}, page, true);
}

QString FakeZaiServer::bearer(const RecordedRequest &request) const
{
    const QByteArray authorization = request.header("authorization"_ba);
    if (authorization.size() < 7 || authorization.left(7).compare("Bearer ", Qt::CaseInsensitive))
        return {};
    return QString::fromUtf8(authorization.mid(7).trimmed());
}

const FakeZaiServer::User *FakeZaiServer::userFor(const QString &token) const
{
    const auto it = m_users.constFind(token);
    return it == m_users.cend() ? nullptr : &it.value();
}

FakeZaiServer::User FakeZaiServer::createGuest(QString *token)
{
    const QString ms = QString::number(QDateTime::currentMSecsSinceEpoch());
    User user{newUuid(), u"Guest-"_s + ms + u"@guest.com"_s, u"Guest-"_s + ms, u"guest"_s};
    // A JWT in shape only: ES256 header, the two claims of section 1.2, random signature bytes.
    QByteArray signature(64, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(signature.data()),
                                          signature.size() / 4);
    const QByteArray jwt = base64Url(R"({"alg":"ES256","typ":"JWT"})"_ba) + '.' +
                           base64Url(compact({{"id"_L1, user.id}, {"email"_L1, user.email}})) +
                           '.' + base64Url(signature);
    *token = QString::fromLatin1(jwt);
    m_users.insert(*token, user);
    m_guestTokens.append(*token);
    return user;
}

QByteArray FakeZaiServer::userJson(const User &user, const QString &token) const
{
    return compact(
        {{"id"_L1, user.id},
         {"email"_L1, user.email},
         {"name"_L1, user.name},
         {"role"_L1, user.role},
         {"profile_image_url"_L1, u"/user.png"_s},
         {"idp"_L1, u"z.ai"_s},
         {"token"_L1, token},
         {"token_type"_L1, u"Bearer"_s},
         {"expires_at"_L1, QJsonValue::Null},
         {"permissions"_L1, QJsonObject{{"chat"_L1, QJsonObject{{"file_upload"_L1, true}}}}}});
}

// --- endpoints -----------------------------------------------------------------------------

QByteArray FakeZaiServer::landingPage() const
{
    if (!m_landingOverride.isEmpty())
        return m_landingOverride;
    // Older builds' assets linger on the real page. 1.0.9 sorts after 1.0.231 as text, so an
    // adapter must compare versions numerically to find the current one.
    QStringList versions{u"prod-fe-1.0.100"_s, m_feVersion};
    const QList<int> n = versionNumbers(m_feVersion);
    if (n.size() == 3) {
        versions = {m_feVersion};
        if (n[2] > 9)
            versions.append(u"prod-fe-%1.%2.9"_s.arg(n[0]).arg(n[1]));
        if (n[2] > 100)
            versions.append(u"prod-fe-%1.%2.100"_s.arg(n[0]).arg(n[1]));
        if (n[2] > 0)
            versions.append(u"prod-fe-%1.%2.%3"_s.arg(n[0]).arg(n[1]).arg(n[2] - 1));
        if (n[0] > 0 || n[1] > 0)
            versions.append(u"prod-fe-0.9.99"_s);
    }
    QString html = u"<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
                   "<title>Z.ai Chat - Free AI powered by GLM-5</title>\n"_s;
    const QString cdn = u"https://z-cdn.chatglm.cn/z-ai/frontend/"_s;
    for (const QString &v : versions) {
        html += u"<link rel=\"modulepreload\" href=\""_s + cdn + v +
                u"/_app/immutable/entry/start.js\">\n"_s;
    }
    html += u"<link rel=\"stylesheet\" href=\""_s + cdn + m_feVersion +
            u"/_app/immutable/assets/app.css\">\n</head>\n<body "
            u"data-sveltekit-preload-data=\"hover\">\n"
            "<div style=\"display: contents\"></div>\n<script type=\"module\">import(\""_s +
            cdn + m_feVersion + u"/_app/immutable/entry/app.js\");</script>\n</body>\n</html>\n"_s;
    return html.toUtf8();
}

void FakeZaiServer::handleLanding(FakeHttpConnection *connection, const RecordedRequest &)
{
    connection->sendResponse(200, {{"Content-Type"_ba, "text/html; charset=utf-8"_ba}},
                             landingPage());
}

void FakeZaiServer::handleAuths(FakeHttpConnection *connection, const RecordedRequest &request)
{
    if (request.headers.contains("authorization"_ba)) {
        const QString token = bearer(request);
        const User *user = userFor(token);
        if (!user) {
            reject(connection, 401, InvalidToken, u"auths: unknown bearer token"_s);
            return;
        }
        sendJson(connection, 200, userJson(*user, token));
        return;
    }
    // A client that re-sends the token cookie gets the same guest back (section 1.2).
    static const QRegularExpression cookieToken(u"(?:^|;\\s*)token=([^;\\s]+)"_s);
    const QRegularExpressionMatch cookie =
        cookieToken.match(QString::fromLatin1(request.header("cookie"_ba)));
    if (cookie.hasMatch() && userFor(cookie.captured(1))) {
        const QString token = cookie.captured(1);
        sendJson(connection, 200, userJson(*userFor(token), token));
        return;
    }
    handleGuest(connection, request);
}

void FakeZaiServer::handleGuest(FakeHttpConnection *connection, const RecordedRequest &)
{
    if (!m_guestAllowed) {
        reject(connection, 401, R"({"detail":"Guest access is disabled"})"_ba,
               u"auths: guests disabled"_s);
        return;
    }
    QString token;
    const User user = createGuest(&token);
    connection->sendResponse(
        200,
        {{"Content-Type"_ba, "application/json"_ba},
         {"set-cookie"_ba, "acw_tc=" + traceId() + ";path=/;HttpOnly;Max-Age=1800"},
         {"set-cookie"_ba,
          "token=" + token.toLatin1() + "; HttpOnly; Path=/; SameSite=lax; Secure"},
         {"x-trace-id"_ba, traceId()},
         {"x-process-time"_ba, "0.003"_ba}},
        userJson(user, token));
}

void FakeZaiServer::handleChatsNew(FakeHttpConnection *connection, const RecordedRequest &request)
{
    const QString token = bearer(request);
    const User *user = userFor(token);
    if (!user) {
        reject(connection, 401, InvalidToken, u"chats/new: invalid bearer token"_s);
        return;
    }
    QJsonObject chat = request.json.value("chat"_L1).toObject();
    if (chat.isEmpty()) {
        reject(connection, 422, R"({"detail":"body must contain a chat object"})"_ba,
               u"chats/new: no chat object"_s);
        return;
    }
    const QString id = newUuid();
    QStringList models;
    const QJsonArray modelArray = chat.value("models"_L1).toArray();
    for (const QJsonValue &model : modelArray)
        models.append(model.toString());
    m_chats.insert(id, Chat{token, models});

    chat.insert("id"_L1, id);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    sendJson(connection, 200,
             compact({{"id"_L1, id},
                      {"user_id"_L1, user->id},
                      {"title"_L1, chat.value("title"_L1).toString(u"New Chat"_s)},
                      {"chat"_L1, chat},
                      {"updated_at"_L1, now},
                      {"created_at"_L1, now},
                      {"share_id"_L1, QJsonValue::Null},
                      {"archived"_L1, false},
                      {"pinned"_L1, false},
                      {"meta"_L1, QJsonObject()},
                      {"folder_id"_L1, QJsonValue::Null}}));
}

void FakeZaiServer::handleChatsDelete(FakeHttpConnection *connection,
                                      const RecordedRequest &request)
{
    const QString token = bearer(request);
    if (!userFor(token)) {
        reject(connection, 401, InvalidToken, u"delete chats: invalid bearer token"_s);
        return;
    }
    const QString id = request.path.mid(QStringLiteral("/api/v1/chats/").size());
    if (id.isEmpty()) { // DELETE /api/v1/chats/ removes all of the user's chats
        for (auto it = m_chats.begin(); it != m_chats.end();)
            it = it.value().token == token ? m_chats.erase(it) : std::next(it);
        sendJson(connection, 200, "true"_ba);
        return;
    }
    const auto it = m_chats.find(id);
    if (it == m_chats.end() || it.value().token != token) {
        sendJson(connection, 404,
                 R"({"detail":"We could not find what you're looking for :/"})"_ba);
        return;
    }
    m_chats.erase(it);
    sendJson(connection, 200, "true"_ba);
}

void FakeZaiServer::handleModels(FakeHttpConnection *connection, const RecordedRequest &request)
{
    if (!userFor(bearer(request))) {
        reject(connection, 401, InvalidToken, u"models: invalid bearer token"_s);
        return;
    }
    QJsonArray data;
    for (const QString &id : std::as_const(m_models)) {
        const bool vision = id.endsWith(u'v');
        const QJsonObject capabilities{{"vision"_L1, vision},      {"think"_L1, true},
                                       {"web_search"_L1, !vision}, {"mcp"_L1, true},
                                       {"file_qa"_L1, true},       {"returnThink"_L1, true}};
        data.append(QJsonObject{
            {"id"_L1, id},
            {"name"_L1, id},
            {"owned_by"_L1, u"openai"_s},
            {"openai"_L1, QJsonObject{{"id"_L1, id}}},
            {"info"_L1, QJsonObject{{"id"_L1, id},
                                    {"name"_L1, id},
                                    {"meta"_L1, QJsonObject{{"capabilities"_L1, capabilities}}}}}});
    }
    sendJson(connection, 200, compact({{"data"_L1, data}}));
}

void FakeZaiServer::handleFileUpload(FakeHttpConnection *connection, const RecordedRequest &request)
{
    const QString token = bearer(request);
    const User *user = userFor(token);
    if (!user) {
        reject(connection, 401, InvalidToken, u"files: invalid bearer token"_s);
        return;
    }
    // Guest accounts may not upload (the reference never tries, section 1.3); answered the way
    // Open WebUI answers a role without the permission.
    if (user->role == "guest"_L1) {
        reject(connection, 403,
               R"({"detail":"You do not have permission to access this resource. Please contact your administrator for assistance."})"_ba,
               u"files: guest accounts may not upload"_s);
        return;
    }
    const QByteArray contentType = request.header("content-type"_ba);
    static const QRegularExpression boundaryRe(u"boundary=\"?([^\";]+)\"?"_s);
    const QByteArray boundary =
        boundaryRe.match(QString::fromLatin1(contentType)).captured(1).toLatin1();
    if (!contentType.startsWith("multipart/form-data") || boundary.isEmpty()) {
        reject(connection, 422, MissingFile, u"files: not multipart/form-data with a boundary"_s);
        return;
    }
    const auto parts = multipartParts(request.body, boundary);
    if (!parts) {
        reject(connection, 400, R"({"detail":"There was an error parsing the body"})"_ba,
               u"files: malformed multipart body"_s);
        return;
    }
    const auto file = std::find_if(parts->cbegin(), parts->cend(),
                                   [](const MultipartPart &p) { return p.name == "file"; });
    if (file == parts->cend() || file->filename.isEmpty()) {
        reject(connection, 422, MissingFile, u"files: no part named 'file' with a filename"_s);
        return;
    }
    FakeUploadedFile stored;
    stored.id = newUuid();
    stored.userId = user->id;
    stored.filename = QString::fromUtf8(file->filename);
    stored.contentType = QString::fromLatin1(file->type);
    stored.size = file->data.size();
    stored.sha256 = QCryptographicHash::hash(file->data, QCryptographicHash::Sha256);
    stored.description = describeImage(file->data, stored.contentType);
    m_files.append(stored);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QString cdnUrl = baseUrl().toString() + u"/files/"_s + stored.id;
    sendJson(connection, 200,
             compact({{"id"_L1, stored.id},
                      {"user_id"_L1, user->id},
                      {"hash"_L1, QJsonValue::Null},
                      {"filename"_L1, stored.filename},
                      {"data"_L1, QJsonObject()},
                      {"meta"_L1, QJsonObject{{"name"_L1, stored.filename},
                                              {"content_type"_L1, stored.contentType},
                                              {"size"_L1, stored.size},
                                              {"cdn_url"_L1, cdnUrl}}},
                      {"created_at"_L1, now},
                      {"updated_at"_L1, now}}));
}

QString FakeZaiServer::imageNote(const QStringList &descriptions)
{
    return u" [images: "_s + descriptions.join(u", "_s) + u']';
}

QString FakeZaiServer::checkImages(const QJsonObject &body, const QString &token,
                                   QStringList *seen) const
{
    const User *user = userFor(token);
    const auto fileOf = [&](const QString &id) -> const FakeUploadedFile * {
        for (const FakeUploadedFile &f : m_files) {
            if (f.id == id && user && f.userId == user->id)
                return &f;
        }
        return nullptr;
    };
    QSet<QString> listed;
    const QJsonArray files = body.value("files"_L1).toArray();
    for (const QJsonValue &value : files) {
        const QJsonObject entry = value.toObject();
        const QString id = entry.value("id"_L1).toString();
        if (!fileOf(id))
            return u"files[] names '%1', which this account did not upload"_s.arg(id);
        if (entry.value("type"_L1).toString() != "image"_L1 || entry.value("media"_L1).toString() != "image"_L1
            || entry.value("status"_L1).toString() != "uploaded"_L1
            || entry.value("file"_L1).toObject().value("id"_L1).toString() != id
            || !entry.value("url"_L1).toString().contains(id))
            return u"files[] entry for '%1' is not an uploaded image entry"_s.arg(id);
        listed.insert(id);
    }
    const QJsonArray messages = body.value("messages"_L1).toArray();
    for (const QJsonValue &message : messages) {
        const QJsonArray parts = message.toObject().value("content"_L1).toArray();
        for (const QJsonValue &part : parts) {
            const QJsonObject p = part.toObject();
            if (p.value("type"_L1).toString() != "image_url"_L1)
                continue;
            const QString url = p.value("image_url"_L1).toObject().value("url"_L1).toString();
            const FakeUploadedFile *file = fileOf(url);
            if (!file)
                return u"an image part names '%1', which is not a file this account uploaded"_s.arg(
                    url.left(60));
            if (!listed.contains(url))
                return u"the image part '%1' is missing from files[]"_s.arg(url);
            seen->append(file->description);
        }
    }
    return {};
}

void FakeZaiServer::handleCompletion(FakeHttpConnection *connection, const RecordedRequest &request)
{
    // Checks in the order the real stack applies them: WAF, session, signature, client version,
    // then the body.
    if (request.header("origin"_ba).isEmpty() || request.header("referer"_ba).isEmpty()) {
        sendWafPage(connection, u"completions: Origin or Referer missing"_s);
        return;
    }
    const QString token = bearer(request);
    if (!userFor(token)) {
        reject(connection, 401, InvalidToken, u"completions: invalid bearer token"_s);
        return;
    }

    for (const auto key : {"timestamp"_L1, "requestId"_L1, "user_id"_L1, "token"_L1,
                           "signature_timestamp"_L1, "version"_L1, "platform"_L1}) {
        if (!request.query.hasQueryItem(key)) {
            reject(connection, 400, SignatureFailed,
                   u"completions: query parameter %1 missing"_s.arg(key));
            return;
        }
    }
    const QString timestamp = request.queryValue(u"timestamp"_s);
    bool tsOk = false;
    const qint64 timestampMs = timestamp.toLongLong(&tsOk);
    if (!tsOk) {
        reject(connection, 400, SignatureFailed, u"completions: timestamp is not a number"_s);
        return;
    }
    if (request.queryValue(u"signature_timestamp"_s) != timestamp) {
        reject(connection, 400, SignatureFailed,
               u"completions: signature_timestamp differs from timestamp"_s);
        return;
    }
    if (request.queryValue(u"token"_s) != token) {
        reject(connection, 400, SignatureFailed,
               u"completions: token query parameter differs from the bearer token"_s);
        return;
    }
    const QJsonObject &body = request.json;
    const QString signedPrompt = body.value("signature_prompt"_L1).toString();
    // Computed with Qt's HMAC, not the gateway's own SHA-256: the check stays independent.
    const QByteArray layerKey =
        QMessageAuthenticationCode::hash(QByteArray::number(timestampMs / 300000), m_secret,
                                         QCryptographicHash::Sha256)
            .toHex();
    const QByteArray expected =
        QMessageAuthenticationCode::hash(Signer::canonicalMessage(request.queryValue(u"requestId"_s),
                                                                  timestampMs,
                                                                  request.queryValue(u"user_id"_s),
                                                                  signedPrompt),
                                         layerKey, QCryptographicHash::Sha256)
            .toHex();
    const QByteArray signature = request.header("x-signature"_ba);
    if (signature != expected) {
        reject(connection, 400, SignatureFailed,
               u"completions: X-Signature %1 does not match the expected %2"_s.arg(
                   QString::fromLatin1(signature), QString::fromLatin1(expected)));
        return;
    }

    const QString clientVersion = QString::fromUtf8(request.header("x-fe-version"_ba));
    if (clientVersion != m_feVersion) {
        m_lastRejection = u"completions: X-FE-Version '%1' is not the current %2"_s.arg(
            clientVersion, m_feVersion);
        if (m_feVersionHttpStatus) {
            reject(connection, 426, R"({"detail":"您的客户端版本过旧"})"_ba, m_lastRejection);
        } else {
            const QString detail =
                u"Your client version (%1) is outdated. Minimum required: %2. Please refresh the page"_s
                    .arg(clientVersion.isEmpty() ? u"unknown"_s : clientVersion,
                         m_feVersion.mid(8));
            stream(connection, token, {errorEvent(426, detail)}, FakeReply());
        }
        return;
    }

    if (body.isEmpty()) {
        reject(connection, 422, R"({"detail":"request body must be a JSON object"})"_ba,
               u"completions: body is not a JSON object"_s);
        return;
    }
    if (body.value("stream"_L1) != QJsonValue(true)) {
        reject(connection, 400, R"({"detail":"stream must be true"})"_ba,
               u"completions: stream is not true"_s);
        return;
    }
    const QString model = body.value("model"_L1).toString();
    if (!m_models.contains(model)) {
        reject(connection, 404, R"({"detail":"Model not found"})"_ba,
               u"completions: unknown model '%1'"_s.arg(model));
        return;
    }
    const QJsonArray messages = body.value("messages"_L1).toArray();
    if (messages.isEmpty()) {
        reject(connection, 400, R"({"detail":"messages must be a non-empty array"})"_ba,
               u"completions: no messages"_s);
        return;
    }
    QStringList images;
    if (const QString why = checkImages(body, token, &images); !why.isEmpty()) {
        reject(connection, 400, R"({"detail":"Invalid file reference"})"_ba,
               u"completions: "_s + why);
        return;
    }
    if (m_concurrencyLimit > 0) {
        const auto running = std::count(m_streamTokens.cbegin(), m_streamTokens.cend(), token);
        if (running >= m_concurrencyLimit) {
            reject(
                connection, 429,
                R"json({"detail":"Too Many Requests: concurrency limit reached (并发数超限)"})json"_ba,
                u"completions: concurrency limit"_s);
            return;
        }
    }

    FakeReply scripted;
    if (takeScripted(request.path, true, &scripted)) {
        if (scripted.httpStatus != 200 || (scripted.events.isEmpty() && !scripted.body.isEmpty())) {
            sendScripted(connection, scripted);
            return;
        }
        if (!scripted.events.isEmpty()) {
            // "{{TRIGGER}}" in scripted events stands for this request's tool trigger.
            const QString trigger = toolTrigger(systemText(messages));
            QList<QByteArray> events = scripted.events;
            for (QByteArray &e : events) {
                e.replace("{{TRIGGER}}", trigger.toUtf8());
                // A trigger split across two deltas, as models emit it.
                e.replace("{{TRIGGER_HEAD}}", trigger.left(6).toUtf8());
                e.replace("{{TRIGGER_TAIL}}", trigger.mid(6).toUtf8());
            }
            stream(connection, token, events, scripted);
            return;
        }
    }

    // The default answer: an echo of the signed prompt, shaped like section 6.8.
    QString prompt = signedPrompt;
    qsizetype promptChars = 0;
    for (const QJsonValue &message : messages) {
        const QString text = messageText(message.toObject().value("content"_L1));
        promptChars += text.size();
        if (!body.contains("signature_prompt"_L1) &&
            message.toObject().value("role"_L1).toString() == "user"_L1)
            prompt = text;
    }
    if (!images.isEmpty())
        prompt += imageNote(images); // what the model "saw", so tests can check the bytes
    const QJsonObject features = body.value("features"_L1).toObject();
    const bool thinking = features.value("enable_thinking"_L1).toBool();
    const bool webSearch = features.value("web_search"_L1).toBool();
    QList<QByteArray> events =
        defaultEvents(prompt, thinking, webSearch, m_defaultChunks, estimateTokens(promptChars));
    // response_format: a JSON answer in a Markdown fence, as models like to write it, unless the
    // last prompt says "[bad-json]" (broken once) or the conversation "[bad-json-always]".
    const QString system = systemText(messages);
    if (system.contains("# Output format"_L1) && system.contains("valid JSON"_L1)) {
        bool alwaysBad = false; // "[bad-json-always]" anywhere: every answer is broken
        for (const QJsonValue &m : messages)
            alwaysBad = alwaysBad || messageText(m.toObject().value("content"_L1)).contains("[bad-json-always]"_L1);
        const QString answer = prompt.contains("[bad-json]"_L1) || alwaysBad
                                   ? u"Sure! Here it is: {echo: nope"_s
                                   : u"```json\n"_s
                                         + QString::fromUtf8(QJsonDocument(QJsonObject{{"echo"_L1, prompt}})
                                                                 .toJson(QJsonDocument::Compact))
                                         + u"\n```"_s;
        events.clear();
        for (const QString &piece : splitEvenly(answer, m_defaultChunks))
            events.append(answerEvent(piece));
        events.append(usageEvent(estimateTokens(promptChars), estimateTokens(answer.size())));
        events.append(doneEvent());
    }
    if (const auto toolAnswer = toolProtocolAnswer(messages)) {
        events.clear();
        for (const QString &piece : splitEvenly(*toolAnswer, m_defaultChunks))
            events.append(answerEvent(piece));
        events.append(usageEvent(estimateTokens(promptChars), estimateTokens(toolAnswer->size())));
        events.append(doneEvent());
    }

    // Persisted-chat models without a chats/new chat of this user still stream the answer, then
    // fail at done (section 8).
    if (m_persistedModels.contains(model)) {
        const QString chatId = body.value("chat_id"_L1).toString();
        const auto chat = m_chats.constFind(chatId);
        if (chat == m_chats.cend() || chat.value().token != token) {
            m_lastRejection = u"completions: chat_id '%1' was not created by chats/new for this "
                              "token; %2 needs a persisted chat"_s.arg(chatId, model);
            events.last() =
                errorEvent(u"INTERNAL_ERROR"_s, u"Internal error: chat %1 not found"_s.arg(chatId));
        }
    }
    // The thinking delay stretches the pause before the closing edit (the end of thinking).
    const qsizetype closingEdit =
        thinking ? qsizetype(expectedThought(prompt).count(u'\n')) + 1 : -1;
    stream(connection, token, events, scripted, int(closingEdit), thinking ? m_thinkingDelayMs : 0);
}

void FakeZaiServer::stream(FakeHttpConnection *connection, const QString &token,
                           const QList<QByteArray> &events, const FakeReply &pacing,
                           int pauseBeforeEvent, int extraPauseMs)
{
    FakeHttpConnection::StreamPlan plan;
    const int delay = pacing.delayMs >= 0 ? pacing.delayMs : m_defaultDelayMs;
    plan.events.reserve(events.size() + 1);
    plan.delaysMs.reserve(events.size() + 1);
    for (const QByteArray &event : events) {
        const bool raw = event.startsWith("data:") || event.startsWith(':');
        plan.events.append(raw ? QByteArray(event + "\n\n")
                               : QByteArray("data: " + event + "\n\n"));
        plan.delaysMs.append(plan.delaysMs.isEmpty() ? 0 : delay);
    }
    if (pacing.sendDoneMarker) {
        plan.events.append("data: [DONE]\n\n"_ba);
        plan.delaysMs.append(plan.delaysMs.isEmpty() ? 0 : delay);
    }
    if (pauseBeforeEvent >= 0 && pauseBeforeEvent < plan.delaysMs.size())
        plan.delaysMs[pauseBeforeEvent] += extraPauseMs;
    plan.dropAfterEvents = pacing.dropAfterEvents;
    plan.stallAfterEvents = pacing.stallAfterEvents;
    plan.stallMs = pacing.stallMs;

    // Registered before the first write: a drop at event 0 ends the stream inside startStream.
    m_streamTokens.insert(connection, token);
    connection->startStream({{"Content-Type"_ba, "text/event-stream; charset=utf-8"_ba},
                             {"Cache-Control"_ba, "no-cache"_ba},
                             {"X-Accel-Buffering"_ba, "no"_ba},
                             {"x-trace-id"_ba, traceId()}},
                            plan);
}
