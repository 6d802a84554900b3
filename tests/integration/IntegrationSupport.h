// SPDX-License-Identifier: MIT
#pragma once

// Shared pieces of the integration tests: the real ApiServer on port 0 in front of an in-process
// FakeZaiServer, an HTTP client on QNetworkAccessManager for ordinary requests, a raw socket
// client for exact bytes (chunked SSE, Host headers, disconnects), and an SSE parser. Nothing
// here blocks the event loop: every wait spins it with a deadline.

#include "ApiServer.h"
#include "config/BridgeConfig.h"
#include "FakeZaiServer.h"
#include "zai/CaptchaSource.h"
#include "zai/UpstreamProfile.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QSslCertificate>
#include <QSslServer>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

using HeaderPairs = QList<QPair<QByteArray, QByteArray>>;

// One HTTP response as a client saw it.
struct HttpResponse
{
    int status = 0;           // 0: no response (timeout or connection failure)
    QByteArray statusLine;
    HeaderPairs headers;      // in arrival order, names as sent
    QByteArray body;          // de-chunked
    QByteArray rawBody;       // as it came over the wire (chunk framing included)
    bool chunked = false;
    bool complete = false;    // the whole body arrived (terminating chunk, length or close)
    QString networkError;     // QNetworkAccessManager's error text, if any

    QByteArray header(const QByteArray &name) const; // case-insensitive; "" when absent
    bool hasHeader(const QByteArray &name) const;
    QJsonObject json() const;
    // The OpenAI error object of an error body, or an empty object.
    QJsonObject error() const { return json().value(QLatin1StringView("error")).toObject(); }
    // choices[0].message.content of a non-streaming answer, or "".
    QString answer() const;
};

// One server-sent event of a response body.
struct SseEvent
{
    QByteArray raw;       // the event text without the blank line
    bool comment = false; // ": ping" and friends
    QByteArray data;      // the data: payload ("[DONE]" or JSON)
    QJsonObject json;     // parsed data, when it is a JSON object
    bool isDone() const { return data == "[DONE]"; }
};

namespace Sse {
QList<SseEvent> parse(const QByteArray &body);
// The JSON chunks (data events that are objects), in order.
QList<QJsonObject> chunks(const QList<SseEvent> &events);
// Concatenated delta.content / delta.reasoning_content of the chunks.
QString content(const QList<QJsonObject> &chunks);
QString reasoning(const QList<QJsonObject> &chunks);
} // namespace Sse

// What a user's Z.AI window does when the page's captcha is traceless: every ask is answered
// with a verify parameter the fake minted, on the event loop.
class MintingCaptchaSource : public CaptchaSource
{
public:
    explicit MintingCaptchaSource(FakeZaiServer *fake) : m_fake(fake) {}
    QString describe() const override { return QStringLiteral("the fake's captcha mint"); }
    CaptchaTicket *obtain(const CaptchaAsk &ask, QObject *owner) override;

private:
    FakeZaiServer *m_fake;
};

// Whether the suite runs against the live service of zai-protocol.md section 10 (environment
// ZB_LIVE_2026=1, set by the "_live2026" copies of the integration tests): every TestBed's fake
// then has FakeZaiServer::setLive2026 on and its server a MintingCaptchaSource, as a user with
// the Z.AI window open has. Tests of the old service's details opt out with a QSKIP.
bool live2026();
// Skips a test of the old service's details in the live2026 copy, for one of these reasons.
#define ZB_SKIP_ON_LIVE_2026(reason)                                                          \
    do {                                                                                      \
        if (live2026())                                                                       \
            QSKIP(reason);                                                                    \
    } while (false)
#define ZB_LIVE_2026_GUESTS                                                                   \
    "Guests of the live service get GLM-4.7 only: this test of guest tokens runs in the "     \
    "old-behaviour copy; testLiveService covers guests there."
#define ZB_LIVE_2026_ROLES                                                                    \
    "The live service refuses every role but user (P.12): messages.mode \"roles\" is for "    \
    "the old service only."
#define ZB_LIVE_2026_FE_VERSION                                                               \
    "The live service answers an old X-FE-Version with its firewall's 405, not 426 "          \
    "(section 10): the 426 refresh is tested in the old-behaviour copy."

// A loopback port nothing listens on (a moment ago something did): an unreachable upstream.
quint16 closedPort();

// The server under test and its fake upstream. Adjust `config` before start().
class TestBed
{
public:
    TestBed();
    ~TestBed();
    TestBed(const TestBed &) = delete;
    TestBed &operator=(const TestBed &) = delete;

    // Starts the fake (if not running) and the server; false with a message on failure.
    bool start(QString *error = nullptr);
    void stop();

    quint16 port() const { return server->port(); }
    QUrl url(const QString &path) const;

    // A Z.AI account token the fake accepts: JWT-shaped with the given user id.
    static QString makeToken(const QString &userId);

    std::unique_ptr<FakeZaiServer> fake;
    BridgeConfig config;
    std::optional<UpstreamProfile> profile; // empty: the built-in profile
    std::unique_ptr<ApiServer> server;
    std::unique_ptr<MintingCaptchaSource> liveCaptcha; // live2026() only
    // live2026(): without configured tokens start() signs a user in (an account token, as the
    // Z.AI window gives), because guests get GLM-4.7 only; true keeps the guests.
    bool guestsOnLive = false;
};

// Ordinary requests through QNetworkAccessManager (no proxy).
namespace Http {
HttpResponse request(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                     const HeaderPairs &headers = {}, int timeoutMs = 15000);
inline HttpResponse get(const QUrl &url, const HeaderPairs &headers = {}, int timeoutMs = 15000)
{
    return request("GET", url, {}, headers, timeoutMs);
}
inline HttpResponse post(const QUrl &url, const QByteArray &body, const HeaderPairs &headers = {},
                         int timeoutMs = 15000)
{
    return request("POST", url, body, headers, timeoutMs);
}
} // namespace Http

// The answer text of a chat completion response: the joined content deltas of a stream, or the
// message content of a non-streaming answer.
QString answerText(const HttpResponse &response, bool stream);

// A chat completion body: one user message with `prompt`, plus any extra fields.
QByteArray chatBody(const QString &model, const QString &prompt, bool stream,
                    const QJsonObject &extra = {});
QByteArray chatBody(const QJsonObject &object);

// A raw HTTP/1.1 client on one QTcpSocket: writes exact bytes and parses responses
// incrementally (Content-Length, chunked, or until the server closes).
class RawClient : public QObject
{
    Q_OBJECT
public:
    explicit RawClient(QObject *parent = nullptr);
    ~RawClient() override;

    bool connectTo(quint16 port, int timeoutMs = 5000);
    void send(const QByteArray &bytes);
    // A complete request with Content-Length; `host` empty = 127.0.0.1:port.
    void sendRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                     const HeaderPairs &headers = {}, const QByteArray &host = {});

    // Waits for the current response to complete, returns it and starts a new one.
    HttpResponse readResponse(int timeoutMs = 15000);
    // Waits until the current (possibly partial) response satisfies `done`.
    bool waitFor(const std::function<bool(const HttpResponse &)> &done, int timeoutMs = 15000);
    bool waitForBody(const QByteArray &needle, int timeoutMs = 15000);
    const HttpResponse &current() const { return m_current; }
    QByteArray rawReceived() const { return m_allBytes; } // every byte so far

    bool isConnected() const;
    bool waitForDisconnected(int timeoutMs = 5000);
    void abort(); // RST-free immediate close from the client side
    QTcpSocket *socket() const { return m_socket; }

private:
    void onReadyRead();
    void parse();

    QTcpSocket *m_socket;
    quint16 m_port = 0;
    QByteArray m_buffer;   // unparsed bytes
    QByteArray m_allBytes;
    HttpResponse m_current;
    bool m_haveHead = false;
    qint64 m_contentLength = -1;
    qint64 m_chunkRemaining = -1; // -1: expecting a size line
    bool m_closed = false;
    QList<HttpResponse> m_finished;
};

// Pipes `client` both ways to a new plain connection to 127.0.0.1:port; `initial` is sent first.
// `onClientBytes` (if set) sees every later byte the client sends. The upstream side closes with
// the client and the client with the upstream side.
void pipeToLocalPort(QTcpSocket *client, quint16 port, const QByteArray &initial,
                     const std::function<void(const QByteArray &)> &onClientBytes = {});

// A forwarding HTTP proxy for the proxy tests. A request in absolute form is relayed as it is to
// 127.0.0.1:targetPort; a CONNECT request is answered 200 and its tunnel piped to
// 127.0.0.1:tunnelPort (a TlsFront), so what passes through stays encrypted. Everything clients
// sent is kept so tests can read the request lines.
class TinyProxy : public QObject
{
public:
    explicit TinyProxy(quint16 targetPort, quint16 tunnelPort = 0);

    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

    // "METHOD absolute-URL" of every request relayed in absolute form (on a kept-alive connection
    // a request line follows the previous body directly).
    QStringList requestLines() const;
    // The authority of every CONNECT request ("zai.test:443").
    QStringList tunnels() const { return m_tunnels; }
    // From now on a connection's first request needs Basic credentials; without them it gets a
    // 407 challenge and the connection is closed.
    void requireCredentials(const QByteArray &user, const QByteArray &password);
    int challenges() const { return m_challenges; }
    // Requests relayed in absolute form whose head lacks Proxy-Authorization, on connections that
    // were let through: every request of a kept-alive connection, not only its first.
    int relayedHeadsWithoutCredentials() const;
    QByteArray allClientBytes() const;

private:
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_targetPort;
    quint16 m_tunnelPort;
    int m_connections = 0;
    QList<QByteArray> m_streams;
    QStringList m_tunnels;
    QByteArray m_credentials; // the expected Proxy-Authorization value, or empty
    int m_challenges = 0;
    QSet<qsizetype> m_challenged; // indexes into m_streams of the connections that got a 407
};

// A SOCKS5 proxy (RFC 1928; RFC 1929 user and password once required): every CONNECT is granted
// and piped to 127.0.0.1, to tlsPort when port 443 was asked for and to plainPort otherwise.
class TinySocks5 : public QObject
{
public:
    explicit TinySocks5(quint16 plainPort, quint16 tlsPort = 0);

    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    // "host:port" of every CONNECT, the host as the client sent it (a name or an address).
    QStringList targets() const { return m_targets; }
    void requireCredentials(const QByteArray &user, const QByteArray &password);
    int refusedLogins() const { return m_refusedLogins; }

private:
    void onNewConnection();
    // Consumes one complete step of the handshake from the front of `in`; false if more bytes
    // are needed. Sets `done` once the connection is a tunnel, `failed` once it must close.
    bool step(QTcpSocket *client, QByteArray &in, int &stage, bool &done, bool &failed);

    QTcpServer m_server;
    quint16 m_plainPort;
    quint16 m_tlsPort;
    QByteArray m_user;
    QByteArray m_password;
    QStringList m_targets;
    int m_refusedLogins = 0;
};

// A TLS front for the fake upstream: terminates TLS with the test certificate of tests/data/tls
// (issued for zai.test, localhost and 127.0.0.1 by a test CA) and pipes the plain bytes to
// 127.0.0.1:targetPort.
class TlsFront : public QObject
{
public:
    explicit TlsFront(quint16 targetPort);

    bool start(QString *error = nullptr);
    quint16 port() const { return m_server.serverPort(); }
    int handshakes() const { return m_handshakes; }
    int failedHandshakes() const { return m_failed; }

    // The CA that issued the front's certificate.
    static QSslCertificate testCa();

private:
    QSslServer m_server;
    quint16 m_targetPort;
    int m_handshakes = 0;
    int m_failed = 0;
};
