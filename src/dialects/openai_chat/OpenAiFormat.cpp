// SPDX-License-Identifier: MIT
#include "OpenAiFormat.h"

#include "conversation/Conversation.h"
#include "util/JsonWriter.h"
#include "zai/ModelCatalogue.h"
#include "util/RandomId.h"
#include "zai/StreamTranslator.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

QString OpenAiFormat::newCompletionId()
{
    return u"chatcmpl-"_s + randomAlphanumeric(29);
}

void OpenAiFormat::writeUsage(JsonStream &out, const TokenUsage &u)
{
    out.beginObject()
        .field("prompt_tokens"_L1, u.promptTokens)
        .field("completion_tokens"_L1, u.completionTokens)
        .field("total_tokens"_L1, u.totalTokens())
        .key("prompt_tokens_details"_L1)
        .beginObject()
        .field("cached_tokens"_L1, qMax<qint64>(0, u.cachedTokens))
        .endObject();
    if (u.reasoningTokens >= 0) {
        out.key("completion_tokens_details"_L1)
            .beginObject()
            .field("reasoning_tokens"_L1, u.reasoningTokens)
            .endObject();
    }
    out.endObject();
}

QByteArray OpenAiFormat::sseEvent(const QJsonObject &object)
{
    QByteArray out = "data: ";
    JsonWriter::appendValue(out, object);
    out += "\n\n";
    return out;
}

namespace {

JsonStream beginEvent(qsizetype reserve = 256)
{
    return JsonStream("data: "_ba, reserve);
}

QByteArray endEvent(JsonStream &out)
{
    QByteArray bytes = out.take();
    bytes += "\n\n";
    return bytes;
}

} // namespace

void OpenAiFormat::writeHead(JsonStream &out, const StreamIds &ids, QLatin1StringView object)
{
    out.beginObject()
        .field("id"_L1, ids.id)
        .field("object"_L1, object)
        .field("created"_L1, ids.created)
        .field("model"_L1, ids.model)
        .field("system_fingerprint"_L1, nullptr);
}

JsonStream OpenAiFormat::beginChunk(const StreamIds &ids, qsizetype reserve)
{
    if (ids.chunkHead.isEmpty()) {
        JsonStream head("data: "_ba, 192);
        writeHead(head, ids, "chat.completion.chunk"_L1);
        head.key("choices"_L1)
            .beginArray()
            .beginObject()
            .field("index"_L1, 0)
            .key("delta"_L1);
        ids.chunkHead = head.take();
    }
    return JsonStream(ids.chunkHead, ids.chunkHead.size() + reserve);
}

void OpenAiFormat::endChunk(JsonStream &out, const StreamIds &ids, const QString &finishReason)
{
    out.field("logprobs"_L1, nullptr).key("finish_reason"_L1);
    if (finishReason.isEmpty())
        out.value(nullptr);
    else
        out.value(finishReason);
    out.endObject().endArray();
    if (ids.includeUsage)
        out.field("usage"_L1, nullptr);
    out.endObject();
}

QByteArray OpenAiFormat::roleChunk(const StreamIds &ids)
{
    JsonStream out = beginChunk(ids);
    out.beginObject().field("role"_L1, "assistant"_L1).field("content"_L1, ""_L1).endObject();
    endChunk(out, ids, QString());
    return endEvent(out);
}

void OpenAiFormat::appendJsonString(QByteArray &out, QStringView text)
{
    JsonWriter::appendString(out, text);
}

QByteArray OpenAiFormat::deltaChunk(const StreamIds &ids, const QString &reasoning,
                                    const QString &content)
{
    JsonStream out = beginChunk(ids, 96 + 2 * (reasoning.size() + content.size()));
    out.beginObject();
    if (!reasoning.isEmpty())
        out.field("reasoning_content"_L1, reasoning);
    if (!content.isEmpty())
        out.field("content"_L1, content);
    out.endObject();
    endChunk(out, ids, QString());
    return endEvent(out);
}

void OpenAiFormat::writeFunction(JsonStream &out, const ToolCall &call)
{
    out.beginObject()
        .field("name"_L1, call.name)
        .field("arguments"_L1, call.arguments.isEmpty() ? u"{}"_s : call.arguments)
        .endObject();
}

void OpenAiFormat::writeToolCalls(JsonStream &out, const QList<ToolCall> &calls, bool withIndex)
{
    out.beginArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const ToolCall &call = calls.at(i);
        out.beginObject();
        if (withIndex)
            out.field("index"_L1, qint64(i));
        out.field("id"_L1, call.id).field("type"_L1, "function"_L1).key("function"_L1);
        writeFunction(out, call);
        out.endObject();
    }
    out.endArray();
}

QByteArray OpenAiFormat::toolCallsChunk(const StreamIds &ids, const QList<ToolCall> &calls,
                                        bool legacy)
{
    JsonStream out = beginChunk(ids);
    out.beginObject();
    if (legacy && !calls.isEmpty()) {
        out.key("function_call"_L1);
        writeFunction(out, calls.first());
    } else {
        out.key("tool_calls"_L1);
        writeToolCalls(out, calls, true);
    }
    out.endObject();
    endChunk(out, ids, QString());
    return endEvent(out);
}

QByteArray OpenAiFormat::finishChunk(const StreamIds &ids, const QString &finishReason)
{
    JsonStream out = beginChunk(ids);
    out.beginObject().endObject();
    endChunk(out, ids, finishReason);
    return endEvent(out);
}

QByteArray OpenAiFormat::usageChunk(const StreamIds &ids, const TokenUsage &u)
{
    JsonStream out = beginEvent();
    writeHead(out, ids, "chat.completion.chunk"_L1);
    out.key("choices"_L1)
        .beginArray()
        .endArray()
        .key("usage"_L1);
    writeUsage(out, u);
    out.endObject();
    return endEvent(out);
}

QByteArray OpenAiFormat::completion(const StreamIds &ids, const QString &reasoning,
                                    const QString &content, const QString &finishReason,
                                    const TokenUsage &u, const QList<ToolCall> &calls, bool legacy)
{
    JsonStream out(512 + 2 * (reasoning.size() + content.size()));
    writeHead(out, ids, "chat.completion"_L1);
    out.key("choices"_L1)
        .beginArray()
        .beginObject()
        .field("index"_L1, 0)
        .key("message"_L1)
        .beginObject()
        .field("role"_L1, "assistant"_L1)
        .key("content"_L1);
    if (content.isEmpty() && !calls.isEmpty())
        out.value(nullptr);
    else
        out.value(content);
    if (!reasoning.isEmpty())
        out.field("reasoning_content"_L1, reasoning);
    out.field("refusal"_L1, nullptr);
    if (!calls.isEmpty()) {
        if (legacy) {
            out.key("function_call"_L1);
            writeFunction(out, calls.first());
        } else {
            out.key("tool_calls"_L1);
            writeToolCalls(out, calls, false);
        }
    }
    out.endObject() // message
        .field("logprobs"_L1, nullptr)
        .field("finish_reason"_L1, finishReason)
        .endObject()
        .endArray()
        .key("usage"_L1);
    writeUsage(out, u);
    out.endObject();
    return out.take();
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
