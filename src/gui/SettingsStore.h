// SPDX-License-Identifier: MIT
#pragma once

#include "AppSettings.h"
#include "SecretStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

class QSettings;

// Requests and tokens served per client model, kept across restarts.
struct ModelTotals
{
    qint64 requests = 0;
    qint64 failures = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
};

// The one place that knows the settings keys: the non-secret part of AppSettings in QSettings
// (versioned, enums as strings), the secrets through a SecretStore. Secrets never touch QSettings.
class SettingsStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int Version = 1;
    static inline const QString ApiKeyName = QStringLiteral("api-key");
    static inline const QString TokensName = QStringLiteral("zai-tokens");
    // The passwords of the manual proxies, {"http": "…", "https": "…"}; the plain settings keep
    // the proxy URLs without them.
    static inline const QString ProxyPasswordsName = QStringLiteral("proxy-passwords");

    SettingsStore(QSettings *settings, SecretStore *secrets, QObject *parent = nullptr);

    SecretStore *secretStore() const { return m_secrets; }
    void setSecretStore(SecretStore *secrets) { m_secrets = secrets; }

    AppSettings loadPlain() const; // the secrets are left empty
    void savePlain(const AppSettings &settings);

    using LoadCallback =
        std::function<void(const AppSettings &settings, const SecretStore::Result &worst)>;
    using SaveCallback = std::function<void(const SecretStore::Result &worst)>;
    // Reads the secrets into `plain` and calls back once; `worst` is the first read that failed
    // (NotFound is not a failure), or Ok.
    void loadSecrets(AppSettings plain, QObject *context, LoadCallback callback);
    void saveSecrets(const AppSettings &settings, QObject *context, SaveCallback callback);

    // The user's decision about the file fallback: "" (not asked), "file", "memory".
    QString secretFallback() const;
    void setSecretFallback(const QString &choice);

    QHash<QString, ModelTotals> loadTotals() const;
    void saveTotals(const QHash<QString, ModelTotals> &totals);

    // Remembers windows and such for the widgets.
    QVariant uiValue(const QString &key, const QVariant &fallback = {}) const;
    void setUiValue(const QString &key, const QVariant &value);

private:
    // Takes the proxy passwords out of the URLs in the settings file (left there by a version
    // that kept them in the file); touches nothing else.
    void stripProxyPasswords();
    // Writes the secret `name`, or removes it when `value` is empty.
    void storeSecret(const QString &name, const QString &value, QObject *context,
                     SecretStore::Callback done);

    QSettings *m_settings;
    QPointer<SecretStore> m_secrets;
};
