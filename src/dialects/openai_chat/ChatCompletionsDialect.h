// SPDX-License-Identifier: MIT
#pragma once

#include "dialects/Dialect.h"
#include "OpenAiFormat.h"

// OpenAI chat completions (POST /v1/chat/completions): Cline, Roo Code, Kilo Code, the OpenAI
// SDKs and the Vercel AI SDK (openai-compat.md).
class ChatCompletionsDialect : public Dialect
{
public:
    std::optional<Request> parse(const QByteArray &body, ApiError *error) const override;
    QByteArray errorBody(const ApiError &error) const override;
    QString name() const override { return QStringLiteral("openai"); }
};

// chat.completion.chunk events ending in `data: [DONE]`, or one chat.completion.
class ChatCompletionsWriter : public AnswerWriter
{
public:
    ChatCompletionsWriter(bool includeUsage, bool legacyFunctions);

    QByteArray streamStart() override;
    QByteArray delta(const QString &reasoning, const QString &content) override;
    QByteArray toolCalls(const QList<ToolCall> &calls) override;
    QByteArray streamEnd(FinishReason reason, const TokenUsage &usage) override;
    QByteArray streamError(const ApiError &error) override;
    QByteArray keepAlive() const override { return OpenAiFormat::keepAlive(); }
    QByteArray answer(const CompletedAnswer &answer) override;

    // "stop", "length", "tool_calls" (or "function_call" for the deprecated functions).
    static QString finishReasonName(FinishReason reason, bool legacyFunctions);

private:
    const OpenAiFormat::StreamIds &ids();

    OpenAiFormat::StreamIds m_ids;
    bool m_legacyFunctions;
};
