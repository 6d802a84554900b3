// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"
#include "conversation/JsonOutput.h"
#include "conversation/Conversation.h"
#include "zai/ModelCatalogue.h"
#include "conversation/OutputShaper.h"
#include "zai/StreamTranslator.h"
#include "conversation/ToolCallParser.h"

#include <QObject>
#include <QPointer>

class ZaiClient;
class ZaiCompletion;

// What the OpenAI surface sees of one chat completion: deltas already cut by `stop` and the
// token limit, then exactly one of completed() or failed(). Independent of HTTP, so the server's
// streaming writer and non-streaming aggregator share it.
class ChatSession : public QObject
{
    Q_OBJECT
public:
    ChatSession(ZaiClient *client, Conversation request, ModelEntry model,
                QObject *parent = nullptr);
    ~ChatSession() override;

    void start();
    void cancel(); // the client went away

    const Conversation &request() const { return m_request; }
    const ModelEntry &model() const { return m_model; }
    int attempts() const;
    QString tokenLabel() const;
    const TokenUsage &usage() const { return m_usage; }
    const QString &reasoningText() const { return m_reasoning; }
    const QString &contentText() const { return m_content; }
    const QList<ToolCall> &toolCalls() const { return m_calls; }
    // The upstream call waits for a captcha verify parameter: no byte may go to the client yet
    // (a stream's status line is committed by its first byte, keep-alives included).
    bool waitingForCaptcha() const;
    // The client's stop sequence the answer ended at (FinishReason::StopSequence), or empty.
    const QString &stopSequence() const { return m_shaper.matchedStop(); }

Q_SIGNALS:
    void delta(const QString &reasoning, const QString &content);
    void toolCallsReady(const QList<ToolCall> &calls); // just before completed("tool_calls")
    void completed(FinishReason reason, const TokenUsage &usage);
    void failed(const ApiError &error, bool afterOutput);

private:
    void onOutput(const QString &reasoning, const QString &content);
    void onFinished(const std::optional<TokenUsage> &upstreamUsage);
    void finish(FinishReason reason, const std::optional<TokenUsage> &upstreamUsage);
    void forward(const OutputShaper::Result &shaped);
    void startCompletion(const Conversation &request);
    void finishWithCalls(QList<ToolCall> calls, const std::optional<TokenUsage> &usage);
    Conversation followUp(const QString &answer, const QString &reminder) const;
    void reaskForTool();
    void reaskForJson(const QString &why);
    bool checkJson(); // false: the session re-asked or failed
    QString takeText(const ToolCallParser::Output &parsed);

    Conversation m_request;
    ModelEntry m_model;
    ZaiClient *m_client;
    ZaiCompletion *m_completion = nullptr;
    OutputShaper m_shaper;
    std::optional<ToolCallParser> m_tools;
    QList<ToolCall> m_calls;
    bool m_holdText = false; // tool_choice requires a call: text waits until we know
    QString m_heldText;
    bool m_reasked = false;
    std::optional<JsonOutput> m_json; // response_format json_object / json_schema
    qint64 m_callTokens = 0;
    QString m_reasoning;
    QString m_content;
    TokenUsage m_usage;
    bool m_done = false;
};
