// SPDX-License-Identifier: MIT
#include "ChatExchange.h"

#include "session/ChatSession.h"
#include "util/Logging.h"

using namespace Qt::StringLiterals;

ChatExchange::ChatExchange(std::unique_ptr<HttpExchange> http, ChatSession *session,
                           std::unique_ptr<AnswerWriter> writer, const Dialect *dialect,
                           HeaderSource headers, int keepAliveMs, RequestRecord record,
                           QObject *parent)
    : QObject(parent), m_http(std::move(http)), m_session(session), m_headers(std::move(headers)),
      m_writer(std::move(writer)), m_dialect(dialect), m_stream(session->request().stream),
      m_record(std::move(record))
{
    m_session->setParent(this);
    m_writer->setModel(session->model().id);
    m_clock.start();

    connect(m_session, &ChatSession::delta, this, &ChatExchange::onDelta);
    connect(m_session, &ChatSession::toolCallsReady, this, [this](const QList<ToolCall> &calls) {
        if (!m_stream)
            return;
        beginStreamIfNeeded();
        write(m_writer->toolCalls(calls));
    });
    connect(m_session, &ChatSession::completed, this, &ChatExchange::onCompleted);
    connect(m_session, &ChatSession::failed, this, &ChatExchange::onFailed);
    if (QTcpSocket *socket = m_http->socket())
        connect(socket, &QTcpSocket::disconnected, this, &ChatExchange::onClientGone);

    if (m_stream) {
        m_keepAliveMs = keepAliveMs;
        m_keepAlive.setSingleShot(true);
        connect(&m_keepAlive, &QTimer::timeout, this, &ChatExchange::sendKeepAlive);
    }
}

ChatExchange::~ChatExchange()
{
    if (!m_finished)
        m_session->cancel();
}

void ChatExchange::start()
{
    if (!m_http->isConnected()) {
        onClientGone();
        return;
    }
    if (m_stream) {
        m_lastWriteMs = m_clock.elapsed();
        m_keepAlive.start(m_keepAliveMs);
    }
    m_session->start();
    // The upstream call is on its way: what the answer's start needs is made now, while the
    // upstream works, instead of when its first event is waited for.
    if (!m_finished)
        prepareStreamStart();
}

void ChatExchange::prepareStreamStart()
{
    if (!m_stream || m_http->isStreaming() || !m_streamHeaders.isEmpty())
        return;
    m_streamHeaders = m_headers("text/event-stream; charset=utf-8"_ba);
    m_streamHeaders.emplaceBack("Cache-Control", "no-cache");
    m_streamHeaders.emplaceBack("X-Accel-Buffering", "no");
    m_streamStart = m_writer->streamStart();
}

void ChatExchange::beginStreamIfNeeded()
{
    if (m_http->isStreaming())
        return;
    prepareStreamStart();
    m_http->beginStream(200, m_streamHeaders);
    m_record.firstByteMs = m_clock.elapsed();
    write(std::exchange(m_streamStart, {}));
}

void ChatExchange::write(const QByteArray &data)
{
    m_http->writeChunk(data);
    // A burst of upstream events is translated in one go. The first event of a burst goes to the
    // kernel at once, so that the client sees it without waiting for the rest; the others leave
    // together once the burst is done (one system call and one wake-up of the client instead of
    // one per event), or earlier when 16 KiB wait: many bursts can arrive in the same turn of the
    // event loop, and no stream's output should wait in memory for all of them.
    constexpr qint64 kBurstFlushBytes = 16 * 1024;
    QTcpSocket *socket = m_http->socket();
    if (socket && m_http->isConnected()) {
        if (!m_flushQueued) {
            socket->flush();
            m_flushQueued = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_flushQueued = false;
                    if (QTcpSocket *s = m_http->socket(); s && m_http->isConnected())
                        s->flush();
                },
                Qt::QueuedConnection);
        } else if (socket->bytesToWrite() >= kBurstFlushBytes) {
            socket->flush();
        }
    }
    // The silence is measured from the last write; the timer is not restarted for every event
    // (that costs more than the write), sendKeepAlive() checks the time instead.
    m_lastWriteMs = m_clock.elapsed();
}

void ChatExchange::sendKeepAlive()
{
    if (m_finished)
        return;
    const qint64 silentMs = m_clock.elapsed() - m_lastWriteMs;
    if (!m_http->isStreaming() && m_session->waitingForCaptcha()) {
        // A stream never starts before its captcha is settled: the request may still end in a
        // 403 with its own status (P.11), which a keep-alive would turn into an error event.
        m_keepAlive.start(m_keepAliveMs);
        return;
    }
    if (silentMs < m_keepAliveMs) {
        m_keepAlive.start(int(m_keepAliveMs - silentMs));
        return;
    }
    // A long upstream silence (thinking, retries) must not look like a dead connection; once a
    // comment is sent the status line is committed, so later failures become error events.
    beginStreamIfNeeded();
    write(m_writer->keepAlive());
    m_keepAlive.start(m_keepAliveMs);
}

void ChatExchange::onDelta(const QString &reasoning, const QString &content)
{
    if (!m_stream)
        return; // the aggregate is read from the session at the end
    beginStreamIfNeeded();
    write(m_writer->delta(reasoning, content));
}

void ChatExchange::onCompleted(FinishReason reason, const TokenUsage &usage)
{
    m_record.promptTokens = usage.promptTokens;
    m_record.completionTokens = usage.completionTokens;
    m_writer->setStopSequence(m_session->stopSequence());
    if (m_stream) {
        beginStreamIfNeeded();
        m_http->endStream(m_writer->streamEnd(reason, usage));
    } else {
        m_http->respond(200,
                        m_writer->answer({m_session->reasoningText(), m_session->contentText(),
                                          m_session->toolCalls(), reason, usage}),
                        m_headers("application/json"_ba));
        m_record.firstByteMs = m_clock.elapsed();
    }
    finish(200);
}

void ChatExchange::onFailed(const ApiError &error, bool afterOutput)
{
    Q_UNUSED(afterOutput);
    if (m_http->isStreaming()) {
        // Too late for a status code: one error event ends the stream (never a silent stop).
        m_http->endStream(m_writer->streamError(error));
        m_record.errorCode = error.code();
        finish(200, error.message());
        return;
    }
    HttpHeaderList headers = m_headers("application/json"_ba);
    if (error.retryAfterSeconds() > 0)
        headers.emplaceBack("Retry-After", QByteArray::number(error.retryAfterSeconds()));
    const int status = m_dialect->errorStatus(error);
    m_http->respond(status, m_dialect->errorBody(error), headers);
    m_record.errorCode = error.code();
    finish(status, error.message());
}

void ChatExchange::serverStopping()
{
    if (m_finished)
        return;
    m_session->cancel();
    // An open stream ends with the dialect's error event, an answer not yet begun with its
    // error status: the client learns why, instead of seeing the connection drop.
    onFailed(ApiError(ApiError::Kind::UpstreamUnavailable,
                      u"The ZaiBridge server was stopped; send the request again once it is "
                      "running."_s,
                      {}, u"server_stopped"_s),
             m_http->isStreaming());
    if (QTcpSocket *socket = m_http->socket(); socket && m_http->isConnected())
        socket->flush(); // the socket goes with the server
}

void ChatExchange::onClientGone()
{
    if (m_finished)
        return;
    qCDebug(lcServer) << "client went away; cancelling the upstream call";
    m_session->cancel();
    finish(499, u"client closed the connection"_s);
}

void ChatExchange::finish(int status, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_keepAlive.stop();
    m_record.status = status;
    m_record.error = error;
    m_record.latencyMs = m_clock.elapsed();
    m_record.attempts = m_session->attempts();
    Q_EMIT done(m_record);
    deleteLater();
}
