// SPDX-License-Identifier: MIT
#pragma once

#include "dialects/Dialect.h"
#include "ResponsesFormat.h"

// OpenAI Responses (POST /v1/responses): the Codex CLI and the OpenAI SDKs' responses.create
// and responses.stream (dialects.md 3). Errors in the OpenAI envelope, as for chat completions.
class ResponsesDialect : public Dialect
{
public:
    std::optional<Request> parse(const QByteArray &body, ApiError *error) const override;
    QByteArray errorBody(const ApiError &error) const override;
    QString name() const override { return QStringLiteral("responses"); }
};

// The events of dialects.md 3: response.created and response.in_progress, then one output item
// per part of the answer (reasoning, message, one function_call per call, in that order), each
// from output_item.added through its deltas to output_item.done, then response.completed (or
// response.incomplete, or response.failed); every event with its sequence_number. Or one whole
// response object.
class ResponsesWriter : public AnswerWriter
{
public:
    explicit ResponsesWriter(QJsonObject echo);

    QByteArray streamStart() override;
    QByteArray delta(const QString &reasoning, const QString &content) override;
    QByteArray toolCalls(const QList<ToolCall> &calls) override;
    QByteArray streamEnd(FinishReason reason, const TokenUsage &usage) override;
    QByteArray streamError(const ApiError &error) override;
    QByteArray keepAlive() const override;
    QByteArray answer(const CompletedAnswer &answer) override;

private:
    enum class Item { None, Reasoning, Message };
    const ResponsesFormat::Head &head();
    QByteArray event(QLatin1StringView type, QJsonObject data);
    QByteArray openItem(Item item);
    QByteArray closeItem();
    int outputIndex() const { return int(m_output.size()); }

    ResponsesFormat::Head m_head;
    int m_sequence = 0;
    QJsonArray m_output; // the items that are done
    Item m_open = Item::None;
    QString m_openId;
    QString m_openText;
};
