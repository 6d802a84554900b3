// SPDX-License-Identifier: MIT
#pragma once

#include "SecretStore.h"

// The OS keychain through QtKeychain: Windows Credential Manager, macOS Keychain, the Secret
// Service on Linux. Asynchronous jobs; never falls back to plain text on its own.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(const QString &service, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, Callback callback) override;
    void write(const QString &key, const QString &value, QObject *context,
               Callback callback) override;
    void remove(const QString &key, QObject *context, Callback callback) override;
    QString backendName() const override;

private:
    QString m_service;
};
