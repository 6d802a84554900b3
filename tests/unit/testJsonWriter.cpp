// SPDX-License-Identifier: MIT
// JsonWriter must write exactly what QJsonDocument::toJson(Compact) writes.
#include "JsonWriter.h"

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
    void appendsToExistingBytes();
};

namespace {
QByteArray qtCompact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
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
    QCOMPARE(JsonWriter::toBytes(object), qtCompact(object));
    const QJsonArray array{object, object};
    QCOMPARE(JsonWriter::toBytes(array), QJsonDocument(array).toJson(QJsonDocument::Compact));
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
        QCOMPARE(JsonWriter::toBytes(o), qtCompact(o));
    }
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
