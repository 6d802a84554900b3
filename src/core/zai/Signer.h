// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

// The two-layer HMAC-SHA256 request signature of the Z.AI web chat (zai-protocol.md section 3).
class Signer
{
public:
    static QByteArray defaultSecret();

    static QByteArray sign(const QByteArray &secret, const QString &requestId, qint64 timestampMs,
                           const QString &userId, const QString &prompt);

    // The canonical string the second HMAC layer signs; exposed for tests and the fake upstream.
    static QByteArray canonicalMessage(const QString &requestId, qint64 timestampMs,
                                       const QString &userId, const QString &prompt);
};
