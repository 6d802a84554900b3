// SPDX-License-Identifier: MIT
#include "ZaiRequestBuilder.h"

#include "conversation/Conversation.h"
#include "util/JsonWriter.h"
#include "ModelCatalogue.h"
#include "util/RandomId.h"
#include "Signer.h"
#include "TokenPool.h"
#include "conversation/ToolPrompt.h"
#include "UpstreamProfile.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QTimeZone>

#include <array>

using namespace Qt::StringLiterals;

ZaiRequestBuilder::Ids ZaiRequestBuilder::Ids::fresh()
{
    Ids ids;
    ids.chatId = randomUuid();
    ids.assistantMessageId = randomUuid();
    ids.userMessageId = randomUuid();
    ids.requestId = randomUuid();
    ids.sessionId = randomUuid();
    ids.timestampMs = QDateTime::currentMSecsSinceEpoch();
    return ids;
}

namespace {
void appendPercentEncoded(QByteArray &out, const QString &text);
} // namespace

ZaiRequestBuilder::ZaiRequestBuilder(const UpstreamProfile &profile, QUrl completionsUrl,
                                     QByteArray secret)
    : m_profile(profile), m_completionsUrl(std::move(completionsUrl)), m_secret(std::move(secret))
{
    m_origin = m_completionsUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery
                                         | QUrl::RemoveFragment);
    m_originText = m_origin.toString();
    m_completionBase = UpstreamRequest(m_completionsUrl);
    for (const auto &[name, value] : m_profile.headers())
        m_completionBase.setRawHeader(name, value);
    const auto encodeParams = [](const QList<QPair<QString, QString>> &params) {
        QByteArray query;
        for (const auto &[key, value] : params) {
            query += '&';
            appendPercentEncoded(query, key);
            query += '=';
            appendPercentEncoded(query, value);
        }
        return query;
    };
    m_profileQuery = encodeParams(m_profile.queryParams());
    m_fingerprintQuery = encodeParams(m_profile.fingerprint());
    for (const auto &[key, value] : m_profile.fingerprint()) {
        if (key == u"timezone_offset")
            m_offsetMinutes = -value.toInt(); // JS-style: minutes west of UTC
    }
    static const QStringList computed{u"{{CURRENT_DATETIME}}"_s, u"{{CURRENT_DATE}}"_s,
                                      u"{{CURRENT_TIME}}"_s, u"{{CURRENT_WEEKDAY}}"_s};
    JsonStream variables;
    variables.beginObject();
    const QJsonObject all = m_profile.variables();
    for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
        if (!computed.contains(it.key()))
            variables.key(it.key()).value(it.value());
    }
    variables.endObject();
    m_fixedVariables = variables.bytes().sliced(1, variables.bytes().size() - 2); // without {}
}

QUrl ZaiRequestBuilder::url(const QString &profilePathName) const
{
    QUrl u = m_origin;
    u.setPath(m_profile.path(profilePathName));
    return u;
}

ZaiRequestBuilder::Switches ZaiRequestBuilder::switchesFor(const Conversation &request,
                                                           const ModelEntry &model)
{
    return {request.enableThinking.value_or(model.thinking), request.webSearch.value_or(model.search)};
}

namespace {

// One image part in upstream shape (4.3): an uploaded image references its file (the profile's
// image-part URL; the bare file id without a profile), any other keeps the client's URL.
void writeImagePart(JsonStream &out, const ContentPart &part, const UpstreamProfile *profile)
{
    QString url = part.imageUrl;
    if (!part.imageFile.isEmpty()) {
        const QString id = part.imageFile.value(u"id"_s).toString();
        const QString name = part.imageFile.value(u"filename"_s).toString();
        url = profile ? profile->imagePartUrl(id, name) : id;
    }
    out.beginObject()
        .field("type"_L1, "image_url"_L1)
        .key("image_url"_L1)
        .beginObject()
        .field("url"_L1, url)
        .endObject()
        .endObject();
}

void writeTextPart(JsonStream &out, const QString &text)
{
    out.beginObject().field("type"_L1, "text"_L1).field("text"_L1, text).endObject();
}

QLatin1StringView roleName(Message::Role role)
{
    switch (role) {
    case Message::Role::System: return "system"_L1;
    case Message::Role::User: return "user"_L1;
    case Message::Role::Assistant: return "assistant"_L1;
    case Message::Role::Tool: break;
    }
    return "user"_L1; // tool results travel as user turns
}

// RFC 3986 unreserved characters (letters, digits, "-._~"): they pass as they are.
constexpr auto kUnreserved = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
        table[size_t(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                           || c == '-' || c == '.' || c == '_' || c == '~';
    }
    return table;
}();

// "%<hex><hex>" for every other byte, as urlencode and QUrl::toPercentEncoding do, so that '+',
// '&', '=' and spaces survive.
void appendPercentEncodedBytes(QByteArray &out, const char *bytes, qsizetype size)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    const qsizetype start = out.size();
    out.resize(start + 3 * size); // the most it can take
    char *p = out.data() + start;
    for (qsizetype i = 0; i < size; ++i) {
        const auto u = static_cast<unsigned char>(bytes[i]);
        if (kUnreserved[u]) {
            *p++ = char(u);
        } else {
            *p++ = '%';
            *p++ = hex[u >> 4];
            *p++ = hex[u & 0xf];
        }
    }
    out.truncate(p - out.data());
}

void appendPercentEncoded(QByteArray &out, const QString &text)
{
    // Ids, tokens and most profile values are unreserved ASCII (a UUID, a number): copied as
    // they are, without a check per character on the way out.
    const QChar *units = text.constData();
    const qsizetype size = text.size();
    qsizetype plain = 0;
    while (plain < size && units[plain].unicode() < 0x80 && kUnreserved[units[plain].unicode()])
        ++plain;
    if (plain == size) {
        const qsizetype start = out.size();
        out.resize(start + size);
        char *p = out.data() + start;
        for (qsizetype i = 0; i < size; ++i)
            p[i] = char(units[i].unicode());
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    appendPercentEncodedBytes(out, utf8.constData(), utf8.size());
}

QString twoDigits(int n)
{
    return QString::number(n).rightJustified(2, u'0');
}

} // namespace

void ZaiRequestBuilder::writeUpstreamMessages(JsonStream &out, const Conversation &request,
                                              const UpstreamProfile *profile)
{
    // Tool and output-format instructions go at the end of the first system message; with no
    // system message they become one of their own, in front.
    QStringList extra{ToolPrompt::instructions(request, request.toolTrigger),
                      ToolPrompt::responseFormatInstructions(request)};
    extra.removeAll(QString());
    const QString systemExtra = extra.join(u"\n\n"_s);
    const bool hasSystem = std::any_of(request.messages.cbegin(), request.messages.cend(),
                                       [](const Message &m) {
                                           return m.role == Message::Role::System;
                                       });
    bool systemExtended = systemExtra.isEmpty();

    // User-only (zai-protocol.md P.12): the live service takes role "user" only, so every turn
    // goes as a user message whose text starts with its role's label, and the first one starts
    // with a preamble that explains the labels. One user message per turn rather than the whole
    // transcript in one: each image stays in the turn that showed it, every turn's text is
    // written once (a request grows with the conversation, not faster, and nothing is copied
    // into a second message), the newest turn stays the last message as in the browser, and the
    // two modes differ only in the role and the label. A conversation of one user turn and
    // nothing else goes as it is, as the browser sends it.
    const bool userOnly =
        profile && profile->messagesMode() == UpstreamProfile::MessagesMode::UserOnly;
    bool labelled = false;
    if (userOnly) {
        int userTurns = 0;
        bool otherTurns = !systemExtra.isEmpty();
        for (const Message &m : request.messages) {
            const bool written = m.role == Message::Role::Tool || !m.toolCalls.isEmpty()
                                 || m.hasImages() || !m.text().isEmpty();
            if (written && m.role == Message::Role::User)
                ++userTurns;
            else if (written)
                otherTurns = true;
        }
        labelled = otherTurns || userTurns > 1;
    }
    bool first = true;
    const auto writeMessage = [&](Message::Role role, const QString &text,
                                  const QList<const ContentPart *> &images) {
        if (text.isEmpty() && images.isEmpty())
            return; // the upstream rejects empty turns
        QString content = text;
        if (labelled) {
            QString head = profile->messageLabel(role);
            if (first)
                head.prepend(profile->messagesPreamble() + u"\n\n"_s);
            content = text.isEmpty() ? head : head + u'\n' + text;
        }
        first = false;
        out.beginObject().field("role"_L1, userOnly ? "user"_L1 : roleName(role));
        if (images.isEmpty()) {
            out.field("content"_L1, content).endObject();
            return;
        }
        out.key("content"_L1).beginArray();
        if (!content.isEmpty())
            writeTextPart(out, content);
        for (const ContentPart *image : images)
            writeImagePart(out, *image, profile);
        out.endArray().endObject();
    };

    out.beginArray();
    if (!systemExtended && !hasSystem) {
        writeMessage(Message::Role::System, systemExtra, {});
        systemExtended = true;
    }

    QHash<QString, QString> toolNames; // tool_call_id -> function name, for tool results
    QString pendingToolResults;
    QList<const ContentPart *> pendingToolImages; // screenshots returned by tools go with their results
    const auto flushToolResults = [&] {
        writeMessage(Message::Role::Tool, pendingToolResults, pendingToolImages);
        pendingToolResults.clear();
        pendingToolImages.clear();
    };

    for (const Message &m : request.messages) {
        if (m.role == Message::Role::Tool) {
            if (!pendingToolResults.isEmpty())
                pendingToolResults += u'\n';
            pendingToolResults += ToolPrompt::renderResult(toolNames.value(m.toolCallId, m.name),
                                                           m.toolCallId, m.text());
            for (const ContentPart &part : m.parts) {
                if (part.type == ContentPart::Type::Image)
                    pendingToolImages.append(&part);
            }
            continue;
        }
        flushToolResults();
        QString text = m.text();
        if (m.role == Message::Role::System && !systemExtended) {
            text += (text.isEmpty() ? QString() : u"\n\n"_s) + systemExtra;
            systemExtended = true;
        }
        if (!m.toolCalls.isEmpty()) {
            for (const ToolCall &call : m.toolCalls)
                toolNames.insert(call.id, call.name);
            text += (text.isEmpty() ? QString() : u"\n"_s)
                    + ToolPrompt::renderCalls(m.toolCalls, request.toolTrigger);
        }
        QList<const ContentPart *> images;
        for (const ContentPart &part : m.parts) {
            if (part.type == ContentPart::Type::Image)
                images.append(&part);
        }
        writeMessage(m.role, text, images);
    }
    flushToolResults();
    out.endArray();
}

QJsonArray ZaiRequestBuilder::upstreamMessages(const Conversation &request,
                                               const UpstreamProfile *profile)
{
    JsonStream out;
    writeUpstreamMessages(out, request, profile);
    return QJsonDocument::fromJson(out.bytes()).array();
}

template<typename Request>
void ZaiRequestBuilder::addBrowserHeaders(Request &request, const TokenLease &lease,
                                          const QString &chatId) const
{
    for (const auto &[name, value] : m_profile.headers())
        request.setRawHeader(name, value);
    const QByteArray origin = m_origin.toString().toUtf8();
    request.setRawHeader("Authorization", "Bearer " + lease.token.toUtf8());
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Origin", origin);
    request.setRawHeader("Referer", chatId.isEmpty() ? QByteArray(origin + '/')
                                                    : QByteArray(origin + "/c/" + chatId.toUtf8()));
}

UpstreamRequest ZaiRequestBuilder::completion(const Conversation &request, const ModelEntry &model,
                                              const TokenLease &lease, const Ids &ids,
                                              const Switches &switches, const QString &feVersion,
                                              QByteArray *body) const
{
    // The signed prompt (section 3) is the client's last user text, in both message modes: the
    // upstream checks X-Signature against the signature_prompt of the body, which carries exactly
    // this string. The reference signs it the same way while its tool results follow as user
    // turns, and the text appears as it is in its user message (after the label). Signing the
    // whole flattened conversation instead would copy all of it into signature_prompt.
    const QString prompt = request.lastUserText();
    const QString ts = QString::number(ids.timestampMs);
    const QString chatPath = u"/c/"_s + ids.chatId;

    QByteArray query;
    query.reserve(512 + m_profileQuery.size() + (model.persisted ? m_fingerprintQuery.size() : 0));
    const auto param = [&query](QLatin1StringView key, const QString &value) {
        if (!query.isEmpty())
            query += '&';
        query.append(key.data(), key.size());
        query += '=';
        appendPercentEncoded(query, value);
    };
    param("timestamp"_L1, ts);
    param("requestId"_L1, ids.requestId);
    param("user_id"_L1, lease.userId);
    {
        // The token (a JWT of several hundred characters) repeats from call to call: its
        // encoding is kept for the last one seen on this thread.
        thread_local QString lastToken;
        thread_local QByteArray lastEncoded;
        if (lease.token != lastToken) {
            lastEncoded.clear();
            appendPercentEncoded(lastEncoded, lease.token);
            lastToken = lease.token;
        }
        query += "&token=";
        query += lastEncoded;
    }
    query += m_profileQuery;
    param("current_url"_L1, m_originText + chatPath);
    param("pathname"_L1, chatPath);
    if (model.persisted) {
        // The browser-fingerprint profile the persisted-chat models expect (section 1.1).
        const QDateTime nowUtc = QDateTime::fromMSecsSinceEpoch(ids.timestampMs, QTimeZone::utc());
        query += m_fingerprintQuery;
        param("host"_L1, m_origin.host());
        param("hostname"_L1, m_origin.host());
        param("protocol"_L1, m_origin.scheme() + u':');
        param("local_time"_L1, nowUtc.toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s));
        param("utc_time"_L1, QLocale::c().toString(nowUtc, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s));
    }
    param("signature_timestamp"_L1, ts);
    UpstreamRequest net = m_completionBase; // the profile's headers, set once
    net.setEncodedQuery(std::move(query));
    const QByteArray origin = m_originText.toUtf8();
    net.setRawHeader("Authorization", "Bearer " + lease.token.toUtf8());
    net.setRawHeader("Content-Type", "application/json");
    net.setRawHeader("Origin", origin);
    net.setRawHeader("Referer", ids.chatId.isEmpty() ? QByteArray(origin + '/')
                                                    : QByteArray(origin + "/c/" + ids.chatId.toUtf8()));
    net.setRawHeader("Accept", model.persisted ? "*/*" : "application/json");
    net.setRawHeader("X-FE-Version", feVersion.toUtf8());
    net.setRawHeader("X-Signature",
                     Signer::sign(m_secret, ids.requestId, ids.timestampMs, lease.userId, prompt));

    // The date variables change once a second: they are made again only when the second (or
    // the fingerprint's time zone) changed since the last request on this thread.
    struct DateVariables
    {
        qint64 second = -1;
        int offsetMinutes = 0;
        QString dateTime, date, clock, weekday;
    };
    thread_local DateVariables dates;
    if (const qint64 second = ids.timestampMs / 1000;
        second != dates.second || m_offsetMinutes != dates.offsetMinutes) {
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(second * 1000, QTimeZone::utc())
                                    .addSecs(qint64(m_offsetMinutes) * 60);
        const QDate day = local.date();
        const QTime time = local.time();
        dates.second = second;
        dates.offsetMinutes = m_offsetMinutes;
        dates.date = QString::number(day.year()) + u'-' + twoDigits(day.month()) + u'-'
                     + twoDigits(day.day());
        dates.clock = twoDigits(time.hour()) + u':' + twoDigits(time.minute()) + u':'
                      + twoDigits(time.second());
        dates.dateTime = dates.date + u' ' + dates.clock;
        dates.weekday = QLocale::c().dayName(day.dayOfWeek());
    }

    qsizetype textSize = 0;
    for (const Message &m : request.messages) {
        for (const ContentPart &part : m.parts)
            textSize += part.text.size() + part.imageUrl.size();
    }
    // ASCII text takes a byte a character; a little more covers quoting and escapes.
    JsonStream json(2048 + textSize + textSize / 8 + 2 * prompt.size());
    json.beginObject()
        .field("stream"_L1, true)
        .field("model"_L1, model.upstreamId)
        .key("messages"_L1);
    writeUpstreamMessages(json, request, &m_profile);
    json.field("signature_prompt"_L1, prompt).key("params"_L1).beginObject();
    if (request.temperature)
        json.field("temperature"_L1, *request.temperature);
    if (request.topP)
        json.field("top_p"_L1, *request.topP);
    if (request.maxTokens)
        json.field("max_tokens"_L1, *request.maxTokens);
    json.endObject();
    json.key("extra"_L1).beginObject().endObject();
    if (!ids.captchaVerifyParam.isEmpty())
        json.field(m_profile.captcha().field, ids.captchaVerifyParam);

    json.key("variables"_L1).beginObject().members(m_fixedVariables);
    json.field("{{CURRENT_DATETIME}}"_L1, dates.dateTime)
        .field("{{CURRENT_DATE}}"_L1, dates.date)
        .field("{{CURRENT_TIME}}"_L1, dates.clock)
        .field("{{CURRENT_WEEKDAY}}"_L1, dates.weekday)
        .endObject();

    json.field("chat_id"_L1, ids.chatId)
        .field("id"_L1, ids.assistantMessageId)
        .field("current_user_message_id"_L1, ids.userMessageId)
        .field("current_user_message_parent_id"_L1, nullptr);
    if (!model.persisted || !model.mcpServers.isEmpty()) {
        json.key("mcp_servers"_L1).beginArray();
        for (const QString &server : model.mcpServers)
            json.value(server);
        json.endArray();
    }
    json.key("background_tasks"_L1)
        .beginObject()
        .field("title_generation"_L1, model.persisted)
        .field("tags_generation"_L1, model.persisted)
        .endObject();
    if (model.persisted) {
        if (const QJsonArray uploaded = files(request, model, ids); !uploaded.isEmpty())
            json.field("files"_L1, uploaded);
    } else {
        json.key("model_item"_L1)
            .beginObject()
            .field("id"_L1, model.upstreamId)
            .field("name"_L1, model.id)
            .field("owned_by"_L1, "openai"_L1)
            .endObject();
        json.field("session_id"_L1, ids.sessionId).field("files"_L1, files(request, model, ids));
    }

    json.key("features"_L1)
        .beginObject()
        .field("image_generation"_L1, false)
        .field("web_search"_L1, switches.search)
        .field("auto_web_search"_L1, switches.search)
        .field("preview_mode"_L1, model.previewMode)
        .key("flags"_L1)
        .beginArray()
        .endArray()
        .field("enable_thinking"_L1, switches.thinking);
    if (!model.persisted) {
        json.key("features"_L1).beginArray();
        for (const QString &server : m_profile.hiddenMcpFeatures()) {
            const bool selector = server == u"tool_selector";
            json.beginObject()
                .field("type"_L1, selector ? "tool_selector"_L1 : "mcp"_L1)
                .field("server"_L1, selector ? u"tool_selector_h"_s : server)
                .field("status"_L1, "hidden"_L1)
                .endObject();
        }
        json.endArray();
    }
    json.endObject().endObject();
    *body = json.take();
    return net;
}

UpstreamRequest ZaiRequestBuilder::chatsNew(const Conversation &request, const ModelEntry &model,
                                            const TokenLease &lease, const Ids &ids,
                                            const Switches &switches, QByteArray *body) const
{
    UpstreamRequest net(url(u"chatsNew"_s));
    addBrowserHeaders(net, lease, QString());
    net.setRawHeader("Accept", "application/json");

    QString preview = request.lastUserText();
    if (preview.size() > 500)
        preview = preview.left(500) + u"..."_s;
    const qint64 seconds = ids.timestampMs / 1000;
    const QJsonArray models{model.upstreamId};
    QJsonObject message{{u"id"_s, ids.userMessageId},
                        {u"parentId"_s, QJsonValue::Null},
                        {u"childrenIds"_s, QJsonArray()},
                        {u"role"_s, u"user"_s},
                        {u"content"_s, preview},
                        {u"timestamp"_s, double(seconds)},
                        {u"models"_s, models}};
    if (const QJsonArray uploaded = files(request, model, ids); !uploaded.isEmpty())
        message.insert(u"files"_s, uploaded); // 1.3: the chat's first message carries them too
    QJsonArray mcp;
    for (const QString &s : model.mcpServers)
        mcp.append(s);
    const QJsonObject chat{
        {u"id"_s, u""_s},
        {u"title"_s, u"新聊天"_s},
        {u"models"_s, models},
        {u"params"_s, QJsonObject()},
        {u"history"_s, QJsonObject{{u"messages"_s, QJsonObject{{ids.userMessageId, message}}},
                                   {u"currentId"_s, ids.userMessageId}}},
        {u"tags"_s, QJsonArray()},
        {u"flags"_s, QJsonArray()},
        {u"features"_s, QJsonArray{QJsonObject{{u"type"_s, u"tool_selector"_s},
                                               {u"server"_s, u"tool_selector_h"_s},
                                               {u"status"_s, u"hidden"_s}}}},
        {u"mcp_servers"_s, mcp},
        {u"enable_thinking"_s, switches.thinking},
        {u"auto_web_search"_s, switches.search},
        {u"message_version"_s, 1},
        {u"extra"_s, QJsonObject()},
        {u"timestamp"_s, double(ids.timestampMs)}};
    *body = QJsonDocument(QJsonObject{{u"chat"_s, chat}}).toJson(QJsonDocument::Compact);
    return net;
}

QNetworkRequest ZaiRequestBuilder::modelList(const TokenLease &lease) const
{
    QNetworkRequest net(url(u"models"_s));
    for (const auto &[name, value] : m_profile.headers())
        net.setRawHeader(name, value);
    const QByteArray origin = m_originText.toUtf8();
    net.setRawHeader("Authorization", "Bearer " + lease.token.toUtf8());
    net.setRawHeader("Accept", "application/json");
    net.setRawHeader("Origin", origin);
    net.setRawHeader("Referer", origin + '/');
    return net;
}

QByteArray ZaiRequestBuilder::newBoundary()
{
    return "----WebKitFormBoundary" + randomAlphanumeric(16).toLatin1();
}

QNetworkRequest ZaiRequestBuilder::fileUpload(const TokenLease &lease, const QString &type,
                                              const QByteArray &bytes, const QString &filename,
                                              const QByteArray &boundary, QByteArray *body) const
{
    QNetworkRequest net(url(u"files"_s));
    addBrowserHeaders(net, lease, QString());
    net.setRawHeader("Accept", "application/json");
    net.setRawHeader("Content-Type", "multipart/form-data; boundary=" + boundary);
    // File names are generated (a UUID and the type's extension), so nothing needs escaping.
    body->clear();
    body->reserve(bytes.size() + 256);
    body->append("--" + boundary + "\r\n");
    body->append("Content-Disposition: form-data; name=\"file\"; filename=\"" + filename.toUtf8()
                 + "\"\r\n");
    body->append("Content-Type: " + type.toLatin1() + "\r\n\r\n");
    body->append(bytes);
    body->append("\r\n--" + boundary + "--\r\n");
    return net;
}

QJsonArray ZaiRequestBuilder::files(const Conversation &request, const ModelEntry &model,
                                    const Ids &ids) const
{
    QJsonArray out;
    QSet<QString> seen;
    for (const Message &m : request.messages) {
        for (const ContentPart &part : m.parts) {
            if (part.type != ContentPart::Type::Image || part.imageFile.isEmpty())
                continue;
            const QJsonObject &file = part.imageFile;
            const QString id = file.value(u"id"_s).toString();
            if (id.isEmpty() || seen.contains(id))
                continue;
            seen.insert(id);
            const QJsonObject meta = file.value(u"meta"_s).toObject();
            QJsonObject entry{{u"type"_s, u"image"_s},
                              {u"file"_s, file},
                              {u"id"_s, id},
                              {u"url"_s, m_profile.fileContentPath(id)},
                              {u"name"_s, file.value(u"filename"_s).toString()},
                              {u"status"_s, u"uploaded"_s},
                              {u"size"_s, meta.value(u"size"_s).toDouble(double(part.imageBytes.size()))},
                              {u"error"_s, u""_s},
                              // the same item in chats/new and the completion
                              {u"itemId"_s, QUuid::createUuidV5(QUuid::fromString(ids.userMessageId), id)
                                                .toString(QUuid::WithoutBraces)},
                              {u"media"_s, u"image"_s}};
            if (model.persisted)
                entry.insert(u"ref_user_msg_id"_s, ids.userMessageId);
            out.append(entry);
        }
    }
    return out;
}
