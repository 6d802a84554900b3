// SPDX-License-Identifier: MIT
#include "TokenProbe.h"

#include "util/Redact.h"
#include "UpstreamProfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

TokenProbe::TokenProbe(QNetworkAccessManager *network, const UpstreamProfile &profile,
                       const QString &endpoint, QObject *parent)
    : QObject(parent), m_network(network), m_url(authsUrl(profile, endpoint)),
      m_headers(profile.headers())
{
}

TokenProbe::~TokenProbe()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QUrl TokenProbe::authsUrl(const UpstreamProfile &profile, const QString &endpoint)
{
    const QUrl completions(endpoint.isEmpty() ? profile.endpoint() : endpoint);
    QUrl url = completions.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    url.setPath(profile.path(u"auths"_s));
    return url;
}

void TokenProbe::probe(const QString &token, int timeoutMs, Callback callback)
{
    QNetworkRequest request(m_url);
    for (const auto &[name, value] : m_headers)
        request.setRawHeader(name, value);
    const QUrl origin = m_url.adjusted(QUrl::RemovePath);
    request.setRawHeader("Origin", origin.toString().toUtf8());
    request.setRawHeader("Accept", "application/json");
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(timeoutMs);
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [reply, token, callback] {
        reply->deleteLater();
        Result result;
        result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        if (result.httpStatus == 0) {
            result.outcome = Outcome::Unreachable;
            result.message = tr("Z.AI could not be reached: %1")
                                 .arg(Redact::text(reply->errorString(), {token}));
        } else if (result.httpStatus == 200 && json.contains(u"token"_s)) {
            result.outcome = Outcome::Accepted;
            result.account = json.value(u"email"_s).toString();
            if (result.account.isEmpty())
                result.account = json.value(u"name"_s).toString();
            const bool guest = token.isEmpty() || json.value(u"role"_s).toString() == u"guest"_s;
            result.message = token.isEmpty() ? tr("Guest access works.")
                             : guest         ? tr("Accepted, but as a guest account.")
                             : result.account.isEmpty()
                                 ? tr("Accepted.")
                                 : tr("Accepted (%1).").arg(Redact::text(result.account, {token}));
        } else if (result.httpStatus == 401 || result.httpStatus == 403) {
            result.outcome = Outcome::Rejected;
            result.message =
                token.isEmpty()
                    ? tr("Z.AI refuses guest access (HTTP %1): add a token.").arg(result.httpStatus)
                    : tr("Rejected (HTTP %1): copy a fresh token from chat.z.ai.")
                          .arg(result.httpStatus);
        } else {
            result.outcome = Outcome::Unexpected;
            result.message = tr("Unexpected answer from Z.AI (HTTP %1).").arg(result.httpStatus);
        }
        callback(result);
    });
}
