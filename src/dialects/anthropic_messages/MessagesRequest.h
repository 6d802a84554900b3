// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"
#include "conversation/Conversation.h"

#include <QByteArray>

#include <optional>

// An Anthropic Messages request body (dialects.md 1 and 2), parsed and validated at the edge
// into the neutral conversation: `system` first, then the turns, `tool_result` blocks becoming
// tool turns and `tool_use` blocks the assistant's calls (their toolu_ ids kept).
struct MessagesRequest
{
    // POST /v1/messages needs `max_tokens`; POST /v1/messages/count_tokens takes the same body
    // without it (and without `stream`).
    enum class Purpose { Answer, CountTokens };

    Conversation conversation;

    // On failure returns std::nullopt and fills *error (400 invalid_request_error, `param`
    // naming the field). Unknown fields, `metadata`, `cache_control` and the other fields Claude
    // Code sends are accepted and ignored.
    static std::optional<MessagesRequest> parse(const QByteArray &body, ApiError *error,
                                                Purpose purpose = Purpose::Answer);

    // The estimated input tokens of a conversation: its turns plus its tool definitions (what
    // count_tokens answers and message_start reports before the upstream counts).
    static qint64 inputTokens(const Conversation &conversation);
};
