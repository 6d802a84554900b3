// SPDX-License-Identifier: MIT
#include "dialects/openai_chat/OpenAiFormat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestOpenAiFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deltaChunkIsExactJson_data();
    void deltaChunkIsExactJson();
};

void TestOpenAiFormat::deltaChunkIsExactJson_data()
{
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("content");
    QTest::newRow("plain") << QString() << u"Hello"_s;
    QTest::newRow("escapes") << u"a \"quoted\" \\ path\n\tnext"_s << u"ctl \u0001\u001f \b\f\r end"_s;
    QTest::newRow("unicode") << u"思考 😀"_s << u"</script> & <b>"_s;
}

void TestOpenAiFormat::deltaChunkIsExactJson()
{
    QFETCH(QString, reasoning);
    QFETCH(QString, content);
    for (const bool usage : {false, true}) {
        const OpenAiFormat::StreamIds ids{u"chatcmpl-x\"y"_s, 1700000000, u"GLM-4.7"_s, usage, {}};
        const QByteArray event = OpenAiFormat::deltaChunk(ids, reasoning, content);
        QVERIFY(event.startsWith("data: "));
        QVERIFY(event.endsWith("\n\n"));
        QVERIFY(!event.mid(6, event.size() - 8).contains('\n')); // one line per event
        QJsonParseError error;
        const QJsonObject chunk = QJsonDocument::fromJson(event.mid(6), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(chunk.value(u"id"_s).toString(), ids.id);
        QCOMPARE(chunk.value(u"object"_s).toString(), u"chat.completion.chunk"_s);
        QCOMPARE(chunk.value(u"created"_s).toInteger(), 1700000000);
        QCOMPARE(chunk.contains(u"usage"_s), usage);
        const QJsonObject choice = chunk.value(u"choices"_s).toArray().first().toObject();
        QVERIFY(choice.value(u"finish_reason"_s).isNull());
        const QJsonObject delta = choice.value(u"delta"_s).toObject();
        QCOMPARE(delta.value(u"content"_s).toString(), content);
        QCOMPARE(delta.value(u"reasoning_content"_s).toString(), reasoning);
        QCOMPARE(delta.contains(u"reasoning_content"_s), !reasoning.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestOpenAiFormat)
#include "testOpenAiFormat.moc"
