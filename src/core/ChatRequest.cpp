// SPDX-License-Identifier: MIT
#include "ChatRequest.h"

#include "JsonReader.h"

#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

QString ChatMessage::text() const
{
    if (parts.size() == 1 && parts.first().type == ContentPart::Type::Text)
        return parts.first().text; // shared, not copied: the common case
    QStringList texts;
    for (const ContentPart &part : parts) {
        if (part.type == ContentPart::Type::Text)
            texts.append(part.text);
    }
    return texts.join(u'\n');
}

bool ChatMessage::hasImages() const
{
    return std::any_of(parts.cbegin(), parts.cend(), [](const ContentPart &p) {
        return p.type == ContentPart::Type::ImageUrl;
    });
}

QString ChatRequest::lastUserText() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == ChatMessage::Role::User)
            return it->text();
    }
    return {};
}

namespace {

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"boolean"_s;
    case QJsonValue::Double: return u"number"_s;
    case QJsonValue::String: return u"string"_s;
    case QJsonValue::Array: return u"array"_s;
    case QJsonValue::Object: return u"object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"undefined"_s;
}

// Small helper that records the first validation failure and names the offending field.
class Validator
{
public:
    bool failed() const { return m_error.isError(); }
    const ApiError &error() const { return m_error; }

    void fail(const QString &param, const QString &message)
    {
        if (!failed())
            m_error = ApiError::invalidRequest(message, param);
    }
    void wrongType(const QString &param, const QString &expected, const QJsonValue &got)
    {
        fail(param, u"Invalid type for '%1': expected %2, but got %3."_s.arg(param, expected,
                                                                              typeName(got)));
    }

private:
    ApiError m_error;
};

bool isPresent(const QJsonValue &v)
{
    return !v.isUndefined() && !v.isNull();
}

std::optional<bool> optionalBool(const QJsonObject &o, const QString &key, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    if (!value.isBool()) {
        v.wrongType(key, u"a boolean"_s, value);
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<double> optionalNumber(const QJsonObject &o, const QString &key, double min,
                                     double max, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    if (!value.isDouble()) {
        v.wrongType(key, u"a number"_s, value);
        return std::nullopt;
    }
    const double d = value.toDouble();
    if (!std::isfinite(d) || d < min || d > max) {
        v.fail(key, u"'%1' must be between %2 and %3."_s.arg(key).arg(min).arg(max));
        return std::nullopt;
    }
    return d;
}

std::optional<qint64> optionalPositiveInt(const QJsonObject &o, const QString &key, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    const double d = value.toDouble(-1);
    if (!value.isDouble() || d != std::floor(d) || d < 1 || d > 1e9) {
        v.fail(key, u"'%1' must be a positive integer."_s.arg(key));
        return std::nullopt;
    }
    return qint64(d);
}

QList<ContentPart> parseContent(const QJsonValue &content, const QString &field, Validator &v)
{
    QList<ContentPart> parts;
    if (content.isString()) {
        parts.append({ContentPart::Type::Text, content.toString(), {}});
        return parts;
    }
    if (!isPresent(content))
        return parts;
    if (!content.isArray()) {
        v.wrongType(field, u"a string or an array of content parts"_s, content);
        return parts;
    }
    const QJsonArray array = content.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString partField = u"%1[%2]"_s.arg(field).arg(i);
        const QJsonValue item = array.at(i);
        if (item.isString()) { // lenient: a bare string part
            parts.append({ContentPart::Type::Text, item.toString(), {}});
            continue;
        }
        if (!item.isObject()) {
            v.wrongType(partField, u"an object"_s, item);
            return parts;
        }
        const QJsonObject part = item.toObject();
        const QString type = part.value(u"type"_s).toString();
        if (type == u"text" || type == u"input_text") {
            const QJsonValue text = part.value(u"text"_s);
            if (!text.isString()) {
                v.wrongType(partField + u".text"_s, u"a string"_s, text);
                return parts;
            }
            parts.append({ContentPart::Type::Text, text.toString(), {}});
        } else if (type == u"image_url") {
            const QJsonValue image = part.value(u"image_url"_s);
            const QString url = image.isString() ? image.toString()
                                                 : image.toObject().value(u"url"_s).toString();
            if (url.isEmpty()) {
                v.fail(partField + u".image_url.url"_s,
                       u"An image_url part needs a non-empty 'url'."_s);
                return parts;
            }
            parts.append({ContentPart::Type::ImageUrl, {}, url});
        } else if (type == u"input_audio" || type == u"audio") {
            v.fail(partField + u".type"_s, u"Audio input is not supported by this server."_s);
            return parts;
        } else if (type == u"refusal") {
            parts.append({ContentPart::Type::Text, part.value(u"refusal"_s).toString(), {}});
        } else if (type.isEmpty()) {
            v.fail(partField + u".type"_s, u"Each content part needs a 'type'."_s);
            return parts;
        }
        // Other part types (file, cache markers from vendor extensions) carry nothing the
        // upstream can use; they are skipped rather than rejected.
    }
    return parts;
}

QList<ToolCall> parseToolCalls(const QJsonValue &value, const QString &field, Validator &v)
{
    QList<ToolCall> calls;
    if (!isPresent(value))
        return calls;
    if (!value.isArray()) {
        v.wrongType(field, u"an array"_s, value);
        return calls;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject call = array.at(i).toObject();
        const QJsonObject function = call.value(u"function"_s).toObject();
        const QString name = function.value(u"name"_s).toString();
        if (name.isEmpty()) {
            v.fail(u"%1[%2].function.name"_s.arg(field).arg(i),
                   u"Each tool call needs a function name."_s);
            return calls;
        }
        const QJsonValue args = function.value(u"arguments"_s);
        QString arguments = args.isString() ? args.toString()
                            : args.isObject()
                                ? QString::fromUtf8(
                                      QJsonDocument(args.toObject()).toJson(QJsonDocument::Compact))
                                : QString();
        calls.append({call.value(u"id"_s).toString(), name, arguments});
    }
    return calls;
}

std::optional<ChatMessage::Role> roleFrom(const QString &role)
{
    if (role == u"system" || role == u"developer")
        return ChatMessage::Role::System;
    if (role == u"user")
        return ChatMessage::Role::User;
    if (role == u"assistant")
        return ChatMessage::Role::Assistant;
    if (role == u"tool" || role == u"function")
        return ChatMessage::Role::Tool;
    return std::nullopt;
}

void parseMessages(const QJsonObject &root, ChatRequest &request, Validator &v)
{
    const QJsonValue messages = root.value(u"messages"_s);
    if (!isPresent(messages)) {
        v.fail(u"messages"_s, u"Missing required parameter: 'messages'."_s);
        return;
    }
    if (!messages.isArray()) {
        v.wrongType(u"messages"_s, u"an array"_s, messages);
        return;
    }
    const QJsonArray array = messages.toArray();
    if (array.isEmpty()) {
        v.fail(u"messages"_s, u"'messages' must contain at least one message."_s);
        return;
    }
    for (qsizetype i = 0; i < array.size() && !v.failed(); ++i) {
        const QString field = u"messages[%1]"_s.arg(i);
        if (!array.at(i).isObject()) {
            v.wrongType(field, u"an object"_s, array.at(i));
            return;
        }
        const QJsonObject m = array.at(i).toObject();
        const QJsonValue roleValue = m.value(u"role"_s);
        if (!roleValue.isString()) {
            v.fail(field + u".role"_s, isPresent(roleValue)
                                           ? u"'role' must be a string."_s
                                           : u"Missing required parameter: '%1.role'."_s.arg(field));
            return;
        }
        const auto role = roleFrom(roleValue.toString());
        if (!role) {
            v.fail(field + u".role"_s,
                   u"Invalid value for '%1.role': '%2'. Supported values are: 'system', "
                   u"'developer', 'user', 'assistant' and 'tool'."_s.arg(field,
                                                                        roleValue.toString()));
            return;
        }
        ChatMessage message;
        message.role = *role;
        message.parts = parseContent(m.value(u"content"_s), field + u".content"_s, v);
        message.name = m.value(u"name"_s).toString();
        if (*role == ChatMessage::Role::Assistant) {
            message.toolCalls = parseToolCalls(m.value(u"tool_calls"_s), field + u".tool_calls"_s, v);
            const QJsonObject legacy = m.value(u"function_call"_s).toObject();
            if (!legacy.isEmpty()) {
                message.toolCalls.append({QString(), legacy.value(u"name"_s).toString(),
                                          legacy.value(u"arguments"_s).toString()});
            }
        }
        if (*role == ChatMessage::Role::Tool)
            message.toolCallId = m.value(u"tool_call_id"_s).toString();
        request.messages.append(message);
    }
}

void parseStop(const QJsonObject &root, ChatRequest &request, Validator &v)
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
        v.fail(u"stop"_s, u"'stop' accepts at most 4 sequences."_s);
        return;
    }
    for (const QJsonValue &item : list) {
        if (!item.isString()) {
            v.wrongType(u"stop"_s, u"an array of strings"_s, item);
            return;
        }
        if (!item.toString().isEmpty())
            request.stop.append(item.toString());
    }
}

void parseThinking(const QJsonObject &root, ChatRequest &request, Validator &v)
{
    if (auto enable = optionalBool(root, u"enable_thinking"_s, v))
        request.enableThinking = enable;
    const QJsonValue thinking = root.value(u"thinking"_s);
    if (thinking.isObject()) {
        const QString type = thinking.toObject().value(u"type"_s).toString();
        if (type == u"enabled" || type == u"auto")
            request.enableThinking = true;
        else if (type == u"disabled")
            request.enableThinking = false;
    } else if (thinking.isBool()) {
        request.enableThinking = thinking.toBool();
    }
    const QJsonValue effort = root.value(u"reasoning_effort"_s);
    if (effort.isString()) {
        const QString e = effort.toString();
        request.enableThinking = !(e == u"none" || e == u"minimal");
    }
}

void parseTools(const QJsonObject &root, ChatRequest &request, Validator &v)
{
    const QJsonValue tools = root.value(u"tools"_s);
    if (isPresent(tools)) {
        if (!tools.isArray()) {
            v.wrongType(u"tools"_s, u"an array"_s, tools);
            return;
        }
        const QJsonArray list = tools.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonObject tool = list.at(i).toObject();
            if (tool.value(u"type"_s).toString(u"function"_s) != u"function")
                continue; // non-function tools (e.g. built-ins) cannot be emulated
            const QJsonObject function = tool.value(u"function"_s).toObject();
            if (function.value(u"name"_s).toString().isEmpty()) {
                v.fail(u"tools[%1].function.name"_s.arg(i), u"Each tool needs a function name."_s);
                return;
            }
            request.tools.append(function);
        }
    }
    const QJsonValue functions = root.value(u"functions"_s); // deprecated form
    if (functions.isArray() && request.tools.isEmpty()) {
        request.legacyFunctions = true;
        for (const QJsonValue &f : functions.toArray()) {
            if (!f.toObject().value(u"name"_s).toString().isEmpty())
                request.tools.append(f.toObject());
        }
    }
    request.toolChoice = root.value(u"tool_choice"_s);
    if (request.toolChoice.isUndefined() || request.toolChoice.isNull()) {
        const QJsonValue legacy = root.value(u"function_call"_s);
        if (legacy.isString())
            request.toolChoice = legacy;
        else if (legacy.isObject())
            request.toolChoice = QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, legacy}};
    }
    if (auto parallel = optionalBool(root, u"parallel_tool_calls"_s, v))
        request.parallelToolCalls = *parallel;
}

} // namespace

namespace {

// Both readers accept exactly the same documents (the fuzz target compares them). Qt's builds
// its objects faster, ours reads long strings faster: a small body, where the per-value cost
// is all there is, goes to Qt's first. A failure is read again by ours, for its message.
constexpr qsizetype kQtReaderMaxBytes = 4096;

std::optional<QJsonValue> readJson(const QByteArray &body, JsonReader::Error *error)
{
    if (body.size() <= kQtReaderMaxBytes) {
        QJsonParseError qtError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &qtError);
        if (qtError.error == QJsonParseError::NoError && doc.isObject())
            return QJsonValue(doc.object());
    }
    return JsonReader::parse(body, error);
}

} // namespace

std::optional<ChatRequest> ChatRequest::parse(const QByteArray &body, ApiError *error)
{
    JsonReader::Error parseError;
    const std::optional<QJsonValue> doc = readJson(body, &parseError);
    if (!doc) {
        *error = ApiError::invalidRequest(
            u"The request body is not valid JSON: %1 at offset %2."_s.arg(parseError.message)
                .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc->isObject()) {
        *error = ApiError::invalidRequest(u"The request body must be a JSON object."_s);
        return std::nullopt;
    }
    const QJsonObject root = doc->toObject();
    Validator v;
    ChatRequest request;

    const QJsonValue model = root.value(u"model"_s);
    if (!isPresent(model))
        v.fail(u"model"_s, u"Missing required parameter: 'model'."_s);
    else if (!model.isString() || model.toString().trimmed().isEmpty())
        v.wrongType(u"model"_s, u"a non-empty string"_s, model);
    request.model = model.toString().trimmed();

    parseMessages(root, request, v);

    if (auto stream = optionalBool(root, u"stream"_s, v))
        request.stream = *stream;
    const QJsonValue streamOptions = root.value(u"stream_options"_s);
    if (streamOptions.isObject())
        request.includeUsage = streamOptions.toObject().value(u"include_usage"_s).toBool();
    else if (isPresent(streamOptions))
        v.wrongType(u"stream_options"_s, u"an object"_s, streamOptions);

    if (auto n = optionalPositiveInt(root, u"n"_s, v); n && *n > 1)
        v.fail(u"n"_s, u"Only n=1 is supported: this server returns a single choice."_s);

    request.maxTokens = optionalPositiveInt(root, u"max_completion_tokens"_s, v);
    if (!request.maxTokens)
        request.maxTokens = optionalPositiveInt(root, u"max_tokens"_s, v);
    request.temperature = optionalNumber(root, u"temperature"_s, 0.0, 2.0, v);
    request.topP = optionalNumber(root, u"top_p"_s, 0.0, 1.0, v);
    parseStop(root, request, v);
    parseThinking(root, request, v);

    const QJsonValue search = root.value(u"web_search"_s);
    if (search.isBool())
        request.webSearch = search.toBool();
    else if (search.isObject() || root.value(u"web_search_options"_s).isObject())
        request.webSearch = true;

    const QJsonValue modalities = root.value(u"modalities"_s);
    if (modalities.isArray() && modalities.toArray().contains(u"audio"_s))
        v.fail(u"modalities"_s, u"Audio output is not supported by this server."_s);
    if (root.value(u"audio"_s).isObject())
        v.fail(u"audio"_s, u"Audio output is not supported by this server."_s);

    parseTools(root, request, v);

    const QJsonValue format = root.value(u"response_format"_s);
    if (format.isObject()) {
        const QString type = format.toObject().value(u"type"_s).toString();
        if (type != u"text" && type != u"json_object" && type != u"json_schema")
            v.fail(u"response_format.type"_s,
                   u"'response_format.type' must be 'text', 'json_object' or 'json_schema'."_s);
        request.responseFormat = format.toObject();
    } else if (isPresent(format)) {
        v.wrongType(u"response_format"_s, u"an object"_s, format);
    }

    if (v.failed()) {
        *error = v.error();
        return std::nullopt;
    }
    return request;
}
