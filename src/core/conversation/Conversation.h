// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The dialect-neutral model of one request: what every client dialect (OpenAI chat completions
// today, Anthropic Messages and OpenAI Responses next) parses its body into, and all the rest of
// the bridge reads. It knows no wire format and no upstream.

// One part of a message's content, in the client's order.
struct ContentPart
{
    enum class Type { Text, Image };

    ContentPart() = default;
    ContentPart(Type partType, QString partText, QString url = {})
        : type(partType), text(std::move(partText)), imageUrl(std::move(url))
    {
    }

    Type type = Type::Text;
    QString text;     // Type::Text
    QString imageUrl; // Type::Image: the http(s) URL as the client sent it; for a data: URL
                      // only its "data:<type>;base64," head once ImageInput decoded it

    // Type::Image, filled in on the way upstream (ImageInput, ImageUploader):
    QString imageType;     // "image/png", "image/jpeg", "image/webp" or "image/gif"
    QByteArray imageBytes; // decoded data: URL or fetched remote image; empty until known
    QJsonObject imageFile; // the upstream file object of the upload (zai-protocol.md 1.3)
};

// A tool call the assistant made: in the history a client sends back, or in an answer.
struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text of an object
};

struct Message
{
    enum class Role { System, User, Assistant, Tool };
    Role role = Role::User;
    QList<ContentPart> parts;
    QList<ToolCall> toolCalls; // assistant turns that called tools
    QString toolCallId;        // tool turns: the call this result answers
    QString name;              // tool turns: the tool's name, when the client gave it

    // All text parts joined with a newline (the client's multi-part text as one string).
    QString text() const;
    bool hasImages() const;
};

// Which tool the model may or must call.
struct ToolChoice
{
    enum class Mode { Auto, None, Required, Named };
    Mode mode = Mode::Auto;
    QString name; // Mode::Named
};

// The shape the answer's text must have.
struct OutputFormat
{
    enum class Type { Text, JsonObject, JsonSchema };
    Type type = Type::Text;
    QJsonObject schema; // Type::JsonSchema

    bool wantsJson() const { return type != Type::Text; }
};

struct Conversation
{
    QString model; // the client-facing model name
    QList<Message> messages;
    bool stream = false;
    std::optional<qint64> maxTokens;
    QStringList stop;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<bool> enableThinking;
    std::optional<bool> webSearch;
    // Client tools, each {"name", "description", "parameters": JSON schema}.
    QJsonArray tools;
    ToolChoice toolChoice;
    bool parallelToolCalls = true;
    OutputFormat outputFormat;

    // Not from the client: the per-request tool trigger (zai-protocol.md 7.4), set by the session.
    QString toolTrigger;

    // The text of the last user message: what the upstream signature covers.
    QString lastUserText() const;
    // Whether a message other than system text is there: something for the model to answer.
    bool hasTurns() const;
    // Whether `tools` has one of that name.
    bool hasTool(const QString &name) const;
};
