// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringView>

struct Conversation;

// A tokenizer-free estimate for when the upstream reports no usage: about one token per CJK
// character and per four other characters. Clients need non-zero counts to size their context.
class TokenEstimator
{
public:
    // Quarter-token units of one character; tokens = ceil(units / 4).
    static int unitsOf(QChar c);
    static qint64 units(QStringView text);
    static qint64 tokens(QStringView text) { return (units(text) + 3) / 4; }
    static qint64 promptTokens(const Conversation &request);
};
