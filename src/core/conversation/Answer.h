// SPDX-License-Identifier: MIT
#pragma once

#include "Conversation.h"

#include <QList>
#include <QString>

// What the neutral answer events carry besides text: why an answer ended and what it cost. Each
// dialect names these in its own words (OpenAI "tool_calls", Anthropic "tool_use", ...).

enum class FinishReason {
    Stop,         // the model ended its answer
    StopSequence, // cut at one of the client's stop sequences
    Length,       // cut at the client's token limit
    ToolCalls,    // the answer is one or more tool calls
};

struct TokenUsage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = -1;    // -1: unknown
    qint64 reasoningTokens = -1; // -1: unknown
    bool estimated = false;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
};

// A whole answer, for clients that did not ask for a stream.
struct CompletedAnswer
{
    QString reasoning;
    QString content;
    QList<ToolCall> toolCalls;
    FinishReason reason = FinishReason::Stop;
    TokenUsage usage;
};
