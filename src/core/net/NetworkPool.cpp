// SPDX-License-Identifier: MIT
#include "NetworkPool.h"

#include "UpstreamHttp.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkProxy>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace {

QNetworkProxy proxyFromUrl(const QUrl &url)
{
    const auto type =
        url.scheme() == u"socks5" ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy;
    QNetworkProxy proxy(type, url.host(), quint16(url.port(type == QNetworkProxy::Socks5Proxy ? 1080 : 8080)),
                        url.userName(), url.password());
    return proxy;
}

// Z.AI answers must never be stored or replayed: a guest token cookie sent back returns the
// same guest (zai-protocol.md 1.2), so the bridge keeps no cookies at all.
class NoCookieJar : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;
    QList<QNetworkCookie> cookiesForUrl(const QUrl &) const override { return {}; }
    bool setCookiesFromUrl(const QList<QNetworkCookie> &, const QUrl &) override { return false; }
};

} // namespace

ProxyFactory::ProxyFactory(QUrl httpProxy, QUrl httpsProxy, QStringList noProxy)
    : m_http(std::move(httpProxy)), m_https(std::move(httpsProxy)), m_noProxy(std::move(noProxy))
{
}

bool ProxyFactory::bypass(const QString &host) const
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0 || QHostAddress(host).isLoopback())
        return true;
    for (const QString &entry : m_noProxy) {
        if (entry == u"*")
            return true;
        QString suffix = entry;
        if (suffix.startsWith(u'*'))
            suffix.remove(0, 1);
        if (host.compare(suffix, Qt::CaseInsensitive) == 0
            || (suffix.startsWith(u'.') && host.endsWith(suffix, Qt::CaseInsensitive))
            || host.endsWith(u'.' + suffix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QList<QNetworkProxy> ProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    const QString host = query.peerHostName();
    if (bypass(host))
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    const bool https = query.protocolTag() == u"https" || query.url().scheme() == u"https";
    const QUrl &configured = https ? (m_https.isValid() ? m_https : m_http) : m_http;
    if (configured.isValid() && !configured.host().isEmpty())
        return {proxyFromUrl(configured)};
    if (!m_http.isValid() && !m_https.isValid())
        return systemProxyForQuery(query);
    return {QNetworkProxy(QNetworkProxy::NoProxy)};
}

QString ProxyFactory::nameOf(const QNetworkProxy &proxy)
{
    if (proxy.type() == QNetworkProxy::NoProxy)
        return {};
    return proxy.hostName() + u':' + QString::number(proxy.port());
}

NetworkPool::NetworkPool(QObject *parent)
    : QObject(parent), m_manager(new QNetworkAccessManager(this)), m_http(new UpstreamHttp(this))
{
    m_manager->setCookieJar(new NoCookieJar(m_manager));
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    setProxies({}, {}, {});
}

NetworkPool::~NetworkPool() = default;

void NetworkPool::setProxies(const QUrl &httpProxy, const QUrl &httpsProxy,
                             const QStringList &noProxy)
{
    m_manager->setProxyFactory(new ProxyFactory(httpProxy, httpsProxy, noProxy));
    m_http->setProxies(httpProxy, httpsProxy, noProxy);
}
