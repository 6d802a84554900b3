// SPDX-License-Identifier: MIT
#include "ZaiRequestBuilder.h"

#include "ChatRequest.h"
#include "JsonWriter.h"
#include "ModelCatalogue.h"
#include "RandomId.h"
#include "Signer.h"
#include "TokenPool.h"
#include "ToolPrompt.h"
#include "UpstreamProfile.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QTimeZone>

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

ZaiRequestBuilder::ZaiRequestBuilder(const UpstreamProfile &profile, QUrl completionsUrl,
                                     QByteArray secret)
    : m_profile(profile), m_completionsUrl(std::move(completionsUrl)), m_secret(std::move(secret))
{
    m_origin = m_completionsUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery
                                         | QUrl::RemoveFragment);
}

QUrl ZaiRequestBuilder::url(const QString &profilePathName) const
{
    QUrl u = m_origin;
    u.setPath(m_profile.path(profilePathName));
    return u;
}

ZaiRequestBuilder::Switches ZaiRequestBuilder::switchesFor(const ChatRequest &request,
                                                           const ModelEntry &model)
{
    return {request.enableThinking.value_or(model.thinking), request.webSearch.value_or(model.search)};
}

QJsonArray ZaiRequestBuilder::upstreamMessages(const ChatRequest &request,
                                               const UpstreamProfile *profile)
{
    const auto imagePart = [profile](const ContentPart &part) {
        QString url = part.imageUrl;
        if (!part.imageFile.isEmpty()) {
            const QString id = part.imageFile.value(u"id"_s).toString();
            const QString name = part.imageFile.value(u"filename"_s).toString();
            url = profile ? profile->imagePartUrl(id, name) : id;
        }
        return QJsonObject{{u"type"_s, u"image_url"_s},
                           {u"image_url"_s, QJsonObject{{u"url"_s, url}}}};
    };
    QJsonArray out;
    QHash<QString, QString> toolNames; // tool_call_id -> function name, for tool results
    QString pendingToolResults;
    QJsonArray pendingToolImages; // screenshots returned by tools go with their results
    const auto flushToolResults = [&] {
        if (!pendingToolImages.isEmpty()) {
            QJsonArray parts{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, pendingToolResults}}};
            for (const QJsonValue &image : std::as_const(pendingToolImages))
                parts.append(image);
            out.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, parts}});
        } else if (!pendingToolResults.isEmpty()) {
            out.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, pendingToolResults}});
        }
        pendingToolResults.clear();
        pendingToolImages = QJsonArray();
    };
    // Tool and output-format instructions go at the end of the first system message.
    QStringList extra{ToolPrompt::instructions(request, request.toolTrigger),
                      ToolPrompt::responseFormatInstructions(request)};
    extra.removeAll(QString());
    const QString systemExtra = extra.join(u"\n\n"_s);
    bool systemExtended = systemExtra.isEmpty();

    for (const ChatMessage &m : request.messages) {
        if (m.role == ChatMessage::Role::Tool) {
            if (!pendingToolResults.isEmpty())
                pendingToolResults += u'\n';
            pendingToolResults += ToolPrompt::renderResult(toolNames.value(m.toolCallId, m.name),
                                                           m.toolCallId, m.text());
            for (const ContentPart &part : m.parts) {
                if (part.type == ContentPart::Type::ImageUrl)
                    pendingToolImages.append(imagePart(part));
            }
            continue;
        }
        flushToolResults();
        QString role;
        switch (m.role) {
        case ChatMessage::Role::System: role = u"system"_s; break;
        case ChatMessage::Role::User: role = u"user"_s; break;
        case ChatMessage::Role::Assistant: role = u"assistant"_s; break;
        case ChatMessage::Role::Tool: break;
        }
        QString text = m.text();
        if (m.role == ChatMessage::Role::System && !systemExtended) {
            text += (text.isEmpty() ? QString() : u"\n\n"_s) + systemExtra;
            systemExtended = true;
        }
        if (!m.toolCalls.isEmpty()) {
            for (const ToolCall &call : m.toolCalls)
                toolNames.insert(call.id, call.name);
            text += (text.isEmpty() ? QString() : u"\n"_s)
                    + ToolPrompt::renderCalls(m.toolCalls, request.toolTrigger);
        }
        if (!m.hasImages()) {
            if (text.isEmpty())
                continue; // the upstream rejects empty turns
            out.append(QJsonObject{{u"role"_s, role}, {u"content"_s, text}});
            continue;
        }
        QJsonArray parts;
        if (!text.isEmpty())
            parts.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}});
        for (const ContentPart &part : m.parts) {
            if (part.type == ContentPart::Type::ImageUrl)
                parts.append(imagePart(part));
        }
        out.append(QJsonObject{{u"role"_s, role}, {u"content"_s, parts}});
    }
    flushToolResults();
    if (!systemExtended)
        out.prepend(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, systemExtra}});
    return out;
}

void ZaiRequestBuilder::addBrowserHeaders(QNetworkRequest &request, const TokenLease &lease,
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

QNetworkRequest ZaiRequestBuilder::completion(const ChatRequest &request, const ModelEntry &model,
                                              const TokenLease &lease, const Ids &ids,
                                              const Switches &switches, const QString &feVersion,
                                              QByteArray *body) const
{
    const QString prompt = request.lastUserText();
    const QString ts = QString::number(ids.timestampMs);
    const QString chatPath = u"/c/"_s + ids.chatId;

    QList<QPair<QString, QString>> query;
    query.emplaceBack(u"timestamp"_s, ts);
    query.emplaceBack(u"requestId"_s, ids.requestId);
    query.emplaceBack(u"user_id"_s, lease.userId);
    query.emplaceBack(u"token"_s, lease.token);
    for (const auto &[key, value] : m_profile.queryParams())
        query.emplaceBack(key, value);
    query.emplaceBack(u"current_url"_s, m_origin.toString() + chatPath);
    query.emplaceBack(u"pathname"_s, chatPath);
    if (model.persisted) {
        // The browser-fingerprint profile the persisted-chat models expect (section 1.1).
        const QDateTime nowUtc = QDateTime::fromMSecsSinceEpoch(ids.timestampMs, QTimeZone::utc());
        for (const auto &[key, value] : m_profile.fingerprint())
            query.emplaceBack(key, value);
        query.emplaceBack(u"host"_s, m_origin.host());
        query.emplaceBack(u"hostname"_s, m_origin.host());
        query.emplaceBack(u"protocol"_s, m_origin.scheme() + u':');
        query.emplaceBack(u"local_time"_s, nowUtc.toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s));
        query.emplaceBack(u"utc_time"_s,
                          QLocale::c().toString(nowUtc, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s));
    }
    query.emplaceBack(u"signature_timestamp"_s, ts);
    // Encode everything the way urlencode does so '+', '&', '=' and spaces survive.
    QString encoded;
    for (const auto &[key, value] : std::as_const(query)) {
        if (!encoded.isEmpty())
            encoded += u'&';
        encoded += QString::fromLatin1(QUrl::toPercentEncoding(key)) + u'='
                   + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    QUrl url = m_completionsUrl;
    url.setQuery(encoded, QUrl::StrictMode);

    QNetworkRequest net(url);
    addBrowserHeaders(net, lease, ids.chatId);
    net.setRawHeader("Accept", model.persisted ? "*/*" : "application/json");
    net.setRawHeader("X-FE-Version", feVersion.toUtf8());
    net.setRawHeader("X-Signature",
                     Signer::sign(m_secret, ids.requestId, ids.timestampMs, lease.userId, prompt));

    int offsetMinutes = 480; // the profile's timezone_offset is JS-style: minutes west of UTC
    for (const auto &[key, value] : m_profile.fingerprint()) {
        if (key == u"timezone_offset")
            offsetMinutes = -value.toInt();
    }
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ids.timestampMs, QTimeZone::utc())
                                .addSecs(qint64(offsetMinutes) * 60);
    QJsonObject variables = m_profile.variables();
    variables.insert(u"{{CURRENT_DATETIME}}"_s, local.toString(u"yyyy-MM-dd HH:mm:ss"_s));
    variables.insert(u"{{CURRENT_DATE}}"_s, local.toString(u"yyyy-MM-dd"_s));
    variables.insert(u"{{CURRENT_TIME}}"_s, local.toString(u"HH:mm:ss"_s));
    variables.insert(u"{{CURRENT_WEEKDAY}}"_s, QLocale::c().dayName(local.date().dayOfWeek()));

    QJsonObject features{{u"image_generation"_s, false},
                         {u"web_search"_s, switches.search},
                         {u"auto_web_search"_s, switches.search},
                         {u"preview_mode"_s, model.previewMode},
                         {u"flags"_s, QJsonArray()},
                         {u"enable_thinking"_s, switches.thinking}};
    QJsonObject params;
    if (request.temperature)
        params.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        params.insert(u"top_p"_s, *request.topP);
    if (request.maxTokens)
        params.insert(u"max_tokens"_s, double(*request.maxTokens));

    QJsonObject json{{u"stream"_s, true},
                     {u"model"_s, model.upstreamId},
                     {u"messages"_s, upstreamMessages(request, &m_profile)},
                     {u"signature_prompt"_s, prompt},
                     {u"params"_s, params},
                     {u"extra"_s, QJsonObject()},
                     {u"variables"_s, variables},
                     {u"chat_id"_s, ids.chatId},
                     {u"id"_s, ids.assistantMessageId},
                     {u"current_user_message_id"_s, ids.userMessageId},
                     {u"current_user_message_parent_id"_s, QJsonValue::Null}};
    if (!model.mcpServers.isEmpty()) {
        QJsonArray servers;
        for (const QString &s : model.mcpServers)
            servers.append(s);
        json.insert(u"mcp_servers"_s, servers);
    }
    if (model.persisted) {
        json.insert(u"background_tasks"_s,
                    QJsonObject{{u"title_generation"_s, true}, {u"tags_generation"_s, true}});
        if (const QJsonArray uploaded = files(request, model, ids); !uploaded.isEmpty())
            json.insert(u"files"_s, uploaded);
    } else {
        QJsonArray hidden;
        for (const QString &server : m_profile.hiddenMcpFeatures()) {
            hidden.append(QJsonObject{
                {u"type"_s, server == u"tool_selector" ? u"tool_selector"_s : u"mcp"_s},
                {u"server"_s, server == u"tool_selector" ? u"tool_selector_h"_s : server},
                {u"status"_s, u"hidden"_s}});
        }
        features.insert(u"features"_s, hidden);
        json.insert(u"background_tasks"_s,
                    QJsonObject{{u"title_generation"_s, false}, {u"tags_generation"_s, false}});
        json.insert(u"model_item"_s, QJsonObject{{u"id"_s, model.upstreamId},
                                                 {u"name"_s, model.id},
                                                 {u"owned_by"_s, u"openai"_s}});
        json.insert(u"session_id"_s, ids.sessionId);
        json.insert(u"files"_s, files(request, model, ids));
        if (!json.contains(u"mcp_servers"_s))
            json.insert(u"mcp_servers"_s, QJsonArray());
    }
    json.insert(u"features"_s, features);
    *body = JsonWriter::toBytes(json);
    return net;
}

QNetworkRequest ZaiRequestBuilder::chatsNew(const ChatRequest &request, const ModelEntry &model,
                                            const TokenLease &lease, const Ids &ids,
                                            const Switches &switches, QByteArray *body) const
{
    QNetworkRequest net(url(u"chatsNew"_s));
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
    *body = JsonWriter::toBytes(QJsonObject{{u"chat"_s, chat}});
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

QJsonArray ZaiRequestBuilder::files(const ChatRequest &request, const ModelEntry &model,
                                    const Ids &ids) const
{
    QJsonArray out;
    QSet<QString> seen;
    for (const ChatMessage &m : request.messages) {
        for (const ContentPart &part : m.parts) {
            if (part.type != ContentPart::Type::ImageUrl || part.imageFile.isEmpty())
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
