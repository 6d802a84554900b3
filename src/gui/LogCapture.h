// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QStringList>

// Collects the bridge's own log lines (zaibridge.* categories) for the request log's detail pane
// while detailed logging is on; every line passes Redact with the current secrets first. Chains
// to the message handler that was installed before.
class LogCapture : public QObject
{
    Q_OBJECT
public:
    explicit LogCapture(QObject *parent = nullptr);
    ~LogCapture() override;

    void setSecrets(const QStringList &secrets);
    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }

Q_SIGNALS:
    void line(const QString &text); // queued: safe from any thread

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message);

    QStringList m_secrets;
    bool m_enabled = false;
};
