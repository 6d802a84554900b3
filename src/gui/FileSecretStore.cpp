// SPDX-License-Identifier: MIT
#include "FileSecretStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>

FileSecretStore::FileSecretStore(const QString &path, QObject *parent)
    : SecretStore(parent), m_path(path)
{
}

bool FileSecretStore::load(QString *error)
{
    if (m_loaded)
        return true;
    QFile file(m_path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("Cannot read %1: %2").arg(m_path, file.errorString());
            return false;
        }
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        for (auto it = json.begin(); it != json.end(); ++it)
            m_values.insert(it.key(), it.value().toString());
    }
    m_loaded = true;
    return true;
}

bool FileSecretStore::save(QString *error)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QJsonObject json;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        json.insert(it.key(), it.value());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    // Owner-only before the first secret byte is written.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(json).toJson());
    if (!file.commit()) {
        *error = tr("Cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

void FileSecretStore::answer(QObject *context, Callback callback, Result result)
{
    const QPointer<QObject> guard(context);
    QTimer::singleShot(0, this, [guard, callback = std::move(callback), result] {
        if (guard && callback)
            callback(result);
    });
}

void FileSecretStore::read(const QString &key, QObject *context, Callback callback)
{
    Result result;
    if (!load(&result.error))
        result.status = Status::Failed;
    else if (!m_values.contains(key))
        result.status = Status::NotFound;
    else
        result.value = m_values.value(key);
    answer(context, std::move(callback), result);
}

void FileSecretStore::write(const QString &key, const QString &value, QObject *context,
                            Callback callback)
{
    Result result;
    if (load(&result.error)) {
        m_values.insert(key, value);
        if (!save(&result.error))
            result.status = Status::Failed;
    } else {
        result.status = Status::Failed;
    }
    answer(context, std::move(callback), result);
}

void FileSecretStore::remove(const QString &key, QObject *context, Callback callback)
{
    Result result;
    if (load(&result.error)) {
        m_values.remove(key);
        if (!save(&result.error))
            result.status = Status::Failed;
    } else {
        result.status = Status::Failed;
    }
    answer(context, std::move(callback), result);
}

QString FileSecretStore::backendName() const
{
    return tr("file readable only by you (%1)").arg(QDir::toNativeSeparators(m_path));
}
