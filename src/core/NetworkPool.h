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

private:
    bool bypass(const QString &host) const;
    QUrl m_http;
    QUrl m_https;
    QStringList m_noProxy;
};

// Hands out QNetworkAccessManagers so that concurrent upstream calls never queue. A manager keeps
// at most six HTTP/1.1 connections per host (Qt 6.4 cannot raise that), so the pool adds managers
// as calls pile up; HTTP/2 multiplexes over TLS where the upstream offers it.
class NetworkPool : public QObject
{
    Q_OBJECT
public:
    explicit NetworkPool(QObject *parent = nullptr);

    void setProxies(const QUrl &httpProxy, const QUrl &httpsProxy, const QStringList &noProxy);

    // The manager to use for a new call; track the reply so the pool knows the load.
    QNetworkAccessManager *manager();
    void track(QNetworkAccessManager *manager, QNetworkReply *reply);
    int managerCount() const { return int(m_slots.size()); }

    static constexpr int kConnectionsPerManager = 6;
    static constexpr int kMaxManagers = 128;

private:
    QNetworkAccessManager *create();
    struct Slot
    {
        QNetworkAccessManager *manager;
        int active;
    };
    QList<Slot> m_slots;
    QUrl m_httpProxy;
    QUrl m_httpsProxy;
    QStringList m_noProxy;
};
