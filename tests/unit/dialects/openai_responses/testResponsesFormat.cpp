// SPDX-License-Identifier: MIT
#include "dialects/openai_responses/ResponsesDialect.h"
#include "dialects/openai_responses/ResponsesFormat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

// ResponsesWriter and ResponsesFormat: the neutral answer events as a Responses stream and a
// whole response object.
class TestResponsesFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamEventSequence();
    void streamEventShapes();
    void textOnlyStream();
    void incompleteAtTheLimit();
    void deltaIsExactJson_data();
    void deltaIsExactJson();
    void wholeResponse();
    void wholeResponseEmptyAnswer();
    void failureAndKeepAlive();
};

namespace {

struct Event
{
    QByteArray name;
    QJsonObject data;
};

// Splits a stream into its events, checking the framing: `event:` then `data:` with that type.
QList<Event> events(const QByteArray &stream)
{
    QList<Event> out;
    Event current;
    for (const QByteArray &line : stream.split('\n')) {
        if (line.startsWith("event: ")) {
            current.name = line.mid(7);
        } else if (line.startsWith("data: ")) {
            QJsonParseError error;
            current.data = QJsonDocument::fromJson(line.mid(6), &error).object();
            if (error.error != QJsonParseError::NoError)
                qWarning("bad JSON: %s", line.constData());
            out.append(current);
            current = {};
        }
    }
    return out;
}

// One line per event: its type, its output index and, for items, the item's type.
QStringList summary(const QList<Event> &list)
{
    QStringList lines;
    for (const Event &e : list) {
        QString line = QString::fromLatin1(e.name);
        if (e.data.contains(u"output_index"_s))
            line += u' ' + QString::number(e.data.value(u"output_index"_s).toInt());
        if (e.data.contains(u"item"_s))
            line += u' ' + e.data.value(u"item"_s).toObject().value(u"type"_s).toString();
        lines.append(line);
    }
    return lines;
}

QStringList fixture(const QString &name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/openai_responses/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            lines.append(QString::fromUtf8(line));
    }
    return lines;
}

const QJsonObject Echo{{u"instructions"_s, u"Be brief."_s},
                       {u"tool_choice"_s, u"auto"_s},
                       {u"store"_s, false}};

QByteArray toolStream(ResponsesWriter &writer)
{
    QByteArray out = writer.streamStart();
    out += writer.delta(u"Let me "_s, {});
    out += writer.delta(u"think."_s, {});
    out += writer.delta({}, u"Reading "_s);
    out += writer.delta({}, u"it."_s);
    out += writer.toolCalls({{u"call_abc123"_s, u"read_file"_s, u"{\"path\":\"README.md\"}"_s},
                             {u"call_def456"_s, u"list_dir"_s, u"{}"_s}});
    TokenUsage usage;
    usage.promptTokens = 42;
    usage.completionTokens = 7;
    usage.reasoningTokens = 3;
    out += writer.streamEnd(FinishReason::ToolCalls, usage);
    return out;
}

} // namespace

void TestResponsesFormat::streamEventSequence()
{
    ResponsesWriter writer(Echo);
    writer.setModel(u"GLM-4.7"_s);
    const QList<Event> list = events(toolStream(writer));
    QCOMPARE(summary(list), fixture(u"stream-reasoning-text-tools.events"_s));
    for (int i = 0; i < list.size(); ++i) {
        QCOMPARE(list.at(i).data.value(u"type"_s).toString(), QString::fromLatin1(list.at(i).name));
        QCOMPARE(list.at(i).data.value(u"sequence_number"_s).toInt(-1), i);
    }
}

void TestResponsesFormat::streamEventShapes()
{
    ResponsesWriter writer(Echo);
    writer.setModel(u"GLM-4.7"_s);
    const QList<Event> list = events(toolStream(writer));
    const QJsonObject created = list.at(0).data.value(u"response"_s).toObject();
    QVERIFY(created.value(u"id"_s).toString().startsWith(u"resp_"_s));
    QCOMPARE(created.value(u"object"_s).toString(), u"response"_s);
    QCOMPARE(created.value(u"status"_s).toString(), u"in_progress"_s);
    QCOMPARE(created.value(u"model"_s).toString(), u"GLM-4.7"_s);
    QCOMPARE(created.value(u"output"_s).toArray(), QJsonArray());
    QVERIFY(created.value(u"usage"_s).isNull());
    QCOMPARE(created.value(u"instructions"_s).toString(), u"Be brief."_s);

    const QJsonObject reasoning = list.at(2).data.value(u"item"_s).toObject();
    QVERIFY(reasoning.value(u"id"_s).toString().startsWith(u"rs_"_s));
    QCOMPARE(reasoning.value(u"summary"_s).toArray(), QJsonArray());
    QCOMPARE(list.at(3).data.value(u"item_id"_s), reasoning.value(u"id"_s));
    QCOMPARE(list.at(4).data.value(u"delta"_s).toString(), u"Let me "_s);
    QCOMPARE(list.at(6).data.value(u"text"_s).toString(), u"Let me think."_s);
    QCOMPARE(list.at(8).data.value(u"item"_s).toObject().value(u"summary"_s).toArray().first()
                 .toObject().value(u"text"_s).toString(),
             u"Let me think."_s);

    const QJsonObject message = list.at(9).data.value(u"item"_s).toObject();
    QVERIFY(message.value(u"id"_s).toString().startsWith(u"msg_"_s));
    QCOMPARE(message.value(u"status"_s).toString(), u"in_progress"_s);
    QCOMPARE(message.value(u"content"_s).toArray(), QJsonArray());
    QCOMPARE(list.at(10).data.value(u"part"_s).toObject().value(u"type"_s).toString(), u"output_text"_s);
    QCOMPARE(list.at(11).data.value(u"content_index"_s).toInt(-1), 0);
    QCOMPARE(list.at(13).data.value(u"text"_s).toString(), u"Reading it."_s);
    const QJsonObject doneMessage = list.at(15).data.value(u"item"_s).toObject();
    QCOMPARE(doneMessage.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(doneMessage.value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString(),
             u"Reading it."_s);

    const QJsonObject call = list.at(16).data.value(u"item"_s).toObject();
    QVERIFY(call.value(u"id"_s).toString().startsWith(u"fc_"_s));
    QCOMPARE(call.value(u"call_id"_s).toString(), u"call_abc123"_s);
    QCOMPARE(call.value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(call.value(u"arguments"_s).toString(), QString());
    QCOMPARE(list.at(17).data.value(u"delta"_s).toString(), u"{\"path\":\"README.md\"}"_s);
    QCOMPARE(list.at(18).data.value(u"arguments"_s).toString(), u"{\"path\":\"README.md\"}"_s);
    QCOMPARE(list.at(19).data.value(u"item"_s).toObject().value(u"arguments"_s).toString(),
             u"{\"path\":\"README.md\"}"_s);

    const QJsonObject completed = list.last().data.value(u"response"_s).toObject();
    QCOMPARE(completed.value(u"id"_s), created.value(u"id"_s));
    QCOMPARE(completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(completed.value(u"output"_s).toArray().size(), 4);
    const QJsonObject usage = completed.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"input_tokens"_s).toInt(), 42);
    QCOMPARE(usage.value(u"output_tokens"_s).toInt(), 7);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 49);
    QCOMPARE(usage.value(u"output_tokens_details"_s).toObject().value(u"reasoning_tokens"_s).toInt(), 3);
    QCOMPARE(usage.value(u"input_tokens_details"_s).toObject().value(u"cached_tokens"_s).toInt(), 0);
}

void TestResponsesFormat::textOnlyStream()
{
    ResponsesWriter writer({});
    QByteArray out = writer.streamStart();
    out += writer.delta({}, u"Hello"_s);
    out += writer.streamEnd(FinishReason::Stop, {});
    QCOMPARE(summary(events(out)),
             (QStringList{u"response.created"_s, u"response.in_progress"_s,
                          u"response.output_item.added 0 message"_s,
                          u"response.content_part.added 0"_s, u"response.output_text.delta 0"_s,
                          u"response.output_text.done 0"_s, u"response.content_part.done 0"_s,
                          u"response.output_item.done 0 message"_s, u"response.completed"_s}));
}

void TestResponsesFormat::incompleteAtTheLimit()
{
    ResponsesWriter writer({});
    QByteArray out = writer.streamStart();
    out += writer.delta({}, u"Cut"_s);
    out += writer.streamEnd(FinishReason::Length, {});
    const QList<Event> list = events(out);
    QCOMPARE(list.last().name, "response.incomplete");
    const QJsonObject response = list.last().data.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toString(), u"incomplete"_s);
    QCOMPARE(response.value(u"incomplete_details"_s).toObject().value(u"reason"_s).toString(),
             u"max_output_tokens"_s);
    QCOMPARE(response.value(u"output"_s).toArray().size(), 1);
}

void TestResponsesFormat::deltaIsExactJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << u"Hello"_s;
    QTest::newRow("escapes") << u"a \"quoted\" \\ path\n\tnext \u0001\u001f"_s;
    QTest::newRow("unicode") << u"思考 😀 </script>"_s;
}

void TestResponsesFormat::deltaIsExactJson()
{
    QFETCH(QString, text);
    for (const bool reasoning : {false, true}) {
        const QByteArray event = reasoning
                                     ? ResponsesFormat::reasoningDelta(7, u"rs_1"_s, 2, text)
                                     : ResponsesFormat::textDelta(7, u"msg_1"_s, 2, text);
        QVERIFY(event.startsWith(reasoning ? "event: response.reasoning_summary_text.delta\ndata: "
                                           : "event: response.output_text.delta\ndata: "));
        QVERIFY(event.endsWith("}\n\n"));
        const QByteArray data = event.mid(event.indexOf("data: ") + 6).chopped(2);
        QVERIFY(!data.contains('\n'));
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(data, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(object.value(u"sequence_number"_s).toInt(), 7);
        QCOMPARE(object.value(u"output_index"_s).toInt(), 2);
        QCOMPARE(object.value(u"delta"_s).toString(), text);
        QVERIFY(object.contains(reasoning ? u"summary_index"_s : u"content_index"_s));
    }
}

void TestResponsesFormat::wholeResponse()
{
    ResponsesWriter writer(Echo);
    writer.setModel(u"GLM-4.5"_s);
    CompletedAnswer answer;
    answer.reasoning = u"Hmm."_s;
    answer.content = u"Reading."_s;
    answer.toolCalls = {{u"call_x1"_s, u"read_file"_s, u"{\"path\":\"a\"}"_s}};
    answer.reason = FinishReason::ToolCalls;
    answer.usage.promptTokens = 5;
    answer.usage.completionTokens = 3;
    const QJsonObject r = QJsonDocument::fromJson(writer.answer(answer)).object();
    QVERIFY(r.value(u"id"_s).toString().startsWith(u"resp_"_s));
    QCOMPARE(r.value(u"object"_s).toString(), u"response"_s);
    QCOMPARE(r.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.value(u"model"_s).toString(), u"GLM-4.5"_s);
    QCOMPARE(r.value(u"store"_s).toBool(true), false);
    QVERIFY(r.value(u"previous_response_id"_s).isNull());
    const QJsonArray output = r.value(u"output"_s).toArray();
    QCOMPARE(output.size(), 3);
    QCOMPARE(output.at(0).toObject().value(u"type"_s).toString(), u"reasoning"_s);
    QCOMPARE(output.at(1).toObject().value(u"content"_s).toArray().first().toObject()
                 .value(u"text"_s).toString(),
             u"Reading."_s);
    const QJsonObject call = output.at(2).toObject();
    QCOMPARE(call.value(u"type"_s).toString(), u"function_call"_s);
    QCOMPARE(call.value(u"call_id"_s).toString(), u"call_x1"_s);
    QCOMPARE(call.value(u"arguments"_s).toString(), u"{\"path\":\"a\"}"_s);
    QCOMPARE(call.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.value(u"usage"_s).toObject().value(u"total_tokens"_s).toInt(), 8);
}

void TestResponsesFormat::wholeResponseEmptyAnswer()
{
    // An empty answer is one empty message, as OpenAI's own: clients read output[0].
    ResponsesWriter writer({});
    const QJsonObject r = QJsonDocument::fromJson(writer.answer({})).object();
    const QJsonArray output = r.value(u"output"_s).toArray();
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.first().toObject().value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(output.first().toObject().value(u"content"_s).toArray().first().toObject()
                 .value(u"text"_s).toString(),
             QString());
}

void TestResponsesFormat::failureAndKeepAlive()
{
    ResponsesWriter writer({});
    QByteArray out = writer.streamStart();
    out += writer.delta({}, u"Hel"_s);
    const QByteArray keepAlive = writer.keepAlive();
    QVERIFY(keepAlive.startsWith(':')); // an SSE comment: no event, no sequence number
    out += keepAlive;
    out += writer.streamError(ApiError(ApiError::Kind::UpstreamError, u"Z.AI broke off."_s));
    const QList<Event> list = events(out);
    QCOMPARE(list.last().name, "response.failed");
    QCOMPARE(list.last().data.value(u"sequence_number"_s).toInt(), list.size() - 1);
    const QJsonObject response = list.last().data.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(response.value(u"error"_s).toObject().value(u"message"_s).toString(), u"Z.AI broke off."_s);
    QVERIFY(!response.value(u"error"_s).toObject().value(u"code"_s).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestResponsesFormat)
#include "testResponsesFormat.moc"
