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
    if (m_failure == Status::Ok)
        m_values.insert(key, value);
    answer(context, std::move(callback), {});
}

void MemorySecretStore::remove(const QString &key, QObject *context, Callback callback)
{
    if (m_failure == Status::Ok)
        m_values.remove(key);
    answer(context, std::move(callback), {});
}

QString MemorySecretStore::backendName() const
{
    return tr("memory (not saved)");
}
