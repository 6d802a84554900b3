// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include "net/UpstreamHttp.h"

#include <QNetworkRequest>
#include <QString>
#include <QUrl>

class JsonStream;
struct Conversation;
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
        // The captcha verify parameter for this attempt (the profile's captcha.field), or empty.
        QString captchaVerifyParam;

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

    UpstreamRequest completion(const Conversation &request, const ModelEntry &model,
                               const TokenLease &lease, const Ids &ids, const Switches &switches,
                               const QString &feVersion, QByteArray *body) const;

    UpstreamRequest chatsNew(const Conversation &request, const ModelEntry &model,
                             const TokenLease &lease, const Ids &ids, const Switches &switches,
                             QByteArray *body) const;

    // POST files/ (zai-protocol.md 1.3): one multipart part named "file" holding the image.
    QNetworkRequest fileUpload(const TokenLease &lease, const QString &type,
                               const QByteArray &bytes, const QString &filename,
                               const QByteArray &boundary, QByteArray *body) const;
    static QByteArray newBoundary(); // browser-style "----WebKitFormBoundary" + 16 characters

    // GET models (zai-protocol.md 1.4): the upstream's model list, read with `lease`'s token.
    QNetworkRequest modelList(const TokenLease &lease) const;

    // The completion's "files" array: one entry per uploaded image of the conversation, in
    // order, each image once (1.3). ref_user_msg_id only for persisted chats.
    QJsonArray files(const Conversation &request, const ModelEntry &model, const Ids &ids) const;

    static Switches switchesFor(const Conversation &request, const ModelEntry &model);
    // The conversation as the upstream's messages, in the profile's messages.mode (P.12: user
    // messages with role labels, or the role list of 4.3; without a profile: the role list). An
    // uploaded image part references its file (the profile's image-part URL; the bare file id
    // without a profile); any other image part keeps the client's URL.
    static void writeUpstreamMessages(JsonStream &out, const Conversation &request,
                                      const UpstreamProfile *profile = nullptr);
    // The same as an array (for tests and diagnostics).
    static QJsonArray upstreamMessages(const Conversation &request,
                                       const UpstreamProfile *profile = nullptr);

private:
    template<typename Request> // UpstreamRequest or QNetworkRequest
    void addBrowserHeaders(Request &request, const TokenLease &lease, const QString &chatId) const;

    const UpstreamProfile &m_profile;
    QUrl m_completionsUrl;
    QUrl m_origin;
    QByteArray m_secret;

    // What every completion shares, made once from the profile: the request with the profile's
    // headers, the encoded query parts, the origin and the fixed template variables.
    UpstreamRequest m_completionBase;
    QString m_originText;
    QByteArray m_profileQuery;     // "&key=value..." of the profile's query parameters
    QByteArray m_fingerprintQuery; // the same for the browser fingerprint
    QByteArray m_fixedVariables;   // the variables that are not computed per request, as members
    int m_offsetMinutes = 480;     // the fingerprint's time zone, minutes east of UTC
};
