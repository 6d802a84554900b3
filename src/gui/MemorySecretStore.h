// SPDX-License-Identifier: MIT
#pragma once

#include "SecretStore.h"

#include <QHash>

// Secrets in memory only: for tests, and for a session whose user declined every persistent store.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, Callback callback) override;
    void write(const QString &key, const QString &value, QObject *context,
               Callback callback) override;
    void remove(const QString &key, QObject *context, Callback callback) override;
    QString backendName() const override;
    bool persists() const override { return false; }

    // Test hook: every later call fails with this status (Ok restores normal service).
    void setFailure(Status status) { m_failure = status; }
    // Test hook: reads work, every later write and removal fails with this status (a keychain
    // that is there but refuses to store, e.g. a dismissed unlock prompt).
    void setWriteFailure(Status status) { m_writeFailure = status; }
    bool contains(const QString &key) const { return m_values.contains(key); }

private:
    void answer(QObject *context, Callback callback, Result result);
    Result refusedWrite() const;

    QHash<QString, QString> m_values;
    Status m_failure = Status::Ok;
    Status m_writeFailure = Status::Ok;
};
