// SPDX-License-Identifier: MIT
#pragma once

#include "ChatRequest.h"

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
    static bool active(const ChatRequest &request);
    // The name tool_choice forces, if any.
    static QString forcedTool(const ChatRequest &request);
    static bool required(const ChatRequest &request);
    static QStringList toolNames(const ChatRequest &request);

    static QString instructions(const ChatRequest &request, const QString &trigger);
    static QString responseFormatInstructions(const ChatRequest &request);

    static QString renderCalls(const QList<ToolCall> &calls, const QString &trigger);
    static QString renderResult(const QString &toolName, const QString &callId,
                                const QString &output);
};
