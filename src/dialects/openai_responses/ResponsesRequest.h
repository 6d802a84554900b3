// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"
#include "conversation/Conversation.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

// An OpenAI Responses request body (POST /v1/responses, dialects.md 3), parsed and validated at
// the edge: the neutral conversation, plus the request's settings that every response object
// repeats (instructions, tools, tool_choice, reasoning, text, ...).
struct ResponsesRequest
{
    Conversation conversation;
    // The fields of the response object that echo the request, with OpenAI's defaults.
    QJsonObject echo;

    // On failure returns std::nullopt and fills *error (400, `param` naming the field). Unknown
    // fields are accepted and ignored; so are tools of types other than `function`.
    static std::optional<ResponsesRequest> parse(const QByteArray &body, ApiError *error);
};
