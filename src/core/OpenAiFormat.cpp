// SPDX-License-Identifier: MIT
#include "OpenAiFormat.h"

#include "ChatRequest.h"
#include "JsonWriter.h"
#include "ModelCatalogue.h"
#include "RandomId.h"
#include "StreamTranslator.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

QString OpenAiFormat::newCompletionId()
{
    return u"chatcmpl-"_s + randomAlphanumeric(29);
}

QJsonObject OpenAiFormat::usage(const TokenUsage &u)
{
    QJsonObject o{{u"prompt_tokens"_s, double(u.promptTokens)},
                  {u"completion_tokens"_s, double(u.completionTokens)},
                  {u"total_tokens"_s, double(u.totalTokens())},
                  {u"prompt_tokens_details"_s,
                   QJsonObject{{u"cached_tokens"_s, double(qMax<qint64>(0, u.cachedTokens))}}}};
    if (u.reasoningTokens >= 0)
        o.insert(u"completion_tokens_details"_s,
                 QJsonObject{{u"reasoning_tokens"_s, double(u.reasoningTokens)}});
    return o;
}

QByteArray OpenAiFormat::sseEvent(const QJsonObject &object)
{
    QByteArray out = "data: ";
    JsonWriter::appendValue(out, object);
    out += "\n\n";
    return out;
}

QJsonObject OpenAiFormat::chunk(const StreamIds &ids, const QJsonObject &delta,
                                const QJsonValue &finishReason)
{
    QJsonObject o{{u"id"_s, ids.id},
                  {u"object"_s, u"chat.completion.chunk"_s},
                  {u"created"_s, double(ids.created)},
                  {u"model"_s, ids.model},
                  {u"system_fingerprint"_s, QJsonValue::Null},
                  {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                        {u"delta"_s, delta},
                                                        {u"logprobs"_s, QJsonValue::Null},
                                                        {u"finish_reason"_s, finishReason}}}}};
    if (ids.includeUsage)
        o.insert(u"usage"_s, QJsonValue::Null);
    return o;
}

QByteArray OpenAiFormat::roleChunk(const StreamIds &ids)
{
    return sseEvent(chunk(ids, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}},
                          QJsonValue::Null));
}

void OpenAiFormat::appendJsonString(QByteArray &out, QStringView text)
{
    JsonWriter::appendString(out, text);
}

QByteArray OpenAiFormat::deltaChunk(const StreamIds &ids, const QString &reasoning,
                                    const QString &content)
{
    QByteArray out;
    out.reserve(160 + 2 * (reasoning.size() + content.size()));
    out += "data: {\"id\":";
    appendJsonString(out, ids.id);
    out += ",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(ids.created)
           + ",\"model\":";
    appendJsonString(out, ids.model);
    out += ",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":{";
    if (!reasoning.isEmpty()) {
        out += "\"reasoning_content\":";
        appendJsonString(out, reasoning);
    }
    if (!content.isEmpty()) {
        if (!reasoning.isEmpty())
            out += ',';
        out += "\"content\":";
        appendJsonString(out, content);
    }
    out += "},\"logprobs\":null,\"finish_reason\":null}]";
    if (ids.includeUsage)
        out += ",\"usage\":null";
    out += "}\n\n";
    return out;
}

QJsonArray OpenAiFormat::toolCallArray(const QList<ToolCall> &calls, bool withIndex)
{
    QJsonArray array;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const ToolCall &call = calls.at(i);
        QJsonObject entry{{u"id"_s, call.id},
                          {u"type"_s, u"function"_s},
                          {u"function"_s,
                           QJsonObject{{u"name"_s, call.name},
                                       {u"arguments"_s,
                                        call.arguments.isEmpty() ? u"{}"_s : call.arguments}}}};
        if (withIndex)
            entry.insert(u"index"_s, int(i));
        array.append(entry);
    }
    return array;
}

QByteArray OpenAiFormat::toolCallsChunk(const StreamIds &ids, const QList<ToolCall> &calls,
                                        bool legacy)
{
    if (legacy && !calls.isEmpty()) {
        const QJsonObject function = toolCallArray(calls.mid(0, 1), false)
                                         .first()
                                         .toObject()
                                         .value(u"function"_s)
                                         .toObject();
        return sseEvent(chunk(ids, QJsonObject{{u"function_call"_s, function}}, QJsonValue::Null));
    }
    return sseEvent(chunk(ids, QJsonObject{{u"tool_calls"_s, toolCallArray(calls, true)}},
                          QJsonValue::Null));
}

QByteArray OpenAiFormat::finishChunk(const StreamIds &ids, const QString &finishReason)
{
    return sseEvent(chunk(ids, QJsonObject(), finishReason));
}

QByteArray OpenAiFormat::usageChunk(const StreamIds &ids, const TokenUsage &u)
{
    return sseEvent(QJsonObject{{u"id"_s, ids.id},
                                {u"object"_s, u"chat.completion.chunk"_s},
                                {u"created"_s, double(ids.created)},
                                {u"model"_s, ids.model},
                                {u"system_fingerprint"_s, QJsonValue::Null},
                                {u"choices"_s, QJsonArray()},
                                {u"usage"_s, usage(u)}});
}

QJsonObject OpenAiFormat::completion(const StreamIds &ids, const QString &reasoning,
                                     const QString &content, const QString &finishReason,
                                     const TokenUsage &u, const QList<ToolCall> &calls,
                                     bool legacy)
{
    QJsonObject message{{u"role"_s, u"assistant"_s},
                        {u"content"_s, content.isEmpty() && !calls.isEmpty() ? QJsonValue()
                                                                              : QJsonValue(content)},
                        {u"refusal"_s, QJsonValue::Null}};
    if (!calls.isEmpty()) {
        if (legacy)
            message.insert(u"function_call"_s,
                           toolCallArray(calls.mid(0, 1), false).first().toObject().value(u"function"_s));
        else
            message.insert(u"tool_calls"_s, toolCallArray(calls, false));
    }
    if (!reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, reasoning);
    return QJsonObject{{u"id"_s, ids.id},
                       {u"object"_s, u"chat.completion"_s},
                       {u"created"_s, double(ids.created)},
                       {u"model"_s, ids.model},
                       {u"system_fingerprint"_s, QJsonValue::Null},
                       {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                             {u"message"_s, message},
                                                             {u"logprobs"_s, QJsonValue::Null},
                                                             {u"finish_reason"_s, finishReason}}}},
                       {u"usage"_s, usage(u)}};
}

QJsonObject OpenAiFormat::model(const ModelEntry &entry, qint64 created)
{
    return QJsonObject{{u"id"_s, entry.id},
                       {u"object"_s, u"model"_s},
                       {u"created"_s, double(created)},
                       {u"owned_by"_s, u"z.ai"_s}};
}

QJsonObject OpenAiFormat::modelList(const ModelCatalogue &catalogue, qint64 created)
{
    QJsonArray data;
    for (const ModelEntry &entry : catalogue.entries())
        data.append(model(entry, created));
    return QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}};
}
