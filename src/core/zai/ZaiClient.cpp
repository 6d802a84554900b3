// SPDX-License-Identifier: MIT
#include "ZaiClient.h"

#include "CaptchaSource.h"
#include "FeVersionProvider.h"
#include "ImageUploader.h"
#include "ModelRefresher.h"
#include "net/NetworkPool.h"
#include "Signer.h"
#include "TokenPool.h"
#include "util/Logging.h"
#include "util/RandomId.h"

using namespace Qt::StringLiterals;

ZaiClient::ZaiClient(BridgeConfig config, UpstreamProfile profile, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_profile(std::move(profile))
{
    m_profile.catalogue().applyRenames(m_config.modelRenames);
    m_catalogue = m_profile.catalogue();
    // Every upstream call carries the same X-Device-Id (zai-protocol.md P.13): the installation's,
    // or one for this client's lifetime when none is configured.
    m_profile.setDeviceId(m_config.deviceId.isEmpty() ? randomUuid() : m_config.deviceId);
    const QUrl endpoint(m_config.endpoint.isEmpty() ? m_profile.endpoint() : m_config.endpoint);
    const QByteArray secret =
        m_config.signingSecret.isEmpty() ? m_profile.signingSecret() : m_config.signingSecret;
    m_builder = std::make_unique<ZaiRequestBuilder>(m_profile, endpoint, secret);

    m_network = new NetworkPool(this);
    m_network->setProxies(m_config.httpProxy, m_config.httpsProxy, m_config.noProxy);
    m_tokens = new TokenPool(m_config.tokens, m_config.anonymous, m_profile, m_builder->origin(),
                             m_network, this);
    m_tokens->setGuestPoolSize(m_config.guestPoolSize);
    m_feVersion = new FeVersionProvider(
        m_builder->url(QStringLiteral("landing")),
        m_config.feVersion.isEmpty() ? m_profile.feVersionFallback() : m_config.feVersion,
        m_profile.feVersionPattern(), m_profile.feVersionCacheSeconds(), m_profile.headers(),
        m_network, this);
    m_images = new ImageUploader(m_config, m_profile, *m_builder, m_network, this);
    m_models = new ModelRefresher(m_profile, *m_builder, m_tokens, m_network, this);
    connect(m_models, &ModelRefresher::listChanged, this, [this] {
        ModelCatalogue merged = m_profile.catalogue().withListed(m_models->listed());
        QStringList added;
        for (const ModelEntry &e : merged.entries()) {
            if (!m_catalogue.find(e.id))
                added.append(e.id);
        }
        m_catalogue = std::move(merged);
        if (!added.isEmpty())
            qCInfo(lcUpstream).noquote() << "Z.AI lists models the catalogue does not know, now "
                                            "offered:" << added.join(u", "_s);
    });
    m_models->start();
}

ZaiClient::~ZaiClient() = default;

void ZaiClient::recordOutcome(bool success)
{
    m_lastSuccess = success;
    m_lastCallAt = QDateTime::currentDateTimeUtc();
    Q_EMIT upstreamOutcome(success);
}

CaptchaAsk ZaiClient::captchaAsk(const QString &reason) const
{
    const UpstreamProfile::Captcha captcha = m_profile.captcha();
    CaptchaAsk ask;
    ask.reason = reason;
    ask.region = captcha.region;
    ask.prefix = captcha.prefix;
    ask.sceneId = captcha.sceneId;
    ask.scriptUrl = QUrl(captcha.scriptUrl);
    ask.origin = m_builder->origin();
    ask.waitSeconds = captcha.waitSeconds;
    return ask;
}

void ZaiClient::keepCaptcha(const QString &param, const QDateTime &obtainedAt)
{
    if (m_profile.captcha().reuseSeconds <= 0)
        return;
    m_keptCaptcha = param;
    m_keptCaptchaAt = obtainedAt;
}

QString ZaiClient::reusableCaptcha() const
{
    const int seconds = m_profile.captcha().reuseSeconds;
    if (seconds <= 0 || m_keptCaptcha.isEmpty()
        || m_keptCaptchaAt.secsTo(QDateTime::currentDateTimeUtc()) >= seconds)
        return {};
    return m_keptCaptcha;
}

void ZaiClient::forgetCaptcha(const QString &param)
{
    if (param == m_keptCaptcha)
        m_keptCaptcha.clear();
}
