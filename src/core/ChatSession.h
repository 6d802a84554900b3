// SPDX-License-Identifier: MIT
#pragma once

#include "ApiError.h"
#include "ChatRequest.h"
#include "ModelCatalogue.h"
#include "OutputShaper.h"
#include "StreamTranslator.h"

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
    ChatSession(ZaiClient *client, ChatRequest request, ModelEntry model,
                QObject *parent = nullptr);
    ~ChatSession() override;

    void start();
    void cancel(); // the client went away

    const ChatRequest &request() const { return m_request; }
    const ModelEntry &model() const { return m_model; }
    int attempts() const;
    QString tokenLabel() const;
    const TokenUsage &usage() const { return m_usage; }
    const QString &reasoningText() const { return m_reasoning; }
    const QString &contentText() const { return m_content; }

Q_SIGNALS:
    void delta(const QString &reasoning, const QString &content);
    void completed(const QString &finishReason, const TokenUsage &usage);
    void failed(const ApiError &error, bool afterOutput);

private:
    void onOutput(const QString &reasoning, const QString &content);
    void onFinished(const std::optional<TokenUsage> &upstreamUsage);
    void finish(const QString &reason, const std::optional<TokenUsage> &upstreamUsage);
    void forward(const OutputShaper::Result &shaped);

    ChatRequest m_request;
    ModelEntry m_model;
    ZaiCompletion *m_completion;
    OutputShaper m_shaper;
    QString m_reasoning;
    QString m_content;
    TokenUsage m_usage;
    bool m_done = false;
};
