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

void TestChatCompletionsRequest::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::newRow("not json") << "{nope"_ba << QString();
    QTest::newRow("array") << "[]"_ba << QString();
    QTest::newRow("no model") << R"({"messages":[{"role":"user","content":"x"}]})"_ba << u"model"_s;
    QTest::newRow("model number") << R"({"model":3,"messages":[{"role":"user","content":"x"}]})"_ba << u"model"_s;
    QTest::newRow("no messages") << R"({"model":"m"})"_ba << u"messages"_s;
    QTest::newRow("messages object") << R"({"model":"m","messages":{}})"_ba << u"messages"_s;
    QTest::newRow("empty messages") << R"({"model":"m","messages":[]})"_ba << u"messages"_s;
    QTest::newRow("bad role") << R"({"model":"m","messages":[{"role":"robot","content":"x"}]})"_ba << u"messages[0].role"_s;
    QTest::newRow("no role") << R"({"model":"m","messages":[{"content":"x"}]})"_ba << u"messages[0].role"_s;
    QTest::newRow("content number") << R"({"model":"m","messages":[{"role":"user","content":5}]})"_ba << u"messages[0].content"_s;
    QTest::newRow("part without text") << R"({"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]})"_ba << u"messages[0].content[0].text"_s;
    QTest::newRow("n=2") << R"({"model":"m","n":2,"messages":[{"role":"user","content":"x"}]})"_ba << u"n"_s;
    QTest::newRow("stream string") << R"({"model":"m","stream":"yes","messages":[{"role":"user","content":"x"}]})"_ba << u"stream"_s;
    QTest::newRow("temperature") << R"({"model":"m","temperature":7,"messages":[{"role":"user","content":"x"}]})"_ba << u"temperature"_s;
    QTest::newRow("max_tokens") << R"({"model":"m","max_tokens":-1,"messages":[{"role":"user","content":"x"}]})"_ba << u"max_tokens"_s;
    QTest::newRow("stop five") << R"({"model":"m","stop":["a","b","c","d","e"],"messages":[{"role":"user","content":"x"}]})"_ba << u"stop"_s;
    QTest::newRow("audio out") << R"({"model":"m","modalities":["text","audio"],"messages":[{"role":"user","content":"x"}]})"_ba << u"modalities"_s;
}

void TestChatCompletionsRequest::rejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    ApiError error;
    QVERIFY(!ChatCompletionsRequest::parse(body, &error));
    QCOMPARE(error.status(), 400);
    QCOMPARE(OpenAiError::type(error), u"invalid_request_error"_s);
    QCOMPARE(error.param(), param);
    QVERIFY(!error.message().isEmpty());
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
