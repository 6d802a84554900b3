// SPDX-License-Identifier: MIT
#pragma once

#include "CaptchaSource.h"
#include "config/BridgeConfig.h"
#include "UpstreamProfile.h"
#include "ZaiRequestBuilder.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <memory>

class FeVersionProvider;
class ImageUploader;
class ModelRefresher;
class NetworkPool;
class TokenPool;

// The long-lived upstream side: configuration, profile, connection pool, tokens and the FE
// version cache. Each client request gets its own ZaiCompletion that borrows these.
class ZaiClient : public QObject
{
    Q_OBJECT
public:
    ZaiClient(BridgeConfig config, UpstreamProfile profile, QObject *parent = nullptr);
    ~ZaiClient() override;

    const BridgeConfig &config() const { return m_config; }
    const UpstreamProfile &profile() const { return m_profile; }
    // The profile's catalogue and the upstream's models it does not know (ModelRefresher).
    const ModelCatalogue &catalogue() const { return m_catalogue; }
    const ZaiRequestBuilder &builder() const { return *m_builder; }
    NetworkPool *network() const { return m_network; }
    TokenPool *tokens() const { return m_tokens; }
    FeVersionProvider *feVersion() const { return m_feVersion; }
    ImageUploader *images() const { return m_images; }

    // The captcha gate (zai-protocol.md P.11). The source is not owned; none: requests that
    // meet the gate fail at once with 403 captcha_required and captchaRequired() is emitted.
    void setCaptchaSource(CaptchaSource *source) { m_captchaSource = source; }
    CaptchaSource *captchaSource() const { return m_captchaSource; }
    CaptchaAsk captchaAsk(const QString &reason) const;
    // Whether a completion should carry a verify parameter from the start: the profile says so
    // (captcha.required), or Z.AI has asked for one since this client started.
    bool captchaExpected() const { return m_captchaSeen || m_profile.captcha().required; }
    void noteCaptchaAsked() { m_captchaSeen = true; }
    // With captcha.reuseSeconds > 0, a parameter Z.AI accepted is offered again until it is
    // that old; by default each parameter is used once.
    void keepCaptcha(const QString &param, const QDateTime &obtainedAt);
    QString reusableCaptcha() const;
    void forgetCaptcha(const QString &param);
    // A request met the gate without a source: tells the tray app (a notification that opens
    // the Z.AI window).
    void reportCaptchaWithoutSource(const QString &reason) { Q_EMIT captchaRequired(reason); }

    // Health: whether the most recent upstream call succeeded, and when.
    void recordOutcome(bool success);
    std::optional<bool> lastCallSucceeded() const { return m_lastSuccess; }
    QDateTime lastCallAt() const { return m_lastCallAt; }

Q_SIGNALS:
    void upstreamOutcome(bool success);
    void captchaRequired(const QString &reason);

private:
    BridgeConfig m_config;
    UpstreamProfile m_profile;
    ModelCatalogue m_catalogue;
    std::unique_ptr<ZaiRequestBuilder> m_builder;
    NetworkPool *m_network;
    TokenPool *m_tokens;
    FeVersionProvider *m_feVersion;
    ImageUploader *m_images;
    ModelRefresher *m_models;
    QPointer<CaptchaSource> m_captchaSource;
    bool m_captchaSeen = false;
    QString m_keptCaptcha;
    QDateTime m_keptCaptchaAt;
    std::optional<bool> m_lastSuccess;
    QDateTime m_lastCallAt;
};
