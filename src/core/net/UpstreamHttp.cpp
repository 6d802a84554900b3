// SPDX-License-Identifier: MIT
#include "UpstreamHttp.h"

#include "ChunkedDecoder.h"

#include "NetworkPool.h"

#include <QNetworkProxyQuery>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// Headers the client writes itself, whatever the request carries.
bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

bool ownHeader(QByteArrayView name)
{
    static constexpr QByteArrayView kOwn[] = {"host", "connection", "content-length",
                                              "transfer-encoding", "accept-encoding",
                                              "proxy-authorization", "proxy-connection",
                                              "keep-alive", "te", "upgrade"};
    for (const QByteArrayView own : kOwn) {
        if (sameName(name, own))
            return true;
    }
    return false;
}

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kFirstPieceBytes = 2048; // of an answer's body, decoded and handed on at once
constexpr qsizetype kKeptInputBytes = 256 * 1024; // input buffer allocation kept between calls

} // namespace

// One keep-alive connection to one route (scheme, host, port and proxy). It carries one call at
// a time; between calls UpstreamHttp keeps it parked.
class UpstreamConnection : public QObject
{
public:
    UpstreamConnection(UpstreamHttp *owner, QString route, const QUrl &url, QNetworkProxy proxy)
        : QObject(owner), m_owner(owner), m_route(std::move(route)), m_proxy(std::move(proxy))
    {
        m_https = url.scheme() == u"https";
        m_host = url.host();
        m_port = quint16(url.port(m_https ? 443 : 80));
        if (m_https) {
            auto *ssl = new QSslSocket(this);
            QSslConfiguration tls = ssl->sslConfiguration();
            tls.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
            ssl->setSslConfiguration(tls);
            m_socket = ssl;
            connect(ssl, &QSslSocket::encrypted, this, &UpstreamConnection::onConnected);
            connect(ssl, &QSslSocket::sslErrors, this,
                    [this](const QList<QSslError> &) { m_certificateRejected = true; });
        } else {
            m_socket = new QTcpSocket(this);
            connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onConnected);
        }
        connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { m_timer.start(); });
        connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
        connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &UpstreamConnection::onTimeout);
    }

    const QString &route() const { return m_route; }
    bool reused() const { return m_calls > 1; }
    bool usable() const
    {
        return m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0;
    }

    void start(UpstreamReply *reply, QByteArray head, QByteArray body, int timeoutMs)
    {
        ++m_calls;
        m_reply = reply;
        reply->m_connection = this;
        m_head = std::move(head);
        m_body = std::move(body);
        m_sent = false;
        m_timeoutMs = timeoutMs;
        m_sawResponseBytes = false;
        m_state = State::Head;
        // The input buffer keeps its allocation from call to call, unless an unusually large
        // answer made it big.
        if (m_in.capacity() > kKeptInputBytes)
            m_in = QByteArray();
        else
            m_in.resize(0);
        m_timer.setInterval(m_timeoutMs);
        m_timer.start();
        if (m_connected) {
            send();
            return;
        }
        // http:// through an HTTP proxy goes to the proxy itself (absolute-form request);
        // everything else lets the socket do the proxying (CONNECT or SOCKS5).
        const bool absoluteForm = m_proxy.type() == QNetworkProxy::HttpProxy && !m_https;
        if (absoluteForm) {
            m_socket->setProxy(QNetworkProxy::NoProxy);
            m_socket->connectToHost(m_proxy.hostName(), m_proxy.port());
        } else {
            m_socket->setProxy(m_proxy);
            if (m_https)
                static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_host, m_port);
            else
                m_socket->connectToHost(m_host, m_port);
        }
    }

    // Parked between calls: a connection the server closes or talks on is dropped.
    void park()
    {
        m_head.clear(); // answered: never sent again
        m_body.clear();
        m_timer.setInterval(UpstreamHttp::kIdleTimeoutMs);
        m_timer.start();
    }

    void cancel()
    {
        m_reply = nullptr;
        close();
    }

private:
    enum class State { Head, Body, Done };
    static constexpr int kDrainTimeoutMs = 5000;
    enum class Framing { Length, Chunked, UntilClose };

    void onConnected()
    {
        m_connected = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_reply)
            send();
    }

    void send()
    {
        m_socket->write(m_head);
        if (!m_body.isEmpty())
            m_socket->write(m_body); // a large body is handed over as it is, not copied
        m_socket->flush(); // now, not on the event loop's next turn
        m_sent = true;
    }

    void onReadyRead()
    {
        if (!m_reply && !m_draining) {
            close(); // a parked connection must stay silent
            return;
        }
        appendAvailable();
        m_sawResponseBytes = true;
        m_timer.start();
        process();
    }

    // Reads what the socket holds to the end of m_in, whose allocation is kept from one answer
    // to the next (a fresh one for every read cost page faults on the way to the first byte).
    void appendAvailable()
    {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            return;
        const qsizetype at = m_in.size();
        m_in.resize(at + available);
        const qint64 got = m_socket->read(m_in.data() + at, available);
        m_in.resize(at + qMax<qint64>(0, got));
    }

    // Where body bytes go: the reply, or nowhere while draining.
    QByteArray &sink() { return m_reply ? m_reply->m_body : m_discard; }

    void process()
    {
        if (m_state == State::Head && (!m_reply || !parseHead()))
            return;
        if (m_state != State::Body || (!m_reply && !m_draining))
            return;
        // The first piece of a chunked answer is handed on before the rest is decoded: a fast
        // upstream sends a whole answer at once, and its first event should reach the client
        // without waiting for all the others.
        bool firstPiece = std::exchange(m_bodyStart, false);
        for (;;) {
            const bool limited = firstPiece && m_framing == Framing::Chunked
                && m_in.size() > kFirstPieceBytes;
            firstPiece = false;
            UpstreamReply *reply = m_reply;
            const qsizetype before = reply ? reply->m_body.size() : 0;
            const bool done = parseBody(limited ? kFirstPieceBytes : -1);
            m_discard.clear();
            if (reply && m_reply != reply)
                return; // parseBody failed the call
            if (done)
                complete();
            if (reply) {
                // The reply may be released, aborted or deleted by whoever handles these
                // signals; this connection stays (it is only ever deleted later).
                const QPointer<UpstreamReply> guard(reply);
                if (reply->m_body.size() > before)
                    Q_EMIT reply->readyRead();
                if (done && guard)
                    Q_EMIT reply->finished();
            }
            if (done || !limited || m_closed || m_state != State::Body || (!m_reply && !m_draining))
                return;
        }
    }

    // Status line and headers; true once the body may be read, false when more bytes are needed
    // or the call failed.
    bool parseHead()
    {
        for (;;) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_in.size() > kMaxHeaderBytes)
                    fail(UpstreamReply::Error::Protocol, u"the answer's headers are too large"_s);
                return false;
            }
            // Read as views into m_in; the head leaves m_in once its fields are copied.
            const QByteArrayView head = QByteArrayView(m_in).first(end);
            qsizetype lineEnd = head.indexOf('\n');
            const QByteArrayView statusLine =
                (lineEnd < 0 ? head : head.first(lineEnd)).trimmed(); // "HTTP/1.1 200 OK"
            const auto digit = [&](qsizetype i) { return statusLine[i] >= '0' && statusLine[i] <= '9'; };
            if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12) {
                fail(UpstreamReply::Error::Protocol, u"not an HTTP/1.x answer"_s);
                return false;
            }
            if (statusLine[8] != ' ' || !digit(9) || !digit(10) || !digit(11)
                || (statusLine.size() > 12 && statusLine[12] != ' ') || statusLine[9] == '0') {
                fail(UpstreamReply::Error::Protocol, u"malformed HTTP status line"_s);
                return false;
            }
            const int status = (statusLine[9] - '0') * 100 + (statusLine[10] - '0') * 10
                + (statusLine[11] - '0');
            const bool http10 = statusLine.startsWith("HTTP/1.0");
            if (status < 200) {
                m_in.remove(0, end + 4);
                continue; // 100 Continue and friends: the real answer follows
            }
            m_reply->m_status = status;
            m_reply->m_headers.clear();
            while (lineEnd >= 0) {
                const qsizetype start = lineEnd + 1;
                lineEnd = head.indexOf('\n', start);
                const QByteArrayView line = head.sliced(start, (lineEnd < 0 ? end : lineEnd) - start);
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    m_reply->m_headers.emplaceBack(line.first(colon).trimmed().toByteArray(),
                                                   line.sliced(colon + 1).trimmed().toByteArray());
            }
            m_in.remove(0, end + 4);
            return readFraming(status, http10);
        }
    }

    bool readFraming(int status, bool http10)
    {
        const QByteArray connection = m_reply->header("Connection").toLower();
        m_keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        const QByteArray encoding = m_reply->header("Content-Encoding").toLower();
        if (!encoding.isEmpty() && encoding != "identity") {
            fail(UpstreamReply::Error::Protocol,
                 u"the answer is compressed (%1) though no compression was asked for"_s.arg(
                     QString::fromLatin1(encoding)));
            return false;
        }
        bool ok = true;
        m_state = State::Body;
        if (status == 204 || status == 304) {
            m_framing = Framing::Length;
            m_left = 0;
        } else if (m_reply->header("Transfer-Encoding").toLower().contains("chunked")) {
            m_framing = Framing::Chunked;
            m_chunks.reset();
            m_bodyStart = true;
        } else if (const QByteArray length = m_reply->header("Content-Length"); !length.isEmpty()) {
            m_framing = Framing::Length;
            m_left = length.toLongLong(&ok);
        } else {
            m_framing = Framing::UntilClose;
            m_keepAlive = false;
        }
        if (!ok || m_left < 0) {
            fail(UpstreamReply::Error::Protocol, u"malformed Content-Length"_s);
            return false;
        }
        return true;
    }

    // Moves the body bytes at hand from m_in to sink(); true when the body is complete. A chunked
    // body is read from the first `limit` bytes of m_in only (all of them when negative).
    bool parseBody(qsizetype limit = -1)
    {
        switch (m_framing) {
        case Framing::UntilClose:
            sink() += m_in;
            m_in.clear();
            return false;
        case Framing::Length: {
            const qsizetype take = qMin<qsizetype>(m_left, m_in.size());
            sink() += QByteArrayView(m_in).first(take);
            m_in.remove(0, take);
            m_left -= take;
            return m_left == 0;
        }
        case Framing::Chunked:
            return parseChunks(limit);
        }
        return false;
    }

    bool parseChunks(qsizetype limit)
    {
        switch (m_chunks.decode(&m_in, &sink(), limit)) {
        case ChunkedDecoder::Status::NeedMore: return false;
        case ChunkedDecoder::Status::Done: return true;
        case ChunkedDecoder::Status::Malformed: break;
        }
        fail(UpstreamReply::Error::Protocol, u"malformed chunked body"_s);
        return false;
    }

    // The answer is complete: the reply is finished and the connection goes back to the pool.
    // Emits nothing (the caller does, once its own state is consistent).
    void complete()
    {
        m_state = State::Done;
        m_draining = false;
        if (UpstreamReply *reply = m_reply) {
            m_reply = nullptr;
            reply->m_connection = nullptr;
            reply->m_finished = true;
        }
        if (m_keepAlive && m_in.isEmpty() && m_connected)
            m_owner->park(this);
        else
            close();
    }

public:
    // The reply's reader has what it needs: read the rest of the body into nothing, so that the
    // connection can be used again, unless that means waiting for the server to close.
    void drain()
    {
        m_reply = nullptr;
        if (m_state != State::Body || m_framing == Framing::UntilClose || !m_keepAlive) {
            close();
            return;
        }
        m_draining = true;
        m_timer.setInterval(qMin(m_timeoutMs, kDrainTimeoutMs));
        m_timer.start();
    }

private:
    void fail(UpstreamReply::Error error, const QString &message)
    {
        UpstreamReply *reply = m_reply;
        m_reply = nullptr;
        close();
        if (!reply)
            return;
        reply->m_connection = nullptr;
        reply->m_finished = true;
        reply->m_error = error;
        reply->m_errorString = message;
        Q_EMIT reply->finished();
    }

    void onDisconnected()
    {
        if (m_reply && m_state == State::Body && m_framing == Framing::UntilClose) {
            m_in += m_socket->readAll();
            UpstreamReply *reply = m_reply;
            parseBody();
            complete();
            const QPointer<UpstreamReply> guard(reply);
            if (reply->bytesAvailable() > 0)
                Q_EMIT reply->readyRead();
            if (guard)
                Q_EMIT reply->finished();
            return;
        }
        lost(u"the connection was closed"_s, QAbstractSocket::RemoteHostClosedError);
    }

    void onSocketError(QAbstractSocket::SocketError error)
    {
        if (error == QAbstractSocket::RemoteHostClosedError) {
            // disconnected() follows and decides (a body read until close ends this way)
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                onDisconnected();
            return;
        }
        lost(m_socket->errorString(), error);
    }

    void lost(const QString &why, QAbstractSocket::SocketError error)
    {
        if (!m_reply) {
            close();
            return;
        }
        // A kept-alive connection the server had already closed: send the call again on a fresh
        // one, as long as not a byte of the answer came back.
        if (reused() && m_sent && !m_sawResponseBytes) {
            UpstreamReply *reply = m_reply;
            m_reply = nullptr;
            reply->m_connection = nullptr;
            close();
            m_owner->retryFresh(reply, m_head, m_body, m_timeoutMs, m_route, m_proxy);
            return;
        }
        using E = UpstreamReply::Error;
        E kind = E::Network;
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError: kind = E::ConnectionRefused; break;
        case QAbstractSocket::HostNotFoundError: kind = E::HostNotFound; break;
        case QAbstractSocket::SocketTimeoutError: kind = E::Timeout; break;
        case QAbstractSocket::RemoteHostClosedError: kind = E::RemoteClosed; break;
        case QAbstractSocket::ProxyAuthenticationRequiredError:
            kind = E::ProxyAuthenticationFailed;
            break;
        case QAbstractSocket::ProxyConnectionRefusedError:
        case QAbstractSocket::ProxyConnectionClosedError:
        case QAbstractSocket::ProxyConnectionTimeoutError:
        case QAbstractSocket::ProxyNotFoundError:
        case QAbstractSocket::ProxyProtocolError: kind = E::ProxyFailed; break;
        case QAbstractSocket::SslHandshakeFailedError:
            // A certificate that is not trusted stays so; a handshake cut short may not.
            if (m_certificateRejected)
                kind = E::Tls;
            break;
        default: break;
        }
        // Before the connection stood, a failure through a proxy is the proxy's.
        if (!m_connected && m_proxy.type() != QNetworkProxy::NoProxy
            && (kind == E::ConnectionRefused || kind == E::HostNotFound || kind == E::RemoteClosed))
            kind = E::ProxyFailed;
        fail(kind, why);
    }

    void onTimeout()
    {
        if (!m_reply) {
            close(); // parked or draining for too long
            return;
        }
        fail(UpstreamReply::Error::Timeout, u"no data for %1 ms"_s.arg(m_timeoutMs));
    }

    void close()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_timer.stop();
        m_connected = false;
        m_socket->disconnect(this);
        m_socket->abort();
        m_owner->forget(this);
        deleteLater();
    }

private:
    UpstreamHttp *m_owner;
    QString m_route;
    QNetworkProxy m_proxy;
    QString m_host;
    quint16 m_port = 0;
    bool m_https = false;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    int m_timeoutMs = 0;
    bool m_connected = false;
    bool m_closed = false;
    bool m_certificateRejected = false; // sslErrors came: the handshake fails for that
    int m_calls = 0;
    QPointer<UpstreamReply> m_reply;
    // Kept after sending: a stale reused connection sends them again.
    QByteArray m_head; // request line and headers, and the body when it is small
    QByteArray m_body; // a large body, shared with the caller
    bool m_sent = false;
    QByteArray m_in;
    State m_state = State::Head;
    Framing m_framing = Framing::Length;
    qint64 m_left = 0;
    ChunkedDecoder m_chunks;
    bool m_keepAlive = true;
    bool m_draining = false;
    bool m_bodyStart = false; // the body's first bytes are yet to be read
    QByteArray m_discard;
    bool m_sawResponseBytes = false;
};

UpstreamReply::UpstreamReply(QUrl url, QObject *parent) : QObject(parent), m_url(std::move(url)) {}

UpstreamReply::~UpstreamReply()
{
    abort();
}

QByteArray UpstreamReply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray UpstreamReply::readAll()
{
    return std::exchange(m_body, {});
}

QByteArray UpstreamReply::read(qint64 maxSize)
{
    const QByteArray part = m_body.left(maxSize);
    m_body.remove(0, part.size());
    return part;
}

void UpstreamReply::release()
{
    if (m_finished)
        return;
    m_finished = true;
    if (UpstreamConnection *connection = m_connection) {
        m_connection = nullptr;
        connection->drain();
    }
}

void UpstreamReply::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = Error::Network;
    m_errorString = u"cancelled"_s;
    if (UpstreamConnection *connection = m_connection) {
        m_connection = nullptr;
        connection->cancel();
    }
}

UpstreamHttp::UpstreamHttp(QObject *parent)
    : QObject(parent), m_proxies(std::make_unique<ProxyFactory>(QUrl(), QUrl(), QStringList()))
{
}

UpstreamHttp::~UpstreamHttp() = default;

void UpstreamHttp::setProxies(const QUrl &httpProxy, const QUrl &httpsProxy,
                              const QStringList &noProxy)
{
    m_proxies = std::make_unique<ProxyFactory>(httpProxy, httpsProxy, noProxy);
    m_route.reset();
    // Parked connections may follow the old route; new calls open new ones.
    const auto parked = m_idle.values();
    for (UpstreamConnection *connection : parked)
        connection->cancel();
}

QUrl UpstreamRequest::url() const
{
    QUrl full = m_url;
    if (!m_query.isEmpty())
        full.setQuery(QString::fromLatin1(m_query), QUrl::StrictMode);
    return full;
}

void UpstreamRequest::setRawHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &[existing, old] : m_headers) {
        if (sameName(existing, name)) {
            old = value;
            return;
        }
    }
    m_headers.emplaceBack(name, value);
}

QByteArray UpstreamRequest::rawHeader(QByteArrayView name) const
{
    for (const auto &[existing, value] : m_headers) {
        if (sameName(existing, name))
            return value;
    }
    return {};
}

UpstreamHttp::Route UpstreamHttp::routeFor(const QUrl &url) const
{
    const QList<QNetworkProxy> proxies = m_proxies->queryProxy(QNetworkProxyQuery(url));
    QNetworkProxy proxy = proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.first();
    if (proxy.type() == QNetworkProxy::DefaultProxy)
        proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    return routeVia(url, proxy);
}

UpstreamHttp::Route UpstreamHttp::routeVia(const QUrl &url, const QNetworkProxy &proxy)
{
    Route r;
    r.url = url;
    const bool https = url.scheme() == u"https";
    r.supported = https || url.scheme() == u"http";
    if (!r.supported)
        return r;
    r.proxy = proxy;
    r.proxyName = ProxyFactory::nameOf(proxy);

    const int defaultPort = https ? 443 : 80;
    const int port = url.port(defaultPort);
    QByteArray hostHeader = url.host(QUrl::FullyEncoded).toLatin1();
    if (hostHeader.contains(':'))
        hostHeader = '[' + hostHeader + ']';
    if (port != defaultPort)
        hostHeader += ':' + QByteArray::number(port);
    const bool absoluteForm = proxy.type() == QNetworkProxy::HttpProxy && !https;

    constexpr auto kNoQuery = QUrl::RemoveQuery | QUrl::RemoveFragment;
    r.target = absoluteForm ? url.toEncoded(QUrl::RemoveUserInfo | kNoQuery)
                            : url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | kNoQuery);
    if (url.path().isEmpty())
        r.target += '/';
    r.hostLine = " HTTP/1.1\r\nHost: " + hostHeader + "\r\n";
    if (absoluteForm && !proxy.user().isEmpty()) {
        r.proxyAuthorization = "Proxy-Authorization: Basic "
                               + (proxy.user() + u':' + proxy.password()).toUtf8().toBase64()
                               + "\r\n";
    }
    r.key = url.scheme() + u"://"_s + QString::fromLatin1(hostHeader) + u'|'
            + QString::number(int(proxy.type())) + u'|' + r.proxyName;
    return r;
}

QByteArray UpstreamHttp::requestHead(const Route &route, const UpstreamRequest &request,
                                     const QByteArray &body, bool withBody)
{
    // The head is measured first and then copied piece by piece into one allocation: a few
    // dozen appends each checked for room cost more than the copying.
    char lengthText[24];
    const int lengthSize =
        std::snprintf(lengthText, sizeof lengthText, "%lld", static_cast<long long>(body.size()));
    constexpr QByteArrayView kPost = "POST ";
    constexpr QByteArrayView kTail = "\r\nConnection: keep-alive\r\n\r\n";
    constexpr QByteArrayView kLength = "Content-Length: ";
    const QByteArray &query = request.encodedQuery();
    qsizetype size = kPost.size() + route.target.size() + (query.isEmpty() ? 0 : 1 + query.size())
                     + route.hostLine.size() + route.proxyAuthorization.size() + kLength.size()
                     + lengthSize + kTail.size() + (withBody ? body.size() : 0);
    for (const auto &[name, value] : request.headers()) {
        if (!ownHeader(name))
            size += name.size() + value.size() + 4;
    }
    QByteArray head(size, Qt::Uninitialized);
    char *w = head.data();
    const auto put = [&w](QByteArrayView piece) {
        if (piece.isEmpty())
            return; // an empty QByteArray's data() may be null: no memcpy from it
        std::memcpy(w, piece.data(), size_t(piece.size()));
        w += piece.size();
    };
    put(kPost);
    put(route.target);
    if (!query.isEmpty()) {
        *w++ = '?';
        put(query);
    }
    put(route.hostLine);
    for (const auto &[name, value] : request.headers()) {
        if (ownHeader(name))
            continue;
        put(name);
        put(": ");
        put(value);
        put("\r\n");
    }
    put(route.proxyAuthorization);
    put(kLength);
    put(QByteArrayView(lengthText, lengthSize));
    put(kTail);
    if (withBody)
        put(body);
    Q_ASSERT(w == head.data() + head.size());
    return head;
}

QByteArray UpstreamHttp::directRequestBytes(const UpstreamRequest &request, const QByteArray &body)
{
    return requestHead(routeVia(request.baseUrl(), QNetworkProxy(QNetworkProxy::NoProxy)), request,
                       body, true);
}

UpstreamReply *UpstreamHttp::post(const UpstreamRequest &request, const QByteArray &body,
                                  int timeoutMs, QObject *parent)
{
    const QUrl &url = request.baseUrl();
    auto *reply = new UpstreamReply(url, parent);
    // Completions all go to the same URL: its proxy, target and Host line are worked out once
    // (and again after setProxies()).
    if (!m_route || m_route->url != url)
        m_route = routeFor(url);
    const Route &route = *m_route;
    if (!route.supported) {
        reply->m_finished = true;
        reply->m_error = UpstreamReply::Error::Protocol;
        reply->m_errorString = u"unsupported scheme %1"_s.arg(url.scheme());
        QMetaObject::invokeMethod(reply, &UpstreamReply::finished, Qt::QueuedConnection);
        return reply;
    }
    reply->m_proxyName = route.proxyName;
    reply->m_proxyIsSocks = route.proxy.type() == QNetworkProxy::Socks5Proxy;

    // A small body travels in the head's buffer (one write); a large one is shared as it is:
    // copying a megabyte costs more than a second write.
    const bool withBody = body.size() < kSeparateBodyBytes;
    QByteArray head = requestHead(route, request, body, withBody);
    QByteArray largeBody;
    if (!withBody)
        largeBody = body;

    UpstreamConnection *connection = nullptr;
    while (!connection) {
        auto parked = m_idle.find(route.key);
        if (parked == m_idle.end())
            break;
        UpstreamConnection *candidate = parked.value();
        m_idle.erase(parked);
        if (candidate->usable())
            connection = candidate;
        else
            candidate->cancel();
    }
    if (!connection) {
        connection = new UpstreamConnection(this, route.key, url, route.proxy);
        ++m_open;
    }
    connection->start(reply, std::move(head), std::move(largeBody), timeoutMs);
    return reply;
}

void UpstreamHttp::retryFresh(UpstreamReply *reply, const QByteArray &head, const QByteArray &body,
                              int timeoutMs, const QString &route, const QNetworkProxy &proxy)
{
    auto *connection = new UpstreamConnection(this, route, reply->url(), proxy);
    ++m_open;
    connection->start(reply, head, body, timeoutMs);
}

void UpstreamHttp::park(UpstreamConnection *connection)
{
    if (m_idle.count(connection->route()) >= kMaxIdlePerRoute) {
        connection->cancel();
        return;
    }
    m_idle.insert(connection->route(), connection);
    connection->park();
}

void UpstreamHttp::forget(UpstreamConnection *connection)
{
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        if (it.value() == connection) {
            it = m_idle.erase(it);
        } else {
            ++it;
        }
    }
    --m_open;
}
