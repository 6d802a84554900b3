// SPDX-License-Identifier: MIT
// Tool calling through the real server against the fake upstream answering in the tool protocol
// (zai-protocol.md 7.4; issue 3): streamed and not, multi-round conversations, tool_choice,
// parallel_tool_calls, the deprecated functions API, and malformed model output.

#include "FakeZaiServer.h"
#include "IntegrationSupport.h"
#include "zai/Signer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

QJsonArray readFileTools()
{
    const QJsonObject readFile{
        {u"type"_s, u"function"_s},
        {u"function"_s,
         QJsonObject{{u"name"_s, u"read_file"_s},
                     {u"description"_s, u"Read a file"_s},
                     {u"parameters"_s,
                      QJsonObject{{u"type"_s, u"object"_s},
                                  {u"properties"_s,
                                   QJsonObject{{u"path"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
                                  {u"required"_s, QJsonArray{u"path"_s}}}}}}};
    const QJsonObject listFiles{
        {u"type"_s, u"function"_s},
        {u"function"_s, QJsonObject{{u"name"_s, u"list_files"_s},
                                    {u"parameters"_s, QJsonObject{{u"type"_s, u"object"_s}}}}}};
    return {readFile, listFiles};
}

QJsonObject userMessage(const QString &text)
{
    return {{u"role"_s, u"user"_s}, {u"content"_s, text}};
}

QJsonObject request(const QJsonArray &messages, bool stream, const QJsonObject &extra = {})
{
    QJsonObject body{{u"model"_s, u"GLM-4.6"_s},
                     {u"messages"_s, messages},
                     {u"tools"_s, readFileTools()},
                     {u"stream"_s, stream}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return body;
}

// The text of one upstream message (a string, or its text parts).
QString textOf(const QJsonValue &message)
{
    const QJsonValue content = message.toObject().value(u"content"_s);
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &part : content.toArray())
        text += part.toObject().value(u"text"_s).toString();
    return text;
}

// Where the tool prompt went: the system message, or in the default user-only mode (P.12) the
// first message, labelled "System:".
QString systemPrompt(const RecordedRequest &r)
{
    const QJsonArray messages = r.json.value(u"messages"_s).toArray();
    for (const QJsonValue &m : messages) {
        if (m.toObject().value(u"role"_s).toString() == u"system")
            return textOf(m);
    }
    const QString first = messages.isEmpty() ? QString() : textOf(messages.first());
    const qsizetype label = first.indexOf(u"\n\nSystem:\n"_s);
    return label < 0 ? QString() : first.mid(label + 10);
}

// The built-in profile with another messages.mode.
UpstreamProfile profileWithMode(const QString &mode)
{
    QJsonObject json = UpstreamProfile::builtIn().json();
    QJsonObject messages = json.value(u"messages"_s).toObject();
    messages.insert(u"mode"_s, mode);
    json.insert(u"messages"_s, messages);
    QString error;
    return *UpstreamProfile::fromJson(json, &error);
}

QString triggerOf(const RecordedRequest &r)
{
    static const QRegularExpression re(u"<Function_[A-Za-z0-9]{4}_Start/>"_s);
    return re.match(systemPrompt(r)).captured(0);
}

QByteArray answer(const QString &text)
{
    return FakeZaiServer::answerEvent(text);
}

} // namespace

class TestToolCalling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonStreamingCall();
    void streamingCall();
    void multiRoundConversation_data();
    void multiRoundConversation();
    void triggerSplitAcrossDeltas();
    void malformedButRepairable();
    void unknownToolBecomesContent();
    void toolChoiceNone();
    void parallelToolCallsFalse();
    void requiredReasksOnce();
    void requiredGivesUpWithAnError();
    void legacyFunctions();
};

void TestToolCalling::nonStreamingCall()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"read the readme"_s)}, false)));
    QCOMPARE(r.status, 200);
    const QJsonObject choice = r.json().value(u"choices"_s).toArray().first().toObject();
    QCOMPARE(choice.value(u"finish_reason"_s).toString(), u"tool_calls"_s);
    const QJsonObject message = choice.value(u"message"_s).toObject();
    QCOMPARE(message.value(u"content"_s).toString(), u"I will use read_file.\n"_s);
    const QJsonArray calls = message.value(u"tool_calls"_s).toArray();
    QCOMPARE(calls.size(), 1);
    const QJsonObject call = calls.first().toObject();
    QVERIFY(QRegularExpression(u"^call_[A-Za-z0-9]{24}$"_s).match(call.value(u"id"_s).toString()).hasMatch());
    QCOMPARE(call.value(u"type"_s).toString(), u"function"_s);
    QCOMPARE(call.value(u"function"_s).toObject().value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(call.value(u"function"_s).toObject().value(u"arguments"_s).toString(),
             u"{\"path\":\"README.md\"}"_s);

    // The upstream saw the tool list and a trigger in a system message it did not have before.
    const auto upstream = bed.fake->requests(CompletionsPath);
    QCOMPARE(upstream.size(), 1);
    const QString system = systemPrompt(upstream.first());
    QVERIFY(system.contains(u"<tools>"_s));
    QVERIFY(system.contains(u"<tool name=\"read_file\">"_s));
    QVERIFY(!triggerOf(upstream.first()).isEmpty());
}

void TestToolCalling::streamingCall()
{
    TestBed bed;
    QVERIFY(bed.start());
    QJsonObject extra{{u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}}};
    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s),
                   chatBody(request({userMessage(u"read the readme"_s)}, true, extra)));
    QCOMPARE(r.status, 200);
    const QList<SseEvent> events = Sse::parse(r.body);
    QVERIFY(!events.isEmpty());
    QVERIFY(events.last().isDone());
    const QList<QJsonObject> chunks = Sse::chunks(events);
    QJsonArray toolDeltas;
    QString finish;
    for (const QJsonObject &chunk : chunks) {
        const QJsonArray choices = chunk.value(u"choices"_s).toArray();
        if (choices.isEmpty())
            continue;
        const QJsonObject choice = choices.first().toObject();
        for (const QJsonValue &d : choice.value(u"delta"_s).toObject().value(u"tool_calls"_s).toArray())
            toolDeltas.append(d);
        if (choice.value(u"finish_reason"_s).isString())
            finish = choice.value(u"finish_reason"_s).toString();
    }
    QCOMPARE(finish, u"tool_calls"_s);
    QCOMPARE(toolDeltas.size(), 1);
    const QJsonObject delta = toolDeltas.first().toObject();
    QCOMPARE(delta.value(u"index"_s).toInt(-1), 0);
    QVERIFY(delta.value(u"id"_s).toString().startsWith(u"call_"_s));
    QCOMPARE(delta.value(u"type"_s).toString(), u"function"_s);
    QCOMPARE(delta.value(u"function"_s).toObject().value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(QJsonDocument::fromJson(delta.value(u"function"_s).toObject().value(u"arguments"_s).toString().toUtf8())
                 .object()
                 .value(u"path"_s)
                 .toString(),
             u"README.md"_s);
    QCOMPARE(Sse::content(chunks), u"I will use read_file.\n"_s);
    // The usage chunk comes after the finish chunk, with choices: [].
    QVERIFY(chunks.last().value(u"choices"_s).toArray().isEmpty());
    QVERIFY(chunks.last().value(u"usage"_s).toObject().value(u"total_tokens"_s).toInt() > 0);
}

void TestToolCalling::multiRoundConversation_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("user-only (default)") << QString();
    QTest::newRow("roles") << u"roles"_s;
}

void TestToolCalling::multiRoundConversation()
{
    QFETCH(QString, mode);
    if (mode == u"roles"_s)
        ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_ROLES);
    TestBed bed;
    if (!mode.isEmpty())
        bed.profile = profileWithMode(mode);
    QVERIFY(bed.start());
    QJsonArray messages{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are an agent."_s}},
                        userMessage(u"Inspect the project"_s)};
    // Twenty rounds of call -> result, then the final answer quotes the last result.
    for (int round = 0; round < 20; ++round) {
        const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                          chatBody(request(messages, round % 2 == 1)));
        QCOMPARE(r.status, 200);
        QJsonArray calls;
        QString content;
        if (round % 2 == 0) {
            const QJsonObject message = r.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject();
            calls = message.value(u"tool_calls"_s).toArray();
            content = message.value(u"content"_s).toString();
        } else {
            const QList<QJsonObject> chunks = Sse::chunks(Sse::parse(r.body));
            content = Sse::content(chunks);
            for (const QJsonObject &chunk : chunks) {
                const QJsonArray choices = chunk.value(u"choices"_s).toArray();
                if (choices.isEmpty())
                    continue;
                for (const QJsonValue &d : choices.first().toObject().value(u"delta"_s).toObject().value(u"tool_calls"_s).toArray()) {
                    QJsonObject call = d.toObject();
                    call.remove(u"index"_s);
                    calls.append(call);
                }
            }
        }
        QCOMPARE(calls.size(), 1);
        const QString id = calls.first().toObject().value(u"id"_s).toString();
        messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, content}, {u"tool_calls"_s, calls}});
        messages.append(QJsonObject{{u"role"_s, u"tool"_s}, {u"tool_call_id"_s, id},
                                    {u"content"_s, u"result %1"_s.arg(round)}});
        if (round < 19) {
            // Only the last round's result ends the task; before that the user asks for more.
            const HttpResponse next = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(request(messages, false)));
            QCOMPARE(next.status, 200);
            const QString said = next.json().value(u"choices"_s).toArray().first().toObject()
                                     .value(u"message"_s).toObject().value(u"content"_s).toString();
            QCOMPARE(said, u"The tool read_file said: result %1"_s.arg(round));
            messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, said}});
            messages.append(userMessage(u"Continue with step %1"_s.arg(round + 1)));
        }
    }
    const HttpResponse final = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(request(messages, false)));
    QCOMPARE(final.status, 200);
    QCOMPARE(final.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"The tool read_file said: result 19"_s);

    // The last upstream request rendered the history with its own trigger, and was signed over
    // the client's last user message (the fake checks the signature; the prompt is recorded).
    const auto upstream = bed.fake->requests(CompletionsPath);
    const RecordedRequest &last = upstream.last();
    const QString trigger = triggerOf(last);
    QVERIFY(!trigger.isEmpty());
    const QJsonArray sent = last.json.value(u"messages"_s).toArray();
    const bool userOnly = mode.isEmpty();
    const QString assistantRole = userOnly ? u"user"_s : u"assistant"_s;
    const QString assistantHead = userOnly ? u"Assistant:\n"_s : QString();
    const QString resultsHead = userOnly ? u"Tool results:\n"_s : QString();
    int renderedCalls = 0;
    int results = 0;
    for (const QJsonValue &m : sent) {
        const QString text = textOf(m);
        const QString role = m.toObject().value(u"role"_s).toString();
        if (role == assistantRole && text.startsWith(assistantHead)
            && text.contains(trigger + u"\n<function_calls>"_s))
            ++renderedCalls;
        if (role == u"user" && text.startsWith(resultsHead + u"<tool_result tool=\"read_file\""_s))
            ++results;
    }
    QCOMPARE(renderedCalls, 20);
    QCOMPARE(results, 20);
    QCOMPARE(last.json.value(u"signature_prompt"_s).toString(), u"Continue with step 19"_s);
    QVERIFY(bed.fake->lastRejection().isEmpty());

    // Every upstream request of the session: in the default mode only user messages (the live
    // service refuses every other role), in "roles" the list of section 4.3; the system prompt
    // and the task once each, whatever the length of the session; never a tools field.
    QCOMPARE(upstream.size(), 20 + 19 + 1); // a call each round, an answer to 19 results, the end
    for (const RecordedRequest &r : upstream) {
        const QJsonArray list = r.json.value(u"messages"_s).toArray();
        QStringList roles;
        QString all;
        for (const QJsonValue &m : list) {
            roles.append(m.toObject().value(u"role"_s).toString());
            all += textOf(m);
        }
        if (userOnly) {
            QCOMPARE(roles.count(u"user"_s), roles.size());
            QVERIFY(textOf(list.first()).contains(u"\n\nSystem:\nYou are an agent.\n\n# Tools"_s));
        } else {
            QCOMPARE(roles.first(), u"system"_s);
            QVERIFY(list.size() == 2 || roles.contains(u"assistant"_s));
        }
        QCOMPARE(all.count(u"You are an agent."_s), 1);
        QCOMPARE(all.count(u"Inspect the project"_s), 1);
        QCOMPARE(all.count(u"<tools>"_s), 1);
        QVERIFY(!r.json.contains(u"tools"_s));
        QVERIFY(!r.json.contains(u"stream_options"_s));
    }
}

void TestToolCalling::triggerSplitAcrossDeltas()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {answer(u"Checking.\n{{TRIGGER_HEAD}}"_s), answer(u"{{TRIGGER_TAIL}}"_s),
                    answer(u"\n<function_ca"_s), answer(u"lls><function_call><tool>read_"_s),
                    answer(u"file</tool><args_json><![CDATA[{\"path\": \"a.txt\"}]]></args_"_s),
                    answer(u"json></function_call></function_calls>"_s),
                    FakeZaiServer::usageEvent(10, 20), FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"go"_s)}, true)));
    QCOMPARE(r.status, 200);
    const QList<QJsonObject> chunks = Sse::chunks(Sse::parse(r.body));
    QCOMPARE(Sse::content(chunks), u"Checking.\n"_s);
    QVERIFY(r.body.contains("\"finish_reason\":\"tool_calls\""));
    QVERIFY(r.body.contains("{\\\"path\\\":\\\"a.txt\\\"}"));
    QVERIFY(!r.body.contains("function_calls"));
}

void TestToolCalling::malformedButRepairable()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply; // no trigger, no CDATA, fenced JSON with a trailing comma, never closed
    reply.events = {answer(u"<function_calls>\n<function_call>\n<tool>read_file</tool>\n<args_json>```json\n{\"path\": \"b.txt\",}\n```"_s),
                    FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"go"_s)}, false)));
    QCOMPARE(r.status, 200);
    const QJsonObject message = r.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject();
    QCOMPARE(message.value(u"tool_calls"_s).toArray().first().toObject().value(u"function"_s).toObject().value(u"arguments"_s).toString(),
             u"{\"path\":\"b.txt\"}"_s);
}

void TestToolCalling::unknownToolBecomesContent()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    const QString block = u"<function_calls><function_call><tool>rm_rf</tool><args_json>{}</args_json></function_call></function_calls>"_s;
    reply.events = {answer(u"Sure.\n{{TRIGGER}}\n"_s + block), FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"go"_s)}, false)));
    QCOMPARE(r.status, 200);
    const QJsonObject choice = r.json().value(u"choices"_s).toArray().first().toObject();
    QCOMPARE(choice.value(u"finish_reason"_s).toString(), u"stop"_s);
    const QString content = choice.value(u"message"_s).toObject().value(u"content"_s).toString();
    QVERIFY2(content.startsWith(u"Sure.\n<Function_"_s) && content.endsWith(block), qPrintable(content));
    QVERIFY(!choice.value(u"message"_s).toObject().contains(u"tool_calls"_s));
}

void TestToolCalling::toolChoiceNone()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"hello"_s)}, false,
                                                       {{u"tool_choice"_s, u"none"_s}})));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject().value(u"content"_s).toString(),
             FakeZaiServer::expectedAnswer(u"hello"_s));
    QVERIFY(!systemPrompt(bed.fake->requests(CompletionsPath).first()).contains(u"<tools>"_s));
}

void TestToolCalling::parallelToolCallsFalse()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {answer(u"{{TRIGGER}}\n<function_calls><function_call><tool>read_file</tool><args_json>{\"path\":\"1\"}</args_json></function_call>"
                           u"<function_call><tool>list_files</tool><args_json>{}</args_json></function_call></function_calls>"_s),
                    FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    bed.fake->enqueue(reply);
    HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                chatBody(request({userMessage(u"go"_s)}, false)));
    QCOMPARE(r.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject().value(u"tool_calls"_s).toArray().size(), 2);
    r = Http::post(bed.url(u"/v1/chat/completions"_s),
                   chatBody(request({userMessage(u"go"_s)}, false, {{u"parallel_tool_calls"_s, false}})));
    const QJsonArray calls = r.json().value(u"choices"_s).toArray().first().toObject().value(u"message"_s).toObject().value(u"tool_calls"_s).toArray();
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.first().toObject().value(u"function"_s).toObject().value(u"name"_s).toString(), u"read_file"_s);
    QVERIFY(systemPrompt(bed.fake->requests(CompletionsPath).last()).contains(u"at most one tool"_s));
}

void TestToolCalling::requiredReasksOnce()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonObject forced{{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject{{u"name"_s, u"read_file"_s}}}};
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"[no-tool] hi"_s)}, true,
                                                       {{u"tool_choice"_s, forced}})));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("\"finish_reason\":\"tool_calls\""));
    // The first answer's text was held back, not streamed as content.
    QVERIFY(!r.body.contains("Echo: [no-tool]"));
    const auto upstream = bed.fake->requests(CompletionsPath);
    QCOMPARE(upstream.size(), 2);
    QVERIFY(systemPrompt(upstream.first()).contains(u"must call the tool \"read_file\""_s));
    QVERIFY(upstream.last().json.value(u"signature_prompt"_s).toString().contains(u"You must call"_s));
}

void TestToolCalling::requiredGivesUpWithAnError()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply text;
    text.events = {answer(u"I'd rather chat."_s), FakeZaiServer::doneEvent()};
    bed.fake->enqueue(text);
    bed.fake->enqueue(text);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(request({userMessage(u"go"_s)}, false,
                                                       {{u"tool_choice"_s, u"required"_s}})));
    QCOMPARE(r.status, 502);
    QCOMPARE(r.error().value(u"code"_s).toString(), u"tool_call_missing"_s);
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
}

void TestToolCalling::legacyFunctions()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonObject body{
        {u"model"_s, u"GLM-4.5"_s},
        {u"messages"_s, QJsonArray{userMessage(u"look it up"_s)}},
        {u"functions"_s, QJsonArray{QJsonObject{{u"name"_s, u"lookup"_s},
                                                {u"parameters"_s, QJsonObject{{u"type"_s, u"object"_s},
                                                                              {u"properties"_s, QJsonObject{{u"query"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}}}}}}};
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(body));
    QCOMPARE(r.status, 200);
    const QJsonObject choice = r.json().value(u"choices"_s).toArray().first().toObject();
    QCOMPARE(choice.value(u"finish_reason"_s).toString(), u"function_call"_s);
    const QJsonObject call = choice.value(u"message"_s).toObject().value(u"function_call"_s).toObject();
    QCOMPARE(call.value(u"name"_s).toString(), u"lookup"_s);
    QCOMPARE(call.value(u"arguments"_s).toString(), u"{\"query\":\"example\"}"_s);
}

QTEST_GUILESS_MAIN(TestToolCalling)
#include "testToolCalling.moc"
