// SPDX-License-Identifier: MIT
#include "MessagesRequest.h"

#include "conversation/RequestFields.h"
#include "conversation/TokenEstimator.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace RequestFields;

// The request schema of Anthropic's Messages API, field by field (dialects.md 2, README "Claude
// Code"): shapes the API refuses are refused with a 400 naming the field, so that nothing
// malformed travels on to Z.AI. Unknown fields pass: Claude Code sends many beta ones.

namespace {

std::optional<QString> textOf(const QJsonObject &block, const QString &field, Validator &v)
{
    const QJsonValue text = block.value(u"text"_s);
    if (!isPresent(text)) {
        v.missing(field + u".text"_s);
        return std::nullopt;
    }
    if (!text.isString()) {
        v.wrongType(field + u".text"_s, u"a string"_s, text);
        return std::nullopt;
    }
    return text.toString();
}

// An image block's source: base64 data (as a data: URL, which ImageInput decodes) or a URL.
std::optional<ContentPart> imagePart(const QJsonObject &block, const QString &field, Validator &v)
{
    const QString sourceField = field + u".source"_s;
    const QJsonValue sourceValue = block.value(u"source"_s);
    if (!isPresent(sourceValue)) {
        v.missing(sourceField);
        return std::nullopt;
    }
    const QString type = entryType(sourceValue, sourceField, {u"base64"_s, u"url"_s}, v);
    if (type.isEmpty())
        return std::nullopt;
    const QJsonObject source = sourceValue.toObject();
    if (type == u"url") {
        const std::optional<QString> url =
            requiredString(source, u"url"_s, sourceField + u".url"_s, v);
        if (!url)
            return std::nullopt;
        return ContentPart(ContentPart::Type::Image, {}, url->trimmed());
    }
    const QStringList mediaTypes{u"image/jpeg"_s, u"image/png"_s, u"image/gif"_s, u"image/webp"_s};
    const QJsonValue mediaType = source.value(u"media_type"_s);
    if (!isPresent(mediaType)) {
        v.missing(sourceField + u".media_type"_s);
        return std::nullopt;
    }
    if (!mediaType.isString() || !mediaTypes.contains(mediaType.toString())) {
        v.badValue(sourceField + u".media_type"_s,
                   mediaType.isString() ? mediaType.toString() : typeName(mediaType), mediaTypes);
        return std::nullopt;
    }
    const std::optional<QString> data =
        requiredString(source, u"data"_s, sourceField + u".data"_s, v);
    if (!data)
        return std::nullopt;
    return ContentPart(ContentPart::Type::Image, {},
                       u"data:"_s + mediaType.toString() + u";base64,"_s + *data);
}

// The content of a tool_result: a string, or text and image blocks.
void toolResultContent(const QJsonValue &content, const QString &field, Message &result,
                       QList<ContentPart> &images, Validator &v)
{
    if (!isPresent(content))
        return;
    if (content.isString()) {
        result.parts.append({ContentPart::Type::Text, content.toString()});
        return;
    }
    if (!content.isArray()) {
        v.wrongType(field, u"a string or an array of content blocks"_s, content);
        return;
    }
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size() && !v.failed(); ++i) {
        const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
        const QString type = entryType(blocks.at(i), blockField, {u"text"_s, u"image"_s}, v);
        if (type == u"text") {
            if (auto text = textOf(blocks.at(i).toObject(), blockField, v))
                result.parts.append({ContentPart::Type::Text, *text});
        } else if (type == u"image") {
            // The tool protocol carries a result as text: its images follow as the user's.
            if (auto image = imagePart(blocks.at(i).toObject(), blockField, v))
                images.append(*image);
        }
    }
}

const QStringList &userBlockTypes()
{
    static const QStringList types{u"text"_s, u"image"_s, u"tool_result"_s, u"document"_s};
    return types;
}

const QStringList &assistantBlockTypes()
{
    static const QStringList types{u"text"_s, u"thinking"_s, u"redacted_thinking"_s, u"tool_use"_s};
    return types;
}

// The names of the calls of the assistant turn before, by id: what a tool_result may answer.
using OpenCalls = QHash<QString, QString>;

// One user turn: tool turns for its tool_result blocks (in their order), then one user turn for
// its text and images (tool results' images included).
void parseUserTurn(const QJsonValue &content, const QString &field, OpenCalls &open,
                   QList<Message> &out, Validator &v)
{
    Message user;
    user.role = Message::Role::User;
    if (content.isString()) {
        user.parts.append({ContentPart::Type::Text, content.toString()});
    } else {
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size() && !v.failed(); ++i) {
            const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
            const QString type = entryType(blocks.at(i), blockField, userBlockTypes(), v);
            const QJsonObject block = blocks.at(i).toObject();
            if (type == u"text") {
                if (auto text = textOf(block, blockField, v))
                    user.parts.append({ContentPart::Type::Text, *text});
            } else if (type == u"image") {
                if (auto image = imagePart(block, blockField, v))
                    user.parts.append(*image);
            } else if (type == u"document") {
                v.fail(blockField + u".type"_s,
                       u"Document blocks are not supported: the Z.AI web chat takes text and "
                       u"images. Send the document's text as a text block."_s,
                       u"unsupported_value"_s);
            } else if (type == u"tool_result") {
                const std::optional<QString> id =
                    requiredString(block, u"tool_use_id"_s, blockField + u".tool_use_id"_s, v);
                const std::optional<bool> isError =
                    optionalBool(block, u"is_error"_s, v, blockField + u".is_error"_s);
                if (!id)
                    break;
                if (!open.contains(*id)) {
                    v.fail(blockField + u".tool_use_id"_s,
                           u"Invalid '%1.tool_use_id': '%2' answers no tool_use block of the "
                           u"assistant message before it."_s.arg(blockField, *id),
                           u"invalid_value"_s);
                    break;
                }
                Message result;
                result.role = Message::Role::Tool;
                result.toolCallId = *id;
                result.name = open.take(*id);
                toolResultContent(block.value(u"content"_s), blockField + u".content"_s, result,
                                  user.parts, v);
                if (isError.value_or(false)) // the model must see that the call failed
                    result.parts.prepend({ContentPart::Type::Text, u"Error:"_s});
                out.append(std::move(result));
            }
        }
    }
    if (!v.failed() && !open.isEmpty()) {
        QStringList ids = open.keys();
        ids.sort();
        v.fail(field,
               u"Invalid '%1': tool_use ids were found without tool_result blocks immediately "
               u"after: %2. Each tool_use block must have a corresponding tool_result block in "
               u"the next message."_s.arg(field, ids.join(u", "_s)),
               u"invalid_value"_s);
    }
    open.clear();
    if (!user.parts.isEmpty())
        out.append(std::move(user));
}

void parseAssistantTurn(const QJsonValue &content, const QString &field, OpenCalls &open,
                        QList<Message> &out, Validator &v)
{
    Message assistant;
    assistant.role = Message::Role::Assistant;
    if (content.isString()) {
        assistant.parts.append({ContentPart::Type::Text, content.toString()});
    } else {
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size() && !v.failed(); ++i) {
            const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
            const QString type = entryType(blocks.at(i), blockField, assistantBlockTypes(), v);
            const QJsonObject block = blocks.at(i).toObject();
            if (type == u"text") {
                if (auto text = textOf(block, blockField, v))
                    assistant.parts.append({ContentPart::Type::Text, *text});
            } else if (type == u"tool_use") {
                const std::optional<QString> id =
                    requiredString(block, u"id"_s, blockField + u".id"_s, v);
                const std::optional<QString> name =
                    requiredString(block, u"name"_s, blockField + u".name"_s, v);
                const QJsonValue input = block.value(u"input"_s);
                if (v.failed())
                    break;
                if (!input.isObject()) {
                    v.wrongType(blockField + u".input"_s, u"an object"_s, input);
                    break;
                }
                if (open.contains(*id)) {
                    v.fail(blockField + u".id"_s,
                           u"Invalid '%1.id': the tool_use id '%2' appears twice."_s.arg(blockField,
                                                                                         *id),
                           u"invalid_value"_s);
                    break;
                }
                open.insert(*id, *name);
                assistant.toolCalls.append(
                    {*id, *name,
                     QString::fromUtf8(
                         QJsonDocument(input.toObject()).toJson(QJsonDocument::Compact))});
            }
            // thinking and redacted_thinking blocks come back with their signatures: accepted,
            // and not sent on (the web chat keeps no thoughts between turns)
        }
    }
    if (!assistant.parts.isEmpty() || !assistant.toolCalls.isEmpty())
        out.append(std::move(assistant));
}

// `system`, or a message of role system (Claude Code sends some among the turns): a string, or
// text blocks (with cache_control, ignored). Nothing when empty or after a failure.
std::optional<Message> systemMessage(const QJsonValue &content, const QString &field, Validator &v)
{
    Message message;
    message.role = Message::Role::System;
    if (content.isString()) {
        message.parts.append({ContentPart::Type::Text, content.toString()});
    } else if (content.isArray()) {
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size() && !v.failed(); ++i) {
            const QString blockField = u"%1[%2]"_s.arg(field).arg(i);
            if (entryType(blocks.at(i), blockField, {u"text"_s}, v).isEmpty())
                return std::nullopt;
            if (auto text = textOf(blocks.at(i).toObject(), blockField, v))
                message.parts.append({ContentPart::Type::Text, *text});
        }
    } else {
        v.wrongType(field, u"a string or an array of text blocks"_s, content);
    }
    if (v.failed() || message.text().isEmpty())
        return std::nullopt;
    return message;
}

void parseMessages(const QJsonObject &root, Conversation &request, Validator &v)
{
    const std::optional<QJsonArray> messages = requiredArray(root, u"messages"_s, v);
    if (!messages)
        return;
    const QJsonArray &array = *messages;
    OpenCalls open;
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString field = u"messages[%1]"_s.arg(i);
        if (!array.at(i).isObject()) {
            v.wrongType(field, u"an object"_s, array.at(i));
            return;
        }
        const QJsonObject m = array.at(i).toObject();
        const QJsonValue role = m.value(u"role"_s);
        const QStringList roles{u"user"_s, u"assistant"_s, u"system"_s};
        if (!isPresent(role)) {
            v.missing(field + u".role"_s);
            return;
        }
        if (!role.isString() || !roles.contains(role.toString())) {
            v.badValue(field + u".role"_s, role.isString() ? role.toString() : typeName(role),
                       roles);
            return;
        }
        const QJsonValue content = m.value(u"content"_s);
        const QString contentField = field + u".content"_s;
        if (!isPresent(content)) {
            v.missing(contentField);
            return;
        }
        if (!content.isString() && !content.isArray()) {
            v.wrongType(contentField, u"a string or an array of content blocks"_s, content);
            return;
        }
        if (role.toString() == u"system") {
            // between the turns, as the client placed it; calls stay open across it
            if (std::optional<Message> system = systemMessage(content, contentField, v))
                request.messages.append(std::move(*system));
        } else if (role.toString() == u"user") {
            parseUserTurn(content, contentField, open, request.messages, v);
        } else {
            if (!open.isEmpty()) { // two assistant turns in a row, the first with calls
                QStringList ids = open.keys();
                ids.sort();
                v.fail(field,
                       u"Invalid '%1': tool_use ids were found without tool_result blocks "
                       u"immediately after: %2."_s.arg(field, ids.join(u", "_s)),
                       u"invalid_value"_s);
                return;
            }
            parseAssistantTurn(content, contentField, open, request.messages, v);
        }
    }
    if (!v.failed() && !request.hasTurns())
        v.fail(u"messages"_s,
               u"Invalid 'messages': they hold no user or assistant content for the model to "
               u"answer."_s,
               u"invalid_value"_s);
}

void parseSystem(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue system = root.value(u"system"_s);
    if (!isPresent(system))
        return;
    if (std::optional<Message> message = systemMessage(system, u"system"_s, v))
        request.messages.prepend(std::move(*message));
}

void parseTools(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue tools = root.value(u"tools"_s);
    if (isPresent(tools)) {
        if (!tools.isArray()) {
            v.wrongType(u"tools"_s, u"an array"_s, tools);
            return;
        }
        const QJsonArray list = tools.toArray();
        QSet<QString> names;
        for (qsizetype i = 0; i < list.size() && !v.failed(); ++i) {
            const QString field = u"tools[%1]"_s.arg(i);
            if (!list.at(i).isObject()) {
                v.wrongType(field, u"an object"_s, list.at(i));
                return;
            }
            const QJsonObject tool = list.at(i).toObject();
            const QString type = tool.value(u"type"_s).toString();
            if (type.startsWith(u"web_search"_s)) {
                request.webSearch = true; // Anthropic's server tool: Z.AI's own web search
                continue;
            }
            if (!type.isEmpty() && type != u"custom") {
                v.fail(field + u".type"_s,
                       u"Invalid '%1.type': the tool type '%2' is not supported; define the tool "
                       u"with a name, a description and an input_schema."_s.arg(field, type),
                       u"unsupported_value"_s);
                return;
            }
            const QJsonValue name = tool.value(u"name"_s);
            if (checkName(name, field + u".name"_s, u"tool"_s, v) &&
                names.contains(name.toString())) {
                v.fail(field + u".name"_s,
                       u"Invalid '%1.name': the tool name '%2' appears twice."_s.arg(
                           field, name.toString()),
                       u"invalid_value"_s);
            }
            const std::optional<QString> description =
                optionalString(tool, u"description"_s, v, field + u".description"_s);
            const QJsonValue schema = tool.value(u"input_schema"_s);
            if (!requiredOfType(schema, field + u".input_schema"_s, QJsonValue::Object,
                                u"an object (a JSON schema)"_s, v))
                return;
            names.insert(name.toString());
            QJsonObject neutral{{u"name"_s, name}, {u"parameters"_s, schema}};
            if (description)
                neutral.insert(u"description"_s, *description);
            request.tools.append(neutral);
        }
    }

    const QJsonValue choice = root.value(u"tool_choice"_s);
    if (!isPresent(choice))
        return;
    const QString type =
        entryType(choice, u"tool_choice"_s, {u"auto"_s, u"any"_s, u"tool"_s, u"none"_s}, v);
    if (type.isEmpty())
        return;
    const QJsonObject object = choice.toObject();
    if (auto disable = optionalBool(object, u"disable_parallel_tool_use"_s, v,
                                    u"tool_choice.disable_parallel_tool_use"_s))
        request.parallelToolCalls = !*disable;
    if (type == u"auto")
        return;
    if (type == u"none") {
        request.toolChoice.mode = ToolChoice::Mode::None;
        return;
    }
    if (request.tools.isEmpty()) {
        v.fail(u"tool_choice"_s,
               u"Invalid 'tool_choice': a tool can only be required when 'tools' are given."_s,
               u"invalid_value"_s);
        return;
    }
    if (type == u"any") {
        request.toolChoice.mode = ToolChoice::Mode::Required;
        return;
    }
    const std::optional<QString> name = requiredString(object, u"name"_s, u"tool_choice.name"_s, v);
    if (!name)
        return;
    if (!request.hasTool(*name)) {
        v.fail(u"tool_choice.name"_s,
               u"Invalid 'tool_choice.name': no tool named '%1' is in 'tools'."_s.arg(*name),
               u"invalid_value"_s);
        return;
    }
    request.toolChoice = {ToolChoice::Mode::Named, *name};
}

// `thinking`: enabled (with a budget) and disabled switch the model's thinking on and off;
// adaptive leaves it to the model (its catalogue flag).
void parseThinking(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue thinking = root.value(u"thinking"_s);
    if (!isPresent(thinking))
        return;
    const QString type =
        entryType(thinking, u"thinking"_s, {u"enabled"_s, u"disabled"_s, u"adaptive"_s}, v);
    if (type == u"enabled") {
        const QJsonValue budget = thinking.toObject().value(u"budget_tokens"_s);
        const QString field = u"thinking.budget_tokens"_s;
        if (!isPresent(budget)) {
            v.missing(field);
            return;
        }
        if (!budget.isDouble() || budget.toDouble() != std::floor(budget.toDouble())) {
            v.wrongType(field, u"an integer"_s, budget);
            return;
        }
        if (budget.toDouble() < 1024) {
            v.fail(field, u"'thinking.budget_tokens' must be at least 1024."_s, u"invalid_value"_s);
            return;
        }
        if (request.maxTokens && budget.toDouble() >= double(*request.maxTokens))
            v.fail(u"thinking.budget_tokens"_s,
                   u"'max_tokens' must be greater than 'thinking.budget_tokens'."_s,
                   u"invalid_value"_s);
        request.enableThinking = true;
    } else if (type == u"disabled") {
        request.enableThinking = false;
    }
}

void parseStopSequences(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue stop = root.value(u"stop_sequences"_s);
    if (!isPresent(stop))
        return;
    if (!stop.isArray()) {
        v.wrongType(u"stop_sequences"_s, u"an array of strings"_s, stop);
        return;
    }
    appendStrings(stop.toArray(), u"stop_sequences"_s, request.stop, v);
}

} // namespace

std::optional<MessagesRequest> MessagesRequest::parse(const QByteArray &body, ApiError *error,
                                                      Purpose purpose)
{
    const std::optional<QJsonObject> object = parseBody(body, error);
    if (!object)
        return std::nullopt;
    const QJsonObject &root = *object;
    Validator v;
    MessagesRequest parsed;
    Conversation &request = parsed.conversation;

    request.model = requiredModel(root, v);

    if (purpose == Purpose::Answer) {
        if (!isPresent(root.value(u"max_tokens"_s)))
            v.missing(u"max_tokens"_s);
        request.maxTokens = optionalInteger(root, u"max_tokens"_s, 1, 1'000'000'000, v);
        if (auto stream = optionalBool(root, u"stream"_s, v))
            request.stream = *stream;
    }
    parseMessages(root, request, v);
    parseSystem(root, request, v);
    request.temperature = optionalNumber(root, u"temperature"_s, 0.0, 1.0, v);
    request.topP = optionalNumber(root, u"top_p"_s, 0.0, 1.0, v);
    optionalInteger(root, u"top_k"_s, 0, 1'000'000, v); // accepted, not forwarded
    parseStopSequences(root, request, v);
    parseThinking(root, request, v);
    parseTools(root, request, v);
    optionalObject(root, u"metadata"_s, v);
    if (const QJsonValue metadata = root.value(u"metadata"_s); metadata.isObject())
        optionalString(metadata.toObject(), u"user_id"_s, v, u"metadata.user_id"_s);

    if (v.failed()) {
        *error = v.error();
        return std::nullopt;
    }
    return parsed;
}

qint64 MessagesRequest::inputTokens(const Conversation &conversation)
{
    qint64 total = TokenEstimator::promptTokens(conversation);
    if (!conversation.tools.isEmpty())
        total += TokenEstimator::tokens(
            QString::fromUtf8(QJsonDocument(conversation.tools).toJson(QJsonDocument::Compact)));
    return total;
}
