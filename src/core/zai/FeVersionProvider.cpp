// SPDX-License-Identifier: MIT
#include "FeVersionProvider.h"

#include "util/Logging.h"
#include "net/NetworkPool.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

FeVersionProvider::FeVersionProvider(QUrl landingUrl, QString fallback, QString pattern,
                                     int cacheSeconds, QList<QPair<QByteArray, QByteArray>> headers,
                                     NetworkPool *network, QObject *parent)
    : QObject(parent), m_url(std::move(landingUrl)), m_fallback(std::move(fallback)),
      m_pattern(std::move(pattern)), m_cacheSeconds(cacheSeconds), m_headers(std::move(headers)),
      m_network(network), m_expiry(QDeadlineTimer(0))
{
}

QString FeVersionProvider::highestVersion(const QString &html, const QString &pattern)
{
    const QRegularExpression re(pattern);
    QString best;
    QList<int> bestParts;
    auto it = re.globalMatch(html);
    while (it.hasNext()) {
        const auto match = it.next();
        QList<int> parts;
        for (int i = 1; i <= re.captureCount(); ++i)
            parts.append(match.captured(i).toInt());
        if (best.isEmpty() || parts > bestParts) {
            best = match.captured(0);
            bestParts = parts;
        }
    }
    return best;
}

void FeVersionProvider::get(QObject *context, std::function<void(QString)> callback)
{
    if (!m_version.isEmpty() && !m_expiry.hasExpired()) {
        // Cached: at once, without another turn of the event loop (the caller asks last thing).
        Q_UNUSED(context);
        callback(m_version);
        return;
    }
    m_waiters.append({QPointer<QObject>(context), std::move(callback)});
    if (!m_fetching)
        fetch();
}

void FeVersionProvider::invalidate()
{
    m_expiry = QDeadlineTimer(0);
}

void FeVersionProvider::fetch()
{
    m_fetching = true;
    QNetworkRequest request(m_url);
    for (const auto &[name, value] : std::as_const(m_headers))
        request.setRawHeader(name, value);
    request.setRawHeader("Accept", "text/html,application/xhtml+xml");
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_network->manager()->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QString found = reply->error() == QNetworkReply::NoError
                                  ? highestVersion(QString::fromUtf8(reply->readAll()), m_pattern)
                                  : QString();
        if (found.isEmpty()) {
            const QString why = reply->error() == QNetworkReply::NoError
                                    ? u"no prod-fe version in it"_s
                                    : reply->errorString();
            qCWarning(lcUpstream).noquote()
                << "could not read the front-end version from the Z.AI landing page (" << why
                << "); using" << current();
            // Retry the scrape soon rather than every request.
            m_expiry = QDeadlineTimer(60 * 1000);
            finish(current());
            return;
        }
        if (found != m_version)
            qCInfo(lcUpstream).noquote() << "Z.AI front-end version" << found;
        m_version = found;
        m_expiry = QDeadlineTimer(qint64(m_cacheSeconds) * 1000);
        finish(found);
    });
}

void FeVersionProvider::finish(const QString &version)
{
    m_fetching = false;
    if (m_version.isEmpty())
        m_version = version; // the fallback, until a scrape succeeds
    auto waiters = std::exchange(m_waiters, {});
    for (auto &[context, callback] : waiters) {
        if (context)
            callback(version);
    }
}
