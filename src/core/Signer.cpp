// SPDX-License-Identifier: MIT
#include "Signer.h"

#include "Sha256.h"

#include <optional>

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
    // The first layer changes every five minutes: computed once per window (and secret), and
    // kept as a key whose pad blocks are already hashed.
    struct LayerKey
    {
        QByteArray secret;
        qint64 window = -1;
        std::optional<HmacSha256> key;
    };
    thread_local LayerKey cached;
    const qint64 window = timestampMs / 300000;
    if (cached.window != window || cached.secret != secret) {
        cached.key.emplace(HmacSha256::hex(HmacSha256(secret).mac(QByteArray::number(window))));
        cached.window = window;
        cached.secret = secret;
    }
    return HmacSha256::hex(cached.key->mac(canonicalMessage(requestId, timestampMs, userId, prompt)));
}
