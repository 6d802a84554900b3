// SPDX-License-Identifier: MIT
#include "MessagesFormat.h"

#include "AnthropicError.h"
#include "util/JsonWriter.h"
#include "util/RandomId.h"
#include "zai/ModelCatalogue.h"

#include <QDateTime>
#include <QTimeZone>

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// A content_block_delta event with one string field in its delta.
QByteArray delta(int index, QLatin1StringView type, QLatin1StringView field, const QString &text)
{
    JsonStream out("event: content_block_delta\ndata: "_ba, 96 + 2 * text.size());
    out.beginObject()
        .field("type"_L1, "content_block_delta"_L1)
        .field("index"_L1, index)
        .key("delta"_L1)
        .beginObject()
        .field("type"_L1, type)
        .field(field, text)
        .endObject()
        .endObject();
    QByteArray bytes = out.take();
    bytes += "\n\n";
    return bytes;
}

QByteArray blockStart(int index, const QJsonObject &block)
{
    return MessagesFormat::event("content_block_start"_L1,
                                 {{u"type"_s, u"content_block_start"_s},
                                  {u"index"_s, index},
                                  {u"content_block"_s, block}});
}

} // namespace

QString MessagesFormat::newMessageId()
{
    return u"msg_"_s + randomAlphanumeric(24);
}

QString MessagesFormat::toolUseId(const QString &callId)
{
    if (callId.startsWith(u"toolu_"_s))
        return callId;
    if (callId.startsWith(u"call_"_s) && callId.size() > 5)
        return u"toolu_"_s + QStringView(callId).sliced(5);
    return u"toolu_"_s + randomAlphanumeric(24);
}

QString MessagesFormat::newSignature()
{
    return u"zaibridge-"_s + randomAlphanumeric(32);
}

QLatin1StringView MessagesFormat::stopReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop: return "end_turn"_L1;
    case FinishReason::StopSequence: return "stop_sequence"_L1;
    case FinishReason::Length: return "max_tokens"_L1;
    case FinishReason::ToolCalls: return "tool_use"_L1;
    }
    return "end_turn"_L1;
}

QByteArray MessagesFormat::event(QLatin1StringView name, const QJsonObject &data)
{
    QByteArray out = "event: ";
    out += QByteArrayView(name.data(), name.size());
    out += "\ndata: ";
    JsonWriter::appendValue(out, data);
    out += "\n\n";
    return out;
}

QJsonObject MessagesFormat::usage(const TokenUsage &u)
{
    return {{u"input_tokens"_s, u.promptTokens},
            {u"output_tokens"_s, u.completionTokens},
            {u"cache_creation_input_tokens"_s, 0},
            {u"cache_read_input_tokens"_s, qMax<qint64>(0, u.cachedTokens)}};
}

QByteArray MessagesFormat::messageStart(const QString &id, const QString &model,
                                        qint64 inputTokens)
{
    TokenUsage start;
    start.promptTokens = inputTokens;
    const QJsonObject message{{u"id"_s, id},
                              {u"type"_s, u"message"_s},
                              {u"role"_s, u"assistant"_s},
                              {u"model"_s, model},
                              {u"content"_s, QJsonArray()},
                              {u"stop_reason"_s, QJsonValue::Null},
                              {u"stop_sequence"_s, QJsonValue::Null},
                              {u"usage"_s, usage(start)}};
    return event("message_start"_L1, {{u"type"_s, u"message_start"_s}, {u"message"_s, message}});
}

QByteArray MessagesFormat::ping()
{
    return QByteArrayLiteral("event: ping\ndata: {\"type\":\"ping\"}\n\n");
}

QByteArray MessagesFormat::thinkingBlockStart(int index)
{
    return blockStart(index, {{u"type"_s, u"thinking"_s},
                              {u"thinking"_s, u""_s},
                              {u"signature"_s, u""_s}});
}

QByteArray MessagesFormat::textBlockStart(int index)
{
    return blockStart(index, {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}});
}

QByteArray MessagesFormat::toolUseBlockStart(int index, const QString &id, const QString &name)
{
    return blockStart(index, {{u"type"_s, u"tool_use"_s},
                              {u"id"_s, id},
                              {u"name"_s, name},
                              {u"input"_s, QJsonObject()}});
}

QByteArray MessagesFormat::textDelta(int index, const QString &text)
{
    return delta(index, "text_delta"_L1, "text"_L1, text);
}

QByteArray MessagesFormat::thinkingDelta(int index, const QString &thinking)
{
    return delta(index, "thinking_delta"_L1, "thinking"_L1, thinking);
}

QByteArray MessagesFormat::signatureDelta(int index, const QString &signature)
{
    return delta(index, "signature_delta"_L1, "signature"_L1, signature);
}

QByteArray MessagesFormat::inputJsonDelta(int index, const QString &partialJson)
{
    return delta(index, "input_json_delta"_L1, "partial_json"_L1, partialJson);
}

QByteArray MessagesFormat::blockStop(int index)
{
    return event("content_block_stop"_L1,
                 {{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}});
}

QByteArray MessagesFormat::messageDelta(FinishReason reason, const QString &stopSequence,
                                        const TokenUsage &u)
{
    const QJsonObject delta{{u"stop_reason"_s, QString(stopReasonName(reason))},
                            {u"stop_sequence"_s, nullable(stopSequence)}};
    return event("message_delta"_L1,
                 {{u"type"_s, u"message_delta"_s}, {u"delta"_s, delta}, {u"usage"_s, usage(u)}});
}

QByteArray MessagesFormat::messageStop()
{
    return QByteArrayLiteral("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
}

QByteArray MessagesFormat::errorEvent(const ApiError &error)
{
    return event("error"_L1, AnthropicError::json(error));
}

QJsonObject MessagesFormat::input(const QString &arguments)
{
    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8());
    return doc.isObject() ? doc.object() : QJsonObject();
}

QByteArray MessagesFormat::message(const QString &id, const QString &model,
                                   const CompletedAnswer &a, const QString &signature,
                                   const QString &stopSequence)
{
    QJsonArray content;
    if (!a.reasoning.isEmpty())
        content.append(QJsonObject{{u"type"_s, u"thinking"_s},
                                   {u"thinking"_s, a.reasoning},
                                   {u"signature"_s, signature}});
    if (!a.content.isEmpty() || a.toolCalls.isEmpty())
        content.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, a.content}});
    for (const ToolCall &call : a.toolCalls)
        content.append(QJsonObject{{u"type"_s, u"tool_use"_s},
                                   {u"id"_s, toolUseId(call.id)},
                                   {u"name"_s, call.name},
                                   {u"input"_s, input(call.arguments)}});
    const QJsonObject message{{u"id"_s, id},
                              {u"type"_s, u"message"_s},
                              {u"role"_s, u"assistant"_s},
                              {u"model"_s, model},
                              {u"content"_s, content},
                              {u"stop_reason"_s, QString(stopReasonName(a.reason))},
                              {u"stop_sequence"_s, nullable(stopSequence)},
                              {u"usage"_s, usage(a.usage)}};
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QByteArray MessagesFormat::tokenCount(qint64 inputTokens)
{
    return QJsonDocument(QJsonObject{{u"input_tokens"_s, inputTokens}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject MessagesFormat::model(const ModelEntry &entry, qint64 created)
{
    return {{u"type"_s, u"model"_s},
            {u"id"_s, entry.id},
            {u"display_name"_s, entry.id},
            {u"created_at"_s,
             QDateTime::fromSecsSinceEpoch(created, QTimeZone::utc()).toString(Qt::ISODate)}};
}

QJsonObject MessagesFormat::modelList(const ModelCatalogue &catalogue, qint64 created)
{
    QJsonArray data;
    for (const ModelEntry &entry : catalogue.entries())
        data.append(model(entry, created));
    const auto id = [&](qsizetype i) {
        return data.isEmpty() ? QJsonValue() : data.at(i).toObject().value(u"id"_s);
    };
    return {{u"data"_s, data},
            {u"has_more"_s, false},
            {u"first_id"_s, id(0)},
            {u"last_id"_s, id(data.size() - 1)}};
}
