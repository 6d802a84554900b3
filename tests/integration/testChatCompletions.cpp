// SPDX-License-Identifier: MIT
// POST /v1/chat/completions end to end against the fake upstream: the exact OpenAI wire format
// streamed and not, usage, thinking, request overrides reflected upstream, message conversion,
// the catalogue, persisted chats, headers/query profiles, guest tokens, the FE version and the
// signature the fake verifies (issue 2, points 1, 2, 3, 4, 5).

#include "IntegrationSupport.h"
#include "zai/Signer.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

int estimateTokens(qsizetype characters) // the fake's own estimate
{
    return int(std::max<qsizetype>(1, (characters + 3) / 4));
}

// The usage the fake reports for its default answer to `request`.
QPair<int, int> fakeUsage(const RecordedRequest &request, const QString &answer,
                          const QString &thought)
{
    qsizetype chars = 0;
    const QJsonArray messages = request.json.value("messages"_L1).toArray();
    for (const QJsonValue &m : messages) {
        const QJsonValue content = m.toObject().value("content"_L1);
        if (content.isString()) {
            chars += content.toString().size();
        } else {
            QStringList parts;
            for (const QJsonValue &p : content.toArray()) {
                if (p.toObject().value("type"_L1).toString() == "text"_L1)
                    parts.append(p.toObject().value("text"_L1).toString());
            }
            chars += parts.join(u' ').size();
        }
    }
    return {estimateTokens(chars), estimateTokens(answer.size() + thought.size())};
}

void verifyUsage(const QJsonObject &usage)
{
    QVERIFY(usage.value("prompt_tokens"_L1).isDouble());
    QVERIFY(usage.value("completion_tokens"_L1).isDouble());
    QVERIFY(usage.value("total_tokens"_L1).isDouble());
    QVERIFY(usage.value("prompt_tokens"_L1).toInt() > 0);
    QVERIFY(usage.value("completion_tokens"_L1).toInt() > 0);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(),
             usage.value("prompt_tokens"_L1).toInt() + usage.value("completion_tokens"_L1).toInt());
}

// Checks the whole SSE body against openai-compat.md section 2 and returns the JSON chunks.
QList<QJsonObject> verifyStreamWire(const HttpResponse &r, const QString &model, bool includeUsage)
{
    QList<QJsonObject> out;
    [&] {
        QCOMPARE(r.status, 200);
        QVERIFY(r.complete);
        QVERIFY(r.chunked);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        QVERIFY(r.body.endsWith("\n\n"));
        const QList<SseEvent> events = Sse::parse(r.body);
        QVERIFY(events.size() >= 4);
        int doneCount = 0;
        for (const SseEvent &e : events) {
            if (e.comment)
                continue;
            // One line per event: `data: <one JSON object>`.
            QVERIFY2(e.raw.startsWith("data: "), e.raw.constData());
            QVERIFY2(!e.raw.contains('\n'), e.raw.constData());
            QVERIFY2(e.isDone() || !e.json.isEmpty(), e.raw.constData());
            doneCount += e.isDone();
        }
        QCOMPARE(doneCount, 1);
        QVERIFY(events.last().isDone());

        out = Sse::chunks(events);
        QVERIFY(!out.isEmpty());
        const QString id = out.first().value("id"_L1).toString();
        const double created = out.first().value("created"_L1).toDouble();
        QVERIFY(id.startsWith(u"chatcmpl-"_s));
        QVERIFY(qAbs(created - double(QDateTime::currentSecsSinceEpoch())) < 120);
        int finishes = 0;
        for (qsizetype i = 0; i < out.size(); ++i) {
            const QJsonObject &c = out.at(i);
            QCOMPARE(c.value("id"_L1).toString(), id);
            QCOMPARE(c.value("created"_L1).toDouble(), created);
            QCOMPARE(c.value("object"_L1).toString(), u"chat.completion.chunk"_s);
            QCOMPARE(c.value("model"_L1).toString(), model);
            QVERIFY(c.value("choices"_L1).isArray());
            const QJsonArray choices = c.value("choices"_L1).toArray();
            if (choices.isEmpty()) {
                // The usage chunk: only with include_usage, and only right before [DONE].
                QVERIFY(includeUsage);
                QCOMPARE(i, out.size() - 1);
                QVERIFY(c.value("usage"_L1).isObject());
                verifyUsage(c.value("usage"_L1).toObject());
                continue;
            }
            QCOMPARE(choices.size(), 1);
            const QJsonObject choice = choices.first().toObject();
            QCOMPARE(choice.value("index"_L1).toInt(-1), 0);
            QVERIFY(choice.value("delta"_L1).isObject());
            QVERIFY(choice.contains("logprobs"_L1));
            QVERIFY(choice.value("logprobs"_L1).isNull());
            QVERIFY(choice.contains("finish_reason"_L1));
            const QJsonObject delta = choice.value("delta"_L1).toObject();
            // role on the first delta only
            QCOMPARE(delta.value("role"_L1).toString(), i == 0 ? u"assistant"_s : QString());
            if (!choice.value("finish_reason"_L1).isNull())
                ++finishes;
            if (includeUsage) {
                QVERIFY2(c.contains("usage"_L1) && c.value("usage"_L1).isNull(),
                         QJsonDocument(c).toJson().constData());
            } else {
                QVERIFY(!c.value("usage"_L1).isObject());
            }
        }
        QCOMPARE(finishes, 1);
        if (includeUsage) {
            QVERIFY(out.last().value("choices"_L1).toArray().isEmpty());
            const qsizetype finishIndex = out.size() - 2;
            QVERIFY(!out.at(finishIndex)
                         .value("choices"_L1)
                         .toArray()
                         .first()
                         .toObject()
                         .value("finish_reason"_L1)
                         .isNull());
        } else {
            QVERIFY(!out.last()
                         .value("choices"_L1)
                         .toArray()
                         .first()
                         .toObject()
                         .value("finish_reason"_L1)
                         .isNull());
        }
    }();
    return out;
}

QString finishReason(const QList<QJsonObject> &chunks)
{
    for (const QJsonObject &c : chunks) {
        const QJsonValue reason =
            c.value("choices"_L1).toArray().first().toObject().value("finish_reason"_L1);
        if (reason.isString())
            return reason.toString();
    }
    return {};
}

HttpResponse streamChat(TestBed &bed, const QByteArray &body)
{
    RawClient client;
    if (!client.connectTo(bed.port()))
        return {};
    client.sendRequest("POST", "/v1/chat/completions", body);
    return client.readResponse();
}

QJsonObject lastCompletionBody(const TestBed &bed)
{
    const auto requests = bed.fake->requests(CompletionsPath);
    return requests.isEmpty() ? QJsonObject() : requests.last().json;
}

} // namespace

class TestChatCompletions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonStreaming();
    void streaming();
    void streamingWithUsage();
    void thinkingStream();
    void thinkingNonStreaming();
    void estimatedUsageWhenUpstreamSendsNone();
    void overridesReachTheUpstream_data();
    void overridesReachTheUpstream();
    void paramsForwarded();
    void developerBecomesSystem();
    void multiPartTextJoined();
    void unknownFieldsAccepted();
    void modelNameCaseInsensitive();
    void persistedModelsCreateChat();
    void nonPersistedModelsDoNot();
    void everyCatalogueModelAnswers_data();
    void everyCatalogueModelAnswers();
    void queryProfilesAndHeaders();
    void signatureVerifiedByFake();
    void wrongSigningSecretIsReported();
    void guestTokensWhenNoTokenConfigured();
    void configuredTokenIsUsed();
    void feVersionScrapedAndCached();
    void feVersionCacheExpires();
    void invalidRequests_data();
    void invalidRequests();
    void recordedCaptureNoMarkupLeaks();
    void toolBlockStreamNoMarkupLeaks();

private:
    void developerBecomesSystemIn(TestBed &bed, const QString &role, const QString &text);
};

void TestChatCompletions::nonStreaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, u"Hello there"_s, false));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    const QJsonObject json = r.json();
    QVERIFY(json.value("id"_L1).toString().startsWith(u"chatcmpl-"_s));
    QCOMPARE(json.value("object"_L1).toString(), u"chat.completion"_s);
    QVERIFY(qAbs(json.value("created"_L1).toDouble() - double(QDateTime::currentSecsSinceEpoch()))
            < 120);
    QCOMPARE(json.value("model"_L1).toString(), u"GLM-4.5"_s);
    const QJsonArray choices = json.value("choices"_L1).toArray();
    QCOMPARE(choices.size(), 1);
    const QJsonObject choice = choices.first().toObject();
    QCOMPARE(choice.value("index"_L1).toInt(-1), 0);
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    QVERIFY(choice.contains("logprobs"_L1) && choice.value("logprobs"_L1).isNull());
    const QJsonObject message = choice.value("message"_L1).toObject();
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(message.value("content"_L1).toString(), FakeZaiServer::expectedAnswer(u"Hello there"_s));
    QVERIFY(!message.contains("reasoning_content"_L1));

    // Usage is the upstream's own count.
    const QJsonObject usage = json.value("usage"_L1).toObject();
    verifyUsage(usage);
    const auto requests = bed.fake->requests(CompletionsPath);
    QCOMPARE(requests.size(), 1);
    const auto expected =
        fakeUsage(requests.first(), FakeZaiServer::expectedAnswer(u"Hello there"_s), {});
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), expected.first);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), expected.second);
    QVERIFY(bed.fake->lastRejection().isEmpty());
}

void TestChatCompletions::streaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = streamChat(bed, chatBody(u"GLM-4.5"_s, u"stream me"_s, true));
    const QList<QJsonObject> chunks = verifyStreamWire(r, u"GLM-4.5"_s, false);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(Sse::content(chunks), FakeZaiServer::expectedAnswer(u"stream me"_s));
    QCOMPARE(Sse::reasoning(chunks), QString());
    QCOMPARE(finishReason(chunks), u"stop"_s);
    // The fake's answer came in several deltas; so does ours.
    QVERIFY(chunks.size() >= 4);
    QVERIFY(!r.body.contains("\"usage\""));
}

void TestChatCompletions::streamingWithUsage()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r =
        streamChat(bed, chatBody(u"GLM-4.5"_s, u"count me"_s, true,
                                 {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}}));
    const QList<QJsonObject> chunks = verifyStreamWire(r, u"GLM-4.5"_s, true);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(Sse::content(chunks), FakeZaiServer::expectedAnswer(u"count me"_s));
    const QJsonObject usage = chunks.last().value("usage"_L1).toObject();
    const auto expected = fakeUsage(bed.fake->requests(CompletionsPath).first(),
                                    FakeZaiServer::expectedAnswer(u"count me"_s), {});
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), expected.first);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), expected.second);
}

void TestChatCompletions::thinkingStream()
{
    for (const QString &model : {u"GLM-4.5-Thinking"_s, u"GLM-4.7-Thinking"_s}) {
        TestBed bed;
        QVERIFY(bed.start());
        const QString prompt = u"think about " + model;
        const HttpResponse r =
            streamChat(bed, chatBody(model, prompt, true,
                                     {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}}));
        const QList<QJsonObject> chunks = verifyStreamWire(r, model, true);
        if (QTest::currentTestFailed())
            return;
        const QString reasoning = Sse::reasoning(chunks);
        const QString content = Sse::content(chunks);
        QCOMPARE(reasoning, FakeZaiServer::expectedThought(prompt));
        QCOMPARE(content.trimmed(), FakeZaiServer::expectedAnswer(prompt));
        // No wrapper or quote markup leaks into either.
        for (const QString &text : {reasoning, content}) {
            QVERIFY2(!text.contains(u"<details"_s), qPrintable(text));
            QVERIFY2(!text.contains(u"</summary>"_s), qPrintable(text));
            QVERIFY2(!text.contains(u"\n> "_s), qPrintable(text));
        }
        // Reasoning comes before the answer.
        qsizetype firstReasoning = -1, firstContent = -1;
        for (qsizetype i = 0; i < chunks.size(); ++i) {
            const QJsonObject delta =
                chunks.at(i).value("choices"_L1).toArray().first().toObject().value("delta"_L1).toObject();
            if (firstReasoning < 0 && !delta.value("reasoning_content"_L1).toString().isEmpty())
                firstReasoning = i;
            if (firstContent < 0 && !delta.value("content"_L1).toString().isEmpty())
                firstContent = i;
        }
        QVERIFY(firstReasoning > 0);
        QVERIFY(firstContent > firstReasoning);
        QCOMPARE(lastCompletionBody(bed).value("features"_L1).toObject().value("enable_thinking"_L1),
                 QJsonValue(true));
    }
}

void TestChatCompletions::thinkingNonStreaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.6-Thinking"_s, u"why"_s, false));
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    const QJsonObject message =
        json.value("choices"_L1).toArray().first().toObject().value("message"_L1).toObject();
    QCOMPARE(message.value("reasoning_content"_L1).toString(), FakeZaiServer::expectedThought(u"why"_s));
    QCOMPARE(message.value("content"_L1).toString().trimmed(), FakeZaiServer::expectedAnswer(u"why"_s));
    const QJsonObject usage = json.value("usage"_L1).toObject();
    verifyUsage(usage);
    QVERIFY(usage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInt()
            > 0);
}

void TestChatCompletions::estimatedUsageWhenUpstreamSendsNone()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"a prompt of some length for the estimate"_s;
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"An answer without any usage numbers."_s),
                    FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                chatBody(u"GLM-4.5"_s, prompt, false));
    QCOMPARE(r.status, 200);
    QJsonObject usage = r.json().value("usage"_L1).toObject();
    verifyUsage(usage);
    // About four characters a token: the estimate is in the right range, never zero.
    QVERIFY(usage.value("prompt_tokens"_L1).toInt() >= prompt.size() / 8);
    QVERIFY(usage.value("completion_tokens"_L1).toInt() >= 4);

    bed.fake->enqueue(reply);
    r = streamChat(bed, chatBody(u"GLM-4.5"_s, prompt, true,
                                 {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}}));
    const QList<QJsonObject> chunks = verifyStreamWire(r, u"GLM-4.5"_s, true);
    if (QTest::currentTestFailed())
        return;
    usage = chunks.last().value("usage"_L1).toObject();
    verifyUsage(usage);
    QVERIFY(usage.value("completion_tokens"_L1).toInt() >= 4);
}

void TestChatCompletions::overridesReachTheUpstream_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QJsonObject>("extra");
    QTest::addColumn<bool>("thinking");
    QTest::addColumn<bool>("search");
    QTest::newRow("defaults GLM-4.5") << u"GLM-4.5"_s << QJsonObject() << false << false;
    QTest::newRow("defaults GLM-4.5-Thinking") << u"GLM-4.5-Thinking"_s << QJsonObject() << true << false;
    QTest::newRow("defaults GLM-4.5-Search") << u"GLM-4.5-Search"_s << QJsonObject() << false << true;
    QTest::newRow("enable_thinking on") << u"GLM-4.5"_s << QJsonObject{{"enable_thinking"_L1, true}}
                                        << true << false;
    QTest::newRow("enable_thinking off") << u"GLM-4.5-Thinking"_s
                                         << QJsonObject{{"enable_thinking"_L1, false}} << false << false;
    QTest::newRow("thinking.type enabled")
        << u"GLM-4.5"_s << QJsonObject{{"thinking"_L1, QJsonObject{{"type"_L1, u"enabled"_s}}}}
        << true << false;
    QTest::newRow("thinking.type disabled")
        << u"GLM-4.7-Thinking"_s
        << QJsonObject{{"thinking"_L1, QJsonObject{{"type"_L1, u"disabled"_s}}}} << false << false;
    QTest::newRow("reasoning_effort high") << u"GLM-4.5"_s
                                           << QJsonObject{{"reasoning_effort"_L1, u"high"_s}} << true
                                           << false;
    QTest::newRow("reasoning_effort none") << u"GLM-4.5-Thinking"_s
                                           << QJsonObject{{"reasoning_effort"_L1, u"none"_s}}
                                           << false << false;
    QTest::newRow("reasoning_effort minimal") << u"GLM-5"_s
                                              << QJsonObject{{"reasoning_effort"_L1, u"minimal"_s}}
                                              << false << false;
    QTest::newRow("web_search on") << u"GLM-4.5"_s << QJsonObject{{"web_search"_L1, true}} << false
                                   << true;
    QTest::newRow("web_search off") << u"GLM-4.5-Search"_s << QJsonObject{{"web_search"_L1, false}}
                                    << false << false;
    QTest::newRow("web_search_options") << u"GLM-4.6"_s
                                        << QJsonObject{{"web_search_options"_L1, QJsonObject()}}
                                        << false << true;
}

void TestChatCompletions::overridesReachTheUpstream()
{
    QFETCH(QString, model);
    QFETCH(QJsonObject, extra);
    QFETCH(bool, thinking);
    QFETCH(bool, search);
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"switches"_s;
    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(model, prompt, false, extra));
    QCOMPARE(r.status, 200);
    const QJsonObject features = lastCompletionBody(bed).value("features"_L1).toObject();
    QCOMPARE(features.value("enable_thinking"_L1).toBool(), thinking);
    QCOMPARE(features.value("web_search"_L1).toBool(), search);
    // ... and the answer shows it (the fake thinks and searches when asked to).
    const QJsonObject message =
        r.json().value("choices"_L1).toArray().first().toObject().value("message"_L1).toObject();
    QCOMPARE(message.contains("reasoning_content"_L1), thinking);
    QCOMPARE(message.value("content"_L1).toString().trimmed(),
             FakeZaiServer::expectedAnswer(prompt, search));
}

void TestChatCompletions::paramsForwarded()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(
        bed.url(u"/v1/chat/completions"_s),
        chatBody(u"GLM-4.5"_s, u"params"_s, false,
                 {{"temperature"_L1, 0.25}, {"top_p"_L1, 0.5}, {"max_tokens"_L1, 500}}));
    QCOMPARE(r.status, 200);
    const QJsonObject params = lastCompletionBody(bed).value("params"_L1).toObject();
    QCOMPARE(params.value("temperature"_L1).toDouble(), 0.25);
    QCOMPARE(params.value("top_p"_L1).toDouble(), 0.5);
    QCOMPARE(params.value("max_tokens"_L1).toInt(), 500);
}

void TestChatCompletions::developerBecomesSystem()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_ROLES);
    // In the default user-only mode (zai-protocol.md P.12) it is the "System:" turn; with the
    // profile's "roles" mode a system message.
    for (const bool roles : {false, true}) {
        TestBed bed;
        if (roles) {
            QJsonObject json = UpstreamProfile::builtIn().json();
            json.insert("messages"_L1, QJsonObject{{"mode"_L1, u"roles"_s}});
            QString error;
            bed.profile = UpstreamProfile::fromJson(json, &error);
            QVERIFY2(bed.profile, qPrintable(error));
        }
        developerBecomesSystemIn(bed, roles ? u"system"_s : u"user"_s,
                                 roles ? u"Answer tersely."_s : u"System:\nAnswer tersely."_s);
    }
}

void TestChatCompletions::developerBecomesSystemIn(TestBed &bed, const QString &role,
                                                   const QString &text)
{
    QVERIFY(bed.start());
    const QJsonObject body{
        {"model"_L1, u"GLM-4.5"_s},
        {"messages"_L1,
         QJsonArray{QJsonObject{{"role"_L1, u"developer"_s}, {"content"_L1, u"Answer tersely."_s}},
                    QJsonObject{{"role"_L1, u"user"_s}, {"content"_L1, u"Hi"_s}}}}};
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(body));
    QCOMPARE(r.status, 200);
    const QJsonArray messages = lastCompletionBody(bed).value("messages"_L1).toArray();
    bool found = false;
    for (const QJsonValue &m : messages) {
        QVERIFY(m.toObject().value("role"_L1).toString() != u"developer"_s);
        if (m.toObject().value("role"_L1).toString() == role
            && m.toObject().value("content"_L1).toString().contains(text))
            found = true;
    }
    QVERIFY(found);
}

void TestChatCompletions::multiPartTextJoined()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonObject body{
        {"model"_L1, u"GLM-4.5"_s},
        {"messages"_L1,
         QJsonArray{QJsonObject{
             {"role"_L1, u"user"_s},
             {"content"_L1, QJsonArray{QJsonObject{{"type"_L1, u"text"_s}, {"text"_L1, u"first part"_s}},
                                       QJsonObject{{"type"_L1, u"text"_s}, {"text"_L1, u"second part"_s}}}}}}}};
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(body));
    QCOMPARE(r.status, 200);
    const QJsonObject upstream = lastCompletionBody(bed);
    const QJsonArray messages = upstream.value("messages"_L1).toArray();
    const QJsonObject last = messages.last().toObject();
    QCOMPARE(last.value("role"_L1).toString(), u"user"_s);
    QVERIFY(last.value("content"_L1).isString()); // text-only content is sent as one string
    const QString joined = last.value("content"_L1).toString();
    QVERIFY(joined.contains(u"first part"_s));
    QVERIFY(joined.contains(u"second part"_s));
    QVERIFY(joined.indexOf(u"first part"_s) < joined.indexOf(u"second part"_s));
    // The signed prompt is the same joined text, and the answer echoes it.
    QCOMPARE(upstream.value("signature_prompt"_L1).toString(), joined);
    QCOMPARE(r.answer(),
             FakeZaiServer::expectedAnswer(joined));
}

void TestChatCompletions::unknownFieldsAccepted()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonObject extra{
        {"logprobs"_L1, true},
        {"top_logprobs"_L1, 2},
        {"seed"_L1, 42},
        {"presence_penalty"_L1, 0.1},
        {"frequency_penalty"_L1, 0.2},
        {"logit_bias"_L1, QJsonObject{{"50256"_L1, -100}}},
        {"user"_L1, u"someone"_s},
        {"metadata"_L1, QJsonObject{{"k"_L1, u"v"_s}}},
        {"store"_L1, false},
        {"service_tier"_L1, u"auto"_s},
        {"prompt_cache_key"_L1, u"cache-1"_s},
        {"verbosity"_L1, u"low"_s},
        {"cache_control"_L1, QJsonObject{{"type"_L1, u"ephemeral"_s}}},
        {"n"_L1, 1},
        {"x_vendor_extension"_L1, QJsonObject{{"anything"_L1, QJsonArray{1, 2, 3}}}},
        {"provider"_L1, QJsonObject{{"order"_L1, QJsonArray{u"z"_s}}}},
    };
    HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                chatBody(u"GLM-4.5"_s, u"extras"_s, false, extra));
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value("choices"_L1).toArray().first().toObject().value("logprobs"_L1).isNull());
    r = streamChat(bed, chatBody(u"GLM-4.5"_s, u"extras"_s, true, extra));
    verifyStreamWire(r, u"GLM-4.5"_s, false);
}

void TestChatCompletions::modelNameCaseInsensitive()
{
    TestBed bed;
    QVERIFY(bed.start());
    for (const QString &name : {u"glm-4.5"_s, u"GLM-4.5-THINKING"_s, u"Glm-4.5-Air"_s}) {
        const HttpResponse r =
            Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(name, u"case"_s, false));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("model"_L1).toString().toLower(), name.toLower());
        QVERIFY(r.json().value("model"_L1).toString().startsWith(u"GLM-"_s)); // canonical spelling
    }
}

void TestChatCompletions::persistedModelsCreateChat()
{
    TestBed bed;
    QVERIFY(bed.start());
    for (const QString &model : {u"GLM-4.7"_s, u"GLM-4.6V"_s}) {
        bed.fake->clearRecords();
        const QString prompt = u"persisted " + model;
        const HttpResponse r =
            Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(model, prompt, false));
        QCOMPARE(r.status, 200);
        const auto created = bed.fake->requests(u"/api/v1/chats/new"_s);
        QCOMPARE(created.size(), 1);
        const QJsonObject chat = created.first().json.value("chat"_L1).toObject();
        const QString upstream = model == u"GLM-4.7"_s ? u"glm-4.7"_s : u"glm-4.6v"_s;
        QCOMPARE(chat.value("models"_L1).toArray(), QJsonArray{upstream});
        // The completion uses the created chat and the message id from chats/new.
        const QJsonObject completion = lastCompletionBody(bed);
        QVERIFY(bed.fake->chatIds().contains(completion.value("chat_id"_L1).toString()));
        const QString messageId = completion.value("current_user_message_id"_L1).toString();
        QCOMPARE(chat.value("history"_L1).toObject().value("currentId"_L1).toString(), messageId);
        QCOMPARE(r.answer()
                     .trimmed(),
                 FakeZaiServer::expectedAnswer(prompt));
    }
}

void TestChatCompletions::nonPersistedModelsDoNot()
{
    TestBed bed;
    QVERIFY(bed.start());
    for (const QString &model : {u"GLM-4.5"_s, u"GLM-4.6"_s, u"GLM-5"_s}) {
        const HttpResponse r =
            Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(model, u"simple"_s, false));
        QCOMPARE(r.status, 200);
    }
    QCOMPARE(bed.fake->count(u"/api/v1/chats/new"_s), 0);
    QCOMPARE(bed.fake->count(CompletionsPath), 3);
}

void TestChatCompletions::everyCatalogueModelAnswers_data()
{
    // Client-facing name -> upstream id, thinking and search defaults (zai-protocol.md P.8).
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<bool>("thinking");
    QTest::addColumn<bool>("search");
    QTest::newRow("GLM-4.7") << u"GLM-4.7"_s << u"glm-4.7"_s << false << false;
    QTest::newRow("GLM-4.7-Thinking") << u"GLM-4.7-Thinking"_s << u"glm-4.7"_s << true << false;
    QTest::newRow("GLM-4.7-Search") << u"GLM-4.7-Search"_s << u"glm-4.7"_s << false << true;
    QTest::newRow("GLM-4.6") << u"GLM-4.6"_s << u"GLM-4-6-API-V1"_s << false << false;
    QTest::newRow("GLM-4.6-Thinking") << u"GLM-4.6-Thinking"_s << u"GLM-4-6-API-V1"_s << true << false;
    QTest::newRow("GLM-4.6-Search") << u"GLM-4.6-Search"_s << u"GLM-4-6-API-V1"_s << false << true;
    QTest::newRow("GLM-4.5") << u"GLM-4.5"_s << u"0727-360B-API"_s << false << false;
    QTest::newRow("GLM-4.5-Thinking") << u"GLM-4.5-Thinking"_s << u"0727-360B-API"_s << true << false;
    QTest::newRow("GLM-4.5-Search") << u"GLM-4.5-Search"_s << u"0727-360B-API"_s << false << true;
    QTest::newRow("GLM-4.5-Air") << u"GLM-4.5-Air"_s << u"0727-106B-API"_s << false << false;
    QTest::newRow("GLM-4.5V") << u"GLM-4.5V"_s << u"glm-4.5v"_s << false << false;
    QTest::newRow("GLM-4.6V") << u"GLM-4.6V"_s << u"glm-4.6v"_s << true << false;
    QTest::newRow("GLM-5") << u"GLM-5"_s << u"glm-5"_s << true << false;
    QTest::newRow("GLM-5-Search") << u"GLM-5-Search"_s << u"glm-5"_s << true << true;
}

void TestChatCompletions::everyCatalogueModelAnswers()
{
    QFETCH(QString, model);
    QFETCH(QString, upstream);
    QFETCH(bool, thinking);
    QFETCH(bool, search);
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"hello " + model;
    const HttpResponse r = streamChat(bed, chatBody(model, prompt, true));
    const QList<QJsonObject> chunks = verifyStreamWire(r, model, false);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(Sse::content(chunks).trimmed(), FakeZaiServer::expectedAnswer(prompt, search));
    QCOMPARE(Sse::reasoning(chunks).isEmpty(), !thinking);
    const QJsonObject body = lastCompletionBody(bed);
    QCOMPARE(body.value("model"_L1).toString(), upstream);
    QCOMPARE(body.value("features"_L1).toObject().value("enable_thinking"_L1).toBool(), thinking);
    QCOMPARE(body.value("features"_L1).toObject().value("web_search"_L1).toBool(), search);
}

void TestChatCompletions::queryProfilesAndHeaders()
{
    TestBed bed;
    const QString token = TestBed::makeToken(u"0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a"_s);
    bed.config.tokens = {token};
    bed.fake->addValidToken(token);
    QVERIFY(bed.start());

    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"q"_s, false)).status,
             200);
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.7"_s, u"q"_s, false)).status,
             200);
    const auto requests = bed.fake->requests(CompletionsPath);
    QCOMPARE(requests.size(), 2);
    const QByteArray origin = bed.fake->baseUrl().toString().toUtf8();
    for (const RecordedRequest &req : requests) {
        QCOMPARE(req.header("authorization"), "Bearer " + token.toUtf8());
        QCOMPARE(req.header("origin"), origin);
        QVERIFY(req.header("referer").startsWith(QByteArray(origin + "/c/")));
        QCOMPARE(req.header("x-fe-version"), bed.fake->feVersion().toUtf8());
        QVERIFY(QRegularExpression(u"^[0-9a-f]{64}$"_s)
                    .match(QString::fromLatin1(req.header("x-signature")))
                    .hasMatch());
        QVERIFY(!req.header("user-agent").isEmpty());
        QCOMPARE(req.queryValue(u"user_id"_s), u"0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a"_s);
        QCOMPARE(req.queryValue(u"token"_s), token);
        QCOMPARE(req.queryValue(u"signature_timestamp"_s), req.queryValue(u"timestamp"_s));
        QVERIFY(qAbs(req.queryValue(u"timestamp"_s).toLongLong()
                     - QDateTime::currentMSecsSinceEpoch())
                < 60000);
        QCOMPARE(req.queryValue(u"version"_s), u"0.0.1"_s);
        QCOMPARE(req.queryValue(u"platform"_s), u"web"_s);
        const QString chatId = req.json.value("chat_id"_L1).toString();
        QCOMPARE(req.queryValue(u"pathname"_s), u"/c/"_s + chatId);
    }
    // Minimal profile for GLM-4.5, the browser fingerprint for the persisted GLM-4.7 (1.1).
    const RecordedRequest &simple = requests.at(0);
    const RecordedRequest &persisted = requests.at(1);
    QVERIFY(!simple.query.hasQueryItem(u"screen_width"_s));
    QVERIFY(!simple.query.hasQueryItem(u"user_agent"_s));
    QCOMPARE(simple.header("accept"), "application/json"_ba);
    for (const QString &key : {u"user_agent"_s, u"screen_width"_s, u"timezone"_s, u"local_time"_s,
                               u"utc_time"_s, u"host"_s})
        QVERIFY2(persisted.query.hasQueryItem(key), qPrintable(key));
    QCOMPARE(persisted.header("accept"), "*/*"_ba);
    // A configured token needs no guest.
    QCOMPARE(bed.fake->count(u"/api/v1/auths"_s), 0);
}

void TestChatCompletions::signatureVerifiedByFake()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"Hello, 世界!"_s;
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, prompt, false)).status,
             200);
    // The fake answered, so it accepted the signature; recompute it here as well.
    const RecordedRequest req = bed.fake->requests(CompletionsPath).first();
    QCOMPARE(req.json.value("signature_prompt"_L1).toString(), prompt);
    const QByteArray expected = Signer::sign(Signer::defaultSecret(), req.queryValue(u"requestId"_s),
                                             req.queryValue(u"timestamp"_s).toLongLong(),
                                             req.queryValue(u"user_id"_s), prompt);
    QCOMPARE(req.header("x-signature"), expected);
    QVERIFY(bed.fake->lastRejection().isEmpty());
}

void TestChatCompletions::wrongSigningSecretIsReported()
{
    // The fake really checks: a server signing with another secret is refused, not retried,
    // and the client learns why.
    TestBed bed;
    bed.config.signingSecret = "not-the-upstream-secret";
    QVERIFY(bed.start());
    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"sig"_s, false));
    QCOMPARE(r.status, 502);
    QCOMPARE(r.error().value("code"_L1).toString(), u"upstream_signature_rejected"_s);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"signature"_s));
    QVERIFY(r.error().value("message"_L1).toString().contains(u"ZAI_SIGNING_SECRET"_s));
    QVERIFY(bed.fake->lastRejection().contains(u"X-Signature"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestChatCompletions::guestTokensWhenNoTokenConfigured()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.start());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s),
                            chatBody(u"GLM-4.5"_s, u"guest"_s, false)).status,
                 200);
    const QStringList guests = bed.fake->guestTokens();
    QVERIFY(!guests.isEmpty());
    QVERIFY(guests.size() <= 3); // a small pool, reused
    for (const RecordedRequest &req : bed.fake->requests(CompletionsPath)) {
        const QString token = QString::fromUtf8(req.header("authorization").mid(7));
        QVERIFY(guests.contains(token));
    }
    // Guest sign-ins carry no Authorization and no cookie (else the same guest comes back).
    for (const RecordedRequest &req : bed.fake->requests(u"/api/v1/auths"_s)) {
        QVERIFY(req.header("authorization").isEmpty());
        QVERIFY(req.header("cookie").isEmpty());
    }
}

void TestChatCompletions::configuredTokenIsUsed()
{
    TestBed bed;
    const QString a = TestBed::makeToken(u"user-a"_s);
    const QString b = TestBed::makeToken(u"user-b"_s);
    bed.config.tokens = {a, b};
    bed.fake->addValidToken(a);
    bed.fake->addValidToken(b);
    QVERIFY(bed.start());
    for (int i = 0; i < 4; ++i)
        QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s),
                            chatBody(u"GLM-4.5"_s, u"tok"_s, false)).status,
                 200);
    QSet<QByteArray> used;
    for (const RecordedRequest &req : bed.fake->requests(CompletionsPath))
        used.insert(req.header("authorization"));
    QVERIFY(used.size() >= 1);
    for (const QByteArray &auth : used)
        QVERIFY(auth == "Bearer " + a.toUtf8() || auth == "Bearer " + b.toUtf8());
    QCOMPARE(bed.fake->count(u"/api/v1/auths"_s), 0);
}

void TestChatCompletions::feVersionScrapedAndCached()
{
    TestBed bed;
    bed.fake->setFeVersion(u"1.2.345"_s); // never the built-in fallback
    QVERIFY(bed.start());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s),
                            chatBody(u"GLM-4.5"_s, u"fe"_s, false)).status,
                 200);
    int landing = 0;
    for (const RecordedRequest &req : bed.fake->requests()) {
        if (req.path == u"/"_s)
            ++landing;
    }
    QCOMPARE(landing, 1); // scraped once, then cached
    for (const RecordedRequest &req : bed.fake->requests(CompletionsPath))
        QCOMPARE(req.header("x-fe-version"), "prod-fe-1.2.345"_ba);
}

void TestChatCompletions::feVersionCacheExpires()
{
    // The cache lifetime comes from the profile (30 minutes built in); after it, the landing
    // page is read again and a new front-end build is picked up without any error.
    QJsonObject json = UpstreamProfile::builtIn().json();
    json.insert(u"feVersionCacheSeconds"_s, 1);
    QString error;
    const auto profile = UpstreamProfile::fromJson(json, &error);
    QVERIFY2(profile, qPrintable(error));
    TestBed bed;
    bed.profile = *profile;
    bed.fake->setFeVersion(u"1.3.0"_s);
    QVERIFY(bed.start());
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"a"_s, false)).status,
             200);
    bed.fake->setFeVersion(u"1.3.1"_s);
    bed.fake->setRequireFeVersionHttpStatus(true);
    QTest::qWait(1100);
    bed.fake->clearRecords();
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"b"_s, false)).status,
             200);
    const auto requests = bed.fake->requests(CompletionsPath);
    QCOMPARE(requests.size(), 1); // scraped before the call: no 426 round trip
    QCOMPARE(requests.first().header("x-fe-version"), "prod-fe-1.3.1"_ba);
}

void TestChatCompletions::invalidRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("code");
    QTest::newRow("bad JSON") << "{\"model\": \"GLM-4.5\", "_ba << 400 << QString() << QString();
    QTest::newRow("not an object") << "[1,2]"_ba << 400 << QString() << QString();
    QTest::newRow("empty body") << ""_ba << 400 << QString() << QString();
    QTest::newRow("missing model")
        << R"({"messages":[{"role":"user","content":"x"}]})"_ba << 400 << u"model"_s << QString();
    QTest::newRow("model wrong type")
        << R"({"model":5,"messages":[{"role":"user","content":"x"}]})"_ba << 400 << u"model"_s
        << QString();
    QTest::newRow("missing messages") << R"({"model":"GLM-4.5"})"_ba << 400 << u"messages"_s << QString();
    QTest::newRow("messages wrong type")
        << R"({"model":"GLM-4.5","messages":"hi"})"_ba << 400 << u"messages"_s << QString();
    QTest::newRow("bad role") << R"({"model":"GLM-4.5","messages":[{"role":"wizard","content":"x"}]})"_ba
                              << 400 << u"messages[0].role"_s << QString();
    QTest::newRow("stream wrong type")
        << R"({"model":"GLM-4.5","stream":"yes","messages":[{"role":"user","content":"x"}]})"_ba
        << 400 << u"stream"_s << QString();
    QTest::newRow("n > 1") << R"({"model":"GLM-4.5","n":2,"messages":[{"role":"user","content":"x"}]})"_ba
                           << 400 << u"n"_s << QString();
    QTest::newRow("temperature range")
        << R"({"model":"GLM-4.5","temperature":7,"messages":[{"role":"user","content":"x"}]})"_ba
        << 400 << u"temperature"_s << QString();
    QTest::newRow("audio output")
        << R"({"model":"GLM-4.5","modalities":["text","audio"],"messages":[{"role":"user","content":"x"}]})"_ba
        << 400 << u"modalities"_s << QString();
    QTest::newRow("unknown model")
        << R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}]})"_ba << 404
        << u"model"_s << u"model_not_found"_s;
}

void TestChatCompletions::invalidRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, param);
    QFETCH(QString, code);
    TestBed bed;
    QVERIFY(bed.start());
    // Raw: QNetworkAccessManager would not send an empty POST body as-is.
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", body);
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, status);
    const QJsonObject error = r.error();
    QVERIFY2(!error.isEmpty(), r.body.constData());
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QVERIFY(error.contains("param"_L1) && error.contains("code"_L1));
    if (param.isEmpty())
        QVERIFY(error.value("param"_L1).isNull());
    else
        QCOMPARE(error.value("param"_L1).toString(), param);
    if (!code.isEmpty())
        QCOMPARE(error.value("code"_L1).toString(), code);
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
    // The connection stays usable after an error.
    client.sendRequest("GET", "/health");
    QCOMPARE(client.readResponse().status, 200);
}

void TestChatCompletions::recordedCaptureNoMarkupLeaks()
{
    // The real upstream transcript (thinking, a server-side tool with <glm_block> edits, answer
    // text arriving inside a tool_call edit, a second thinking block that opens with blank
    // lines) replayed by the fake: no markup reaches the client, the answer text from inside the
    // tool_call edit does, and the upstream's usage (with cached tokens) is passed on.
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/zai-capture-glm-4.6v.sse"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    FakeReply reply;
    for (const QByteArray &line : file.readAll().split('\n')) {
        QByteArray data = line.trimmed();
        if (data.startsWith("data:"))
            data = data.mid(5).trimmed();
        if (QJsonDocument::fromJson(data).isObject())
            reply.events.append(data);
    }
    QVERIFY(reply.events.size() > 10);
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->enqueue(reply);
    const HttpResponse r =
        streamChat(bed, chatBody(u"GLM-4.6V"_s, u"框出人物的面部"_s, true,
                                 {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}}));
    const QList<QJsonObject> chunks = verifyStreamWire(r, u"GLM-4.6V"_s, true);
    if (QTest::currentTestFailed())
        return;
    const QString content = Sse::content(chunks);
    const QString reasoning = Sse::reasoning(chunks);
    for (const QString &markup : {u"<glm_block"_s, u"</glm_block>"_s, u"\"type\":\"mcp\""_s,
                                  u"<details"_s, u"</details>"_s, u"<summary>"_s})
        QVERIFY2(!content.contains(markup) && !reasoning.contains(markup),
                 qPrintable(markup + u"\n--- content:\n"_s + content + u"\n--- reasoning:\n"_s + reasoning));
    QVERIFY2(content.contains(u"我将为您框出图片中人物的面部区域。"_s), qPrintable(content));
    QVERIFY(reasoning.startsWith(u"用户要求我框出图片中"_s));
    QVERIFY(!reasoning.contains(u"<summary"_s));
    const QJsonObject usage = chunks.last().value("usage"_L1).toObject();
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), 4880);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), 126);
    QCOMPARE(usage.value("prompt_tokens_details"_L1).toObject().value("cached_tokens"_L1).toInt(), 1632);
}

void TestChatCompletions::toolBlockStreamNoMarkupLeaks()
{
    // A complete, self-consistent stream of the captured shape (zai-protocol.md 6.3, 6.4, 6.7):
    // thinking, the closing edit, answer text that continues inside a tool_call edit with a
    // <glm_block>, the block rewritten with its result, a second thinking block, more answer, a
    // stray one-character edit before done. The edits are computed against the buffer the
    // upstream would hold, so every offset lines up.
    QString buffer;
    QList<QByteArray> events;
    const auto append = [&](const QString &phase, const QString &text) {
        buffer += text;
        events.append(phase == u"answer"_s ? FakeZaiServer::answerEvent(text)
                                           : FakeZaiServer::thinkingEvent(text));
    };
    const auto edit = [&](qsizetype index, const QString &text, const QString &phase) {
        buffer = buffer.left(index) + text;
        events.append(FakeZaiServer::editEvent(int(index), text, phase));
    };
    const QString opening = FakeZaiServer::thinkingOpening();
    const QString closing1 = u"true\" duration=\"2\" view=\"\" last_tool_call_name=\"\">\n"
                             u"<summary>Thought for 2 seconds</summary>\n> 用户要求我框出面部。\n"
                             u"> 我需要调用工具。\n</details>"_s;
    append(u"thinking"_s, opening + u"用户要求我框出面部。"_s);
    append(u"thinking"_s, u"\n> 我需要调用工具。"_s);
    edit(32, closing1, u"answer"_s);
    append(u"answer"_s, u"\n我将为您框出图片中人物的面"_s);
    const qsizetype blockAt = buffer.size() + 6; // after "部区域。\n\n"
    const QString block = u"<glm_block view=\"\" tool_call_name=\"draw_boxes\">{\"type\":\"mcp\","
                          u"\"data\":{\"metadata\":{\"id\":\"call_9f2c\",\"name\":\"draw_boxes\","
                          u"\"arguments\":\"{}\",\"result\":\"%1\",\"status\":\"completed\"}}}"
                          u"</glm_block>"_s;
    edit(buffer.size(), u"部区域。\n\n"_s + block.arg(QString()), u"tool_call"_s);
    edit(blockAt, block.arg(u"done"_s), u"other"_s);
    const qsizetype second = buffer.size() + 3;
    append(u"thinking"_s,
           u"\n\n\n<details type=\"reasoning\" done=\"false\" view=\"\" last_tool_call_name=\"draw_boxes\">"
           u"\n<summary>Thinking…</summary>\n> 工具已完成。"_s);
    edit(second + 32,
         u"true\" duration=\"0\" view=\"\" last_tool_call_name=\"draw_boxes\">\n<summary>Thought "
         u"for 0 seconds</summary>\n> 工具已完成。\n</details>"_s,
         u"answer"_s);
    append(u"answer"_s, u"\n我已经成功框出了面部。"_s);
    events.append(FakeZaiServer::usageEvent(50, 20));
    edit(buffer.size() - 1, u"。"_s, u"tool_call"_s);
    events.append(FakeZaiServer::doneEvent());

    for (bool stream : {true, false}) {
        TestBed bed;
        QVERIFY(bed.start());
        FakeReply reply;
        reply.events = events;
        bed.fake->enqueue(reply);
        QString content, reasoning;
        if (stream) {
            const HttpResponse r = streamChat(bed, chatBody(u"GLM-4.6V"_s, u"框出面部"_s, true));
            const QList<QJsonObject> chunks = verifyStreamWire(r, u"GLM-4.6V"_s, false);
            if (QTest::currentTestFailed())
                return;
            content = Sse::content(chunks);
            reasoning = Sse::reasoning(chunks);
        } else {
            const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                              chatBody(u"GLM-4.6V"_s, u"框出面部"_s, false));
            QCOMPARE(r.status, 200);
            const QJsonObject message =
                r.json().value("choices"_L1).toArray().first().toObject().value("message"_L1).toObject();
            content = message.value("content"_L1).toString();
            reasoning = message.value("reasoning_content"_L1).toString();
        }
        const QString both = u"--- content:\n"_s + content + u"\n--- reasoning:\n"_s + reasoning;
        for (const QString &markup : {u"<glm_block"_s, u"glm_block>"_s, u"<details"_s, u"</details>"_s,
                                      u"<summary>"_s, u"duration="_s, u"\"type\":\"mcp\""_s, u"\n> "_s})
            QVERIFY2(!content.contains(markup) && !reasoning.contains(markup),
                     qPrintable(markup + u"\n"_s + both));
        QVERIFY2(content.contains(u"我将为您框出图片中人物的面部区域。"_s), qPrintable(both));
        QVERIFY2(content.contains(u"我已经成功框出了面部。"_s), qPrintable(both));
        QVERIFY2(content.indexOf(u"面部区域。"_s) < content.indexOf(u"我已经成功"_s), qPrintable(both));
        QVERIFY2(reasoning.contains(u"用户要求我框出面部。"_s), qPrintable(both));
        QVERIFY2(reasoning.contains(u"工具已完成。"_s), qPrintable(both));
        QCOMPARE(content.count(u"我已经成功框出了面部。"_s), 1);
        QCOMPARE(reasoning.count(u"用户要求我框出面部。"_s), 1); // the closing edit is no repeat
    }
}

QTEST_GUILESS_MAIN(TestChatCompletions)
#include "testChatCompletions.moc"
