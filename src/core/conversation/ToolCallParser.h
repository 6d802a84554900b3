// SPDX-License-Identifier: MIT
#pragma once

#include "Conversation.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Finds tool calls in the model's answer as it streams (zai-protocol.md 7.4). Text before the
// trigger passes through; from the trigger (or a bare <function_calls>) on, text is held back
// until the block closes or the stream ends, then parsed with repairs for what models really
// write. A block that names an unknown tool or cannot be repaired comes back as plain text.
class ToolCallParser
{
public:
    struct Output
    {
        QString text;          // answer text safe to show now
        QList<ToolCall> calls; // set once, when a block was parsed
    };

    ToolCallParser(QString trigger, QStringList knownTools);

    Output push(const QString &content);
    Output finish();
    bool blockStarted() const { return m_mode != Mode::Text; }
    bool done() const { return m_mode == Mode::Done; }

    // Parses one <function_calls> block (or its unfinished beginning); nullopt when it cannot be
    // repaired or names a tool that was not offered. Ids are left empty.
    static std::optional<QList<ToolCall>> parseBlock(const QString &block,
                                                     const QStringList &knownTools);
    // Repairs and validates tool arguments: CDATA, code fences, trailing commas, missing closers.
    static std::optional<QString> repairArguments(QString text);

private:
    enum class Mode { Text, Block, Done };
    Output closeBlock(const QString &block, bool atEnd);

    QString m_trigger;
    QStringList m_known;
    Mode m_mode = Mode::Text;
    bool m_sawTrigger = false;
    QString m_pending; // text held back (a possible start of the trigger)
    QString m_block;
};
