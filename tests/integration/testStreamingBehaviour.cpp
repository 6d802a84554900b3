// SPDX-License-Identifier: MIT
// How an answer travels while it is produced: stop sequences and max_tokens cut it and cancel
// the upstream, keep-alive comments cover upstream silences, a client that goes away cancels the
// upstream at once (and the server lives on), the body limit answers 413 without reading the
// rest, and the connection is reusable after a stream (issue 2, points 1, 4, 5, 6).

#include "IntegrationSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString Prompt = u"alpha beta gamma delta epsilon zeta eta theta iota kappa"_s;

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

// A slow upstream: one character per event, `delayMs` apart.
void makeSlow(TestBed &bed, int delayMs)
{
    bed.fake->setDefaultChunks(200);
    bed.fake->setDefaultDelayMs(delayMs);
}

HttpResponse streamChat(TestBed &bed, const QJsonObject &extra, const QString &prompt = Prompt,
                        const QString &model = u"GLM-4.5"_s)
{
    RawClient client;
    if (!client.connectTo(bed.port()))
        return {};
    client.sendRequest("POST", "/v1/chat/completions", chatBody(model, prompt, true, extra));
    return client.readResponse();
}

// The last stream the fake served was cancelled by us, quickly.
void verifyUpstreamCancelled(TestBed &bed)
{
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QCOMPARE(bed.fake->completedStreams(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->activeStreams(), 0, 1000);
}

} // namespace

class TestStreamingBehaviour : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stopStringCutsAndCancels();
    void stopListEarliestMatchWins();
    void stopNonStreaming();
    void maxTokensEndsWithLength_data();
    void maxTokensEndsWithLength();
    void maxTokensNonStreaming();
    void keepAliveDuringUpstreamSilence();
    void keepAliveBeforeFirstByte();
    void noKeepAliveWhileEventsFlow();
    void burstFirstTextAtOnceRestMerged();
    void mergedBurstKeepsReasoningAfterAnswer();
    void noKeepAliveInNonStreamingAnswers();
    void clientDisconnectMidStreamCancelsUpstream();
    void clientDisconnectBeforeFirstByteCancelsUpstream();
    void clientDisconnectNonStreamingCancelsUpstream();
    void manyDisconnectsServerSurvives();
    void bodyOverLimitIs413WithoutReadingIt();
    void bodyLimitConfigured();
    void headerEndSplitOverTwoReads();
    void chunkedBodyOverLimitIs413();
    void expectContinue();
    void keepAliveConnectionReuseAfterStream();
};

void TestStreamingBehaviour::stopStringCutsAndCancels()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 15);
    const HttpResponse r = streamChat(bed, {{"stop"_L1, u" gamma"_s}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    const QList<SseEvent> events = Sse::parse(r.body);
    QVERIFY(events.last().isDone());
    const QList<QJsonObject> chunks = Sse::chunks(events);
    // The stop sequence arrived one character at a time and still never reached the client.
    QCOMPARE(Sse::content(chunks), u"Echo: alpha beta"_s);
    QCOMPARE(finishReason(chunks), u"stop"_s);
    // The answer ended without waiting for the rest of the upstream stream, which was cancelled.
    verifyUpstreamCancelled(bed);
}

void TestStreamingBehaviour::stopListEarliestMatchWins()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 5);
    const HttpResponse r = streamChat(
        bed, {{"stop"_L1, QJsonArray{u"no such text"_s, u"delta"_s, u"beta"_s, u"kappa"_s}}});
    QCOMPARE(r.status, 200);
    const QList<QJsonObject> chunks = Sse::chunks(Sse::parse(r.body));
    QCOMPARE(Sse::content(chunks), u"Echo: alpha "_s);
    QCOMPARE(finishReason(chunks), u"stop"_s);
    verifyUpstreamCancelled(bed);
}

void TestStreamingBehaviour::stopNonStreaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 5);
    const HttpResponse r = Http::post(
        bed.url(u"/v1/chat/completions"_s),
        chatBody(u"GLM-4.5"_s, Prompt, false, {{"stop"_L1, QJsonArray{u"epsilon"_s}}}));
    QCOMPARE(r.status, 200);
    const QJsonObject choice = r.json().value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("message"_L1).toObject().value("content"_L1).toString(),
             u"Echo: alpha beta gamma delta "_s);
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    verifyUpstreamCancelled(bed);
}

void TestStreamingBehaviour::maxTokensEndsWithLength_data()
{
    QTest::addColumn<QString>("field");
    QTest::newRow("max_tokens") << u"max_tokens"_s;
    QTest::newRow("max_completion_tokens") << u"max_completion_tokens"_s;
}

void TestStreamingBehaviour::maxTokensEndsWithLength()
{
    QFETCH(QString, field);
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 5);
    const HttpResponse r = streamChat(
        bed, {{field, 3}, {"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}});
    QCOMPARE(r.status, 200);
    const QList<SseEvent> events = Sse::parse(r.body);
    QVERIFY(events.last().isDone());
    const QList<QJsonObject> chunks = Sse::chunks(events);
    const QString content = Sse::content(chunks);
    QVERIFY(!content.isEmpty());
    QVERIFY2(content.size() <= 12, qPrintable(content)); // about 4 characters a token
    QVERIFY(FakeZaiServer::expectedAnswer(Prompt).startsWith(content));
    QCOMPARE(finishReason(chunks), u"length"_s);
    const QJsonObject usage = chunks.last().value("usage"_L1).toObject();
    QVERIFY(usage.value("completion_tokens"_L1).toInt() <= 3);
    QVERIFY(usage.value("completion_tokens"_L1).toInt() > 0);
    verifyUpstreamCancelled(bed);
}

void TestStreamingBehaviour::maxTokensNonStreaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 5);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, Prompt, false, {{"max_tokens"_L1, 2}}));
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    const QJsonObject choice = json.value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"length"_s);
    const QString content = choice.value("message"_L1).toObject().value("content"_L1).toString();
    QVERIFY(!content.isEmpty() && content.size() <= 8);
    QVERIFY(json.value("usage"_L1).toObject().value("completion_tokens"_L1).toInt() <= 2);
    verifyUpstreamCancelled(bed);
}

void TestStreamingBehaviour::keepAliveDuringUpstreamSilence()
{
    TestBed bed;
    bed.config.keepAliveMs = 100;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"before"_s), FakeZaiServer::answerEvent(u" after"_s),
                    FakeZaiServer::doneEvent()};
    reply.stallAfterEvents = 1;
    reply.stallMs = 1500;
    bed.fake->enqueue(reply);

    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"wait"_s, true));
    QVERIFY(client.waitForBody("before"));
    // During the silence (1.5 s) comments arrive every keep-alive interval (100 ms).
    QVERIFY(client.waitFor([](const HttpResponse &r) { return r.body.count(": ping\n\n") >= 3; },
                           1400));
    QVERIFY(!client.current().body.contains("after"));
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    const QList<SseEvent> events = Sse::parse(r.body);
    int pings = 0;
    int pingsBetween = 0;
    bool seenBefore = false, seenAfter = false;
    for (const SseEvent &e : events) {
        if (e.comment) {
            QCOMPARE(e.raw, ": ping"_ba);
            ++pings;
            if (seenBefore && !seenAfter)
                ++pingsBetween;
        }
        const QString content = Sse::content({e.json});
        seenBefore |= content.contains(u"before"_s);
        seenAfter |= content.contains(u"after"_s);
    }
    QVERIFY(pingsBetween >= 3);
    QVERIFY(pings <= 20); // not a flood: one per silent interval
    QCOMPARE(Sse::content(Sse::chunks(events)), u"before after"_s);
    QVERIFY(events.last().isDone());
}

void TestStreamingBehaviour::noKeepAliveWhileEventsFlow()
{
    // Events every 25 ms for about 0.75 s against a 250 ms keep-alive: the stream is never
    // silent for an interval, so no comment may appear (the silence counts from the last write).
    TestBed bed;
    bed.config.keepAliveMs = 250;
    QVERIFY(bed.start());
    FakeReply reply;
    for (int i = 0; i < 30; ++i)
        reply.events.append(FakeZaiServer::answerEvent(QString::number(i % 10)));
    reply.events.append(FakeZaiServer::doneEvent());
    reply.delayMs = 25;
    bed.fake->enqueue(reply);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"go"_s, true));
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    const QList<SseEvent> events = Sse::parse(r.body);
    QVERIFY(std::none_of(events.cbegin(), events.cend(), [](const SseEvent &e) { return e.comment; }));
    QCOMPARE(Sse::content(Sse::chunks(events)), u"012345678901234567890123456789"_s);
}

namespace {

// The delta pieces of a stream in order: 'r' + text for reasoning, 'c' + text for content.
QStringList deltaPieces(const QList<QJsonObject> &chunks)
{
    QStringList pieces;
    for (const QJsonObject &chunk : chunks) {
        const QJsonObject delta =
            chunk.value("choices"_L1).toArray().first().toObject().value("delta"_L1).toObject();
        if (const QString r = delta.value("reasoning_content"_L1).toString(); !r.isEmpty())
            pieces.append(u'r' + r);
        if (const QString c = delta.value("content"_L1).toString(); !c.isEmpty())
            pieces.append(u'c' + c);
    }
    return pieces;
}

} // namespace

void TestStreamingBehaviour::burstFirstTextAtOnceRestMerged()
{
    // 40 events in one write: the first text goes out on its own (the client's first byte does
    // not wait for the rest), the other 39 as one piece, with nothing lost or reordered.
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    QString expected;
    for (int i = 0; i < 40; ++i) {
        const QString text = QString::number(i % 10);
        reply.events.append(FakeZaiServer::answerEvent(text));
        expected += text;
    }
    reply.events.append(FakeZaiServer::doneEvent());
    reply.delayMs = 0;
    bed.fake->enqueue(reply);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"go"_s, true));
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    const QList<QJsonObject> chunks = Sse::chunks(Sse::parse(r.body));
    QCOMPARE(Sse::content(chunks), expected);
    const QStringList pieces = deltaPieces(chunks);
    QVERIFY2(pieces.size() >= 2 && pieces.size() <= 4, qPrintable(pieces.join(u'|')));
    QCOMPARE(pieces.first(), u"c0"_s);
}

void TestStreamingBehaviour::mergedBurstKeepsReasoningAfterAnswer()
{
    // Reasoning that arrives after answer text in the same burst is not merged in front of it.
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"A"_s), FakeZaiServer::answerEvent(u"B"_s),
                    FakeZaiServer::answerEvent(u"C"_s), FakeZaiServer::thinkingEvent(u"t"_s),
                    FakeZaiServer::thinkingEvent(u"u"_s), FakeZaiServer::answerEvent(u"D"_s),
                    FakeZaiServer::doneEvent()};
    reply.delayMs = 0;
    bed.fake->enqueue(reply);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"go"_s, true));
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    const QStringList pieces = deltaPieces(Sse::chunks(Sse::parse(r.body)));
    // Burst: "A" alone, then "BC", then the reasoning "tu" (with "D" in the same step, after it).
    QCOMPARE(pieces.join(u'|'), u"cA|cBC|rtu|cD"_s);
}

void TestStreamingBehaviour::keepAliveBeforeFirstByte()
{
    TestBed bed;
    bed.config.keepAliveMs = 100;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"late"_s), FakeZaiServer::doneEvent()};
    reply.stallAfterEvents = 0;
    reply.stallMs = 600;
    bed.fake->enqueue(reply);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"wait"_s, true));
    // The status line and a comment arrive while the upstream is still silent.
    QVERIFY(client.waitForBody(": ping", 500));
    QCOMPARE(client.current().status, 200);
    const HttpResponse r = client.readResponse();
    const QList<SseEvent> events = Sse::parse(r.body);
    // The role chunk still comes first among the data events, and the answer is whole.
    const QList<QJsonObject> chunks = Sse::chunks(events);
    QCOMPARE(chunks.first()
                 .value("choices"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("delta"_L1)
                 .toObject()
                 .value("role"_L1)
                 .toString(),
             u"assistant"_s);
    QCOMPARE(Sse::content(chunks), u"late"_s);
    QVERIFY(events.last().isDone());
}

void TestStreamingBehaviour::noKeepAliveInNonStreamingAnswers()
{
    TestBed bed;
    bed.config.keepAliveMs = 100;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"late"_s), FakeZaiServer::doneEvent()};
    reply.stallAfterEvents = 0;
    reply.stallMs = 400;
    bed.fake->enqueue(reply);
    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"wait"_s, false));
    QCOMPARE(r.status, 200);
    QVERIFY(!r.body.contains("ping"));
    QCOMPARE(r.answer(),
             u"late"_s);
}

void TestStreamingBehaviour::clientDisconnectMidStreamCancelsUpstream()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 50);
    QSignalSpy finished(bed.server.get(), &ApiServer::requestFinished);

    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, Prompt, true));
    QVERIFY(client.waitForBody("\"content\":\"E"));
    QCOMPARE(bed.fake->activeStreams(), 1);
    QElapsedTimer clock;
    clock.start();
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QVERIFY2(clock.elapsed() < 1000, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(bed.fake->completedStreams(), 0);

    // The access log records the client's departure.
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 1000);
    const auto record = finished.last().first().value<RequestRecord>();
    QCOMPARE(record.status, 499);
    QCOMPARE(record.path, u"/v1/chat/completions"_s);

    // The server is unharmed and serves the next request, streamed and not.
    bed.fake->setDefaultDelayMs(0);
    QCOMPARE(Http::get(bed.url(u"/health"_s)).status, 200);
    const HttpResponse next = streamChat(bed, {}, u"next"_s);
    QCOMPARE(next.status, 200);
    QVERIFY(Sse::parse(next.body).last().isDone());
}

void TestStreamingBehaviour::clientDisconnectBeforeFirstByteCancelsUpstream()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"never seen"_s), FakeZaiServer::doneEvent()};
    reply.stallAfterEvents = 0;
    reply.stallMs = 10000;
    bed.fake->enqueue(reply);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"x"_s, true));
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->activeStreams(), 1, 5000);
    QVERIFY(client.rawReceived().isEmpty()); // nothing reached the client yet
    QElapsedTimer clock;
    clock.start();
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(Http::get(bed.url(u"/health"_s)).status, 200);
}

void TestStreamingBehaviour::clientDisconnectNonStreamingCancelsUpstream()
{
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 50);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, Prompt, false));
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->activeStreams(), 1, 5000);
    QTest::qWait(120); // a few events in
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QCOMPARE(bed.fake->completedStreams(), 0);
}

void TestStreamingBehaviour::manyDisconnectsServerSurvives()
{
    // Clients leaving at every stage: before the request is complete, while the upstream is
    // contacted, mid-stream. Nothing may be written to a socket that is gone (Qt 6.4 frees it).
    TestBed bed;
    QVERIFY(bed.start());
    makeSlow(bed, 10);
    const QByteArray body = chatBody(u"GLM-4.5"_s, Prompt, true);
    for (int i = 0; i < 12; ++i) {
        RawClient client;
        QVERIFY(client.connectTo(bed.port()));
        switch (i % 4) {
        case 0: // half a request
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\n\r\n" + body.left(10));
            QTest::qWait(10);
            break;
        case 1: // gone right after sending
            client.sendRequest("POST", "/v1/chat/completions", body);
            break;
        case 2: // gone once the status line arrived
            client.sendRequest("POST", "/v1/chat/completions", body);
            QVERIFY(client.waitFor([](const HttpResponse &r) { return r.status != 0; }));
            break;
        case 3: // gone mid-answer (one character per event)
            client.sendRequest("POST", "/v1/chat/completions", body);
            QVERIFY(client.waitFor(
                [](const HttpResponse &r) { return r.body.count("\"content\"") >= 10; }));
            break;
        }
        client.abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->activeStreams(), 0, 3000);
    QTest::qWait(50);
    bed.fake->setDefaultDelayMs(0);
    const HttpResponse r = streamChat(bed, {}, u"still here"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(Sse::content(Sse::chunks(Sse::parse(r.body))),
             FakeZaiServer::expectedAnswer(u"still here"_s));
}

void TestStreamingBehaviour::bodyOverLimitIs413WithoutReadingIt()
{
    TestBed bed; // default limit: 32 MiB
    QVERIFY(bed.start());
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    // Announce 100 MiB and send only the first kilobyte: the answer must come anyway.
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
                + QByteArray(1024, 'x'));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.waitFor([](const HttpResponse &r) { return r.complete || r.status != 0; }, 3000));
    const HttpResponse r = client.readResponse(3000);
    QCOMPARE(r.status, 413);
    QVERIFY(clock.elapsed() < 2000);
    const QJsonObject error = r.error();
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"request_too_large"_s);
    QVERIFY(error.value("message"_L1).toString().contains(u"32 MiB"_s));
    // More body bytes are discarded, not buffered, and the connection is closed.
    client.send(QByteArray(4 * 1024 * 1024, 'y'));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
    QCOMPARE(Http::get(bed.url(u"/health"_s)).status, 200);
}

void TestStreamingBehaviour::headerEndSplitOverTwoReads()
{
    // The blank line that ends the headers arrives in two pieces: the body guard still sees the
    // announced length (and refuses it), and a request within the limit split the same way is
    // answered.
    TestBed bed;
    bed.config.maxBodyBytes = 1024 * 1024;
    QVERIFY(bed.start());
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r");
    QTest::qWait(50);
    client.send("\n" + QByteArray(1024, 'x'));
    HttpResponse r = client.readResponse(3000);
    QCOMPARE(r.status, 413);

    const QByteArray body = chatBody(u"GLM-4.5"_s, u"split"_s, false);
    RawClient second;
    QVERIFY(second.connectTo(bed.port()));
    second.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n"_ba.first(3));
    QTest::qWait(50);
    second.send("\n" + body);
    r = second.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 1);
}

void TestStreamingBehaviour::bodyLimitConfigured()
{
    TestBed bed;
    bed.config.maxBodyBytes = 1024 * 1024;
    QVERIFY(bed.start());
    // Just under the limit: served.
    const QString big(900 * 1024, u'a');
    HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, big, false));
    QCOMPARE(r.status, 200);
    // Over it: refused.
    const QString bigger(1100 * 1024, u'a');
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, bigger, false));
    r = client.readResponse();
    QCOMPARE(r.status, 413);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"1 MiB"_s));
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 1);
}

void TestStreamingBehaviour::chunkedBodyOverLimitIs413()
{
    TestBed bed;
    bed.config.maxBodyBytes = 1024 * 1024;
    QVERIFY(bed.start());
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray piece(256 * 1024, 'z');
    for (int i = 0; i < 5; ++i) // 1.25 MiB, never terminated
        client.send(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
    const HttpResponse r = client.readResponse(5000);
    QCOMPARE(r.status, 413);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
}

void TestStreamingBehaviour::expectContinue()
{
    TestBed bed;
    bed.config.maxBodyBytes = 1024 * 1024;
    QVERIFY(bed.start());
    const QByteArray body = chatBody(u"GLM-4.5"_s, u"continue"_s, false);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n");
    // curl waits a second for this before sending the body anyway; we need not.
    QVERIFY(QTest::qWaitFor([&] { return client.rawReceived().startsWith("HTTP/1.1 100"); }, 2000));
    client.send(body);
    QCOMPARE(client.readResponse().status, 200);

    // Too large: the 413 comes instead of 100 Continue.
    RawClient big;
    QVERIFY(big.connectTo(bed.port()));
    big.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
    const HttpResponse r = big.readResponse(3000);
    QCOMPARE(r.status, 413);
    QVERIFY(!big.rawReceived().startsWith("HTTP/1.1 100"));
}

void TestStreamingBehaviour::keepAliveConnectionReuseAfterStream()
{
    TestBed bed;
    QVERIFY(bed.start());
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    for (int round = 0; round < 2; ++round) {
        client.sendRequest("POST", "/v1/chat/completions",
                           chatBody(u"GLM-4.5"_s, u"round %1"_s.arg(round), true));
        HttpResponse r = client.readResponse();
        QCOMPARE(r.status, 200);
        QVERIFY(r.chunked);
        QVERIFY(r.complete);
        QVERIFY(Sse::parse(r.body).last().isDone());
        QVERIFY(client.isConnected());

        client.sendRequest("GET", "/v1/models");
        r = client.readResponse();
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value("data"_L1).isArray());

        client.sendRequest("POST", "/v1/chat/completions",
                           chatBody(u"GLM-4.5"_s, u"plain %1"_s.arg(round), false));
        r = client.readResponse();
        QCOMPARE(r.status, 200);
        QVERIFY(client.isConnected());
    }
    // Also after a stream that ended in an upstream error event.
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"part"_s)};
    reply.dropAfterEvents = 1;
    bed.fake->enqueue(reply);
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"x"_s, true));
    HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("\"error\""));
    client.sendRequest("GET", "/health");
    QCOMPARE(client.readResponse().status, 200);
}

QTEST_GUILESS_MAIN(TestStreamingBehaviour)
#include "testStreamingBehaviour.moc"
