// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QMultiHash>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class ProxyFactory;
class UpstreamConnection;

// One request for UpstreamHttp: the address without its query, the query already
// percent-encoded, and the headers in the order they are sent. Cheaper to build than a
// QNetworkRequest (no URL parsing, no header map), and the query, which carries the token, stays
// out of the URL that replies and messages show.
class UpstreamRequest
{
public:
    UpstreamRequest() = default;
    explicit UpstreamRequest(QUrl url, QByteArray encodedQuery = {})
        : m_url(std::move(url)), m_query(std::move(encodedQuery))
    {
    }

    const QUrl &baseUrl() const { return m_url; }
    const QByteArray &encodedQuery() const { return m_query; }
    QUrl url() const; // with the query, for tests and diagnostics
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }

    void setEncodedQuery(QByteArray encodedQuery) { m_query = std::move(encodedQuery); }
    // Replaces a header of the same name (case-insensitive), as QNetworkRequest does.
    void setRawHeader(const QByteArray &name, const QByteArray &value);
    QByteArray rawHeader(QByteArrayView name) const;

private:
    QUrl m_url;
    QByteArray m_query;
    QList<QPair<QByteArray, QByteArray>> m_headers;
};

// The answer to one upstream call made with UpstreamHttp. Body bytes arrive through readyRead()
// (already de-chunked); finished() is emitted once, when the body is complete or the call failed.
// abort() or deleting the reply cancels the call and emits nothing; release() stops reading.
class UpstreamReply : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        ConnectionRefused,
        HostNotFound,
        Timeout,
        RemoteClosed, // the connection ended before the answer was complete
        ProxyFailed,
        ProxyAuthenticationFailed, // the proxy wants other credentials (407, or a SOCKS5 login)
        Tls, // the server's certificate was not accepted (other handshake failures are Network)
        Protocol, // not an HTTP/1.x answer we can read
        Network,
    };

    ~UpstreamReply() override;

    const QUrl &url() const { return m_url; }
    int status() const { return m_status; } // 0 until the status line has arrived
    QByteArray header(QByteArrayView name) const; // first value, name case-insensitive
    QByteArray readAll();
    QByteArray read(qint64 maxSize);
    qint64 bytesAvailable() const { return m_body.size(); }
    bool isRunning() const { return !m_finished; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    // "host:port" of the proxy the call went through; empty when it went direct.
    QString proxyName() const { return m_proxyName; }
    bool proxyIsSocks() const { return m_proxyIsSocks; }

    void abort();
    // Ends the call for the reader, who has all it needs, without giving up the connection: the
    // rest of the body is read and dropped, then the connection serves other calls. Emits nothing.
    void release();

Q_SIGNALS:
    void readyRead();
    void finished();

private:
    friend class UpstreamConnection;
    friend class UpstreamHttp;
    explicit UpstreamReply(QUrl url, QObject *parent);

    QUrl m_url;
    QString m_proxyName;
    bool m_proxyIsSocks = false;
    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
    QPointer<UpstreamConnection> m_connection;
};

// A small HTTP/1.1 client for the calls on the completion path. QNetworkAccessManager in Qt 6.4
// caps HTTP/1.1 at six connections per host, runs every connection in a helper thread and leaves
// Nagle's algorithm on; this client keeps as many keep-alive connections as there are concurrent
// calls, works on the caller's event loop and sends each request without delay. HTTP proxies
// (absolute-form requests for http://, CONNECT for https://), SOCKS5 and TLS are supported.
class UpstreamHttp : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamHttp(QObject *parent = nullptr);
    ~UpstreamHttp() override;

    void setProxies(const QUrl &httpProxy, const QUrl &httpsProxy, const QStringList &noProxy);

    // POSTs body to request.url() with request's headers. No byte may pass for timeoutMs
    // (connecting, sending or receiving) before the call fails with Error::Timeout.
    UpstreamReply *post(const UpstreamRequest &request, const QByteArray &body, int timeoutMs,
                        QObject *parent);

    // The bytes post() sends for request and body on a direct connection (no proxy), body
    // included: for tools that talk to the upstream themselves, such as the benchmark.
    static QByteArray directRequestBytes(const UpstreamRequest &request, const QByteArray &body);

    int openConnections() const { return m_open; }
    int idleConnections() const { return int(m_idle.size()); }

    static constexpr int kMaxIdlePerRoute = 32;
    static constexpr int kIdleTimeoutMs = 30'000;
    static constexpr qsizetype kSeparateBodyBytes = 64 * 1024;

private:
    friend class UpstreamConnection;
    void park(UpstreamConnection *connection);
    void forget(UpstreamConnection *connection);
    void retryFresh(UpstreamReply *reply, const QByteArray &head, const QByteArray &body,
                    int timeoutMs, const QString &route, const QNetworkProxy &proxy);

    // Where calls to one URL go: worked out by routeFor() for the last URL posted to.
    struct Route
    {
        QUrl url;
        bool supported = false; // http or https
        QNetworkProxy proxy;
        QString proxyName;             // "host:port" of the proxy, for messages
        QString key;                   // parked connections are shared by calls with this key
        QByteArray target;             // the request-target without the query
        QByteArray hostLine;           // " HTTP/1.1\r\nHost: ...\r\n"
        QByteArray proxyAuthorization; // its header line, for http:// through an HTTP proxy
    };
    Route routeFor(const QUrl &url) const; // asks the proxy settings
    static Route routeVia(const QUrl &url, const QNetworkProxy &proxy);
    static QByteArray requestHead(const Route &route, const UpstreamRequest &request,
                                  const QByteArray &body, bool withBody);

    std::unique_ptr<ProxyFactory> m_proxies;
    std::optional<Route> m_route;
    QMultiHash<QString, UpstreamConnection *> m_idle;
    int m_open = 0;
};
