// SPDX-License-Identifier: MIT
#pragma once

#include "config/BridgeConfig.h"
#include "zai/ModelCatalogue.h"
#include "zai/UpstreamProfile.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

// One Z.AI account token and the name the user gave it. The token is a secret.
struct TokenEntry
{
    QString label;
    QString token;
    bool operator==(const TokenEntry &o) const { return label == o.label && token == o.token; }
};

// Everything the tray app lets the user set, as plain values with defaults. The non-secret part
// lives in QSettings, the secrets (apiKey, tokens, the proxies' passwords) in the SecretStore;
// SettingsStore knows where.
struct AppSettings
{
    enum class ProxyMode { System, None, Manual };
    enum class Language { System, English, SimplifiedChinese };

    // Server
    bool lanAccess = false; // listen on every interface (then an API key is required)
    quint16 port = 8080;
    QString apiKey; // secret; generated on first run
    QStringList corsOrigins = {QStringLiteral("*")};
    // Z.AI
    QList<TokenEntry> tokens; // secrets
    bool guestMode = true;    // guest accounts when no token is set
    QString endpoint;         // empty: the profile's
    QString signingSecret;    // empty: the profile's (not a user secret: it is public)
    QString feVersion;        // empty: detected
    QString deviceId;         // X-Device-Id: made on the first run, then kept (not a secret)
    // Models; empty: the built-in catalogue
    QList<ModelEntry> models;
    // Network
    ProxyMode proxyMode = ProxyMode::System;
    QUrl httpProxy;  // its password is a secret
    QUrl httpsProxy; // its password is a secret
    int timeoutSeconds = 120;
    int maxRetries = 3;
    // Advanced and desktop
    bool detailedLogging = false;
    Language language = Language::System;
    bool startServerAtLaunch = true;

    QString listenHost() const;
    BridgeConfig toBridgeConfig() const;
    // The built-in (or given) profile with this catalogue applied.
    UpstreamProfile profile(const UpstreamProfile &base) const;
    QStringList secrets() const; // for Redact
    // A proxy URL as it is kept and shown outside the secret store: without its password.
    static QString proxyWithoutPassword(const QUrl &proxy);

    // Takes what a .env file of the original project sets; tokens become unlabelled entries.
    void importFrom(const BridgeConfig &config, const QStringList &presentVariables);

    static QString generateApiKey();
    static QString generateDeviceId(); // a random UUID
    static bool sameModels(const QList<ModelEntry> &a, const QList<ModelEntry> &b);

    bool operator==(const AppSettings &o) const;
    bool operator!=(const AppSettings &o) const { return !(*this == o); }
};
Q_DECLARE_METATYPE(AppSettings)
