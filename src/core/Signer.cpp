// SPDX-License-Identifier: MIT
#include "Signer.h"

#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

QByteArray Signer::defaultSecret()
{
    return "key-@@@@)))()((9))-xxxx&&&%%%%%"_ba;
}

QByteArray Signer::decodeSecret(const QString &configured)
{
    static const auto isHex = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    };
    if (!configured.isEmpty() && configured.size() % 2 == 0
        && std::all_of(configured.cbegin(), configured.cend(), isHex)) {
        return QByteArray::fromHex(configured.toLatin1());
    }
    return configured.toUtf8();
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
    const QByteArray window = QByteArray::number(timestampMs / 300000);
    const QByteArray layerKey =
        QMessageAuthenticationCode::hash(window, secret, QCryptographicHash::Sha256).toHex();
    return QMessageAuthenticationCode::hash(
               canonicalMessage(requestId, timestampMs, userId, prompt), layerKey,
               QCryptographicHash::Sha256)
        .toHex();
}
