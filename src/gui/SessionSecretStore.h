// SPDX-License-Identifier: MIT
#pragma once

#include "FileSecretStore.h"
#include "MemorySecretStore.h"

#include <QStringList>

// The user's "memory only" choice when the keychain refuses: the Z.AI tokens and the proxy
// passwords live in memory for this session; the entries named in `fileKeys` (the API key, which
// only the user's own clients know and which they keep configured) go to the owner-only file, so
// that those clients still work after a restart.
class SessionSecretStore : public SecretStore
{
    Q_OBJECT
public:
    SessionSecretStore(const QString &filePath, const QStringList &fileKeys,
                       QObject *parent = nullptr);

    void read(const QString &key, QObject *context, Callback callback) override;
    void write(const QString &key, const QString &value, QObject *context,
               Callback callback) override;
    void remove(const QString &key, QObject *context, Callback callback) override;
    QString backendName() const override;
    bool persists() const override { return false; }

private:
    SecretStore &storeFor(const QString &key);

    FileSecretStore m_file;
    MemorySecretStore m_memory;
    QStringList m_fileKeys;
};
