// SPDX-License-Identifier: MIT
#include "ResponsesFormat.h"

#include "dialects/openai_chat/OpenAiError.h"
#include "util/JsonWriter.h"
#include "util/RandomId.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

// A delta event: {"type","sequence_number","item_id","output_index",<index>,"delta"(,"logprobs")}.
QByteArray deltaEvent(QLatin1StringView type, int sequence, const QString &itemId,
                      int outputIndex, QLatin1StringView indexName, const QString &delta,
                      bool logprobs)
{
    QByteArray head = "event: ";
    head += QByteArrayView(type.data(), type.size());
    head += "\ndata: ";
    JsonStream out(std::move(head), 160 + 2 * delta.size());
    out.beginObject()
        .field("type"_L1, type)
        .field("sequence_number"_L1, sequence)
        .field("item_id"_L1, itemId)
        .field("output_index"_L1, outputIndex)
        .field(indexName, 0)
        .field("delta"_L1, delta);
    if (logprobs)
        out.key("logprobs"_L1).beginArray().endArray();
    out.endObject();
    QByteArray bytes = out.take();
    bytes += "\n\n";
    return bytes;
}

} // namespace

QString ResponsesFormat::newResponseId()
{
    return u"resp_"_s + randomAlphanumeric(32);
}

QString ResponsesFormat::newMessageId()
{
    return u"msg_"_s + randomAlphanumeric(32);
}

QString ResponsesFormat::newReasoningId()
{
    return u"rs_"_s + randomAlphanumeric(32);
}

QString ResponsesFormat::newCallItemId()
{
    return u"fc_"_s + randomAlphanumeric(32);
}

QString ResponsesFormat::callId(const ToolCall &call)
{
    return call.id.isEmpty() ? u"call_"_s + randomAlphanumeric(24) : call.id;
}

QJsonObject ResponsesFormat::reasoningItem(const QString &id, const QString &summary)
{
    QJsonArray parts;
    if (!summary.isEmpty())
        parts.append(QJsonObject{{u"type"_s, u"summary_text"_s}, {u"text"_s, summary}});
    return {{u"id"_s, id}, {u"type"_s, u"reasoning"_s}, {u"summary"_s, parts}};
}

QJsonObject ResponsesFormat::messageItem(const QString &id, const QString &text,
                                         QLatin1StringView status)
{
    QJsonArray content;
    if (status != "in_progress"_L1)
        content.append(QJsonObject{{u"type"_s, u"output_text"_s},
                                   {u"text"_s, text},
                                   {u"annotations"_s, QJsonArray()},
                                   {u"logprobs"_s, QJsonArray()}});
    return {{u"id"_s, id},
            {u"type"_s, u"message"_s},
            {u"status"_s, QString(status)},
            {u"role"_s, u"assistant"_s},
            {u"content"_s, content}};
}

QJsonObject ResponsesFormat::functionCallItem(const QString &id, const ToolCall &call,
                                              QLatin1StringView status)
{
    return {{u"id"_s, id},
            {u"type"_s, u"function_call"_s},
            {u"status"_s, QString(status)},
            {u"call_id"_s, call.id},
            {u"name"_s, call.name},
            {u"arguments"_s, status == "in_progress"_L1 ? QString() : call.arguments}};
}

QJsonObject ResponsesFormat::usage(const TokenUsage &u)
{
    return {{u"input_tokens"_s, u.promptTokens},
            {u"input_tokens_details"_s,
             QJsonObject{{u"cached_tokens"_s, qMax<qint64>(0, u.cachedTokens)}}},
            {u"output_tokens"_s, u.completionTokens},
            {u"output_tokens_details"_s,
             QJsonObject{{u"reasoning_tokens"_s, qMax<qint64>(0, u.reasoningTokens)}}},
            {u"total_tokens"_s, u.totalTokens()}};
}

QJsonObject ResponsesFormat::response(const Head &head, QLatin1StringView status,
                                      const QJsonArray &output, const QJsonValue &usage,
                                      const QJsonValue &error, const QString &incompleteReason)
{
    QJsonObject object = head.echo;
    object.insert(u"id"_s, head.id);
    object.insert(u"object"_s, u"response"_s);
    object.insert(u"created_at"_s, head.createdAt);
    object.insert(u"status"_s, QString(status));
    object.insert(u"error"_s, error.isUndefined() ? QJsonValue() : error);
    object.insert(u"incomplete_details"_s,
                  incompleteReason.isEmpty()
                      ? QJsonValue()
                      : QJsonValue(QJsonObject{{u"reason"_s, incompleteReason}}));
    object.insert(u"model"_s, head.model);
    object.insert(u"output"_s, output);
    object.insert(u"previous_response_id"_s, QJsonValue());
    object.insert(u"usage"_s, usage.isUndefined() ? QJsonValue() : usage);
    return object;
}

QLatin1StringView ResponsesFormat::status(FinishReason reason, QString *incompleteReason)
{
    if (reason == FinishReason::Length) {
        *incompleteReason = u"max_output_tokens"_s;
        return "incomplete"_L1;
    }
    incompleteReason->clear();
    return "completed"_L1;
}

QJsonObject ResponsesFormat::error(const ApiError &error)
{
    const QString code = error.code();
    return {{u"code"_s, code.isEmpty() ? OpenAiError::type(error) : code},
            {u"message"_s, error.message()}};
}

QByteArray ResponsesFormat::event(QLatin1StringView type, int sequence, QJsonObject data)
{
    data.insert(u"type"_s, QString(type));
    data.insert(u"sequence_number"_s, sequence);
    QByteArray out = "event: ";
    out += QByteArrayView(type.data(), type.size());
    out += "\ndata: ";
    JsonWriter::appendValue(out, data);
    out += "\n\n";
    return out;
}

QByteArray ResponsesFormat::textDelta(int sequence, const QString &itemId, int outputIndex,
                                      const QString &delta)
{
    return deltaEvent("response.output_text.delta"_L1, sequence, itemId, outputIndex,
                      "content_index"_L1, delta, true);
}

QByteArray ResponsesFormat::reasoningDelta(int sequence, const QString &itemId, int outputIndex,
                                           const QString &delta)
{
    return deltaEvent("response.reasoning_summary_text.delta"_L1, sequence, itemId, outputIndex,
                      "summary_index"_L1, delta, false);
}

QByteArray ResponsesFormat::whole(const Head &head, const CompletedAnswer &a)
{
    QJsonArray output;
    if (!a.reasoning.isEmpty())
        output.append(reasoningItem(newReasoningId(), a.reasoning));
    if (!a.content.isEmpty() || a.toolCalls.isEmpty())
        output.append(messageItem(newMessageId(), a.content, "completed"_L1));
    for (const ToolCall &call : a.toolCalls)
        output.append(
            functionCallItem(newCallItemId(), {callId(call), call.name, call.arguments},
                             "completed"_L1));
    QString incompleteReason;
    const QLatin1StringView state = status(a.reason, &incompleteReason);
    return QJsonDocument(response(head, state, output, usage(a.usage), {}, incompleteReason))
        .toJson(QJsonDocument::Compact);
}
