// SPDX-License-Identifier: MIT
#include "UpstreamProfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonObject readJsonObject(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"%1 is not a JSON object: %2 at offset %3"_s.arg(path, parseError.errorString())
                     .arg(parseError.offset);
        return {};
    }
    return doc.object();
}

QJsonObject merge(QJsonObject base, const QJsonObject &over)
{
    for (auto it = over.begin(); it != over.end(); ++it) {
        const QJsonValue current = base.value(it.key());
        if (current.isObject() && it.value().isObject())
            base.insert(it.key(), merge(current.toObject(), it.value().toObject()));
        else
            base.insert(it.key(), it.value());
    }
    return base;
}

QJsonArray mergeModels(QJsonArray models, const QJsonArray &extra)
{
    for (const QJsonValue &value : extra) {
        const QString id = value.toObject().value(u"id"_s).toString();
        bool replaced = false;
        for (qsizetype i = 0; i < models.size(); ++i) {
            if (models.at(i).toObject().value(u"id"_s).toString().compare(id, Qt::CaseInsensitive)
                == 0) {
                models.replace(i, value);
                replaced = true;
            }
        }
        if (!replaced)
            models.append(value);
    }
    return models;
}

// The profile's headers with {{DEVICE_ID}} filled in; without a device id such headers are left
// out rather than sent with the placeholder.
QList<QPair<QByteArray, QByteArray>> headersFor(const QJsonObject &headers, const QString &deviceId)
{
    static const QString placeholder = u"{{DEVICE_ID}}"_s;
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        QString value = it.value().toString();
        if (value.contains(placeholder)) {
            if (deviceId.isEmpty())
                continue;
            value.replace(placeholder, deviceId);
        }
        pairs.append({it.key().toUtf8(), value.toUtf8()});
    }
    return pairs;
}

template<typename T>
QList<QPair<T, T>> pairsOf(const QJsonObject &object)
{
    QList<QPair<T, T>> pairs;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if constexpr (std::is_same_v<T, QByteArray>)
            pairs.append({it.key().toUtf8(), it.value().toString().toUtf8()});
        else
            pairs.append({it.key(), it.value().toString()});
    }
    return pairs;
}

} // namespace

UpstreamProfile UpstreamProfile::builtIn()
{
    QString error;
    const QJsonObject json = readJsonObject(u":/zaibridge/upstream-profile.json"_s, &error);
    auto profile = fromJson(json, &error);
    Q_ASSERT_X(profile, "UpstreamProfile::builtIn", qPrintable(error));
    return profile ? *profile : UpstreamProfile();
}

std::optional<UpstreamProfile> UpstreamProfile::load(const QString &overridePath, QString *error)
{
    UpstreamProfile base = builtIn();
    if (overridePath.isEmpty())
        return base;
    const QJsonObject user = readJsonObject(overridePath, error);
    if (!error->isEmpty())
        return std::nullopt;
    QJsonObject merged = merge(base.m_json, user);
    if (user.contains(u"extraModels"_s)) {
        merged.insert(u"models"_s, mergeModels(merged.value(u"models"_s).toArray(),
                                               user.value(u"extraModels"_s).toArray()));
        merged.remove(u"extraModels"_s);
    }
    auto profile = fromJson(merged, error);
    if (!profile)
        error->prepend(overridePath + u": "_s);
    return profile;
}

namespace {

UpstreamProfile::Captcha captchaOf(const QJsonObject &c)
{
    UpstreamProfile::Captcha captcha;
    captcha.required = c.value(u"required"_s).toBool(true);
    captcha.field = c.value(u"field"_s).toString(u"captcha_verify_param"_s);
    captcha.waitSeconds = qBound(1, c.value(u"waitSeconds"_s).toInt(120), 3600);
    captcha.reuseSeconds = qBound(0, c.value(u"reuseSeconds"_s).toInt(0), 3600);
    captcha.region = c.value(u"region"_s).toString(u"sgp"_s);
    captcha.prefix = c.value(u"prefix"_s).toString(u"no8xfe"_s);
    captcha.sceneId = c.value(u"sceneId"_s).toString(u"didk33e0"_s);
    captcha.scriptUrl = c.value(u"scriptUrl"_s).toString(
        u"https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js"_s);
    return captcha;
}

} // namespace

std::optional<UpstreamProfile> UpstreamProfile::fromJson(const QJsonObject &json, QString *error)
{
    UpstreamProfile profile;
    profile.m_json = json;
    auto catalogue = ModelCatalogue::fromJson(json.value(u"models"_s).toArray(), error);
    if (!catalogue)
        return std::nullopt;
    if (catalogue->entries().isEmpty()) {
        *error = u"the profile lists no models"_s;
        return std::nullopt;
    }
    profile.m_catalogue = *catalogue;
    const QString mode =
        json.value(u"messages"_s).toObject().value(u"mode"_s).toString(u"user-only"_s);
    if (mode == u"user-only") {
        profile.m_messagesMode = MessagesMode::UserOnly;
    } else if (mode == u"roles") {
        profile.m_messagesMode = MessagesMode::Roles;
    } else {
        *error = u"\"messages.mode\" must be \"user-only\" or \"roles\" (got \"%1\")"_s.arg(mode);
        return std::nullopt;
    }
    profile.m_headers = headersFor(json.value(u"headers"_s).toObject(), {});
    profile.m_captcha = captchaOf(json.value(u"captcha"_s).toObject());
    profile.m_query = pairsOf<QString>(json.value(u"query"_s).toObject());
    profile.m_fingerprint = pairsOf<QString>(json.value(u"fingerprint"_s).toObject());
    for (const QJsonValue &v : json.value(u"hiddenMcpFeatures"_s).toArray())
        profile.m_hiddenMcp.append(v.toString());
    return profile;
}

void UpstreamProfile::setDeviceId(const QString &deviceId)
{
    m_deviceId = deviceId;
    m_headers = headersFor(m_json.value(u"headers"_s).toObject(), deviceId);
}

QString UpstreamProfile::messagesPreamble() const
{
    return m_json.value(u"messages"_s).toObject().value(u"preamble"_s).toString(
        u"This chat takes user messages only, so the conversation is written out as labelled "
        u"messages: \"System:\" holds the instructions to follow, \"User:\" is the user, "
        u"\"Assistant:\" is what you answered before, \"Tool results:\" returns the output of "
        u"tools you called. Reply to the last message as the assistant, without a label."_s);
}

QString UpstreamProfile::messageLabel(Message::Role role) const
{
    const QJsonObject labels = m_json.value(u"messages"_s).toObject().value(u"labels"_s).toObject();
    switch (role) {
    case Message::Role::System: return labels.value(u"system"_s).toString(u"System:"_s);
    case Message::Role::User: return labels.value(u"user"_s).toString(u"User:"_s);
    case Message::Role::Assistant: return labels.value(u"assistant"_s).toString(u"Assistant:"_s);
    case Message::Role::Tool: break;
    }
    return labels.value(u"tool"_s).toString(u"Tool results:"_s);
}

int UpstreamProfile::modelsRefreshSeconds() const
{
    return qMax(0, m_json.value(u"modelsRefreshSeconds"_s).toInt(1800));
}

QString UpstreamProfile::listedModelsPrefix() const
{
    return m_json.value(u"listedModels"_s).toObject().value(u"idPrefix"_s).toString(u"glm"_s);
}

bool UpstreamProfile::listedModelsPersisted() const
{
    return m_json.value(u"listedModels"_s).toObject().value(u"persisted"_s).toBool(false);
}

bool UpstreamProfile::listedModelsPreviewMode() const
{
    return m_json.value(u"listedModels"_s).toObject().value(u"previewMode"_s).toBool(true);
}

QString UpstreamProfile::endpoint() const
{
    return m_json.value(u"endpoint"_s).toString();
}

QString UpstreamProfile::path(const QString &name) const
{
    return m_json.value(u"paths"_s).toObject().value(name).toString();
}

QString UpstreamProfile::completionsPath() const
{
    return m_json.value(u"completionsPath"_s).toString(u"/api/v2/chat/completions"_s);
}

QString UpstreamProfile::legacyCompletionsPath() const
{
    return m_json.value(u"legacyCompletionsPath"_s).toString(u"/api/chat/completions"_s);
}

QByteArray UpstreamProfile::signingSecret() const
{
    return m_json.value(u"signingSecret"_s).toString().toUtf8();
}

QString UpstreamProfile::feVersionFallback() const
{
    return m_json.value(u"feVersionFallback"_s).toString();
}

QString UpstreamProfile::feVersionPattern() const
{
    return m_json.value(u"feVersionPattern"_s).toString(u"prod-fe-(\\d+)\\.(\\d+)\\.(\\d+)"_s);
}

int UpstreamProfile::feVersionCacheSeconds() const
{
    return m_json.value(u"feVersionCacheSeconds"_s).toInt(1800);
}

int UpstreamProfile::guestPoolSize() const
{
    return qMax(1, m_json.value(u"guestPoolSize"_s).toInt(3));
}

int UpstreamProfile::guestLifetimeSeconds() const
{
    return m_json.value(u"guestLifetimeSeconds"_s).toInt(480);
}

int UpstreamProfile::tokenFailureThreshold() const
{
    return qMax(1, m_json.value(u"tokenFailureThreshold"_s).toInt(3));
}

int UpstreamProfile::tokenRecoverySeconds() const
{
    return m_json.value(u"tokenRecoverySeconds"_s).toInt(1800);
}

QJsonObject UpstreamProfile::variables() const
{
    return m_json.value(u"variables"_s).toObject();
}

QString UpstreamProfile::fileContentPath(const QString &fileId) const
{
    QString path = m_json.value(u"paths"_s).toObject().value(u"fileContent"_s).toString(
        u"/api/v1/files/{id}/content"_s);
    return path.replace(u"{id}"_s, fileId);
}

QString UpstreamProfile::imagePartUrl(const QString &fileId, const QString &filename) const
{
    QString url = m_json.value(u"images"_s).toObject().value(u"partUrl"_s).toString(u"{id}"_s);
    return url.replace(u"{id}"_s, fileId).replace(u"{filename}"_s, filename);
}


int UpstreamProfile::imageCacheSeconds() const
{
    return qMax(0, m_json.value(u"images"_s).toObject().value(u"cacheSeconds"_s).toInt(3600));
}

int UpstreamProfile::imageCacheEntries() const
{
    return qMax(0, m_json.value(u"images"_s).toObject().value(u"cacheEntries"_s).toInt(256));
}
