// SPDX-License-Identifier: MIT
// JsonWriter's pieces and JsonStream must write exactly what QJsonDocument::toJson(Compact)
// writes for the same values (QJsonDocument is the reference: whole documents are written with it).
#include "util/JsonWriter.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

class TestJsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesQt_data();
    void matchesQt();
    void randomStringsMatchQt();
    void mostlyAsciiStringsMatchQt();
    void appendsToExistingBytes();
    void manyLongStringsInOneBuffer();
    void streamWritesObjectsInCallOrder();
    void streamTakesPrewrittenMembers();
    void streamMatchesQtForEveryValueKind();
};

namespace {
QByteArray qtCompact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray qtCompact(const QJsonArray &a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

// What JsonStream writes for a QJsonValue (and OpenAiFormat for an event's object).
QByteArray written(const QJsonValue &value)
{
    QByteArray out;
    JsonWriter::appendValue(out, value);
    return out;
}
} // namespace

void TestJsonWriter::matchesQt_data()
{
    QTest::addColumn<QJsonObject>("object");
    QTest::newRow("empty") << QJsonObject();
    QTest::newRow("escapes") << QJsonObject{
        {u"s"_s, QString(u"quote \" backslash \\ slash / nl \n cr \r tab \t bs \b ff \f nul "_s
                         + QChar(0) + u" unit-sep "_s + QChar(0x1f) + u" del "_s + QChar(0x7f))}};
    QTest::newRow("unicode") << QJsonObject{
        {u"s"_s, u"é ü 中文 € 𝄞 😀 \u2028 \u2029 \ufeff"_s}, {u"中文键"_s, u"值"_s}};
    QTest::newRow("lone surrogates") << QJsonObject{
        {u"s"_s, QString(QString(QChar(0xd83d)) + u"x"_s + QChar(0xde00) + QChar(0xd800))}};
    QTest::newRow("numbers") << QJsonObject{
        {u"zero"_s, 0},
        {u"int"_s, 42},
        {u"neg"_s, -7},
        {u"big"_s, qint64(9007199254740993LL)},
        {u"min"_s, std::numeric_limits<qint64>::min()},
        {u"max"_s, std::numeric_limits<qint64>::max()},
        {u"d"_s, 0.1},
        {u"dint"_s, 3.0},
        {u"dbig"_s, 1e15},
        {u"huge"_s, 1e300},
        {u"tiny"_s, -2.5e-300},
        {u"nan"_s, std::numeric_limits<double>::quiet_NaN()},
        {u"inf"_s, std::numeric_limits<double>::infinity()}};
    QTest::newRow("nested") << QJsonObject{
        {u"a"_s, QJsonArray{1, u"two"_s, true, false, QJsonValue::Null, QJsonArray{}, QJsonObject{}}},
        {u"o"_s, QJsonObject{{u"x"_s, QJsonObject{{u"y"_s, QJsonArray{QJsonObject{{u"z"_s, 1.5}}}}}}}},
        {u"b"_s, true}};
}

void TestJsonWriter::matchesQt()
{
    QFETCH(QJsonObject, object);
    QCOMPARE(written(object), qtCompact(object));
    const QJsonArray array{object, object};
    QCOMPARE(written(array), qtCompact(array));
}

void TestJsonWriter::randomStringsMatchQt()
{
    QRandomGenerator rng(20261126);
    for (int round = 0; round < 2000; ++round) {
        QString s;
        const int length = int(rng.bounded(40));
        for (int i = 0; i < length; ++i) {
            switch (rng.bounded(4)) {
            case 0: s += QChar(char16_t(rng.bounded(0x80))); break;
            case 1: s += QChar(char16_t(0x80 + rng.bounded(0x780))); break;
            case 2: s += QChar(char16_t(0x800 + rng.bounded(0xf7ff))); break; // surrogates too
            default: s += QString::fromUcs4(U"😀𝄞🚀").at(int(rng.bounded(6))); break;
            }
        }
        const QJsonObject o{{s, s}};
        QCOMPARE(written(o), qtCompact(o));
    }
}

void TestJsonWriter::mostlyAsciiStringsMatchQt()
{
    // Long printable-ASCII runs take the eight-at-a-time path; every special unit must end a
    // run wherever it falls (each offset within a block of eight, and the tail).
    const QList<char16_t> specials{u'"', u'\\', u'\n', 0x00, 0x1f, 0x7f, 0x80, 0xe9, 0x4e2d,
                                   0xd83d, 0xdc00, 0xfeff, 0xffff};
    for (const char16_t special : specials) {
        for (int at = 0; at < 26; ++at) {
            QString s = u"abcdefghijklmnopqrstuvwxy"_s; // 25 units: three blocks and a tail
            s.insert(qMin(at, int(s.size())), QChar(special));
            const QJsonObject o{{u"k"_s, s}};
            QCOMPARE(written(o), qtCompact(o));
        }
    }
    QRandomGenerator rng(112026);
    for (int round = 0; round < 2040; ++round) {
        QString s;
        // The last rounds are longer than the writer's 4096-unit blocks.
        const int length = round < 2000 ? int(rng.bounded(120)) : 4000 + int(rng.bounded(12000));
        for (int i = 0; i < length; ++i) {
            const quint32 pick = rng.bounded(100);
            if (pick < 90)
                s += QChar(char16_t(0x20 + rng.bounded(0x5f)));
            else if (pick < 95)
                s += QChar(char16_t(rng.bounded(0x80)));
            else if (pick < 98)
                s += QChar(char16_t(0x80 + rng.bounded(0xff7f)));
            else
                s += u"😀"_s; // a pair, which may straddle a block boundary
        }
        const QJsonObject o{{u"k"_s, s}};
        QCOMPARE(written(o), qtCompact(o));
    }
}

void TestJsonWriter::manyLongStringsInOneBuffer()
{
    QJsonArray array;
    for (int i = 0; i < 300; ++i)
        array.append(QString(QString(5000, QChar(u'a' + i % 26)) + u"\"é\n"_s));
    QCOMPARE(written(array), qtCompact(array));
}

void TestJsonWriter::streamWritesObjectsInCallOrder()
{
    JsonStream out;
    out.beginObject()
        .field("z"_L1, 1)
        .field("a"_L1, u"x\"y"_s)
        .key("list"_L1)
        .beginArray()
        .value(true)
        .beginObject()
        .endObject()
        .beginArray()
        .endArray()
        .value(nullptr)
        .endArray()
        .field(u"ключ"_s, 2.5)
        .key("empty"_L1)
        .beginObject()
        .endObject()
        .endObject();
    QCOMPARE(out.bytes(),
             QByteArray(R"({"z":1,"a":"x\"y","list":[true,{},[],null],"ключ":2.5,"empty":{}})"));
    QCOMPARE(out.take(), QByteArray(R"({"z":1,"a":"x\"y","list":[true,{},[],null],"ключ":2.5,"empty":{}})"));
}

void TestJsonWriter::streamTakesPrewrittenMembers()
{
    // Members written once (the request builder's fixed template variables) join the others
    // with the right commas, first, in the middle or empty.
    JsonStream out;
    out.beginObject()
        .members(R"("a":1,"b":"x")")
        .field("c"_L1, true)
        .members({})
        .members(R"("d":null)")
        .key("e"_L1)
        .beginObject()
        .members({})
        .endObject()
        .endObject();
    QCOMPARE(out.bytes(), QByteArray(R"({"a":1,"b":"x","c":true,"d":null,"e":{}})"));
}

void TestJsonWriter::streamMatchesQtForEveryValueKind()
{
    // Written in QJsonObject's (sorted) key order, the stream must give QJsonDocument's bytes.
    const QJsonObject nested{{u"a"_s, QJsonArray{1, u"two"_s}}, {u"b"_s, QJsonObject{{u"c"_s, 0.1}}}};
    const QJsonObject reference{{u"bool"_s, false},
                                {u"double"_s, 0.1},
                                {u"huge"_s, 1e300},
                                {u"int"_s, 42},
                                {u"json"_s, nested},
                                {u"latin1"_s, u"plain"_s},
                                {u"long"_s, qint64(9007199254740993LL)},
                                {u"max"_s, std::numeric_limits<qint64>::max()},
                                {u"min"_s, std::numeric_limits<qint64>::min()},
                                {u"nan"_s, std::numeric_limits<double>::quiet_NaN()},
                                {u"neg"_s, -7},
                                {u"null"_s, QJsonValue::Null},
                                {u"text"_s, u"中文 \u2028 😀"_s},
                                {u"zero"_s, 0}};
    JsonStream out;
    out.beginObject()
        .field("bool"_L1, false)
        .field("double"_L1, 0.1)
        .field("huge"_L1, 1e300)
        .field("int"_L1, 42)
        .field("json"_L1, nested)
        .field("latin1"_L1, "plain"_L1)
        .field("long"_L1, qint64(9007199254740993LL))
        .field("max"_L1, std::numeric_limits<qint64>::max())
        .field("min"_L1, std::numeric_limits<qint64>::min())
        .field("nan"_L1, std::numeric_limits<double>::quiet_NaN())
        .field("neg"_L1, -7)
        .field("null"_L1, nullptr)
        .field("text"_L1, u"中文 \u2028 😀"_s)
        .field("zero"_L1, 0)
        .endObject();
    QCOMPARE(out.bytes(), qtCompact(reference));
}

void TestJsonWriter::appendsToExistingBytes()
{
    QByteArray out = "data: ";
    JsonWriter::appendString(out, u"a\"b"_s);
    QCOMPARE(out, QByteArray("data: \"a\\\"b\""));
    JsonWriter::appendValue(out, QJsonArray{1, 2});
    QCOMPARE(out, QByteArray("data: \"a\\\"b\"[1,2]"));
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "testJsonWriter.moc"
