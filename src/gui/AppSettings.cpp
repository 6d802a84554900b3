// SPDX-License-Identifier: MIT
#include "AppSettings.h"


#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

QString AppSettings::listenHost() const
{
    return lanAccess ? u"0.0.0.0"_s : u"127.0.0.1"_s;
}

BridgeConfig AppSettings::toBridgeConfig() const
{
    BridgeConfig c;
    c.listenHost = listenHost();
    c.listenPort = port;
    c.apiKey = apiKey;
    c.corsOrigins = corsOrigins;
    c.debugLogging = detailedLogging;
    c.endpoint = endpoint.trimmed();
    for (const TokenEntry &t : tokens) {
        if (!t.token.trimmed().isEmpty())
            c.tokens.append(t.token.trimmed());
    }
    c.anonymous = guestMode;
    if (!signingSecret.trimmed().isEmpty())
        c.signingSecret = ConfigLoader::decodeSigningSecret(signingSecret.trimmed());
    c.feVersion = feVersion.trimmed();
    if (!c.feVersion.isEmpty() && !c.feVersion.startsWith(u"prod-fe-"_s))
        c.feVersion.prepend(u"prod-fe-"_s);
    c.deviceId = deviceId;
    c.maxRetries = maxRetries;
    c.upstreamTimeoutMs = timeoutSeconds * 1000;
    switch (proxyMode) {
    case ProxyMode::System:
        break;
    case ProxyMode::None:
        c.noProxy = {u"*"_s};
        break;
    case ProxyMode::Manual:
        c.httpProxy = httpProxy;
        c.httpsProxy = httpsProxy.isValid() ? httpsProxy : httpProxy;
        break;
    }
    return c;
}

UpstreamProfile AppSettings::profile(const UpstreamProfile &base) const
{
    UpstreamProfile p = base;
    if (!models.isEmpty()) {
        QJsonArray array;
        for (const ModelEntry &m : models) {
            QJsonObject o{{u"id"_s, m.id},
                          {u"upstream"_s, m.upstreamId},
                          {u"thinking"_s, m.thinking},
                          {u"search"_s, m.search},
                          {u"vision"_s, m.vision},
                          {u"persisted"_s, m.persisted},
                          {u"previewMode"_s, m.previewMode}};
            if (!m.mcpServers.isEmpty())
                o.insert(u"mcpServers"_s, QJsonArray::fromStringList(m.mcpServers));
            array.append(o);
        }
        QString error;
        if (auto catalogue = ModelCatalogue::fromJson(array, &error))
            p.catalogue() = *catalogue;
    }
    return p;
}

QString AppSettings::proxyWithoutPassword(const QUrl &proxy)
{
    return proxy.adjusted(QUrl::RemovePassword).toString();
}

QStringList AppSettings::secrets() const
{
    QStringList list;
    if (!apiKey.isEmpty())
        list.append(apiKey);
    for (const TokenEntry &t : tokens)
        list.append(t.token);
    for (const QUrl &proxy : {httpProxy, httpsProxy}) {
        if (!proxy.password().isEmpty())
            list.append(proxy.password());
    }
    return list;
}

void AppSettings::importFrom(const BridgeConfig &config, const QStringList &present)
{
    const auto has = [&](const char *name) {
        return present.contains(QLatin1StringView(name));
    };
    if (has("LISTEN_PORT"))
        port = config.listenPort;
    if (has("LISTEN_HOST"))
        lanAccess = !config.isLoopbackHost();
    if (has("AUTH_TOKEN") && !config.apiKey.isEmpty())
        apiKey = config.apiKey;
    if (has("CORS_ALLOWED_ORIGINS"))
        corsOrigins = config.corsOrigins;
    for (const QString &token : config.tokens) {
        const bool known = std::any_of(tokens.cbegin(), tokens.cend(),
                                       [&](const TokenEntry &t) { return t.token == token; });
        if (!known)
            tokens.append({QString(), token});
    }
    if (has("ANONYMOUS_MODE"))
        guestMode = config.anonymous;
    if (has("API_ENDPOINT"))
        endpoint = config.endpoint;
    if (has("ZAI_FE_VERSION"))
        feVersion = config.feVersion;
    if (has("ZAI_DEVICE_ID") && !config.deviceId.isEmpty())
        deviceId = config.deviceId;
    if (has("MAX_RETRIES"))
        maxRetries = config.maxRetries;
    if (has("UPSTREAM_TIMEOUT"))
        timeoutSeconds = config.upstreamTimeoutMs / 1000;
    if (has("DEBUG_LOGGING"))
        detailedLogging = config.debugLogging;
    if (config.httpProxy.isValid() || config.httpsProxy.isValid()) {
        proxyMode = ProxyMode::Manual;
        httpProxy = config.httpProxy;
        httpsProxy = config.httpsProxy;
    }
}

QString AppSettings::generateApiKey()
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString key = u"sk-zb-"_s;
    for (int i = 0; i < 40; ++i)
        key.append(
            QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet) - 1)]));
    return key;
}

QString AppSettings::generateDeviceId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool AppSettings::sameModels(const QList<ModelEntry> &a, const QList<ModelEntry> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const ModelEntry &x = a.at(i);
        const ModelEntry &y = b.at(i);
        if (x.id != y.id || x.upstreamId != y.upstreamId || x.thinking != y.thinking ||
            x.search != y.search || x.vision != y.vision || x.persisted != y.persisted ||
            x.previewMode != y.previewMode || x.mcpServers != y.mcpServers)
            return false;
    }
    return true;
}

bool AppSettings::operator==(const AppSettings &o) const
{
    return lanAccess == o.lanAccess && port == o.port && apiKey == o.apiKey &&
           corsOrigins == o.corsOrigins && tokens == o.tokens && guestMode == o.guestMode &&
           endpoint == o.endpoint && signingSecret == o.signingSecret && feVersion == o.feVersion &&
           deviceId == o.deviceId &&
           sameModels(models, o.models) && proxyMode == o.proxyMode && httpProxy == o.httpProxy &&
           httpsProxy == o.httpsProxy && timeoutSeconds == o.timeoutSeconds &&
           maxRetries == o.maxRetries && detailedLogging == o.detailedLogging &&
           language == o.language && startServerAtLaunch == o.startServerAtLaunch;
}
