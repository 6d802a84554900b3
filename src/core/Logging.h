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
} // namespace Logging
