// SPDX-License-Identifier: MIT
#include "RequestRecord.h"

using namespace Qt::StringLiterals;

QString RequestRecord::toLogLine() const
{
    // Appended piece by piece: one line per request, and QString::arg would parse every pattern.
    QString line;
    line.reserve(160 + path.size() + error.size());
    line += method;
    line += u' ';
    line += path;
    line += u' ';
    line += QString::number(status);
    line += u' ';
    line += QString::number(latencyMs);
    line += u"ms";
    if (!dialect.isEmpty()) {
        line += u" dialect=";
        line += dialect;
    }
    if (!clientModel.isEmpty()) {
        line += u" model=";
        line += clientModel;
        line += u" upstream=";
        line += upstreamModel;
    }
    if (stream) {
        line += u" stream first_byte=";
        line += QString::number(firstByteMs);
        line += u"ms";
    }
    if (promptTokens || completionTokens) {
        line += u" tokens=";
        line += QString::number(promptTokens);
        line += u'+';
        line += QString::number(completionTokens);
    }
    if (attempts) {
        line += u" attempts=";
        line += QString::number(attempts);
    }
    if (!error.isEmpty()) {
        line += u" error=\"";
        line += error;
        line += u'"';
    }
    return line;
}
