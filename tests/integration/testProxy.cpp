// SPDX-License-Identifier: MIT
// HTTP_PROXY / HTTPS_PROXY / NO_PROXY for upstream calls (issue 2, point 8): the routing
// decision of ProxyFactory, and a live request through a tiny in-test proxy. Qt never proxies a
// loopback target, so the upstream is named by a TEST-NET address (192.0.2.10, RFC 5737) that is
// never contacted: the proxy receives the request and forwards it to the fake on 127.0.0.1.

#include "IntegrationSupport.h"

#include "net/NetworkPool.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkProxy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QNetworkProxy routeFor(ProxyFactory &factory, const QString &url)
{
    const QList<QNetworkProxy> list = factory.queryProxy(QNetworkProxyQuery(QUrl(url)));
    return list.isEmpty() ? QNetworkProxy() : list.first();
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routingDecision();
    void liveRequestThroughHttpProxy();
    void liveRequestThroughAuthenticatedProxy();
    void liveRequestThroughSocks5();
    void wrongProxyCredentialsAreReported_data();
    void wrongProxyCredentialsAreReported();
    void proxyFromEnvironmentVariables();
    void loopbackUpstreamBypassesProxy();
    void deadProxyIsReported();
};

void TestProxy::routingDecision()
{
    ProxyFactory onlyHttp(QUrl(u"http://127.0.0.1:3128"_s), QUrl(), {});
    QNetworkProxy p = routeFor(onlyHttp, u"http://192.0.2.10/api/v2/chat/completions"_s);
    QCOMPARE(p.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(p.hostName(), u"127.0.0.1"_s);
    QCOMPARE(p.port(), 3128);
    // HTTPS falls back to the HTTP proxy when no HTTPS_PROXY is set (as curl does).
    p = routeFor(onlyHttp, u"https://chat.z.ai/api/v2/chat/completions"_s);
    QCOMPARE(p.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(p.port(), 3128);
    // Loopback targets go direct.
    for (const QString &url : {u"http://127.0.0.1:8080/"_s, u"http://localhost:9/"_s,
                               u"http://[::1]:9/"_s, u"http://127.5.5.5/"_s})
        QCOMPARE(routeFor(onlyHttp, url).type(), QNetworkProxy::NoProxy);

    ProxyFactory both(QUrl(u"http://proxy.lan:8080"_s), QUrl(u"http://secure-proxy.lan:8443"_s),
                      {u".internal.example"_s, u"direct.example"_s});
    p = routeFor(both, u"https://chat.z.ai/"_s);
    QCOMPARE(p.hostName(), u"secure-proxy.lan"_s);
    QCOMPARE(p.port(), 8443);
    p = routeFor(both, u"http://chat.z.ai/"_s);
    QCOMPARE(p.hostName(), u"proxy.lan"_s);
    // NO_PROXY: suffixes with and without the leading dot, and exact names.
    QCOMPARE(routeFor(both, u"https://api.internal.example/"_s).type(), QNetworkProxy::NoProxy);
    QCOMPARE(routeFor(both, u"https://direct.example/"_s).type(), QNetworkProxy::NoProxy);
    QCOMPARE(routeFor(both, u"https://www.direct.example/"_s).type(), QNetworkProxy::NoProxy);
    QCOMPARE(routeFor(both, u"https://notdirect.example/"_s).type(), QNetworkProxy::HttpProxy);
    QCOMPARE(routeFor(both, u"https://internal.example.evil/"_s).type(), QNetworkProxy::HttpProxy);

    ProxyFactory everything(QUrl(u"http://proxy.lan:8080"_s), QUrl(), {u"*"_s});
    QCOMPARE(routeFor(everything, u"https://chat.z.ai/"_s).type(), QNetworkProxy::NoProxy);

    ProxyFactory socks(QUrl(u"socks5://127.0.0.1"_s), QUrl(), {});
    p = routeFor(socks, u"https://chat.z.ai/"_s);
    QCOMPARE(p.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(p.port(), 1080);

    ProxyFactory withUser(QUrl(u"http://alice:s3cret@127.0.0.1:3128"_s), QUrl(), {});
    p = routeFor(withUser, u"http://192.0.2.10/"_s);
    QCOMPARE(p.user(), u"alice"_s);
    QCOMPARE(p.password(), u"s3cret"_s);
}

void TestProxy::liveRequestThroughHttpProxy()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinyProxy proxy(bed.fake->port());
    QVERIFY(proxy.start());
    bed.config.endpoint = u"http://192.0.2.10/api/v2/chat/completions"_s;
    bed.config.httpProxy = QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    QVERIFY(bed.start());

    for (bool stream : {false, true}) {
        const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                          chatBody(u"GLM-4.7"_s, u"via proxy"_s, stream));
        QCOMPARE(r.status, 200);
        QCOMPARE(answerText(r, stream), FakeZaiServer::expectedAnswer(u"via proxy"_s));
    }

    // Every upstream call went through the proxy in absolute form: the landing page, the guest
    // sign-in, chats/new and the completions.
    const QStringList lines = proxy.requestLines();
    QVERIFY2(lines.contains(u"GET http://192.0.2.10/"_s), qPrintable(lines.join(u'\n')));
    QVERIFY(lines.contains(u"GET http://192.0.2.10/api/v1/auths/"_s));
    QCOMPARE(lines.count(u"POST http://192.0.2.10/api/v1/chats/new"_s), 2);
    int completions = 0;
    for (const QString &line : lines)
        completions += line.startsWith(u"POST http://192.0.2.10/api/v2/chat/completions?"_s);
    QCOMPARE(completions, 2);
    // No credentials configured, none sent (and the proxy's counter of missing ones works).
    QCOMPARE(proxy.relayedHeadsWithoutCredentials(), lines.size());
    // Qt 6.8 writes header names in lower case.
    QVERIFY(proxy.allClientBytes().toLower().contains("\r\nhost: 192.0.2.10\r\n"));
    // And the fake saw them all.
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 2);
    for (const RecordedRequest &r : bed.fake->requests(u"/api/v2/chat/completions"_s))
        QCOMPARE(r.header("origin"), "http://192.0.2.10"_ba);
}

// HTTP_PROXY with credentials: every upstream call (the completions of our own client and the
// side calls of QNetworkAccessManager) must carry them; a call without gets a 407 and fails.
void TestProxy::liveRequestThroughAuthenticatedProxy()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinyProxy proxy(bed.fake->port());
    proxy.requireCredentials("alice", "pa:ss@word");
    QVERIFY(proxy.start());
    bed.config.endpoint = u"http://192.0.2.10/api/v2/chat/completions"_s;
    bed.config.httpProxy = QUrl(u"http://alice:pa%3Ass%40word@127.0.0.1:%1"_s.arg(proxy.port()));
    QVERIFY(bed.start());

    for (bool stream : {false, true}) { // the second completion reuses the kept-alive connection
        const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                          chatBody(u"GLM-4.7"_s, u"with auth"_s, stream));
        QCOMPARE(r.status, 200);
        QCOMPARE(answerText(r, stream), FakeZaiServer::expectedAnswer(u"with auth"_s));
    }
    const QStringList lines = proxy.requestLines();
    QVERIFY2(lines.contains(u"GET http://192.0.2.10/api/v1/auths/"_s), qPrintable(lines.join(u'\n')));
    QCOMPARE(proxy.relayedHeadsWithoutCredentials(), 0);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 2);
}

// socks5:// in HTTP_PROXY, with a user and password: the completions and the side calls all
// go through the SOCKS5 tunnel, in origin form (the tunnel is to the host itself).
void TestProxy::liveRequestThroughSocks5()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinySocks5 socks(bed.fake->port());
    socks.requireCredentials("alice", "pa:ss@word");
    QVERIFY(socks.start());
    QProcessEnvironment env;
    env.insert(u"API_ENDPOINT"_s, u"http://192.0.2.10/api/v2/chat/completions"_s);
    env.insert(u"HTTP_PROXY"_s, u"socks5://alice:pa%3Ass%40word@127.0.0.1:%1"_s.arg(socks.port()));
    env.insert(u"LISTEN_PORT"_s, u"0"_s);
    const auto loaded = ConfigLoader::load(env, {}, false, {});
    QVERIFY2(loaded.config, qPrintable(loaded.error));
    bed.config = *loaded.config;
    QVERIFY(bed.start());

    for (bool stream : {false, true}) {
        const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                          chatBody(u"GLM-4.7"_s, u"via socks"_s, stream));
        QCOMPARE(r.status, 200);
        QCOMPARE(answerText(r, stream), FakeZaiServer::expectedAnswer(u"via socks"_s));
    }
    QVERIFY(!socks.targets().isEmpty());
    for (const QString &target : socks.targets())
        QCOMPARE(target, u"192.0.2.10:80"_s);
    QCOMPARE(socks.refusedLogins(), 0);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 2);
    QVERIFY(bed.fake->count(u"/api/v1/auths/"_s) >= 1); // the guest sign-in went the same way
}

void TestProxy::wrongProxyCredentialsAreReported_data()
{
    QTest::addColumn<QString>("kind"); // http (absolute form), https (CONNECT), socks5
    QTest::addColumn<bool>("guest");   // the guest sign-in meets the proxy first
    for (const QString &kind : {u"http"_s, u"https"_s, u"socks5"_s}) {
        QTest::newRow(qPrintable(kind + u", account token"_s)) << kind << false;
        QTest::newRow(qPrintable(kind + u", guest"_s)) << kind << true;
    }
}

// Credentials the proxy refuses: one clear error that blames the proxy and does not show the
// password, at once (the credentials do not change between attempts, so no retry and no backoff).
void TestProxy::wrongProxyCredentialsAreReported()
{
    QFETCH(QString, kind);
    QFETCH(bool, guest);
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinyProxy proxy(bed.fake->port(), bed.fake->port());
    proxy.requireCredentials("alice", "right-password");
    QVERIFY(proxy.start());
    TinySocks5 socks(bed.fake->port());
    socks.requireCredentials("alice", "right-password");
    QVERIFY(socks.start());
    const quint16 port = kind == u"socks5" ? socks.port() : proxy.port();
    const QUrl proxyUrl(u"%1://alice:s3cret-pw@127.0.0.1:%2"_s
                            .arg(kind == u"socks5" ? u"socks5"_s : u"http"_s)
                            .arg(port));
    if (kind == u"https") {
        bed.config.endpoint = u"https://zai.test/api/v2/chat/completions"_s;
        bed.config.httpsProxy = proxyUrl;
    } else {
        bed.config.endpoint = u"http://192.0.2.10/api/v2/chat/completions"_s;
        bed.config.httpProxy = proxyUrl;
    }
    if (!guest) {
        bed.config.tokens = {TestBed::makeToken(u"proxy-user"_s)};
        bed.config.anonymous = false;
    }
    bed.config.maxRetries = 3; // retried, this would take 250 + 500 + 1000 ms of backoff
    QVERIFY(bed.start());

    QElapsedTimer clock;
    clock.start();
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, u"refused"_s, false));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(r.status, 502);
    const QString message = r.error().value(u"message"_s).toString();
    QVERIFY2(message.contains(u"proxy"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(message.contains(kind == u"socks5" ? u"SOCKS5"_s : u"407"_s), qPrintable(message));
    QVERIFY2(!message.contains(u"s3cret-pw"_s), qPrintable(message));
    QCOMPARE(r.error().value(u"code"_s).toString(), u"proxy_error"_s);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
    QVERIFY2(elapsed < 1200, qPrintable(u"%1 ms: retried?"_s.arg(elapsed)));
}

void TestProxy::proxyFromEnvironmentVariables()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinyProxy proxy(bed.fake->port());
    QVERIFY(proxy.start());
    QProcessEnvironment env;
    env.insert(u"API_ENDPOINT"_s, u"http://192.0.2.10/api/v2/chat/completions"_s);
    env.insert(u"HTTP_PROXY"_s, u"127.0.0.1:%1"_s.arg(proxy.port())); // scheme-less, as people write it
    env.insert(u"LISTEN_PORT"_s, u"0"_s);
    const auto loaded = ConfigLoader::load(env, {}, false, {});
    QVERIFY2(loaded.config, qPrintable(loaded.error));
    bed.config = *loaded.config;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, u"env proxy"_s, false));
    QCOMPARE(r.status, 200);
    bool sawCompletion = false;
    for (const QString &line : proxy.requestLines())
        sawCompletion |= line.startsWith(u"POST http://192.0.2.10/api/v2/chat/completions?"_s);
    QVERIFY(sawCompletion);
}

void TestProxy::loopbackUpstreamBypassesProxy()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TinyProxy proxy(bed.fake->port());
    QVERIFY(proxy.start());
    bed.config.httpProxy = QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    QVERIFY(bed.start()); // endpoint: the fake on 127.0.0.1
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"direct"_s, false))
                 .status,
             200);
    QCOMPARE(proxy.connections(), 0);
}

void TestProxy::deadProxyIsReported()
{
    quint16 deadPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        deadPort = probe.serverPort();
    }
    TestBed bed;
    bed.config.endpoint = u"http://192.0.2.10/api/v2/chat/completions"_s;
    bed.config.httpProxy = QUrl(u"http://127.0.0.1:%1"_s.arg(deadPort));
    bed.config.tokens = {TestBed::makeToken(u"user-p"_s)};
    bed.config.maxRetries = 0;
    QVERIFY(bed.start());
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, u"no proxy"_s, false));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.error().value("code"_L1).toString(), u"proxy_error"_s);
    const QString message = r.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"proxy 127.0.0.1:%1"_s.arg(deadPort)), qPrintable(message));
    QVERIFY(message.contains(u"192.0.2.10"_s));
}

QTEST_GUILESS_MAIN(TestProxy)
#include "testProxy.moc"
