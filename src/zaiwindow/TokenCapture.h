// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkCookie;
class QWebEngineCookieStore;

// Watches the Z.AI window's cookies for the chat page's `token` cookie (zai-protocol.md P.11):
// the account token, handed over without anybody digging in developer tools. A guest's token
// (the page makes one before sign-in; its e-mail is Guest-…@guest.com) is not an account and is
// ignored. The token is a secret: it is only passed on in the signal, never logged.
class TokenCapture : public QObject
{
    Q_OBJECT
public:
    TokenCapture(QWebEngineCookieStore *store, QObject *parent = nullptr);

    // The host whose cookies count (the chat origin's).
    void setOrigin(const QUrl &origin);
    QString lastToken() const { return m_token; }

    // Reads the JWT payload of a token (no verification: the upstream checks it): the e-mail it
    // names, and whether it is a guest's. An opaque token has no account and is no guest.
    static QString accountOf(const QString &token);
    static bool isGuest(const QString &token);
    // Whether a cookie is the chat page's token cookie for `host`.
    static bool isTokenCookie(const QNetworkCookie &cookie, const QString &host);

Q_SIGNALS:
    void tokenCaptured(const QString &token, const QString &account);
    void signedOut();

private:
    void onAdded(const QNetworkCookie &cookie);
    void onRemoved(const QNetworkCookie &cookie);

    QWebEngineCookieStore *m_store;
    QString m_host;
    QString m_token;
};
