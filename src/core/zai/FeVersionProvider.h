// SPDX-License-Identifier: MIT
#pragma once

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class NetworkPool;

// The X-FE-Version the upstream expects: scraped from the landing page (`prod-fe-X.Y.Z`, highest
// wins), cached, and refreshed on demand when the upstream says the client is outdated. Falls back
// to ZAI_FE_VERSION or the profile's value when the page cannot be read.
class FeVersionProvider : public QObject
{
    Q_OBJECT
public:
    FeVersionProvider(QUrl landingUrl, QString fallback, QString pattern, int cacheSeconds,
                      QList<QPair<QByteArray, QByteArray>> headers, NetworkPool *network,
                      QObject *parent = nullptr);

    // Calls back with the version to send: at once when it is cached, else on the event loop
    // once the landing page was read. Ask last thing in the calling function.
    void get(QObject *context, std::function<void(QString)> callback);
    void invalidate();
    QString current() const { return m_version.isEmpty() ? m_fallback : m_version; }

    static QString highestVersion(const QString &html, const QString &pattern);

private:
    void fetch();
    void finish(const QString &version);

    QUrl m_url;
    QString m_fallback;
    QString m_pattern;
    int m_cacheSeconds;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    NetworkPool *m_network;
    QString m_version;
    QDeadlineTimer m_expiry;
    bool m_fetching = false;
    QList<QPair<QPointer<QObject>, std::function<void(QString)>>> m_waiters;
};
