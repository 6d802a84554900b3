// SPDX-License-Identifier: MIT
#include "ChatCompletionsDialect.h"

#include "ChatCompletionsRequest.h"
#include "OpenAiError.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

std::optional<Dialect::Request> ChatCompletionsDialect::parse(const QByteArray &body,
                                                              ApiError *error) const
{
    std::optional<ChatCompletionsRequest> parsed = ChatCompletionsRequest::parse(body, error);
    if (!parsed)
        return std::nullopt;
    return Request{std::move(parsed->conversation),
                   std::make_unique<ChatCompletionsWriter>(parsed->includeUsage,
                                                           parsed->legacyFunctions)};
}

QByteArray ChatCompletionsDialect::errorBody(const ApiError &error) const
{
    return OpenAiError::body(error);
}

ChatCompletionsWriter::ChatCompletionsWriter(bool includeUsage, bool legacyFunctions)
    : m_legacyFunctions(legacyFunctions)
{
    m_ids.created = QDateTime::currentSecsSinceEpoch();
    m_ids.includeUsage = includeUsage;
}

const OpenAiFormat::StreamIds &ChatCompletionsWriter::ids()
{
    if (m_ids.id.isEmpty()) {
        m_ids.id = OpenAiFormat::newCompletionId();
        m_ids.model = m_model;
    }
    return m_ids;
}

QString ChatCompletionsWriter::finishReasonName(FinishReason reason, bool legacyFunctions)
{
    switch (reason) {
    case FinishReason::Stop:
    case FinishReason::StopSequence: return u"stop"_s;
    case FinishReason::Length: return u"length"_s;
    case FinishReason::ToolCalls: return legacyFunctions ? u"function_call"_s : u"tool_calls"_s;
    }
    return u"stop"_s;
}

QByteArray ChatCompletionsWriter::streamStart()
{
    return OpenAiFormat::roleChunk(ids());
}

QByteArray ChatCompletionsWriter::delta(const QString &reasoning, const QString &content)
{
    return OpenAiFormat::deltaChunk(ids(), reasoning, content);
}

QByteArray ChatCompletionsWriter::toolCalls(const QList<ToolCall> &calls)
{
    return OpenAiFormat::toolCallsChunk(ids(), calls, m_legacyFunctions);
}

QByteArray ChatCompletionsWriter::streamEnd(FinishReason reason, const TokenUsage &usage)
{
    QByteArray out = OpenAiFormat::finishChunk(ids(), finishReasonName(reason, m_legacyFunctions));
    if (m_ids.includeUsage)
        out += OpenAiFormat::usageChunk(ids(), usage);
    out += OpenAiFormat::doneEvent();
    return out;
}

QByteArray ChatCompletionsWriter::streamError(const ApiError &error)
{
    // Too late for a status code: one error event ends the stream (never a silent stop).
    return OpenAiFormat::sseEvent(OpenAiError::json(error));
}

QByteArray ChatCompletionsWriter::answer(const CompletedAnswer &a)
{
    return OpenAiFormat::completion(ids(), a.reasoning, a.content,
                                    finishReasonName(a.reason, m_legacyFunctions), a.usage,
                                    a.toolCalls, m_legacyFunctions);
}
