// SPDX-License-Identifier: MIT
#include "ToolPrompt.h"

#include "util/RandomId.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString xmlEscape(QString text)
{
    return text.replace(u'&', u"&amp;"_s).replace(u'<', u"&lt;"_s).replace(u'>', u"&gt;"_s);
}

// CDATA cannot contain "]]>": split it the standard way.
QString cdata(const QString &text)
{
    QString safe = text;
    safe.replace(u"]]>"_s, u"]]]]><![CDATA[>"_s);
    return u"<![CDATA["_s + safe + u"]]>"_s;
}

} // namespace

QString ToolPrompt::newTrigger()
{
    return u"<Function_"_s + randomAlphanumeric(4) + u"_Start/>"_s;
}

QString ToolPrompt::newCallId()
{
    return u"call_"_s + randomAlphanumeric(24);
}

QStringList ToolPrompt::toolNames(const Conversation &request)
{
    QStringList names;
    for (const QJsonValue &tool : request.tools)
        names.append(tool.toObject().value(u"name"_s).toString());
    return names;
}

bool ToolPrompt::active(const Conversation &request)
{
    return !request.tools.isEmpty() && request.toolChoice.mode != ToolChoice::Mode::None;
}

QString ToolPrompt::forcedTool(const Conversation &request)
{
    return request.toolChoice.mode == ToolChoice::Mode::Named ? request.toolChoice.name : QString();
}

bool ToolPrompt::required(const Conversation &request)
{
    return active(request)
           && (request.toolChoice.mode == ToolChoice::Mode::Required
               || request.toolChoice.mode == ToolChoice::Mode::Named);
}

QString ToolPrompt::instructions(const Conversation &request, const QString &trigger)
{
    if (!active(request))
        return {};
    QString out = u"# Tools\n\nYou can call the tools listed below.\n"_s;
    const QString forced = forcedTool(request);
    if (!forced.isEmpty())
        out += u"In this answer you must call the tool \"%1\".\n"_s.arg(forced);
    else if (request.toolChoice.mode == ToolChoice::Mode::Required)
        out += u"In this answer you must call at least one tool.\n"_s;
    else
        out += u"Call a tool when it helps to complete the task; otherwise answer normally.\n"_s;
    out += u"\n<tools>\n"_s;
    for (const QJsonValue &value : request.tools) {
        const QJsonObject tool = value.toObject();
        const QJsonObject parameters = tool.value(u"parameters"_s).toObject();
        out += u"<tool name=\"%1\"><description>%2</description><parameters>%3</parameters></tool>\n"_s
                   .arg(xmlEscape(tool.value(u"name"_s).toString()),
                        xmlEscape(tool.value(u"description"_s).toString()),
                        QString::fromUtf8(QJsonDocument(parameters).toJson(QJsonDocument::Compact)));
    }
    out += u"</tools>\n\n"_s;
    out += u"To call tools, write the line %1 on its own, then exactly one <function_calls> block, "
           u"and nothing after the block:\n\n%1\n<function_calls>\n<function_call>\n<tool>TOOL_NAME</tool>\n"
           u"<args_json><![CDATA[{\"argument\": \"value\"}]]></args_json>\n</function_call>\n"
           u"</function_calls>\n\nRules:\n"
           u"- args_json holds one JSON object that matches the tool's parameters schema.\n"_s.arg(trigger);
    out += request.parallelToolCalls
               ? u"- Several <function_call> elements may follow each other in the one block.\n"_s
               : u"- Call at most one tool per answer.\n"_s;
    out += u"- Text you want the user to see goes before the %1 line.\n"
           u"- Results come back in a later user message as <tool_result tool=\"NAME\" "
           u"call_id=\"ID\">OUTPUT</tool_result>.\n"
           u"- Write %1 only to call a tool, never in any other text.\n"_s.arg(trigger);
    return out;
}

QString ToolPrompt::responseFormatInstructions(const Conversation &request)
{
    const OutputFormat::Type type = request.outputFormat.type;
    if (type == OutputFormat::Type::JsonObject)
        return u"# Output format\n\nAnswer with one valid JSON object and nothing else: no code "
               u"fences, no explanations before or after it."_s;
    if (type == OutputFormat::Type::JsonSchema) {
        const QJsonObject &schema = request.outputFormat.schema;
        return u"# Output format\n\nAnswer with one valid JSON value that matches this JSON "
               u"schema, and nothing else: no code fences, no explanations.\n\n"_s
               + QString::fromUtf8(QJsonDocument(schema).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString ToolPrompt::renderCalls(const QList<ToolCall> &calls, const QString &trigger)
{
    if (calls.isEmpty())
        return {};
    QString out = trigger + u"\n<function_calls>\n"_s;
    for (const ToolCall &call : calls) {
        out += u"<function_call>\n<tool>%1</tool>\n<args_json>%2</args_json>\n</function_call>\n"_s
                   .arg(call.name, cdata(call.arguments.isEmpty() ? u"{}"_s : call.arguments));
    }
    out += u"</function_calls>"_s;
    return out;
}

QString ToolPrompt::renderResult(const QString &toolName, const QString &callId,
                                 const QString &output)
{
    return u"<tool_result tool=\"%1\" call_id=\"%2\">%3</tool_result>"_s.arg(toolName, callId,
                                                                            output);
}
