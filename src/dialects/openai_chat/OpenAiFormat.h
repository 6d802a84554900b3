// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Conversation.h" // ToolCall: complete for the default argument (clang insists)

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

class JsonStream;
struct TokenUsage;
class ModelCatalogue;
struct ModelEntry;

// The one place that writes OpenAI response JSON: stream chunks, whole completions, usage and
// model lists (openai-compat.md section 2).
class OpenAiFormat
{
public:
    struct StreamIds
    {
        QString id;      // chatcmpl-…, the same on every chunk
        qint64 created;  // the same on every chunk
        QString model;   // the client-facing model name
        bool includeUsage = false;
        mutable QByteArray chunkHead; // written on first use; the fields above must not change
    };

    static QString newCompletionId();

    // One `data: {...}\n\n` event.
    static QByteArray sseEvent(const QJsonObject &object);
    static QByteArray roleChunk(const StreamIds &ids);
    // Appends `text` as a JSON string literal (quotes included).
    static void appendJsonString(QByteArray &out, QStringView text);
    // The hot path of a stream: written directly, not through QJsonDocument.
    static QByteArray deltaChunk(const StreamIds &ids, const QString &reasoning,
                                 const QString &content);
    // One delta per call with id, type, name and the whole arguments string (openai-compat.md 2);
    // the deprecated function_call form when the client used `functions`.
    static QByteArray toolCallsChunk(const StreamIds &ids, const QList<ToolCall> &calls,
                                     bool legacy);
    static QByteArray finishChunk(const StreamIds &ids, const QString &finishReason);
    static QByteArray usageChunk(const StreamIds &ids, const TokenUsage &usage);
    static QByteArray doneEvent() { return QByteArrayLiteral("data: [DONE]\n\n"); }
    static QByteArray keepAlive() { return QByteArrayLiteral(": ping\n\n"); }

    // A whole non-streaming answer (chat.completion), ready to send.
    static QByteArray completion(const StreamIds &ids, const QString &reasoning,
                                  const QString &content, const QString &finishReason,
                                 const TokenUsage &usage, const QList<ToolCall> &calls = {},
                                 bool legacy = false);

    static QJsonObject model(const ModelEntry &entry, qint64 created);
    static QJsonObject modelList(const ModelCatalogue &catalogue, qint64 created);

private:
    // Opens an answer object with the fields every answer and chunk starts with.
    static void writeHead(JsonStream &out, const StreamIds &ids, QLatin1StringView object);
    static void writeUsage(JsonStream &out, const TokenUsage &usage);
    static void writeFunction(JsonStream &out, const ToolCall &call);
    static void writeToolCalls(JsonStream &out, const QList<ToolCall> &calls, bool withIndex);
    // A chunk event up to its "delta" name (the same bytes for every chunk of a stream, kept in
    // ids.chunkHead), and from the end of the delta on (a null finish_reason when empty).
    static JsonStream beginChunk(const StreamIds &ids, qsizetype reserve = 128);
    static void endChunk(JsonStream &out, const StreamIds &ids, const QString &finishReason);
};
