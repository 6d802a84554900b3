// SPDX-License-Identifier: MIT
// POST /v1/responses (issue 16, dialects.md 3) through the real server against the fake
// upstream: text and reasoning, streamed and not, function tools over two rounds, tool_choice
// re-asks, images, max_output_tokens, the stored-state fields this server refuses, OpenAI's
// error envelope, upstream failures before and after the first byte, keep-alives, cancellation
// and the request log.

#include "FakeZaiServer.h"
#include "IntegrationSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

QJsonObject user(const QJsonValue &content)
{
    return {{u"type"_s, u"message"_s}, {u"role"_s, u"user"_s}, {u"content"_s, content}};
}

QByteArray responsesBody(const QString &model, const QJsonValue &input, bool stream,
                         const QJsonObject &extra = {})
{
    QJsonObject body{{u"model"_s, model}, {u"input"_s, input}, {u"stream"_s, stream}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

HttpResponse post(TestBed &bed, const QByteArray &body, const QString &path = u"/v1/responses"_s)
{
    return Http::post(bed.url(path), body, {{"content-type", "application/json"}});
}

struct Event
{
    QByteArray name;
    QJsonObject data;
};

QList<Event> parseEvents(const QByteArray &body)
{
    QList<Event> out;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("event: "))
            out.append({line.mid(7), {}});
        else if (line.startsWith("data: ") && !out.isEmpty())
            out.last().data = QJsonDocument::fromJson(line.mid(6)).object();
    }
    return out;
}

QStringList names(const QList<Event> &events)
{
    QStringList out;
    for (const Event &e : events)
        out.append(QString::fromLatin1(e.name));
    return out;
}

QString joined(const QList<Event> &events, const char *type)
{
    QString out;
    for (const Event &e : events) {
        if (e.name == type)
            out += e.data.value(u"delta"_s).toString();
    }
    return out;
}

// What every stream must satisfy: `event:` names equal to the data's type, sequence numbers
// 0, 1, 2, ..., items opened and closed one at a time at increasing output indexes, and the
// final response holding every item that was done.
void verifyStream(const HttpResponse &r, const QList<Event> &events,
                  const QByteArray &last = "response.completed")
{
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("text/event-stream"));
    QVERIFY(events.size() >= 3);
    QCOMPARE(events.at(0).name, "response.created");
    QCOMPARE(events.at(1).name, "response.in_progress");
    QCOMPARE(events.last().name, last);
    QVERIFY(!r.body.contains("[DONE]"));
    int open = -1;
    int next = 0;
    QJsonArray done;
    for (int i = 0; i < events.size(); ++i) {
        const Event &e = events.at(i);
        QCOMPARE(e.data.value(u"type"_s).toString(), QString::fromLatin1(e.name));
        QCOMPARE(e.data.value(u"sequence_number"_s).toInt(-1), i);
        const int index = e.data.value(u"output_index"_s).toInt(-1);
        if (e.name == "response.output_item.added") {
            QCOMPARE(open, -1);
            QCOMPARE(index, next);
            open = index;
        } else if (e.name == "response.output_item.done") {
            QCOMPARE(index, open);
            done.append(e.data.value(u"item"_s));
            open = -1;
            ++next;
        } else if (e.data.contains(u"output_index"_s)) {
            QCOMPARE(index, open);
        }
    }
    QCOMPARE(open, -1);
    const QJsonObject response = events.last().data.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"output"_s).toArray(), done);
    QCOMPARE(response.value(u"id"_s), events.first().data.value(u"response"_s).toObject().value(u"id"_s));
}

QJsonObject readFileTool()
{
    return QJsonDocument::fromJson(R"({"type":"function","name":"read_file","description":"Read a file",
        "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],
        "additionalProperties":false},"strict":false})")
        .object();
}

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/images/"_s + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject upstreamFeatures(TestBed &bed)
{
    return QJsonDocument::fromJson(bed.fake->requests(CompletionsPath).last().body)
        .object()
        .value(u"features"_s)
        .toObject();
}

// The text of a whole response's message items.
QString outputText(const QJsonObject &response)
{
    QString out;
    for (const QJsonValue &item : response.value(u"output"_s).toArray()) {
        if (item.toObject().value(u"type"_s) != u"message"_s)
            continue;
        for (const QJsonValue &part : item.toObject().value(u"content"_s).toArray())
            out += part.toObject().value(u"text"_s).toString();
    }
    return out;
}

} // namespace

class TestOpenAiResponses : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonStreamingText();
    void streamingText();
    void instructionsAndDeveloperMessages();
    void reasoningStream();
    void reasoningEffort();
    void toolsOverTwoRounds_data();
    void toolsOverTwoRounds();
    void toolChoiceRequiredReasks();
    void otherToolTypesIgnored();
    void maxOutputTokensIsIncomplete();
    void imagesUploaded();
    void jsonSchemaFormat();
    void storedStateRefused();
    void errorShapes();
    void upstreamErrorRetriedBeforeFirstByte();
    void upstreamUnreachableIsAStatus();
    void accountRateLimitIs429();
    void droppedAfterFirstByteIsResponseFailed();
    void keepAliveDuringSilence();
    void clientDisconnectCancelsUpstream();
    void requestLogNamesTheDialect();
};

void TestOpenAiResponses::nonStreamingText()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"Hello there"_s, false,
                                                   {{u"store"_s, false},
                                                    {u"include"_s, QJsonArray{u"reasoning.encrypted_content"_s}},
                                                    {u"metadata"_s, QJsonObject{{u"run"_s, u"1"_s}}}}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    const QJsonObject response = r.json();
    QVERIFY2(QRegularExpression(u"^resp_[A-Za-z0-9]{32}$"_s).match(response.value(u"id"_s).toString()).hasMatch(),
             qPrintable(response.value(u"id"_s).toString()));
    QCOMPARE(response.value(u"object"_s).toString(), u"response"_s);
    QCOMPARE(response.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(response.value(u"model"_s).toString(), u"GLM-4.5"_s);
    QVERIFY(response.value(u"created_at"_s).toInteger() > 1'700'000'000);
    QVERIFY(response.value(u"error"_s).isNull());
    QVERIFY(response.value(u"incomplete_details"_s).isNull());
    QCOMPARE(response.value(u"store"_s).toBool(true), false);
    QCOMPARE(response.value(u"tool_choice"_s).toString(), u"auto"_s);
    QCOMPARE(response.value(u"metadata"_s).toObject().value(u"run"_s).toString(), u"1"_s);
    const QJsonArray output = response.value(u"output"_s).toArray();
    QCOMPARE(output.size(), 1);
    const QJsonObject message = output.first().toObject();
    QCOMPARE(message.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(message.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(message.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(message.value(u"id"_s).toString().startsWith(u"msg_"_s));
    const QJsonObject part = message.value(u"content"_s).toArray().first().toObject();
    QCOMPARE(part.value(u"type"_s).toString(), u"output_text"_s);
    QCOMPARE(part.value(u"text"_s).toString(), FakeZaiServer::expectedAnswer(u"Hello there"_s));
    QVERIFY(part.value(u"annotations"_s).isArray());
    const QJsonObject usage = response.value(u"usage"_s).toObject();
    QVERIFY(usage.value(u"input_tokens"_s).toInt() > 0);
    QVERIFY(usage.value(u"output_tokens"_s).toInt() > 0);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(),
             usage.value(u"input_tokens"_s).toInt() + usage.value(u"output_tokens"_s).toInt());
    QVERIFY(usage.value(u"input_tokens_details"_s).toObject().contains(u"cached_tokens"_s));
    QVERIFY(usage.value(u"output_tokens_details"_s).toObject().contains(u"reasoning_tokens"_s));

    // The same without /v1, for a base URL configured without it.
    QCOMPARE(post(bed, responsesBody(u"GLM-4.5"_s, u"again"_s, false), u"/responses"_s).status, 200);
}

void TestOpenAiResponses::streamingText()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, QJsonArray{user(u"Stream it"_s)}, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    if (QTest::currentTestFailed())
        return;
    QStringList expected{u"response.created"_s, u"response.in_progress"_s,
                         u"response.output_item.added"_s, u"response.content_part.added"_s};
    QStringList got = names(events);
    got.removeAll(u"response.output_text.delta"_s);
    expected << u"response.output_text.done"_s << u"response.content_part.done"_s
             << u"response.output_item.done"_s << u"response.completed"_s;
    QCOMPARE(got, expected);
    QVERIFY(events.at(1).data.value(u"response"_s).toObject().value(u"usage"_s).isNull());
    QCOMPARE(events.at(1).data.value(u"response"_s).toObject().value(u"status"_s).toString(), u"in_progress"_s);
    const QString answer = FakeZaiServer::expectedAnswer(u"Stream it"_s);
    QCOMPARE(joined(events, "response.output_text.delta"), answer);
    for (const Event &e : events) {
        if (e.name == "response.output_text.done")
            QCOMPARE(e.data.value(u"text"_s).toString(), answer);
    }
    const QJsonObject response = events.last().data.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(outputText(response), answer);
    QVERIFY(response.value(u"usage"_s).toObject().value(u"output_tokens"_s).toInt() > 0);
}

void TestOpenAiResponses::instructionsAndDeveloperMessages()
{
    // What Codex sends: instructions, a developer message and an "easy" user message.
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonArray input{
        QJsonObject{{u"type"_s, u"message"_s}, {u"role"_s, u"developer"_s},
                    {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"input_text"_s},
                                                          {u"text"_s, u"<permissions>read-only</permissions>"_s}}}}},
        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hello there"_s}}};
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, input, true,
                                                   {{u"instructions"_s, u"You are Codex."_s}}));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QCOMPARE(joined(events, "response.output_text.delta"), FakeZaiServer::expectedAnswer(u"Hello there"_s));
    QCOMPARE(events.last().data.value(u"response"_s).toObject().value(u"instructions"_s).toString(),
             u"You are Codex."_s);
    const QByteArray upstream = bed.fake->requests(CompletionsPath).last().body;
    QVERIFY(upstream.contains("You are Codex."));
    QVERIFY(upstream.contains("read-only"));
}

void TestOpenAiResponses::reasoningStream()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"think hard"_s;
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.7"_s, prompt, true,
                                                   {{u"reasoning"_s, QJsonObject{{u"effort"_s, u"high"_s},
                                                                                 {u"summary"_s, u"auto"_s}}}}));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(joined(events, "response.reasoning_summary_text.delta"), FakeZaiServer::expectedThought(prompt));
    QCOMPARE(joined(events, "response.output_text.delta").trimmed(), FakeZaiServer::expectedAnswer(prompt));
    const QJsonArray output = events.last().data.value(u"response"_s).toObject().value(u"output"_s).toArray();
    QCOMPARE(output.size(), 2);
    const QJsonObject reasoning = output.at(0).toObject();
    QCOMPARE(reasoning.value(u"type"_s).toString(), u"reasoning"_s);
    QVERIFY(reasoning.value(u"id"_s).toString().startsWith(u"rs_"_s));
    QCOMPARE(reasoning.value(u"summary"_s).toArray().first().toObject().value(u"text"_s).toString(),
             FakeZaiServer::expectedThought(prompt));
    QCOMPARE(output.at(1).toObject().value(u"type"_s).toString(), u"message"_s);
    QVERIFY(names(events).contains(u"response.reasoning_summary_part.added"_s));
    QVERIFY(names(events).contains(u"response.reasoning_summary_text.done"_s));
    QCOMPARE(upstreamFeatures(bed).value(u"enable_thinking"_s), QJsonValue(true));

    // Whole: a reasoning item, then the message.
    const HttpResponse whole = post(bed, responsesBody(u"GLM-4.7-Thinking"_s, prompt, false));
    QCOMPARE(whole.status, 200);
    const QJsonArray items = whole.json().value(u"output"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(u"summary"_s).toArray().first().toObject().value(u"text"_s).toString(),
             FakeZaiServer::expectedThought(prompt));
    QCOMPARE(outputText(whole.json()).trimmed(), FakeZaiServer::expectedAnswer(prompt));
}

void TestOpenAiResponses::reasoningEffort()
{
    TestBed bed;
    QVERIFY(bed.start());
    // The lowest efforts switch thinking off, even on a thinking model; the others switch it on.
    for (const auto &[effort, thinking] :
         {std::pair{u"minimal"_s, false}, std::pair{u"none"_s, false}, std::pair{u"low"_s, true}}) {
        const HttpResponse r = post(bed, responsesBody(u"GLM-4.7-Thinking"_s, u"x"_s, false,
                                                       {{u"reasoning"_s, QJsonObject{{u"effort"_s, effort}}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(upstreamFeatures(bed).value(u"enable_thinking"_s), QJsonValue(thinking));
        QCOMPARE(r.json().value(u"reasoning"_s).toObject().value(u"effort"_s).toString(), effort);
    }
    // A search model searches.
    QCOMPARE(post(bed, responsesBody(u"GLM-4.5-Search"_s, u"look it up"_s, false)).status, 200);
    QCOMPARE(upstreamFeatures(bed).value(u"web_search"_s).toBool(), true);
}

void TestOpenAiResponses::toolsOverTwoRounds_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("whole") << false;
}

void TestOpenAiResponses::toolsOverTwoRounds()
{
    QFETCH(bool, stream);
    TestBed bed;
    QVERIFY(bed.start());
    QJsonArray input{user(u"What is in the README?"_s)};
    const QJsonObject tools{{u"tools"_s, QJsonArray{readFileTool()}},
                            {u"tool_choice"_s, u"auto"_s},
                            {u"parallel_tool_calls"_s, false}};
    const HttpResponse first = post(bed, responsesBody(u"GLM-4.6"_s, input, stream, tools));
    QCOMPARE(first.status, 200);
    QJsonArray output;
    if (stream) {
        const QList<Event> events = parseEvents(first.body);
        verifyStream(first, events);
        if (QTest::currentTestFailed())
            return;
        output = events.last().data.value(u"response"_s).toObject().value(u"output"_s).toArray();
        // the arguments arrive in deltas and again whole
        QString arguments = joined(events, "response.function_call_arguments.delta");
        QCOMPARE(QJsonDocument::fromJson(arguments.toUtf8()).object(), (QJsonObject{{u"path"_s, u"README.md"_s}}));
        QVERIFY(names(events).contains(u"response.function_call_arguments.done"_s));
        for (const Event &e : events) {
            if (e.name == "response.output_item.added"
                && e.data.value(u"item"_s).toObject().value(u"type"_s) == u"function_call"_s)
                QCOMPARE(e.data.value(u"item"_s).toObject().value(u"arguments"_s).toString(), QString());
        }
    } else {
        output = first.json().value(u"output"_s).toArray();
        QCOMPARE(first.json().value(u"status"_s).toString(), u"completed"_s);
    }
    const QJsonObject call = output.last().toObject();
    QCOMPARE(call.value(u"type"_s).toString(), u"function_call"_s);
    QVERIFY(call.value(u"id"_s).toString().startsWith(u"fc_"_s));
    QVERIFY2(QRegularExpression(u"^call_[A-Za-z0-9]{24}$"_s).match(call.value(u"call_id"_s).toString()).hasMatch(),
             qPrintable(call.value(u"call_id"_s).toString()));
    QCOMPARE(call.value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(call.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(call.value(u"arguments"_s).isString());
    QCOMPARE(QJsonDocument::fromJson(call.value(u"arguments"_s).toString().toUtf8()).object(),
             (QJsonObject{{u"path"_s, u"README.md"_s}}));
    for (const QJsonValue &item : std::as_const(output))
        QVERIFY(!outputText(QJsonObject{{u"output"_s, QJsonArray{item}}}).contains(u"<function_calls>"_s));

    // Round two, as Codex sends it: the output items go back (a reasoning item among them),
    // then the call's output; the fake quotes the result.
    input.append(QJsonObject{{u"type"_s, u"reasoning"_s}, {u"id"_s, u"rs_earlier"_s},
                             {u"summary"_s, QJsonArray()}, {u"encrypted_content"_s, QJsonValue()}});
    for (const QJsonValue &item : std::as_const(output))
        input.append(item);
    input.append(QJsonObject{{u"type"_s, u"function_call_output"_s},
                             {u"call_id"_s, call.value(u"call_id"_s)},
                             {u"output"_s, u"# ZaiBridge"_s}});
    const HttpResponse second = post(bed, responsesBody(u"GLM-4.6"_s, input, stream, tools));
    QCOMPARE(second.status, 200);
    QString answer;
    if (stream) {
        const QList<Event> events = parseEvents(second.body);
        verifyStream(second, events);
        answer = joined(events, "response.output_text.delta");
    } else {
        answer = outputText(second.json());
    }
    QCOMPARE(answer, u"The tool read_file said: # ZaiBridge"_s);
    // The call_id travelled through the tool protocol's history.
    QVERIFY(bed.fake->requests(CompletionsPath).last().body.contains(call.value(u"call_id"_s).toString().toUtf8()));
}

void TestOpenAiResponses::toolChoiceRequiredReasks()
{
    TestBed bed;
    QVERIFY(bed.start());
    for (const QJsonValue &choice :
         {QJsonValue(u"required"_s),
          QJsonValue(QJsonObject{{u"type"_s, u"function"_s}, {u"name"_s, u"read_file"_s}}),
          QJsonValue(QJsonObject{{u"type"_s, u"allowed_tools"_s}, {u"mode"_s, u"required"_s},
                                 {u"tools"_s, QJsonArray{QJsonObject{{u"type"_s, u"function"_s},
                                                                     {u"name"_s, u"read_file"_s}}}}})}) {
        const int before = bed.fake->count(CompletionsPath);
        const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"[no-tool] answer in words"_s, false,
                                                       {{u"tools"_s, QJsonArray{readFileTool()}},
                                                        {u"tool_choice"_s, choice}}));
        QCOMPARE(r.status, 200);
        const QJsonObject call = r.json().value(u"output"_s).toArray().last().toObject();
        QCOMPARE(call.value(u"type"_s).toString(), u"function_call"_s);
        QCOMPARE(call.value(u"name"_s).toString(), u"read_file"_s);
        QCOMPARE(bed.fake->count(CompletionsPath) - before, 2); // asked again, once
        QCOMPARE(r.json().value(u"tool_choice"_s), choice);
    }
}

void TestOpenAiResponses::otherToolTypesIgnored()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonArray hosted = QJsonDocument::fromJson(R"([{"type":"web_search"},
        {"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"start: x"}},
        {"type":"namespace","name":"mcp","tools":[]}])").array();
    // Beside function tools, and alone: accepted, not offered to the model.
    QJsonArray mixed = hosted;
    mixed.append(readFileTool());
    HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"hello"_s, false, {{u"tools"_s, mixed}}));
    QCOMPARE(r.status, 200);
    QVERIFY(bed.fake->requests(CompletionsPath).last().body.contains("read_file"));
    QVERIFY(!bed.fake->requests(CompletionsPath).last().body.contains("apply_patch"));
    QCOMPARE(r.json().value(u"tools"_s).toArray().size(), 4);
    r = post(bed, responsesBody(u"GLM-4.5"_s, u"hello"_s, false, {{u"tools"_s, hosted}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(outputText(r.json()), FakeZaiServer::expectedAnswer(u"hello"_s));
    // Unless they are all there is and the client demands a call.
    const int before = bed.fake->count(CompletionsPath);
    r = post(bed, responsesBody(u"GLM-4.5"_s, u"hello"_s, false,
                                {{u"tools"_s, hosted}, {u"tool_choice"_s, u"required"_s}}));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(u"param"_s).toString(), u"tool_choice"_s);
    QVERIFY(r.error().value(u"message"_s).toString().contains(u"'web_search'"_s));
    r = post(bed, responsesBody(u"GLM-4.5"_s, u"hello"_s, false,
                                {{u"tools"_s, mixed},
                                 {u"tool_choice"_s, QJsonObject{{u"type"_s, u"web_search_preview"_s}}}}));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(u"code"_s).toString(), u"unsupported_value"_s);
    QCOMPARE(bed.fake->count(CompletionsPath), before);
}

void TestOpenAiResponses::maxOutputTokensIsIncomplete()
{
    TestBed bed;
    QVERIFY(bed.start());
    // The fake echoes the prompt: well over the 16 tokens of OpenAI's smallest limit.
    const QString prompt = u"a prompt long enough to be cut well before its end "_s.repeated(8);
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, prompt, false, {{u"max_output_tokens"_s, 16}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"status"_s).toString(), u"incomplete"_s);
    QCOMPARE(r.json().value(u"incomplete_details"_s).toObject().value(u"reason"_s).toString(),
             u"max_output_tokens"_s);
    QCOMPARE(r.json().value(u"max_output_tokens"_s).toInt(), 16);
    QVERIFY(outputText(r.json()).size() < FakeZaiServer::expectedAnswer(prompt).size());
    const HttpResponse streamed = post(bed, responsesBody(u"GLM-4.5"_s, prompt, true, {{u"max_output_tokens"_s, 16}}));
    const QList<Event> events = parseEvents(streamed.body);
    verifyStream(streamed, events, "response.incomplete");
    QCOMPARE(events.last().data.value(u"response"_s).toObject().value(u"status"_s).toString(), u"incomplete"_s);
    // OpenAI's minimum
    const HttpResponse tooSmall = post(bed, responsesBody(u"GLM-4.5"_s, prompt, false, {{u"max_output_tokens"_s, 8}}));
    QCOMPARE(tooSmall.status, 400);
    QCOMPARE(tooSmall.error().value(u"param"_s).toString(), u"max_output_tokens"_s);
}

void TestOpenAiResponses::imagesUploaded()
{
    TestBed bed;
    const QString token = TestBed::makeToken(u"alice"_s);
    bed.config.tokens = {token};
    bed.fake->addValidToken(token);
    QVERIFY(bed.start());
    const QByteArray png = fixture("red-8x4.png");
    QVERIFY(!png.isEmpty());
    const QJsonArray content{
        QJsonObject{{u"type"_s, u"input_image"_s},
                    {u"image_url"_s, QString(u"data:image/png;base64,"_s + QString::fromLatin1(png.toBase64()))},
                    {u"detail"_s, u"auto"_s}},
        QJsonObject{{u"type"_s, u"input_text"_s}, {u"text"_s, u"What is this?"_s}}};
    for (const bool stream : {false, true}) {
        const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, QJsonArray{user(content)}, stream));
        QCOMPARE(r.status, 200);
        const QString text = stream ? joined(parseEvents(r.body), "response.output_text.delta")
                                    : outputText(r.json());
        QCOMPARE(text, FakeZaiServer::expectedAnswer(u"What is this?"_s)
                           + FakeZaiServer::imageNote({u"image/png 8x4"_s}));
    }
    // A broken image is the client's fault: 400 in OpenAI's envelope.
    QJsonArray broken = content;
    broken[0] = QJsonObject{{u"type"_s, u"input_image"_s}, {u"image_url"_s, u"data:image/png;base64,!!nope!!"_s}};
    const HttpResponse bad = post(bed, responsesBody(u"GLM-4.5"_s, QJsonArray{user(broken)}, false));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.error().value(u"type"_s).toString(), u"invalid_request_error"_s);
    // A file id names OpenAI's storage.
    broken[0] = QJsonObject{{u"type"_s, u"input_image"_s}, {u"file_id"_s, u"file-123"_s}};
    const HttpResponse file = post(bed, responsesBody(u"GLM-4.5"_s, QJsonArray{user(broken)}, false));
    QCOMPARE(file.status, 400);
    QCOMPARE(file.error().value(u"param"_s).toString(), u"input[0].content[0].file_id"_s);
}

void TestOpenAiResponses::jsonSchemaFormat()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonObject format = QJsonDocument::fromJson(R"({"format":{"type":"json_schema","name":"answer",
        "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}})")
                                   .object();
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"Where?"_s, false, {{u"text"_s, format}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"text"_s).toObject().value(u"format"_s).toObject().value(u"name"_s).toString(),
             u"answer"_s);
    // The schema reached the model's instructions.
    QVERIFY(bed.fake->requests(CompletionsPath).last().body.contains("city"));
    const HttpResponse bad = post(bed, responsesBody(u"GLM-4.5"_s, u"Where?"_s, false,
                                                     {{u"text"_s, QJsonObject{{u"format"_s, QJsonObject{{u"type"_s, u"json_schema"_s}}}}}}));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.error().value(u"param"_s).toString(), u"text.format.name"_s);
}

void TestOpenAiResponses::storedStateRefused()
{
    TestBed bed;
    QVERIFY(bed.start());
    HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"and then?"_s, false,
                                             {{u"previous_response_id"_s, u"resp_abc"_s}, {u"store"_s, true}}));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(u"param"_s).toString(), u"previous_response_id"_s);
    QCOMPARE(r.error().value(u"code"_s).toString(), u"previous_response_not_found"_s);
    QVERIFY(r.error().value(u"message"_s).toString().contains(u"keeps no responses"_s));
    r = post(bed, responsesBody(u"GLM-4.5"_s, u"x"_s, false, {{u"background"_s, true}}));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(u"param"_s).toString(), u"background"_s);
    r = post(bed, responsesBody(u"GLM-4.5"_s, QJsonArray{QJsonObject{{u"type"_s, u"item_reference"_s}, {u"id"_s, u"msg_1"_s}}}, false));
    QCOMPARE(r.status, 400);
    // Retrieval of a response: a 404 that says why.
    const HttpResponse get = Http::get(bed.url(u"/v1/responses/resp_abc"_s));
    QCOMPARE(get.status, 404);
    QVERIFY(get.error().value(u"message"_s).toString().contains(u"keeps no responses"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
    // store: true alone is answered (and kept nowhere).
    r = post(bed, responsesBody(u"GLM-4.5"_s, u"x"_s, false, {{u"store"_s, true}}));
    QCOMPARE(r.status, 200);
}

void TestOpenAiResponses::errorShapes()
{
    TestBed bed;
    QVERIFY(bed.start());
    const auto verifyError = [&](const QByteArray &body, int status, const QString &param) {
        const HttpResponse r = post(bed, body);
        QCOMPARE(r.status, status);
        const QJsonObject error = r.error();
        QCOMPARE(error.value(u"type"_s).toString(), u"invalid_request_error"_s);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
        QCOMPARE(error.value(u"param"_s).toString(), param);
        QVERIFY(error.contains(u"code"_s));
    };
    verifyError(R"({"model":"GLM-4.5"})", 400, u"input"_s);
    verifyError(R"({"input":"x"})", 400, u"model"_s);
    verifyError("{not json", 400, QString());
    verifyError(R"({"model":"GLM-4.5","input":[]})", 400, u"input"_s);
    verifyError(R"({"model":"GLM-4.5","input":42})", 400, u"input"_s);
    verifyError(R"({"model":"GLM-4.5","input":[{"type":"message","role":"tool","content":"x"}]})", 400,
                u"input[0].role"_s);
    verifyError(R"({"model":"GLM-4.5","input":[{"type":"function_call_output","call_id":"call_nope","output":"x"}]})",
                400, u"input[0].call_id"_s);
    verifyError(R"({"model":"GLM-4.5","input":[{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},
                {"role":"user","content":"x"}]})", 400, u"input"_s);
    verifyError(R"({"model":"GLM-4.5","input":[{"type":"function_call","call_id":"call_1","name":"f","arguments":"[1]"}]})",
                400, u"input[0].arguments"_s);
    verifyError(R"({"model":"GLM-4.5","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]})",
                400, u"input[0].content[0].type"_s);
    verifyError(R"({"model":"GLM-4.5","input":"x","tools":[{"type":"function","name":"bad name"}]})", 400,
                u"tools[0].name"_s);
    verifyError(R"({"model":"GLM-4.5","input":"x","reasoning":{"effort":"max"}})", 400, u"reasoning.effort"_s);
    verifyError(R"({"model":"GLM-4.5","input":"x","tool_choice":{"type":"function","name":"nope"},
                "tools":[{"type":"function","name":"f"}]})", 400, u"tool_choice.name"_s);
    verifyError(R"({"model":"GLM-4.5","input":"x","temperature":3})", 400, u"temperature"_s);
    verifyError(R"({"model":"GLM-4.5","input":"x","stream_options":{}})", 400, u"stream_options"_s);
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
    // An unknown model is OpenAI's 404 model_not_found.
    const HttpResponse unknown = post(bed, responsesBody(u"gpt-5-codex"_s, u"x"_s, false));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.error().value(u"code"_s).toString(), u"model_not_found"_s);
    // GET is not a method of the route.
    QCOMPARE(Http::get(bed.url(u"/v1/responses"_s)).status, 405);
    // The server survives all of it.
    QCOMPARE(post(bed, responsesBody(u"GLM-4.5"_s, u"still here"_s, false)).status, 200);
}

void TestOpenAiResponses::upstreamErrorRetriedBeforeFirstByte()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply failure;
    failure.httpStatus = 503;
    failure.body = R"({"detail":"Service Unavailable"})";
    bed.fake->enqueue(failure);
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"eventually"_s, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QCOMPARE(joined(events, "response.output_text.delta"), FakeZaiServer::expectedAnswer(u"eventually"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
}

void TestOpenAiResponses::upstreamUnreachableIsAStatus()
{
    TestBed bed;
    bed.config.maxRetries = 0;
    bed.config.endpoint = u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(closedPort());
    bed.config.tokens = {TestBed::makeToken(u"user-z"_s)};
    QVERIFY(bed.start());
    for (const bool stream : {false, true}) { // a stream still gets a status before its first byte
        const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"anyone?"_s, stream));
        QCOMPARE(r.status, 503);
        QVERIFY(r.error().value(u"message"_s).toString().contains(u"Could not reach Z.AI"_s));
    }
}

void TestOpenAiResponses::accountRateLimitIs429()
{
    TestBed bed;
    const QString only = TestBed::makeToken(u"user-only"_s);
    bed.config.tokens = {only};
    bed.config.maxRetries = 0;
    bed.fake->addValidToken(only);
    QVERIFY(bed.start());
    FakeReply limited;
    limited.httpStatus = 429;
    limited.body = R"({"detail":"Too Many Requests"})";
    bed.fake->enqueue(limited);
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"busy"_s, true));
    QCOMPARE(r.status, 429); // a stream still gets its status before the first byte
    QCOMPARE(r.error().value(u"type"_s).toString(), u"rate_limit_error"_s);
    QVERIFY(r.hasHeader("retry-after"));
}

void TestOpenAiResponses::droppedAfterFirstByteIsResponseFailed()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"Hello"_s), FakeZaiServer::answerEvent(u" wor"_s),
                    FakeZaiServer::answerEvent(u"ld"_s), FakeZaiServer::doneEvent()};
    reply.dropAfterEvents = 2;
    bed.fake->enqueue(reply);
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"drop"_s, true));
    QCOMPARE(r.status, 200);
    const QList<Event> events = parseEvents(r.body);
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.first().name, "response.created");
    QCOMPARE(events.last().name, "response.failed");
    const QJsonObject response = events.last().data.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toString(), u"failed"_s);
    QVERIFY(!response.value(u"error"_s).toObject().value(u"code"_s).toString().isEmpty());
    QVERIFY(!response.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
    QCOMPARE(joined(events, "response.output_text.delta"), u"Hello wor"_s);
    QVERIFY(!names(events).contains(u"response.completed"_s));
    QCOMPARE(events.last().data.value(u"sequence_number"_s).toInt(), events.size() - 1);
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestOpenAiResponses::keepAliveDuringSilence()
{
    TestBed bed;
    bed.config.keepAliveMs = 100;
    QVERIFY(bed.start());
    FakeReply slow;
    slow.events = {FakeZaiServer::answerEvent(u"late"_s), FakeZaiServer::doneEvent()};
    slow.delayMs = 450;
    bed.fake->enqueue(slow);
    const HttpResponse r = post(bed, responsesBody(u"GLM-4.5"_s, u"slow"_s, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QVERIFY2(r.body.count("\n: ping\n") + r.body.startsWith(": ping\n") >= 2, r.body.constData());
    QCOMPARE(joined(events, "response.output_text.delta"), u"late"_s);
}

void TestOpenAiResponses::clientDisconnectCancelsUpstream()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->setDefaultDelayMs(50);
    QList<RequestRecord> records;
    QObject::connect(bed.server.get(), &ApiServer::requestFinished, bed.server.get(),
                     [&](const RequestRecord &record) { records.append(record); });
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/responses",
                       responsesBody(u"GLM-4.5"_s, u"a long answer to walk away from"_s, true),
                       {{"content-type", "application/json"}});
    QVERIFY(client.waitForBody("response.output_text.delta"));
    QCOMPARE(bed.fake->activeStreams(), 1);
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QCOMPARE(bed.fake->completedStreams(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(records.size(), 1, 1000);
    QCOMPARE(records.first().status, 499);
    bed.fake->setDefaultDelayMs(0);
    QCOMPARE(post(bed, responsesBody(u"GLM-4.5"_s, u"next"_s, false)).status, 200);
}

void TestOpenAiResponses::requestLogNamesTheDialect()
{
    TestBed bed;
    QVERIFY(bed.start());
    QList<RequestRecord> records;
    QObject::connect(bed.server.get(), &ApiServer::requestFinished, bed.server.get(),
                     [&](const RequestRecord &record) { records.append(record); });
    QCOMPARE(post(bed, responsesBody(u"GLM-4.5"_s, u"log me"_s, true)).status, 200);
    QTRY_COMPARE(records.size(), 1);
    QCOMPARE(records.first().dialect, u"responses"_s);
    QCOMPARE(records.first().path, u"/v1/responses"_s);
    QCOMPARE(records.first().clientModel, u"GLM-4.5"_s);
    QVERIFY(records.first().completionTokens > 0);
    QVERIFY(records.first().toLogLine().contains(u" dialect=responses "_s));
}

QTEST_GUILESS_MAIN(TestOpenAiResponses)
#include "testOpenAiResponses.moc"
