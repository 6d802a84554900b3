// SPDX-License-Identifier: MIT
// Upstream failures scripted in the fake, as a client sees them: retries before the first byte
// (401 token rotation, new guests, 426 FE-version refresh, 429, 5xx, in-stream errors, empty
// answers), the statuses and messages of what still fails, and after the first byte exactly one
// error event, never a silent stop; no secret in any message (issue 2, points 3, 4, 8).

#include "IntegrationSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

HttpResponse chat(TestBed &bed, const QString &prompt, bool stream = false,
                  const QString &model = u"GLM-4.5"_s)
{
    if (!stream)
        return Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(model, prompt, false));
    RawClient client;
    if (!client.connectTo(bed.port()))
        return {};
    client.sendRequest("POST", "/v1/chat/completions", chatBody(model, prompt, true));
    return client.readResponse();
}

QList<QByteArray> bearers(const TestBed &bed, const QString &path = CompletionsPath)
{
    QList<QByteArray> out;
    for (const RecordedRequest &r : bed.fake->requests(path))
        out.append(r.header("authorization").mid(7));
    return out;
}

FakeReply status(int code, const QByteArray &body = R"({"detail":"scripted failure"})"_ba)
{
    FakeReply r;
    r.httpStatus = code;
    r.body = body;
    return r;
}

FakeReply events(const QList<QByteArray> &list)
{
    FakeReply r;
    r.events = list;
    return r;
}

// No configured token, guest JWT, API key or X-Signature value appears in `text`.
void verifyNoSecrets(const QByteArray &text, const TestBed &bed, const QStringList &extra = {})
{
    QStringList secrets = bed.config.tokens + bed.fake->guestTokens() + extra;
    if (!bed.config.apiKey.isEmpty())
        secrets.append(bed.config.apiKey);
    for (const RecordedRequest &r : bed.fake->requests()) {
        if (!r.header("x-signature").isEmpty())
            secrets.append(QString::fromLatin1(r.header("x-signature")));
    }
    for (const QString &secret : std::as_const(secrets)) {
        QVERIFY2(!text.contains(secret.toUtf8()), qPrintable(u"secret leaked: "_s + secret));
        // Nor the signature part of a JWT.
        const QStringList parts = secret.split(u'.');
        if (parts.size() == 3 && parts.at(2).size() >= 8)
            QVERIFY2(!text.contains(parts.at(2).toUtf8()), qPrintable(u"JWT part leaked"_s));
    }
}

// The stream after the first byte ended with exactly one error event: no stop, no [DONE].
QJsonObject verifyErrorEventEnd(const HttpResponse &r, const QString &expectedContentPrefix)
{
    QJsonObject errorObject;
    [&] {
        QCOMPARE(r.status, 200);
        QVERIFY(r.complete); // the chunked body is properly terminated
        const QList<SseEvent> list = Sse::parse(r.body);
        QVERIFY(!list.isEmpty());
        int errors = 0;
        for (const SseEvent &e : list) {
            QVERIFY2(!e.isDone(), r.body.constData());
            if (e.json.contains("error"_L1)) {
                ++errors;
                errorObject = e.json.value("error"_L1).toObject();
            }
            const QJsonArray choices = e.json.value("choices"_L1).toArray();
            for (const QJsonValue &c : choices)
                QVERIFY2(c.toObject().value("finish_reason"_L1).isNull(), r.body.constData());
        }
        QCOMPARE(errors, 1);
        // The error event is the last event.
        QVERIFY(list.last().json.contains("error"_L1));
        QVERIFY(list.last().raw.startsWith("data: {\"error\":"));
        QVERIFY(!errorObject.value("message"_L1).toString().isEmpty());
        QVERIFY(errorObject.contains("type"_L1) && errorObject.contains("code"_L1)
                && errorObject.contains("param"_L1));
        QVERIFY(Sse::content(Sse::chunks(list)).startsWith(expectedContentPrefix));
    }();
    return errorObject;
}

} // namespace

class TestUpstreamFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void token401RotatesToTheNextToken();
    void scripted401OnChatsNewRotates();
    void badTokenIsBenchedAfterRepeatedRejections();
    void allTokensRejected();
    void guest401GetsANewGuest();
    void guestSignInRefused();
    void wafBlockIsNotRetried();
    void wafBlockOnGuestSignIn();
    void feVersion426HttpRefreshesOnce();
    void feVersion426InStreamRefreshesOnce();
    void feVersion426StillOutdatedFails();
    void rateLimitRetriedWithAnotherGuest();
    void rateLimitSingleConfiguredToken();
    void rateLimitPersistsIs429WithRetryAfter();
    void serverErrorRetriedThen502();
    void serverErrorThenSuccess();
    void maxRetriesZeroMeansOneAttempt();
    void serverErrorBackoffDoubles();
    void upstreamUnreachableIs503();
    void upstreamUnreachableGuestIs503();
    void upstreamSilenceTimesOut();
    void inStreamErrorBeforeFirstByteRetried();
    void droppedConnectionBeforeFirstByteRetried();
    void droppedAfterFirstByteIsOneErrorEvent();
    void inStreamErrorAfterFirstByteIsOneErrorEvent();
    void thinkingThenDropIsAnError();
    void droppedAfterFirstByteNonStreaming();
    void emptyAnswerIsNeverSuccess();
    void upstreamErrorTextsAreRedacted();
};

void TestUpstreamFailures::token401RotatesToTheNextToken()
{
    TestBed bed;
    const QString bad = TestBed::makeToken(u"user-bad"_s);
    const QString good = TestBed::makeToken(u"user-good"_s);
    bed.config.tokens = {bad, good};
    bed.fake->addValidToken(good); // the fake does not know `bad`: HTTP 401
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"rotate"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(bearers(bed), (QList<QByteArray>{bad.toUtf8(), good.toUtf8()}));
    QVERIFY(bed.fake->lastRejection().contains(u"invalid bearer token"_s));

    // Scripted 401 with two valid tokens: the second attempt uses the other one.
    bed.fake->addValidToken(bad);
    bed.fake->clearRecords();
    bed.fake->enqueue(status(401, R"({"detail":"Your session has expired"})"_ba));
    QCOMPARE(chat(bed, u"rotate again"_s).status, 200);
    const QList<QByteArray> used = bearers(bed);
    QCOMPARE(used.size(), 2);
    QVERIFY(used.at(0) != used.at(1));
}

void TestUpstreamFailures::scripted401OnChatsNewRotates()
{
    TestBed bed;
    const QString a = TestBed::makeToken(u"user-a"_s);
    const QString b = TestBed::makeToken(u"user-b"_s);
    bed.config.tokens = {a, b};
    bed.fake->addValidToken(a);
    bed.fake->addValidToken(b);
    QVERIFY(bed.start());
    FakeReply reject = status(401, R"({"detail":"token invalid"})"_ba);
    reject.pathPrefix = u"/api/v1/chats/new"_s;
    bed.fake->enqueue(reject);
    QCOMPARE(chat(bed, u"persisted"_s, false, u"GLM-4.7"_s).status, 200);
    const QList<QByteArray> created = bearers(bed, u"/api/v1/chats/new"_s);
    QCOMPARE(created.size(), 2);
    QVERIFY(created.at(0) != created.at(1));
    QCOMPARE(bearers(bed), QList<QByteArray>{created.at(1)});
}

void TestUpstreamFailures::badTokenIsBenchedAfterRepeatedRejections()
{
    TestBed bed;
    const QString bad = TestBed::makeToken(u"user-bad"_s);
    const QString good = TestBed::makeToken(u"user-good"_s);
    bed.config.tokens = {bad, good};
    bed.fake->addValidToken(good);
    QVERIFY(bed.start());
    const int threshold = UpstreamProfile::builtIn().tokenFailureThreshold();
    QVERIFY(threshold >= 1);
    for (int i = 0; i < threshold; ++i)
        QCOMPARE(chat(bed, u"bench"_s).status, 200);
    QCOMPARE(bed.fake->count(CompletionsPath), 2 * threshold);
    // Now the bad token is excluded: the next request goes straight to the good one.
    bed.fake->clearRecords();
    QCOMPARE(chat(bed, u"benched"_s).status, 200);
    QCOMPARE(bearers(bed), QList<QByteArray>{good.toUtf8()});
}

void TestUpstreamFailures::allTokensRejected()
{
    TestBed bed;
    bed.config.tokens = {TestBed::makeToken(u"user-x"_s), TestBed::makeToken(u"user-y"_s)};
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"nobody"_s);
    QCOMPARE(r.status, 403); // permanent: a 4xx, so clients do not hammer it
    QCOMPARE(r.error().value("code"_L1).toString(), u"upstream_token_rejected"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY(message.contains(u"ZAI_TOKEN"_s));
    QVERIFY(message.contains(u"401"_s) || message.contains(u"rejected"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 2); // each token tried once
    verifyNoSecrets(r.body, bed);
}

void TestUpstreamFailures::guest401GetsANewGuest()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.start());
    QCOMPARE(chat(bed, u"first"_s).status, 200);
    QCOMPARE(bed.fake->guestTokens().size(), 1);
    const QString first = bed.fake->guestTokens().first();
    bed.fake->revokeToken(first); // evicted upstream
    bed.fake->clearRecords();
    const HttpResponse r = chat(bed, u"second"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(bed.fake->guestTokens().size(), 2);
    const QString second = bed.fake->guestTokens().last();
    QCOMPARE(bearers(bed), (QList<QByteArray>{first.toUtf8(), second.toUtf8()}));
    // The evicted guest is not used again.
    bed.fake->clearRecords();
    QCOMPARE(chat(bed, u"third"_s).status, 200);
    QCOMPARE(bearers(bed), QList<QByteArray>{second.toUtf8()});
}

void TestUpstreamFailures::guestSignInRefused()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    bed.config.maxRetries = 1;
    bed.fake->setGuestAllowed(false);
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"no guests"_s);
    QVERIFY2(r.status >= 400, QByteArray::number(r.status).constData());
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"guest"_s), qPrintable(message));
    QVERIFY2(message.contains(u"401"_s), qPrintable(message));
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
}

void TestUpstreamFailures::wafBlockIsNotRetried()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply waf = status(405, "<!doctypehtml><html><body><h1>405</h1><script "
                                "src=\"https://errors.aliyun.com/error.js?s=10\"></script></body></html>");
    waf.contentType = "text/html; charset=utf-8";
    bed.fake->enqueue(waf);
    for (bool stream : {false, true}) {
        if (stream)
            bed.fake->enqueue(waf);
        const HttpResponse r = chat(bed, u"waf"_s, stream);
        QCOMPARE(r.status, 403);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QCOMPARE(r.error().value("code"_L1).toString(), u"waf_blocked"_s);
        const QString message = r.error().value("message"_L1).toString();
        QVERIFY(message.contains(u"405"_s));
        QVERIFY(message.contains(u"WAF"_s) || message.contains(u"firewall"_s));
        QVERIFY(!message.contains(u"<html"_s)); // the page itself is not pasted in
    }
    QCOMPARE(bed.fake->count(CompletionsPath), 2); // one attempt each
}

void TestUpstreamFailures::wafBlockOnGuestSignIn()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply waf = status(405, "<html>blocked</html>");
    waf.contentType = "text/html";
    waf.pathPrefix = u"/api/v1/auths"_s;
    bed.fake->enqueue(waf);
    const HttpResponse r = chat(bed, u"waf guest"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.error().value("code"_L1).toString(), u"waf_blocked"_s);
    QCOMPARE(bed.fake->count(u"/api/v1/auths"_s), 1);
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
}

namespace {
int landingFetches(const TestBed &bed)
{
    int n = 0;
    for (const RecordedRequest &r : bed.fake->requests()) {
        if (r.path == u"/"_s)
            ++n;
    }
    return n;
}

void run426Refresh(bool httpStatus)
{
    TestBed bed;
    bed.fake->setRequireFeVersionHttpStatus(httpStatus);
    bed.fake->setFeVersion(u"1.0.300"_s);
    QVERIFY(bed.start());
    QCOMPARE(chat(bed, u"v1"_s).status, 200);
    QCOMPARE(landingFetches(bed), 1);

    int build = 300;
    for (bool stream : {false, true}) {
        // Z.AI deploys a new front end; the cached version is now refused.
        const QByteArray before = "prod-fe-1.0." + QByteArray::number(build);
        const QByteArray after = "prod-fe-1.0." + QByteArray::number(++build);
        bed.fake->setFeVersion(QString::fromLatin1(after));
        bed.fake->clearRecords();
        const HttpResponse r = chat(bed, u"v2"_s, stream);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains("\"error\""));
        // The landing page was read again and exactly one retry made, with the new version.
        QCOMPARE(landingFetches(bed), 1);
        const auto requests = bed.fake->requests(CompletionsPath);
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(0).header("x-fe-version"), before);
        QCOMPARE(requests.at(1).header("x-fe-version"), after);
    }
    // Cached again: no more refreshes.
    bed.fake->clearRecords();
    QCOMPARE(chat(bed, u"v3"_s).status, 200);
    QCOMPARE(landingFetches(bed), 0);
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}
} // namespace

void TestUpstreamFailures::feVersion426HttpRefreshesOnce()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_FE_VERSION);
    run426Refresh(true);
}

void TestUpstreamFailures::feVersion426InStreamRefreshesOnce()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_FE_VERSION);
    run426Refresh(false);
}

void TestUpstreamFailures::feVersion426StillOutdatedFails()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_FE_VERSION);
    for (bool httpStatus : {true, false}) {
        TestBed bed;
        bed.fake->setRequireFeVersionHttpStatus(httpStatus);
        bed.fake->setFeVersion(u"1.0.400"_s);
        // The landing page still shows an old build: refreshing cannot help.
        bed.fake->setLandingPage("<html><script src=\"/prod-fe-1.0.399/app.js\"></script></html>");
        QVERIFY(bed.start());
        const HttpResponse r = chat(bed, u"outdated"_s, !httpStatus);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value("code"_L1).toString(), u"upstream_version_rejected"_s);
        const QString message = r.error().value("message"_L1).toString();
        QVERIFY2(message.contains(u"outdated"_s), qPrintable(message));
        QVERIFY(message.contains(u"ZAI_FE_VERSION"_s) || httpStatus == false);
        QCOMPARE(bed.fake->count(CompletionsPath), 2); // refreshed once, retried once
        QCOMPARE(landingFetches(bed), 2);
    }
}

void TestUpstreamFailures::rateLimitRetriedWithAnotherGuest()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->enqueue(status(429, R"({"detail":"Too Many Requests: concurrency limit reached"})"_ba));
    const HttpResponse r = chat(bed, u"busy"_s);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> used = bearers(bed);
    QCOMPARE(used.size(), 2);
    QVERIFY(used.at(0) != used.at(1)); // the busy guest was replaced
}

void TestUpstreamFailures::rateLimitSingleConfiguredToken()
{
    // One account, briefly rate-limited: there is no other token, so the request backs off and
    // tries the same one again (P.4: "try another token, then back off").
    TestBed bed;
    const QString only = TestBed::makeToken(u"user-only"_s);
    bed.config.tokens = {only};
    bed.fake->addValidToken(only);
    QVERIFY(bed.start());
    bed.fake->enqueue(status(429, R"({"detail":"Too Many Requests"})"_ba));
    HttpResponse r = chat(bed, u"busy"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(bearers(bed), (QList<QByteArray>{only.toUtf8(), only.toUtf8()}));

    // A rate limit that outlasts the retries is reported as one (429), not as a rejected token.
    TestBed limited;
    limited.config.tokens = {only};
    limited.config.maxRetries = 2;
    limited.fake->addValidToken(only);
    QVERIFY(limited.start());
    for (int i = 0; i < 3; ++i)
        limited.fake->enqueue(status(429, R"({"detail":"Too Many Requests"})"_ba));
    r = chat(limited, u"busy"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.error().value("code"_L1).toString(), u"rate_limit_exceeded"_s);
    QVERIFY(r.hasHeader("retry-after"));
    QCOMPARE(limited.fake->count(CompletionsPath), 3);
}

void TestUpstreamFailures::rateLimitPersistsIs429WithRetryAfter()
{
    TestBed bed;
    bed.config.maxRetries = 2;
    QVERIFY(bed.start());
    for (int i = 0; i < 3; ++i)
        bed.fake->enqueue(status(429, R"json({"detail":"Too Many Requests (并发数超限)"})json"_ba));
    const HttpResponse r = chat(bed, u"busy"_s);
    QCOMPARE(r.status, 429);
    bool ok = false;
    const int retryAfter = r.header("retry-after").toInt(&ok);
    QVERIFY2(ok && retryAfter > 0, r.header("retry-after").constData());
    QCOMPARE(r.error().value("code"_L1).toString(), u"rate_limit_exceeded"_s);
    QCOMPARE(r.error().value("type"_L1).toString(), u"rate_limit_error"_s);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"429"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 3);
    verifyNoSecrets(r.body, bed);
}

void TestUpstreamFailures::serverErrorRetriedThen502()
{
    TestBed bed;
    bed.config.maxRetries = 2;
    QVERIFY(bed.start());
    for (int i = 0; i < 3; ++i)
        bed.fake->enqueue(status(500, R"({"detail":"Internal Server Error"})"_ba));
    const HttpResponse r = chat(bed, u"boom"_s);
    QCOMPARE(r.status, 502);
    QCOMPARE(r.error().value("code"_L1).toString(), u"upstream_server_error"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY(message.contains(u"HTTP 500"_s));
    QVERIFY(message.contains(u"Internal Server Error"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 3); // 1 + MAX_RETRIES
    QCOMPARE(bed.fake->pendingReplies(), 0);
    verifyNoSecrets(r.body, bed);
}

void TestUpstreamFailures::serverErrorThenSuccess()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->enqueue(status(503, R"({"detail":"Service Unavailable"})"_ba));
    bed.fake->enqueue(status(502, "Bad Gateway"));
    const HttpResponse r = chat(bed, u"eventually"_s, true);
    QCOMPARE(r.status, 200);
    QCOMPARE(Sse::content(Sse::chunks(Sse::parse(r.body))),
             FakeZaiServer::expectedAnswer(u"eventually"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 3);
}

void TestUpstreamFailures::maxRetriesZeroMeansOneAttempt()
{
    TestBed bed;
    bed.config.maxRetries = 0;
    QVERIFY(bed.start());
    bed.fake->enqueue(status(500));
    QCOMPARE(chat(bed, u"once"_s).status, 502);
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestUpstreamFailures::serverErrorBackoffDoubles()
{
    // ZaiCompletion waits (250 << (attempt - 1)) ms plus 0-99 ms of jitter before each retry.
    // The gap between two attempts arriving at the fake is that wait plus the round trip, so
    // only lower bounds are firm; they are 90% of the jitter-free wait because a coarse QTimer
    // may fire up to 5% early. No upper bounds: this machine is shared and noisy.
    TestBed bed;
    bed.config.maxRetries = 3;
    QVERIFY(bed.start());
    for (int i = 0; i < 3; ++i)
        bed.fake->enqueue(status(500, R"({"detail":"Internal Server Error"})"_ba));
    const HttpResponse r = chat(bed, u"patience"_s);
    QCOMPARE(r.status, 200); // the fourth attempt gets the default answer
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"patience"_s));
    const QList<RecordedRequest> attempts = bed.fake->requests(CompletionsPath);
    QCOMPARE(attempts.size(), 4);
    using std::chrono::milliseconds;
    for (qsizetype i = 1; i < attempts.size(); ++i) {
        const auto gap = std::chrono::duration_cast<milliseconds>(attempts.at(i).receivedAt
                                                                  - attempts.at(i - 1).receivedAt);
        const milliseconds minimum((250 << (i - 1)) * 9 / 10); // 225, 450, 900
        QVERIFY2(gap >= minimum, qPrintable(u"attempt %1 came %2 ms after the previous one, "
                                            u"expected at least %3 ms"_s.arg(i + 1)
                                                .arg(gap.count())
                                                .arg(minimum.count())));
    }
}

void TestUpstreamFailures::upstreamUnreachableIs503()
{
    TestBed bed;
    bed.config.maxRetries = 1;
    bed.config.endpoint = u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(closedPort());
    bed.config.tokens = {TestBed::makeToken(u"user-z"_s)};
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"anyone there"_s, true); // stream: still a status before the first byte
    QCOMPARE(r.status, 503);
    QCOMPARE(r.error().value("code"_L1).toString(), u"upstream_unreachable"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"Could not reach Z.AI"_s), qPrintable(message));
    QVERIFY(message.contains(u"127.0.0.1"_s));
    verifyNoSecrets(r.body, bed);
    const QJsonObject health = Http::get(bed.url(u"/health"_s)).json();
    QCOMPARE(health.value("upstream"_L1).toObject().value("last_call_ok"_L1), QJsonValue(false));
}

void TestUpstreamFailures::upstreamUnreachableGuestIs503()
{
    TestBed bed;
    bed.config.maxRetries = 1;
    bed.config.endpoint = u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(closedPort());
    QVERIFY(bed.start());
    const HttpResponse r = chat(bed, u"anyone there"_s);
    QCOMPARE(r.status, 503);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"Could not reach Z.AI"_s));
}

void TestUpstreamFailures::upstreamSilenceTimesOut()
{
    TestBed bed;
    bed.config.maxRetries = 0;
    bed.config.upstreamTimeoutMs = 1000;
    QVERIFY(bed.start());
    FakeReply silent;
    silent.events = {FakeZaiServer::answerEvent(u"late"_s), FakeZaiServer::doneEvent()};
    silent.stallAfterEvents = 0;
    silent.stallMs = 5000;
    bed.fake->enqueue(silent);
    QElapsedTimer clock;
    clock.start();
    const HttpResponse r = chat(bed, u"silence"_s);
    QCOMPARE(r.status, 504);
    QVERIFY(clock.elapsed() < 4000);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"did not answer"_s), qPrintable(message));
    QVERIFY2(message.contains(u"1 second"_s), qPrintable(message));
}

void TestUpstreamFailures::inStreamErrorBeforeFirstByteRetried()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->enqueue(events({FakeZaiServer::errorEvent(u"INTERNAL_ERROR"_s, u"temporary failure"_s)}));
    const HttpResponse r = chat(bed, u"retry me"_s, true);
    QCOMPARE(r.status, 200);
    const QList<SseEvent> list = Sse::parse(r.body);
    QVERIFY(!r.body.contains("\"error\""));
    QVERIFY(list.last().isDone());
    QCOMPARE(Sse::content(Sse::chunks(list)), FakeZaiServer::expectedAnswer(u"retry me"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
}

void TestUpstreamFailures::droppedConnectionBeforeFirstByteRetried()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply drop; // connection closed without a response
    drop.httpStatus = 0;
    bed.fake->enqueue(drop);
    FakeReply emptyDrop = events({FakeZaiServer::usageEvent(3, 0), FakeZaiServer::doneEvent()});
    emptyDrop.dropAfterEvents = 0; // headers, then the connection ends
    bed.fake->enqueue(emptyDrop);
    const HttpResponse r = chat(bed, u"again"_s, true);
    QCOMPARE(r.status, 200);
    QCOMPARE(Sse::content(Sse::chunks(Sse::parse(r.body))), FakeZaiServer::expectedAnswer(u"again"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 3);
}

void TestUpstreamFailures::droppedAfterFirstByteIsOneErrorEvent()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply = events({FakeZaiServer::answerEvent(u"Hello"_s),
                              FakeZaiServer::answerEvent(u" wor"_s),
                              FakeZaiServer::answerEvent(u"ld"_s), FakeZaiServer::doneEvent()});
    reply.dropAfterEvents = 2;
    bed.fake->enqueue(reply);
    const HttpResponse r = chat(bed, u"drop"_s, true);
    const QJsonObject error = verifyErrorEventEnd(r, u"Hello wor"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(error.value("message"_L1).toString().contains(u"closed"_s),
             qPrintable(error.value("message"_L1).toString()));
    QCOMPARE(bed.fake->count(CompletionsPath), 1); // never retried after the first byte
    // The server is fine afterwards.
    QCOMPARE(chat(bed, u"after"_s).status, 200);
}

void TestUpstreamFailures::inStreamErrorAfterFirstByteIsOneErrorEvent()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->enqueue(events({FakeZaiServer::answerEvent(u"Partial answer"_s),
                              FakeZaiServer::errorEvent(500, u"model overloaded"_s)}));
    const HttpResponse r = chat(bed, u"error"_s, true);
    const QJsonObject error = verifyErrorEventEnd(r, u"Partial answer"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(error.value("message"_L1).toString().contains(u"model overloaded"_s),
             qPrintable(error.value("message"_L1).toString()));
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestUpstreamFailures::thinkingThenDropIsAnError()
{
    // Only reasoning had been sent when the upstream went away: still an error, not a stop.
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply = events({FakeZaiServer::thinkingEvent(FakeZaiServer::thinkingOpening()
                                                           + u"Let me think"_s),
                              FakeZaiServer::thinkingEvent(u" harder"_s),
                              FakeZaiServer::thinkingEndEvent(u"Let me think harder"_s),
                              FakeZaiServer::answerEvent(u"\nDone"_s), FakeZaiServer::doneEvent()});
    reply.dropAfterEvents = 2;
    bed.fake->enqueue(reply);
    const HttpResponse r = chat(bed, u"think"_s, true, u"GLM-4.5-Thinking"_s);
    verifyErrorEventEnd(r, QString());
    if (QTest::currentTestFailed())
        return;
    QVERIFY(Sse::reasoning(Sse::chunks(Sse::parse(r.body))).startsWith(u"Let me think"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestUpstreamFailures::droppedAfterFirstByteNonStreaming()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply = events({FakeZaiServer::answerEvent(u"Half an"_s),
                              FakeZaiServer::answerEvent(u" answer"_s), FakeZaiServer::doneEvent()});
    reply.dropAfterEvents = 1;
    bed.fake->enqueue(reply);
    const HttpResponse r = chat(bed, u"drop"_s);
    // Never a 200 with half an answer.
    QCOMPARE(r.status, 502);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"closed"_s));
    QVERIFY(!r.body.contains("Half an"));
}

void TestUpstreamFailures::emptyAnswerIsNeverSuccess()
{
    for (bool stream : {false, true}) {
        TestBed bed;
        bed.config.maxRetries = 1;
        QVERIFY(bed.start());
        for (int i = 0; i < 2; ++i)
            bed.fake->enqueue(events({FakeZaiServer::usageEvent(10, 0), FakeZaiServer::doneEvent()}));
        const HttpResponse r = chat(bed, u"say nothing"_s, stream);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.error().value("code"_L1).toString(), u"empty_upstream_answer"_s);
        QVERIFY(r.error().value("message"_L1).toString().contains(u"without any text"_s));
        QCOMPARE(bed.fake->count(CompletionsPath), 2);
    }
}

void TestUpstreamFailures::upstreamErrorTextsAreRedacted()
{
    // Upstream error texts that echo the credentials must not carry them to the client.
    TestBed bed;
    const QString opaque = u"zai-opaque-account-token-7f3a9c"_s;
    const QString jwt = TestBed::makeToken(u"user-jwt"_s);
    bed.config.tokens = {opaque};
    bed.config.maxRetries = 0;
    bed.fake->addValidToken(opaque);
    bed.fake->addValidToken(jwt);
    QVERIFY(bed.start());

    const QString detail = u"session "_s + opaque + u" broken; token="_s + jwt
                           + u" Authorization: Bearer "_s + opaque;
    bed.fake->enqueue(status(500, QJsonDocument(QJsonObject{{"detail"_L1, detail}}).toJson()));
    HttpResponse r = chat(bed, u"leak"_s);
    QCOMPARE(r.status, 502);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"HTTP 500"_s));
    verifyNoSecrets(r.body, bed, {jwt});

    // In-stream, after the first byte.
    bed.fake->enqueue(events({FakeZaiServer::answerEvent(u"Some text"_s),
                              FakeZaiServer::errorEvent(401, u"bad token "_s + opaque)}));
    r = chat(bed, u"leak"_s, true);
    verifyErrorEventEnd(r, u"Some text"_s);
    verifyNoSecrets(r.body, bed, {jwt});

    // Before the first byte, in-stream.
    bed.fake->enqueue(events({FakeZaiServer::errorEvent(u"INTERNAL_ERROR"_s, u"jwt "_s + jwt)}));
    r = chat(bed, u"leak"_s);
    QVERIFY(r.status >= 500);
    verifyNoSecrets(r.body, bed, {jwt});
}

QTEST_GUILESS_MAIN(TestUpstreamFailures)
#include "testUpstreamFailures.moc"
