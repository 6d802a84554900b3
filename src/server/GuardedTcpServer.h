// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

// The listening socket in front of QtHttpServer. QtHttpServer buffers a whole request body before
// any handler runs and has no size limit, so this server watches the bytes of every request as
// they arrive and answers 413 (and stops reading) as soon as a body is larger than allowed. It
// also answers `Expect: 100-continue` on Qt 6.4, and finds the socket of a request for Qt 6.5+.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    void setMaxBodyBytes(qint64 bytes) { m_maxBody = bytes; }
    // The body of the 413 answer: `json` for requests whose path starts with `pathPrefix`, or for
    // all others when the prefix is empty (each client dialect has its own error shape).
    void setErrorBody(const QByteArray &json, const QByteArray &pathPrefix = {});
    void setExtraHeaders(const QByteArray &rawHeaderLines) { m_extraHeaders = rawHeaderLines; }
    // Call once after QtHttpServer is bound to this server.
    void attachAfterHttpServer();
    QTcpSocket *socketFor(const QHostAddress &peer, quint16 port) const;
    int rejectedCount() const { return m_rejected; }

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Watch;
    void inspect(QTcpSocket *socket);
    void reject(QTcpSocket *socket, int status, const QByteArray &reason);
    QByteArray tooLargeBody(const QByteArray &path) const;

    qint64 m_maxBody = 32LL * 1024 * 1024;
    QByteArray m_tooLargeBody;
    QList<QPair<QByteArray, QByteArray>> m_tooLargeBodies; // path prefix, body
    QByteArray m_extraHeaders;
    QHash<QTcpSocket *, Watch *> m_watches;
    QHash<quint16, QPointer<QTcpSocket>> m_byPort;
    int m_rejected = 0;
};
