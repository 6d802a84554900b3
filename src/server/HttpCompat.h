// SPDX-License-Identifier: MIT
#pragma once

// The one unit that knows QtHttpServer changed its API between 6.4 and 6.8 (see qt-notes.md):
// how requests reach us, how a response or a chunked stream is written, and how the client
// socket is found. Everything else in the server speaks HttpExchange and HttpServerBase.

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

#include <memory>
#include <optional>

using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;

class QHostAddress;

namespace HttpCompat {
// Case-insensitive request header lookup.
QByteArray header(const QHttpServerRequest &request, const QByteArray &name);
// Qt 6.4 never answers "Expect: 100-continue", so a client that waits for it stalls; 6.5 and
// later answer it themselves.
inline constexpr bool serverAnswersExpectContinue = QT_VERSION >= QT_VERSION_CHECK(6, 5, 0);
} // namespace HttpCompat

// One request's way back to the client. Writes are dropped once the client socket is gone:
// QtHttpServer 6.4 deletes the socket under a deferred responder, and writing to it would crash.
class HttpExchange
{
public:
    HttpExchange(QHttpServerResponder &&responder, QTcpSocket *socket);
    ~HttpExchange();
    HttpExchange(const HttpExchange &) = delete;
    HttpExchange &operator=(const HttpExchange &) = delete;

    QTcpSocket *socket() const { return m_socket; }
    bool isConnected() const;
    bool isStreaming() const { return m_streaming; }
    bool isDone() const { return m_done; }

    // A complete response; Content-Length is added.
    void respond(int status, const QByteArray &body, const HttpHeaderList &headers);

    // A chunked response; chunks must not be empty. endStream's data is the last chunk.
    void beginStream(int status, const HttpHeaderList &headers);
    void writeChunk(const QByteArray &data);
    void endStream(const QByteArray &lastData);

private:
    void release();

    std::optional<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_streaming = false;
    bool m_done = false;
};

class QTcpServer;

// Routes every request, matched or not, to dispatch(): the server keeps its own route table so it
// can answer 404 and 405 with Allow, and handle responses asynchronously.
class HttpServerBase : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpServerBase(QObject *parent = nullptr);

    bool bindTcpServer(QTcpServer *server);

protected:
    virtual void dispatch(const QHttpServerRequest &request,
                          std::unique_ptr<HttpExchange> exchange) = 0;
    // The socket of the connection from peer:port. Qt 6.5 and later no longer hand a request's
    // socket over, so it is looked up by the request's remote address and port (GuardedTcpServer
    // keeps the table); Qt 6.4 hands it over and never asks.
    virtual QTcpSocket *socketFor(const QHostAddress &peer, quint16 port) const = 0;

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
#endif
};
