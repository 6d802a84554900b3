// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Answer.h"
#include "conversation/ApiError.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>

// The one place that writes OpenAI Responses JSON (dialects.md 3): output items, the response
// object, and the server-sent events of a stream, each `event: <type>` + `data: <JSON with the
// same type and its sequence_number>`.
namespace ResponsesFormat {

QString newResponseId();  // resp_…
QString newMessageId();   // msg_…
QString newReasoningId(); // rs_…
QString newCallItemId();  // fc_…
// The call_id of a call the tool protocol named: what the client sends back in its
// function_call and function_call_output items.
QString callId(const ToolCall &call);

// What every response object of one request repeats.
struct Head
{
    QString id;
    qint64 createdAt = 0; // seconds since the epoch
    QString model;
    QJsonObject echo; // the request's settings (ResponsesRequest::echo)
};

QJsonObject reasoningItem(const QString &id, const QString &summary);
QJsonObject messageItem(const QString &id, const QString &text, QLatin1StringView status);
QJsonObject functionCallItem(const QString &id, const ToolCall &call, QLatin1StringView status);
QJsonObject usage(const TokenUsage &usage);

// The response object. `status`: in_progress, completed, incomplete (with the reason in
// incomplete_details) or failed (with `error`); `usage` null until the end.
QJsonObject response(const Head &head, QLatin1StringView status, const QJsonArray &output,
                     const QJsonValue &usage = {}, const QJsonValue &error = {},
                     const QString &incompleteReason = {});
// "completed", or "incomplete" with "max_output_tokens" when the answer was cut at the limit.
QLatin1StringView status(FinishReason reason, QString *incompleteReason);
// The error object of a failed response: {code, message}.
QJsonObject error(const ApiError &error);

// One event; `data` gets its `type` and `sequence_number`.
QByteArray event(QLatin1StringView type, int sequence, QJsonObject data);
// The hot path of a stream (output_text and reasoning summary deltas): written directly.
QByteArray textDelta(int sequence, const QString &itemId, int outputIndex, const QString &delta);
QByteArray reasoningDelta(int sequence, const QString &itemId, int outputIndex,
                          const QString &delta);

// A whole response (the client did not ask for a stream).
QByteArray whole(const Head &head, const CompletedAnswer &answer);

} // namespace ResponsesFormat
