// SPDX-License-Identifier: MIT
#include "conversation/Conversation.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "conversation/ToolPrompt.h"
#include "zai/ZaiRequestBuilder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestToolPrompt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trigger();
    void instructionsFollowToolChoice();
    void historyRendering();
    void systemMessageCreatedWhenMissing();
    void legacyFunctions();

private:
    static Conversation parse(const QByteArray &json)
    {
        ApiError error;
        auto r = ChatCompletionsRequest::parse(json, &error);
        Q_ASSERT_X(r, "parse", qPrintable(error.message()));
        return r->conversation;
    }
    static constexpr const char *kTools =
        R"("tools":[{"type":"function","function":{"name":"read_file","description":"Read <a> file","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}},
                    {"type":"function","function":{"name":"run","parameters":{"type":"object"}}}])";
};

void TestToolPrompt::trigger()
{
    static const QRegularExpression shape(u"^<Function_[A-Za-z0-9]{4}_Start/>$"_s);
    QVERIFY(shape.match(ToolPrompt::newTrigger()).hasMatch());
    QVERIFY(ToolPrompt::newTrigger() != ToolPrompt::newTrigger() || ToolPrompt::newTrigger() != ToolPrompt::newTrigger());
}

void TestToolPrompt::instructionsFollowToolChoice()
{
    const QString trigger = u"<Function_Ab1c_Start/>"_s;
    Conversation r = parse(QByteArray(R"({"model":"m","messages":[{"role":"user","content":"x"}],)") + kTools + "}");
    QString text = ToolPrompt::instructions(r, trigger);
    QVERIFY(text.contains(u"<tools>"_s));
    QVERIFY(text.contains(u"<tool name=\"read_file\"><description>Read &lt;a&gt; file</description><parameters>{\"properties\":{\"path\":{\"type\":\"string\"}},\"type\":\"object\"}</parameters></tool>"_s));
    QVERIFY(text.contains(trigger));
    QVERIFY(text.contains(u"when it helps"_s));
    QVERIFY(text.contains(u"Several <function_call>"_s));

    r = parse(QByteArray(R"({"model":"m","tool_choice":"required","parallel_tool_calls":false,"messages":[{"role":"user","content":"x"}],)") + kTools + "}");
    text = ToolPrompt::instructions(r, trigger);
    QVERIFY(text.contains(u"must call at least one tool"_s));
    QVERIFY(text.contains(u"at most one tool"_s));
    QVERIFY(ToolPrompt::required(r));

    r = parse(QByteArray(R"({"model":"m","tool_choice":{"type":"function","function":{"name":"run"}},"messages":[{"role":"user","content":"x"}],)") + kTools + "}");
    QVERIFY(ToolPrompt::instructions(r, trigger).contains(u"must call the tool \"run\""_s));
    QCOMPARE(ToolPrompt::forcedTool(r), u"run"_s);

    r = parse(QByteArray(R"({"model":"m","tool_choice":"none","messages":[{"role":"user","content":"x"}],)") + kTools + "}");
    QVERIFY(ToolPrompt::instructions(r, trigger).isEmpty());
    QVERIFY(!ToolPrompt::active(r));
}

void TestToolPrompt::historyRendering()
{
    Conversation r = parse(QByteArray(R"({"model":"m","messages":[
        {"role":"system","content":"You are a coder."},
        {"role":"user","content":"read two files"},
        {"role":"assistant","content":"Reading.","tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}},
            {"id":"call_b","type":"function","function":{"name":"read_file","arguments":""}}]},
        {"role":"tool","tool_call_id":"call_a","content":"AAA"},
        {"role":"tool","tool_call_id":"call_b","content":"BBB"},
        {"role":"user","content":"thanks"}],)") + kTools + "}");
    r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r);
    QCOMPARE(out.size(), 5);
    const QString system = out.at(0).toObject().value(u"content"_s).toString();
    QVERIFY(system.startsWith(u"You are a coder.\n\n# Tools"_s));
    QCOMPARE(out.at(2).toObject().value(u"content"_s).toString(),
             u"Reading.\n<Function_Q1w2_Start/>\n<function_calls>\n<function_call>\n<tool>read_file</tool>\n"
             u"<args_json><![CDATA[{\"path\":\"a\"}]]></args_json>\n</function_call>\n<function_call>\n"
             u"<tool>read_file</tool>\n<args_json><![CDATA[{}]]></args_json>\n</function_call>\n</function_calls>"_s);
    QCOMPARE(out.at(3).toObject().value(u"role"_s).toString(), u"user"_s);
    QCOMPARE(out.at(3).toObject().value(u"content"_s).toString(),
             u"<tool_result tool=\"read_file\" call_id=\"call_a\">AAA</tool_result>\n"
             u"<tool_result tool=\"read_file\" call_id=\"call_b\">BBB</tool_result>"_s);
    // The signature still covers the client's last user message.
    QCOMPARE(r.lastUserText(), u"thanks"_s);
}

void TestToolPrompt::systemMessageCreatedWhenMissing()
{
    Conversation r = parse(QByteArray(R"({"model":"m","messages":[{"role":"user","content":"hi"}],)") + kTools + "}");
    r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
    QVERIFY(out.at(0).toObject().value(u"content"_s).toString().startsWith(u"# Tools"_s));
}

void TestToolPrompt::legacyFunctions()
{
    ApiError error;
    const auto parsed = ChatCompletionsRequest::parse(R"({"model":"m","messages":[{"role":"user","content":"x"}],
        "functions":[{"name":"lookup","parameters":{"type":"object"}}],"function_call":{"name":"lookup"}})", &error);
    QVERIFY(parsed && parsed->legacyFunctions);
    const Conversation &r = parsed->conversation;
    QCOMPARE(ToolPrompt::toolNames(r), QStringList{u"lookup"_s});
    QCOMPARE(ToolPrompt::forcedTool(r), u"lookup"_s);
}

QTEST_GUILESS_MAIN(TestToolPrompt)
#include "testToolPrompt.moc"
