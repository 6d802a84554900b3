// SPDX-License-Identifier: MIT
#include "ModelRefresher.h"

#include "TokenPool.h"
#include "UpstreamProfile.h"
#include "ZaiRequestBuilder.h"
#include "net/NetworkPool.h"
#include "util/Logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace {

bool sameEntries(const QList<ModelEntry> &a, const QList<ModelEntry> &b)
{
    return std::equal(
        a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const ModelEntry &x, const ModelEntry &y) {
            return x.id == y.id && x.upstreamId == y.upstreamId && x.thinking == y.thinking &&
                   x.search == y.search && x.vision == y.vision;
        });
}

} // namespace

ModelRefresher::ModelRefresher(const UpstreamProfile &profile, const ZaiRequestBuilder &builder,
                               TokenPool *tokens, NetworkPool *network, QObject *parent)
    : QObject(parent), m_builder(builder), m_tokens(tokens), m_network(network),
      m_intervalSeconds(profile.modelsRefreshSeconds())
{
    m_defaults.idPrefix = profile.listedModelsPrefix();
    m_defaults.persisted = profile.listedModelsPersisted();
    m_defaults.previewMode = profile.listedModelsPreviewMode();
    connect(&m_timer, &QTimer::timeout, this, &ModelRefresher::read);
    connect(m_tokens, &TokenPool::guestAdded, this, [this] {
        if (m_waitingForGuest)
            read();
    });
}

ModelRefresher::~ModelRefresher()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ModelRefresher::start()
{
    if (m_intervalSeconds <= 0)
        return;
    m_timer.start(m_intervalSeconds * 1000);
    QTimer::singleShot(0, this, &ModelRefresher::read);
}

void ModelRefresher::read()
{
    m_waitingForGuest = false;
    if (m_reply)
        return; // the last read is still on its way
    const std::optional<TokenLease> lease = m_tokens->idleToken();
    if (!lease) {
        // Guests: read once the first request has brought one. Paused account tokens: next time.
        m_waitingForGuest = m_tokens->usesGuests();
        return;
    }
    QNetworkRequest request = m_builder.modelList(*lease);
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_network->manager()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
}

void ModelRefresher::onReply(QNetworkReply *reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString why;
    std::optional<QList<ModelEntry>> listed;
    if (reply->error() == QNetworkReply::NoError && status == 200)
        listed = ModelListing::parse(reply->readAll(), m_defaults, &why);
    else if (status != 0)
        why = u"HTTP %1"_s.arg(status);
    else
        why = reply->errorString();
    if (!listed) {
        // The URL and the reason carry no token; the body is not logged.
        if (!m_failing)
            qCWarning(lcUpstream).noquote()
                << "could not read Z.AI's model list from" << reply->url().path() << "(" << why
                << "); keeping"
                << (m_listed.isEmpty() ? u"the built-in catalogue"_s : u"the last list"_s);
        m_failing = true;
        return;
    }
    if (m_failing)
        qCInfo(lcUpstream) << "Z.AI's model list could be read again";
    m_failing = false;
    if (sameEntries(*listed, m_listed))
        return;
    m_listed = *listed;
    qCDebug(lcUpstream) << "Z.AI lists" << m_listed.size() << "model entries";
    Q_EMIT listChanged();
}
