// SPDX-License-Identifier: MIT
#include "Logging.h"

Q_LOGGING_CATEGORY(lcUpstream, "zaibridge.upstream", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "zaibridge.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "zaibridge.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "zaibridge.config", QtInfoMsg)

void Logging::setDebugEnabled(bool enabled)
{
    QLoggingCategory::setFilterRules(enabled ? QStringLiteral("zaibridge.*.debug=true")
                                             : QStringLiteral("zaibridge.*.debug=false"));
}
