// SPDX-License-Identifier: MIT
#include "dialects/openai_responses/ResponsesRequest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

// ResponsesRequest: a Responses request body into the neutral conversation, refused the way
// OpenAI refuses it.
class TestResponsesRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codexRequest();
    void inputAsString();
    void itemsIntoTurns();
    void toolOutputWithImage();
    void toolChoiceModes_data();
    void toolChoiceModes();
    void reasoningAndText();
    void echoDefaults();
    void refused_data();
    void refused();
    void hostileInputNeverCrashes();
};

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/openai_responses/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray body(const QJsonObject &extra, const QJsonValue &input = u"Hi"_s)
{
    QJsonObject o{{u"model"_s, u"GLM-4.7"_s}, {u"input"_s, input}};
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (it.value().isNull()) // null: leave the field out
            o.remove(it.key());
        else
            o.insert(it.key(), it.value());
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonArray array(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

ResponsesRequest parsed(const QByteArray &request)
{
    ApiError error;
    std::optional<ResponsesRequest> r = ResponsesRequest::parse(request, &error);
    if (!r)
        qWarning("refused: %s (%s)", qPrintable(error.message()), qPrintable(error.param()));
    return r.value_or(ResponsesRequest());
}

const QJsonArray FunctionTool = array(
    R"([{"type":"function","name":"shell","description":"Run a command","strict":false,
        "parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}},
        "required":["command"]}}])");

} // namespace

void TestResponsesRequest::codexRequest()
{
    // The body Codex CLI 0.171 sent for its second request of a turn: developer messages (its
    // instructions), the environment and the task as user messages, then its first answer, the
    // function call in it and the call's output. Paths and ids replaced.
    const ResponsesRequest r = parsed(fixture(u"codex-request.json"_s));
    const Conversation &c = r.conversation;
    QCOMPARE(c.model, u"GLM-4.7"_s);
    QVERIFY(c.stream);
    QCOMPARE(c.messages.size(), 6);
    QCOMPARE(c.messages.at(0).role, Message::Role::System);
    QVERIFY(c.messages.at(0).text().startsWith(u"You are a coding agent running in the Codex CLI"_s));
    QCOMPARE(c.messages.at(1).role, Message::Role::System);
    QCOMPARE(c.messages.at(2).role, Message::Role::User);
    QVERIFY(c.messages.at(2).text().contains(u"<environment_context>"_s));
    QCOMPARE(c.lastUserText(), u"Say hello"_s);
    const Message &call = c.messages.at(4);
    QCOMPARE(call.role, Message::Role::Assistant);
    QCOMPARE(call.text().trimmed(), u"I will use exec_command."_s); // its words and call: one turn
    QCOMPARE(call.toolCalls.size(), 1);
    QCOMPARE(call.toolCalls.first().name, u"exec_command"_s);
    QCOMPARE(c.messages.at(5).role, Message::Role::Tool);
    QCOMPARE(c.messages.at(5).toolCallId, call.toolCalls.first().id);
    QCOMPARE(c.messages.at(5).name, u"exec_command"_s);
    // Its function tools are offered; the namespace and web_search tools are not.
    QCOMPARE(c.tools.size(), 7);
    QVERIFY(c.hasTool(u"exec_command"_s));
    QVERIFY(!c.hasTool(u"multi_agent_v1"_s));
    QCOMPARE(c.toolChoice.mode, ToolChoice::Mode::Auto);
    QVERIFY(c.parallelToolCalls);
    QCOMPARE(c.enableThinking, std::nullopt); // a summary, no effort: the model's default
    QCOMPARE(r.echo.value(u"store"_s).toBool(true), false);
    QCOMPARE(r.echo.value(u"tools"_s).toArray().size(), 9); // echoed as sent
}

void TestResponsesRequest::inputAsString()
{
    const ResponsesRequest r = parsed(body({{u"instructions"_s, u"Be brief."_s}}));
    QCOMPARE(r.conversation.messages.size(), 2);
    QCOMPARE(r.conversation.messages.at(0).role, Message::Role::System);
    QCOMPARE(r.conversation.messages.at(0).text(), u"Be brief."_s);
    QCOMPARE(r.conversation.messages.at(1).role, Message::Role::User);
    QCOMPARE(r.conversation.messages.at(1).text(), u"Hi"_s);
    QCOMPARE(r.conversation.lastUserText(), u"Hi"_s);
}

void TestResponsesRequest::itemsIntoTurns()
{
    // An assistant's text and its calls make one turn; the outputs follow as tool turns; the
    // reasoning item is accepted and left out; developer messages are system text.
    const QJsonArray input = array(R"([
        {"role":"developer","content":"rules"},
        {"type":"message","role":"user","content":[{"type":"input_text","text":"list files"}]},
        {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"hm"}],"encrypted_content":null},
        {"type":"message","role":"assistant","id":"msg_1","status":"completed",
         "content":[{"type":"output_text","text":"Sure.","annotations":[]}]},
        {"type":"function_call","id":"fc_1","call_id":"call_a","name":"shell","arguments":"{\"command\":[\"ls\"]}"},
        {"type":"function_call","call_id":"call_b","name":"shell","arguments":""},
        {"type":"function_call_output","call_id":"call_b","output":"b out"},
        {"type":"function_call_output","call_id":"call_a","output":[{"type":"input_text","text":"a out"}]},
        {"role":"user","content":"thanks"}])");
    const ResponsesRequest r = parsed(body({{u"tools"_s, FunctionTool}}, input));
    const QList<Message> &m = r.conversation.messages;
    QCOMPARE(m.size(), 6);
    QCOMPARE(m.at(0).role, Message::Role::System);
    QCOMPARE(m.at(0).text(), u"rules"_s);
    QCOMPARE(m.at(1).text(), u"list files"_s);
    QCOMPARE(m.at(2).role, Message::Role::Assistant);
    QCOMPARE(m.at(2).text(), u"Sure."_s);
    QCOMPARE(m.at(2).toolCalls.size(), 2);
    QCOMPARE(m.at(2).toolCalls.at(0).id, u"call_a"_s);
    QCOMPARE(m.at(2).toolCalls.at(1).arguments, u"{}"_s); // no arguments: an empty object
    QCOMPARE(m.at(3).role, Message::Role::Tool);
    QCOMPARE(m.at(3).toolCallId, u"call_b"_s);
    QCOMPARE(m.at(3).text(), u"b out"_s);
    QCOMPARE(m.at(4).toolCallId, u"call_a"_s);
    QCOMPARE(m.at(4).name, u"shell"_s);
    QCOMPARE(m.at(5).text(), u"thanks"_s);
}

void TestResponsesRequest::toolOutputWithImage()
{
    const QJsonArray input = array(R"([
        {"role":"user","content":"look"},
        {"type":"function_call","call_id":"call_s","name":"screenshot","arguments":"{}"},
        {"type":"function_call_output","call_id":"call_s","output":[
            {"type":"input_text","text":"here"},
            {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]}])");
    const ResponsesRequest r = parsed(body({}, input));
    const QList<Message> &m = r.conversation.messages;
    QCOMPARE(m.size(), 4);
    QCOMPARE(m.at(2).role, Message::Role::Tool);
    QCOMPARE(m.at(2).text(), u"here"_s);
    QVERIFY(!m.at(2).hasImages());
    QCOMPARE(m.at(3).role, Message::Role::User); // the tool's image, as the user's
    QVERIFY(m.at(3).hasImages());
}

void TestResponsesRequest::toolChoiceModes_data()
{
    QTest::addColumn<QJsonValue>("choice");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("name");
    QTest::newRow("auto") << QJsonValue(u"auto"_s) << int(ToolChoice::Mode::Auto) << QString();
    QTest::newRow("none") << QJsonValue(u"none"_s) << int(ToolChoice::Mode::None) << QString();
    QTest::newRow("required") << QJsonValue(u"required"_s) << int(ToolChoice::Mode::Required) << QString();
    QTest::newRow("function") << QJsonValue(object(R"({"type":"function","name":"shell"})"))
                              << int(ToolChoice::Mode::Named) << u"shell"_s;
    QTest::newRow("allowed_tools")
        << QJsonValue(object(R"({"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"shell"}]})"))
        << int(ToolChoice::Mode::Required) << QString();
}

void TestResponsesRequest::toolChoiceModes()
{
    QFETCH(QJsonValue, choice);
    QFETCH(int, mode);
    QFETCH(QString, name);
    const ResponsesRequest r = parsed(body({{u"tools"_s, FunctionTool}, {u"tool_choice"_s, choice}}));
    QCOMPARE(int(r.conversation.toolChoice.mode), mode);
    QCOMPARE(r.conversation.toolChoice.name, name);
    QCOMPARE(r.echo.value(u"tool_choice"_s), choice);
}

void TestResponsesRequest::reasoningAndText()
{
    ResponsesRequest r = parsed(body({{u"reasoning"_s, object(R"({"effort":"minimal","summary":"detailed"})")},
                                      {u"text"_s, object(R"({"format":{"type":"json_object"},"verbosity":"low"})")},
                                      {u"max_output_tokens"_s, 500},
                                      {u"temperature"_s, 0.5}}));
    QCOMPARE(r.conversation.enableThinking, std::optional<bool>(false));
    QCOMPARE(r.conversation.outputFormat.type, OutputFormat::Type::JsonObject);
    QCOMPARE(r.conversation.maxTokens, std::optional<qint64>(500));
    QCOMPARE(r.conversation.temperature, std::optional<double>(0.5));
    QCOMPARE(r.echo.value(u"reasoning"_s).toObject().value(u"summary"_s).toString(), u"detailed"_s);
    QCOMPARE(r.echo.value(u"text"_s).toObject().value(u"verbosity"_s).toString(), u"low"_s);
    r = parsed(body({{u"text"_s, object(R"({"format":{"type":"json_schema","name":"out","schema":{"type":"object"}}})")}}));
    QCOMPARE(r.conversation.outputFormat.type, OutputFormat::Type::JsonSchema);
    QCOMPARE(r.conversation.outputFormat.schema, object(R"({"type":"object"})"));
}

void TestResponsesRequest::echoDefaults()
{
    const ResponsesRequest r = parsed(body({}));
    QVERIFY(r.echo.value(u"instructions"_s).isNull());
    QVERIFY(r.echo.value(u"max_output_tokens"_s).isNull());
    QCOMPARE(r.echo.value(u"tool_choice"_s).toString(), u"auto"_s);
    QCOMPARE(r.echo.value(u"tools"_s).toArray(), QJsonArray());
    QCOMPARE(r.echo.value(u"parallel_tool_calls"_s).toBool(), true);
    QCOMPARE(r.echo.value(u"store"_s).toBool(), true);
    QCOMPARE(r.echo.value(u"temperature"_s).toDouble(), 1.0);
    QCOMPARE(r.echo.value(u"top_p"_s).toDouble(), 1.0);
    QCOMPARE(r.echo.value(u"truncation"_s).toString(), u"disabled"_s);
    QCOMPARE(r.echo.value(u"text"_s).toObject().value(u"format"_s).toObject().value(u"type"_s).toString(), u"text"_s);
    QVERIFY(r.echo.value(u"reasoning"_s).toObject().value(u"effort"_s).isNull());
    QCOMPARE(r.echo.value(u"metadata"_s).toObject(), QJsonObject());
}

void TestResponsesRequest::refused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("param");
    const QJsonValue gone(QJsonValue::Null);
    QTest::newRow("no model") << body({{u"model"_s, gone}}) << u"model"_s;
    QTest::newRow("no input") << body({{u"input"_s, gone}}) << u"input"_s;
    QTest::newRow("empty input") << body({}, QJsonArray()) << u"input"_s;
    QTest::newRow("input number") << body({}, 5) << u"input"_s;
    QTest::newRow("item not object") << body({}, array(R"(["x"])")) << u"input[0]"_s;
    QTest::newRow("unknown item type") << body({}, array(R"([{"type":"computer_call"}])")) << u"input[0].type"_s;
    QTest::newRow("bad role") << body({}, array(R"([{"role":"tool","content":"x"}])")) << u"input[0].role"_s;
    QTest::newRow("no content") << body({}, array(R"([{"role":"user"}])")) << u"input[0].content"_s;
    QTest::newRow("bad part") << body({}, array(R"([{"role":"user","content":[{"type":"image_url"}]}])"))
                              << u"input[0].content[0].type"_s;
    QTest::newRow("text not string") << body({}, array(R"([{"role":"user","content":[{"type":"input_text","text":1}]}])"))
                                     << u"input[0].content[0].text"_s;
    QTest::newRow("assistant image")
        << body({}, array(R"([{"role":"assistant","content":[{"type":"input_image","image_url":"http://x/y.png"}]}])"))
        << u"input[0].content[0].type"_s;
    QTest::newRow("image detail")
        << body({}, array(R"([{"role":"user","content":[{"type":"input_image","image_url":"http://x/y.png","detail":"max"}]}])"))
        << u"input[0].content[0].detail"_s;
    QTest::newRow("input_file") << body({}, array(R"([{"role":"user","content":[{"type":"input_file","file_data":"x"}]}])"))
                                << u"input[0].content[0].type"_s;
    QTest::newRow("call without call_id") << body({}, array(R"([{"type":"function_call","name":"a","arguments":"{}"}])"))
                                          << u"input[0].call_id"_s;
    QTest::newRow("call bad name") << body({}, array(R"([{"type":"function_call","call_id":"c","name":"a b","arguments":"{}"}])"))
                                   << u"input[0].name"_s;
    QTest::newRow("call arguments object")
        << body({}, array(R"([{"type":"function_call","call_id":"c","name":"a","arguments":{}}])")) << u"input[0].arguments"_s;
    QTest::newRow("call arguments not JSON")
        << body({}, array(R"([{"type":"function_call","call_id":"c","name":"a","arguments":"{x"}])")) << u"input[0].arguments"_s;
    QTest::newRow("call twice")
        << body({}, array(R"([{"type":"function_call","call_id":"c","name":"a","arguments":"{}"},
                              {"type":"function_call_output","call_id":"c","output":"x"},
                              {"type":"function_call","call_id":"c","name":"a","arguments":"{}"}])"))
        << u"input[2].call_id"_s;
    QTest::newRow("output without call")
        << body({}, array(R"([{"type":"function_call_output","call_id":"c","output":"x"}])")) << u"input[0].call_id"_s;
    QTest::newRow("output without output")
        << body({}, array(R"([{"type":"function_call","call_id":"c","name":"a","arguments":"{}"},
                              {"type":"function_call_output","call_id":"c"}])"))
        << u"input[1].output"_s;
    QTest::newRow("call without output")
        << body({}, array(R"([{"role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"a","arguments":"{}"}])"))
        << u"input"_s;
    QTest::newRow("item_reference") << body({}, array(R"([{"type":"item_reference","id":"msg_1"}])")) << u"input[0].id"_s;
    QTest::newRow("previous_response_id") << body({{u"previous_response_id"_s, u"resp_1"_s}}) << u"previous_response_id"_s;
    QTest::newRow("conversation") << body({{u"conversation"_s, u"conv_1"_s}}) << u"conversation"_s;
    QTest::newRow("prompt") << body({{u"prompt"_s, object(R"({"id":"pmpt_1"})")}}) << u"prompt"_s;
    QTest::newRow("background") << body({{u"background"_s, true}}) << u"background"_s;
    QTest::newRow("instructions number") << body({{u"instructions"_s, 3}}) << u"instructions"_s;
    QTest::newRow("tools object") << body({{u"tools"_s, object("{}")}}) << u"tools"_s;
    QTest::newRow("tool without type") << body({{u"tools"_s, array(R"([{"name":"a"}])")}}) << u"tools[0].type"_s;
    QTest::newRow("tool nested function")
        << body({{u"tools"_s, array(R"([{"type":"function","function":{"name":"a"}}])")}}) << u"tools[0].name"_s;
    QTest::newRow("tool twice")
        << body({{u"tools"_s, array(R"([{"type":"function","name":"a"},{"type":"function","name":"a"}])")}})
        << u"tools[1].name"_s;
    QTest::newRow("tool parameters string")
        << body({{u"tools"_s, array(R"([{"type":"function","name":"a","parameters":"{}"}])")}}) << u"tools[0].parameters"_s;
    QTest::newRow("tool_choice word") << body({{u"tool_choice"_s, u"any"_s}}) << u"tool_choice"_s;
    QTest::newRow("tool_choice required without tools") << body({{u"tool_choice"_s, u"required"_s}}) << u"tool_choice"_s;
    QTest::newRow("tool_choice hosted")
        << body({{u"tools"_s, FunctionTool}, {u"tool_choice"_s, object(R"({"type":"file_search"})")}}) << u"tool_choice.type"_s;
    QTest::newRow("tool_choice unknown function")
        << body({{u"tools"_s, FunctionTool}, {u"tool_choice"_s, object(R"({"type":"function","name":"b"})")}})
        << u"tool_choice.name"_s;
    QTest::newRow("allowed_tools mode")
        << body({{u"tools"_s, FunctionTool}, {u"tool_choice"_s, object(R"({"type":"allowed_tools","mode":"any","tools":[]})")}})
        << u"tool_choice.mode"_s;
    QTest::newRow("parallel_tool_calls") << body({{u"parallel_tool_calls"_s, u"no"_s}}) << u"parallel_tool_calls"_s;
    QTest::newRow("reasoning string") << body({{u"reasoning"_s, u"high"_s}}) << u"reasoning"_s;
    QTest::newRow("reasoning effort") << body({{u"reasoning"_s, object(R"({"effort":"max"})")}}) << u"reasoning.effort"_s;
    QTest::newRow("reasoning summary") << body({{u"reasoning"_s, object(R"({"summary":"long"})")}}) << u"reasoning.summary"_s;
    QTest::newRow("max_output_tokens small") << body({{u"max_output_tokens"_s, 15}}) << u"max_output_tokens"_s;
    QTest::newRow("max_output_tokens text") << body({{u"max_output_tokens"_s, u"9"_s}}) << u"max_output_tokens"_s;
    QTest::newRow("temperature") << body({{u"temperature"_s, 2.5}}) << u"temperature"_s;
    QTest::newRow("top_p") << body({{u"top_p"_s, -1}}) << u"top_p"_s;
    QTest::newRow("text string") << body({{u"text"_s, u"json"_s}}) << u"text"_s;
    QTest::newRow("text format type") << body({{u"text"_s, object(R"({"format":{"type":"xml"}})")}}) << u"text.format.type"_s;
    QTest::newRow("json_schema without name")
        << body({{u"text"_s, object(R"({"format":{"type":"json_schema","schema":{}}})")}}) << u"text.format.name"_s;
    QTest::newRow("json_schema without schema")
        << body({{u"text"_s, object(R"({"format":{"type":"json_schema","name":"x"}})")}}) << u"text.format.schema"_s;
    QTest::newRow("verbosity") << body({{u"text"_s, object(R"({"verbosity":"loud"})")}}) << u"text.verbosity"_s;
    QTest::newRow("store") << body({{u"store"_s, u"no"_s}}) << u"store"_s;
    QTest::newRow("include") << body({{u"include"_s, u"reasoning"_s}}) << u"include"_s;
    QTest::newRow("include item") << body({{u"include"_s, array("[1]")}}) << u"include[0]"_s;
    QTest::newRow("truncation") << body({{u"truncation"_s, u"left"_s}}) << u"truncation"_s;
    QTest::newRow("stream") << body({{u"stream"_s, u"yes"_s}}) << u"stream"_s;
    QTest::newRow("stream_options without stream") << body({{u"stream_options"_s, object("{}")}}) << u"stream_options"_s;
    QTest::newRow("metadata") << body({{u"metadata"_s, object(R"({"a":1})")}}) << u"metadata.a"_s;
}

void TestResponsesRequest::refused()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, param);
    ApiError error;
    QVERIFY(!ResponsesRequest::parse(request, &error));
    QCOMPARE(error.kind(), ApiError::Kind::InvalidRequest);
    QCOMPARE(error.param(), param);
    QVERIFY(!error.message().isEmpty());
}

void TestResponsesRequest::hostileInputNeverCrashes()
{
    const QList<QByteArray> bodies{
        {}, "null", "[]", "\"x\"", "{", "{\"input\":{}}", "{\"model\":\"m\",\"input\":[1,2]}",
        R"({"model":"m","input":[null,{"type":null}]})",
        R"({"model":"m","input":[{"type":"message","role":null,"content":[]}]})",
        R"({"model":"m","input":[{"role":"user","content":[null,{"type":null},{"type":"input_image"}]}]})",
        R"({"model":"m","input":[{"type":"function_call","call_id":7,"name":[],"arguments":null}]})",
        R"({"model":"m","input":[{"type":"function_call_output","call_id":null,"output":{}}]})",
        R"({"model":"m","input":"x","tools":[null],"tool_choice":[]})",
        R"({"model":"m","input":"x","tools":[{"type":7}],"tool_choice":{"type":null}})",
        R"({"model":"m","input":"x","max_output_tokens":1e300})",
        R"({"model":"m","input":"x","reasoning":{"effort":null,"summary":7}})",
        R"({"model":"m","input":"x","text":{"format":{"type":"json_schema","name":null,"schema":[]}}})",
        R"({"model":"m","input":"x","tool_choice":{"type":"allowed_tools","mode":"auto","tools":{}}})",
    };
    for (const QByteArray &b : bodies) {
        ApiError error;
        QVERIFY2(!ResponsesRequest::parse(b, &error), b.constData());
        QCOMPARE(error.status(), 400);
    }
}

QTEST_GUILESS_MAIN(TestResponsesRequest)
#include "testResponsesRequest.moc"
