// SPDX-License-Identifier: MIT
// ApiServer::reconfigure: a running server takes new tokens and keys on the same socket, a
// stream in flight finishes on the upstream client it started with, and a change of address or
// port is refused (the caller restarts the server instead).

#include "IntegrationSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestReconfigure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newTokensAndKeyOnTheSameSocket();
    void streamInFlightSurvives();
    void rebindIsRefused();
};

void TestReconfigure::newTokensAndKeyOnTheSameSocket()
{
    TestBed bed;
    QString error;
    QVERIFY2(bed.start(&error), qPrintable(error));
    const quint16 port = bed.port();
    const QString token = TestBed::makeToken(u"user-42"_s);
    bed.fake->addValidToken(token);

    BridgeConfig changed = bed.server->config();
    changed.tokens = {token};
    changed.apiKey = u"sk-new"_s;
    QVERIFY(bed.server->reconfigure(changed, UpstreamProfile::builtIn()));
    QCOMPARE(bed.port(), port);

    const QByteArray body = chatBody(u"GLM-4.5"_s, u"hello"_s, false);
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), body).status, 401);
    const auto ok =
        Http::post(bed.url(u"/v1/chat/completions"_s), body, {{"Authorization", "Bearer sk-new"}});
    QCOMPARE(ok.status, 200);
    QCOMPARE(bed.fake->requests(u"/api/v2/chat/completions"_s).last().header("authorization"),
             "Bearer " + token.toUtf8());
}

void TestReconfigure::streamInFlightSurvives()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->setDefaultDelayMs(60);
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions",
                       chatBody(u"GLM-4.5"_s, u"a slow answer, please"_s, true));
    QVERIFY(client.waitForBody("data: "));

    // Swap the upstream side twice while the stream runs.
    BridgeConfig changed = bed.server->config();
    changed.maxRetries = 1;
    QVERIFY(bed.server->reconfigure(changed, UpstreamProfile::builtIn()));
    changed.maxRetries = 2;
    QVERIFY(bed.server->reconfigure(changed, UpstreamProfile::builtIn()));

    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QVERIFY(r.body.contains("data: [DONE]"));
    QCOMPARE(Sse::content(Sse::chunks(Sse::parse(r.body))),
             FakeZaiServer::expectedAnswer(u"a slow answer, please"_s));
    QTest::qWait(20); // the retired clients are deleted on the event loop
    QCOMPARE(Http::get(bed.url(u"/health"_s)).status, 200);
}

void TestReconfigure::rebindIsRefused()
{
    TestBed bed;
    QVERIFY(bed.start());
    BridgeConfig changed = bed.server->config();
    changed.listenPort = quint16(bed.port() + 1);
    QVERIFY(ApiServer::needsRebind(bed.server->config(), changed));
    QVERIFY(!bed.server->reconfigure(changed, UpstreamProfile::builtIn()));
    bed.stop();
    QVERIFY(!bed.server->reconfigure(bed.config, UpstreamProfile::builtIn()));
}

QTEST_GUILESS_MAIN(TestReconfigure)
#include "testReconfigure.moc"
