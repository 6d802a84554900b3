// SPDX-License-Identifier: MIT
#include "conversation/ToolCallParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Result
{
    QString text;
    QList<ToolCall> calls;
};

Result feed(const QString &trigger, const QStringList &tools, const QStringList &pieces)
{
    ToolCallParser parser(trigger, tools);
    Result r;
    for (const QString &piece : pieces) {
        const auto out = parser.push(piece);
        r.text += out.text;
        if (!out.calls.isEmpty()) {
            Q_ASSERT(r.calls.isEmpty()); // calls come once
            r.calls = out.calls;
        }
    }
    const auto out = parser.finish();
    r.text += out.text;
    if (!out.calls.isEmpty())
        r.calls = out.calls;
    return r;
}

QString canonical(const QString &json)
{
    return QString::fromUtf8(
        QJsonDocument::fromJson(json.toUtf8()).toJson(QJsonDocument::Compact));
}

} // namespace

class TestToolCallParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void corpus_data();
    void corpus();
    void idsAndShape();
    void textBeforeTriggerStreamsAtOnce();
    void repairArguments();
};

void TestToolCallParser::corpus_data()
{
    QTest::addColumn<QString>("trigger");
    QTest::addColumn<QStringList>("tools");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonArray>("calls");
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/tool-corpus.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject corpus = QJsonDocument::fromJson(file.readAll()).object();
    QStringList tools;
    for (const QJsonValue &t : corpus.value(u"tools"_s).toArray())
        tools.append(t.toString());
    for (const QJsonValue &v : corpus.value(u"cases"_s).toArray()) {
        const QJsonObject c = v.toObject();
        QTest::newRow(qPrintable(c.value(u"name"_s).toString()))
            << corpus.value(u"trigger"_s).toString() << tools << c.value(u"output"_s).toString()
            << c.value(u"text"_s).toString() << c.value(u"calls"_s).toArray();
    }
}

void TestToolCallParser::corpus()
{
    QFETCH(QString, trigger);
    QFETCH(QStringList, tools);
    QFETCH(QString, output);
    QFETCH(QString, text);
    QFETCH(QJsonArray, calls);
    const auto check = [&](const Result &r, const QString &how) {
        QVERIFY2(r.text == text, qPrintable(how + u": text was "_s + r.text));
        QCOMPARE(r.calls.size(), calls.size());
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const QJsonObject expected = calls.at(i).toObject();
            QCOMPARE(r.calls.at(i).name, expected.value(u"name"_s).toString());
            QCOMPARE(canonical(r.calls.at(i).arguments),
                     canonical(expected.value(u"arguments"_s).toString()));
        }
    };
    check(feed(trigger, tools, {output}), u"whole"_s);
    // The same output split into two deltas at every position, then one character at a time.
    for (qsizetype cut = 1; cut < output.size(); ++cut)
        check(feed(trigger, tools, {output.left(cut), output.mid(cut)}),
              u"cut at %1"_s.arg(cut));
    QStringList chars;
    for (QChar c : std::as_const(output))
        chars.append(QString(c));
    check(feed(trigger, tools, chars), u"char by char"_s);
}

void TestToolCallParser::idsAndShape()
{
    const Result r = feed(u"<Function_Zz99_Start/>"_s, {u"read_file"_s},
                          {u"<Function_Zz99_Start/>\n<function_calls><function_call><tool>read_file</tool>"
                           u"<args_json><![CDATA[{}]]></args_json></function_call></function_calls>"_s});
    QCOMPARE(r.calls.size(), 1);
    QVERIFY(r.calls.first().id.startsWith(u"call_"_s));
    QCOMPARE(r.calls.first().id.size(), 5 + 24);
    QCOMPARE(r.calls.first().arguments, u"{}"_s); // never an empty string
}

void TestToolCallParser::textBeforeTriggerStreamsAtOnce()
{
    ToolCallParser parser(u"<Function_Ab1c_Start/>"_s, {u"t"_s});
    QCOMPARE(parser.push(u"Hello world, "_s).text, u"Hello world, "_s);
    QCOMPARE(parser.push(u"more <Func"_s).text, u"more "_s); // a possible trigger waits
    QCOMPARE(parser.push(u"tional programming"_s).text, u"<Functional programming"_s);
    QVERIFY(!parser.blockStarted());
}

void TestToolCallParser::repairArguments()
{
    QCOMPARE(*ToolCallParser::repairArguments(u"  "_s), u"{}"_s);
    QCOMPARE(*ToolCallParser::repairArguments(u"{\"a\": [1, 2,], }"_s), u"{\"a\":[1,2]}"_s);
    QCOMPARE(*ToolCallParser::repairArguments(u"{\"a\": {\"b\": \"c"_s), u"{\"a\":{\"b\":\"c\"}}"_s);
    QVERIFY(!ToolCallParser::repairArguments(u"[1, 2]"_s)); // arguments are an object
    QVERIFY(!ToolCallParser::repairArguments(u"not json"_s));
}

QTEST_GUILESS_MAIN(TestToolCallParser)
#include "testToolCallParser.moc"
