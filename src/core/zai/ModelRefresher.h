// SPDX-License-Identifier: MIT
#pragma once

#include "ModelCatalogue.h"
#include "ModelListing.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class NetworkPool;
class QNetworkReply;
class TokenPool;
class UpstreamProfile;
class ZaiRequestBuilder;

// Reads the upstream's model list (zai-protocol.md P.14) at start and then every
// modelsRefreshSeconds of the profile, with a configured account token, or in guest mode with a
// guest token once the pool has one (the list is no reason for a sign-in of its own). A failed
// read keeps the last good list and is logged once until a read succeeds again.
class ModelRefresher : public QObject
{
    Q_OBJECT
public:
    ModelRefresher(const UpstreamProfile &profile, const ZaiRequestBuilder &builder,
                   TokenPool *tokens, NetworkPool *network, QObject *parent = nullptr);
    ~ModelRefresher() override;

    // Starts the reads; nothing happens when the profile's refresh interval is 0.
    void start();
    // The entries of the last good listing (ModelListing::parse), known models included.
    const QList<ModelEntry> &listed() const { return m_listed; }

Q_SIGNALS:
    void listChanged();

private:
    void read();
    void onReply(QNetworkReply *reply);

    const ZaiRequestBuilder &m_builder;
    TokenPool *m_tokens;
    NetworkPool *m_network;
    ModelListing::Defaults m_defaults;
    int m_intervalSeconds;
    QTimer m_timer;
    QPointer<QNetworkReply> m_reply;
    QList<ModelEntry> m_listed;
    bool m_waitingForGuest = false;
    bool m_failing = false;
};
