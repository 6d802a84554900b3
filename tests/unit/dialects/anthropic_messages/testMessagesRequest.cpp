// SPDX-License-Identifier: MIT
#include "dialects/anthropic_messages/MessagesRequest.h"

#include "conversation/TokenEstimator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMessagesRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void claudeCodeRequest();
    void systemAsString();
    void systemMessagesAmongTheTurns();
    void imagesBase64AndUrl();
    void toolResultForms();
    void toolChoiceModes_data();
    void toolChoiceModes();
    void thinkingModes_data();
    void thinkingModes();
    void stopSequencesAndLimits();
    void countTokensNeedsNoMaxTokens();
    void webSearchServerTool();
    void refused_data();
    void refused();
    void hostileInputNeverCrashes();
};

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/anthropic/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray body(const QJsonObject &extra, const QJsonArray &messages = {})
{
    QJsonObject o{{u"model"_s, u"GLM-4.7"_s},
                  {u"max_tokens"_s, 1024},
                  {u"messages"_s,
                   messages.isEmpty()
                       ? QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}
                       : messages}};
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

} // namespace

void TestMessagesRequest::claudeCodeRequest()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(fixture(u"claude-code-request.json"_s), &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    const Conversation &c = parsed->conversation;
    QCOMPARE(c.model, u"claude-sonnet-4-5-20250929"_s);
    QCOMPARE(c.maxTokens, 32000);
    QVERIFY(c.stream);
    QVERIFY(!c.enableThinking.has_value()); // adaptive: the model's own setting
    QCOMPARE(c.temperature, 1.0);
    // system, user, assistant (text + call), tool result, user text
    QCOMPARE(c.messages.size(), 5);
    QCOMPARE(c.messages.at(0).role, Message::Role::System);
    QCOMPARE(c.messages.at(0).text(),
             u"You are Claude Code, Anthropic's official CLI for Claude.\nWorking directory: "
             u"/home/user/project"_s);
    QCOMPARE(c.messages.at(1).role, Message::Role::User);
    QCOMPARE(c.messages.at(1).parts.size(), 2);
    const Message &assistant = c.messages.at(2);
    QCOMPARE(assistant.role, Message::Role::Assistant);
    QCOMPARE(assistant.text(), u"Let me read it."_s); // the thinking block is not sent on
    QCOMPARE(assistant.toolCalls.size(), 1);
    QCOMPARE(assistant.toolCalls.at(0).id, u"toolu_01A09q90qw90lq917835lq9"_s);
    QCOMPARE(assistant.toolCalls.at(0).name, u"Read"_s);
    QCOMPARE(QJsonDocument::fromJson(assistant.toolCalls.at(0).arguments.toUtf8()).object(),
             object(R"({"file_path":"/home/user/project/README.md"})"));
    const Message &result = c.messages.at(3);
    QCOMPARE(result.role, Message::Role::Tool);
    QCOMPARE(result.toolCallId, u"toolu_01A09q90qw90lq917835lq9"_s);
    QCOMPARE(result.name, u"Read"_s);
    QCOMPARE(result.text(), u"# Project\nA demo."_s);
    QCOMPARE(c.messages.at(4).role, Message::Role::User);
    QCOMPARE(c.messages.at(4).text(), u"Summarise it."_s);
    QCOMPARE(c.tools.size(), 2);
    const QJsonObject read = c.tools.at(0).toObject();
    QCOMPARE(read.value(u"name"_s).toString(), u"Read"_s);
    QCOMPARE(read.value(u"description"_s).toString(), u"Reads a file from the local filesystem."_s);
    QCOMPARE(read.value(u"parameters"_s).toObject().value(u"required"_s).toArray(),
             QJsonArray{u"file_path"_s});
    QCOMPARE(c.toolChoice.mode, ToolChoice::Mode::Auto);
    QVERIFY(MessagesRequest::inputTokens(c) > TokenEstimator::promptTokens(c)); // tools count
}

void TestMessagesRequest::systemAsString()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(body({{u"system"_s, u"Be brief."_s}}), &error);
    QVERIFY(parsed);
    QCOMPARE(parsed->conversation.messages.size(), 2);
    QCOMPARE(parsed->conversation.messages.at(0).role, Message::Role::System);
    QCOMPARE(parsed->conversation.messages.at(0).text(), u"Be brief."_s);
    QVERIFY(!parsed->conversation.stream);
}

void TestMessagesRequest::systemMessagesAmongTheTurns()
{
    // Claude Code 2.1 sends some of its context as messages of role system.
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({{u"system"_s, u"Top."_s}}, array(R"([
            {"role":"user","content":"Hi"},
            {"role":"system","content":"Available agent types: claude"},
            {"role":"system","content":[{"type":"text","text":"More","cache_control":{"type":"ephemeral"}}]},
            {"role":"user","content":"Go"}])")),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    const QList<Message> &m = parsed->conversation.messages;
    QCOMPARE(m.size(), 5);
    QCOMPARE(m.at(0).text(), u"Top."_s);
    QCOMPARE(m.at(2).role, Message::Role::System);
    QCOMPARE(m.at(2).text(), u"Available agent types: claude"_s);
    QCOMPARE(m.at(3).role, Message::Role::System);
    QCOMPARE(m.at(3).text(), u"More"_s);
    QCOMPARE(m.at(4).text(), u"Go"_s);
}

void TestMessagesRequest::imagesBase64AndUrl()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({}, array(R"([{"role":"user","content":[
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":" https://example.com/a.jpg "}},
            {"type":"text","text":"What is this?"}]}])")),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    const Message &m = parsed->conversation.messages.at(0);
    QVERIFY(m.hasImages());
    QCOMPARE(m.parts.size(), 3);
    QCOMPARE(m.parts.at(0).imageUrl, u"data:image/png;base64,iVBORw0KGgo="_s);
    QCOMPARE(m.parts.at(1).imageUrl, u"https://example.com/a.jpg"_s);
}

void TestMessagesRequest::toolResultForms()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({}, array(R"([
            {"role":"user","content":"Go"},
            {"role":"assistant","content":[
              {"type":"tool_use","id":"toolu_1","name":"a","input":{}},
              {"type":"tool_use","id":"toolu_2","name":"b","input":{"x":1}},
              {"type":"tool_use","id":"toolu_3","name":"c","input":{}}]},
            {"role":"user","content":[
              {"type":"tool_result","tool_use_id":"toolu_1","content":"plain text"},
              {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,
               "content":[{"type":"text","text":"boom"},
                          {"type":"image","source":{"type":"base64","media_type":"image/gif","data":"R0lG"}}]},
              {"type":"tool_result","tool_use_id":"toolu_3"}]}])")),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    const QList<Message> &m = parsed->conversation.messages;
    QCOMPARE(m.size(), 6); // user, assistant, three results, the result's image as the user's
    QCOMPARE(m.at(1).toolCalls.size(), 3);
    QCOMPARE(m.at(1).toolCalls.at(1).arguments, u"{\"x\":1}"_s);
    QCOMPARE(m.at(2).text(), u"plain text"_s);
    QCOMPARE(m.at(3).text(), u"Error:\nboom"_s);
    QCOMPARE(m.at(3).name, u"b"_s);
    QCOMPARE(m.at(4).toolCallId, u"toolu_3"_s);
    QCOMPARE(m.at(4).text(), QString());
    QCOMPARE(m.at(5).role, Message::Role::User);
    QVERIFY(m.at(5).hasImages());
}

void TestMessagesRequest::toolChoiceModes_data()
{
    QTest::addColumn<QByteArray>("choice");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("parallel");
    using M = ToolChoice::Mode;
    QTest::newRow("auto") << QByteArray(R"({"type":"auto"})") << int(M::Auto) << QString() << true;
    QTest::newRow("any") << QByteArray(R"({"type":"any","disable_parallel_tool_use":true})")
                         << int(M::Required) << QString() << false;
    QTest::newRow("tool") << QByteArray(R"({"type":"tool","name":"get_weather"})") << int(M::Named)
                          << u"get_weather"_s << true;
    QTest::newRow("none") << QByteArray(R"({"type":"none"})") << int(M::None) << QString() << true;
}

void TestMessagesRequest::toolChoiceModes()
{
    QFETCH(QByteArray, choice);
    QFETCH(int, mode);
    QFETCH(QString, name);
    QFETCH(bool, parallel);
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({{u"tools"_s, array(R"([{"name":"get_weather","input_schema":{"type":"object"}}])")},
              {u"tool_choice"_s, QJsonDocument::fromJson(choice).object()}}),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    QCOMPARE(int(parsed->conversation.toolChoice.mode), mode);
    QCOMPARE(parsed->conversation.toolChoice.name, name);
    QCOMPARE(parsed->conversation.parallelToolCalls, parallel);
}

void TestMessagesRequest::thinkingModes_data()
{
    QTest::addColumn<QByteArray>("thinking");
    QTest::addColumn<int>("expected"); // -1 unset, 0 off, 1 on
    QTest::newRow("enabled") << QByteArray(R"({"type":"enabled","budget_tokens":2048})") << 1;
    QTest::newRow("disabled") << QByteArray(R"({"type":"disabled"})") << 0;
    QTest::newRow("adaptive") << QByteArray(R"({"type":"adaptive"})") << -1;
}

void TestMessagesRequest::thinkingModes()
{
    QFETCH(QByteArray, thinking);
    QFETCH(int, expected);
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({{u"thinking"_s, QJsonDocument::fromJson(thinking).object()},
              {u"max_tokens"_s, 4096}}),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    const std::optional<bool> on = parsed->conversation.enableThinking;
    QCOMPARE(on.has_value() ? int(*on) : -1, expected);
}

void TestMessagesRequest::stopSequencesAndLimits()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({{u"stop_sequences"_s, QJsonArray{u"END"_s, u""_s, u"\n\nHuman:"_s}},
              {u"top_p"_s, 0.9},
              {u"top_k"_s, 40}}),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    QCOMPARE(parsed->conversation.stop, (QStringList{u"END"_s, u"\n\nHuman:"_s}));
    QCOMPARE(parsed->conversation.maxTokens, 1024);
    QCOMPARE(parsed->conversation.topP, 0.9);
}

void TestMessagesRequest::countTokensNeedsNoMaxTokens()
{
    ApiError error;
    const QByteArray request = body({{u"max_tokens"_s, QJsonValue(QJsonValue::Null)}});
    QVERIFY(!MessagesRequest::parse(request, &error));
    QCOMPARE(error.param(), u"max_tokens"_s);
    const auto counted =
        MessagesRequest::parse(request, &error, MessagesRequest::Purpose::CountTokens);
    QVERIFY(counted);
    QVERIFY(MessagesRequest::inputTokens(counted->conversation) > 0);
}

void TestMessagesRequest::webSearchServerTool()
{
    ApiError error;
    const auto parsed = MessagesRequest::parse(
        body({{u"tools"_s,
               array(R"([{"type":"web_search_20250305","name":"web_search","max_uses":5}])")}}),
        &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    QCOMPARE(parsed->conversation.webSearch, true);
    QVERIFY(parsed->conversation.tools.isEmpty());
}

void TestMessagesRequest::refused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("param");
    const auto with = [](const QJsonObject &extra, const QJsonArray &messages = {}) {
        return body(extra, messages);
    };
    const QJsonValue gone(QJsonValue::Null);
    QTest::newRow("no max_tokens") << with({{u"max_tokens"_s, gone}}) << u"max_tokens"_s;
    QTest::newRow("max_tokens 0") << with({{u"max_tokens"_s, 0}}) << u"max_tokens"_s;
    QTest::newRow("max_tokens text") << with({{u"max_tokens"_s, u"9"_s}}) << u"max_tokens"_s;
    QTest::newRow("no model") << with({{u"model"_s, gone}}) << u"model"_s;
    QTest::newRow("no messages") << with({{u"messages"_s, gone}}) << u"messages"_s;
    QTest::newRow("empty messages") << with({{u"messages"_s, QJsonArray()}}) << u"messages"_s;
    QTest::newRow("bad role") << with({}, array(R"([{"role":"developer","content":"x"}])"))
                              << u"messages[0].role"_s;
    QTest::newRow("system message image")
        << with({}, array(R"([{"role":"system","content":[{"type":"image"}]}])"))
        << u"messages[0].content[0].type"_s;
    QTest::newRow("no content") << with({}, array(R"([{"role":"user"}])"))
                                << u"messages[0].content"_s;
    QTest::newRow("bad block") << with({}, array(R"([{"role":"user","content":[{"type":"video"}]}])"))
                               << u"messages[0].content[0].type"_s;
    QTest::newRow("document") << with({}, array(R"([{"role":"user","content":[{"type":"document","source":{}}]}])"))
                              << u"messages[0].content[0].type"_s;
    QTest::newRow("bad media type")
        << with({}, array(R"([{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"x"}}]}])"))
        << u"messages[0].content[0].source.media_type"_s;
    QTest::newRow("tool_use input string")
        << with({}, array(R"([{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"a","input":"{}"}]}])"))
        << u"messages[1].content[0].input"_s;
    QTest::newRow("unknown tool_use_id")
        << with({}, array(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"r"}]}])"))
        << u"messages[0].content[0].tool_use_id"_s;
    QTest::newRow("unanswered tool_use")
        << with({}, array(R"([{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"a","input":{}}]},{"role":"user","content":"no result"}])"))
        << u"messages[2].content"_s;
    QTest::newRow("tool without schema") << with({{u"tools"_s, array(R"([{"name":"a"}])")}})
                                         << u"tools[0].input_schema"_s;
    QTest::newRow("bad tool name") << with({{u"tools"_s, array(R"([{"name":"a b","input_schema":{}}])")}})
                                   << u"tools[0].name"_s;
    QTest::newRow("computer tool")
        << with({{u"tools"_s, array(R"([{"type":"computer_20250124","name":"computer"}])")}})
        << u"tools[0].type"_s;
    QTest::newRow("tool_choice unknown tool")
        << with({{u"tools"_s, array(R"([{"name":"a","input_schema":{}}])")},
                 {u"tool_choice"_s, object(R"({"type":"tool","name":"b"})")}})
        << u"tool_choice.name"_s;
    QTest::newRow("tool_choice any without tools")
        << with({{u"tool_choice"_s, object(R"({"type":"any"})")}}) << u"tool_choice"_s;
    QTest::newRow("tool_choice string") << with({{u"tool_choice"_s, u"auto"_s}}) << u"tool_choice"_s;
    QTest::newRow("thinking no budget")
        << with({{u"thinking"_s, object(R"({"type":"enabled"})")}}) << u"thinking.budget_tokens"_s;
    QTest::newRow("thinking small budget")
        << with({{u"thinking"_s, object(R"({"type":"enabled","budget_tokens":100})")}})
        << u"thinking.budget_tokens"_s;
    QTest::newRow("thinking budget over max_tokens")
        << with({{u"thinking"_s, object(R"({"type":"enabled","budget_tokens":2000})")}})
        << u"thinking.budget_tokens"_s;
    QTest::newRow("thinking type") << with({{u"thinking"_s, object(R"({"type":"auto"})")}})
                                   << u"thinking.type"_s;
    QTest::newRow("temperature") << with({{u"temperature"_s, 1.5}}) << u"temperature"_s;
    QTest::newRow("stop_sequences") << with({{u"stop_sequences"_s, u"END"_s}}) << u"stop_sequences"_s;
    QTest::newRow("system number") << with({{u"system"_s, 3}}) << u"system"_s;
    QTest::newRow("system image")
        << with({{u"system"_s, array(R"([{"type":"image"}])")}}) << u"system[0].type"_s;
    QTest::newRow("metadata") << with({{u"metadata"_s, u"x"_s}}) << u"metadata"_s;
    QTest::newRow("stream") << with({{u"stream"_s, u"yes"_s}}) << u"stream"_s;
}

void TestMessagesRequest::refused()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, param);
    ApiError error;
    QVERIFY(!MessagesRequest::parse(request, &error));
    QCOMPARE(error.kind(), ApiError::Kind::InvalidRequest);
    QCOMPARE(error.param(), param);
    QVERIFY(!error.message().isEmpty());
}

void TestMessagesRequest::hostileInputNeverCrashes()
{
    const QList<QByteArray> bodies{
        {}, "null", "[]", "\"x\"", "{", "{\"messages\":{}}", "{\"messages\":[1,2]}",
        R"({"model":"m","max_tokens":1e300,"messages":[]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[null,{"type":null}]}]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use"}]}]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":"x"}]}]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":7}]}]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[null],"tool_choice":[]})",
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"thinking":{"type":"enabled","budget_tokens":"big"}})",
    };
    for (const QByteArray &b : bodies) {
        ApiError error;
        QVERIFY2(!MessagesRequest::parse(b, &error), b.constData());
        QCOMPARE(error.status(), 400);
    }
}

QTEST_GUILESS_MAIN(TestMessagesRequest)
#include "testMessagesRequest.moc"
