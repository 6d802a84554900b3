// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// Categories: zaibridge.upstream (Z.AI calls), zaibridge.server (HTTP side), zaibridge.access (one
// line per request), zaibridge.config. Debug output of upstream/server is what DEBUG_LOGGING
// turns on. Nothing logged anywhere may contain a token, key or signature: see Redact.
Q_DECLARE_LOGGING_CATEGORY(lcUpstream)
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcAccess)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)

namespace Logging {
// Installs the message pattern and the debug switch for the zaibridge categories.
void setDebugEnabled(bool enabled);

// The line the headless server writes for a message, newline included:
// "2026-11-26T12:00:00.123 [warning |error ]category: message" in local time, the same as
// kPattern gives through Qt's handler.
inline constexpr char kPattern[] =
    "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning %{endif}%{if-critical}error "
    "%{endif}%{if-fatal}error %{endif}%{category}: %{message}";
QByteArray formatLine(QtMsgType type, const char *category, const QString &message,
                      qint64 msecsSinceEpoch);
// Writes every message to stderr as formatLine() has it, in one write() each: cheaper than Qt's
// handler with kPattern, which formats the time through QDateTime for every access-log line.
void installStderrHandler();
} // namespace Logging
