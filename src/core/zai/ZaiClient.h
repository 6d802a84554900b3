// SPDX-License-Identifier: MIT
#pragma once

#include "config/BridgeConfig.h"
#include "UpstreamProfile.h"
#include "ZaiRequestBuilder.h"

#include <QDateTime>
#include <QObject>

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

    // Health: whether the most recent upstream call succeeded, and when.
    void recordOutcome(bool success);
    std::optional<bool> lastCallSucceeded() const { return m_lastSuccess; }
    QDateTime lastCallAt() const { return m_lastCallAt; }

Q_SIGNALS:
    void upstreamOutcome(bool success);

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
    std::optional<bool> m_lastSuccess;
    QDateTime m_lastCallAt;
};
