// SPDX-License-Identifier: MIT
#include "ChatSession.h"

#include "util/Logging.h"
#include "conversation/TokenEstimator.h"
#include "conversation/ToolPrompt.h"
#include "zai/ZaiCompletion.h"

using namespace Qt::StringLiterals;

namespace {

FinishReason finishReasonOf(OutputShaper::Cut cut)
{
    switch (cut) {
    case OutputShaper::Cut::Length: return FinishReason::Length;
    case OutputShaper::Cut::Stop: return FinishReason::StopSequence;
    case OutputShaper::Cut::None: break;
    }
    return FinishReason::Stop;
}

} // namespace

ChatSession::ChatSession(ZaiClient *client, Conversation request, ModelEntry model,
                         QObject *parent)
    : QObject(parent), m_request(std::move(request)), m_model(std::move(model)), m_client(client),
      m_shaper(m_request.stop, m_request.maxTokens)
{
    const bool toolHistory = std::any_of(m_request.messages.cbegin(), m_request.messages.cend(),
                                         [](const Message &m) { return !m.toolCalls.isEmpty(); });
    if (ToolPrompt::active(m_request) || toolHistory)
        m_request.toolTrigger = ToolPrompt::newTrigger();
    if (ToolPrompt::active(m_request)) {
        m_tools.emplace(m_request.toolTrigger, ToolPrompt::toolNames(m_request));
        m_holdText = ToolPrompt::required(m_request);
    }
    if (m_request.outputFormat.wantsJson())
        m_json.emplace();
    startCompletion(m_request);
}

void ChatSession::startCompletion(const Conversation &request)
{
    if (m_completion) {
        m_completion->abort();
        m_completion->deleteLater();
    }
    m_completion = new ZaiCompletion(m_client, request, m_model, this);
    connect(m_completion, &ZaiCompletion::output, this, &ChatSession::onOutput);
    connect(m_completion, &ZaiCompletion::finished, this, &ChatSession::onFinished);
    connect(m_completion, &ZaiCompletion::failed, this,
            [this](const ApiError &error, bool afterOutput) {
                if (m_done)
                    return;
                m_done = true;
                Q_EMIT failed(error, afterOutput || !m_reasoning.isEmpty() || !m_content.isEmpty());
            });
}

ChatSession::~ChatSession() = default;

void ChatSession::start()
{
    m_completion->start();
}

QString ChatSession::takeText(const ToolCallParser::Output &parsed)
{
    const QString text = m_json ? m_json->push(parsed.text) : parsed.text;
    if (!m_holdText)
        return text;
    m_heldText += text;
    return {};
}

void ChatSession::cancel()
{
    m_done = true;
    m_completion->abort();
}

bool ChatSession::waitingForCaptcha() const
{
    return m_completion && m_completion->waitingForCaptcha();
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
    ToolCallParser::Output parsed{content, {}};
    if (m_tools)
        parsed = m_tools->push(content);
    const OutputShaper::Result shaped = m_shaper.push(reasoning, takeText(parsed));
    forward(shaped);
    if (!parsed.calls.isEmpty()) {
        finishWithCalls(parsed.calls, std::nullopt);
        return;
    }
    if (shaped.cut != OutputShaper::Cut::None && !m_done) {
        m_completion->abort(); // the client has all it asked for
        finish(finishReasonOf(shaped.cut), std::nullopt);
    }
}

void ChatSession::onFinished(const std::optional<TokenUsage> &upstreamUsage)
{
    if (m_done)
        return;
    ToolCallParser::Output parsed;
    if (m_tools)
        parsed = m_tools->finish();
    forward(m_shaper.push({}, takeText(parsed)));
    if (!parsed.calls.isEmpty()) {
        finishWithCalls(parsed.calls, upstreamUsage);
        return;
    }
    if (m_holdText) {
        if (!m_reasked) {
            reaskForTool();
            return;
        }
        m_done = true;
        Q_EMIT failed(ApiError(ApiError::Kind::UpstreamError,
                               u"The model answered without calling a tool although tool_choice "
                               u"requires one (asked twice)."_s,
                               u"tool_choice"_s, u"tool_call_missing"_s),
                      !m_reasoning.isEmpty());
        return;
    }
    if (m_json)
        forward(m_shaper.push({}, m_json->finish()));
    const OutputShaper::Result shaped = m_shaper.flush();
    forward(shaped);
    if (shaped.cut == OutputShaper::Cut::None && m_json && !checkJson())
        return;
    finish(finishReasonOf(shaped.cut), upstreamUsage);
}

bool ChatSession::checkJson()
{
    const bool object = m_request.outputFormat.type == OutputFormat::Type::JsonObject;
    const QString why = JsonOutput::validate(m_content, object);
    if (why.isEmpty())
        return true;
    if (!m_request.stream && !m_reasked) {
        reaskForJson(why);
        return false;
    }
    m_done = true;
    Q_EMIT failed(ApiError(ApiError::Kind::UpstreamError,
                           u"The model's answer is not valid JSON (%1), although the request asked "
                           u"for JSON output."_s.arg(why),
                           {}, u"json_validation_failed"_s),
                  m_request.stream);
    return false;
}

void ChatSession::reaskForJson(const QString &why)
{
    m_reasked = true;
    qCInfo(lcUpstream).noquote() << "the answer is not valid JSON (" << why << "); asking once more";
    const Conversation again =
        followUp(m_content, u"That answer is not valid JSON (%1). Reply again with only the JSON: "
                            u"no code fences and no other text."_s.arg(why));
    m_content.clear();
    m_shaper = OutputShaper(m_request.stop, m_request.maxTokens);
    m_json.emplace();
    startCompletion(again);
    m_completion->start();
}

Conversation ChatSession::followUp(const QString &answer, const QString &reminder) const
{
    // The model's own answer goes back into the history, followed by a plain reminder.
    Conversation again = m_request;
    if (!answer.trimmed().isEmpty()) {
        Message previous;
        previous.role = Message::Role::Assistant;
        previous.parts.append({ContentPart::Type::Text, answer, {}});
        again.messages.append(previous);
    }
    Message ask;
    ask.role = Message::Role::User;
    ask.parts.append({ContentPart::Type::Text, reminder, {}});
    again.messages.append(ask);
    return again;
}

void ChatSession::reaskForTool()
{
    // tool_choice demands a call and the model only wrote text: ask once more, with its own
    // answer in the history and a plain reminder of the format.
    m_reasked = true;
    qCInfo(lcUpstream) << "the model did not call a required tool; asking once more";
    const QString forced = ToolPrompt::forcedTool(m_request);
    const Conversation again = followUp(
        m_heldText,
        u"You must call %1 now. Reply with the line %2 followed by one <function_calls> block, "
        u"exactly as the tool instructions say, and nothing else."_s.arg(
            forced.isEmpty() ? u"a tool"_s : u"the tool \"%1\""_s.arg(forced), m_request.toolTrigger));
    m_heldText.clear();
    m_tools.emplace(m_request.toolTrigger, ToolPrompt::toolNames(m_request));
    startCompletion(again);
    m_completion->start();
}

void ChatSession::finishWithCalls(QList<ToolCall> calls, const std::optional<TokenUsage> &usage)
{
    m_completion->abort(); // nothing after the block is wanted
    if (!m_request.parallelToolCalls && calls.size() > 1)
        calls = calls.mid(0, 1);
    if (m_holdText) {
        // The text written before a required call is part of the answer after all.
        m_holdText = false;
        forward(m_shaper.push({}, std::exchange(m_heldText, {})));
    }
    forward(m_shaper.flush());
    m_calls = calls;
    for (const ToolCall &call : std::as_const(m_calls))
        m_callTokens += TokenEstimator::tokens(call.name) + TokenEstimator::tokens(call.arguments) + 3;
    Q_EMIT toolCallsReady(m_calls);
    finish(FinishReason::ToolCalls, usage);
}

void ChatSession::finish(FinishReason reason, const std::optional<TokenUsage> &upstreamUsage)
{
    m_done = true;
    if (upstreamUsage && upstreamUsage->promptTokens > 0 && reason != FinishReason::Length) {
        m_usage = *upstreamUsage;
    } else {
        m_usage.promptTokens = TokenEstimator::promptTokens(m_request);
        m_usage.completionTokens = (m_shaper.completionUnits() + 3) / 4 + m_callTokens;
        m_usage.estimated = true;
    }
    if (m_usage.reasoningTokens < 0 && !m_reasoning.isEmpty())
        m_usage.reasoningTokens = TokenEstimator::tokens(m_reasoning);
    Q_EMIT completed(reason, m_usage);
}
