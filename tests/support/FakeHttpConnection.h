// SPDX-License-Identifier: MIT
#pragma once

#include "RecordedRequest.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <utility>

class QTcpSocket;
class QTimer;

using FakeHttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

// The HTTP/1.1 side of the fake upstream: one accepted socket, a small request parser
// (keep-alive, pipelining, Content-Length bodies, bounded header and body sizes) and the writers
// the fake needs and QtHttpServer lacks: chunked SSE with per-event delays, stalls and abrupt
// drops. The connection deletes itself (deleteLater) once its socket is gone.
class FakeHttpConnection : public QObject
{
    Q_OBJECT
public:
    // How an SSE response is paced. `events` are complete SSE frames ("data: ...\n\n").
    struct StreamPlan
    {
        QList<QByteArray> events;
        QList<int> delaysMs;       // pause before events[i]; 0 = written together with the previous
        int dropAfterEvents = -1;  // close the socket after this many events, no terminating chunk
        int stallAfterEvents = -1; // go silent after this many events ...
        int stallMs = 0;           // ... for this long, then carry on
    };

    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype MaxBodyBytes = 32 * 1024 * 1024;

    FakeHttpConnection(QTcpSocket *socket, QObject *parent);

    // Answers the current request. Content-Length and Connection are added here.
    void sendResponse(int status, const FakeHttpHeaders &headers, const QByteArray &body,
                      bool closeAfter = false);
    // Answers the current request with a chunked event stream paced by `plan`.
    void startStream(const FakeHttpHeaders &headers, const StreamPlan &plan);
    // Closes the connection without answering (a reset from the client's point of view).
    void dropWithoutResponse();

    bool isStreaming() const { return m_state == State::Streaming; }

    static QByteArray reasonPhrase(int status);

signals:
    void requestReady(const RecordedRequest &request);
    void streamEnded(bool abortedByClient);
    void closed();

private:
    enum class State { Idle, Handling, Streaming, Closing, Gone };

    void onReadyRead();
    void onBytesWritten();
    void onSocketGone();
    void processBuffer();
    bool parseHead(const QByteArray &head);
    void failAndClose(int status);
    void pump();
    void finishStreamIfFlushed();
    void closeByServer();
    QByteArray head(int status, const FakeHttpHeaders &headers, bool closeAfter) const;

    QTcpSocket *m_socket = nullptr; // child of this
    QTimer *m_timer = nullptr;      // created on the first paced stream
    State m_state = State::Idle;
    QByteArray m_buffer;
    RecordedRequest m_request;
    bool m_haveHead = false;
    qsizetype m_contentLength = 0;
    bool m_keepAlive = true;

    StreamPlan m_plan;
    qsizetype m_next = 0;       // index of the next event to write
    bool m_pauseServed = false; // the pause before m_next has elapsed
    bool m_stallServed = false;
    bool m_allWritten = false; // terminating chunk queued; finished once flushed
};
