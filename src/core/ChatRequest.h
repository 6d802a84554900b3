// SPDX-License-Identifier: MIT
#pragma once

#include "ApiError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// One part of a message's content, in the client's order.
struct ContentPart
{
    enum class Type { Text, ImageUrl };

    ContentPart() = default;
    ContentPart(Type partType, QString partText, QString url = {})
        : type(partType), text(std::move(partText)), imageUrl(std::move(url))
    {
    }

    Type type = Type::Text;
    QString text;     // Type::Text
    QString imageUrl; // Type::ImageUrl: the http(s) URL as the client sent it; for a data: URL
                      // only its "data:<type>;base64," head once ImageInput decoded it

    // Type::ImageUrl, filled in on the way upstream (ImageInput, ImageUploader):
    QString imageType;     // "image/png", "image/jpeg", "image/webp" or "image/gif"
    QByteArray imageBytes; // decoded data: URL or fetched remote image; empty until known
    QJsonObject imageFile; // the upstream file object of the upload (zai-protocol.md 1.3)
};

struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text, as the client sent it
};

struct ChatMessage
{
    enum class Role { System, User, Assistant, Tool };
    Role role = Role::User;
    QList<ContentPart> parts;
    QList<ToolCall> toolCalls; // assistant turns that called tools
    QString toolCallId;        // tool turns
    QString name;

    // All text parts joined with a newline (the client's multi-part text as one string).
    QString text() const;
    bool hasImages() const;
};

// The OpenAI chat-completions request, parsed and validated at the edge.
struct ChatRequest
{
    QString model;
    QList<ChatMessage> messages;
    bool stream = false;
    bool includeUsage = false;
    std::optional<qint64> maxTokens;
    QStringList stop;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<bool> enableThinking; // enable_thinking, thinking.type, reasoning_effort
    std::optional<bool> webSearch;      // web_search, web_search_options
    QJsonArray tools;                   // function tools (also from deprecated `functions`)
    QJsonValue toolChoice;              // "none" | "auto" | "required" | {function:{name}}
    bool parallelToolCalls = true;
    bool legacyFunctions = false; // the client used the deprecated functions/function_call
    QJsonObject responseFormat;

    // Not from the client: the per-request tool trigger (zai-protocol.md 7.4), set by the session.
    QString toolTrigger;

    // Parses a request body; on failure returns std::nullopt and fills *error (400, naming the
    // field). Unknown fields are accepted and ignored.
    static std::optional<ChatRequest> parse(const QByteArray &body, ApiError *error);

    // The text of the last user message: what the upstream signature covers.
    QString lastUserText() const;
};
