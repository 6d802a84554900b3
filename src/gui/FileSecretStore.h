// SPDX-License-Identifier: MIT
#pragma once

#include "SecretStore.h"

#include <QHash>

// The fallback the user agreed to when no keychain exists: a JSON file readable only by its
// owner (0600 on Unix), written atomically. Not encrypted; the settings dialog says so.
class FileSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit FileSecretStore(const QString &path, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, Callback callback) override;
    void write(const QString &key, const QString &value, QObject *context,
               Callback callback) override;
    void remove(const QString &key, QObject *context, Callback callback) override;
    QString backendName() const override;

    QString path() const { return m_path; }

private:
    bool load(QString *error);
    bool save(QString *error);
    void answer(QObject *context, Callback callback, Result result);

    QString m_path;
    QHash<QString, QString> m_values;
    bool m_loaded = false;
};
