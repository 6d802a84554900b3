// SPDX-License-Identifier: MIT
#include "TokenPool.h"

#include "util/Logging.h"
#include "net/NetworkPool.h"
#include "UpstreamProfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslError>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

TokenPool::TokenPool(QStringList tokens, bool anonymous, const UpstreamProfile &profile,
                     QUrl origin, NetworkPool *network, QObject *parent)
    : QObject(parent), m_anonymous(anonymous), m_guestPoolSize(profile.guestPoolSize()),
      m_guestLifetime(profile.guestLifetimeSeconds()),
      m_failureThreshold(profile.tokenFailureThreshold()),
      m_recoverySeconds(profile.tokenRecoverySeconds()), m_origin(std::move(origin)),
      m_headers(profile.headers()), m_network(network)
{
    m_authsUrl = m_origin.resolved(QUrl(profile.path(u"auths"_s)));
    int n = 0;
    for (const QString &token : tokens) {
        Entry e;
        e.lease = {token, userIdFromJwt(token), false, u"token #%1"_s.arg(++n)};
        m_configured.append(e);
    }
}

std::optional<TokenLease> TokenPool::idleToken()
{
    const bool configured = !m_configured.isEmpty();
    if (const Entry *e = pick(configured ? m_configured : m_guests, {}, !configured))
        return e->lease;
    return std::nullopt;
}

void TokenPool::setGuestPoolSize(int size)
{
    if (size > 0)
        m_guestPoolSize = size;
}

QString TokenPool::userIdFromJwt(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() >= 2) {
        const QByteArray payload = QByteArray::fromBase64(
            parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const QJsonObject claims = QJsonDocument::fromJson(payload).object();
        for (const auto &key : {u"id"_s, u"user_id"_s, u"uid"_s, u"sub"_s}) {
            const QJsonValue v = claims.value(key);
            if (v.isString() && !v.toString().isEmpty())
                return v.toString();
            if (v.isDouble())
                return QString::number(v.toInteger());
        }
    }
    return u"guest"_s;
}

int TokenPool::healthyCount() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return int(std::count_if(m_configured.cbegin(), m_configured.cend(), [&](const Entry &e) {
        return !e.benchedUntil.isValid() || e.benchedUntil <= now;
    }));
}

TokenPool::Entry *TokenPool::find(const QString &token)
{
    for (Entry &e : m_configured) {
        if (e.lease.token == token)
            return &e;
    }
    for (Entry &e : m_guests) {
        if (e.lease.token == token)
            return &e;
    }
    return nullptr;
}

TokenPool::Entry *TokenPool::pick(QList<Entry> &entries, const QSet<QString> &exclude, bool guests)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Entry *best = nullptr;
    for (Entry &e : entries) {
        if (exclude.contains(e.lease.token) || e.dead)
            continue;
        if (guests && e.expiresAt <= now)
            continue;
        if (!guests && e.benchedUntil.isValid() && e.benchedUntil > now)
            continue;
        if (!best || e.active < best->active)
            best = &e;
    }
    return best;
}

void TokenPool::deliver(QObject *context, Callback callback, std::optional<TokenLease> lease,
                        ApiError error)
{
    if (lease) {
        // A token at hand goes to the caller at once: the call can leave without another turn of
        // the event loop. Callers ask last thing in their function, so nothing runs twice.
        callback(lease, error);
        return;
    }
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, this, [guard, callback = std::move(callback), lease, error] {
        if (guard)
            callback(lease, error);
    });
}

void TokenPool::acquire(const QSet<QString> &exclude, QObject *context, Callback callback)
{
    if (!m_configured.isEmpty()) {
        Entry *e = pick(m_configured, exclude, false);
        if (!e) {
            const bool benched = healthyCount() == 0;
            deliver(context, std::move(callback), std::nullopt,
                    ApiError(ApiError::Kind::UpstreamRejected,
                             benched ? u"Z.AI rejected every configured token (HTTP 401); they are "
                                       u"paused for a while. Check ZAI_TOKEN: copy a fresh token "
                                       u"from chat.z.ai."_s
                                     : u"Z.AI rejected every configured token for this request. "
                                       u"Check ZAI_TOKEN: copy a fresh token from chat.z.ai."_s,
                             {}, u"upstream_token_rejected"_s));
            return;
        }
        ++e->active;
        deliver(context, std::move(callback), e->lease, {});
        return;
    }
    if (!m_anonymous) {
        deliver(context, std::move(callback), std::nullopt,
                ApiError(ApiError::Kind::UpstreamRejected,
                         u"No Z.AI token is configured and guest mode is off: set ZAI_TOKEN or "
                         u"ANONYMOUS_MODE=true."_s,
                         {}, u"no_upstream_token"_s));
        return;
    }
    // Drop guests that expired and are idle.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_guests.removeIf([&](const Entry &e) { return e.active == 0 && (e.dead || e.expiresAt <= now); });

    Entry *e = pick(m_guests, exclude, true);
    if (e) {
        const int live = int(std::count_if(m_guests.cbegin(), m_guests.cend(), [&](const Entry &g) {
            return !g.dead && g.expiresAt > now;
        }));
        if (e->active > 0 && live + m_creating < m_guestPoolSize)
            createGuest(); // grow the pool in the background for the next caller
        ++e->active;
        deliver(context, std::move(callback), e->lease, {});
        return;
    }
    m_waiters.append({exclude, context, std::move(callback)});
    createGuestsForWaiters();
}

void TokenPool::createGuestsForWaiters()
{
    // One sign-in per waiting request, but never more at once than the pool holds: a burst of
    // first requests shares the guests that arrive (a burst of sign-ins is what the WAF blocks).
    const int wanted = qMin(int(m_waiters.size()), qMax(1, m_guestPoolSize));
    while (m_creating < wanted)
        createGuest();
}

void TokenPool::createGuest()
{
    ++m_creating;
    QNetworkRequest request(m_authsUrl);
    for (const auto &[name, value] : std::as_const(m_headers))
        request.setRawHeader(name, value);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("Origin", m_origin.toString(QUrl::RemovePath).toUtf8());
    request.setRawHeader("Referer", m_origin.toString(QUrl::RemovePath).toUtf8() + '/');
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_network->manager()->get(request);
    auto certificateRejected = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::sslErrors, this,
            [certificateRejected](const QList<QSslError> &) { *certificateRejected = true; });
    connect(reply, &QNetworkReply::finished, this, [this, reply, certificateRejected] {
        reply->deleteLater();
        --m_creating;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        const QString token = json.value(u"token"_s).toString();
        // Failures a retry cannot fix end the waiting requests at once, with what to change.
        const QString host = reply->url().host();
        std::optional<ApiError> permanent;
        if (reply->error() == QNetworkReply::ProxyAuthenticationRequiredError || status == 407) {
            const QNetworkProxy proxy = m_network->manager()
                                            ->proxyFactory()
                                            ->queryProxy(QNetworkProxyQuery(reply->url()))
                                            .value(0);
            permanent = ApiError::proxyRefusedCredentials(
                ProxyFactory::nameOf(proxy), proxy.type() == QNetworkProxy::Socks5Proxy, host);
        } else if (reply->error() == QNetworkReply::SslHandshakeFailedError && *certificateRejected) {
            permanent = ApiError::tlsCertificateRejected(host, reply->errorString());
        }
        if (permanent) {
            qCWarning(lcUpstream).noquote() << "guest sign-in failed:" << permanent->message();
            serveWaiters(*permanent);
            return;
        }
        if (reply->error() != QNetworkReply::NoError || status != 200 || token.isEmpty()) {
            QString why;
            if (status == 405)
                why = u"Z.AI's firewall (Alibaba Cloud WAF) blocked the guest sign-in (HTTP 405)."_s;
            else if (status != 0)
                why = u"Z.AI refused a guest token (HTTP %1)."_s.arg(status);
            else
                why = u"Could not reach Z.AI for a guest token: %1."_s.arg(reply->errorString());
            qCWarning(lcUpstream).noquote() << why;
            const auto kind = status == 405 ? ApiError::Kind::UpstreamRejected
                              : status == 0 ? ApiError::Kind::UpstreamUnavailable
                                            : ApiError::Kind::UpstreamError;
            serveWaiters(ApiError(kind, why, {}, status == 405 ? u"waf_blocked"_s : QString()));
            return;
        }
        Entry e;
        const QString id = json.value(u"id"_s).toString();
        e.lease = {token, id.isEmpty() ? userIdFromJwt(token) : id, true,
                   u"guest #%1"_s.arg(++m_guestSerial)};
        const int jitter = int(QRandomGenerator::global()->bounded(121)) - 60;
        e.expiresAt = QDateTime::currentDateTimeUtc().addSecs(qMax(30, m_guestLifetime + jitter));
        m_guests.append(e);
        qCDebug(lcUpstream).noquote() << "created" << e.lease.label;
        serveWaiters({});
        Q_EMIT guestAdded();
    });
}

void TokenPool::serveWaiters(const ApiError &creationError)
{
    QList<Waiter> waiting;
    waiting.swap(m_waiters);
    for (Waiter &w : waiting) {
        if (!w.context)
            continue;
        if (Entry *e = pick(m_guests, w.exclude, true)) {
            ++e->active;
            deliver(w.context, std::move(w.callback), e->lease, {});
        } else if (creationError.isError() && m_creating == 0) {
            deliver(w.context, std::move(w.callback), std::nullopt, creationError);
        } else {
            m_waiters.append(std::move(w)); // another guest is on its way
        }
    }
    if (!creationError.isError())
        createGuestsForWaiters();
}

void TokenPool::release(const TokenLease &lease)
{
    if (Entry *e = find(lease.token); e && e->active > 0)
        --e->active;
}

void TokenPool::reportUnauthorized(const TokenLease &lease)
{
    Entry *e = find(lease.token);
    if (!e)
        return;
    if (lease.guest) {
        e->dead = true; // evicted upstream; a new guest replaces it
        return;
    }
    if (++e->failures >= m_failureThreshold) {
        e->benchedUntil = QDateTime::currentDateTimeUtc().addSecs(m_recoverySeconds);
        qCWarning(lcUpstream).noquote()
            << lease.label << "was rejected" << e->failures << "times; pausing it for"
            << m_recoverySeconds << "seconds";
        if (healthyCount() == 0)
            Q_EMIT allTokensRejected();
    }
}

void TokenPool::reportBusy(const TokenLease &lease)
{
    if (Entry *e = find(lease.token); e && lease.guest)
        e->dead = true; // a guest at its concurrency cap is cheaper to replace than to wait for
}

void TokenPool::reportSuccess(const TokenLease &lease)
{
    if (Entry *e = find(lease.token)) {
        e->failures = 0;
        e->benchedUntil = {};
    }
}
