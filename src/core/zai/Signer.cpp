// SPDX-License-Identifier: MIT
#include "Signer.h"

#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

QByteArray Signer::defaultSecret()
{
    return "key-@@@@)))()((9))-xxxx&&&%%%%%"_ba;
}

QByteArray Signer::canonicalMessage(const QString &requestId, qint64 timestampMs,
                                    const QString &userId, const QString &prompt)
{
    // Keys sorted by byte order: requestId < timestamp < user_id.
    const QByteArray ts = QByteArray::number(timestampMs);
    return "requestId," + requestId.toUtf8() + ",timestamp," + ts + ",user_id," + userId.toUtf8()
        + '|' + prompt.toUtf8().toBase64() + '|' + ts;
}

QByteArray Signer::sign(const QByteArray &secret, const QString &requestId, qint64 timestampMs,
                        const QString &userId, const QString &prompt)
{
    // The first layer's key changes every five minutes; its hex digest keys the second layer.
    const QByteArray window = QByteArray::number(timestampMs / 300000);
    const QByteArray layerKey =
        QMessageAuthenticationCode::hash(window, secret, QCryptographicHash::Sha256).toHex();
    return QMessageAuthenticationCode::hash(canonicalMessage(requestId, timestampMs, userId, prompt),
                                            layerKey, QCryptographicHash::Sha256)
        .toHex();
}
