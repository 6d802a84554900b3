// SPDX-License-Identifier: MIT
#include "TokenCapture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkCookie>
#include <QWebEngineCookieStore>

using namespace Qt::StringLiterals;

namespace {

QJsonObject jwtPayload(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray json = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(json).object();
}

} // namespace

TokenCapture::TokenCapture(QWebEngineCookieStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
    connect(store, &QWebEngineCookieStore::cookieAdded, this, &TokenCapture::onAdded);
    connect(store, &QWebEngineCookieStore::cookieRemoved, this, &TokenCapture::onRemoved);
}

void TokenCapture::setOrigin(const QUrl &origin)
{
    const QString host = origin.host().toLower();
    if (host == m_host)
        return;
    m_host = host;
    m_token.clear();
    // The cookies kept from an earlier session are reported as added, too.
    m_store->loadAllCookies();
}

QString TokenCapture::accountOf(const QString &token)
{
    return jwtPayload(token).value(u"email"_s).toString();
}

bool TokenCapture::isGuest(const QString &token)
{
    const QJsonObject payload = jwtPayload(token);
    return payload.value(u"role"_s).toString() == u"guest" ||
           payload.value(u"email"_s).toString().endsWith(u"@guest.com"_s, Qt::CaseInsensitive);
}

bool TokenCapture::isTokenCookie(const QNetworkCookie &cookie, const QString &host)
{
    if (cookie.name() != "token" || host.isEmpty())
        return false;
    // A host-only cookie carries the host; a domain cookie ".z.ai" covers its subdomains.
    QString domain = cookie.domain().toLower();
    if (domain.startsWith(u'.'))
        domain.remove(0, 1);
    return host == domain || host.endsWith(u'.' + domain);
}

void TokenCapture::onAdded(const QNetworkCookie &cookie)
{
    if (!isTokenCookie(cookie, m_host))
        return;
    const QString token = QString::fromLatin1(cookie.value()).trimmed();
    if (token.isEmpty() || isGuest(token) || token == m_token)
        return;
    m_token = token;
    Q_EMIT tokenCaptured(token, accountOf(token));
}

void TokenCapture::onRemoved(const QNetworkCookie &cookie)
{
    if (!isTokenCookie(cookie, m_host) || m_token.isEmpty() ||
        QString::fromLatin1(cookie.value()).trimmed() != m_token)
        return;
    m_token.clear();
    Q_EMIT signedOut();
}
