// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// Where the secrets (the API key and the Z.AI tokens) live. Every call answers through its
// callback on the event loop, never synchronously and never with a nested event loop; the
// callback is dropped if `context` is destroyed first. Error texts never contain a secret.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,  // nothing stored under that key (not an error for a first run)
        NoBackend, // no keychain service on this system
        Failed,    // the backend refused (locked, denied, ...)
    };
    struct Result
    {
        Status status = Status::Ok;
        QString value; // read only
        QString error; // for the user; empty when Ok or NotFound
    };
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, Callback callback) = 0;
    virtual void write(const QString &key, const QString &value, QObject *context,
                       Callback callback) = 0;
    virtual void remove(const QString &key, QObject *context, Callback callback) = 0;
    // Shown in Settings, e.g. "Secret Service" or "file (owner-only)".
    virtual QString backendName() const = 0;
    // Whether what is written is still there after a restart (not for the memory-only store).
    virtual bool persists() const { return true; }
};
