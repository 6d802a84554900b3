// SPDX-License-Identifier: MIT
#pragma once

#include "HttpCompat.h"
#include "conversation/Answer.h"
#include "conversation/ApiError.h"
#include "dialects/Dialect.h"
#include "util/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

class ChatSession;

// Carries one answer between a ChatSession and the HTTP client, in the words of the client's
// dialect (its AnswerWriter): an SSE stream or one JSON answer. It holds the status line back until the first delta, so upstream failures that
// are not retried can still be reported with their HTTP status; after that, failures become an
// error event. Keep-alive comments cover upstream silences, and a vanished client cancels the
// upstream at once.
class ChatExchange : public QObject
{
    Q_OBJECT
public:
    using HeaderSource = std::function<HttpHeaderList(const QByteArray &contentType)>;

    ChatExchange(std::unique_ptr<HttpExchange> http, ChatSession *session,
                 std::unique_ptr<AnswerWriter> writer, const Dialect *dialect,
                 HeaderSource headers, int keepAliveMs, RequestRecord record,
                 QObject *parent = nullptr);
    ~ChatExchange() override;

    void start();
    // The server stops: ends the answer with an error that says so (an error event once the
    // stream has begun), before the connection goes.
    void serverStopping();

Q_SIGNALS:
    void done(const RequestRecord &record);

private:
    void onDelta(const QString &reasoning, const QString &content);
    void onCompleted(FinishReason reason, const TokenUsage &usage);
    void onFailed(const ApiError &error, bool afterOutput);
    void onClientGone();
    void beginStreamIfNeeded();
    void prepareStreamStart();
    void write(const QByteArray &data);
    void sendKeepAlive();
    void finish(int status, const QString &error = {});

    std::unique_ptr<HttpExchange> m_http;
    ChatSession *m_session;
    HeaderSource m_headers;
    std::unique_ptr<AnswerWriter> m_writer;
    const Dialect *m_dialect;
    // A stream's headers and first chunk, made while the upstream works on the answer.
    HttpHeaderList m_streamHeaders;
    QByteArray m_streamStart;
    bool m_stream;
    QTimer m_keepAlive;
    int m_keepAliveMs = 0;
    qint64 m_lastWriteMs = 0; // on m_clock
    QElapsedTimer m_clock;
    RequestRecord m_record;
    bool m_finished = false;
    bool m_flushQueued = false; // the rest of this burst of events goes out in one write
};
