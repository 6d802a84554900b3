// SPDX-License-Identifier: MIT
#include "SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSettings>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QString proxyModeName(AppSettings::ProxyMode mode)
{
    switch (mode) {
    case AppSettings::ProxyMode::None:
        return u"none"_s;
    case AppSettings::ProxyMode::Manual:
        return u"manual"_s;
    case AppSettings::ProxyMode::System:
        break;
    }
    return u"system"_s;
}

AppSettings::ProxyMode proxyModeFrom(const QString &name)
{
    if (name == u"none")
        return AppSettings::ProxyMode::None;
    if (name == u"manual")
        return AppSettings::ProxyMode::Manual;
    return AppSettings::ProxyMode::System;
}

QString languageName(AppSettings::Language language)
{
    switch (language) {
    case AppSettings::Language::English:
        return u"en"_s;
    case AppSettings::Language::SimplifiedChinese:
        return u"zh_CN"_s;
    case AppSettings::Language::System:
        break;
    }
    return u"system"_s;
}

AppSettings::Language languageFrom(const QString &name)
{
    if (name == u"en")
        return AppSettings::Language::English;
    if (name == u"zh_CN")
        return AppSettings::Language::SimplifiedChinese;
    return AppSettings::Language::System;
}

QJsonArray modelsToJson(const QList<ModelEntry> &models)
{
    QJsonArray array;
    for (const ModelEntry &m : models) {
        array.append(QJsonObject{{u"id"_s, m.id},
                                 {u"upstream"_s, m.upstreamId},
                                 {u"env"_s, m.renameEnv},
                                 {u"thinking"_s, m.thinking},
                                 {u"search"_s, m.search},
                                 {u"vision"_s, m.vision},
                                 {u"persisted"_s, m.persisted},
                                 {u"previewMode"_s, m.previewMode},
                                 {u"mcpServers"_s, QJsonArray::fromStringList(m.mcpServers)}});
    }
    return array;
}

// The proxy passwords as SettingsStore::ProxyPasswordsName holds them; empty when there are none.
QString proxyPasswordsJson(const AppSettings &s)
{
    QJsonObject passwords;
    if (!s.httpProxy.password().isEmpty())
        passwords.insert(u"http"_s, s.httpProxy.password());
    if (!s.httpsProxy.password().isEmpty())
        passwords.insert(u"https"_s, s.httpsProxy.password());
    return passwords.isEmpty()
        ? QString()
        : QString::fromUtf8(QJsonDocument(passwords).toJson(QJsonDocument::Compact));
}

} // namespace

SettingsStore::SettingsStore(QSettings *settings, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_settings(settings), m_secrets(secrets)
{
}

AppSettings SettingsStore::loadPlain() const
{
    AppSettings s;
    QSettings &q = *m_settings;
    s.lanAccess = q.value(u"server/lanAccess"_s, s.lanAccess).toBool();
    s.port = quint16(q.value(u"server/port"_s, s.port).toUInt());
    if (q.contains(u"server/corsOrigins"_s))
        s.corsOrigins = q.value(u"server/corsOrigins"_s).toString().split(u',', Qt::SkipEmptyParts);
    s.guestMode = q.value(u"zai/guestMode"_s, s.guestMode).toBool();
    s.endpoint = q.value(u"zai/endpoint"_s).toString();
    s.signingSecret = q.value(u"zai/signingSecret"_s).toString();
    s.feVersion = q.value(u"zai/feVersion"_s).toString();
    s.deviceId = q.value(u"zai/deviceId"_s).toString();
    const QByteArray models = q.value(u"models/catalogue"_s).toByteArray();
    if (!models.isEmpty()) {
        QString error;
        if (auto catalogue =
                ModelCatalogue::fromJson(QJsonDocument::fromJson(models).array(), &error))
            s.models = catalogue->entries();
    }
    s.proxyMode = proxyModeFrom(q.value(u"network/proxyMode"_s).toString());
    s.httpProxy = QUrl(q.value(u"network/httpProxy"_s).toString());
    s.httpsProxy = QUrl(q.value(u"network/httpsProxy"_s).toString());
    s.timeoutSeconds = q.value(u"network/timeoutSeconds"_s, s.timeoutSeconds).toInt();
    s.maxRetries = q.value(u"network/maxRetries"_s, s.maxRetries).toInt();
    s.detailedLogging = q.value(u"advanced/detailedLogging"_s, s.detailedLogging).toBool();
    s.language = languageFrom(q.value(u"advanced/language"_s).toString());
    s.startServerAtLaunch =
        q.value(u"desktop/startServerAtLaunch"_s, s.startServerAtLaunch).toBool();
    return s;
}

void SettingsStore::savePlain(const AppSettings &s)
{
    QSettings &q = *m_settings;
    q.setValue(u"version"_s, Version);
    q.setValue(u"server/lanAccess"_s, s.lanAccess);
    q.setValue(u"server/port"_s, s.port);
    q.setValue(u"server/corsOrigins"_s, s.corsOrigins.join(u','));
    q.setValue(u"zai/guestMode"_s, s.guestMode);
    q.setValue(u"zai/endpoint"_s, s.endpoint);
    q.setValue(u"zai/signingSecret"_s, s.signingSecret);
    q.setValue(u"zai/feVersion"_s, s.feVersion);
    if (!s.deviceId.isEmpty()) // never replaced by nothing: a browser keeps its id too
        q.setValue(u"zai/deviceId"_s, s.deviceId);
    if (s.models.isEmpty())
        q.remove(u"models/catalogue"_s);
    else
        q.setValue(u"models/catalogue"_s,
                   QJsonDocument(modelsToJson(s.models)).toJson(QJsonDocument::Compact));
    q.setValue(u"network/proxyMode"_s, proxyModeName(s.proxyMode));
    q.setValue(u"network/httpProxy"_s, AppSettings::proxyWithoutPassword(s.httpProxy));
    q.setValue(u"network/httpsProxy"_s, AppSettings::proxyWithoutPassword(s.httpsProxy));
    q.setValue(u"network/timeoutSeconds"_s, s.timeoutSeconds);
    q.setValue(u"network/maxRetries"_s, s.maxRetries);
    q.setValue(u"advanced/detailedLogging"_s, s.detailedLogging);
    q.setValue(u"advanced/language"_s, languageName(s.language));
    q.setValue(u"desktop/startServerAtLaunch"_s, s.startServerAtLaunch);
    q.sync();
}

void SettingsStore::loadSecrets(AppSettings plain, QObject *context, LoadCallback callback)
{
    struct State
    {
        AppSettings settings;
        SecretStore::Result worst;
        int pending = 3;
        bool proxySecretFound = false;
    };
    auto state = std::make_shared<State>();
    // Proxy passwords a settings file of an earlier version still holds in its URLs.
    const QString inPlainFile = proxyPasswordsJson(plain);
    state->settings = std::move(plain);
    const QPointer<SettingsStore> self(this);
    // Once everything is read: the passwords of an earlier settings file move to the secret
    // store, and only then leave the file. Never into a store that forgets them at exit, and not
    // after a failed read (the user may pick another store, which must find them in the file).
    const auto finish = [self, context, state, callback, inPlainFile] {
        const bool move = !inPlainFile.isEmpty() && self && self->m_secrets
            && self->m_secrets->persists() && state->worst.status == SecretStore::Status::Ok;
        if (!move) {
            callback(state->settings, state->worst);
        } else if (state->proxySecretFound) {
            self->stripProxyPasswords();
            callback(state->settings, state->worst);
        } else {
            self->m_secrets->write(ProxyPasswordsName, inPlainFile, context,
                                   [self, state, callback](const SecretStore::Result &w) {
                                       if (w.status == SecretStore::Status::Ok && self)
                                           self->stripProxyPasswords();
                                       callback(state->settings, state->worst);
                                   });
        }
    };
    const auto done = [state, finish](const SecretStore::Result &r) {
        if (r.status != SecretStore::Status::Ok && r.status != SecretStore::Status::NotFound &&
            state->worst.status == SecretStore::Status::Ok)
            state->worst = {r.status, {}, r.error};
        if (--state->pending == 0)
            finish();
    };
    m_secrets->read(ApiKeyName, context, [state, done](const SecretStore::Result &r) {
        if (r.status == SecretStore::Status::Ok)
            state->settings.apiKey = r.value;
        done(r);
    });
    m_secrets->read(TokensName, context, [state, done](const SecretStore::Result &r) {
        if (r.status == SecretStore::Status::Ok) {
            const QJsonArray array = QJsonDocument::fromJson(r.value.toUtf8()).array();
            for (const QJsonValue &v : array) {
                const QJsonObject o = v.toObject();
                state->settings.tokens.append(
                    {o.value(u"label"_s).toString(), o.value(u"token"_s).toString()});
            }
        }
        done(r);
    });
    m_secrets->read(ProxyPasswordsName, context, [state, done](const SecretStore::Result &r) {
        if (r.status == SecretStore::Status::Ok) {
            state->proxySecretFound = true;
            const QJsonObject o = QJsonDocument::fromJson(r.value.toUtf8()).object();
            for (auto [key, url] : {std::pair{u"http"_s, &state->settings.httpProxy},
                                    std::pair{u"https"_s, &state->settings.httpsProxy}}) {
                const QString password = o.value(key).toString();
                if (!password.isEmpty() && url->isValid())
                    url->setPassword(password);
            }
        }
        done(r);
    });
}

void SettingsStore::stripProxyPasswords()
{
    QSettings &q = *m_settings;
    for (const QString &key : {u"network/httpProxy"_s, u"network/httpsProxy"_s}) {
        const QUrl url(q.value(key).toString());
        if (!url.password().isEmpty())
            q.setValue(key, AppSettings::proxyWithoutPassword(url));
    }
    q.sync();
}

void SettingsStore::storeSecret(const QString &name, const QString &value, QObject *context,
                                SecretStore::Callback done)
{
    if (value.isEmpty())
        m_secrets->remove(name, context, std::move(done));
    else
        m_secrets->write(name, value, context, std::move(done));
}

void SettingsStore::saveSecrets(const AppSettings &settings, QObject *context,
                                SaveCallback callback)
{
    auto worst = std::make_shared<SecretStore::Result>();
    auto pending = std::make_shared<int>(3);
    const auto done = [worst, pending, callback](const SecretStore::Result &r) {
        if (r.status != SecretStore::Status::Ok && worst->status == SecretStore::Status::Ok)
            *worst = r;
        if (--*pending == 0 && callback)
            callback(*worst);
    };
    storeSecret(ApiKeyName, settings.apiKey, context, done);
    QString tokens;
    if (!settings.tokens.isEmpty()) {
        QJsonArray array;
        for (const TokenEntry &t : settings.tokens)
            array.append(QJsonObject{{u"label"_s, t.label}, {u"token"_s, t.token}});
        tokens = QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    }
    storeSecret(TokensName, tokens, context, done);
    storeSecret(ProxyPasswordsName, proxyPasswordsJson(settings), context, done);
}

QString SettingsStore::secretFallback() const
{
    return m_settings->value(u"secrets/fallback"_s).toString();
}

void SettingsStore::setSecretFallback(const QString &choice)
{
    m_settings->setValue(u"secrets/fallback"_s, choice);
    m_settings->sync();
}

QHash<QString, ModelTotals> SettingsStore::loadTotals() const
{
    QHash<QString, ModelTotals> totals;
    const QJsonObject json =
        QJsonDocument::fromJson(m_settings->value(u"log/totals"_s).toByteArray()).object();
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        totals.insert(it.key(),
                      {o.value(u"requests"_s).toInteger(), o.value(u"failures"_s).toInteger(),
                       o.value(u"promptTokens"_s).toInteger(),
                       o.value(u"completionTokens"_s).toInteger()});
    }
    return totals;
}

void SettingsStore::saveTotals(const QHash<QString, ModelTotals> &totals)
{
    QJsonObject json;
    for (auto it = totals.cbegin(); it != totals.cend(); ++it) {
        json.insert(it.key(), QJsonObject{{u"requests"_s, it->requests},
                                          {u"failures"_s, it->failures},
                                          {u"promptTokens"_s, it->promptTokens},
                                          {u"completionTokens"_s, it->completionTokens}});
    }
    m_settings->setValue(u"log/totals"_s, QJsonDocument(json).toJson(QJsonDocument::Compact));
    m_settings->sync();
}

QVariant SettingsStore::uiValue(const QString &key, const QVariant &fallback) const
{
    return m_settings->value(u"ui/"_s + key, fallback);
}

void SettingsStore::setUiValue(const QString &key, const QVariant &value)
{
    m_settings->setValue(u"ui/"_s + key, value);
}
