// SPDX-License-Identifier: MIT
#pragma once

// A minimal HTTP/1.1 keep-alive client on a raw QTcpSocket, for the benchmark only: one request
// at a time per connection, Content-Length or chunked responses, timestamps for the first and
// last byte. QNetworkAccessManager is not used on purpose: it keeps at most six connections per
// host (Qt 6.4), which would make the load generator, not the server, the bottleneck.

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

class QTcpSocket;

namespace Bench {

// Monotonic nanoseconds since the program started.
qint64 nowNs();

struct Response
{
    int status = 0;
    qint64 sentNs = 0;      // send() was called
    qint64 firstByteNs = 0; // the first response byte was read
    qint64 lastByteNs = 0;  // the response was complete
    QByteArray body;        // de-chunked
    qint64 wireBytes = 0;   // bytes read from the socket, framing included
    bool complete = false;
    QString error;

    qint64 firstByte() const { return firstByteNs - sentNs; }
    qint64 lastByte() const { return lastByteNs - sentNs; }
};

class HttpConnection : public QObject
{
public:
    using Callback = std::function<void(Response &)>;

    explicit HttpConnection(quint16 port, QObject *parent = nullptr);
    ~HttpConnection() override;

    quint16 port() const { return m_port; }
    bool isConnected() const;
    bool isBusy() const { return m_busy; }
    void connectToServer(); // connects ahead of the first request (no-op when connected)
    // Sends a complete request (request line, headers, body) and calls back once with the
    // response or an error. Reconnects first when the server closed the connection.
    void send(const QByteArray &request, Callback callback);
    void close();

private:
    enum class State { Head, Length, ChunkSize, ChunkData, ChunkEnd, Trailer, UntilClose };

    void onReadyRead();
    void onDisconnected();
    void parse();
    void parseHead(const QByteArray &head);
    void finish(const QString &error = {});

    QTcpSocket *m_socket;
    quint16 m_port;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    State m_state = State::Head;
    qint64 m_remaining = 0; // Length: body bytes left; ChunkData: chunk bytes left
    bool m_closeAfter = false;
    bool m_busy = false;
    Response m_response;
    Callback m_callback;
};

} // namespace Bench
