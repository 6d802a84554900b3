// SPDX-License-Identifier: MIT
// libFuzzer target: the streaming tool-call parser (and the stream translator behind it) must
// never crash, hang or trip a sanitizer, whatever the model writes and however it is split; and
// the fast upstream-event scanner must read exactly what the general JSON path reads; and the
// request parsers of the three client dialects (chat completions, Anthropic Messages, OpenAI
// Responses) must refuse or accept any body without harm, and what they accept must be a
// conversation the rest of the bridge can run; the translator's
// shortcuts must hand out what the full derivation does; and a chunked body must decode the same
// however its bytes arrive.
#include "net/ChunkedDecoder.h"
#include "dialects/anthropic_messages/MessagesRequest.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "dialects/openai_responses/ResponsesRequest.h"
#include "zai/StreamTranslator.h"
#include "conversation/ToolCallParser.h"
#include "zai/UpstreamEvent.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    QLoggingCategory::setFilterRules(u"zaibridge.*=false"_s);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;

    // The input as one upstream event.
    const QByteArrayView raw(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const std::optional<UpstreamEvent> fast = UpstreamEvent::scan(raw)) {
        const QJsonObject event = QJsonDocument::fromJson(raw.toByteArray()).object();
        if (!event.value(u"data"_s).isObject()
            || !(UpstreamEvent::fromData(event.value(u"data"_s).toObject()) == *fast))
            __builtin_trap();
    }
    // The input as a request body of each dialect.
    {
        const QByteArray body = raw.toByteArray();
        const auto verify = [](const auto &parsed, const ApiError &error) {
            if (parsed ? parsed->conversation.model.isEmpty()
                             || parsed->conversation.messages.isEmpty()
                       : error.kind() != ApiError::Kind::InvalidRequest || error.message().isEmpty())
                __builtin_trap();
        };
        ApiError chatError;
        verify(ChatCompletionsRequest::parse(body, &chatError), chatError);
        ApiError messagesError;
        verify(MessagesRequest::parse(body, &messagesError), messagesError);
        ApiError responsesError;
        verify(ResponsesRequest::parse(body, &responsesError), responsesError);
    }
    // The first byte chooses the delta size; the rest is the model's answer.
    const int step = 1 + data[0] % 17;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1),
                                           qsizetype(size - 1));
    const QString trigger = u"<Function_Ab1c_Start/>"_s;
    const QStringList tools{u"read_file"_s, u"list_files"_s, u"write_file"_s};

    ToolCallParser parser(trigger, tools);
    QString shown;
    qsizetype calls = 0;
    for (qsizetype i = 0; i < text.size(); i += step) {
        const auto out = parser.push(text.mid(i, step));
        shown += out.text;
        calls += out.calls.size();
    }
    const auto tail = parser.finish();
    shown += tail.text;
    calls += tail.calls.size();
    // Without a block, nothing the model wrote may be lost.
    if (calls == 0 && !text.contains(u"<function_calls>"_s) && !text.contains(trigger)
        && shown != text)
        __builtin_trap();

    ToolCallParser::parseBlock(text, tools);
    ToolCallParser::repairArguments(text);

    // The input as a chunked body, whole and in pieces of `step` bytes.
    {
        ChunkedDecoder whole;
        QByteArray wholeIn = raw.sliced(1).toByteArray();
        QByteArray wholeOut;
        const ChunkedDecoder::Status wholeStatus = whole.decode(&wholeIn, &wholeOut);
        ChunkedDecoder pieces;
        QByteArray in;
        QByteArray out;
        ChunkedDecoder::Status status = ChunkedDecoder::Status::NeedMore;
        qsizetype fed = 1;
        while (fed < raw.size() && status == ChunkedDecoder::Status::NeedMore) {
            const qsizetype n = qMin<qsizetype>(step, raw.size() - fed);
            in += raw.sliced(fed, n);
            fed += n;
            status = pieces.decode(&in, &out);
        }
        in += raw.sliced(fed); // what follows the body stays unread, as in the whole case
        if (status != wholeStatus
            || (status != ChunkedDecoder::Status::Malformed && (out != wholeOut || in != wholeIn)))
            __builtin_trap();
    }

    // The same bytes as upstream stream deltas and edits, through the translator with and
    // without its shortcuts.
    StreamTranslator translator;
    StreamTranslator reference(false);
    for (qsizetype i = 0; i < text.size(); i += step) {
        const QJsonObject event{
            {u"type"_s, u"chat:completion"_s},
            {u"data"_s, (i / step) % 5 == 4
                            ? QJsonObject{{u"phase"_s, u"answer"_s},
                                          {u"edit_index"_s, int(data[0]) * 3},
                                          {u"edit_content"_s, text.mid(i, step)}}
                            : QJsonObject{{u"phase"_s, (i / step) % 3 ? u"answer"_s : u"thinking"_s},
                                          {u"delta_content"_s, text.mid(i, step)}}}};
        const StreamTranslator::Step a = translator.feed(event);
        const StreamTranslator::Step b = reference.feed(event);
        if (a.reasoning != b.reasoning || a.content != b.content || a.done != b.done)
            __builtin_trap();
    }
    const StreamTranslator::Step a = translator.finish();
    const StreamTranslator::Step b = reference.finish();
    if (a.reasoning != b.reasoning || a.content != b.content)
        __builtin_trap();
    return 0;
}
