// SPDX-License-Identifier: MIT
#include "Logging.h"

#include <QDateTime>

#include <cstdio>
#include <ctime>

Q_LOGGING_CATEGORY(lcUpstream, "zaibridge.upstream", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "zaibridge.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "zaibridge.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "zaibridge.config", QtInfoMsg)

void Logging::setDebugEnabled(bool enabled)
{
    QLoggingCategory::setFilterRules(enabled ? QStringLiteral("zaibridge.*.debug=true")
                                             : QStringLiteral("zaibridge.*.debug=false"));
}

QByteArray Logging::formatLine(QtMsgType type, const char *category, const QString &message,
                               qint64 msecsSinceEpoch)
{
    const std::time_t seconds = std::time_t(msecsSinceEpoch / 1000);
    std::tm local{};
#ifdef Q_OS_WIN
    localtime_s(&local, &seconds);
#else
    localtime_r(&seconds, &local);
#endif
    char stamp[96]; // ample for any int the fields may hold
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03d ", local.tm_year + 1900,
                  local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                  int((msecsSinceEpoch % 1000 + 1000) % 1000));
    QByteArray line;
    line.reserve(64 + 3 * message.size());
    line += stamp;
    if (type == QtWarningMsg)
        line += "warning ";
    else if (type == QtCriticalMsg || type == QtFatalMsg)
        line += "error ";
    line += category ? category : "default";
    line += ": ";
    line += message.toUtf8();
    line += '\n';
    return line;
}

namespace {
void stderrHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray line = Logging::formatLine(type, context.category, message,
                                                QDateTime::currentMSecsSinceEpoch());
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}
} // namespace

void Logging::installStderrHandler()
{
    qSetMessagePattern(QString::fromLatin1(kPattern)); // what Qt would write in our stead
    qInstallMessageHandler(stderrHandler);
}
