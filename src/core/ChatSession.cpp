// SPDX-License-Identifier: MIT
#include "ChatSession.h"

#include "TokenEstimator.h"
#include "ZaiCompletion.h"

using namespace Qt::StringLiterals;

ChatSession::ChatSession(ZaiClient *client, ChatRequest request, ModelEntry model,
                         QObject *parent)
    : QObject(parent), m_request(std::move(request)), m_model(std::move(model)),
      m_completion(new ZaiCompletion(client, m_request, m_model, this)),
      m_shaper(m_request.stop, m_request.maxTokens)
{
    connect(m_completion, &ZaiCompletion::output, this, &ChatSession::onOutput);
    connect(m_completion, &ZaiCompletion::finished, this, &ChatSession::onFinished);
    connect(m_completion, &ZaiCompletion::failed, this,
            [this](const ApiError &error, bool afterOutput) {
                if (m_done)
                    return;
                m_done = true;
                Q_EMIT failed(error, afterOutput);
            });
}

ChatSession::~ChatSession() = default;

void ChatSession::start()
{
    m_completion->start();
}

void ChatSession::cancel()
{
    m_done = true;
    m_completion->abort();
}

int ChatSession::attempts() const
{
    return m_completion->attempts();
}

QString ChatSession::tokenLabel() const
{
    return m_completion->tokenLabel();
}

void ChatSession::forward(const OutputShaper::Result &shaped)
{
    m_reasoning += shaped.reasoning;
    m_content += shaped.content;
    if (!shaped.reasoning.isEmpty() || !shaped.content.isEmpty())
        Q_EMIT delta(shaped.reasoning, shaped.content);
}

void ChatSession::onOutput(const QString &reasoning, const QString &content)
{
    if (m_done)
        return;
    const OutputShaper::Result shaped = m_shaper.push(reasoning, content);
    forward(shaped);
    if (shaped.cut != OutputShaper::Cut::None && !m_done) {
        m_completion->abort(); // the client has all it asked for
        finish(shaped.cut == OutputShaper::Cut::Length ? u"length"_s : u"stop"_s, std::nullopt);
    }
}

void ChatSession::onFinished(const std::optional<TokenUsage> &upstreamUsage)
{
    if (m_done)
        return;
    const OutputShaper::Result shaped = m_shaper.flush();
    forward(shaped);
    finish(shaped.cut == OutputShaper::Cut::Length ? u"length"_s : u"stop"_s, upstreamUsage);
}

void ChatSession::finish(const QString &reason, const std::optional<TokenUsage> &upstreamUsage)
{
    m_done = true;
    if (upstreamUsage && upstreamUsage->promptTokens > 0 && reason != u"length") {
        m_usage = *upstreamUsage;
    } else {
        m_usage.promptTokens = TokenEstimator::promptTokens(m_request);
        m_usage.completionTokens = (m_shaper.completionUnits() + 3) / 4;
        m_usage.estimated = true;
    }
    if (m_usage.reasoningTokens < 0 && !m_reasoning.isEmpty())
        m_usage.reasoningTokens = TokenEstimator::tokens(m_reasoning);
    Q_EMIT completed(reason, m_usage);
}
