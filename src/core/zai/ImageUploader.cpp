// SPDX-License-Identifier: MIT
#include "ImageUploader.h"

#include "config/BridgeConfig.h"
#include "conversation/Conversation.h"
#include "ImageInput.h"
#include "util/Logging.h"
#include "net/NetworkPool.h"
#include "util/Redact.h"
#include "UpstreamProfile.h"
#include "ZaiRequestBuilder.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

// --- UploadCache ---------------------------------------------------------------------------

UploadCache::UploadCache(int maxEntries, int lifetimeSeconds)
    : m_maxEntries(maxEntries), m_lifetimeMs(qint64(lifetimeSeconds) * 1000)
{
}

QByteArray UploadCache::key(const QString &token, const QByteArray &imageHash)
{
    // The token itself is not kept as a key: its hash identifies the account just as well.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(token.toUtf8());
    hash.addData(QByteArrayView("\n"));
    hash.addData(imageHash);
    return hash.result();
}

std::optional<QJsonObject> UploadCache::find(const QByteArray &key, qint64 nowMs)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return std::nullopt;
    if (nowMs - it->storedMs >= m_lifetimeMs) {
        m_entries.erase(it);
        return std::nullopt;
    }
    it->lastUse = ++m_clock;
    return it->file;
}

void UploadCache::insert(const QByteArray &key, const QJsonObject &file, qint64 nowMs)
{
    if (m_maxEntries <= 0 || m_lifetimeMs <= 0)
        return;
    // Expired entries go first, then the least recently used until there is room.
    for (auto it = m_entries.begin(); it != m_entries.end();)
        it = nowMs - it->storedMs >= m_lifetimeMs ? m_entries.erase(it) : std::next(it);
    while (m_entries.size() >= m_maxEntries && !m_entries.contains(key)) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        }
        m_entries.erase(oldest);
    }
    m_entries.insert(key, {file, nowMs, ++m_clock});
}

// --- ImageJob: one prepare() call ----------------------------------------------------------

class ImageJob : public QObject
{
public:
    ImageJob(ImageUploader *uploader, const Conversation &request, TokenLease lease,
             QObject *context, ImageUploader::Callback callback)
        : QObject(uploader), m_uploader(uploader), m_lease(std::move(lease)), m_context(context),
          m_callback(std::move(callback))
    {
        ImageInput::visitImages(request, [this](const ContentPart &part, const QString &param) {
            m_result.images.append({part.imageType, part.imageBytes, {}});
            m_urls.append(part.imageUrl);
            m_params.append(param);
        });
        // The client left (or the attempt ended): nobody waits for the images any more.
        connect(context, &QObject::destroyed, this, [this] { cancel(); });
    }

    void start()
    {
        for (qsizetype i = 0; i < m_result.images.size(); ++i) {
            if (m_result.images.at(i).bytes.isEmpty())
                fetch(i);
        }
        if (m_pendingFetches == 0)
            uploadAll();
    }

private:
    struct FetchState
    {
        QByteArray data;
        bool tooLarge = false;
        bool timedOut = false;
    };

    void fetch(qsizetype index)
    {
        ++m_pendingFetches;
        const BridgeConfig &config = m_uploader->m_config;
        QNetworkRequest request{QUrl(m_urls.at(index))};
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setMaximumRedirectsAllowed(5);
        request.setTransferTimeout(config.imageFetchTimeoutMs);
        request.setRawHeader("User-Agent", "ZaiBridge/" ZB_VERSION);
        request.setRawHeader("Accept", "image/png,image/jpeg,image/webp,image/gif;q=0.9,*/*;q=0.5");
        QNetworkReply *reply = m_uploader->send(request, nullptr);
        m_fetches.append(reply);
        auto state = std::make_shared<FetchState>();
        const qint64 limit = config.maxImageBytes;
        // setTransferTimeout only measures silence: this bounds the whole download.
        auto *deadline = new QTimer(reply);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, reply, [reply, state] {
            state->timedOut = true;
            reply->abort();
        });
        deadline->start(config.imageFetchTimeoutMs);
        connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, state, limit] {
            const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 200 && length.isValid() && length.toLongLong() > limit) {
                state->tooLarge = true;
                reply->abort();
            }
        });
        connect(reply, &QNetworkReply::readyRead, reply, [reply, state, limit] {
            if (state->data.size() + reply->bytesAvailable() > limit) {
                state->tooLarge = true;
                reply->abort();
                return;
            }
            state->data += reply->readAll();
        });
        connect(reply, &QNetworkReply::finished, this, [this, reply, state, index] {
            reply->deleteLater();
            m_fetches.removeAll(reply);
            if (m_done)
                return;
            if (!state->tooLarge && reply->error() == QNetworkReply::NoError)
                state->data += reply->readAll();
            ApiError error = fetchError(reply, *state, index);
            if (error.isError()) {
                fail(error, ImageUploader::Result::Retry::No);
                return;
            }
            ImageUploader::Image &image = m_result.images[index];
            image.bytes = state->data;
            image.type = ImageInput::sniffType(image.bytes);
            if (--m_pendingFetches == 0)
                uploadAll();
        });
    }

    ApiError fetchError(QNetworkReply *reply, const FetchState &state, qsizetype index) const
    {
        const QString &param = m_params.at(index);
        const QString url = ImageInput::displayUrl(m_urls.at(index));
        const BridgeConfig &config = m_uploader->m_config;
        if (state.tooLarge || state.data.size() > config.maxImageBytes) {
            return ApiError::invalidRequest(
                u"The image at %1 ('%2') is larger than the limit of %3 bytes per image "
                u"(MAX_IMAGE_BYTES)."_s.arg(url, param)
                    .arg(config.maxImageBytes),
                param, u"image_too_large"_s);
        }
        const auto networkError = reply->error();
        if (state.timedOut || networkError == QNetworkReply::OperationCanceledError ||
            networkError == QNetworkReply::TimeoutError) {
            return ApiError::invalidRequest(
                u"Fetching the image at %1 ('%2') took longer than %3 seconds "
                u"(IMAGE_FETCH_TIMEOUT)."_s.arg(url, param)
                    .arg(config.imageFetchTimeoutMs / 1000),
                param, u"invalid_image_url"_s);
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 0 && status != 200) {
            return ApiError::invalidRequest(
                u"Could not fetch the image at %1 ('%2'): the server answered HTTP %3."_s
                    .arg(url, param)
                    .arg(status),
                param, u"invalid_image_url"_s);
        }
        if (networkError != QNetworkReply::NoError) {
            return ApiError::invalidRequest(u"Could not fetch the image at %1 ('%2'): %3"_s.arg(
                                                url, param, Redact::text(reply->errorString())),
                                            param, u"invalid_image_url"_s);
        }
        if (ImageInput::sniffType(state.data).isEmpty()) {
            const QString type = reply->header(QNetworkRequest::ContentTypeHeader).toString();
            return ApiError::invalidRequest(
                u"The file at %1 ('%2') is not a PNG, JPEG, WebP or GIF image%3."_s.arg(
                    url, param,
                    type.isEmpty() ? QString() : u" (Content-Type: %1)"_s.arg(type.left(100))),
                param, u"invalid_image_format"_s);
        }
        return {};
    }

    void uploadAll()
    {
        // Each distinct image once; parts with the same bytes share the upload.
        QList<QByteArray> hashes;
        for (const ImageUploader::Image &image : std::as_const(m_result.images)) {
            const QByteArray hash =
                QCryptographicHash::hash(image.bytes, QCryptographicHash::Sha256);
            m_hashes.append(hash);
            if (!hashes.contains(hash))
                hashes.append(hash);
        }
        m_pendingUploads = int(hashes.size());
        for (const QByteArray &hash : std::as_const(hashes)) {
            if (m_done)
                return;
            const qsizetype first = m_hashes.indexOf(hash);
            const ImageUploader::Image &image = m_result.images.at(first);
            QPointer<ImageJob> guard(this);
            m_uploader->upload(m_lease, image.type, image.bytes, hash,
                               [guard, hash](const ImageUploader::Outcome &outcome) {
                                   if (guard)
                                       guard->onUploaded(hash, outcome);
                               });
        }
    }

    void onUploaded(const QByteArray &hash, const ImageUploader::Outcome &outcome)
    {
        if (m_done)
            return;
        if (outcome.error.isError()) {
            fail(outcome.error, outcome.retry);
            return;
        }
        for (qsizetype i = 0; i < m_hashes.size(); ++i) {
            if (m_hashes.at(i) == hash)
                m_result.images[i].file = outcome.file;
        }
        if (--m_pendingUploads == 0)
            finish();
    }

    void fail(const ApiError &error, ImageUploader::Result::Retry retry)
    {
        m_result.error = error;
        m_result.retry = retry;
        m_result.images.clear();
        finish();
    }

    void finish()
    {
        m_done = true;
        abortFetches();
        if (m_context) {
            QTimer::singleShot(0, m_context.data(),
                               [callback = std::move(m_callback), result = std::move(m_result)] {
                                   callback(result);
                               });
        }
        deleteLater();
    }

    void cancel()
    {
        m_done = true;
        abortFetches();
        deleteLater();
    }

    void abortFetches()
    {
        const auto fetches = std::exchange(m_fetches, {});
        for (const QPointer<QNetworkReply> &reply : fetches) {
            if (!reply)
                continue;
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }

    ImageUploader *m_uploader;
    TokenLease m_lease;
    QPointer<QObject> m_context;
    ImageUploader::Callback m_callback;
    ImageUploader::Result m_result;
    QStringList m_urls;
    QStringList m_params;
    QList<QByteArray> m_hashes;
    QList<QPointer<QNetworkReply>> m_fetches;
    int m_pendingFetches = 0;
    int m_pendingUploads = 0;
    bool m_done = false;
};

// --- ImageUploader -------------------------------------------------------------------------

ImageUploader::ImageUploader(const BridgeConfig &config, const UpstreamProfile &profile,
                             const ZaiRequestBuilder &builder, NetworkPool *network,
                             QObject *parent)
    : QObject(parent), m_config(config), m_profile(profile), m_builder(builder), m_network(network),
      m_cache(profile.imageCacheEntries(), profile.imageCacheSeconds())
{
}

ImageUploader::~ImageUploader() = default;

void ImageUploader::prepare(const Conversation &request, const TokenLease &lease, QObject *context,
                            Callback callback)
{
    auto *job = new ImageJob(this, request, lease, context, std::move(callback));
    job->start();
}

void ImageUploader::apply(Conversation &request, const Result &result)
{
    qsizetype i = 0;
    ImageInput::forEachImage(request, [&](ContentPart &part, const QString &) {
        if (i >= result.images.size())
            return;
        const Image &image = result.images.at(i++);
        part.imageType = image.type;
        part.imageBytes = image.bytes;
        part.imageFile = image.file;
    });
}

QNetworkReply *ImageUploader::send(const QNetworkRequest &request, const QByteArray *body)
{
    // Image fetches and uploads are occasional (each image once per account): the side-call
    // manager, which may use HTTP/2, carries them.
    QNetworkAccessManager *manager = m_network->manager();
    return body ? manager->post(request, *body) : manager->get(request);
}

void ImageUploader::upload(const TokenLease &lease, const QString &type, const QByteArray &bytes,
                           const QByteArray &hash, OutcomeCallback callback)
{
    const QByteArray key = UploadCache::key(lease.token, hash);
    if (const auto file = m_cache.find(key, QDateTime::currentMSecsSinceEpoch())) {
        qCDebug(lcUpstream).noquote()
            << "image" << type << bytes.size() << "bytes already uploaded by" << lease.label
            << "as file" << file->value(u"id"_s).toString();
        callback({*file, {}, Result::Retry::No});
        return;
    }
    auto waiting = m_inflight.find(key);
    if (waiting != m_inflight.end()) {
        waiting->append(std::move(callback)); // the same upload is on its way
        return;
    }
    m_inflight.insert(key, {std::move(callback)});

    const QString filename =
        QUuid::createUuid().toString(QUuid::WithoutBraces) + u'.' + ImageInput::extensionFor(type);
    QByteArray body;
    QNetworkRequest request =
        m_builder.fileUpload(lease, type, bytes, filename, ZaiRequestBuilder::newBoundary(), &body);
    request.setTransferTimeout(m_config.upstreamTimeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    ++m_uploads;
    qCDebug(lcUpstream).noquote() << "POST files/: image" << type << bytes.size() << "bytes with"
                                  << lease.label;
    QNetworkReply *reply = send(request, &body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, key, lease] {
        reply->deleteLater();
        const Outcome outcome = outcomeOf(reply, lease);
        if (!outcome.error.isError()) {
            m_cache.insert(key, outcome.file, QDateTime::currentMSecsSinceEpoch());
            qCDebug(lcUpstream).noquote()
                << "uploaded file" << outcome.file.value(u"id"_s).toString() << "for"
                << lease.label;
        } else {
            // ZaiCompletion logs the failure (or the retry) once; this only adds detail.
            qCDebug(lcUpstream).noquote() << "image upload failed:" << outcome.error.message();
        }
        const QList<OutcomeCallback> callbacks = m_inflight.take(key);
        for (const OutcomeCallback &waiter : callbacks)
            waiter(outcome);
    });
}

QString ImageUploader::detailOf(const QByteArray &body, const TokenLease &lease) const
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('<'))
        return u"an HTML page"_s;
    const QJsonObject json = QJsonDocument::fromJson(trimmed).object();
    QString detail = json.value(u"detail"_s).isString()    ? json.value(u"detail"_s).toString()
                     : json.value(u"message"_s).isString() ? json.value(u"message"_s).toString()
                                                           : QString::fromUtf8(trimmed.left(300));
    if (detail.size() > 300)
        detail = detail.left(300) + u"…"_s;
    return Redact::text(detail, {lease.token});
}

ImageUploader::Outcome ImageUploader::outcomeOf(QNetworkReply *reply, const TokenLease &lease) const
{
    using K = ApiError::Kind;
    using R = Result::Retry;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        const bool timeout = reply->error() == QNetworkReply::OperationCanceledError ||
                             reply->error() == QNetworkReply::TimeoutError;
        return {{},
                timeout ? ApiError(K::UpstreamTimeout,
                                   u"Z.AI (%1) did not accept the image upload within %2 seconds."_s
                                       .arg(reply->url().host())
                                       .arg(m_config.upstreamTimeoutMs / 1000))
                        : ApiError(K::UpstreamUnavailable,
                                   u"Could not reach Z.AI (%1) to upload an image: %2"_s.arg(
                                       reply->url().host(), Redact::text(reply->errorString())),
                                   {}, u"upstream_unreachable"_s),
                R::SameToken};
    }
    if (status == 200) {
        const QJsonObject file = QJsonDocument::fromJson(body).object();
        if (!file.value(u"id"_s).toString().isEmpty())
            return {file, {}, R::No};
        return {{},
                ApiError(K::UpstreamError,
                         u"Z.AI accepted an image upload but returned no file id."_s, {},
                         u"upstream_bad_upload"_s),
                R::SameToken};
    }
    const QString detail = detailOf(body, lease);
    if (status == 405) {
        return {
            {},
            ApiError(K::UpstreamRejected,
                     u"Z.AI's firewall (Alibaba Cloud WAF) blocked the image upload (HTTP 405). "
                     u"This is not retried: wait a while, or change network or upstream "
                     u"profile headers."_s,
                     {}, u"waf_blocked"_s),
            R::No};
    }
    if (status == 413) {
        return {
            {},
            ApiError::invalidRequest(
                u"Z.AI refused an image as too large (HTTP 413: %1). Send a smaller image."_s.arg(
                    detail),
                {}, u"image_too_large"_s),
            R::No};
    }
    if (status == 429) {
        ApiError error(
            K::RateLimited,
            u"Z.AI is limiting image uploads for this account (HTTP 429: %1)."_s.arg(detail), {},
            u"rate_limit_exceeded"_s);
        bool ok = false;
        const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        error.setRetryAfterSeconds(ok && seconds > 0 ? qMin(seconds, 600) : 30);
        return {{}, error, R::OtherToken};
    }
    if (status >= 500) {
        return {{},
                ApiError(
                    K::UpstreamError,
                    u"Z.AI failed to take an image upload (HTTP %1: %2)."_s.arg(status).arg(detail),
                    {}, u"upstream_server_error"_s),
                R::SameToken};
    }
    if (lease.guest) {
        // Guest accounts may not upload files (zai-protocol.md 1.3 and 9): say what helps.
        return {{},
                ApiError(K::UpstreamRejected,
                         u"Z.AI refused the image upload for a guest account (HTTP %1: %2). Images "
                         u"need a Z.AI account token: set ZAI_TOKEN to the token cookie of "
                         u"chat.z.ai."_s.arg(status)
                             .arg(detail),
                         {}, u"image_upload_needs_account"_s),
                status == 401 ? R::OtherToken : R::No};
    }
    if (status == 401) {
        return {
            {},
            ApiError(K::UpstreamRejected,
                     u"Z.AI rejected the account token while uploading an image (HTTP 401: %1). "
                     u"Check ZAI_TOKEN: copy a fresh token from chat.z.ai."_s.arg(detail),
                     {}, u"upstream_token_rejected"_s),
            R::OtherToken};
    }
    return {{},
            ApiError(status == 403 ? K::UpstreamRejected : K::UpstreamError,
                     u"Z.AI refused the image upload (HTTP %1: %2)."_s.arg(status).arg(detail), {},
                     status == 403 ? u"upstream_forbidden"_s : u"upstream_bad_request"_s),
            R::No};
}
