// SPDX-License-Identifier: MIT
#include "MessagesDialect.h"

#include "AnthropicError.h"
#include "MessagesFormat.h"
#include "MessagesRequest.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

std::optional<Dialect::Request> MessagesDialect::parse(const QByteArray &body,
                                                       ApiError *error) const
{
    std::optional<MessagesRequest> parsed = MessagesRequest::parse(body, error);
    if (!parsed)
        return std::nullopt;
    const qint64 inputTokens = MessagesRequest::inputTokens(parsed->conversation);
    return Request{std::move(parsed->conversation), std::make_unique<MessagesWriter>(inputTokens)};
}

QByteArray MessagesDialect::errorBody(const ApiError &error) const
{
    return AnthropicError::body(error);
}

int MessagesDialect::errorStatus(const ApiError &error) const
{
    return AnthropicError::status(error);
}

const ModelEntry *MessagesDialect::findModel(const ModelCatalogue &catalogue,
                                             const QString &name) const
{
    if (const ModelEntry *entry = catalogue.find(name))
        return entry;
    if (name.startsWith(u"claude"_s, Qt::CaseInsensitive) && !catalogue.entries().isEmpty())
        return &catalogue.entries().first();
    return nullptr;
}

MessagesWriter::MessagesWriter(qint64 inputTokens)
    : m_id(MessagesFormat::newMessageId()), m_signature(MessagesFormat::newSignature()),
      m_inputTokens(inputTokens)
{
}

QByteArray MessagesWriter::streamStart()
{
    return MessagesFormat::messageStart(m_id, m_model, m_inputTokens) + MessagesFormat::ping();
}

QByteArray MessagesWriter::openBlock(Block block)
{
    if (m_open == block)
        return {};
    QByteArray out = closeBlock();
    m_open = block;
    out += block == Block::Thinking ? MessagesFormat::thinkingBlockStart(m_index)
                                    : MessagesFormat::textBlockStart(m_index);
    return out;
}

QByteArray MessagesWriter::closeBlock()
{
    if (m_open == Block::None)
        return {};
    QByteArray out;
    if (m_open == Block::Thinking) // clients keep a thinking block only with its signature
        out += MessagesFormat::signatureDelta(m_index, m_signature);
    out += MessagesFormat::blockStop(m_index);
    m_open = Block::None;
    ++m_index;
    return out;
}

QByteArray MessagesWriter::delta(const QString &reasoning, const QString &content)
{
    QByteArray out;
    if (!reasoning.isEmpty()) {
        out += openBlock(Block::Thinking);
        out += MessagesFormat::thinkingDelta(m_index, reasoning);
    }
    if (!content.isEmpty()) {
        out += openBlock(Block::Text);
        out += MessagesFormat::textDelta(m_index, content);
    }
    return out;
}

QByteArray MessagesWriter::toolCalls(const QList<ToolCall> &calls)
{
    QByteArray out = closeBlock();
    for (const ToolCall &call : calls) {
        out += MessagesFormat::toolUseBlockStart(m_index, MessagesFormat::toolUseId(call.id),
                                                 call.name);
        // the whole arguments in one delta: they are complete when the call is known
        const QJsonObject input = MessagesFormat::input(call.arguments);
        out += MessagesFormat::inputJsonDelta(
            m_index, QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact)));
        out += MessagesFormat::blockStop(m_index);
        ++m_index;
    }
    return out;
}

QByteArray MessagesWriter::streamEnd(FinishReason reason, const TokenUsage &usage)
{
    QByteArray out = closeBlock();
    out += MessagesFormat::messageDelta(reason, m_stopSequence, usage);
    out += MessagesFormat::messageStop();
    return out;
}

QByteArray MessagesWriter::streamError(const ApiError &error)
{
    // Too late for a status code: one error event ends the stream (the SDKs throw on it).
    return MessagesFormat::errorEvent(error);
}

QByteArray MessagesWriter::keepAlive() const
{
    return MessagesFormat::ping();
}

QByteArray MessagesWriter::answer(const CompletedAnswer &answer)
{
    return MessagesFormat::message(m_id, m_model, answer, m_signature, m_stopSequence);
}
