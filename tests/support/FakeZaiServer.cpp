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
const QByteArray OutdatedClient = R"({"detail":"您的客户端版本过旧"})"_ba;
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

// All system-message text of a request: where the gateway puts tool and format instructions.
// With user-only roles (section 10, P.12) they travel in user text, so that counts too; a
// conversation without a system message carries them in its first message.
QString systemText(const QJsonArray &messages, bool userOnly = false)
{
    QString system;
    for (const QJsonValue &m : messages) {
        const QString role = m.toObject().value("role"_L1).toString();
        if (role == "system"_L1 || (userOnly && role == "user"_L1))
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
// and no result yet, call the forced tool (or the first) with arguments made from its schema (an
// enum's first value, "README.md" for a path, "example" for other strings, ...); with
// a <tool_result> in the last user turn, answer by quoting it. "[no-tool]" in the last user turn
// makes it ignore the tools. With user-only roles the instructions and the earlier turns may share
// the last user message: there a result counts only after the last </function_calls>, and the
// instructions' own example (tool "NAME", call_id "ID") never does.
std::optional<QString> toolProtocolAnswer(const QJsonArray &messages, bool userOnly)
{
    const QString system = systemText(messages, userOnly);
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
    if (!userOnly) {
        const auto result = resultRe.match(lastText);
        if (result.hasMatch())
            return u"The tool %1 said: %2"_s.arg(result.captured(1), result.captured(3));
    } else {
        const qsizetype lastCall = lastText.lastIndexOf("</function_calls>"_L1);
        auto results = resultRe.globalMatch(lastText, std::max<qsizetype>(0, lastCall));
        while (results.hasNext()) {
            const auto result = results.next();
            if (result.captured(1) == "NAME"_L1 && result.captured(2) == "ID"_L1)
                continue;
            return u"The tool %1 said: %2"_s.arg(result.captured(1), result.captured(3));
        }
    }

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
        const QJsonArray choices = p.value().toObject().value("enum"_L1).toArray();
        if (!choices.isEmpty())
            args.insert(p.key(), choices.first()); // what a model reads from the schema
        else if (type == "integer"_L1 || type == "number"_L1)
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

// A JWT in shape only: ES256 header, the claims, random signature bytes.
QString makeJwt(const QJsonObject &claims)
{
    QByteArray signature(64, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(signature.data()),
                                          signature.size() / 4);
    return QString::fromLatin1(base64Url(R"({"alg":"ES256","typ":"JWT"})"_ba) + '.' +
                               base64Url(compact(claims)) + '.' + base64Url(signature));
}

// The <link> lines of the landing page: the current build's assets and, as on the real page,
// older builds' leftovers. 1.0.9 sorts after 1.0.231 as text, so an adapter must compare
// versions numerically to find the current one.
QString assetLinks(const QString &feVersion)
{
    QStringList versions{u"prod-fe-1.0.100"_s, feVersion};
    const QList<int> n = versionNumbers(feVersion);
    if (n.size() == 3) {
        versions = {feVersion};
        if (n[2] > 9)
            versions.append(u"prod-fe-%1.%2.9"_s.arg(n[0]).arg(n[1]));
        if (n[2] > 100)
            versions.append(u"prod-fe-%1.%2.100"_s.arg(n[0]).arg(n[1]));
        if (n[2] > 0)
            versions.append(u"prod-fe-%1.%2.%3"_s.arg(n[0]).arg(n[1]).arg(n[2] - 1));
        if (n[0] > 0 || n[1] > 0)
            versions.append(u"prod-fe-0.9.99"_s);
    }
    QString html;
    const QString cdn = u"https://z-cdn.chatglm.cn/z-ai/frontend/"_s;
    for (const QString &v : versions) {
        html += u"<link rel=\"modulepreload\" href=\""_s + cdn + v +
                u"/_app/immutable/entry/start.js\">\n"_s;
    }
    html += u"<link rel=\"stylesheet\" href=\""_s + cdn + feVersion +
            u"/_app/immutable/assets/app.css\">\n"_s;
    return html;
}

QString appScript(const QString &feVersion)
{
    return u"<script type=\"module\">import(\"https://z-cdn.chatglm.cn/z-ai/frontend/"_s +
           feVersion + u"/_app/immutable/entry/app.js\");</script>\n"_s;
}

constexpr auto PageHead =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
    "<title>Z.ai Chat - Free AI powered by GLM-5</title>\n"_L1;

// The models of the live service the bridge's built-in catalogue does not know (section 10,
// 2026-08 to 09): thinking cannot be turned off on glm-5.3; flash has vision and a 1M context.
struct LiveModel
{
    QLatin1StringView id;
    QLatin1StringView name;
    bool vision;
    bool alwaysThinks;
};
constexpr LiveModel LiveModels[] = {
    {"glm-5.3"_L1, "GLM-5.3"_L1, false, true},
    {"glm-5.3-flash"_L1, "GLM-5.3-Flash"_L1, true, false},
};

QJsonObject capabilitiesFor(bool vision, bool webSearch, bool agentMode)
{
    return {{"vision"_L1, vision},
            {"citations"_L1, webSearch},
            {"preview_mode"_L1, false},
            {"web_search"_L1, webSearch},
            {"language_detection"_L1, false},
            {"restore_n_source"_L1, false},
            {"mcp"_L1, true},
            {"file_qa"_L1, true},
            {"returnFc"_L1, true},
            {"returnThink"_L1, true},
            {"think"_L1, true},
            {"free_think"_L1, false},
            {"skip_think"_L1, false},
            {"agent_mode"_L1, agentMode}};
}

// One entry of GET /api/models in the Open WebUI shape of section 1.4.
QJsonObject modelEntry(const QString &id, const QString &name, const QJsonObject &capabilities)
{
    constexpr qint64 Created = 1760000000; // fixed, like a catalogue that changes rarely
    const QJsonObject meta{{"profile_image_url"_L1, u"/static/favicon.png"_s},
                           {"description"_L1, name},
                           {"capabilities"_L1, capabilities},
                           {"mcpServerIds"_L1, QJsonArray()},
                           {"suggestion_prompts"_L1, QJsonValue::Null},
                           {"tags"_L1, QJsonArray()},
                           {"hidden"_L1, false}};
    const QJsonObject info{{"id"_L1, id},
                           {"user_id"_L1, u"7c0e2a4b-0000-4000-8000-000000000000"_s},
                           {"base_model_id"_L1, QJsonValue::Null},
                           {"name"_L1, name},
                           {"params"_L1, QJsonObject{{"top_p"_L1, 0.95}, {"temperature"_L1, 0.6}}},
                           {"meta"_L1, meta},
                           {"access_control"_L1, QJsonValue::Null},
                           {"is_active"_L1, true},
                           {"created_at"_L1, Created},
                           {"updated_at"_L1, Created}};
    return {{"id"_L1, id},
            {"name"_L1, name},
            {"owned_by"_L1, u"openai"_s},
            {"openai"_L1, QJsonObject{{"id"_L1, id}}},
            {"urlIdx"_L1, 0},
            {"info"_L1, info},
            {"actions"_L1, QJsonArray()},
            {"tags"_L1, QJsonArray()}};
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

void FakeZaiServer::setConcurrencyAnswer(ConcurrencyAnswer answer)
{
    m_concurrencyAnswer = answer;
}

void FakeZaiServer::setRecording(bool on)
{
    m_recording = on;
}

// --- the live service of late 2026 ---------------------------------------------------------

void FakeZaiServer::setLive2026(bool on)
{
    setCaptchaRequired(on);
    setUserOnlyRoles(on);
    setDeviceIdRequired(on);
    setStreamOptionsRefused(on);
    setGuestModels(on ? QStringList{u"glm-4.7"_s} : QStringList());
    m_liveModelsListed = on;
    setConcurrencyAnswer(on ? ConcurrencyAnswer::InStreamLimit : ConcurrencyAnswer::Http429);
    setOutdatedFeVersionBlocked(on);
    setSignedQueryBlocked(on);
    setLegacyPathRemoved(on);
    setChatPageAtRoot(on);
}

void FakeZaiServer::setCaptchaRequired(bool on)
{
    m_captchaRequired = on;
}

void FakeZaiServer::setCaptchaLifetimeMs(qint64 ms)
{
    m_captchaLifetimeMs = std::max<qint64>(0, ms);
}

void FakeZaiServer::setCaptchaSingleUse(bool singleUse)
{
    m_captchaSingleUse = singleUse;
}

void FakeZaiServer::setCaptchaMode(CaptchaMode mode)
{
    m_captchaMode = mode;
}

QString FakeZaiServer::mintCaptchaParam()
{
    // An Aliyun verify parameter is a JSON string handed on verbatim; this one has the fields of
    // a V3 one. The fake knows it by the whole string.
    QByteArray token(48, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(token.data()),
                                          token.size() / 4);
    const QString param = QString::fromUtf8(
        compact({{"certifyId"_L1, QString(u"zbfake"_s + QString::fromLatin1(traceId()))},
                 {"sceneId"_L1, u"didk33e0"_s},
                 {"isSign"_L1, true},
                 {"securityToken"_L1, QString::fromLatin1(token.toBase64())}}));
    m_captchas.insert(param, Captcha{std::chrono::steady_clock::now(), false});
    return param;
}

void FakeZaiServer::setUserOnlyRoles(bool on)
{
    m_userOnlyRoles = on;
}

void FakeZaiServer::setDeviceIdRequired(bool on)
{
    m_deviceIdRequired = on;
}

void FakeZaiServer::setStreamOptionsRefused(bool on)
{
    m_streamOptionsRefused = on;
}

void FakeZaiServer::setGuestModels(const QStringList &upstreamIds)
{
    m_guestModels = upstreamIds;
}

void FakeZaiServer::addListedModel(const QString &id, const QString &name,
                                   const QJsonObject &capabilities)
{
    for (ListedModel &listed : m_listed) {
        if (listed.id == id) {
            listed.name = name;
            listed.capabilities = capabilities;
            return;
        }
    }
    m_listed.append(ListedModel{id, name, capabilities});
}

void FakeZaiServer::setModelsListFails(bool fail)
{
    m_modelsListFails = fail;
}

void FakeZaiServer::setOutdatedFeVersionBlocked(bool on)
{
    m_feVersionBlocked = on;
}

void FakeZaiServer::setSignedQueryBlocked(bool on)
{
    m_signedQueryBlocked = on;
}

void FakeZaiServer::setLegacyPathRemoved(bool on)
{
    m_legacyPathRemoved = on;
}

void FakeZaiServer::setChatPageAtRoot(bool on)
{
    m_chatPageAtRoot = on;
}

void FakeZaiServer::setSignInToken(const QString &token)
{
    if (!userFor(token))
        addValidToken(token);
    m_signInToken = token;
}

QString FakeZaiServer::signInToken()
{
    if (m_signInToken.isEmpty()) {
        const QString id = newUuid();
        setSignInToken(makeJwt({{"id"_L1, id}, {"email"_L1, u"zb-fake-user@example.com"_s}}));
    }
    return m_signInToken;
}

QList<FakeZaiServer::ListedModel> FakeZaiServer::listedModels() const
{
    QList<ListedModel> out;
    const auto listedAs = [this](const QString &id) -> const ListedModel * {
        for (const ListedModel &listed : m_listed) {
            if (listed.id == id)
                return &listed;
        }
        return nullptr;
    };
    for (const QString &id : m_models) {
        if (const ListedModel *listed = listedAs(id)) {
            out.append(*listed);
        } else {
            const bool vision = id.endsWith(u'v');
            out.append(ListedModel{id, id, capabilitiesFor(vision, !vision, id == "glm-5"_L1)});
        }
    }
    for (const ListedModel &listed : m_listed) {
        if (!m_models.contains(listed.id))
            out.append(listed);
    }
    if (m_liveModelsListed) {
        for (const LiveModel &live : LiveModels) {
            const QString id = live.id;
            const bool present = std::any_of(out.cbegin(), out.cend(),
                                             [&](const ListedModel &m) { return m.id == id; });
            if (!present)
                out.append(ListedModel{id, live.name, capabilitiesFor(live.vision, true, false),
                                       live.alwaysThinks});
        }
    }
    return out;
}

bool FakeZaiServer::knowsModel(const QString &upstreamId) const
{
    if (m_models.contains(upstreamId))
        return true;
    const QList<ListedModel> listed = listedModels();
    return std::any_of(listed.cbegin(), listed.cend(),
                       [&](const ListedModel &m) { return m.id == upstreamId; });
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

QByteArray FakeZaiServer::errorEvent(const QJsonObject &error)
{
    const QJsonObject nested{{"error"_L1, error}, {"done"_L1, true}};
    return envelope({{"data"_L1, nested}, {"error"_L1, error}, {"done"_L1, true}});
}

QByteArray FakeZaiServer::captchaRequiredEvent()
{
    // Section 10, verbatim: the nested object serialises to the quoted
    // {"done":true,"error":{"captcha_error_type":"missing_param","code":...}}.
    return errorEvent(
        QJsonObject{{"captcha_error_type"_L1, u"missing_param"_s},
                    {"code"_L1, u"FRONTEND_CAPTCHA_REQUIRED"_s},
                    {"detail"_L1, u"Please refresh the page to update the app, then try again."_s},
                    {"error_code"_L1, u"FRONTEND_CAPTCHA_REQUIRED"_s}});
}

QByteArray FakeZaiServer::captchaRejectedEvent(const QString &verifyCode)
{
    // The shape and why: see the header.
    const QString detail =
        verifyCode == "F018"_L1
            ? u"The captcha verification has expired or was already used, please verify again."_s
            : u"The captcha verification failed, please verify again."_s;
    return errorEvent(QJsonObject{{"captcha_error_type"_L1, u"verify_failed"_s},
                                  {"code"_L1, verifyCode},
                                  {"detail"_L1, detail},
                                  {"error_code"_L1, u"FRONTEND_CAPTCHA_REQUIRED"_s},
                                  {"verify_code"_L1, verifyCode}});
}

QByteArray FakeZaiServer::concurrencyLimitEvent()
{
    return errorEvent(u"MODEL_CONCURRENCY_LIMIT"_s,
                      u"You have reached the current concurrent conversation limit, please try "
                      "again later."_s);
}

QByteArray FakeZaiServer::atCapacityEvent()
{
    return errorEvent(429, u"The model is currently at capacity, please try again later."_s);
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

QStringList FakeZaiServer::deviceIds() const
{
    QStringList ids;
    for (const RecordedRequest &r : m_records) {
        if (r.path == CompletionsPath || r.path == LegacyCompletionsPath)
            ids.append(QString::fromUtf8(r.header("x-device-id"_ba)));
    }
    return ids;
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
        // The fake's own paths (section 10 stand-ins); the real service has nothing under /__fake/.
        {"GET", "/__fake/chat"_L1, false, &FakeZaiServer::handleChatPage},
        {"GET", "/__fake/AliyunCaptcha.js"_L1, false, &FakeZaiServer::handleCaptchaScript},
        {"GET", "/__fake/captcha/mint"_L1, false, &FakeZaiServer::handleCaptchaMint},
        {"GET", "/__fake/captcha/mode"_L1, false, &FakeZaiServer::handleCaptchaMode},
        {"GET", "/__fake/sign-in"_L1, false, &FakeZaiServer::handleSignIn},
        {"GET", "/__fake/sign-out"_L1, false, &FakeZaiServer::handleSignOut},
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

QString FakeZaiServer::cookieToken(const RecordedRequest &request) const
{
    static const QRegularExpression re(u"(?:^|;\\s*)token=([^;\\s]+)"_s);
    const QRegularExpressionMatch cookie =
        re.match(QString::fromLatin1(request.header("cookie"_ba)));
    return cookie.hasMatch() && userFor(cookie.captured(1)) ? cookie.captured(1) : QString();
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
    // The two claims of section 1.2.
    *token = makeJwt({{"id"_L1, user.id}, {"email"_L1, user.email}});
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
    const QString html = QString(PageHead) + assetLinks(m_feVersion) +
                         u"</head>\n<body data-sveltekit-preload-data=\"hover\">\n"
                         "<div style=\"display: contents\"></div>\n"_s +
                         appScript(m_feVersion) + u"</body>\n</html>\n"_s;
    return html.toUtf8();
}

void FakeZaiServer::handleLanding(FakeHttpConnection *connection, const RecordedRequest &request)
{
    connection->sendResponse(200, {{"Content-Type"_ba, "text/html; charset=utf-8"_ba}},
                             m_chatPageAtRoot && m_landingOverride.isEmpty() ? chatPage(request)
                                                                             : landingPage());
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
    if (const QString token = cookieToken(request); !token.isEmpty()) {
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
    if (m_modelsListFails) {
        m_lastRejection = u"models: failing on purpose (setModelsListFails)"_s;
        connection->sendResponse(500, {{"Content-Type"_ba, "text/plain; charset=utf-8"_ba}},
                                 "Internal Server Error"_ba);
        return;
    }
    if (!userFor(bearer(request))) {
        reject(connection, 401, InvalidToken, u"models: invalid bearer token"_s);
        return;
    }
    QJsonArray data;
    const QList<ListedModel> listed = listedModels();
    for (const ListedModel &model : listed)
        data.append(modelEntry(model.id, model.name, model.capabilities));
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
    // device id, then the body; after them the in-stream verdicts (captcha, user level, roles).
    if (m_legacyPathRemoved && request.path == LegacyCompletionsPath) {
        reject(connection, 404, R"({"detail":"Not Found"})"_ba,
               u"completions: the unversioned path is gone (section 10, 2026-05-16)"_s);
        return;
    }
    if (request.header("origin"_ba).isEmpty() || request.header("referer"_ba).isEmpty()) {
        sendWafPage(connection, u"completions: Origin or Referer missing"_s);
        return;
    }
    if (m_signedQueryBlocked) {
        // Since prod-fe-1.1.93 (section 10, 2026-09-07) the firewall stops these.
        for (const auto key :
             {"timestamp"_L1, "requestId"_L1, "user_id"_L1, "signature_timestamp"_L1}) {
            if (!request.query.hasQueryItem(key)) {
                sendWafPage(connection,
                            u"completions: signed query parameter %1 missing"_s.arg(key));
                return;
            }
        }
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
        if (m_feVersionBlocked) {
            sendWafPage(connection, m_lastRejection); // section 10, 2026-05
        } else if (m_feVersionHttpStatus) {
            reject(connection, 426, OutdatedClient, m_lastRejection);
        } else {
            const QString detail =
                u"Your client version (%1) is outdated. Minimum required: %2. Please refresh the page"_s
                    .arg(clientVersion.isEmpty() ? u"unknown"_s : clientVersion,
                         m_feVersion.mid(8));
            stream(connection, token, {errorEvent(426, detail)}, FakeReply());
        }
        return;
    }
    // The web app sends a stable X-Device-Id since prod-fe-1.1.88 (section 10, 2026-08-19);
    // without it the live service answers like the FE-version check's HTTP variant.
    if (m_deviceIdRequired && request.header("x-device-id"_ba).trimmed().isEmpty()) {
        reject(connection, 426, OutdatedClient, u"completions: X-Device-Id missing"_s);
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
    if (m_streamOptionsRefused && body.contains("stream_options"_L1)) {
        reject(connection, 400, R"({"detail":"Unsupported parameter: stream_options"})"_ba,
               u"completions: stream_options is no longer accepted (section 10, 2026-06-18)"_s);
        return;
    }
    // "A non-empty tools field is refused" (section 10, 2026-07): refused, unlike the roles that
    // "end in" INTERNAL_ERROR, so an HTTP 400 before any stream.
    if (m_userOnlyRoles) {
        const QJsonValue tools = body.value("tools"_L1);
        const bool empty = tools.isUndefined() || tools.isNull() ||
                           (tools.isArray() && tools.toArray().isEmpty()) ||
                           (tools.isObject() && tools.toObject().isEmpty());
        if (!empty) {
            reject(connection, 400, R"({"detail":"Unsupported parameter: tools"})"_ba,
                   u"completions: a non-empty tools field (user-only service)"_s);
            return;
        }
    }
    const QString model = body.value("model"_L1).toString();
    if (!knowsModel(model)) {
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
            if (m_concurrencyAnswer == ConcurrencyAnswer::Http429) {
                reject(
                    connection, 429,
                    R"json({"detail":"Too Many Requests: concurrency limit reached (并发数超限)"})json"_ba,
                    u"completions: concurrency limit"_s);
            } else {
                m_lastRejection = u"completions: concurrency limit (in-stream answer)"_s;
                stream(connection, token,
                       {m_concurrencyAnswer == ConcurrencyAnswer::InStreamLimit
                            ? concurrencyLimitEvent()
                            : atCapacityEvent()},
                       FakeReply());
            }
            return;
        }
    }

    // The in-stream verdicts of the live service, each the stream's only event.
    if (m_captchaRequired) {
        if (const QByteArray verdict = checkCaptcha(body); !verdict.isEmpty()) {
            stream(connection, token, {verdict}, FakeReply());
            return;
        }
    }
    if (!m_guestModels.isEmpty() && userFor(token)->role == "guest"_L1 &&
        !m_guestModels.contains(model)) {
        m_lastRejection = u"completions: guests may not use %1"_s.arg(model);
        stream(connection, token,
               {errorEvent(403, u"Model not available for current user level"_s)}, FakeReply());
        return;
    }
    if (m_userOnlyRoles) {
        for (const QJsonValue &message : messages) {
            const QString role = message.toObject().value("role"_L1).toString();
            if (role != "user"_L1) {
                m_lastRejection =
                    u"completions: a message of role '%1' (user-only service)"_s.arg(role);
                stream(connection, token,
                       {errorEvent(u"INTERNAL_ERROR"_s,
                                   u"Internal error: unsupported message role '%1'"_s.arg(role))},
                       FakeReply());
                return;
            }
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
            const QString trigger = toolTrigger(systemText(messages, m_userOnlyRoles));
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
    const bool alwaysThinks =
        m_liveModelsListed &&
        std::any_of(std::cbegin(LiveModels), std::cend(LiveModels),
                    [&](const LiveModel &m) { return m.alwaysThinks && model == m.id; });
    const bool thinking = features.value("enable_thinking"_L1).toBool() || alwaysThinks;
    const bool webSearch = features.value("web_search"_L1).toBool();
    QList<QByteArray> events =
        defaultEvents(prompt, thinking, webSearch, m_defaultChunks, estimateTokens(promptChars));
    // response_format: a JSON answer in a Markdown fence, as models like to write it, unless the
    // last prompt says "[bad-json]" (broken once) or the conversation "[bad-json-always]".
    const QString system = systemText(messages, m_userOnlyRoles);
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
    if (const auto toolAnswer = toolProtocolAnswer(messages, m_userOnlyRoles)) {
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

QByteArray FakeZaiServer::checkCaptcha(const QJsonObject &body)
{
    const QString param = body.value("captcha_verify_param"_L1).toString();
    if (param.isEmpty()) {
        m_lastRejection = u"completions: captcha_verify_param missing or empty"_s;
        return captchaRequiredEvent();
    }
    const auto it = m_captchas.find(param);
    if (it == m_captchas.end()) {
        m_lastRejection = u"completions: captcha_verify_param was not minted here (F019)"_s;
        return captchaRejectedEvent(u"F019"_s);
    }
    const bool expired = std::chrono::steady_clock::now() - it->mintedAt >=
                         std::chrono::milliseconds(m_captchaLifetimeMs);
    if (expired || (it->used && m_captchaSingleUse)) {
        m_lastRejection = expired ? u"completions: captcha_verify_param expired (F018)"_s
                                  : u"completions: captcha_verify_param already used (F018)"_s;
        return captchaRejectedEvent(u"F018"_s);
    }
    it->used = true;
    return {};
}

// --- the stand-ins for the browser (section 10, "The captcha SDK as pages use it") ---------

namespace {

// The captcha SDK's stand-in: the interface of Aliyun Captcha 2.0 (window.AliyunCaptchaConfig
// set before it loads, window.initAliyunCaptcha(options)), none of its checks. Every verification
// asks the fake for its mode; the parameters come from the fake's mint, so completions accept
// them. A verification runs on each click of options.button, on instance.show(), and once right
// after initAliyunCaptcha when no button is given.
constexpr auto CaptchaScript =
    R"js(// AliyunCaptcha.js stand-in, served by ZaiBridge's fake Z.AI upstream for tests.
// Not the Aliyun SDK: same interface, no checks. Modes (GET /__fake/captcha/mode):
//   traceless  success(captchaVerifyParam) without user action
//   challenge  shows a clickable #zb-fake-slider, success(captchaVerifyParam) once it is clicked
//   fail       fail({code, msg})
(function () {
  'use strict';
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  function fetchText(path) {
    return fetch(origin + path, {cache: 'no-store'}).then(function (response) {
      if (!response.ok)
        throw new Error(path + ' answered HTTP ' + response.status);
      return response.text();
    });
  }

  function find(selector) {
    if (!selector)
      return null;
    return typeof selector === 'string' ? document.querySelector(selector) : selector;
  }

  window.initAliyunCaptcha = function (options) {
    options = options || {};
    var config = window.AliyunCaptchaConfig || {};
    var button = find(options.button);
    var destroyed = false;
    var slider = null;

    function call(name, value) {
      if (!destroyed && typeof options[name] === 'function')
        options[name](value);
    }
    function fail(code, msg) {
      call('fail', {code: code, msg: msg});
    }
    function succeed() {
      return fetchText('/__fake/captcha/mint').then(function (param) {
        call('success', param);
      });
    }
    function removeSlider() {
      if (slider) {
        slider.remove();
        slider = null;
      }
    }
    function challenge() {
      if (slider)
        return;
      slider = document.createElement('div');
      slider.id = 'zb-fake-slider';
      slider.setAttribute('role', 'button');
      slider.tabIndex = 0;
      slider.textContent = 'Slide to verify (test stand-in: click here)';
      slider.style.cssText = 'display:inline-block;padding:12px 24px;border:1px solid #888;'
          + 'background:#eef;cursor:pointer;user-select:none;';
      var host = options.mode === 'popup' ? null : find(options.element);
      if (!host) {
        slider.style.cssText += 'position:fixed;left:50%;top:40%;transform:translateX(-50%);'
            + 'z-index:2147483647;';
        host = document.body;
      }
      slider.addEventListener('click', function () {
        removeSlider();
        succeed().catch(function (error) { fail('NETWORK_ERROR', String(error)); });
      });
      host.appendChild(slider);
    }
    function verify() {
      if (destroyed)
        return;
      if (!config.region || !config.prefix) {
        fail('IllegalUserTag', 'window.AliyunCaptchaConfig needs region and prefix');
        return;
      }
      if (!options.SceneId) {
        fail('IllegalScene', 'SceneId is missing');
        return;
      }
      fetchText('/__fake/captcha/mode').then(function (mode) {
        mode = mode.trim();
        if (mode === 'fail')
          fail('F001', 'The verification failed (stand-in in fail mode).');
        else if (mode === 'challenge')
          challenge();
        else
          return succeed();
      }).catch(function (error) { fail('NETWORK_ERROR', String(error)); });
    }

    var instance = {
      show: verify,
      hide: removeSlider,
      refresh: removeSlider,
      destroyCaptcha: function () {
        removeSlider();
        if (button)
          button.removeEventListener('click', verify);
        destroyed = true;
      }
    };
    if (button)
      button.addEventListener('click', verify);
    setTimeout(function () {
      call('getInstance', instance);
      if (!button)
        verify();
    }, 0);
    return instance;
  };
})();
)js"_L1;

// The chat page's own script: the sign-in button and, like chat.z.ai's app, one captcha
// instance that verifies on each click of Send (the result shows in #zb-fake-captcha-result).
constexpr auto ChatPageScript = R"js(<script>
(function () {
  'use strict';
  document.getElementById('zb-fake-sign-in').addEventListener('click', function () {
    location.href = '/__fake/sign-in?next=' + encodeURIComponent(location.pathname);
  });
  var result = document.getElementById('zb-fake-captcha-result');
  window.initAliyunCaptcha({
    SceneId: 'didk33e0',
    mode: 'embed',
    element: '#zb-fake-captcha-element',
    button: '#zb-fake-send',
    success: function (captchaVerifyParam) {
      result.dataset.state = 'success';
      result.textContent = captchaVerifyParam;
    },
    fail: function (failure) {
      result.dataset.state = 'fail';
      result.textContent = JSON.stringify(failure);
    },
    getInstance: function (instance) {
      window.zbFakeCaptchaInstance = instance;
    },
    language: 'en'
  });
})();
</script>
)js"_L1;

// The mint's and the mode's answers: never cached, readable by a page of another origin.
const FakeHttpHeaders FreshText{{"Content-Type"_ba, "text/plain; charset=utf-8"_ba},
                                {"Cache-Control"_ba, "no-store"_ba},
                                {"Access-Control-Allow-Origin"_ba, "*"_ba}};

QLatin1StringView modeName(FakeZaiServer::CaptchaMode mode)
{
    switch (mode) {
    case FakeZaiServer::CaptchaMode::Challenge:
        return "challenge"_L1;
    case FakeZaiServer::CaptchaMode::Fail:
        return "fail"_L1;
    case FakeZaiServer::CaptchaMode::Traceless:
        break;
    }
    return "traceless"_L1;
}

// Where a sign-in or sign-out returns to: a local path, else the chat page.
QByteArray localTarget(const RecordedRequest &request)
{
    const QString next = request.queryValue(u"next"_s);
    if (!next.startsWith(u'/') || next.startsWith("//"_L1) || next.contains(u'\\'))
        return "/__fake/chat"_ba;
    return QUrl(next).toEncoded();
}

} // namespace

QByteArray FakeZaiServer::chatPage(const RecordedRequest &request) const
{
    const QString token = cookieToken(request);
    const User *user = token.isEmpty() ? nullptr : userFor(token);
    const bool signedIn = user && user->role != "guest"_L1;
    QString html = QString(PageHead) + assetLinks(m_feVersion);
    // The SDK's configuration comes before the SDK, as the Aliyun documentation demands; the
    // values are chat.z.ai's (section 10).
    html += u"<script>\nwindow.AliyunCaptchaConfig = {region: \"sgp\", prefix: \"no8xfe\"};\n"
            "</script>\n<script src=\"/__fake/AliyunCaptcha.js\"></script>\n"
            "</head>\n<body data-sveltekit-preload-data=\"hover\">\n"_s;
    html += u"<main id=\"zb-fake-chat\" data-signed-in=\"%1\">\n"_s.arg(signedIn ? u"true"_s
                                                                                 : u"false"_s);
    html +=
        signedIn
            ? u"<p id=\"zb-fake-account\">Signed in as %1</p>\n"_s.arg(user->email.toHtmlEscaped())
            : u"<p id=\"zb-fake-account\">Not signed in</p>\n"_s;
    html += u"<button id=\"zb-fake-sign-in\" type=\"button\">Sign in</button>\n"
            "<a id=\"zb-fake-sign-out\" href=\"/__fake/sign-out\">Sign out</a>\n"
            "<div id=\"zb-fake-captcha-element\"></div>\n"
            "<button id=\"zb-fake-send\" type=\"button\">Send</button>\n"
            "<output id=\"zb-fake-captcha-result\" data-state=\"\"></output>\n</main>\n"_s;
    html += ChatPageScript;
    html += appScript(m_feVersion) + u"</body>\n</html>\n"_s;
    return html.toUtf8();
}

void FakeZaiServer::handleChatPage(FakeHttpConnection *connection, const RecordedRequest &request)
{
    connection->sendResponse(200, {{"Content-Type"_ba, "text/html; charset=utf-8"_ba}},
                             chatPage(request));
}

void FakeZaiServer::handleCaptchaScript(FakeHttpConnection *connection, const RecordedRequest &)
{
    connection->sendResponse(200,
                             {{"Content-Type"_ba, "application/javascript; charset=utf-8"_ba},
                              {"Access-Control-Allow-Origin"_ba, "*"_ba}},
                             QByteArray(CaptchaScript.data(), CaptchaScript.size()));
}

void FakeZaiServer::handleCaptchaMint(FakeHttpConnection *connection, const RecordedRequest &)
{
    connection->sendResponse(200, FreshText, mintCaptchaParam().toUtf8());
}

void FakeZaiServer::handleCaptchaMode(FakeHttpConnection *connection, const RecordedRequest &)
{
    const QLatin1StringView mode = modeName(m_captchaMode);
    connection->sendResponse(200, FreshText, QByteArray(mode.data(), mode.size()));
}

void FakeZaiServer::handleSignIn(FakeHttpConnection *connection, const RecordedRequest &request)
{
    // ?token=T signs in as an account the test made valid; without it, as signInToken().
    QString token = request.queryValue(u"token"_s);
    if (token.isEmpty()) {
        token = signInToken();
    } else if (!userFor(token)) {
        reject(connection, 401, InvalidToken, u"sign-in: unknown token"_s);
        return;
    }
    // The cookie of section 1.2 without Secure: the fake speaks plain http on loopback.
    const QByteArray target = localTarget(request);
    connection->sendResponse(
        302,
        {{"Location"_ba, target},
         {"Content-Type"_ba, "text/html; charset=utf-8"_ba},
         {"set-cookie"_ba, "token=" + token.toLatin1() + "; HttpOnly; Path=/; SameSite=Lax"}},
        "<a href=\"" + target + "\">signed in</a>");
}

void FakeZaiServer::handleSignOut(FakeHttpConnection *connection, const RecordedRequest &request)
{
    const QByteArray target = localTarget(request);
    connection->sendResponse(
        302,
        {{"Location"_ba, target},
         {"Content-Type"_ba, "text/html; charset=utf-8"_ba},
         {"set-cookie"_ba, "token=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0"}},
        "<a href=\"" + target + "\">signed out</a>");
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
