// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Answer.h"
#include "conversation/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>

class ModelCatalogue;
struct ModelEntry;

// The one place that writes Anthropic Messages JSON (dialects.md 2): the server-sent events of
// a stream, each `event: <type>` + `data: <JSON with the same type>`, and a whole message.
namespace MessagesFormat {

QString newMessageId(); // msg_…
// The toolu_… id of a call the tool protocol named call_…: the same for the stream and the
// whole answer, and what the client sends back in tool_use and tool_result blocks.
QString toolUseId(const QString &callId);
// The thinking block's signature: opaque to clients, which send it back unread by us.
QString newSignature();

// "end_turn", "stop_sequence", "max_tokens", "tool_use".
QLatin1StringView stopReasonName(FinishReason reason);

// One event: `event: <name>\ndata: <data>\n\n`.
QByteArray event(QLatin1StringView name, const QJsonObject &data);

QByteArray messageStart(const QString &id, const QString &model, qint64 inputTokens);
QByteArray ping();
QByteArray thinkingBlockStart(int index);
QByteArray textBlockStart(int index);
QByteArray toolUseBlockStart(int index, const QString &id, const QString &name);
// The hot path of a stream: written directly, not through QJsonObject.
QByteArray textDelta(int index, const QString &text);
QByteArray thinkingDelta(int index, const QString &thinking);
QByteArray signatureDelta(int index, const QString &signature);
QByteArray inputJsonDelta(int index, const QString &partialJson);
QByteArray blockStop(int index);
QByteArray messageDelta(FinishReason reason, const QString &stopSequence, const TokenUsage &usage);
QByteArray messageStop();
QByteArray errorEvent(const ApiError &error);

QJsonObject usage(const TokenUsage &usage);
// The arguments of a call as the `input` object (never a string): {} when they are no object.
QJsonObject input(const QString &arguments);
// The answer of POST /v1/messages/count_tokens: {"input_tokens": N}.
QByteArray tokenCount(qint64 inputTokens);
// GET /v1/models and /v1/models/{id} for a client that sends anthropic-version: Anthropic's
// model objects {"type": "model", "id", "display_name", "created_at"} and their page.
QJsonObject model(const ModelEntry &entry, qint64 created);
QJsonObject modelList(const ModelCatalogue &catalogue, qint64 created);
// A whole message (the client did not ask for a stream).
QByteArray message(const QString &id, const QString &model, const CompletedAnswer &answer,
                   const QString &signature, const QString &stopSequence);

} // namespace MessagesFormat
