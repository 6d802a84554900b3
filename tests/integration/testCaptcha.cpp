// SPDX-License-Identifier: MIT
// Z.AI's captcha gate (zai-protocol.md section 10 and P.11) against the fake upstream: without a
// source a request fails at once with 403 captcha_required and the server tells the tray app;
// with one, the verify parameter it gives goes with the next completion, before the first byte
// of a stream; stale or foreign parameters are renewed once, then reported; a source that fails
// or keeps the request waiting past captcha.waitSeconds ends it with a clear 403, and a request
// the client gives up withdraws its ask. ZAI_CAPTCHA_COMMAND through the headless server is in
// testHeadlessCli; the command source itself in testCommandCaptchaSource.

#include "IntegrationSupport.h"
#include "zai/CaptchaSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

// A source the test drives: answers each ask after `delayMs` with what `answer` gives (a
// parameter, or std::nullopt for a failure), or never when `answer` is empty.
class ScriptedSource : public CaptchaSource
{
public:
    std::function<std::optional<QString>()> answer;
    int delayMs = 0;
    int asks = 0;
    int withdrawn = 0;
    QList<CaptchaAsk> seen;

    QString describe() const override { return u"the test source"_s; }

    // Answers with parameters the bed's fake minted, and is the bed's server's source.
    void mintFor(TestBed &bed)
    {
        answer = [fake = bed.fake.get()] { return std::optional<QString>(fake->mintCaptchaParam()); };
        bed.server->setCaptchaSource(this);
    }

    CaptchaTicket *obtain(const CaptchaAsk &ask, QObject *owner) override
    {
        ++asks;
        seen.append(ask);
        auto *ticket = new CaptchaTicket(owner);
        connect(ticket, &QObject::destroyed, this, [this] { ++withdrawn; });
        if (answer) {
            QTimer::singleShot(delayMs, ticket, [this, ticket] {
                const std::optional<QString> param = answer();
                if (param)
                    Q_EMIT ticket->ready(*param);
                else
                    Q_EMIT ticket->failed(u"the test source has no parameter"_s);
            });
        }
        return ticket;
    }
};

UpstreamProfile captchaProfile(const QJsonObject &captcha)
{
    QJsonObject json = UpstreamProfile::builtIn().json();
    QJsonObject merged = json.value(u"captcha"_s).toObject();
    for (auto it = captcha.begin(); it != captcha.end(); ++it)
        merged.insert(it.key(), it.value());
    json.insert(u"captcha"_s, merged);
    QString error;
    return *UpstreamProfile::fromJson(json, &error);
}

HttpResponse chat(TestBed &bed, const QString &prompt, bool stream = false)
{
    if (!stream)
        return Http::post(bed.url(u"/v1/chat/completions"_s),
                          chatBody(u"GLM-4.5"_s, prompt, false));
    RawClient client;
    if (!client.connectTo(bed.port()))
        return {};
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, prompt, true));
    return client.readResponse();
}

QStringList sentParams(const TestBed &bed)
{
    QStringList out;
    for (const RecordedRequest &r : bed.fake->requests(CompletionsPath))
        out.append(r.json.value(u"captcha_verify_param"_s).toString());
    return out;
}

} // namespace

class TestCaptcha : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withoutSourceFailsAtOnce_data();
    void withoutSourceFailsAtOnce();
    void captchaAsHttpBody();
    void parameterFromTheSourceIsUsed_data();
    void parameterFromTheSourceIsUsed();
    void askGoesOutBeforeTheFirstByte();
    void noKeepAliveWhileWaiting();
    void laterRequestsAskFirst();
    void profileCanRequireItFromTheStart();
    void staleParameterIsRenewedOnce();
    void twoRefusalsAreReported();
    void sourceFailureIsReported();
    void nobodyAnsweringTimesOut();
    void clientGoneWithdrawsTheAsk();
    void reuseWithinTheProfilesWindow();
    void askCarriesTheProfilesValues();
};

void TestCaptcha::withoutSourceFailsAtOnce_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestCaptcha::withoutSourceFailsAtOnce()
{
    QFETCH(bool, stream);
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    bed.server->setCaptchaSource(nullptr); // the live suite's bed has one
    QSignalSpy required(bed.server.get(), &ApiServer::captchaRequired);
    const HttpResponse r = chat(bed, u"hello"_s, stream);
    QCOMPARE(r.status, 403);
    const QJsonObject error = QJsonDocument::fromJson(r.body).object().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"captcha_required"_s);
    const QString message = error.value("message"_L1).toString();
    QVERIFY2(message.contains("FRONTEND_CAPTCHA_REQUIRED"_L1), qPrintable(message));
    QVERIFY2(message.contains("Z.AI window"_L1), qPrintable(message));
    QVERIFY2(message.contains("ZAI_CAPTCHA_COMMAND"_L1), qPrintable(message));
    // Never retried blindly: one completion, however many retries MAX_RETRIES allows.
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
    QCOMPARE(required.count(), 1);
    QVERIFY(required.first().first().toString().contains("FRONTEND_CAPTCHA_REQUIRED"_L1));
}

void TestCaptcha::captchaAsHttpBody()
{
    // The same gate answered as an HTTP error body instead of an in-stream event.
    TestBed bed;
    bed.profile = captchaProfile({{u"required"_s, false}}); // asked on demand
    bed.fake->setCaptchaRequired(false);                   // the scripted reply is the gate
    QVERIFY(bed.start());
    bed.server->setCaptchaSource(nullptr);
    FakeReply reply;
    reply.httpStatus = 403;
    reply.body = R"({"detail":{"captcha_error_type":"missing_param","code":"FRONTEND_CAPTCHA_REQUIRED","detail":"Please refresh the page to update the app, then try again."}})";
    bed.fake->enqueue(reply);
    HttpResponse r = chat(bed, u"hello"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.error().value("code"_L1).toString(), u"captcha_required"_s);
    QCOMPARE(bed.fake->count(CompletionsPath), 1);

    // With a source: Z.AI has asked before, so the parameter goes with the first completion;
    // the scripted answer refuses it as a body again, and a second one is asked for.
    ScriptedSource source;
    source.mintFor(bed);
    bed.fake->enqueue(reply);
    r = chat(bed, u"hello again"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(source.asks, 2);
    const QStringList sent = sentParams(bed);
    QCOMPARE(sent.size(), 3);
    QVERIFY(!sent[1].isEmpty() && !sent[2].isEmpty() && sent[1] != sent[2]);
}

void TestCaptcha::parameterFromTheSourceIsUsed_data()
{
    withoutSourceFailsAtOnce_data();
}

void TestCaptcha::parameterFromTheSourceIsUsed()
{
    QFETCH(bool, stream);
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"required"_s, false}}); // asked on demand
    ScriptedSource source;
    source.answer = [&] { return std::optional<QString>(bed.fake->mintCaptchaParam()); };
    bed.server = std::make_unique<ApiServer>();
    bed.server->setCaptchaSource(&source); // before start: kept for the client start makes
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"hello"_s, stream);
    QCOMPARE(r.status, 200);
    if (stream)
        QVERIFY(!Sse::content(Sse::chunks(Sse::parse(r.body))).isEmpty());
    else
        QVERIFY(!r.json().value("choices"_L1).toArray().isEmpty());
    QCOMPARE(source.asks, 1);
    const QStringList sent = sentParams(bed);
    QCOMPARE(sent.size(), 2);
    QVERIFY(sent[0].isEmpty()); // the first completion learns that Z.AI wants one
    QVERIFY(!sent[1].isEmpty());
}

void TestCaptcha::askGoesOutBeforeTheFirstByte()
{
    // A slow source (a human at the slider): the client's stream does not start before the
    // captcha is settled, so the answer is a clean 200 stream, not an error after headers.
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    ScriptedSource source;
    source.delayMs = 700;
    source.answer = [&] { return std::optional<QString>(bed.fake->mintCaptchaParam()); };
    bed.server->setCaptchaSource(&source);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"hi"_s, true));
    QTRY_COMPARE(source.asks, 1);
    QTest::qWait(300);
    QVERIFY(client.rawReceived().isEmpty());
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    QVERIFY(!r.body.contains("error"));
    QVERIFY(!Sse::content(Sse::chunks(Sse::parse(r.body))).isEmpty());
}

void TestCaptcha::noKeepAliveWhileWaiting()
{
    // Keep-alives every 100 ms would commit a stream's 200: while the captcha is not settled none
    // is sent, so a captcha that times out is still a 403 with its own status.
    TestBed bed;
    bed.config.keepAliveMs = 100;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"waitSeconds"_s, 1}});
    QVERIFY(bed.start());
    ScriptedSource source; // never answers
    bed.server->setCaptchaSource(&source);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"hi"_s, true));
    QTest::qWait(500);
    QVERIFY(client.rawReceived().isEmpty());
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 403);
    QVERIFY(r.body.contains("captcha_required"));

    // Once the parameter came, keep-alives go on as for any stream.
    FakeReply slow;
    slow.delayMs = 150;
    bed.fake->enqueue(slow);
    source.mintFor(bed);
    source.delayMs = 400;
    RawClient second;
    QVERIFY(second.connectTo(bed.port()));
    second.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"hi"_s, true));
    QTest::qWait(300);
    QVERIFY(second.rawReceived().isEmpty());
    const HttpResponse ok = second.readResponse();
    QCOMPARE(ok.status, 200);
}

void TestCaptcha::laterRequestsAskFirst()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"required"_s, false}}); // asked on demand
    QVERIFY(bed.start());
    ScriptedSource source;
    source.mintFor(bed);
    QCOMPARE(chat(bed, u"first"_s).status, 200);
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
    // Z.AI has asked once: later completions carry a parameter from the start.
    QCOMPARE(chat(bed, u"second"_s, true).status, 200);
    QCOMPARE(chat(bed, u"third"_s).status, 200);
    QCOMPARE(bed.fake->count(CompletionsPath), 4);
    QCOMPARE(source.asks, 3);
    const QStringList sent = sentParams(bed);
    QVERIFY(!sent[2].isEmpty() && !sent[3].isEmpty());
    QVERIFY(sent[2] != sent[3]); // each parameter is used once
}

void TestCaptcha::profileCanRequireItFromTheStart()
{
    // The built-in profile: the live service wants a parameter with every completion.
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    ScriptedSource source;
    source.mintFor(bed);
    QCOMPARE(chat(bed, u"hello"_s).status, 200);
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
    QCOMPARE(source.asks, 1);
}

void TestCaptcha::staleParameterIsRenewedOnce()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    // The first parameter is one Z.AI has seen already (F018); the second is fresh.
    const QString used = bed.fake->mintCaptchaParam();
    {
        ScriptedSource warmUp;
        warmUp.answer = [&] { return std::optional<QString>(used); };
        bed.server->setCaptchaSource(&warmUp);
        QCOMPARE(chat(bed, u"uses it"_s).status, 200);
    }
    ScriptedSource source;
    int calls = 0;
    source.answer = [&] {
        return std::optional<QString>(calls++ == 0 ? used : bed.fake->mintCaptchaParam());
    };
    bed.server->setCaptchaSource(&source);
    const int before = bed.fake->count(CompletionsPath);
    QCOMPARE(chat(bed, u"stale first"_s).status, 200);
    QCOMPARE(source.asks, 2);
    QCOMPARE(bed.fake->count(CompletionsPath) - before, 2);
}

void TestCaptcha::twoRefusalsAreReported()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"required"_s, false}}); // asked on demand
    QVERIFY(bed.start());
    ScriptedSource source;
    source.answer = [] { return std::optional<QString>(u"not-minted-by-the-fake"_s); };
    bed.server->setCaptchaSource(&source);
    const HttpResponse r = chat(bed, u"hello"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.error().value("code"_L1).toString(), u"captcha_rejected"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains("F019"_L1), qPrintable(message));
    QVERIFY2(message.contains("the test source"_L1), qPrintable(message));
    QVERIFY2(message.contains("captcha.sceneId"_L1), qPrintable(message));
    QCOMPARE(source.asks, 2);
    QCOMPARE(bed.fake->count(CompletionsPath), 3); // without, then two refused parameters
}

void TestCaptcha::sourceFailureIsReported()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    ScriptedSource source;
    source.answer = [] { return std::optional<QString>(); };
    bed.server->setCaptchaSource(&source);
    const HttpResponse r = chat(bed, u"hello"_s, true);
    QCOMPARE(r.status, 403);
    const QJsonObject error = QJsonDocument::fromJson(r.body).object().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"captcha_required"_s);
    const QString message = error.value("message"_L1).toString();
    QVERIFY2(message.contains("the test source gave no verify parameter: the test source has no "
                              "parameter"_L1),
             qPrintable(message));
    QCOMPARE(bed.fake->count(CompletionsPath), 0); // asked before the first completion
}

void TestCaptcha::nobodyAnsweringTimesOut()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"waitSeconds"_s, 1}});
    QVERIFY(bed.start());
    ScriptedSource source; // never answers
    bed.server->setCaptchaSource(&source);
    const HttpResponse r = chat(bed, u"hello"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.error().value("code"_L1).toString(), u"captcha_required"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains("within 1 seconds"_L1), qPrintable(message));
    QVERIFY2(message.contains("captcha.waitSeconds"_L1), qPrintable(message));
    QCOMPARE(source.asks, 1);
    QTRY_COMPARE(source.withdrawn, 1); // the ask was withdrawn
}

void TestCaptcha::clientGoneWithdrawsTheAsk()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    QVERIFY(bed.start());
    ScriptedSource source; // a human who never comes
    bed.server->setCaptchaSource(&source);
    {
        RawClient client;
        QVERIFY(client.connectTo(bed.port()));
        client.sendRequest("POST", "/v1/chat/completions",
                           chatBody(u"GLM-4.5"_s, u"hi"_s, true));
        QTRY_COMPARE(source.asks, 1);
        client.abort();
    }
    QTRY_COMPARE(source.withdrawn, 1);
    QCOMPARE(bed.fake->count(CompletionsPath), 0); // asked before the first completion
}

void TestCaptcha::reuseWithinTheProfilesWindow()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.fake->setCaptchaSingleUse(false);
    bed.profile = captchaProfile({{u"reuseSeconds"_s, 240}});
    QVERIFY(bed.start());
    ScriptedSource source;
    source.mintFor(bed);
    QCOMPARE(chat(bed, u"one"_s).status, 200);
    QCOMPARE(chat(bed, u"two"_s).status, 200);
    QCOMPARE(source.asks, 1);
    const QStringList sent = sentParams(bed);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent[0], sent[1]);
}

void TestCaptcha::askCarriesTheProfilesValues()
{
    TestBed bed;
    bed.fake->setCaptchaRequired(true);
    bed.profile = captchaProfile({{u"sceneId"_s, u"scene-x"_s}, {u"prefix"_s, u"pre-y"_s},
                                  {u"waitSeconds"_s, 30}});
    QVERIFY(bed.start());
    ScriptedSource source;
    source.mintFor(bed);
    QCOMPARE(chat(bed, u"hello"_s).status, 200);
    QCOMPARE(source.seen.size(), 1);
    const CaptchaAsk &ask = source.seen.first();
    QCOMPARE(ask.sceneId, u"scene-x"_s);
    QCOMPARE(ask.prefix, u"pre-y"_s);
    QCOMPARE(ask.region, u"sgp"_s);
    QCOMPARE(ask.waitSeconds, 30);
    QCOMPARE(ask.origin, bed.fake->baseUrl());
    QVERIFY(ask.scriptUrl.toString().endsWith("AliyunCaptcha.js"_L1));
    QVERIFY(ask.reason.contains("FRONTEND_CAPTCHA_REQUIRED"_L1));
}

QTEST_GUILESS_MAIN(TestCaptcha)
#include "testCaptcha.moc"
