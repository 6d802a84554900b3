// SPDX-License-Identifier: MIT
#include "ChatCompletionsRequest.h"

#include "conversation/RequestFields.h"

#include <QJsonDocument>
#include <QSet>

#include <limits>

using namespace Qt::StringLiterals;

// The request schema of OpenAI's chat completions, field by field (README, "Request fields"):
// shapes the API refuses are refused here with its 400 and a `param` naming the field, so that
// nothing malformed travels on to Z.AI. Unknown top-level fields are vendor extensions and pass.

using namespace RequestFields;

namespace {

enum class PartsAllowed { TextOnly, UserParts, AssistantParts };

QList<ContentPart> parseContent(const QJsonValue &content, const QString &field,
                                PartsAllowed allowed, Validator &v)
{
    QList<ContentPart> parts;
    if (content.isString()) {
        parts.append({ContentPart::Type::Text, content.toString(), {}});
        return parts;
    }
    if (!content.isArray()) {
        v.wrongType(field, u"a string or an array of content parts"_s, content);
        return parts;
    }
    QStringList supported{u"text"_s};
    if (allowed == PartsAllowed::UserParts)
        supported << u"image_url"_s << u"input_audio"_s << u"file"_s;
    else if (allowed == PartsAllowed::AssistantParts)
        supported << u"refusal"_s;

    const QJsonArray array = content.toArray();
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString partField = u"%1[%2]"_s.arg(field).arg(i);
        const QJsonValue item = array.at(i);
        if (!item.isObject()) {
            v.wrongType(partField, u"an object"_s, item);
            break;
        }
        const QJsonObject part = item.toObject();
        const QJsonValue typeValue = part.value(u"type"_s);
        if (!isPresent(typeValue)) {
            v.missing(partField + u".type"_s);
            break;
        }
        const QString type = typeValue.toString();
        if (!typeValue.isString() || !supported.contains(type)) {
            v.badValue(partField + u".type"_s, typeValue.isString() ? type : typeName(typeValue),
                       supported);
            break;
        }
        if (type == u"text") {
            const QJsonValue text = part.value(u"text"_s);
            if (!isPresent(text))
                v.missing(partField + u".text"_s);
            else if (!text.isString())
                v.wrongType(partField + u".text"_s, u"a string"_s, text);
            else
                parts.append({ContentPart::Type::Text, text.toString(), {}});
        } else if (type == u"image_url") {
            const QJsonValue image = part.value(u"image_url"_s);
            const QString imageField = partField + u".image_url"_s;
            if (!isPresent(image)) {
                v.missing(imageField);
            } else if (!image.isObject()) {
                v.wrongType(imageField, u"an object"_s, image);
            } else {
                const QJsonObject imageObject = image.toObject();
                const QJsonValue url = imageObject.value(u"url"_s);
                const QJsonValue detail = imageObject.value(u"detail"_s);
                if (!isPresent(url))
                    v.missing(imageField + u".url"_s);
                else if (!url.isString())
                    v.wrongType(imageField + u".url"_s, u"a string"_s, url);
                else if (url.toString().trimmed().isEmpty())
                    v.fail(imageField + u".url"_s, u"An image_url part needs a non-empty 'url'."_s,
                           u"invalid_value"_s);
                else if (isPresent(detail)
                         && !QStringList{u"auto"_s, u"low"_s, u"high"_s}.contains(detail.toString()))
                    v.badValue(imageField + u".detail"_s, detail.toString(),
                               {u"auto"_s, u"low"_s, u"high"_s});
                else
                    parts.append({ContentPart::Type::Image, {}, url.toString().trimmed()});
            }
        } else if (type == u"refusal") {
            const QJsonValue refusal = part.value(u"refusal"_s);
            if (!refusal.isString())
                v.wrongType(partField + u".refusal"_s, u"a string"_s, refusal);
            else
                parts.append({ContentPart::Type::Text, refusal.toString(), {}});
        } else if (type == u"input_audio") {
            v.fail(partField + u".type"_s,
                   u"Audio input is not supported: the Z.AI web chat takes text and images."_s,
                   u"unsupported_value"_s);
        } else { // file
            v.fail(partField + u".type"_s,
                   u"File inputs are not supported: send the file's text as a text part, or an "
                   u"image as an image_url part."_s,
                   u"unsupported_value"_s);
        }
    }
    return parts;
}

// An assistant turn's `tool_calls`.
QList<ToolCall> parseToolCalls(const QJsonValue &value, const QString &field, Validator &v)
{
    QList<ToolCall> calls;
    if (!value.isArray()) {
        v.wrongType(field, u"an array"_s, value);
        return calls;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString callField = u"%1[%2]"_s.arg(field).arg(i);
        if (!array.at(i).isObject()) {
            v.wrongType(callField, u"an object"_s, array.at(i));
            break;
        }
        const QJsonObject call = array.at(i).toObject();
        const QString functionField = callField + u".function"_s;
        const std::optional<QString> id = requiredString(call, u"id"_s, callField + u".id"_s, v);
        const QJsonValue type = call.value(u"type"_s);
        const QJsonValue function = call.value(u"function"_s);
        if (v.failed()) {
        } else if (!isPresent(type)) {
            v.missing(callField + u".type"_s);
        } else if (type.toString() != u"function") {
            v.badValue(callField + u".type"_s, type.toString(), {u"function"_s});
        } else if (!isPresent(function)) {
            v.missing(functionField);
        } else if (!function.isObject()) {
            v.wrongType(functionField, u"an object"_s, function);
        }
        if (v.failed())
            break;
        const QJsonObject f = function.toObject();
        const std::optional<QString> name =
            requiredString(f, u"name"_s, functionField + u".name"_s, v);
        const QJsonValue arguments = f.value(u"arguments"_s);
        if (!requiredOfType(arguments, functionField + u".arguments"_s, QJsonValue::String,
                            u"a string"_s, v))
            break;
        const std::optional<QString> text = callArguments(arguments, functionField + u".arguments"_s, v);
        if (!text)
            break;
        calls.append({*id, *name, *text});
    }
    return calls;
}

const QStringList &roleNames()
{
    static const QStringList names{u"system"_s, u"developer"_s, u"user"_s, u"assistant"_s,
                                   u"tool"_s, u"function"_s};
    return names;
}

std::optional<Message> parseMessage(const QJsonObject &m, const QString &field, Validator &v)
{
    const QJsonValue roleValue = m.value(u"role"_s);
    if (!isPresent(roleValue)) {
        v.missing(field + u".role"_s);
        return std::nullopt;
    }
    const QString role = roleValue.toString();
    if (!roleValue.isString() || !roleNames().contains(role)) {
        v.badValue(field + u".role"_s, roleValue.isString() ? role : typeName(roleValue),
                   roleNames());
        return std::nullopt;
    }
    Message message;
    const QJsonValue content = m.value(u"content"_s);
    const QString contentField = field + u".content"_s;
    if (auto name = optionalString(m, u"name"_s, v, field + u".name"_s))
        message.name = *name;

    if (role == u"system" || role == u"developer" || role == u"user") {
        message.role = role == u"user" ? Message::Role::User : Message::Role::System;
        if (!isPresent(content))
            v.missing(contentField);
        else
            message.parts = parseContent(content, contentField,
                                         role == u"user" ? PartsAllowed::UserParts
                                                         : PartsAllowed::TextOnly,
                                         v);
    } else if (role == u"assistant") {
        message.role = Message::Role::Assistant;
        const QJsonValue toolCalls = m.value(u"tool_calls"_s);
        const QJsonValue functionCall = m.value(u"function_call"_s);
        if (isPresent(content))
            message.parts = parseContent(content, contentField, PartsAllowed::AssistantParts, v);
        if (isPresent(toolCalls))
            message.toolCalls = parseToolCalls(toolCalls, field + u".tool_calls"_s, v);
        if (isPresent(functionCall)) {
            const QString fcField = field + u".function_call"_s;
            const QJsonObject fc = functionCall.toObject();
            if (!functionCall.isObject())
                v.wrongType(fcField, u"an object"_s, functionCall);
            else if (!fc.value(u"name"_s).isString() || fc.value(u"name"_s).toString().isEmpty())
                v.missing(fcField + u".name"_s);
            else if (!fc.value(u"arguments"_s).isString())
                v.wrongType(fcField + u".arguments"_s, u"a string"_s, fc.value(u"arguments"_s));
            else if (auto text = callArguments(fc.value(u"arguments"_s), fcField + u".arguments"_s, v))
                message.toolCalls.append({QString(), fc.value(u"name"_s).toString(), *text});
        }
        if (!v.failed() && !isPresent(content) && message.toolCalls.isEmpty())
            v.fail(contentField,
                   u"Invalid '%1': an assistant message needs 'content' unless it has "
                   u"'tool_calls' or 'function_call'."_s.arg(field),
                   u"missing_required_parameter"_s);
    } else { // tool, or the deprecated function result
        message.role = Message::Role::Tool;
        if (role == u"tool") {
            message.toolCallId =
                requiredString(m, u"tool_call_id"_s, field + u".tool_call_id"_s, v).value_or(QString());
        } else if (message.name.isEmpty()) {
            v.missing(field + u".name"_s);
        }
        if (!v.failed()) {
            if (!isPresent(content))
                v.missing(contentField);
            else
                message.parts = parseContent(content, contentField, PartsAllowed::TextOnly, v);
        }
    }
    if (v.failed())
        return std::nullopt;
    return message;
}

// OpenAI's order rules for tool turns: every tool message answers a call of the assistant turn
// before it, and every call of an assistant turn is answered before the conversation goes on.
void checkToolTurns(const QList<Message> &messages, Validator &v)
{
    QSet<QString> open;    // the calls of the last assistant turn not answered yet
    qsizetype caller = -1; // that assistant turn
    bool inToolRun = false;
    const auto unanswered = [&] {
        if (open.isEmpty())
            return false;
        QStringList ids(open.cbegin(), open.cend());
        ids.sort();
        v.fail(u"messages[%1].role"_s.arg(caller),
               u"An assistant message with 'tool_calls' must be followed by tool messages "
               u"responding to each 'tool_call_id'. The following tool_call_ids did not have "
               u"response messages: %1"_s.arg(ids.join(u", "_s)),
               u"invalid_value"_s);
        return true;
    };
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const Message &m = messages.at(i);
        if (m.role == Message::Role::Tool && !m.toolCallId.isEmpty()) {
            if (!inToolRun || !open.remove(m.toolCallId)) {
                v.fail(u"messages[%1].tool_call_id"_s.arg(i),
                       inToolRun ? u"Invalid 'messages[%1].tool_call_id': '%2' answers no tool "
                                   u"call of the assistant message before it."_s.arg(i).arg(m.toolCallId)
                                 : u"Invalid parameter: messages with role 'tool' must be a "
                                   u"response to a preceding message with 'tool_calls'."_s,
                       u"invalid_value"_s);
                return;
            }
            continue;
        }
        if (m.role == Message::Role::Tool)
            continue; // the deprecated role "function" answers by name
        if (unanswered())
            return;
        inToolRun = false;
        if (m.role == Message::Role::Assistant) {
            for (const ToolCall &call : m.toolCalls) {
                if (!call.id.isEmpty())
                    open.insert(call.id);
            }
            caller = i;
            inToolRun = !open.isEmpty();
        }
    }
    unanswered();
}

void parseMessages(const QJsonObject &root, Conversation &request, Validator &v)
{
    const std::optional<QJsonArray> messages = requiredArray(root, u"messages"_s, v);
    if (!messages)
        return;
    const QJsonArray &array = *messages;
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString field = u"messages[%1]"_s.arg(i);
        if (!array.at(i).isObject()) {
            v.wrongType(field, u"an object"_s, array.at(i));
            return;
        }
        if (auto message = parseMessage(array.at(i).toObject(), field, v))
            request.messages.append(std::move(*message));
    }
    if (!v.failed())
        checkToolTurns(request.messages, v);
}

void parseStop(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue stop = root.value(u"stop"_s);
    if (!isPresent(stop))
        return;
    if (stop.isString()) {
        if (!stop.toString().isEmpty())
            request.stop.append(stop.toString());
        return;
    }
    if (!stop.isArray()) {
        v.wrongType(u"stop"_s, u"a string or an array of strings"_s, stop);
        return;
    }
    const QJsonArray list = stop.toArray();
    if (list.size() > 4) {
        v.fail(u"stop"_s,
               u"Invalid 'stop': array too long. Expected an array with maximum length 4, but got "
               u"an array with length %1 instead."_s.arg(list.size()),
               u"array_above_max_length"_s);
        return;
    }
    appendStrings(list, u"stop"_s, request.stop, v);
}

void parseThinking(const QJsonObject &root, Conversation &request, Validator &v)
{
    if (auto enable = optionalBool(root, u"enable_thinking"_s, v))
        request.enableThinking = enable;
    const QJsonValue thinking = root.value(u"thinking"_s);
    if (thinking.isObject()) {
        const QJsonValue type = thinking.toObject().value(u"type"_s);
        const QStringList types{u"enabled"_s, u"disabled"_s, u"auto"_s};
        if (!types.contains(type.toString()))
            v.badValue(u"thinking.type"_s, type.toString(), types);
        else
            request.enableThinking = type.toString() != u"disabled";
    } else if (thinking.isBool()) {
        request.enableThinking = thinking.toBool();
    } else if (isPresent(thinking)) {
        v.wrongType(u"thinking"_s, u"an object"_s, thinking);
    }
    const QJsonValue effort = root.value(u"reasoning_effort"_s);
    if (isPresent(effort)) {
        const QStringList efforts{u"none"_s, u"minimal"_s, u"low"_s, u"medium"_s, u"high"_s,
                                  u"xhigh"_s};
        if (!effort.isString() || !efforts.contains(effort.toString()))
            v.badValue(u"reasoning_effort"_s, effort.toString(), efforts);
        else
            request.enableThinking = !(effort.toString() == u"none" || effort.toString() == u"minimal");
    }
}

// A function definition: {name, description?, parameters?, strict?}, as a tool or in `functions`.
std::optional<QJsonObject> parseFunction(const QJsonValue &value, const QString &field, Validator &v)
{
    if (!isPresent(value)) {
        v.missing(field);
        return std::nullopt;
    }
    if (!value.isObject()) {
        v.wrongType(field, u"an object"_s, value);
        return std::nullopt;
    }
    const QJsonObject function = value.toObject();
    checkName(function.value(u"name"_s), field + u".name"_s, u"function"_s, v);
    optionalString(function, u"description"_s, v, field + u".description"_s);
    const QJsonValue parameters = function.value(u"parameters"_s);
    if (isPresent(parameters) && !parameters.isObject())
        v.wrongType(field + u".parameters"_s, u"an object (a JSON schema)"_s, parameters);
    optionalBool(function, u"strict"_s, v, field + u".strict"_s);
    if (v.failed())
        return std::nullopt;
    return function;
}

void parseToolChoice(const QJsonValue &choice, const QString &field, Conversation &request,
                     Validator &v)
{
    const QStringList modes{u"none"_s, u"auto"_s, u"required"_s};
    if (choice.isString()) {
        const QString mode = choice.toString();
        if (!modes.contains(mode)) {
            v.badValue(field, mode, modes);
            return;
        }
        request.toolChoice.mode = mode == u"none"   ? ToolChoice::Mode::None
                                  : mode == u"auto" ? ToolChoice::Mode::Auto
                                                    : ToolChoice::Mode::Required;
        return;
    }
    if (!choice.isObject()) {
        v.wrongType(field, u"a string or an object"_s, choice);
        return;
    }
    const QJsonObject object = choice.toObject();
    // {type: "function", function: {name}} or, for function_call, {name}
    const QJsonObject function = field == u"function_call"
                                     ? object
                                     : object.value(u"function"_s).toObject();
    if (field != u"function_call" && object.value(u"type"_s).toString() != u"function") {
        v.badValue(field + u".type"_s, object.value(u"type"_s).toString(), {u"function"_s});
        return;
    }
    const QString name = function.value(u"name"_s).toString();
    const QString nameField = field == u"function_call" ? field + u".name"_s
                                                        : field + u".function.name"_s;
    if (name.isEmpty()) {
        v.missing(nameField);
        return;
    }
    request.toolChoice = {ToolChoice::Mode::Named, name};
}

void parseTools(const QJsonObject &root, ChatCompletionsRequest &parsed, Validator &v)
{
    Conversation &request = parsed.conversation;
    const QJsonValue tools = root.value(u"tools"_s);
    if (isPresent(tools)) {
        if (!tools.isArray()) {
            v.wrongType(u"tools"_s, u"an array"_s, tools);
            return;
        }
        const QJsonArray list = tools.toArray();
        for (qsizetype i = 0; i < list.size() && !v.failed(); ++i) {
            const QString field = u"tools[%1]"_s.arg(i);
            const QString type = entryType(list.at(i), field, {u"function"_s, u"custom"_s}, v);
            if (type.isEmpty())
                return;
            if (type == u"custom")
                continue; // free-form grammar tools: the tool protocol carries JSON arguments only
            const QJsonObject tool = list.at(i).toObject();
            if (auto function = parseFunction(tool.value(u"function"_s), field + u".function"_s, v))
                request.tools.append(*function);
        }
    }
    const QJsonValue functions = root.value(u"functions"_s); // deprecated form
    if (isPresent(functions) && !v.failed()) {
        if (!functions.isArray()) {
            v.wrongType(u"functions"_s, u"an array"_s, functions);
            return;
        }
        // checked even beside `tools`, which then win
        const bool use = request.tools.isEmpty();
        parsed.legacyFunctions = use;
        const QJsonArray list = functions.toArray();
        for (qsizetype i = 0; i < list.size() && !v.failed(); ++i) {
            if (auto function = parseFunction(list.at(i), u"functions[%1]"_s.arg(i), v); function && use)
                request.tools.append(*function);
        }
    }
    if (v.failed())
        return;

    const QJsonValue choice = root.value(u"tool_choice"_s);
    const QJsonValue legacyChoice = root.value(u"function_call"_s);
    if (isPresent(choice))
        parseToolChoice(choice, u"tool_choice"_s, request, v);
    else if (isPresent(legacyChoice))
        parseToolChoice(legacyChoice, u"function_call"_s, request, v);
    const QString choiceField = isPresent(choice) ? u"tool_choice"_s : u"function_call"_s;
    if (!v.failed() && request.tools.isEmpty()
        && (request.toolChoice.mode == ToolChoice::Mode::Required
            || request.toolChoice.mode == ToolChoice::Mode::Named)) {
        v.fail(choiceField,
               u"Invalid value for '%1': a tool can only be required when 'tools' are "
               u"specified."_s.arg(choiceField),
               u"invalid_value"_s);
    }
    if (!v.failed() && request.toolChoice.mode == ToolChoice::Mode::Named) {
        if (!request.hasTool(request.toolChoice.name))
            v.fail(choiceField,
                   u"Invalid value for '%1': no tool named '%2' is in 'tools'."_s.arg(
                       choiceField, request.toolChoice.name),
                   u"invalid_value"_s);
    }
    if (auto parallel = optionalBool(root, u"parallel_tool_calls"_s, v))
        request.parallelToolCalls = *parallel;
}

void parseResponseFormat(const QJsonObject &root, Conversation &request, Validator &v)
{
    const QJsonValue format = root.value(u"response_format"_s);
    if (!isPresent(format))
        return;
    if (!format.isObject()) {
        v.wrongType(u"response_format"_s, u"an object"_s, format);
        return;
    }
    const QJsonObject object = format.toObject();
    if (!isPresent(object.value(u"type"_s))) {
        v.missing(u"response_format.type"_s);
        return;
    }
    const QString type = object.value(u"type"_s).toString();
    if (type == u"text")
        return;
    if (type == u"json_object") {
        request.outputFormat.type = OutputFormat::Type::JsonObject;
        return;
    }
    if (type != u"json_schema") {
        v.badValue(u"response_format.type"_s, type, {u"text"_s, u"json_object"_s, u"json_schema"_s});
        return;
    }
    const QJsonValue spec = object.value(u"json_schema"_s);
    if (!isPresent(spec)) {
        v.missing(u"response_format.json_schema"_s);
        return;
    }
    if (!spec.isObject()) {
        v.wrongType(u"response_format.json_schema"_s, u"an object"_s, spec);
        return;
    }
    const QJsonValue name = spec.toObject().value(u"name"_s);
    const QJsonValue schema = spec.toObject().value(u"schema"_s);
    if (!isPresent(name))
        v.missing(u"response_format.json_schema.name"_s);
    else if (!name.isString() || !isName(name.toString()))
        v.fail(u"response_format.json_schema.name"_s,
               u"Invalid 'response_format.json_schema.name': '%1' is not a name (letters, digits, "
               u"'_', '-', '.' and ':', at most 128)."_s.arg(name.isString() ? name.toString()
                                                                             : typeName(name)),
               u"invalid_value"_s);
    else if (isPresent(schema) && !schema.isObject())
        v.wrongType(u"response_format.json_schema.schema"_s, u"an object"_s, schema);
    request.outputFormat.type = OutputFormat::Type::JsonSchema;
    request.outputFormat.schema = schema.toObject();
}

// Fields that change nothing here but are checked as OpenAI checks them, so that a client's
// mistake shows up here as it would there.
void checkIgnoredFields(const QJsonObject &root, Validator &v)
{
    optionalNumber(root, u"presence_penalty"_s, -2.0, 2.0, v);
    optionalNumber(root, u"frequency_penalty"_s, -2.0, 2.0, v);
    optionalInteger(root, u"seed"_s, std::numeric_limits<qint64>::min() / 2,
                    std::numeric_limits<qint64>::max() / 2, v);
    const std::optional<bool> logprobs = optionalBool(root, u"logprobs"_s, v);
    if (optionalInteger(root, u"top_logprobs"_s, 0, 20, v) && !logprobs.value_or(false))
        v.fail(u"top_logprobs"_s, u"'top_logprobs' is only allowed when 'logprobs' is true."_s,
               u"invalid_value"_s);
    optionalObject(root, u"logit_bias"_s, v);
    optionalString(root, u"user"_s, v, u"user"_s);
    optionalString(root, u"prompt_cache_key"_s, v, u"prompt_cache_key"_s);
    optionalString(root, u"safety_identifier"_s, v, u"safety_identifier"_s);
    optionalString(root, u"service_tier"_s, v, u"service_tier"_s);
    optionalString(root, u"verbosity"_s, v, u"verbosity"_s);
    optionalBool(root, u"store"_s, v);
    optionalObject(root, u"prediction"_s, v);
    checkMetadata(root, v);
}

} // namespace

std::optional<ChatCompletionsRequest> ChatCompletionsRequest::parse(const QByteArray &body,
                                                                    ApiError *error)
{
    const std::optional<QJsonObject> object = parseBody(body, error);
    if (!object)
        return std::nullopt;
    const QJsonObject &root = *object;
    Validator v;
    ChatCompletionsRequest parsed;
    Conversation &request = parsed.conversation;

    request.model = requiredModel(root, v);

    parseMessages(root, request, v);

    if (auto stream = optionalBool(root, u"stream"_s, v))
        request.stream = *stream;
    const QJsonValue streamOptions = root.value(u"stream_options"_s);
    if (streamOptions.isObject()) {
        if (!request.stream)
            v.fail(u"stream_options"_s,
                   u"The 'stream_options' parameter is only allowed when 'stream' is enabled."_s,
                   u"invalid_value"_s);
        parsed.includeUsage = optionalBool(streamOptions.toObject(), u"include_usage"_s, v,
                                           u"stream_options.include_usage"_s)
                                  .value_or(false);
    } else if (isPresent(streamOptions)) {
        v.wrongType(u"stream_options"_s, u"an object"_s, streamOptions);
    }

    if (auto n = optionalInteger(root, u"n"_s, 1, 128, v); n && *n > 1)
        v.fail(u"n"_s, u"Only n=1 is supported: this server returns a single choice."_s,
               u"unsupported_value"_s);

    const std::optional<qint64> maxCompletion =
        optionalInteger(root, u"max_completion_tokens"_s, 1, 1'000'000'000, v);
    const std::optional<qint64> maxTokens = optionalInteger(root, u"max_tokens"_s, 1, 1'000'000'000, v);
    request.maxTokens = maxCompletion ? maxCompletion : maxTokens;
    request.temperature = optionalNumber(root, u"temperature"_s, 0.0, 2.0, v);
    request.topP = optionalNumber(root, u"top_p"_s, 0.0, 1.0, v);
    parseStop(root, request, v);
    parseThinking(root, request, v);

    const QJsonValue search = root.value(u"web_search"_s);
    if (search.isBool())
        request.webSearch = search.toBool();
    else if (search.isObject())
        request.webSearch = true;
    else if (isPresent(search))
        v.wrongType(u"web_search"_s, u"a boolean or an object"_s, search);
    const QJsonValue searchOptions = root.value(u"web_search_options"_s);
    if (searchOptions.isObject())
        request.webSearch = true;
    else if (isPresent(searchOptions))
        v.wrongType(u"web_search_options"_s, u"an object"_s, searchOptions);

    const QJsonValue modalities = root.value(u"modalities"_s);
    if (isPresent(modalities)) {
        const QJsonArray list = modalities.toArray();
        if (!modalities.isArray())
            v.wrongType(u"modalities"_s, u"an array"_s, modalities);
        else if (list.contains(u"audio"_s))
            v.fail(u"modalities"_s, u"Audio output is not supported by this server."_s,
                   u"unsupported_value"_s);
        for (qsizetype i = 0; i < list.size() && !v.failed(); ++i) {
            if (list.at(i).toString() != u"text")
                v.badValue(u"modalities[%1]"_s.arg(i), list.at(i).toString(),
                           {u"text"_s, u"audio"_s});
        }
    }
    if (isPresent(root.value(u"audio"_s)))
        v.fail(u"audio"_s, u"Audio output is not supported by this server."_s,
               u"unsupported_value"_s);

    parseTools(root, parsed, v);
    parseResponseFormat(root, request, v);
    checkIgnoredFields(root, v);

    if (v.failed()) {
        *error = v.error();
        return std::nullopt;
    }
    return parsed;
}
