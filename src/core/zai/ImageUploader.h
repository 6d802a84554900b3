// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"
#include "TokenPool.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

struct BridgeConfig;
struct Conversation;
class NetworkPool;
class QNetworkReply;
class QNetworkRequest;
class UpstreamProfile;
class ZaiRequestBuilder;

// Which uploads an account already has: a file on Z.AI belongs to the account that uploaded it
// (zai-protocol.md 1.3), so the key is the account token and the image content. Bounded in size
// (the least recently used entry goes first) and in age.
class UploadCache
{
public:
    UploadCache(int maxEntries, int lifetimeSeconds);

    static QByteArray key(const QString &token, const QByteArray &imageHash);
    std::optional<QJsonObject> find(const QByteArray &key, qint64 nowMs);
    void insert(const QByteArray &key, const QJsonObject &file, qint64 nowMs);
    int size() const { return int(m_entries.size()); }

private:
    struct Entry
    {
        QJsonObject file;
        qint64 storedMs = 0;
        quint64 lastUse = 0;
    };
    QHash<QByteArray, Entry> m_entries;
    int m_maxEntries;
    qint64 m_lifetimeMs;
    quint64 m_clock = 0;
};

// Gets a request's images to the upstream for one account: http(s) images are fetched by the
// bridge (size and time limits, the configured proxies), then every image is uploaded to the
// files endpoint (1.3) unless the account uploaded the same bytes recently. Identical uploads
// running at the same time for the same account are shared.
class ImageUploader : public QObject
{
    Q_OBJECT
public:
    struct Image
    {
        QString type;
        QByteArray bytes;
        QJsonObject file; // the upstream file object
    };
    struct Result
    {
        enum class Retry { No, SameToken, OtherToken };
        ApiError error; // no kind: every image is uploaded
        Retry retry = Retry::No;
        QList<Image> images; // one per image part, in ImageInput::forEachImage order
    };
    using Callback = std::function<void(const Result &)>;

    ImageUploader(const BridgeConfig &config, const UpstreamProfile &profile,
                  const ZaiRequestBuilder &builder, NetworkPool *network,
                  QObject *parent = nullptr);
    ~ImageUploader() override;

    // Calls back on the event loop (never synchronously) unless `context` is gone by then.
    void prepare(const Conversation &request, const TokenLease &lease, QObject *context,
                 Callback callback);
    // Writes a successful result into the request's image parts: bytes (so that a retry does not
    // fetch again) and file objects (what the request builder references).
    static void apply(Conversation &request, const Result &result);

    int uploadCount() const { return m_uploads; } // uploads sent, for tests and the debug log

private:
    friend class ImageJob;
    struct Outcome
    {
        QJsonObject file;
        ApiError error;
        Result::Retry retry = Result::Retry::No;
    };
    using OutcomeCallback = std::function<void(const Outcome &)>;

    // Uploads (or finds in the cache) one image for the lease's account.
    void upload(const TokenLease &lease, const QString &type, const QByteArray &bytes,
                const QByteArray &hash, OutcomeCallback callback);
    Outcome outcomeOf(QNetworkReply *reply, const TokenLease &lease) const;
    QString detailOf(const QByteArray &body, const TokenLease &lease) const;
    // The one place that sends HTTP for images (fetches and uploads): null body means GET.
    QNetworkReply *send(const QNetworkRequest &request, const QByteArray *body);

    const BridgeConfig &m_config;
    const UpstreamProfile &m_profile;
    const ZaiRequestBuilder &m_builder;
    NetworkPool *m_network;
    UploadCache m_cache;
    QHash<QByteArray, QList<OutcomeCallback>> m_inflight; // cache key -> who waits for it
    int m_uploads = 0;
};
