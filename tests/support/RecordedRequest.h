// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <chrono>

// One HTTP request as the fake upstream parsed it: what its HTTP layer hands to the Z.AI logic,
// and what tests inspect afterwards.
struct RecordedRequest
{
    QByteArray method;                     // "GET", "POST", ...
    QString path;                          // decoded path, without the query
    QUrlQuery query;                       // the query string as sent
    QHash<QByteArray, QByteArray> headers; // lower-case names; repeated headers joined by ", "
    QByteArray body;
    QJsonObject json; // the body when it is a JSON object, else empty
    // When its last byte arrived (monotonic), for tests that time retries and backoffs.
    std::chrono::steady_clock::time_point receivedAt;

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        return headers.value(lowerCaseName);
    }
    QString queryValue(const QString &key) const
    {
        return query.queryItemValue(key, QUrl::FullyDecoded);
    }
};
