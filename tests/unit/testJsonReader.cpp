// SPDX-License-Identifier: MIT
// JsonReader must accept exactly the documents QJsonDocument accepts and read the same values.
#include "JsonReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestJsonReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agreesWithQt_data();
    void agreesWithQt();
    void randomDocumentsAgree();
    void errorsNameTheProblemAndOffset();
    void largeConversation();
};

namespace {

// Both readers on the same bytes: the same verdict, and the same value when valid.
void compareWithQt(const QByteArray &json)
{
    QJsonParseError qtError;
    const QJsonDocument qt = QJsonDocument::fromJson(json, &qtError);
    JsonReader::Error ourError;
    const std::optional<QJsonValue> ours = JsonReader::parse(json, &ourError);
    const bool qtOk = qtError.error == QJsonParseError::NoError;
    QVERIFY2(qtOk == ours.has_value(),
             qPrintable(u"Qt %1 (%2), JsonReader %3 (%4) for %5"_s
                            .arg(qtOk ? u"accepts"_s : u"refuses"_s, qtError.errorString(),
                                 ours ? u"accepts"_s : u"refuses"_s, ourError.message,
                                 QString::fromUtf8(json.left(200).toPercentEncoding(" {}[]:,\"")))));
    if (!qtOk)
        return;
    const QJsonValue expected = qt.isObject() ? QJsonValue(qt.object()) : QJsonValue(qt.array());
    QCOMPARE(*ours, expected);
    // The same text when written again (catches integer/double and string differences).
    const QByteArray again = ours->isObject()
                                 ? QJsonDocument(ours->toObject()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(ours->toArray()).toJson(QJsonDocument::Compact);
    QCOMPARE(again, qt.toJson(QJsonDocument::Compact));
}

} // namespace

void TestJsonReader::agreesWithQt_data()
{
    QTest::addColumn<QByteArray>("json");
    const QList<QByteArray> cases{
        R"({})", R"([])", R"( { "a" : 1 , "b" : [ true , false , null ] } )",
        R"({"model":"GLM-4.5","messages":[{"role":"user","content":"hi"}],"stream":true})",
        R"({"n":-0,"i":42,"neg":-7,"big":9007199254740993,"max":9223372036854775807,"over":9223372036854775808,"min":-9223372036854775808})",
        R"({"d":0.5,"e":1e3,"E":2E-2,"p":1e+2,"z":0.0,"t":1.50,"x":100.000,"tiny":1e-320,"under":1e-999})",
        R"([1.,-.5,1.e5])", R"([1e999])", R"([-1e999])", R"([-])", R"([01])", R"([1e])", R"([.5])",
        R"([+1])", R"([1e+])", R"([0x10])", R"([NaN])", R"([Infinity])",
        R"(["esc \" \\ \/ \b \f \n \r \t"])", R"(["\u0041\u00e9\u4e2d\ud83d\ude00"])",
        R"(["\ud800 lone high", "\udc00 lone low", "\uDBFF\uDFFF"])", R"(["\u12"])", R"(["\u12g4"])",
        R"(["\x unknown escape"])", R"(["\)", R"(["unterminated)", R"(["a"])", "[\"raw\ttab\x01\x1f\"]",
        "[\"\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"]", "[\"\xc3\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]",
        "[\"\xf4\x90\x80\x80\"]", "[\"\xff\"]", "[\"\x80\"]", "[\"\xe4\xb8\"]", "[\"\\\xc3\xa9\"]",
        "\xef\xbb\xbf{\"bom\":1}", R"({"a":1,"a":2})", R"({"a":1,})", R"([1,])", R"([,1])", R"({,})",
        R"({"a" 1})", R"({"a":})", R"({"a":1 "b":2})", R"({1:2})", R"([1 2])", R"([tru])", R"([nul])",
        R"([true false])", R"({"a":[}]})", R"({"a":1}x)", R"({"a":1} )", R"(  )", R"()", R"("text")",
        R"(42)", R"(null)", R"([)", R"({)", R"({"a")", R"({"a":)", R"([[[[]]]])", R"({"":""})",
        R"({"key with \"quotes\"":"v"})", R"({"中文":"值"})", "{\"a\":\"x\"}\n", "\r\n\t[1]"};
    for (const QByteArray &json : cases)
        QTest::newRow(json.left(40).toPercentEncoding(" {}[]:,\"").constData()) << json;
    QTest::newRow("nested 1024") << QByteArray(QByteArray(1024, '[') + QByteArray(1024, ']'));
    QTest::newRow("nested 1025") << QByteArray(QByteArray(1025, '[') + QByteArray(1025, ']'));
    QTest::newRow("objects 1025") << QByteArray(QByteArray("{\"a\":").repeated(1025) + "1"
                                                + QByteArray(1025, '}'));
}

void TestJsonReader::agreesWithQt()
{
    QFETCH(QByteArray, json);
    compareWithQt(json);
}

void TestJsonReader::randomDocumentsAgree()
{
    // Documents built from the pieces requests are made of, then damaged at random.
    QRandomGenerator rng(26112026);
    const QList<QByteArray> atoms{"\"plain text of a message\"", "\"esc \\\" \\n \\u00e9\"",
                                  "\"\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\"", "12", "-3.5",
                                  "1e2", "true", "false", "null", "\"\"", "0"};
    const std::function<QByteArray(int)> build = [&](int depth) -> QByteArray {
        const quint32 kind = depth > 4 ? 2 : rng.bounded(3);
        if (kind == 0) {
            QByteArray out = "{";
            const int n = int(rng.bounded(4));
            for (int i = 0; i < n; ++i)
                out += (i ? "," : "") + QByteArray("\"k") + QByteArray::number(rng.bounded(5))
                       + "\":" + build(depth + 1);
            return out + '}';
        }
        if (kind == 1) {
            QByteArray out = "[";
            const int n = int(rng.bounded(4));
            for (int i = 0; i < n; ++i)
                out += (i ? "," : "") + build(depth + 1);
            return out + ']';
        }
        return atoms.at(int(rng.bounded(atoms.size())));
    };
    for (int round = 0; round < 3000; ++round) {
        QByteArray json(rng.bounded(2) ? "{\"m\":" : "[");
        json += build(0);
        json += json.startsWith('{') ? "}" : "]";
        if (round % 2) { // damage: drop, duplicate or replace one byte
            const qsizetype at = qsizetype(rng.bounded(quint32(json.size())));
            switch (rng.bounded(3)) {
            case 0: json.remove(at, 1); break;
            case 1: json.insert(at, json.at(at)); break;
            default: json[at] = "{}[]\",:\\ 0e.-\x80"[rng.bounded(15)]; break;
            }
        }
        compareWithQt(json);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestJsonReader::errorsNameTheProblemAndOffset()
{
    JsonReader::Error error;
    QVERIFY(!JsonReader::parse(R"({"a":1,})", &error));
    QCOMPARE(error.message, u"object is missing after a comma"_s);
    QCOMPARE(error.offset, 7);
    QVERIFY(!JsonReader::parse(R"({"a":"x)", &error));
    QCOMPARE(error.message, u"unterminated string"_s);
    QVERIFY(!JsonReader::parse("[\"\xff\"]", &error));
    QCOMPARE(error.message, u"invalid UTF8 string"_s);
    QCOMPARE(error.offset, 2);
    QVERIFY(!JsonReader::parse("{} {}", &error));
    QCOMPARE(error.message, u"garbage at the end of the document"_s);
    QCOMPARE(error.offset, 3);
}

void TestJsonReader::largeConversation()
{
    // The shape of the benchmark's megabyte: long messages, some with escapes and non-ASCII text.
    QJsonArray messages;
    for (int i = 0; i < 200; ++i) {
        QString text(5000, QChar(u'a' + i % 26));
        if (i % 3 == 0)
            text += u"\n\"quoted\" \\ 中文 😀"_s;
        messages.append(QJsonObject{{u"role"_s, i % 2 ? u"assistant"_s : u"user"_s},
                                    {u"content"_s, text}});
    }
    const QByteArray json =
        QJsonDocument(QJsonObject{{u"model"_s, u"GLM-4.5"_s}, {u"messages"_s, messages}})
            .toJson(QJsonDocument::Indented);
    compareWithQt(json);
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "testJsonReader.moc"
