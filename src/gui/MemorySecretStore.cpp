// SPDX-License-Identifier: MIT
#include "MemorySecretStore.h"

#include <QPointer>
#include <QTimer>

void MemorySecretStore::answer(QObject *context, Callback callback, Result result)
{
    if (m_failure != Status::Ok) {
        result = {m_failure, {}, tr("The test keychain is unavailable.")};
    }
    const QPointer<QObject> guard(context);
    QTimer::singleShot(0, this, [guard, callback = std::move(callback), result] {
        if (guard && callback)
            callback(result);
    });
}

SecretStore::Result MemorySecretStore::refusedWrite() const
{
    // Worded like the Secret Service's own refusals, which are not for a user's eyes.
    return {m_writeFailure, {}, QStringLiteral("org.freedesktop.Secret.Error.IsLocked: the test "
                                               "collection refused the write")};
}

void MemorySecretStore::read(const QString &key, QObject *context, Callback callback)
{
    Result result;
    if (m_values.contains(key))
        result.value = m_values.value(key);
    else
        result.status = Status::NotFound;
    answer(context, std::move(callback), result);
}

void MemorySecretStore::write(const QString &key, const QString &value, QObject *context,
                              Callback callback)
{
    if (m_writeFailure != Status::Ok) {
        answer(context, std::move(callback), refusedWrite());
        return;
    }
    if (m_failure == Status::Ok)
        m_values.insert(key, value);
    answer(context, std::move(callback), {});
}

void MemorySecretStore::remove(const QString &key, QObject *context, Callback callback)
{
    if (m_writeFailure != Status::Ok) {
        answer(context, std::move(callback), refusedWrite());
        return;
    }
    if (m_failure == Status::Ok)
        m_values.remove(key);
    answer(context, std::move(callback), {});
}

QString MemorySecretStore::backendName() const
{
    return tr("memory (not saved)");
}
