// SPDX-License-Identifier: MIT
// libFuzzer target: the streaming tool-call parser (and the stream translator behind it) must
// never crash, hang or trip a sanitizer, whatever the model writes and however it is split; and
// the fast upstream-event scanner must read exactly what the general JSON path reads; and the
// request reader must accept what QJsonDocument accepts and read the same values.
#include "JsonReader.h"
#include "StreamTranslator.h"
#include "ToolCallParser.h"
#include "UpstreamEvent.h"

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
    // The input as a request body.
    {
        QJsonParseError qtError;
        const QJsonDocument qt = QJsonDocument::fromJson(raw.toByteArray(), &qtError);
        const std::optional<QJsonValue> ours = JsonReader::parse(raw, nullptr);
        if ((qtError.error == QJsonParseError::NoError) != ours.has_value())
            __builtin_trap();
        if (ours && *ours != (qt.isObject() ? QJsonValue(qt.object()) : QJsonValue(qt.array())))
            __builtin_trap();
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

    // The same bytes as upstream stream deltas and edits.
    StreamTranslator translator;
    for (qsizetype i = 0; i < text.size(); i += step) {
        const QJsonObject event{
            {u"type"_s, u"chat:completion"_s},
            {u"data"_s, (i / step) % 5 == 4
                            ? QJsonObject{{u"phase"_s, u"answer"_s},
                                          {u"edit_index"_s, int(data[0]) * 3},
                                          {u"edit_content"_s, text.mid(i, step)}}
                            : QJsonObject{{u"phase"_s, (i / step) % 3 ? u"answer"_s : u"thinking"_s},
                                          {u"delta_content"_s, text.mid(i, step)}}}};
        translator.feed(event);
    }
    translator.finish();
    return 0;
}
