// SPDX-License-Identifier: MIT
#include "SessionSecretStore.h"

SessionSecretStore::SessionSecretStore(const QString &filePath, const QStringList &fileKeys,
                                       QObject *parent)
    : SecretStore(parent), m_file(filePath), m_fileKeys(fileKeys)
{
}

SecretStore &SessionSecretStore::storeFor(const QString &key)
{
    if (m_fileKeys.contains(key))
        return m_file;
    return m_memory;
}

void SessionSecretStore::read(const QString &key, QObject *context, Callback callback)
{
    storeFor(key).read(key, context, std::move(callback));
}

void SessionSecretStore::write(const QString &key, const QString &value, QObject *context,
                               Callback callback)
{
    storeFor(key).write(key, value, context, std::move(callback));
}

void SessionSecretStore::remove(const QString &key, QObject *context, Callback callback)
{
    storeFor(key).remove(key, context, std::move(callback));
}

QString SessionSecretStore::backendName() const
{
    return tr("memory for this session (Z.AI tokens); the API key in a file only your user can "
              "read (%1)")
        .arg(m_file.path());
}
