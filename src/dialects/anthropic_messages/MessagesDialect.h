// SPDX-License-Identifier: MIT
#pragma once

#include "dialects/Dialect.h"

#include <QStringList>

// Anthropic Messages (POST /v1/messages): Claude Code and the Anthropic SDKs (dialects.md).
class MessagesDialect : public Dialect
{
public:
    std::optional<Request> parse(const QByteArray &body, ApiError *error) const override;
    QByteArray errorBody(const ApiError &error) const override;
    int errorStatus(const ApiError &error) const override;

    QString name() const override { return QStringLiteral("anthropic"); }
    // The catalogue's model of that name; a claude-… name the catalogue does not know (Claude
    // Code's defaults for its main and small models) is the catalogue's first model.
    const ModelEntry *findModel(const ModelCatalogue &catalogue,
                                const QString &name) const override;
};

// The events of dialects.md 2: message_start, then per content block (thinking, text, one
// tool_use per call, in that order) content_block_start, its deltas and content_block_stop, then
// message_delta and message_stop; or one whole message.
class MessagesWriter : public AnswerWriter
{
public:
    explicit MessagesWriter(qint64 inputTokens);

    QByteArray streamStart() override;
    QByteArray delta(const QString &reasoning, const QString &content) override;
    QByteArray toolCalls(const QList<ToolCall> &calls) override;
    QByteArray streamEnd(FinishReason reason, const TokenUsage &usage) override;
    QByteArray streamError(const ApiError &error) override;
    QByteArray keepAlive() const override;
    QByteArray answer(const CompletedAnswer &answer) override;

private:
    enum class Block { None, Thinking, Text };
    QByteArray openBlock(Block block);
    QByteArray closeBlock();

    QString m_id;
    QString m_signature;
    qint64 m_inputTokens;
    Block m_open = Block::None;
    int m_index = 0; // of the open block, or of the next one
};
