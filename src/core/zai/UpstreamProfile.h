// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Conversation.h"
#include "ModelCatalogue.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

// Everything about the upstream that Z.AI may change: paths, signing secret, FE-version fallback,
// browser headers, query fingerprint and the model catalogue (zai-protocol.md P.1). Built in as
// JSON; a user file overrides any part of it without a rebuild.
class UpstreamProfile
{
public:
    // How the conversation goes upstream (profile key "messages.mode", zai-protocol.md P.12):
    // every turn as a user message with a role label ("user-only", the default, because the
    // live service refuses every other role), or the role list of section 4.3 ("roles").
    enum class MessagesMode { UserOnly, Roles };

    static UpstreamProfile builtIn();

    // Deep-merges a user JSON object over the built-in profile. "models" replaces the list;
    // "extraModels" adds or replaces entries by id.
    static std::optional<UpstreamProfile> load(const QString &overridePath, QString *error);
    static std::optional<UpstreamProfile> fromJson(const QJsonObject &json, QString *error);

    QString endpoint() const;
    QString path(const QString &name) const; // auths, chatsNew, files, models, landing
    QString completionsPath() const;
    QString legacyCompletionsPath() const;
    QByteArray signingSecret() const;
    QString feVersionFallback() const;
    QString feVersionPattern() const;
    int feVersionCacheSeconds() const;
    int guestPoolSize() const;
    int guestLifetimeSeconds() const;
    int tokenFailureThreshold() const;
    int tokenRecoverySeconds() const;
    // Parsed once when the profile is loaded: these are read for every upstream request. A
    // header whose value holds {{DEVICE_ID}} is left out until setDeviceId() gives the id.
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    // The installation's X-Device-Id (zai-protocol.md P.13), put into the headers' {{DEVICE_ID}}.
    void setDeviceId(const QString &deviceId);
    QString deviceId() const { return m_deviceId; }
    const QList<QPair<QString, QString>> &queryParams() const { return m_query; }
    const QList<QPair<QString, QString>> &fingerprint() const { return m_fingerprint; }
    QJsonObject variables() const;
    // Images (zai-protocol.md 1.3): the file-content URL and image-part URL templates ({id},
    // {filename}), and how long and how many uploads are remembered per account.
    QString fileContentPath(const QString &fileId) const;
    QString imagePartUrl(const QString &fileId, const QString &filename) const;
    int imageCacheSeconds() const;
    int imageCacheEntries() const;
    const QStringList &hiddenMcpFeatures() const { return m_hiddenMcp; }
    // The conversation upstream: the mode, the preamble that explains the labels (first message
    // of a labelled conversation) and the label that starts each turn.
    MessagesMode messagesMode() const { return m_messagesMode; }
    QString messagesPreamble() const;
    QString messageLabel(Message::Role role) const;
    // The upstream's own model list (zai-protocol.md P.14): how often it is read (0: never), and
    // which of its models are offered (their id starts with the prefix) with what defaults.
    int modelsRefreshSeconds() const;
    QString listedModelsPrefix() const;
    bool listedModelsPersisted() const;
    bool listedModelsPreviewMode() const;
    // The captcha gate (zai-protocol.md section 10 and P.11), profile key "captcha": whether a
    // source is asked for a verify parameter before every completion (true, as the live service
    // wants one with each; false: only once Z.AI has asked since the start), the
    // completion body field, how long a request waits for one, how long one may be reused (0:
    // once), and the page's SDK values.
    struct Captcha
    {
        bool required = true;
        QString field;
        int waitSeconds = 120;
        int reuseSeconds = 0;
        QString region;
        QString prefix;
        QString sceneId;
        QString scriptUrl;
    };
    const Captcha &captcha() const { return m_captcha; } // read for every completion: parsed once
    const ModelCatalogue &catalogue() const { return m_catalogue; }
    ModelCatalogue &catalogue() { return m_catalogue; }
    const QJsonObject &json() const { return m_json; }

private:
    QJsonObject m_json;
    ModelCatalogue m_catalogue;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QString m_deviceId;
    Captcha m_captcha;
    MessagesMode m_messagesMode = MessagesMode::UserOnly;
    QList<QPair<QString, QString>> m_query;
    QList<QPair<QString, QString>> m_fingerprint;
    QStringList m_hiddenMcp;
};
