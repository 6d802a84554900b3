// SPDX-License-Identifier: MIT
#include "KeychainSecretStore.h"

#include <QPointer>

#include <qt6keychain/keychain.h>

namespace {

SecretStore::Result resultOf(const QKeychain::Job *job)
{
    SecretStore::Result result;
    switch (job->error()) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        result.status = SecretStore::Status::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.status = SecretStore::Status::NoBackend;
        break;
    default:
        // QtKeychain 0.13 reports a missing libsecret, session bus or Secret Service as
        // OtherError ("Unknown error"): the caller treats both alike and asks the user.
        result.status = job->error() == QKeychain::OtherError ? SecretStore::Status::NoBackend
                                                              : SecretStore::Status::Failed;
        break;
    }
    if (result.status != SecretStore::Status::Ok && result.status != SecretStore::Status::NotFound)
        result.error = job->errorString();
    return result;
}

template <typename JobT>
void finishWith(JobT *job, QObject *context, SecretStore::Callback callback,
                std::function<void(SecretStore::Result &, JobT *)> extra = {})
{
    const QPointer<QObject> guard(context);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [guard, callback = std::move(callback), extra, job] {
                         SecretStore::Result result = resultOf(job);
                         if (extra && result.status == SecretStore::Status::Ok)
                             extra(result, job);
                         if (guard && callback)
                             callback(result);
                     });
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent), m_service(service)
{
}

void KeychainSecretStore::read(const QString &key, QObject *context, Callback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    finishWith<QKeychain::ReadPasswordJob>(
        job, context, std::move(callback),
        [](SecretStore::Result &result, QKeychain::ReadPasswordJob *j) {
            result.value = j->textData();
        });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &value, QObject *context,
                                Callback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(value);
    finishWith<QKeychain::WritePasswordJob>(job, context, std::move(callback));
    job->start();
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Callback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    const QPointer<QObject> guard(context);
    QObject::connect(job, &QKeychain::Job::finished, job, [guard, callback, job] {
        SecretStore::Result result = resultOf(job);
        if (result.status == SecretStore::Status::NotFound)
            result.status = SecretStore::Status::Ok; // already gone is what was asked for
        if (guard && callback)
            callback(result);
    });
    job->start();
}

QString KeychainSecretStore::backendName() const
{
#if defined(Q_OS_WIN)
    return tr("Windows Credential Manager");
#elif defined(Q_OS_MACOS)
    return tr("macOS Keychain");
#else
    return tr("Secret Service (GNOME Keyring, KWallet)");
#endif
}
