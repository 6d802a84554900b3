// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

struct ChatRequest;
struct ModelEntry;
struct TokenLease;
class UpstreamProfile;

// Builds the upstream HTTP requests (zai-protocol.md sections 1.1, 1.5, 2.2, 3 and 4) from a
// parsed client request. Pure: no I/O, so every field is unit-testable.
class ZaiRequestBuilder
{
public:
    struct Ids
    {
        QString chatId;
        QString assistantMessageId;
        QString userMessageId;
        QString requestId;
        QString sessionId;
        qint64 timestampMs = 0;

        static Ids fresh(); // new UUIDs and the current time
    };

    struct Switches
    {
        bool thinking = false;
        bool search = false;
    };

    ZaiRequestBuilder(const UpstreamProfile &profile, QUrl completionsUrl, QByteArray secret);

    QUrl origin() const { return m_origin; }
    QUrl url(const QString &profilePathName) const;

    QNetworkRequest completion(const ChatRequest &request, const ModelEntry &model,
                               const TokenLease &lease, const Ids &ids, const Switches &switches,
                               const QString &feVersion, QByteArray *body) const;

    QNetworkRequest chatsNew(const ChatRequest &request, const ModelEntry &model,
                             const TokenLease &lease, const Ids &ids, const Switches &switches,
                             QByteArray *body) const;

    static Switches switchesFor(const ChatRequest &request, const ModelEntry &model);
    static QJsonArray upstreamMessages(const ChatRequest &request);

private:
    void addBrowserHeaders(QNetworkRequest &request, const TokenLease &lease,
                           const QString &chatId) const;

    const UpstreamProfile &m_profile;
    QUrl m_completionsUrl;
    QUrl m_origin;
    QByteArray m_secret;
};
