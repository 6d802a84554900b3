// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

// One served request, as the access log and the tray's request log show it. Never holds a secret.
struct RequestRecord
{
    // When the request arrived, in milliseconds since the epoch: a clock read costs far less than
    // a local QDateTime, and only the request log shows it.
    qint64 timeMs = 0;
    QString method;
    QString path;
    QString dialect; // the client wire format of a model request ("openai", "responses", "anthropic"), or empty
    int status = 0;
    QString clientModel;
    QString upstreamModel;
    qint64 latencyMs = 0;
    qint64 firstByteMs = -1;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    int attempts = 0;
    bool stream = false;
    QString error; // message of the error the client got, if any
    QString errorCode; // its OpenAI error code ("upstream_signature_rejected", ...), if any

    QDateTime time() const { return QDateTime::fromMSecsSinceEpoch(timeMs); } // local time
    QString toLogLine() const;
};
Q_DECLARE_METATYPE(RequestRecord)
