// SPDX-License-Identifier: MIT
#pragma once

#include "Conversation.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

// The text side of the tool protocol (zai-protocol.md 7.4): the instructions and <tools> list
// appended to the system prompt, and past calls and results rendered back into the history.
class ToolPrompt
{
public:
    // A fresh `<Function_XXXX_Start/>` with four random letters or digits.
    static QString newTrigger();
    static QString newCallId(); // call_ + 24 letters/digits

    // Whether the request asks for tool instructions at all (tools offered, choice not "none").
    static bool active(const Conversation &request);
    // The name tool_choice forces, if any.
    static QString forcedTool(const Conversation &request);
    static bool required(const Conversation &request);
    static QStringList toolNames(const Conversation &request);

    static QString instructions(const Conversation &request, const QString &trigger);
    static QString responseFormatInstructions(const Conversation &request);

    static QString renderCalls(const QList<ToolCall> &calls, const QString &trigger);
    static QString renderResult(const QString &toolName, const QString &callId,
                                const QString &output);
};
