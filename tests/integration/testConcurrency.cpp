// SPDX-License-Identifier: MIT
// Many answers at once on one event loop: upstream calls must not queue behind each other
// (Qt 6.4's QNetworkAccessManager opens at most six HTTP/1.1 connections per host), every
// stream completes intact, and a burst of first requests does not create a guest per request
// (issue 2, "How it is built: concurrency", points 1 and 3).

#include "IntegrationSupport.h"

#include "net/NetworkPool.h"
#include "net/UpstreamHttp.h"
#include "zai/ZaiClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Records the highest number of upstream streams the fake serves at the same time.
class ActiveStreamProbe
{
public:
    explicit ActiveStreamProbe(FakeZaiServer *fake) : m_fake(fake)
    {
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { sample(); });
        QObject::connect(fake, &FakeZaiServer::streamFinished, &m_timer, [this] { sample(); });
        QObject::connect(fake, &FakeZaiServer::requestReceived, &m_timer, [this] { sample(); });
        m_timer.start();
    }
    int max() const { return m_max; }

private:
    void sample() { m_max = std::max(m_max, m_fake->activeStreams()); }
    FakeZaiServer *m_fake;
    QTimer m_timer;
    int m_max = 0;
};

struct Outcome
{
    int ok = 0;
    QStringList problems;
};

Outcome runConcurrent(TestBed &bed, int n, bool stream, qint64 *elapsedMs)
{
    std::vector<std::unique_ptr<RawClient>> clients;
    clients.reserve(n);
    for (int i = 0; i < n; ++i) {
        clients.push_back(std::make_unique<RawClient>());
        clients.back()->connectTo(bed.port());
    }
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < n; ++i)
        clients[i]->sendRequest("POST", "/v1/chat/completions",
                                chatBody(u"GLM-4.5"_s, u"request number %1"_s.arg(i), stream));
    Outcome outcome;
    for (int i = 0; i < n; ++i) {
        const HttpResponse r = clients[i]->readResponse(20000);
        const QString expected = FakeZaiServer::expectedAnswer(u"request number %1"_s.arg(i));
        QString got;
        if (stream) {
            const QList<SseEvent> events = Sse::parse(r.body);
            if (events.isEmpty() || !events.last().isDone())
                outcome.problems.append(u"#%1: stream did not end with [DONE]"_s.arg(i));
            got = Sse::content(Sse::chunks(events));
        } else {
            got = r.answer();
        }
        if (r.status != 200 || got != expected)
            outcome.problems.append(u"#%1: status %2, content '%3'"_s.arg(i).arg(r.status).arg(got));
        else
            ++outcome.ok;
    }
    *elapsedMs = clock.elapsed();
    return outcome;
}

} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sixtyConcurrentStreams();
    void concurrentNonStreaming();
    void guestBurstStaysSmall();
};

void TestConcurrency::sixtyConcurrentStreams()
{
    TestBed bed;
    const QString token = TestBed::makeToken(u"user-load"_s);
    bed.config.tokens = {token};
    bed.fake->addValidToken(token);
    QVERIFY(bed.start());
    // Warm up (FE version scrape) so that all streams start together.
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"warm"_s, false)).status,
             200);
    bed.fake->setDefaultChunks(10);
    bed.fake->setDefaultDelayMs(40); // each stream lasts about half a second
    ActiveStreamProbe probe(bed.fake.get());

    qint64 elapsed = 0;
    const int n = 60;
    const Outcome outcome = runConcurrent(bed, n, true, &elapsed);
    QVERIFY2(outcome.problems.isEmpty(), qPrintable(outcome.problems.join(u'\n')));
    QCOMPARE(outcome.ok, n);
    QCOMPARE(bed.fake->completedStreams(), n + 1);
    QCOMPARE(bed.fake->abortedStreams(), 0);
    // Far more than six upstream streams ran at once: nothing queued per host.
    QVERIFY2(probe.max() > 6, qPrintable(u"at most %1 upstream streams at once"_s.arg(probe.max())));
    QVERIFY2(probe.max() >= n / 2, qPrintable(u"at most %1 upstream streams at once"_s.arg(probe.max())));
    // ...each on its own kept-alive connection, parked for the next calls afterwards.
    QVERIFY(bed.server->client()->network()->http()->idleConnections() > 6);
    // Queued six at a time this would take ten rounds of half a second.
    QVERIFY2(elapsed < 4000, qPrintable(u"took %1 ms"_s.arg(elapsed)));
    qInfo("%d streams in %lld ms, at most %d upstream streams at once", n, elapsed, probe.max());
}

void TestConcurrency::concurrentNonStreaming()
{
    TestBed bed;
    const QString token = TestBed::makeToken(u"user-load"_s);
    bed.config.tokens = {token};
    bed.fake->addValidToken(token);
    QVERIFY(bed.start());
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"warm"_s, false)).status,
             200);
    bed.fake->setDefaultChunks(5);
    bed.fake->setDefaultDelayMs(60);
    ActiveStreamProbe probe(bed.fake.get());
    qint64 elapsed = 0;
    const Outcome outcome = runConcurrent(bed, 30, false, &elapsed);
    QVERIFY2(outcome.problems.isEmpty(), qPrintable(outcome.problems.join(u'\n')));
    QVERIFY2(probe.max() > 6, qPrintable(u"at most %1 upstream streams at once"_s.arg(probe.max())));
    QVERIFY2(elapsed < 4000, qPrintable(u"took %1 ms"_s.arg(elapsed)));
}

void TestConcurrency::guestBurstStaysSmall()
{
    // Twenty first requests arrive before any guest exists: they share a small pool instead of
    // signing in twenty guest accounts at once (a burst of sign-ins is what the WAF punishes).
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->setDefaultChunks(5);
    bed.fake->setDefaultDelayMs(20);
    qint64 elapsed = 0;
    const Outcome outcome = runConcurrent(bed, 20, true, &elapsed);
    QVERIFY2(outcome.problems.isEmpty(), qPrintable(outcome.problems.join(u'\n')));
    const int poolSize = UpstreamProfile::builtIn().guestPoolSize();
    QVERIFY2(bed.fake->guestTokens().size() <= poolSize,
             qPrintable(u"%1 guests signed in for a pool of %2"_s.arg(bed.fake->guestTokens().size())
                            .arg(poolSize)));
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "testConcurrency.moc"
