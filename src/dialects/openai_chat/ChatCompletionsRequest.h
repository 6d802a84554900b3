// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"
#include "conversation/Conversation.h"

#include <QByteArray>

#include <optional>

// An OpenAI chat-completions request body (openai-compat.md section 4), parsed and validated at
// the edge: the neutral conversation, plus what only this dialect's answer needs.
struct ChatCompletionsRequest
{
    Conversation conversation;
    bool includeUsage = false;    // stream_options.include_usage
    bool legacyFunctions = false; // the client used the deprecated functions / function_call

    // On failure returns std::nullopt and fills *error (400, `param` naming the field). Unknown
    // fields are accepted and ignored.
    static std::optional<ChatCompletionsRequest> parse(const QByteArray &body, ApiError *error);
};
