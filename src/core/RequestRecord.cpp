// SPDX-License-Identifier: MIT
#include "RequestRecord.h"

using namespace Qt::StringLiterals;

QString RequestRecord::toLogLine() const
{
    QString line = u"%1 %2 %3 %4ms"_s.arg(method, path).arg(status).arg(latencyMs);
    if (!clientModel.isEmpty())
        line += u" model=%1 upstream=%2"_s.arg(clientModel, upstreamModel);
    if (stream)
        line += u" stream first_byte=%1ms"_s.arg(firstByteMs);
    if (promptTokens || completionTokens)
        line += u" tokens=%1+%2"_s.arg(promptTokens).arg(completionTokens);
    if (attempts)
        line += u" attempts=%1"_s.arg(attempts);
    if (!error.isEmpty())
        line += u" error=\"%1\""_s.arg(error);
    return line;
}
