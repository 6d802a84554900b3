// SPDX-License-Identifier: MIT
#include "ResponsesRequest.h"

#include "conversation/RequestFields.h"

#include <QHash>
#include <QSet>

#include <limits>

using namespace Qt::StringLiterals;
using namespace RequestFields;

// The request schema of OpenAI's Responses API, field by field (dialects.md 3, README "Codex"):
// shapes the API refuses are refused with a 400 naming the field, so that nothing malformed
// travels on to Z.AI. This server keeps no responses: every request carries its whole
// conversation in `input`, as Codex sends it (store: false).

namespace {

// An input_image part: a URL (http(s) or data:), or a file id, which only OpenAI's storage knows.
std::optional<ContentPart> imagePart(const QJsonObject &part, const QString &field, Validator &v)
{
    const QJsonValue url = part.value(u"image_url"_s);
    if (!isPresent(url)) {
        if (isPresent(part.value(u"file_id"_s)))
            v.fail(field + u".file_id"_s,
                   u"Invalid '%1.file_id': files are stored by OpenAI, and this server has "
                   u"none. Send the image as an 'image_url' (an http(s) or data: URL)."_s.arg(field),
                   u"unsupported_value"_s);
        else
            v.missing(field + u".image_url"_s);
        return std::nullopt;
    }
    if (!url.isString() || url.toString().trimmed().isEmpty()) {
        v.wrongType(field + u".image_url"_s, u"a non-empty string (a URL)"_s, url);
        return std::nullopt;
    }
    const QStringList details{u"auto"_s, u"low"_s, u"high"_s};
    const QJsonValue detail = part.value(u"detail"_s);
    if (isPresent(detail) && !details.contains(detail.toString())) {
        v.badValue(field + u".detail"_s, detail.toString(), details);
        return std::nullopt;
    }
    return ContentPart(ContentPart::Type::Image, {}, url.toString().trimmed());
}

// A message's `content`: a string, or parts. `images`: whether input_image parts may be among
// them (user messages and tool outputs); anything else is text.
QList<ContentPart> contentParts(const QJsonValue &content, const QString &field, bool images,
                                Validator &v)
{
    QList<ContentPart> parts;
    if (content.isString()) {
        parts.append({ContentPart::Type::Text, content.toString()});
        return parts;
    }
    if (!content.isArray()) {
        v.wrongType(field, u"a string or an array of content parts"_s, content);
        return parts;
    }
    static const QStringList supported{u"input_text"_s, u"output_text"_s, u"refusal"_s,
                                       u"input_image"_s, u"input_file"_s, u"input_audio"_s};
    const QJsonArray array = content.toArray();
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString partField = u"%1[%2]"_s.arg(field).arg(i);
        const QString type = entryType(array.at(i), partField, supported, v);
        const QJsonObject part = array.at(i).toObject();
        if (type == u"input_text" || type == u"output_text") {
            const QJsonValue text = part.value(u"text"_s);
            if (requiredOfType(text, partField + u".text"_s, QJsonValue::String, u"a string"_s, v))
                parts.append({ContentPart::Type::Text, text.toString()});
        } else if (type == u"refusal") {
            const QJsonValue refusal = part.value(u"refusal"_s);
            if (requiredOfType(refusal, partField + u".refusal"_s, QJsonValue::String,
                               u"a string"_s, v))
                parts.append({ContentPart::Type::Text, refusal.toString()});
        } else if (type == u"input_image") {
            if (!images)
                v.fail(partField + u".type"_s,
                       u"Invalid '%1.type': images are only allowed in user messages and tool "
                       u"outputs."_s.arg(partField),
                       u"invalid_value"_s);
            else if (auto image = imagePart(part, partField, v))
                parts.append(*image);
        } else if (type == u"input_file") {
            v.fail(partField + u".type"_s,
                   u"File inputs are not supported: the Z.AI web chat takes text and images. "
                   u"Send the file's text as an input_text part."_s,
                   u"unsupported_value"_s);
        } else if (type == u"input_audio") {
            v.fail(partField + u".type"_s,
                   u"Audio input is not supported: the Z.AI web chat takes text and images."_s,
                   u"unsupported_value"_s);
        }
    }
    return parts;
}

// The calls of the conversation so far that no function_call_output has answered yet, by call id
// (with their names), in the order they were made.
struct OpenCalls
{
    QHash<QString, QString> names;
    QStringList order;

    bool isEmpty() const { return order.isEmpty(); }
    void add(const QString &id, const QString &name)
    {
        names.insert(id, name);
        order.append(id);
    }
    QString take(const QString &id)
    {
        order.removeOne(id);
        return names.take(id);
    }
};

void failOpenCalls(const OpenCalls &open, Validator &v)
{
    v.fail(u"input"_s,
           u"No tool output found for function call %1: each function_call item needs a "
           u"function_call_output item with its call_id before the next message."_s.arg(
               open.order.join(u", "_s)),
           u"invalid_value"_s);
}

struct InputState
{
    OpenCalls open;
    QSet<QString> callIds; // every call id seen, answered or not
};

void parseMessageItem(const QJsonObject &item, const QString &field, InputState &state,
                      QList<Message> &out, Validator &v)
{
    static const QStringList roles{u"user"_s, u"assistant"_s, u"system"_s, u"developer"_s};
    const QJsonValue role = item.value(u"role"_s);
    if (!isPresent(role)) {
        v.missing(field + u".role"_s);
        return;
    }
    if (!role.isString() || !roles.contains(role.toString())) {
        v.badValue(field + u".role"_s, role.isString() ? role.toString() : typeName(role), roles);
        return;
    }
    const QJsonValue content = item.value(u"content"_s);
    if (!isPresent(content)) {
        v.missing(field + u".content"_s);
        return;
    }
    if (!state.open.isEmpty()) {
        failOpenCalls(state.open, v);
        return;
    }
    const QString name = role.toString();
    Message message;
    message.role = name == u"user"        ? Message::Role::User
                   : name == u"assistant" ? Message::Role::Assistant
                                          : Message::Role::System;
    message.parts = contentParts(content, field + u".content"_s, name == u"user", v);
    if (v.failed())
        return;
    if (message.role == Message::Role::System && message.text().isEmpty())
        return;
    if (message.role == Message::Role::Assistant && !out.isEmpty()
        && out.last().role == Message::Role::Assistant && out.last().toolCalls.isEmpty()) {
        out.last().parts.append(message.parts); // one turn sent as several message items
        return;
    }
    out.append(std::move(message));
}

void parseFunctionCall(const QJsonObject &item, const QString &field, InputState &state,
                       QList<Message> &out, Validator &v)
{
    const std::optional<QString> id = requiredString(item, u"call_id"_s, field + u".call_id"_s, v);
    const QJsonValue name = item.value(u"name"_s);
    if (!v.failed())
        checkName(name, field + u".name"_s, u"function"_s, v);
    const QJsonValue arguments = item.value(u"arguments"_s);
    if (!requiredOfType(arguments, field + u".arguments"_s, QJsonValue::String, u"a string"_s, v))
        return;
    const std::optional<QString> text = callArguments(arguments, field + u".arguments"_s, v);
    if (!text)
        return;
    if (state.callIds.contains(*id)) {
        v.fail(field + u".call_id"_s,
               u"Invalid '%1.call_id': the call id '%2' appears twice."_s.arg(field, *id),
               u"invalid_value"_s);
        return;
    }
    state.callIds.insert(*id);
    state.open.add(*id, name.toString());
    // The calls of one turn, and the text the model wrote before them, make one assistant turn.
    if (out.isEmpty() || out.last().role != Message::Role::Assistant) {
        Message assistant;
        assistant.role = Message::Role::Assistant;
        out.append(std::move(assistant));
    }
    out.last().toolCalls.append({*id, name.toString(), *text});
}

void parseFunctionCallOutput(const QJsonObject &item, const QString &field, InputState &state,
                             QList<Message> &out, Validator &v)
{
    const std::optional<QString> id = requiredString(item, u"call_id"_s, field + u".call_id"_s, v);
    const QJsonValue output = item.value(u"output"_s);
    if (!id)
        return;
    if (!isPresent(output)) {
        v.missing(field + u".output"_s);
        return;
    }
    if (!state.open.names.contains(*id)) {
        v.fail(field + u".call_id"_s,
               u"No tool call found for function call output with call_id %1."_s.arg(*id),
               u"invalid_value"_s);
        return;
    }
    Message result;
    result.role = Message::Role::Tool;
    result.toolCallId = *id;
    QList<ContentPart> parts = contentParts(output, field + u".output"_s, true, v);
    if (v.failed())
        return;
    // The tool protocol carries a result as text: its images follow as the user's.
    Message images;
    images.role = Message::Role::User;
    for (ContentPart &part : parts)
        (part.type == ContentPart::Type::Image ? images.parts : result.parts).append(std::move(part));
    result.name = state.open.take(*id);
    out.append(std::move(result));
    if (!images.parts.isEmpty())
        out.append(std::move(images));
}

void parseInput(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue input = root.value(u"input"_s);
    if (!isPresent(input)) {
        v.missing(u"input"_s);
        return;
    }
    if (input.isString()) {
        Message user;
        user.role = Message::Role::User;
        user.parts.append({ContentPart::Type::Text, input.toString()});
        request.messages.append(std::move(user));
        return;
    }
    const std::optional<QJsonArray> items = requiredArray(root, u"input"_s, v);
    if (!items)
        return;
    static const QStringList types{u"message"_s, u"function_call"_s, u"function_call_output"_s,
                                   u"reasoning"_s, u"item_reference"_s};
    InputState state;
    for (qsizetype i = 0; i < items->size() && !v.failed(); ++i) {
        const QString field = u"input[%1]"_s.arg(i);
        const QJsonObject item = items->at(i).toObject();
        // an "easy" message: {role, content} without a type
        const QString type = items->at(i).isObject() && !isPresent(item.value(u"type"_s))
                                     && item.contains(u"role"_s)
                                 ? u"message"_s
                                 : entryType(items->at(i), field, types, v);
        if (type == u"message") {
            parseMessageItem(item, field, state, request.messages, v);
        } else if (type == u"function_call") {
            parseFunctionCall(item, field, state, request.messages, v);
        } else if (type == u"function_call_output") {
            parseFunctionCallOutput(item, field, state, request.messages, v);
        } else if (type == u"item_reference") {
            v.fail(field + u".id"_s,
                   u"Invalid '%1': item references need stored responses, and this server keeps "
                   u"none. Send the items themselves."_s.arg(field),
                   u"unsupported_value"_s);
        }
        // reasoning items come back as the client received them: accepted, and not sent on (the
        // web chat keeps no thoughts between turns)
    }
    if (!v.failed() && !state.open.isEmpty())
        failOpenCalls(state.open, v);
    if (!v.failed() && !request.hasTurns())
        v.fail(u"input"_s,
               u"Invalid 'input': it holds no message for the model to answer (only system "
               u"text or reasoning items)."_s,
               u"invalid_value"_s);
}

void parseInstructions(const QJsonObject &root, Conversation &request, QJsonObject &echo,
                       Validator &v)
{
    const std::optional<QString> instructions =
        optionalString(root, u"instructions"_s, v, u"instructions"_s);
    echo.insert(u"instructions"_s, instructions ? QJsonValue(*instructions) : QJsonValue());
    if (!instructions || instructions->isEmpty())
        return;
    Message system;
    system.role = Message::Role::System;
    system.parts.append({ContentPart::Type::Text, *instructions});
    request.messages.prepend(std::move(system));
}

// `tool_choice`: a mode, one function, or the allowed_tools form. `ignored`: the types of the
// client's tools that this server does not call (web_search, custom, ...).
void parseToolChoice(const QJsonObject &root, Conversation &request, const QStringList &ignored,
                     Validator &v)
{
    const QJsonValue choice = root.value(u"tool_choice"_s);
    if (!isPresent(choice))
        return;
    const QStringList modes{u"none"_s, u"auto"_s, u"required"_s};
    const auto modeOf = [](const QString &mode) {
        return mode == u"none"   ? ToolChoice::Mode::None
               : mode == u"auto" ? ToolChoice::Mode::Auto
                                 : ToolChoice::Mode::Required;
    };
    if (choice.isString()) {
        if (!modes.contains(choice.toString())) {
            v.badValue(u"tool_choice"_s, choice.toString(), modes);
            return;
        }
        request.toolChoice.mode = modeOf(choice.toString());
    } else if (!choice.isObject()) {
        v.wrongType(u"tool_choice"_s, u"a string or an object"_s, choice);
        return;
    } else {
        const QJsonObject object = choice.toObject();
        const QJsonValue type = object.value(u"type"_s);
        if (!isPresent(type)) {
            v.missing(u"tool_choice.type"_s);
            return;
        }
        if (type.toString() == u"function") {
            const std::optional<QString> name =
                requiredString(object, u"name"_s, u"tool_choice.name"_s, v);
            if (!name)
                return;
            request.toolChoice = {ToolChoice::Mode::Named, *name};
        } else if (type.toString() == u"allowed_tools") {
            const QStringList allowedModes{u"auto"_s, u"required"_s};
            const QJsonValue mode = object.value(u"mode"_s);
            if (!isPresent(mode)) {
                v.missing(u"tool_choice.mode"_s);
                return;
            }
            if (!allowedModes.contains(mode.toString())) {
                v.badValue(u"tool_choice.mode"_s, mode.toString(), allowedModes);
                return;
            }
            const QJsonValue tools = object.value(u"tools"_s);
            if (!requiredOfType(tools, u"tool_choice.tools"_s, QJsonValue::Array, u"an array"_s, v))
                return;
            QSet<QString> allowed;
            for (const QJsonValue &tool : tools.toArray()) {
                const QJsonObject t = tool.toObject();
                if (t.value(u"type"_s).toString() == u"function")
                    allowed.insert(t.value(u"name"_s).toString());
            }
            QJsonArray kept; // only the allowed ones are offered to the model
            for (const QJsonValue &tool : std::as_const(request.tools)) {
                if (allowed.contains(tool.toObject().value(u"name"_s).toString()))
                    kept.append(tool);
            }
            request.tools = kept;
            request.toolChoice.mode = modeOf(mode.toString());
        } else {
            v.fail(u"tool_choice.type"_s,
                   u"Invalid 'tool_choice': it demands a tool of type '%1', which this server "
                   u"cannot call; only function tools are called here."_s.arg(
                       type.isString() ? type.toString() : typeName(type)),
                   u"unsupported_value"_s);
            return;
        }
    }
    const bool demands = request.toolChoice.mode == ToolChoice::Mode::Required
                         || request.toolChoice.mode == ToolChoice::Mode::Named;
    if (demands && request.tools.isEmpty()) {
        v.fail(u"tool_choice"_s,
               ignored.isEmpty()
                   ? u"Invalid value for 'tool_choice': a tool can only be required when 'tools' "
                     u"are specified."_s
                   : u"Invalid value for 'tool_choice': it requires a tool call, but the request "
                     u"has no function tools: tools of type %1 are not called by this server."_s
                         .arg(quotedList(ignored)),
               u"invalid_value"_s);
        return;
    }
    if (request.toolChoice.mode == ToolChoice::Mode::Named && !request.hasTool(request.toolChoice.name))
        v.fail(u"tool_choice.name"_s,
               u"Invalid value for 'tool_choice.name': no function tool named '%1' is in "
               u"'tools'."_s.arg(request.toolChoice.name),
               u"invalid_value"_s);
}

// `tools`: function tools (flat: {type, name, description, parameters, strict}); tools of the
// other types (OpenAI's hosted tools, custom grammars, namespaces) are left out, without an error.
void parseTools(const QJsonObject &root, Conversation &request, QJsonObject &echo, Validator &v)
{
    QStringList ignored;
    const QJsonValue tools = root.value(u"tools"_s);
    if (isPresent(tools)) {
        if (!tools.isArray()) {
            v.wrongType(u"tools"_s, u"an array"_s, tools);
            return;
        }
        const QJsonArray list = tools.toArray();
        for (qsizetype i = 0; i < list.size() && !v.failed(); ++i) {
            const QString field = u"tools[%1]"_s.arg(i);
            const QString type = entryType(list.at(i), field, {}, v);
            if (type.isEmpty())
                return;
            const QJsonObject tool = list.at(i).toObject();
            if (type != u"function") {
                if (!ignored.contains(type))
                    ignored.append(type);
                continue;
            }
            const QJsonValue name = tool.value(u"name"_s);
            if (!checkName(name, field + u".name"_s, u"function"_s, v))
                return;
            if (request.hasTool(name.toString())) {
                v.fail(field + u".name"_s,
                       u"Invalid '%1.name': the function name '%2' appears twice."_s.arg(
                           field, name.toString()),
                       u"invalid_value"_s);
                return;
            }
            const std::optional<QString> description =
                optionalString(tool, u"description"_s, v, field + u".description"_s);
            const QJsonValue parameters = tool.value(u"parameters"_s);
            if (isPresent(parameters) && !parameters.isObject()) {
                v.wrongType(field + u".parameters"_s, u"an object (a JSON schema)"_s, parameters);
                return;
            }
            optionalBool(tool, u"strict"_s, v, field + u".strict"_s);
            QJsonObject neutral{{u"name"_s, name},
                                {u"parameters"_s, parameters.isObject()
                                                      ? parameters.toObject()
                                                      : QJsonObject{{u"type"_s, u"object"_s},
                                                                    {u"properties"_s,
                                                                     QJsonObject()}}}};
            if (description)
                neutral.insert(u"description"_s, *description);
            request.tools.append(neutral);
        }
        echo.insert(u"tools"_s, list);
    } else {
        echo.insert(u"tools"_s, QJsonArray());
    }
    if (v.failed())
        return;
    parseToolChoice(root, request, ignored, v);
    const QJsonValue choice = root.value(u"tool_choice"_s);
    echo.insert(u"tool_choice"_s, isPresent(choice) ? choice : QJsonValue(u"auto"_s));
    if (auto parallel = optionalBool(root, u"parallel_tool_calls"_s, v))
        request.parallelToolCalls = *parallel;
    echo.insert(u"parallel_tool_calls"_s, request.parallelToolCalls);
}

void parseReasoning(const QJsonObject &root, Conversation &request, QJsonObject &echo,
                    Validator &v)
{
    QJsonObject shown{{u"effort"_s, QJsonValue()}, {u"summary"_s, QJsonValue()}};
    const QJsonValue reasoning = root.value(u"reasoning"_s);
    if (isPresent(reasoning)) {
        if (!reasoning.isObject()) {
            v.wrongType(u"reasoning"_s, u"an object"_s, reasoning);
            return;
        }
        const QJsonObject object = reasoning.toObject();
        const QJsonValue effort = object.value(u"effort"_s);
        if (isPresent(effort)) {
            const QStringList efforts{u"none"_s, u"minimal"_s, u"low"_s,
                                      u"medium"_s, u"high"_s,    u"xhigh"_s};
            if (!effort.isString() || !efforts.contains(effort.toString())) {
                v.badValue(u"reasoning.effort"_s,
                           effort.isString() ? effort.toString() : typeName(effort), efforts);
                return;
            }
            // The web chat thinks or does not: the lowest efforts switch thinking off.
            request.enableThinking =
                !(effort.toString() == u"none" || effort.toString() == u"minimal");
            shown.insert(u"effort"_s, effort);
        }
        for (const QString &key : {u"summary"_s, u"generate_summary"_s}) {
            const QJsonValue summary = object.value(key);
            if (!isPresent(summary))
                continue;
            const QStringList summaries{u"auto"_s, u"concise"_s, u"detailed"_s};
            if (!summary.isString() || !summaries.contains(summary.toString())) {
                v.badValue(u"reasoning."_s + key,
                           summary.isString() ? summary.toString() : typeName(summary), summaries);
                return;
            }
            shown.insert(u"summary"_s, summary);
        }
    }
    echo.insert(u"reasoning"_s, shown);
}

// `text.format`, the Responses form of response_format: {type, name, schema, strict}.
void parseText(const QJsonObject &root, Conversation &request, QJsonObject &echo, Validator &v)
{
    QJsonObject shown{{u"format"_s, QJsonObject{{u"type"_s, u"text"_s}}}};
    const QJsonValue text = root.value(u"text"_s);
    if (isPresent(text) && !text.isObject()) {
        v.wrongType(u"text"_s, u"an object"_s, text);
        return;
    }
    const QJsonObject textObject = text.toObject();
    const QJsonValue verbosity = textObject.value(u"verbosity"_s);
    if (isPresent(verbosity)) {
        const QStringList levels{u"low"_s, u"medium"_s, u"high"_s};
        if (!levels.contains(verbosity.toString())) {
            v.badValue(u"text.verbosity"_s, verbosity.toString(), levels);
            return;
        }
        shown.insert(u"verbosity"_s, verbosity);
    }
    const QJsonValue format = textObject.value(u"format"_s);
    if (isPresent(format)) {
        if (!format.isObject()) {
            v.wrongType(u"text.format"_s, u"an object"_s, format);
            return;
        }
        const QJsonObject object = format.toObject();
        const QString type = entryType(format, u"text.format"_s,
                                       {u"text"_s, u"json_object"_s, u"json_schema"_s}, v);
        if (type == u"json_object") {
            request.outputFormat.type = OutputFormat::Type::JsonObject;
        } else if (type == u"json_schema") {
            const QJsonValue name = object.value(u"name"_s);
            const QJsonValue schema = object.value(u"schema"_s);
            if (!isPresent(name))
                v.missing(u"text.format.name"_s);
            else if (!name.isString() || !isName(name.toString()))
                v.fail(u"text.format.name"_s,
                       u"Invalid 'text.format.name': '%1' is not a name (letters, digits, '_', "
                       u"'-', '.' and ':', at most 128)."_s.arg(name.isString() ? name.toString()
                                                                                : typeName(name)),
                       u"invalid_value"_s);
            else
                requiredOfType(schema, u"text.format.schema"_s, QJsonValue::Object,
                               u"an object (a JSON schema)"_s, v);
            optionalBool(object, u"strict"_s, v, u"text.format.strict"_s);
            request.outputFormat.type = OutputFormat::Type::JsonSchema;
            request.outputFormat.schema = schema.toObject();
        }
        if (v.failed())
            return;
        shown.insert(u"format"_s, object);
    }
    echo.insert(u"text"_s, shown);
}

// What only OpenAI's storage can do: answered with a 400 that says what to send instead.
void refuseStoredState(const QJsonObject &root, Validator &v)
{
    const QJsonValue previous = root.value(u"previous_response_id"_s);
    if (isPresent(previous)) {
        v.fail(u"previous_response_id"_s,
               u"Previous response with id '%1' not found: ZaiBridge keeps no responses (it "
               u"answers every request as if 'store' were false). Send the whole conversation in "
               u"'input', with the output items of earlier responses."_s.arg(
                   previous.isString() ? previous.toString() : typeName(previous)),
               u"previous_response_not_found"_s);
        return;
    }
    if (isPresent(root.value(u"conversation"_s))) {
        v.fail(u"conversation"_s,
               u"Conversations are stored by OpenAI, and ZaiBridge keeps none. Send the whole "
               u"conversation in 'input'."_s,
               u"unsupported_value"_s);
        return;
    }
    if (isPresent(root.value(u"prompt"_s))) {
        v.fail(u"prompt"_s,
               u"Prompt templates are stored by OpenAI, and ZaiBridge keeps none. Send the "
               u"prompt's text in 'instructions' and 'input'."_s,
               u"unsupported_value"_s);
        return;
    }
    if (optionalBool(root, u"background"_s, v).value_or(false))
        v.fail(u"background"_s,
               u"Background responses are not supported: ZaiBridge keeps no responses to poll. "
               u"Use 'stream': true for a long answer."_s,
               u"unsupported_value"_s);
}

// Fields that change nothing here but are checked as OpenAI checks them.
void checkIgnoredFields(const QJsonObject &root, QJsonObject &echo, Validator &v)
{
    const std::optional<bool> store = optionalBool(root, u"store"_s, v);
    echo.insert(u"store"_s, store.value_or(true));
    const QJsonValue include = root.value(u"include"_s);
    if (isPresent(include)) {
        QStringList values;
        if (!include.isArray())
            v.wrongType(u"include"_s, u"an array of strings"_s, include);
        else
            appendStrings(include.toArray(), u"include"_s, values, v);
    }
    const QJsonValue truncation = root.value(u"truncation"_s);
    if (isPresent(truncation)
        && !QStringList{u"auto"_s, u"disabled"_s}.contains(truncation.toString()))
        v.badValue(u"truncation"_s, truncation.toString(), {u"auto"_s, u"disabled"_s});
    echo.insert(u"truncation"_s, isPresent(truncation) ? truncation : QJsonValue(u"disabled"_s));
    optionalInteger(root, u"max_tool_calls"_s, 1, std::numeric_limits<int>::max(), v);
    optionalInteger(root, u"top_logprobs"_s, 0, 20, v);
    optionalString(root, u"user"_s, v, u"user"_s);
    optionalString(root, u"prompt_cache_key"_s, v, u"prompt_cache_key"_s);
    optionalString(root, u"safety_identifier"_s, v, u"safety_identifier"_s);
    optionalString(root, u"service_tier"_s, v, u"service_tier"_s);
    optionalObject(root, u"stream_options"_s, v);
    checkMetadata(root, v);
    const QJsonValue metadata = root.value(u"metadata"_s);
    echo.insert(u"metadata"_s, metadata.isObject() ? metadata : QJsonValue(QJsonObject()));
}

} // namespace

std::optional<ResponsesRequest> ResponsesRequest::parse(const QByteArray &body, ApiError *error)
{
    const std::optional<QJsonObject> object = parseBody(body, error);
    if (!object)
        return std::nullopt;
    const QJsonObject &root = *object;
    Validator v;
    ResponsesRequest parsed;
    Conversation &request = parsed.conversation;
    QJsonObject &echo = parsed.echo;

    request.model = requiredModel(root, v);
    refuseStoredState(root, v);
    parseInput(root, request, v);
    parseInstructions(root, request, echo, v);
    if (auto stream = optionalBool(root, u"stream"_s, v))
        request.stream = *stream;
    if (isPresent(root.value(u"stream_options"_s)) && !request.stream)
        v.fail(u"stream_options"_s,
               u"The 'stream_options' parameter is only allowed when 'stream' is enabled."_s,
               u"invalid_value"_s);
    request.maxTokens = optionalInteger(root, u"max_output_tokens"_s, 16, 1'000'000'000, v);
    echo.insert(u"max_output_tokens"_s,
                request.maxTokens ? QJsonValue(*request.maxTokens) : QJsonValue());
    request.temperature = optionalNumber(root, u"temperature"_s, 0.0, 2.0, v);
    echo.insert(u"temperature"_s, request.temperature.value_or(1.0));
    request.topP = optionalNumber(root, u"top_p"_s, 0.0, 1.0, v);
    echo.insert(u"top_p"_s, request.topP.value_or(1.0));
    parseTools(root, request, echo, v);
    parseReasoning(root, request, echo, v);
    parseText(root, request, echo, v);
    checkIgnoredFields(root, echo, v);

    if (v.failed()) {
        *error = v.error();
        return std::nullopt;
    }
    return parsed;
}
