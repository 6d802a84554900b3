// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class UpstreamProfile;

// One check of a Z.AI token (or of guest access, with an empty token) against the upstream:
// GET /api/v1/auths/ with the profile's browser headers. Used by the settings dialog's "Test"
// button; the result text never contains the token.
class TokenProbe : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Accepted, Rejected, Unreachable, Unexpected };
    struct Result
    {
        Outcome outcome = Outcome::Unexpected;
        int httpStatus = 0;
        QString account; // e-mail or name the upstream reports for the token, if any
        QString message; // translated, for the user
    };
    using Callback = std::function<void(const Result &)>;

    TokenProbe(QNetworkAccessManager *network, const UpstreamProfile &profile,
               const QString &endpoint, QObject *parent = nullptr);
    ~TokenProbe() override;

    // Starts the check; `callback` runs once on the event loop unless the probe is destroyed first.
    void probe(const QString &token, int timeoutMs, Callback callback);

    static QUrl authsUrl(const UpstreamProfile &profile, const QString &endpoint);

private:
    QNetworkAccessManager *m_network;
    QUrl m_url;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QPointer<QNetworkReply> m_reply;
};
