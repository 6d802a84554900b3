// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <functional>
#include <optional>

class NetworkPool;
class UpstreamProfile;

struct TokenLease
{
    QString token;  // a secret: never logged
    QString userId; // the JWT's id claim, signed into every completion
    bool guest = false;
    QString label;  // safe to log: "token #2" or "guest 3f2a…"
};

// The Z.AI accounts a request can use: the configured tokens (ZAI_TOKEN, rotated and benched
// after repeated 401s), or, when none is configured, a small pool of guest tokens from
// GET /api/v1/auths/ that are recycled after their lifetime.
class TokenPool : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(std::optional<TokenLease>, ApiError)>;

    TokenPool(QStringList tokens, bool anonymous, const UpstreamProfile &profile, QUrl origin,
              NetworkPool *network, QObject *parent = nullptr);

    // Calls back with a token not in `exclude`: at once when one is at hand, else on the event
    // loop (a guest token being fetched, or an error). Ask last thing in the calling function.
    void acquire(const QSet<QString> &exclude, QObject *context, Callback callback);
    void release(const TokenLease &lease);
    void reportUnauthorized(const TokenLease &lease);
    void reportBusy(const TokenLease &lease);
    void reportSuccess(const TokenLease &lease);

    // A token for a call that is no chat (the model list): a configured token that is not
    // paused, or a live guest. Not leased, and never a reason to sign a guest in.
    std::optional<TokenLease> idleToken();

    void setGuestPoolSize(int size);
    bool usesGuests() const { return m_configured.isEmpty(); }
    int configuredCount() const { return int(m_configured.size()); }
    int healthyCount() const;

    static QString userIdFromJwt(const QString &token);

Q_SIGNALS:
    void allTokensRejected();
    void guestAdded(); // a new guest token is in the pool

private:
    struct Entry
    {
        TokenLease lease;
        int active = 0;
        int failures = 0;
        QDateTime benchedUntil;
        QDateTime expiresAt; // guests only
        bool dead = false;   // guests rejected or expired
    };
    struct Waiter
    {
        QSet<QString> exclude;
        QPointer<QObject> context;
        Callback callback;
    };

    Entry *find(const QString &token);
    Entry *pick(QList<Entry> &entries, const QSet<QString> &exclude, bool guests);
    void createGuest();
    void createGuestsForWaiters();
    void serveWaiters(const ApiError &creationError);
    void deliver(QObject *context, Callback callback, std::optional<TokenLease> lease,
                 ApiError error);

    QList<Entry> m_configured;
    QList<Entry> m_guests;
    QList<Waiter> m_waiters;
    bool m_anonymous;
    int m_guestPoolSize;
    int m_guestLifetime;
    int m_failureThreshold;
    int m_recoverySeconds;
    QUrl m_authsUrl;
    QUrl m_origin;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    NetworkPool *m_network;
    int m_creating = 0;
    int m_guestSerial = 0;
};
