// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QNetworkProxyFactory>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

// Routes upstream calls through the configured HTTP/HTTPS proxies (or the system's when none is
// configured); loopback and NO_PROXY hosts always go direct.
class ProxyFactory : public QNetworkProxyFactory
{
public:
    ProxyFactory(QUrl httpProxy, QUrl httpsProxy, QStringList noProxy);
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
    // "host:port" of a proxy, for messages; empty for a direct connection.
    static QString nameOf(const QNetworkProxy &proxy);

private:
    bool bypass(const QString &host) const;
    QUrl m_http;
    QUrl m_https;
    QStringList m_noProxy;
};

class UpstreamHttp;

// The bridge's upstream networking: UpstreamHttp for the calls on the completion path (chats/new
// and the completion itself, any number at once, see UpstreamHttp.h), and one
// QNetworkAccessManager for the occasional side calls (guest tokens, the landing page), which may
// use HTTP/2 where the upstream offers it. Both follow the configured proxies.
class NetworkPool : public QObject
{
    Q_OBJECT
public:
    explicit NetworkPool(QObject *parent = nullptr);
    ~NetworkPool() override;

    void setProxies(const QUrl &httpProxy, const QUrl &httpsProxy, const QStringList &noProxy);

    QNetworkAccessManager *manager() const { return m_manager; }
    UpstreamHttp *http() const { return m_http; }

private:
    QNetworkAccessManager *m_manager;
    UpstreamHttp *m_http;
};
