// SPDX-License-Identifier: MIT
#include "dialects/anthropic_messages/MessagesDialect.h"
#include "dialects/anthropic_messages/MessagesFormat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

// MessagesWriter and MessagesFormat: the neutral answer events as Anthropic's stream and message.
class TestMessagesFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamEventSequence();
    void streamEventShapes();
    void textOnlyStreamAndStopSequence();
    void deltaIsExactJson_data();
    void deltaIsExactJson();
    void wholeMessage();
    void wholeMessageEmptyAnswer();
    void errorAndPing();
    void stopReasons();
    void toolUseIds();
};

namespace {

struct Event
{
    QByteArray name;
    QJsonObject data;
};

// Splits a stream into its events, checking the framing: `event:` then `data:` with the same type.
QList<Event> events(const QByteArray &stream)
{
    QList<Event> out;
    const QList<QByteArray> blocks = stream.split('\n');
    Event current;
    for (const QByteArray &line : blocks) {
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

QStringList summary(const QList<Event> &list)
{
    QStringList lines;
    for (const Event &e : list) {
        QString line = QString::fromLatin1(e.name);
        if (e.data.contains(u"index"_s))
            line += u' ' + QString::number(e.data.value(u"index"_s).toInt());
        if (e.name == "content_block_start")
            line += u' ' + e.data.value(u"content_block"_s).toObject().value(u"type"_s).toString();
        if (e.name == "content_block_delta")
            line += u' ' + e.data.value(u"delta"_s).toObject().value(u"type"_s).toString();
        lines.append(line);
    }
    return lines;
}

QStringList fixture(const QString &name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/anthropic/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            lines.append(QString::fromUtf8(line));
    }
    return lines;
}

QByteArray toolStream(MessagesWriter &writer)
{
    QByteArray out = writer.streamStart();
    out += writer.delta(u"Let me "_s, {});
    out += writer.delta(u"think."_s, {});
    out += writer.delta({}, u"Reading "_s);
    out += writer.delta({}, u"it."_s);
    out += writer.toolCalls({{u"call_abc123"_s, u"read_file"_s, u"{\"path\":\"README.md\"}"_s}});
    TokenUsage usage;
    usage.promptTokens = 42;
    usage.completionTokens = 7;
    out += writer.streamEnd(FinishReason::ToolCalls, usage);
    return out;
}

} // namespace

void TestMessagesFormat::streamEventSequence()
{
    MessagesWriter writer(42);
    writer.setModel(u"GLM-4.7"_s);
    const QList<Event> list = events(toolStream(writer));
    QCOMPARE(summary(list), fixture(u"stream-thinking-text-tool.events"_s));
    for (const Event &e : list)
        QCOMPARE(e.data.value(u"type"_s).toString(), QString::fromLatin1(e.name));
}

void TestMessagesFormat::streamEventShapes()
{
    MessagesWriter writer(42);
    writer.setModel(u"GLM-4.7"_s);
    const QList<Event> list = events(toolStream(writer));
    const QJsonObject message = list.at(0).data.value(u"message"_s).toObject();
    QVERIFY(message.value(u"id"_s).toString().startsWith(u"msg_"_s));
    QCOMPARE(message.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(message.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(message.value(u"model"_s).toString(), u"GLM-4.7"_s);
    QCOMPARE(message.value(u"content"_s).toArray(), QJsonArray());
    QVERIFY(message.value(u"stop_reason"_s).isNull());
    QCOMPARE(message.value(u"usage"_s).toObject().value(u"input_tokens"_s).toInt(), 42);
    QCOMPARE(message.value(u"usage"_s).toObject().value(u"cache_read_input_tokens"_s).toInt(), 0);

    const QJsonObject thinking = list.at(2).data.value(u"content_block"_s).toObject();
    QCOMPARE(thinking.value(u"thinking"_s).toString(), QString());
    QCOMPARE(list.at(3).data.value(u"delta"_s).toObject().value(u"thinking"_s).toString(),
             u"Let me "_s);
    QVERIFY(!list.at(5).data.value(u"delta"_s).toObject().value(u"signature"_s).toString().isEmpty());
    QCOMPARE(list.at(8).data.value(u"delta"_s).toObject().value(u"text"_s).toString(),
             u"Reading "_s);

    const QJsonObject tool = list.at(11).data.value(u"content_block"_s).toObject();
    QCOMPARE(tool.value(u"id"_s).toString(), u"toolu_abc123"_s);
    QCOMPARE(tool.value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(tool.value(u"input"_s).toObject(), QJsonObject());
    const QString partial =
        list.at(12).data.value(u"delta"_s).toObject().value(u"partial_json"_s).toString();
    QCOMPARE(QJsonDocument::fromJson(partial.toUtf8()).object(),
             (QJsonObject{{u"path"_s, u"README.md"_s}}));

    const QJsonObject end = list.at(14).data;
    QCOMPARE(end.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString(), u"tool_use"_s);
    QVERIFY(end.value(u"delta"_s).toObject().value(u"stop_sequence"_s).isNull());
    QCOMPARE(end.value(u"usage"_s).toObject().value(u"output_tokens"_s).toInt(), 7);
}

void TestMessagesFormat::textOnlyStreamAndStopSequence()
{
    MessagesWriter writer(3);
    QByteArray out = writer.streamStart();
    out += writer.delta({}, u"Hello"_s);
    out += writer.keepAlive();
    writer.setStopSequence(u"END"_s);
    out += writer.streamEnd(FinishReason::StopSequence, {});
    const QList<Event> list = events(out);
    QCOMPARE(summary(list),
             (QStringList{u"message_start"_s, u"ping"_s, u"content_block_start 0 text"_s,
                          u"content_block_delta 0 text_delta"_s, u"ping"_s,
                          u"content_block_stop 0"_s, u"message_delta"_s, u"message_stop"_s}));
    const QJsonObject delta = list.at(6).data.value(u"delta"_s).toObject();
    QCOMPARE(delta.value(u"stop_reason"_s).toString(), u"stop_sequence"_s);
    QCOMPARE(delta.value(u"stop_sequence"_s).toString(), u"END"_s);
}

void TestMessagesFormat::deltaIsExactJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << u"Hello"_s;
    QTest::newRow("escapes") << u"a \"quoted\" \\ path\n\tnext \u0001\u001f"_s;
    QTest::newRow("unicode") << u"思考 😀 </script>"_s;
}

void TestMessagesFormat::deltaIsExactJson()
{
    QFETCH(QString, text);
    const QByteArray event = MessagesFormat::textDelta(3, text);
    QVERIFY(event.startsWith("event: content_block_delta\ndata: "));
    QVERIFY(event.endsWith("}\n\n"));
    const QByteArray data = event.mid(event.indexOf("data: ") + 6).chopped(2);
    QVERIFY(!data.contains('\n'));
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(data, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(object.value(u"type"_s).toString(), u"content_block_delta"_s);
    QCOMPARE(object.value(u"delta"_s).toObject().value(u"type"_s).toString(), u"text_delta"_s);
    QCOMPARE(object.value(u"index"_s).toInt(), 3);
    QCOMPARE(object.value(u"delta"_s).toObject().value(u"text"_s).toString(), text);
}

void TestMessagesFormat::wholeMessage()
{
    MessagesWriter writer(10);
    writer.setModel(u"GLM-4.5"_s);
    CompletedAnswer answer;
    answer.reasoning = u"Thought."_s;
    answer.content = u"Calling."_s;
    answer.toolCalls = {{u"call_x1"_s, u"a"_s, u"{\"n\":1}"_s}, {u"call_x2"_s, u"b"_s, u"{}"_s}};
    answer.reason = FinishReason::ToolCalls;
    answer.usage.promptTokens = 10;
    answer.usage.completionTokens = 4;
    const QJsonObject m = QJsonDocument::fromJson(writer.answer(answer)).object();
    QVERIFY(m.value(u"id"_s).toString().startsWith(u"msg_"_s));
    QCOMPARE(m.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(m.value(u"model"_s).toString(), u"GLM-4.5"_s);
    QCOMPARE(m.value(u"stop_reason"_s).toString(), u"tool_use"_s);
    QVERIFY(m.value(u"stop_sequence"_s).isNull());
    const QJsonArray content = m.value(u"content"_s).toArray();
    QCOMPARE(content.size(), 4);
    QCOMPARE(content.at(0).toObject().value(u"type"_s).toString(), u"thinking"_s);
    QCOMPARE(content.at(0).toObject().value(u"thinking"_s).toString(), u"Thought."_s);
    QVERIFY(!content.at(0).toObject().value(u"signature"_s).toString().isEmpty());
    QCOMPARE(content.at(1).toObject().value(u"text"_s).toString(), u"Calling."_s);
    const QJsonObject call = content.at(2).toObject();
    QCOMPARE(call.value(u"type"_s).toString(), u"tool_use"_s);
    QCOMPARE(call.value(u"id"_s).toString(), u"toolu_x1"_s);
    QCOMPARE(call.value(u"input"_s).toObject(), (QJsonObject{{u"n"_s, 1}}));
    QVERIFY(call.value(u"input"_s).isObject());
    QCOMPARE(content.at(3).toObject().value(u"id"_s).toString(), u"toolu_x2"_s);
    const QJsonObject usage = m.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"input_tokens"_s).toInt(), 10);
    QCOMPARE(usage.value(u"output_tokens"_s).toInt(), 4);
    QCOMPARE(usage.value(u"cache_creation_input_tokens"_s).toInt(), 0);
}

void TestMessagesFormat::wholeMessageEmptyAnswer()
{
    MessagesWriter writer(1);
    CompletedAnswer answer;
    answer.reason = FinishReason::Length;
    const QJsonObject m = QJsonDocument::fromJson(writer.answer(answer)).object();
    QCOMPARE(m.value(u"stop_reason"_s).toString(), u"max_tokens"_s);
    QCOMPARE(m.value(u"content"_s).toArray(),
             (QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}}));
}

void TestMessagesFormat::errorAndPing()
{
    MessagesWriter writer(1);
    const QList<Event> list = events(writer.streamError(
        ApiError(ApiError::Kind::UpstreamUnavailable, u"Z.AI is down"_s)));
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).name, "error");
    QCOMPARE(list.at(0).data,
             (QJsonObject{{u"type"_s, u"error"_s},
                          {u"error"_s, QJsonObject{{u"type"_s, u"overloaded_error"_s},
                                                   {u"message"_s, u"Z.AI is down"_s}}}}));
    QCOMPARE(writer.keepAlive(), QByteArray("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
}

void TestMessagesFormat::stopReasons()
{
    QCOMPARE(MessagesFormat::stopReasonName(FinishReason::Stop), "end_turn"_L1);
    QCOMPARE(MessagesFormat::stopReasonName(FinishReason::StopSequence), "stop_sequence"_L1);
    QCOMPARE(MessagesFormat::stopReasonName(FinishReason::Length), "max_tokens"_L1);
    QCOMPARE(MessagesFormat::stopReasonName(FinishReason::ToolCalls), "tool_use"_L1);
}

void TestMessagesFormat::toolUseIds()
{
    QCOMPARE(MessagesFormat::toolUseId(u"call_Q1w2"_s), u"toolu_Q1w2"_s);
    QCOMPARE(MessagesFormat::toolUseId(u"toolu_kept"_s), u"toolu_kept"_s);
    QVERIFY(MessagesFormat::toolUseId(u"odd"_s).startsWith(u"toolu_"_s));
    QCOMPARE(MessagesFormat::input(u"[1]"_s), QJsonObject());
    QCOMPARE(MessagesFormat::tokenCount(12), QByteArray("{\"input_tokens\":12}"));
}

QTEST_GUILESS_MAIN(TestMessagesFormat)
#include "testMessagesFormat.moc"
