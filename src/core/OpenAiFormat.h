// SPDX-License-Identifier: MIT
#pragma once

#include "ChatRequest.h" // ToolCall: complete for the default argument (clang insists)

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

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
    };

    static QString newCompletionId();

    static QJsonObject usage(const TokenUsage &usage);

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

    static QJsonObject completion(const StreamIds &ids, const QString &reasoning,
                                  const QString &content, const QString &finishReason,
                                  const TokenUsage &usage, const QList<ToolCall> &calls = {},
                                  bool legacy = false);

    static QJsonObject model(const ModelEntry &entry, qint64 created);
    static QJsonObject modelList(const ModelCatalogue &catalogue, qint64 created);

private:
    static QJsonArray toolCallArray(const QList<ToolCall> &calls, bool withIndex);
    static QJsonObject chunk(const StreamIds &ids, const QJsonObject &delta,
                             const QJsonValue &finishReason);
};
