// SPDX-License-Identifier: MIT
#include "LogCapture.h"

#include "util/Redact.h"

#include <QDateTime>
#include <QMetaObject>
#include <QMutex>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace {
QtMessageHandler g_previous = nullptr;
LogCapture *g_capture = nullptr;
QMutex g_mutex;
} // namespace

LogCapture::LogCapture(QObject *parent) : QObject(parent)
{
    const QMutexLocker lock(&g_mutex);
    g_capture = this;
    g_previous = qInstallMessageHandler(&LogCapture::handler);
}

LogCapture::~LogCapture()
{
    const QMutexLocker lock(&g_mutex);
    qInstallMessageHandler(g_previous);
    g_capture = nullptr;
}

void LogCapture::setSecrets(const QStringList &secrets)
{
    const QMutexLocker lock(&g_mutex);
    m_secrets = secrets;
}

void LogCapture::handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QtMessageHandler previous = nullptr;
    QPointer<LogCapture> capture;
    QString text;
    {
        const QMutexLocker lock(&g_mutex);
        previous = g_previous;
        if (g_capture && g_capture->m_enabled && context.category &&
            qstrncmp(context.category, "zaibridge.", 10) == 0) {
            capture = g_capture;
            text = QDateTime::currentDateTime().toString(u"HH:mm:ss.zzz "_s) +
                   QString::fromLatin1(context.category) + u": "_s +
                   Redact::text(message, g_capture->m_secrets);
        }
    }
    // Outside the lock: posting the event may itself log.
    if (capture) {
        QMetaObject::invokeMethod(
            capture.data(),
            [capture, text] {
                if (capture)
                    Q_EMIT capture->line(text);
            },
            Qt::QueuedConnection);
    }
    if (previous)
        previous(type, context, message);
}
