// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

// One instance per user: the first one listens on a per-user local socket; a later launch finds
// it, asks it to come to the front and quits.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &name, QObject *parent = nullptr);

    // true: this is the first instance (now listening). false: another one was told to activate.
    bool claim();
    static QString defaultName();

Q_SIGNALS:
    void activationRequested();

private:
    QString m_name;
    QLocalServer *m_server = nullptr;
};
