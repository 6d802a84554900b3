// SPDX-License-Identifier: MIT
// The upstream over TLS, the way the real chat.z.ai is reached (issue 2, points 3 and 8). The fake
// speaks plain HTTP; a TlsFront in front of it holds a certificate issued by the test CA of
// tests/data/tls, which the test process trusts. Every call (landing page, guest sign-in,
// chats/new, completions) goes over HTTPS: directly, and through an HTTPS proxy with CONNECT.
// An upstream whose certificate is not trusted is refused with an error that says so.

#include "IntegrationSupport.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// A TCP front for a TlsFront: the next `garble` connections get an answer to their ClientHello
// that is not TLS at all, and are closed; the others are piped through untouched.
class GarblingFront : public QObject
{
public:
    explicit GarblingFront(quint16 targetPort) : m_targetPort(targetPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                if (m_garble == 0) {
                    pipeToLocalPort(client, m_targetPort, {});
                    continue;
                }
                --m_garble;
                ++m_garbled;
                connect(client, &QTcpSocket::readyRead, client, [client] {
                    client->readAll();
                    client->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                    client->disconnectFromHost();
                });
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    void garbleNext(int count) { m_garble = count; }
    int garbled() const { return m_garbled; }

private:
    QTcpServer m_server;
    quint16 m_targetPort;
    int m_garble = 0;
    int m_garbled = 0;
};

} // namespace

class TestTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void completionsOverTls();
    void tlsThroughConnectProxy();
    void tlsThroughAuthenticatedProxy();
    void tlsThroughSocks5();
    void handshakeCutShortIsRetried();
    void untrustedCertificateIsRefused_data();
    void untrustedCertificateIsRefused();

private:
    void trustTestCa(bool trust);

    QSslConfiguration m_systemDefault;
};

void TestTls::initTestCase()
{
    m_systemDefault = QSslConfiguration::defaultConfiguration();
    QVERIFY(!TlsFront::testCa().isNull());
    trustTestCa(true);
}

void TestTls::cleanupTestCase()
{
    trustTestCa(false);
}

// The process-wide default is what every QSslSocket starts from, the upstream client's included:
// the same place a system CA store would be.
void TestTls::trustTestCa(bool trust)
{
    QSslConfiguration tls = m_systemDefault;
    if (trust)
        tls.addCaCertificate(TlsFront::testCa());
    QSslConfiguration::setDefaultConfiguration(tls);
}

void TestTls::completionsOverTls()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QString error;
    QVERIFY2(front.start(&error), qPrintable(error));
    const QString origin = u"https://localhost:%1"_s.arg(front.port());
    bed.config.endpoint = origin + u"/api/v2/chat/completions"_s;
    QVERIFY(bed.start());

    // GLM-4.7 is a persisted model: chats/new goes over TLS too.
    const HttpResponse plain =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.7"_s, u"over tls"_s, false));
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.answer(), FakeZaiServer::expectedAnswer(u"over tls"_s));

    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    int handshakesBefore = 0;
    for (int i = 0; i < 3; ++i) {
        const QString prompt = u"stream %1 over tls"_s.arg(i);
        client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, prompt, true));
        const HttpResponse r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(Sse::content(Sse::chunks(Sse::parse(r.body))), FakeZaiServer::expectedAnswer(prompt));
        if (i == 1)
            handshakesBefore = front.handshakes();
    }
    // A finished completion's TLS connection is kept and used again: no new handshake.
    QCOMPARE(front.handshakes(), handshakesBefore);
    QCOMPARE(front.failedHandshakes(), 0);

    // The fake saw every call, signed and with the https origin.
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 4);
    QVERIFY(bed.fake->count(u"/api/v1/auths/"_s) >= 1);
    QCOMPARE(bed.fake->count(u"/api/v1/chats/new"_s), 1);
    for (const RecordedRequest &r : bed.fake->requests(u"/api/v2/chat/completions"_s))
        QCOMPARE(r.header("origin"), origin.toUtf8());
}

void TestTls::tlsThroughConnectProxy()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QVERIFY(front.start());
    TinyProxy proxy(bed.fake->port(), front.port());
    QVERIFY(proxy.start());
    // zai.test (RFC 6761) is never resolved here: the proxy receives "CONNECT zai.test:443".
    bed.config.endpoint = u"https://zai.test/api/v2/chat/completions"_s;
    bed.config.httpsProxy = QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    bed.config.tokens = {TestBed::makeToken(u"tls-user"_s)};
    bed.config.anonymous = false;
    bed.fake->addValidToken(bed.config.tokens.first());
    QVERIFY(bed.start());

    for (bool stream : {false, true}) {
        const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                          chatBody(u"GLM-4.7"_s, u"tunnelled"_s, stream));
        QCOMPARE(r.status, 200);
        QCOMPARE(answerText(r, stream), FakeZaiServer::expectedAnswer(u"tunnelled"_s));
    }

    // Everything went through tunnels to zai.test:443, nothing in absolute form, and the proxy
    // saw only ciphertext: neither the path nor the account token.
    QVERIFY(!proxy.tunnels().isEmpty());
    for (const QString &authority : proxy.tunnels())
        QCOMPARE(authority, u"zai.test:443"_s);
    QVERIFY2(proxy.requestLines().isEmpty(), qPrintable(proxy.requestLines().join(u'\n')));
    const QByteArray seen = proxy.allClientBytes();
    QVERIFY(!seen.contains("chat/completions"));
    QVERIFY(!seen.contains(bed.config.tokens.first().toUtf8()));
    QVERIFY(front.handshakes() >= 1);

    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 2);
    for (const RecordedRequest &r : bed.fake->requests(u"/api/v2/chat/completions"_s))
        QCOMPARE(r.header("origin"), "https://zai.test"_ba);
}

// A proxy that wants credentials answers the first CONNECT with a 407 challenge; the credentials
// of HTTPS_PROXY (user and password percent-encoded in the URL, as curl takes them) must follow.
void TestTls::tlsThroughAuthenticatedProxy()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QVERIFY(front.start());
    TinyProxy proxy(bed.fake->port(), front.port());
    proxy.requireCredentials("alice", "pa:ss@word");
    QVERIFY(proxy.start());
    bed.config.endpoint = u"https://zai.test/api/v2/chat/completions"_s;
    bed.config.httpsProxy = QUrl(u"http://alice:pa%3Ass%40word@127.0.0.1:%1"_s.arg(proxy.port()));
    QVERIFY(bed.start()); // guest tokens: the sign-in goes through the proxy too

    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.7"_s, u"with auth"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"with auth"_s));
    // Qt's CONNECT sends the credentials in answer to the challenge.
    QVERIFY(proxy.challenges() >= 1);
    QVERIFY(!proxy.tunnels().isEmpty());
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 1);
}

// HTTPS through a SOCKS5 proxy: the proxy is asked for zai.test:443 by name (Qt leaves the name
// lookup to a SOCKS5 proxy) and sees only ciphertext.
void TestTls::tlsThroughSocks5()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QVERIFY(front.start());
    TinySocks5 socks(bed.fake->port(), front.port());
    QVERIFY(socks.start());
    bed.config.endpoint = u"https://zai.test/api/v2/chat/completions"_s;
    bed.config.httpsProxy = QUrl(u"socks5://127.0.0.1:%1"_s.arg(socks.port()));
    QVERIFY(bed.start());

    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.7"_s, u"socks tls"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"socks tls"_s));
    QVERIFY(!socks.targets().isEmpty());
    for (const QString &target : socks.targets())
        QCOMPARE(target, u"zai.test:443"_s);
    QVERIFY(front.handshakes() >= 1);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 1);
}

// A handshake that fails for another reason than the certificate (here: an answer that is not
// TLS, as a flaky middlebox may give) is retried on a fresh connection, unlike a rejected
// certificate.
void TestTls::handshakeCutShortIsRetried()
{
    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QVERIFY(front.start());
    GarblingFront flaky(front.port());
    QVERIFY(flaky.start());
    bed.config.endpoint = u"https://localhost:%1/api/v2/chat/completions"_s.arg(flaky.port());
    bed.config.tokens = {TestBed::makeToken(u"tls-user"_s)};
    bed.config.anonymous = false;
    bed.fake->addValidToken(bed.config.tokens.first());
    QVERIFY(bed.start());
    // GLM-4.5 needs no pre-created chat; the first call also caches the FE version, so that the
    // next new connection is a completion's.
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s),
                        chatBody(u"GLM-4.5"_s, u"warm up"_s, false)).status,
             200);

    // Two calls at once: one takes the parked connection, the other needs a new one, whose
    // handshake gets garbage.
    flaky.garbleNext(1);
    RawClient first;
    RawClient second;
    QVERIFY(first.connectTo(bed.port()));
    QVERIFY(second.connectTo(bed.port()));
    first.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"one"_s, false));
    second.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"two"_s, false));
    const HttpResponse one = first.readResponse();
    const HttpResponse two = second.readResponse();
    QCOMPARE(one.status, 200);
    QCOMPARE(two.status, 200);
    QCOMPARE(one.answer(), FakeZaiServer::expectedAnswer(u"one"_s));
    QCOMPARE(two.answer(), FakeZaiServer::expectedAnswer(u"two"_s));
    QCOMPARE(flaky.garbled(), 1);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 3);
}

void TestTls::untrustedCertificateIsRefused_data()
{
    QTest::addColumn<bool>("guest"); // the guest sign-in meets the certificate first
    QTest::newRow("account token") << false;
    QTest::newRow("guest") << true;
}

void TestTls::untrustedCertificateIsRefused()
{
    QFETCH(bool, guest);
    trustTestCa(false);
    const auto restore = qScopeGuard([this] { trustTestCa(true); });

    TestBed bed;
    QVERIFY(bed.fake->start());
    TlsFront front(bed.fake->port());
    QVERIFY(front.start());
    bed.config.endpoint = u"https://localhost:%1/api/v2/chat/completions"_s.arg(front.port());
    if (!guest) {
        bed.config.tokens = {TestBed::makeToken(u"tls-user"_s)};
        bed.config.anonymous = false;
        bed.fake->addValidToken(bed.config.tokens.first());
    }
    bed.config.maxRetries = 3; // retried, this would take 250 + 500 + 1000 ms of backoff
    QVERIFY(bed.start());

    QElapsedTimer clock;
    clock.start();
    const HttpResponse r =
        Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"not trusted"_s, false));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(r.status, 502);
    const QString message = r.error().value(u"message"_s).toString();
    QVERIFY2(message.contains(u"certificate"_s, Qt::CaseInsensitive), qPrintable(message));
    QCOMPARE(r.error().value(u"code"_s).toString(), u"upstream_tls_error"_s);
    if (!guest)
        QVERIFY(!message.contains(bed.config.tokens.first()));
    // Nothing reached the upstream: no handshake completed, so no request was sent.
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
    QCOMPARE(front.handshakes(), 0);
    QVERIFY2(elapsed < 1200, qPrintable(u"%1 ms: retried?"_s.arg(elapsed)));
}

QTEST_GUILESS_MAIN(TestTls)
#include "testTls.moc"
