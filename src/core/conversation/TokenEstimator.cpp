// SPDX-License-Identifier: MIT
#include "TokenEstimator.h"

#include "Conversation.h"

int TokenEstimator::unitsOf(QChar c)
{
    const char16_t u = c.unicode();
    const bool wide = (u >= 0x2E80 && u <= 0x9FFF) || (u >= 0xAC00 && u <= 0xD7AF)
                      || (u >= 0xF900 && u <= 0xFAFF) || (u >= 0xFF00 && u <= 0xFFEF)
                      || c.isSurrogate();
    return wide ? 4 : 1;
}

qint64 TokenEstimator::units(QStringView text)
{
    qint64 total = 0;
    for (QChar c : text)
        total += unitsOf(c);
    return total;
}

qint64 TokenEstimator::promptTokens(const Conversation &request)
{
    qint64 total = 3; // reply priming
    for (const Message &m : request.messages) {
        total += 4 + tokens(m.text());
        for (const ToolCall &call : m.toolCalls)
            total += tokens(call.name) + tokens(call.arguments) + 3;
        for (const ContentPart &part : m.parts) {
            if (part.type == ContentPart::Type::Image)
                total += 765; // a typical high-detail image
        }
    }
    return total;
}
