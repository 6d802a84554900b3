// SPDX-License-Identifier: MIT
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "dialects/openai_chat/OpenAiError.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestChatCompletionsRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void minimal();
    void smallAndLargeBodiesReadAlike();
    void rejects_data();
    void rejects();
    void outOfRangeIntegersNamedInTheMessage();
    void accepts_data();
    void accepts();
    void toolConversation();
    void emptyArgumentsAreAnEmptyObject();
    void legacyFunctions();
    void customToolsSkipped();
    void clientShapes();
    void toolChoiceModes();
    void maxTokensPrecedence();
    void outputFormats();
    void multipartAndRoles();
    void options();
    void thinkingSwitches();
    void unknownFieldsAccepted();
};

void TestChatCompletionsRequest::minimal()
{
    ApiError error;
    auto r = ChatCompletionsRequest::parse(R"({"model":"GLM-4.7","messages":[{"role":"user","content":"hi"}]})"_ba,
                                &error);
    QVERIFY(r);
    QCOMPARE(r->conversation.model, u"GLM-4.7"_s);
    QCOMPARE(r->conversation.messages.size(), 1);
    QCOMPARE(r->conversation.lastUserText(), u"hi"_s);
    QVERIFY(!r->conversation.stream);
}

void TestChatCompletionsRequest::smallAndLargeBodiesReadAlike()
{
    // Bodies up to 4 KiB are read by Qt's reader, larger ones by ours: the same request padded
    // to either side of that line reads the same, and a broken one gets the same message.
    const QByteArray core = R"({"model":"GLM-4.5","stream":true,"temperature":0.5,"stop":["x"],)"
                            R"("messages":[{"role":"system","content":"be \"brief\" \u00e9"},)"
                            R"({"role":"user","content":[{"type":"text","text":"hi"}]}])";
    for (const qsizetype size : {qsizetype(4000), qsizetype(4096), qsizetype(4097), qsizetype(6000)}) {
        const QByteArray body = core + QByteArray(size - core.size() - 1, ' ') + '}';
        QCOMPARE(body.size(), size);
        ApiError error;
        const auto r = ChatCompletionsRequest::parse(body, &error);
        QVERIFY2(r, qPrintable(error.message()));
        QCOMPARE(r->conversation.model, u"GLM-4.5"_s);
        QVERIFY(r->conversation.stream);
        QCOMPARE(r->conversation.stop, QStringList{u"x"_s});
        QCOMPARE(r->conversation.messages.size(), 2);
        QCOMPARE(r->conversation.messages.first().text(), u"be \"brief\" \u00e9"_s);
        QCOMPARE(r->conversation.lastUserText(), u"hi"_s);

        QByteArray broken = body;
        broken[core.size() - 2] = ','; // "...}],}" : a value is missing
        ApiError brokenError;
        QVERIFY(!ChatCompletionsRequest::parse(broken, &brokenError));
        QVERIFY2(brokenError.message().startsWith(u"The request body is not valid JSON: "_s)
                     && brokenError.message().contains(u" at offset "_s),
                 qPrintable(brokenError.message()));
    }
}

namespace {

// {"model":"m","messages":[<messages>]<extra>}
QByteArray withMessages(const QByteArray &messages, const QByteArray &extra = {})
{
    return R"({"model":"m","messages":[)" + messages + "]" + extra + "}";
}

// One user message and <extra> top-level fields.
QByteArray withUser(const QByteArray &extra)
{
    return withMessages(R"({"role":"user","content":"x"})"_ba, "," + extra);
}

// A user message with the given content parts.
QByteArray userParts(const QByteArray &parts)
{
    return withMessages(R"({"role":"user","content":[)" + parts + "]}");
}

const QByteArray kUser = R"({"role":"user","content":"read a"})"_ba;
const QByteArray kCallC1 = R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}}]})"_ba;
const QByteArray kResultC1 = R"({"role":"tool","tool_call_id":"c1","content":"A"})"_ba;
const QByteArray kTool = R"("tools":[{"type":"function","function":{"name":"read_file","parameters":{"type":"object"}}}])"_ba;

// An assistant turn whose only tool call is <call>, then its answer.
QByteArray withCall(const QByteArray &call)
{
    return withMessages(kUser + R"(,{"role":"assistant","tool_calls":[)" + call + "]}," + kResultC1);
}

// An assistant turn with the deprecated function_call <call>, then its answer.
QByteArray withFunctionCall(const QByteArray &call)
{
    return withMessages(kUser + R"(,{"role":"assistant","function_call":)" + call
                        + R"(},{"role":"function","name":"read_file","content":"A"})");
}

QByteArray seventeenKeys()
{
    QByteArray pairs;
    for (int i = 0; i < 17; ++i)
        pairs += (i ? "," : "") + QByteArray("\"k") + QByteArray::number(i) + "\":\"v\"";
    return "{" + pairs + "}";
}

const QByteArray kToolConversation = R"({"model":"m",
    "tools":[{"type":"function","function":{"name":"read_file","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"list_dir"}}],
    "tool_choice":"required","parallel_tool_calls":false,
    "messages":[
    {"role":"user","content":"Read a and list ."},
    {"role":"assistant","content":null,"tool_calls":[
        {"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}},
        {"id":"c2","type":"function","function":{"name":"list_dir","arguments":"{\"path\":\".\"}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"A"},
    {"role":"tool","tool_call_id":"c2","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
    {"role":"assistant","content":"Read both."},
    {"role":"user","content":"Now c."},
    {"role":"assistant","content":"Reading c.","tool_calls":[
        {"id":"c3","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"c\"}"}}]},
    {"role":"tool","tool_call_id":"c3","content":"C"},
    {"role":"user","content":"Thanks."}]})"_ba;

const QByteArray kLegacyFunctions = R"({"model":"m",
    "functions":[{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}],
    "function_call":{"name":"get_weather"},
    "messages":[
    {"role":"user","content":"Weather in Paris?"},
    {"role":"assistant","content":null,"function_call":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
    {"role":"function","name":"get_weather","content":"sunny"},
    {"role":"user","content":"And tomorrow?"}]})"_ba;

const QByteArray kCustomTools = R"({"model":"m","messages":[{"role":"user","content":"x"}],
    "tools":[{"type":"custom","custom":{"name":"apply_patch","format":{"type":"grammar"}}},
             {"type":"function","function":{"name":"read_file"}}],"tool_choice":"auto"})"_ba;

// Roo Code 3.4x: native tools, strict schemas, max_completion_tokens, streaming with usage.
const QByteArray kRooCode = R"({"model":"GLM-4.7","temperature":0,"max_completion_tokens":16384,
    "stream":true,"stream_options":{"include_usage":true},
    "messages":[{"role":"system","content":"You are Roo."},
                {"role":"user","content":[{"type":"text","text":"<task>fix it</task>"},{"type":"text","text":"<environment_details>..</environment_details>"}]}],
    "tools":[{"type":"function","function":{"name":"read_file","description":"Read a file","strict":true,
               "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],"additionalProperties":false}}},
             {"type":"function","function":{"name":"attempt_completion","strict":true,
               "parameters":{"type":"object","properties":{"result":{"type":"string"}},"required":["result"],"additionalProperties":false}}}],
    "tool_choice":"auto","parallel_tool_calls":true})"_ba;

// Cline v3 with a GLM model: XML tools in its own prompt, no `tools`.
const QByteArray kCline = R"({"model":"GLM-4.7","stream":true,"stream_options":{"include_usage":true},
    "messages":[{"role":"system","content":"You are Cline."},
                {"role":"user","content":[{"type":"text","text":"<task>x</task>"}]}]})"_ba;

// The Vercel AI SDK's openai-compatible provider with generateObject.
const QByteArray kAiSdk = R"({"model":"GLM-4.7","max_tokens":1000,"temperature":0.3,"top_p":0.9,
    "stop":["END"],"reasoning_effort":"low","seed":7,
    "response_format":{"type":"json_schema","json_schema":{"name":"response","description":"a city","strict":true,
        "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false,
                  "$schema":"http://json-schema.org/draft-07/schema#"}}},
    "messages":[{"role":"user","content":"A city?"}]})"_ba;

} // namespace

void TestChatCompletionsRequest::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("code"); // empty: not checked
    const QString missing = u"missing_required_parameter"_s;
    const QString type = u"invalid_type"_s;
    const QString value = u"invalid_value"_s;
    const QString unsupported = u"unsupported_value"_s;
    const auto row = [](const char *name, const QByteArray &body, const QString &param,
                        const QString &code) { QTest::newRow(name) << body << param << code; };

    // The body and the required fields.
    row("not json", "{nope"_ba, QString(), QString());
    row("array", "[]"_ba, QString(), QString());
    row("no model", R"({"messages":[{"role":"user","content":"x"}]})"_ba, u"model"_s, missing);
    row("model number", R"({"model":3,"messages":[{"role":"user","content":"x"}]})"_ba, u"model"_s, type);
    row("model empty", R"({"model":" ","messages":[{"role":"user","content":"x"}]})"_ba, u"model"_s, type);
    row("no messages", R"({"model":"m"})"_ba, u"messages"_s, missing);
    row("messages object", R"({"model":"m","messages":{}})"_ba, u"messages"_s, type);
    row("empty messages", R"({"model":"m","messages":[]})"_ba, u"messages"_s, u"empty_array"_s);
    row("message a string", withMessages(R"("hi")"), u"messages[0]"_s, type);

    // Roles and names.
    row("unknown role", withMessages(R"({"role":"robot","content":"x"})"), u"messages[0].role"_s, value);
    row("role number", withMessages(R"({"role":1,"content":"x"})"), u"messages[0].role"_s, value);
    row("no role", withMessages(R"({"content":"x"})"), u"messages[0].role"_s, missing);
    row("name number", withMessages(R"({"role":"user","content":"x","name":5})"), u"messages[0].name"_s, type);
    row("function role without name",
        withMessages(kUser + R"(,{"role":"assistant","function_call":{"name":"read_file","arguments":"{}"}},{"role":"function","content":"A"})"),
        u"messages[2].name"_s, missing);
    row("system without content", withMessages(R"({"role":"system"})"), u"messages[0].content"_s, missing);
    row("user content null", withMessages(R"({"role":"user","content":null})"), u"messages[0].content"_s, missing);
    row("content number", withMessages(R"({"role":"user","content":5})"), u"messages[0].content"_s, type);

    // Content parts.
    row("part input_text", userParts(R"({"type":"input_text","text":"x"})"), u"messages[0].content[0].type"_s, value);
    row("part video", userParts(R"({"type":"video","video":{"url":"https://x/v.mp4"}})"), u"messages[0].content[0].type"_s, value);
    row("part type number", userParts(R"({"type":1,"text":"x"})"), u"messages[0].content[0].type"_s, value);
    row("part without type", userParts(R"({"text":"x"})"), u"messages[0].content[0].type"_s, missing);
    row("bare string in content array", userParts(R"({"type":"text","text":"a"},"b")"), u"messages[0].content[1]"_s, type);
    row("part without text", userParts(R"({"type":"text"})"), u"messages[0].content[0].text"_s, missing);
    row("part text number", userParts(R"({"type":"text","text":5})"), u"messages[0].content[0].text"_s, type);
    row("image_url a string", userParts(R"({"type":"image_url","image_url":"https://x/y.png"})"), u"messages[0].content[0].image_url"_s, type);
    row("image_url missing", userParts(R"({"type":"image_url"})"), u"messages[0].content[0].image_url"_s, missing);
    row("image_url without url", userParts(R"({"type":"image_url","image_url":{"detail":"low"}})"), u"messages[0].content[0].image_url.url"_s, missing);
    row("image_url url empty", userParts(R"({"type":"image_url","image_url":{"url":" "}})"), u"messages[0].content[0].image_url.url"_s, value);
    row("image_url url number", userParts(R"({"type":"image_url","image_url":{"url":7}})"), u"messages[0].content[0].image_url.url"_s, type);
    row("image_url bad detail", userParts(R"({"type":"image_url","image_url":{"url":"https://x/y.png","detail":"ultra"}})"), u"messages[0].content[0].image_url.detail"_s, value);
    row("file part", userParts(R"({"type":"file","file":{"file_id":"file-1"}})"), u"messages[0].content[0].type"_s, unsupported);
    row("input_audio part", userParts(R"({"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}})"), u"messages[0].content[0].type"_s, unsupported);
    row("refusal part in user", userParts(R"({"type":"refusal","refusal":"no"})"), u"messages[0].content[0].type"_s, value);
    const QByteArray image = R"([{"type":"image_url","image_url":{"url":"https://x/y.png"}}])"_ba;
    row("image in system", withMessages(R"({"role":"system","content":)" + image + "}," + kUser), u"messages[0].content[0].type"_s, value);
    row("image in developer", withMessages(R"({"role":"developer","content":)" + image + "}," + kUser), u"messages[0].content[0].type"_s, value);
    row("image in assistant", withMessages(kUser + R"(,{"role":"assistant","content":)" + image + "}"), u"messages[1].content[0].type"_s, value);
    row("image in tool", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"c1","content":)" + image + "}"), u"messages[2].content[0].type"_s, value);
    row("file part in tool", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"c1","content":[{"type":"file","file":{}}]})"), u"messages[2].content[0].type"_s, value);
    row("assistant refusal not a string", withMessages(kUser + R"(,{"role":"assistant","content":[{"type":"refusal"}]})"), u"messages[1].content[0].refusal"_s, type);

    // Tool messages and the order of tool turns.
    row("tool without tool_call_id", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","content":"A"})"), u"messages[2].tool_call_id"_s, missing);
    row("tool_call_id empty", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"","content":"A"})"), u"messages[2].tool_call_id"_s, type);
    row("tool without content", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"c1"})"), u"messages[2].content"_s, missing);
    row("tool with no call before", withMessages(kUser + "," + kResultC1), u"messages[1].tool_call_id"_s, value);
    row("tool first", withMessages(kResultC1), u"messages[0].tool_call_id"_s, value);
    row("tool answering an id not called", withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"c2","content":"B"})"), u"messages[2].tool_call_id"_s, value);
    row("user between call and result", withMessages(kUser + "," + kCallC1 + "," + kUser + "," + kResultC1), u"messages[1].role"_s, value);
    row("result answered twice", withMessages(kUser + "," + kCallC1 + "," + kResultC1 + "," + kResultC1), u"messages[3].tool_call_id"_s, value);
    row("result after the assistant went on", withMessages(kUser + "," + kCallC1 + "," + kResultC1 + R"(,{"role":"assistant","content":"ok"},)" + kResultC1), u"messages[4].tool_call_id"_s, value);
    row("call unanswered at the end", withMessages(kUser + "," + kCallC1), u"messages[1].role"_s, value);
    row("one of two calls unanswered",
        withMessages(kUser + R"(,{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{}"}},{"id":"c2","type":"function","function":{"name":"read_file","arguments":"{}"}}]},)" + kResultC1 + "," + kUser),
        u"messages[1].role"_s, value);
    row("call followed by an assistant", withMessages(kUser + "," + kCallC1 + R"(,{"role":"assistant","content":"x"})"), u"messages[1].role"_s, value);

    // Assistant tool calls.
    const QString call0 = u"messages[1].tool_calls[0]"_s;
    row("arguments not JSON", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":"}})"), call0 + u".function.arguments"_s, value);
    row("arguments a JSON array", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":"[1,2]"}})"), call0 + u".function.arguments"_s, value);
    row("arguments a JSON number", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":"42"}})"), call0 + u".function.arguments"_s, value);
    row("arguments an object", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":{"path":"a"}}})"), call0 + u".function.arguments"_s, type);
    row("arguments missing", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file"}})"), call0 + u".function.arguments"_s, missing);
    row("call without id", withCall(R"({"type":"function","function":{"name":"read_file","arguments":"{}"}})"), call0 + u".id"_s, missing);
    row("call id number", withCall(R"({"id":1,"type":"function","function":{"name":"read_file","arguments":"{}"}})"), call0 + u".id"_s, type);
    row("call without type", withCall(R"({"id":"c1","function":{"name":"read_file","arguments":"{}"}})"), call0 + u".type"_s, missing);
    row("call type custom", withCall(R"({"id":"c1","type":"custom","function":{"name":"read_file","arguments":"{}"}})"), call0 + u".type"_s, value);
    row("call without function", withCall(R"({"id":"c1","type":"function"})"), call0 + u".function"_s, missing);
    row("call function a string", withCall(R"({"id":"c1","type":"function","function":"read_file"})"), call0 + u".function"_s, type);
    row("call without function.name", withCall(R"({"id":"c1","type":"function","function":{"arguments":"{}"}})"), call0 + u".function.name"_s, missing);
    row("call function.name empty", withCall(R"({"id":"c1","type":"function","function":{"name":"","arguments":"{}"}})"), call0 + u".function.name"_s, type);
    row("tool_calls an object", withMessages(kUser + R"(,{"role":"assistant","tool_calls":{}})"), u"messages[1].tool_calls"_s, type);
    row("tool_calls entry a string", withMessages(kUser + R"(,{"role":"assistant","tool_calls":["c1"]})"), call0, type);
    row("assistant without content and tool_calls", withMessages(kUser + R"(,{"role":"assistant"})"), u"messages[1].content"_s, missing);
    row("assistant content null without tool_calls", withMessages(kUser + R"(,{"role":"assistant","content":null,"tool_calls":null})"), u"messages[1].content"_s, missing);
    row("assistant empty tool_calls and no content", withMessages(kUser + R"(,{"role":"assistant","tool_calls":[]})"), u"messages[1].content"_s, missing);
    row("function_call without name", withFunctionCall(R"({"arguments":"{}"})"), u"messages[1].function_call.name"_s, missing);
    row("function_call a string", withFunctionCall(R"("read_file")"), u"messages[1].function_call"_s, type);
    row("function_call arguments an object", withFunctionCall(R"({"name":"read_file","arguments":{}})"), u"messages[1].function_call.arguments"_s, type);
    row("function_call arguments not JSON", withFunctionCall(R"({"name":"read_file","arguments":"path=a"})"), u"messages[1].function_call.arguments"_s, value);

    // tools, functions, tool_choice, function_call.
    row("tools an object", withUser(R"("tools":{})"), u"tools"_s, type);
    row("tools entry a string", withUser(R"("tools":["read_file"])"), u"tools[0]"_s, type);
    row("tool without type", withUser(R"("tools":[{"function":{"name":"f"}}])"), u"tools[0].type"_s, missing);
    row("tool type unknown", withUser(R"("tools":[{"type":"web_search","function":{"name":"f"}}])"), u"tools[0].type"_s, value);
    row("tool without function", withUser(R"("tools":[{"type":"function"}])"), u"tools[0].function"_s, missing);
    row("tool function a string", withUser(R"("tools":[{"type":"function","function":"f"}])"), u"tools[0].function"_s, type);
    row("tool without name", withUser(R"("tools":[{"type":"function","function":{"parameters":{}}}])"), u"tools[0].function.name"_s, missing);
    row("tool name with a space", withUser(R"("tools":[{"type":"function","function":{"name":"read file"}}])"), u"tools[0].function.name"_s, value);
    row("tool name too long", withUser(R"("tools":[{"type":"function","function":{"name":")" + QByteArray(129, 'a') + R"("}}])"), u"tools[0].function.name"_s, value);
    row("tool name a number", withUser(R"("tools":[{"type":"function","function":{"name":3}}])"), u"tools[0].function.name"_s, value);
    row("tool parameters a string", withUser(R"("tools":[{"type":"function","function":{"name":"f","parameters":"{}"}}])"), u"tools[0].function.parameters"_s, type);
    row("tool parameters an array", withUser(R"("tools":[{"type":"function","function":{"name":"f","parameters":[]}}])"), u"tools[0].function.parameters"_s, type);
    row("tool description a number", withUser(R"("tools":[{"type":"function","function":{"name":"f","description":1}}])"), u"tools[0].function.description"_s, type);
    row("tool strict a string", withUser(R"("tools":[{"type":"function","function":{"name":"f","strict":"yes"}}])"), u"tools[0].function.strict"_s, type);
    row("second tool bad", withUser(kTool.chopped(1) + R"(,{"type":"function","function":{"name":"a/b"}}])"), u"tools[1].function.name"_s, value);
    row("functions an object", withUser(R"("functions":{"name":"f"})"), u"functions"_s, type);
    row("functions bad entry", withUser(R"("functions":[{"name":"f"},{"description":"no name"}])"), u"functions[1].name"_s, missing);
    row("functions entry a string", withUser(R"("functions":["f"])"), u"functions[0]"_s, type);
    row("functions bad beside tools", withUser(kTool + R"(,"functions":[{"name":"bad name"}])"), u"functions[0].name"_s, value);
    row("tool_choice names no tool", withUser(kTool + R"(,"tool_choice":{"type":"function","function":{"name":"write_file"}})"), u"tool_choice"_s, value);
    row("tool_choice named without tools", withUser(R"("tool_choice":{"type":"function","function":{"name":"read_file"}})"), u"tool_choice"_s, value);
    row("tool_choice named only custom tools", withUser(R"("tools":[{"type":"custom","custom":{"name":"g"}}],"tool_choice":{"type":"function","function":{"name":"g"}})"), u"tool_choice"_s, value);
    row("tool_choice required without tools", withUser(R"("tool_choice":"required")"), u"tool_choice"_s, value);
    row("tool_choice bad string", withUser(kTool + R"(,"tool_choice":"always")"), u"tool_choice"_s, value);
    row("tool_choice a number", withUser(kTool + R"(,"tool_choice":1)"), u"tool_choice"_s, type);
    row("tool_choice object of another type", withUser(kTool + R"(,"tool_choice":{"type":"allowed_tools","allowed_tools":{}})"), u"tool_choice.type"_s, value);
    row("tool_choice function without name", withUser(kTool + R"(,"tool_choice":{"type":"function","function":{}})"), u"tool_choice.function.name"_s, missing);
    row("function_call names no function", withUser(R"("functions":[{"name":"f"}],"function_call":{"name":"g"})"), u"function_call"_s, value);
    row("function_call without name", withUser(R"("functions":[{"name":"f"}],"function_call":{})"), u"function_call.name"_s, missing);
    row("function_call bad string", withUser(R"("functions":[{"name":"f"}],"function_call":"sometimes")"), u"function_call"_s, value);
    row("parallel_tool_calls a string", withUser(kTool + R"(,"parallel_tool_calls":"true")"), u"parallel_tool_calls"_s, type);

    // response_format.
    row("response_format a string", withUser(R"("response_format":"json")"), u"response_format"_s, type);
    row("response_format without type", withUser(R"("response_format":{})"), u"response_format.type"_s, missing);
    row("response_format type unknown", withUser(R"("response_format":{"type":"yaml"})"), u"response_format.type"_s, value);
    row("json_schema missing", withUser(R"("response_format":{"type":"json_schema"})"), u"response_format.json_schema"_s, missing);
    row("json_schema a string", withUser(R"("response_format":{"type":"json_schema","json_schema":"{}"})"), u"response_format.json_schema"_s, type);
    row("json_schema without name", withUser(R"("response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}})"), u"response_format.json_schema.name"_s, missing);
    row("json_schema bad name", withUser(R"("response_format":{"type":"json_schema","json_schema":{"name":"my schema","schema":{}}})"), u"response_format.json_schema.name"_s, value);
    row("json_schema schema a string", withUser(R"("response_format":{"type":"json_schema","json_schema":{"name":"r","schema":"{}"}})"), u"response_format.json_schema.schema"_s, type);

    // Thinking and web search.
    row("reasoning_effort unknown", withUser(R"("reasoning_effort":"extreme")"), u"reasoning_effort"_s, value);
    row("reasoning_effort a number", withUser(R"("reasoning_effort":1)"), u"reasoning_effort"_s, value);
    row("thinking.type unknown", withUser(R"("thinking":{"type":"sometimes"})"), u"thinking.type"_s, value);
    row("thinking without type", withUser(R"("thinking":{})"), u"thinking.type"_s, value);
    row("thinking a string", withUser(R"("thinking":"on")"), u"thinking"_s, type);
    row("enable_thinking a string", withUser(R"("enable_thinking":"true")"), u"enable_thinking"_s, type);
    row("web_search a string", withUser(R"("web_search":"yes")"), u"web_search"_s, type);
    row("web_search_options a boolean", withUser(R"("web_search_options":true)"), u"web_search_options"_s, type);

    // Streaming.
    row("stream a string", withUser(R"("stream":"yes")"), u"stream"_s, type);
    row("stream_options without stream", withUser(R"("stream_options":{"include_usage":true})"), u"stream_options"_s, value);
    row("stream_options with stream false", withUser(R"("stream":false,"stream_options":{"include_usage":true})"), u"stream_options"_s, value);
    row("stream_options a boolean", withUser(R"("stream":true,"stream_options":true)"), u"stream_options"_s, type);
    row("include_usage a string", withUser(R"("stream":true,"stream_options":{"include_usage":"yes"})"), u"stream_options.include_usage"_s, type);

    // Numbers.
    row("n=0", withUser(R"("n":0)"), u"n"_s, value);
    row("n=2", withUser(R"("n":2)"), u"n"_s, unsupported);
    row("n=129", withUser(R"("n":129)"), u"n"_s, value);
    row("n=1.5", withUser(R"("n":1.5)"), u"n"_s, type);
    row("n=1e300", withUser(R"("n":1e300)"), u"n"_s, value);
    row("max_tokens 0", withUser(R"("max_tokens":0)"), u"max_tokens"_s, value);
    row("max_tokens -1", withUser(R"("max_tokens":-1)"), u"max_tokens"_s, value);
    row("max_tokens 1.5", withUser(R"("max_tokens":1.5)"), u"max_tokens"_s, type);
    row("max_tokens a string", withUser(R"("max_tokens":"100")"), u"max_tokens"_s, type);
    row("max_tokens 1e30", withUser(R"("max_tokens":1e30)"), u"max_tokens"_s, value);
    row("max_completion_tokens 0", withUser(R"("max_completion_tokens":0)"), u"max_completion_tokens"_s, value);
    row("max_completion_tokens bad beside max_tokens", withUser(R"("max_tokens":10,"max_completion_tokens":"a")"), u"max_completion_tokens"_s, type);
    row("temperature 2.5", withUser(R"("temperature":2.5)"), u"temperature"_s, value);
    row("temperature 7", withUser(R"("temperature":7)"), u"temperature"_s, value);
    row("temperature -0.1", withUser(R"("temperature":-0.1)"), u"temperature"_s, value);
    row("temperature a string", withUser(R"("temperature":"0.5")"), u"temperature"_s, type);
    row("top_p 1.5", withUser(R"("top_p":1.5)"), u"top_p"_s, value);
    row("top_p -0.5", withUser(R"("top_p":-0.5)"), u"top_p"_s, value);
    row("presence_penalty 2.5", withUser(R"("presence_penalty":2.5)"), u"presence_penalty"_s, value);
    row("presence_penalty -3", withUser(R"("presence_penalty":-3)"), u"presence_penalty"_s, value);
    row("frequency_penalty 3", withUser(R"("frequency_penalty":3)"), u"frequency_penalty"_s, value);
    row("frequency_penalty a string", withUser(R"("frequency_penalty":"0")"), u"frequency_penalty"_s, type);
    row("seed 1.5", withUser(R"("seed":1.5)"), u"seed"_s, type);
    row("seed a string", withUser(R"("seed":"42")"), u"seed"_s, type);
    row("seed 1e19", withUser(R"("seed":1e19)"), u"seed"_s, value);
    row("logprobs a string", withUser(R"("logprobs":"true")"), u"logprobs"_s, type);
    row("top_logprobs without logprobs", withUser(R"("top_logprobs":5)"), u"top_logprobs"_s, value);
    row("top_logprobs with logprobs false", withUser(R"("logprobs":false,"top_logprobs":0)"), u"top_logprobs"_s, value);
    row("top_logprobs 21", withUser(R"("logprobs":true,"top_logprobs":21)"), u"top_logprobs"_s, value);

    // Fields that are checked, then ignored.
    row("metadata non-string value", withUser(R"("metadata":{"a":"b","n":1})"), u"metadata.n"_s, type);
    row("metadata 17 keys", withUser(R"("metadata":)" + seventeenKeys()), u"metadata"_s, value);
    row("metadata an array", withUser(R"("metadata":[])"), u"metadata"_s, type);
    row("user a number", withUser(R"("user":42)"), u"user"_s, type);
    row("user an object", withUser(R"("user":{"id":"u"})"), u"user"_s, type);
    row("logit_bias an array", withUser(R"("logit_bias":[1])"), u"logit_bias"_s, type);
    row("store a string", withUser(R"("store":"no")"), u"store"_s, type);
    row("service_tier a number", withUser(R"("service_tier":1)"), u"service_tier"_s, type);
    row("prompt_cache_key a number", withUser(R"("prompt_cache_key":1)"), u"prompt_cache_key"_s, type);
    row("safety_identifier an object", withUser(R"("safety_identifier":{})"), u"safety_identifier"_s, type);
    row("verbosity a number", withUser(R"("verbosity":1)"), u"verbosity"_s, type);
    row("prediction a string", withUser(R"("prediction":"x")"), u"prediction"_s, type);

    // Audio and stop.
    row("modalities with audio", withUser(R"("modalities":["text","audio"])"), u"modalities"_s, unsupported);
    row("modalities unknown value", withUser(R"("modalities":["text","image"])"), u"modalities[1]"_s, value);
    row("modalities a string", withUser(R"("modalities":"text")"), u"modalities"_s, type);
    row("audio object", withUser(R"("audio":{"voice":"alloy","format":"mp3"})"), u"audio"_s, unsupported);
    row("stop five", withUser(R"("stop":["a","b","c","d","e"])"), u"stop"_s, u"array_above_max_length"_s);
    row("stop non-string entry", withUser(R"("stop":["a",1])"), u"stop[1]"_s, type);
    row("stop a number", withUser(R"("stop":1)"), u"stop"_s, type);
}

void TestChatCompletionsRequest::rejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    QFETCH(QString, code);
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(body, &error);
    QVERIFY2(!r, "accepted");
    QCOMPARE(error.status(), 400);
    QCOMPARE(OpenAiError::type(error), u"invalid_request_error"_s);
    QVERIFY2(error.param() == param, qPrintable(error.param() + u": "_s + error.message()));
    if (!code.isEmpty())
        QVERIFY2(error.code() == code, qPrintable(error.code() + u": "_s + error.message()));
    QVERIFY(!error.message().isEmpty());
}

void TestChatCompletionsRequest::outOfRangeIntegersNamedInTheMessage()
{
    // A number beyond qint64 is reported as it was sent (never converted to an integer).
    ApiError error;
    QVERIFY(!ChatCompletionsRequest::parse(withUser(R"("max_tokens":1e30)"), &error));
    QVERIFY2(error.message().contains(u"1e+30"_s), qPrintable(error.message()));
    QVERIFY(!ChatCompletionsRequest::parse(withUser(R"("max_tokens":0)"), &error));
    QVERIFY2(error.message().contains(u" 0 is not between 1 and "_s), qPrintable(error.message()));
}

// Bodies the parser must accept, as clients send them.
void TestChatCompletionsRequest::accepts_data()
{
    QTest::addColumn<QByteArray>("body");
    const auto row = [](const char *name, const QByteArray &body) { QTest::newRow(name) << body; };
    row("multi-round tool conversation", kToolConversation);
    row("results in another order",
        withMessages(kUser + R"(,{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{}"}},{"id":"c2","type":"function","function":{"name":"read_file","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c2","content":"B"},)" + kResultC1));
    row("tool results as text parts",
        withMessages(kUser + "," + kCallC1 + R"(,{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"A"}]})"));
    row("a conversation ending in a tool result", withMessages(kUser + "," + kCallC1 + "," + kResultC1, "," + kTool));
    row("empty arguments", withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":""}})"));
    row("deprecated functions round trip", kLegacyFunctions);
    row("custom tools", kCustomTools);
    row("Roo Code", kRooCode);
    row("Cline", kCline);
    row("Vercel AI SDK", kAiSdk);
    row("assistant content null with tool_calls", withMessages(kUser + "," + kCallC1 + "," + kResultC1));
    row("assistant empty content", withMessages(kUser + R"(,{"role":"assistant","content":""},)" + kUser));
    row("assistant refusal part", withMessages(kUser + R"(,{"role":"assistant","content":[{"type":"refusal","refusal":"no"}]},)" + kUser));
    row("image detail and null detail", userParts(R"({"type":"image_url","image_url":{"url":"https://x/y.png","detail":"high"}},{"type":"image_url","image_url":{"url":"https://x/z.png","detail":null}})"));
    row("system and developer text parts", withMessages(R"({"role":"system","content":[{"type":"text","text":"a"}]},{"role":"developer","content":"b"},)" + kUser));
    row("user name", withMessages(R"({"role":"user","content":"x","name":"alice"})"));
    row("unknown vendor fields",
        withUser(R"("x_vendor":{"a":1},"top_k":40,"repetition_penalty":1.1,"chat_template_kwargs":{"enable_thinking":false},"cache_control":{"type":"ephemeral"},"extra_body":{})"));
    row("unknown message and part fields",
        withMessages(R"({"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}],"cache_control":{}})"));
    row("ignored fields with valid values",
        withUser(R"("logprobs":true,"top_logprobs":5,"seed":42,"logit_bias":{"50256":-100},"user":"u","metadata":{"a":"b"},"store":false,"service_tier":"auto","prompt_cache_key":"k","verbosity":"low","prediction":{"type":"content","content":"x"},"safety_identifier":"s","presence_penalty":-2,"frequency_penalty":2)"));
    row("top_logprobs 0 with logprobs", withUser(R"("logprobs":true,"top_logprobs":0)"));
    row("negative seed", withUser(R"("seed":-1)"));
    row("metadata 16 keys", withUser(R"("metadata":)" + seventeenKeys().replace(R"(,"k16":"v")", "")));
    row("every optional field null",
        withUser(R"("stream":null,"stream_options":null,"n":null,"max_tokens":null,"max_completion_tokens":null,"temperature":null,"top_p":null,"stop":null,"tools":null,"tool_choice":null,"parallel_tool_calls":null,"functions":null,"function_call":null,"response_format":null,"reasoning_effort":null,"thinking":null,"enable_thinking":null,"web_search":null,"web_search_options":null,"modalities":null,"audio":null,"logprobs":null,"top_logprobs":null,"seed":null,"presence_penalty":null,"frequency_penalty":null,"logit_bias":null,"user":null,"metadata":null,"store":null,"service_tier":null,"prompt_cache_key":null,"safety_identifier":null,"verbosity":null,"prediction":null)"));
    row("n=1 and edges", withUser(R"("n":1,"temperature":2,"top_p":0,"max_tokens":1)"));
    row("modalities text", withUser(R"("modalities":["text"])"));
    row("stop four", withUser(R"("stop":["a","b","c","d"])"));
    row("tool_choice none without tools", withUser(R"("tool_choice":"none")"));
    row("response_format text and json_object", withUser(R"("response_format":{"type":"json_object"})"));
}

void TestChatCompletionsRequest::accepts()
{
    QFETCH(QByteArray, body);
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(body, &error);
    QVERIFY2(r, qPrintable(error.param() + u": "_s + error.message()));
}

void TestChatCompletionsRequest::toolConversation()
{
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(kToolConversation, &error);
    QVERIFY2(r, qPrintable(error.message()));
    const QList<Message> &m = r->conversation.messages;
    QCOMPARE(m.size(), 9);
    QCOMPARE(m.at(1).role, Message::Role::Assistant);
    QVERIFY(m.at(1).parts.isEmpty());
    QCOMPARE(m.at(1).toolCalls.size(), 2);
    QCOMPARE(m.at(1).toolCalls.at(0).id, u"c1"_s);
    QCOMPARE(m.at(1).toolCalls.at(0).name, u"read_file"_s);
    QCOMPARE(m.at(1).toolCalls.at(0).arguments, uR"({"path":"a"})"_s);
    QCOMPARE(m.at(1).toolCalls.at(1).id, u"c2"_s);
    QCOMPARE(m.at(1).toolCalls.at(1).name, u"list_dir"_s);
    QCOMPARE(m.at(1).toolCalls.at(1).arguments, uR"({"path":"."})"_s);
    QCOMPARE(m.at(2).role, Message::Role::Tool);
    QCOMPARE(m.at(2).toolCallId, u"c1"_s);
    QCOMPARE(m.at(2).text(), u"A"_s);
    QCOMPARE(m.at(3).toolCallId, u"c2"_s);
    QCOMPARE(m.at(3).text(), u"a\nb"_s);
    QCOMPARE(m.at(4).role, Message::Role::Assistant);
    QCOMPARE(m.at(4).text(), u"Read both."_s);
    QVERIFY(m.at(4).toolCalls.isEmpty());
    QCOMPARE(m.at(5).role, Message::Role::User);
    QCOMPARE(m.at(6).text(), u"Reading c."_s);
    QCOMPARE(m.at(6).toolCalls.size(), 1);
    QCOMPARE(m.at(6).toolCalls.at(0).id, u"c3"_s);
    QCOMPARE(m.at(7).toolCallId, u"c3"_s);
    QCOMPARE(r->conversation.lastUserText(), u"Thanks."_s);
    QCOMPARE(r->conversation.tools.size(), 2);
    QCOMPARE(r->conversation.toolChoice.mode, ToolChoice::Mode::Required);
    QVERIFY(!r->conversation.parallelToolCalls);
    QVERIFY(!r->legacyFunctions);
}

void TestChatCompletionsRequest::emptyArgumentsAreAnEmptyObject()
{
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(
        withCall(R"({"id":"c1","type":"function","function":{"name":"read_file","arguments":" "}})"), &error);
    QVERIFY2(r, qPrintable(error.message()));
    QCOMPARE(r->conversation.messages.at(1).toolCalls.at(0).arguments, u"{}"_s);
    const auto legacy = ChatCompletionsRequest::parse(withFunctionCall(R"({"name":"read_file","arguments":""})"), &error);
    QVERIFY2(legacy, qPrintable(error.message()));
    QCOMPARE(legacy->conversation.messages.at(1).toolCalls.at(0).arguments, u"{}"_s);
}

void TestChatCompletionsRequest::legacyFunctions()
{
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(kLegacyFunctions, &error);
    QVERIFY2(r, qPrintable(error.message()));
    QVERIFY(r->legacyFunctions);
    QCOMPARE(r->conversation.tools.size(), 1);
    QCOMPARE(r->conversation.tools.at(0).toObject().value(u"name"_s).toString(), u"get_weather"_s);
    QCOMPARE(r->conversation.toolChoice.mode, ToolChoice::Mode::Named);
    QCOMPARE(r->conversation.toolChoice.name, u"get_weather"_s);
    const QList<Message> &m = r->conversation.messages;
    QCOMPARE(m.size(), 4);
    QCOMPARE(m.at(1).toolCalls.size(), 1);
    QVERIFY(m.at(1).toolCalls.at(0).id.isEmpty());
    QCOMPARE(m.at(1).toolCalls.at(0).name, u"get_weather"_s);
    QCOMPARE(m.at(1).toolCalls.at(0).arguments, uR"({"city":"Paris"})"_s);
    QCOMPARE(m.at(2).role, Message::Role::Tool);
    QCOMPARE(m.at(2).name, u"get_weather"_s);
    QVERIFY(m.at(2).toolCallId.isEmpty());
    QCOMPARE(m.at(2).text(), u"sunny"_s);

    // functions beside tools: the tools win, the answer is not in the deprecated form
    const auto both = ChatCompletionsRequest::parse(withUser(kTool + R"(,"functions":[{"name":"get_weather"}])"), &error);
    QVERIFY2(both, qPrintable(error.message()));
    QVERIFY(!both->legacyFunctions);
    QCOMPARE(both->conversation.tools.size(), 1);
    QCOMPARE(both->conversation.tools.at(0).toObject().value(u"name"_s).toString(), u"read_file"_s);
}

void TestChatCompletionsRequest::customToolsSkipped()
{
    ApiError error;
    const auto r = ChatCompletionsRequest::parse(kCustomTools, &error);
    QVERIFY2(r, qPrintable(error.message()));
    QCOMPARE(r->conversation.tools.size(), 1);
    QCOMPARE(r->conversation.tools.at(0).toObject().value(u"name"_s).toString(), u"read_file"_s);
}

void TestChatCompletionsRequest::clientShapes()
{
    ApiError error;
    const auto roo = ChatCompletionsRequest::parse(kRooCode, &error);
    QVERIFY2(roo, qPrintable(error.message()));
    QVERIFY(roo->conversation.stream);
    QVERIFY(roo->includeUsage);
    QCOMPARE(roo->conversation.maxTokens, 16384);
    QCOMPARE(roo->conversation.temperature, 0.0);
    QCOMPARE(roo->conversation.toolChoice.mode, ToolChoice::Mode::Auto);
    QVERIFY(roo->conversation.parallelToolCalls);
    QCOMPARE(roo->conversation.tools.size(), 2);
    const QJsonObject readFile = roo->conversation.tools.at(0).toObject();
    QCOMPARE(readFile.value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(readFile.value(u"parameters"_s).toObject().value(u"required"_s).toArray().size(), 1);

    const auto cline = ChatCompletionsRequest::parse(kCline, &error);
    QVERIFY2(cline, qPrintable(error.message()));
    QVERIFY(cline->conversation.stream);
    QVERIFY(cline->includeUsage);
    QVERIFY(cline->conversation.tools.isEmpty());
    QCOMPARE(cline->conversation.messages.size(), 2);
    QVERIFY(!cline->conversation.temperature);

    const auto sdk = ChatCompletionsRequest::parse(kAiSdk, &error);
    QVERIFY2(sdk, qPrintable(error.message()));
    QVERIFY(!sdk->conversation.stream);
    QCOMPARE(sdk->conversation.outputFormat.type, OutputFormat::Type::JsonSchema);
    QCOMPARE(sdk->conversation.outputFormat.schema.value(u"type"_s).toString(), u"object"_s);
    QVERIFY(sdk->conversation.outputFormat.schema.value(u"properties"_s).toObject().contains(u"city"_s));
    QCOMPARE(sdk->conversation.enableThinking, true); // reasoning_effort "low"
    QCOMPARE(sdk->conversation.maxTokens, 1000);
    QCOMPARE(sdk->conversation.stop, QStringList{u"END"_s});
    QCOMPARE(sdk->conversation.topP, 0.9);
}

void TestChatCompletionsRequest::toolChoiceModes()
{
    ApiError error;
    const auto choice = [&](const QByteArray &extra) {
        const auto r = ChatCompletionsRequest::parse(withUser(kTool + extra), &error);
        return r ? r->conversation.toolChoice : ToolChoice{ToolChoice::Mode::Named, u"<refused>"_s};
    };
    QCOMPARE(choice(""_ba).mode, ToolChoice::Mode::Auto);
    QCOMPARE(choice(R"(,"tool_choice":"none")"_ba).mode, ToolChoice::Mode::None);
    QCOMPARE(choice(R"(,"tool_choice":"auto")"_ba).mode, ToolChoice::Mode::Auto);
    QCOMPARE(choice(R"(,"tool_choice":"required")"_ba).mode, ToolChoice::Mode::Required);
    const ToolChoice named = choice(R"(,"tool_choice":{"type":"function","function":{"name":"read_file"}})"_ba);
    QCOMPARE(named.mode, ToolChoice::Mode::Named);
    QCOMPARE(named.name, u"read_file"_s);
    // tool_choice wins over the deprecated function_call
    QCOMPARE(choice(R"(,"tool_choice":"none","function_call":"auto")"_ba).mode, ToolChoice::Mode::None);
}

void TestChatCompletionsRequest::maxTokensPrecedence()
{
    ApiError error;
    const auto max = [&](const QByteArray &extra) {
        return ChatCompletionsRequest::parse(withUser(extra), &error)->conversation.maxTokens;
    };
    QCOMPARE(max(R"("max_tokens":10)"_ba), 10);
    QCOMPARE(max(R"("max_completion_tokens":50)"_ba), 50);
    QCOMPARE(max(R"("max_tokens":10,"max_completion_tokens":50)"_ba), 50);
    QCOMPARE(max(R"("max_completion_tokens":50,"max_tokens":10)"_ba), 50);
    QVERIFY(!max(R"("stream":false)"_ba));
}

void TestChatCompletionsRequest::outputFormats()
{
    ApiError error;
    const auto format = [&](const QByteArray &extra) {
        return ChatCompletionsRequest::parse(withUser(extra), &error)->conversation.outputFormat;
    };
    QCOMPARE(format(R"("response_format":{"type":"text"})"_ba).type, OutputFormat::Type::Text);
    QCOMPARE(format(R"("response_format":{"type":"json_object"})"_ba).type, OutputFormat::Type::JsonObject);
    const OutputFormat noSchema = format(R"("response_format":{"type":"json_schema","json_schema":{"name":"r"}})"_ba);
    QCOMPARE(noSchema.type, OutputFormat::Type::JsonSchema);
    QVERIFY(noSchema.schema.isEmpty());
}

void TestChatCompletionsRequest::multipartAndRoles()
{
    ApiError error;
    auto r = ChatCompletionsRequest::parse(R"({"model":"m","messages":[
        {"role":"developer","content":"Be brief."},
        {"role":"user","content":[{"type":"text","text":"one"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"text","text":"two"}]}]})"_ba,
                                &error);
    QVERIFY2(r, qPrintable(error.message()));
    QCOMPARE(r->conversation.messages.at(0).role, Message::Role::System);
    QCOMPARE(r->conversation.messages.at(1).text(), u"one\ntwo"_s);
    QVERIFY(r->conversation.messages.at(1).hasImages());
    QCOMPARE(r->conversation.messages.at(1).parts.at(1).imageUrl, u"https://x/y.png"_s);
}

void TestChatCompletionsRequest::options()
{
    ApiError error;
    auto r = ChatCompletionsRequest::parse(R"({"model":" GLM-4.7 ","stream":true,"stream_options":{"include_usage":true},
        "max_completion_tokens":50,"max_tokens":10,"stop":"END","temperature":0.2,"top_p":0.9,
        "messages":[{"role":"user","content":"x"}]})"_ba,
                                &error);
    QVERIFY(r);
    QCOMPARE(r->conversation.model, u"GLM-4.7"_s);
    QVERIFY(r->conversation.stream);
    QVERIFY(r->includeUsage);
    QCOMPARE(*r->conversation.maxTokens, 50);
    QCOMPARE(r->conversation.stop, QStringList{u"END"_s});
    QCOMPARE(*r->conversation.temperature, 0.2);
}

void TestChatCompletionsRequest::thinkingSwitches()
{
    ApiError error;
    const auto parse = [&](const QByteArray &extra) {
        return ChatCompletionsRequest::parse(R"({"model":"m","messages":[{"role":"user","content":"x"}])" + extra + "}", &error);
    };
    QVERIFY(!parse(""_ba)->conversation.enableThinking);
    QCOMPARE(parse(R"(,"enable_thinking":true)"_ba)->conversation.enableThinking, true);
    QCOMPARE(parse(R"(,"thinking":{"type":"disabled"})"_ba)->conversation.enableThinking, false);
    QCOMPARE(parse(R"(,"thinking":{"type":"enabled"})"_ba)->conversation.enableThinking, true);
    QCOMPARE(parse(R"(,"reasoning_effort":"none")"_ba)->conversation.enableThinking, false);
    QCOMPARE(parse(R"(,"reasoning_effort":"minimal")"_ba)->conversation.enableThinking, false);
    QCOMPARE(parse(R"(,"reasoning_effort":"high")"_ba)->conversation.enableThinking, true);
    QCOMPARE(parse(R"(,"web_search":true)"_ba)->conversation.webSearch, true);
    QCOMPARE(parse(R"(,"web_search_options":{})"_ba)->conversation.webSearch, true);
}

void TestChatCompletionsRequest::unknownFieldsAccepted()
{
    ApiError error;
    QVERIFY(ChatCompletionsRequest::parse(R"({"model":"m","messages":[{"role":"user","content":"x","cache_control":{}}],
        "logprobs":true,"seed":1,"user":"u","metadata":{},"store":false,"service_tier":"auto",
        "prompt_cache_key":"k","verbosity":"low","frequency_penalty":0,"x_vendor":{"a":1}})"_ba,
                               &error));
}

QTEST_GUILESS_MAIN(TestChatCompletionsRequest)
#include "testChatCompletionsRequest.moc"
