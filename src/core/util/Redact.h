// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

// Removes secrets from text bound for a log line or an error message: the known secrets
// verbatim, and anything shaped like a JWT, a Bearer credential or a 64-hex signature.
namespace Redact {
QString text(QString text, const QStringList &secrets = {});
QString bytes(const QByteArray &bytes, const QStringList &secrets = {});
} // namespace Redact
