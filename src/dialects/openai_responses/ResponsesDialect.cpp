// SPDX-License-Identifier: MIT
#include "ResponsesDialect.h"

#include "dialects/openai_chat/OpenAiError.h"
#include "dialects/openai_chat/OpenAiFormat.h"
#include "ResponsesRequest.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

std::optional<Dialect::Request> ResponsesDialect::parse(const QByteArray &body,
                                                        ApiError *error) const
{
    std::optional<ResponsesRequest> parsed = ResponsesRequest::parse(body, error);
    if (!parsed)
        return std::nullopt;
    return Request{std::move(parsed->conversation),
                   std::make_unique<ResponsesWriter>(std::move(parsed->echo))};
}

QByteArray ResponsesDialect::errorBody(const ApiError &error) const
{
    return OpenAiError::body(error);
}

ResponsesWriter::ResponsesWriter(QJsonObject echo)
{
    m_head.id = ResponsesFormat::newResponseId();
    m_head.createdAt = QDateTime::currentSecsSinceEpoch();
    m_head.echo = std::move(echo);
}

const ResponsesFormat::Head &ResponsesWriter::head()
{
    m_head.model = m_model; // known once the catalogue resolved it, before any answer
    return m_head;
}

QByteArray ResponsesWriter::event(QLatin1StringView type, QJsonObject data)
{
    return ResponsesFormat::event(type, m_sequence++, std::move(data));
}

QByteArray ResponsesWriter::streamStart()
{
    const QJsonObject response = ResponsesFormat::response(head(), "in_progress"_L1, {});
    QByteArray out = event("response.created"_L1, {{u"response"_s, response}});
    out += event("response.in_progress"_L1, {{u"response"_s, response}});
    return out;
}

QByteArray ResponsesWriter::openItem(Item item)
{
    if (m_open == item)
        return {};
    QByteArray out = closeItem();
    m_open = item;
    m_openText.clear();
    const int index = outputIndex();
    if (item == Item::Reasoning) {
        m_openId = ResponsesFormat::newReasoningId();
        out += event("response.output_item.added"_L1,
                     {{u"output_index"_s, index},
                      {u"item"_s, ResponsesFormat::reasoningItem(m_openId, {})}});
        out += event("response.reasoning_summary_part.added"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"summary_index"_s, 0},
                      {u"part"_s, QJsonObject{{u"type"_s, u"summary_text"_s}, {u"text"_s, u""_s}}}});
    } else {
        m_openId = ResponsesFormat::newMessageId();
        out += event("response.output_item.added"_L1,
                     {{u"output_index"_s, index},
                      {u"item"_s, ResponsesFormat::messageItem(m_openId, {}, "in_progress"_L1)}});
        out += event("response.content_part.added"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"content_index"_s, 0},
                      {u"part"_s, QJsonObject{{u"type"_s, u"output_text"_s},
                                              {u"text"_s, u""_s},
                                              {u"annotations"_s, QJsonArray()},
                                              {u"logprobs"_s, QJsonArray()}}}});
    }
    return out;
}

QByteArray ResponsesWriter::closeItem()
{
    if (m_open == Item::None)
        return {};
    QByteArray out;
    const int index = outputIndex();
    QJsonObject item;
    if (m_open == Item::Reasoning) {
        const QJsonObject part{{u"type"_s, u"summary_text"_s}, {u"text"_s, m_openText}};
        out += event("response.reasoning_summary_text.done"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"summary_index"_s, 0},
                      {u"text"_s, m_openText}});
        out += event("response.reasoning_summary_part.done"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"summary_index"_s, 0},
                      {u"part"_s, part}});
        item = ResponsesFormat::reasoningItem(m_openId, m_openText);
    } else {
        item = ResponsesFormat::messageItem(m_openId, m_openText, "completed"_L1);
        out += event("response.output_text.done"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"content_index"_s, 0},
                      {u"text"_s, m_openText},
                      {u"logprobs"_s, QJsonArray()}});
        out += event("response.content_part.done"_L1,
                     {{u"item_id"_s, m_openId},
                      {u"output_index"_s, index},
                      {u"content_index"_s, 0},
                      {u"part"_s, item.value(u"content"_s).toArray().first()}});
    }
    out += event("response.output_item.done"_L1, {{u"output_index"_s, index}, {u"item"_s, item}});
    m_output.append(item);
    m_open = Item::None;
    m_openText.clear();
    return out;
}

QByteArray ResponsesWriter::delta(const QString &reasoning, const QString &content)
{
    QByteArray out;
    if (!reasoning.isEmpty()) {
        out += openItem(Item::Reasoning);
        m_openText += reasoning;
        out += ResponsesFormat::reasoningDelta(m_sequence++, m_openId, outputIndex(), reasoning);
    }
    if (!content.isEmpty()) {
        out += openItem(Item::Message);
        m_openText += content;
        out += ResponsesFormat::textDelta(m_sequence++, m_openId, outputIndex(), content);
    }
    return out;
}

QByteArray ResponsesWriter::toolCalls(const QList<ToolCall> &calls)
{
    QByteArray out = closeItem();
    for (const ToolCall &call : calls) {
        const ToolCall named{ResponsesFormat::callId(call), call.name, call.arguments};
        const QString id = ResponsesFormat::newCallItemId();
        const int index = outputIndex();
        out += event("response.output_item.added"_L1,
                     {{u"output_index"_s, index},
                      {u"item"_s, ResponsesFormat::functionCallItem(id, named, "in_progress"_L1)}});
        // the whole arguments in one delta: they are complete when the call is known
        out += event("response.function_call_arguments.delta"_L1,
                     {{u"item_id"_s, id}, {u"output_index"_s, index}, {u"delta"_s, call.arguments}});
        out += event("response.function_call_arguments.done"_L1,
                     {{u"item_id"_s, id},
                      {u"output_index"_s, index},
                      {u"name"_s, call.name},
                      {u"arguments"_s, call.arguments}});
        const QJsonObject item = ResponsesFormat::functionCallItem(id, named, "completed"_L1);
        out += event("response.output_item.done"_L1, {{u"output_index"_s, index}, {u"item"_s, item}});
        m_output.append(item);
    }
    return out;
}

QByteArray ResponsesWriter::streamEnd(FinishReason reason, const TokenUsage &usage)
{
    QByteArray out = closeItem();
    QString incompleteReason;
    const QLatin1StringView status = ResponsesFormat::status(reason, &incompleteReason);
    const QJsonObject response = ResponsesFormat::response(
        head(), status, m_output, ResponsesFormat::usage(usage), {}, incompleteReason);
    out += event(incompleteReason.isEmpty() ? "response.completed"_L1 : "response.incomplete"_L1,
                 {{u"response"_s, response}});
    return out;
}

QByteArray ResponsesWriter::streamError(const ApiError &error)
{
    // Too late for a status code: the response fails, with what was done so far.
    const QJsonObject response = ResponsesFormat::response(head(), "failed"_L1, m_output, {},
                                                           ResponsesFormat::error(error));
    return event("response.failed"_L1, {{u"response"_s, response}});
}

QByteArray ResponsesWriter::keepAlive() const
{
    return OpenAiFormat::keepAlive();
}

QByteArray ResponsesWriter::answer(const CompletedAnswer &answer)
{
    return ResponsesFormat::whole(head(), answer);
}
