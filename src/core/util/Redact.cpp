// SPDX-License-Identifier: MIT
#include "Redact.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

QString Redact::text(QString text, const QStringList &secrets)
{
    // Image data (data: URLs in request bodies) is never logged: its head stays, for context.
    static const QRegularExpression dataUrl(
        uR"((data:[A-Za-z0-9.+/\\\-]*(?:;[A-Za-z0-9.+=\-]+)*;base64,)[A-Za-z0-9+/=_\-\\\s]{8,})"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (text.contains(u"base64,"_s, Qt::CaseInsensitive))
        text.replace(dataUrl, u"\\1[image data]"_s);
    for (const QString &secret : secrets) {
        if (secret.size() >= 4)
            text.replace(secret, u"[redacted]"_s);
    }
    static const QRegularExpression patterns(
        uR"((eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)|((?i:bearer)\s+\S+)|(\b[0-9a-f]{64}\b)|((?i:token|signature|authorization|api[_-]?key|x-api-key|auth_key)["']?\s*[:=]\s*["']?)(?:(?i:bearer)\s+)?[^\s"'&,}]+)"_s);
    QString out;
    qsizetype last = 0;
    auto it = patterns.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        if (m.capturedLength(4) > 0)
            out += m.captured(4); // keep the "token=" part, drop the value
        else if (m.capturedLength(2) > 0)
            out += m.captured(2).section(u' ', 0, 0) + u' ';
        out += u"[redacted]"_s;
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QString Redact::bytes(const QByteArray &bytes, const QStringList &secrets)
{
    return text(QString::fromUtf8(bytes), secrets);
}
