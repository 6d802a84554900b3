// SPDX-License-Identifier: MIT
// The fast event scanner must agree with the general QJsonDocument path on every event it takes,
// and hand everything else to that path.
#include "zai/UpstreamEvent.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// What the general path reads from the same bytes (StreamTranslator::feed(QJsonObject)).
std::optional<UpstreamEvent> general(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject event = doc.object();
    if (!event.value(u"data"_s).isObject())
        return std::nullopt;
    return UpstreamEvent::fromData(event.value(u"data"_s).toObject());
}

} // namespace

class TestUpstreamEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fastPath_data();
    void fastPath();
    void generalPath_data();
    void generalPath();
    void agreesOnMutations();
};

void TestUpstreamEvent::fastPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("delta") << QByteArray(R"({"type":"chat:completion","data":{"delta_content":"Hi","phase":"answer"}})");
    QTest::newRow("chinese") << QByteArray(R"({"type":"chat:completion","data":{"delta_content":"你好，世界😀","phase":"answer"}})");
    QTest::newRow("escapes") << QByteArray(R"({"type":"x","data":{"delta_content":"a\"b\\c\/d\n\t\r\b\f\u00e9\u4e2d\ud83d\ude00","phase":"thinking"}})");
    QTest::newRow("lone surrogate escape") << QByteArray(R"({"data":{"delta_content":"\ud800x","phase":"answer"}})");
    QTest::newRow("edit") << QByteArray(R"({"type":"chat:completion","data":{"edit_index":123,"edit_content":"<details>","phase":"thinking"}})");
    QTest::newRow("edit null index") << QByteArray(R"({"data":{"edit_index":null,"edit_content":"x"}})");
    QTest::newRow("edit string index") << QByteArray(R"({"data":{"edit_index":"7","edit_content":"x"}})");
    QTest::newRow("edit negative") << QByteArray(R"({"data":{"edit_index":-5,"edit_content":"x"}})");
    QTest::newRow("edit without content") << QByteArray(R"({"data":{"edit_index":5,"edit_content":12}})");
    QTest::newRow("done") << QByteArray(R"({"type":"chat:completion","data":{"delta_content":"","phase":"done","done":true}})");
    QTest::newRow("done not bool") << QByteArray(R"({"data":{"done":1,"phase":"answer"}})");
    QTest::newRow("content fallback") << QByteArray(R"({"data":{"content":"full","phase":"answer"}})");
    QTest::newRow("other fields") << QByteArray(R"( { "type" : "chat:completion" , "id": 5, "ok": true, "x": null, "data" : { "role":"assistant", "n": -1.5e3, "phase" : "answer", "delta_content" : "x" } } )");
    QTest::newRow("non-string phase") << QByteArray(R"({"data":{"phase":3,"delta_content":false}})");
    QTest::newRow("empty data") << QByteArray(R"({"data":{}})");
}

void TestUpstreamEvent::fastPath()
{
    QFETCH(QByteArray, json);
    const std::optional<UpstreamEvent> fast = UpstreamEvent::scan(json);
    QVERIFY2(fast.has_value(), json.constData());
    const std::optional<UpstreamEvent> slow = general(json);
    QVERIFY(slow.has_value());
    QCOMPARE(fast->phase, slow->phase);
    QCOMPARE(fast->deltaContent, slow->deltaContent);
    QCOMPARE(fast->content, slow->content);
    QCOMPARE(fast->hasEditIndex, slow->hasEditIndex);
    QCOMPARE(fast->editIndex, slow->editIndex);
    QCOMPARE(fast->editContent, slow->editContent);
    QCOMPARE(fast->done, slow->done);
}

void TestUpstreamEvent::generalPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("usage") << QByteArray(R"({"data":{"usage":{"prompt_tokens":3},"phase":"other"}})");
    QTest::newRow("error in data") << QByteArray(R"({"data":{"error":{"code":"426","detail":"old"}}})");
    QTest::newRow("error on top") << QByteArray(R"({"type":"error","error":"boom","data":{}})");
    QTest::newRow("nested data") << QByteArray(R"({"data":{"data":{"delta_content":"x"}}})");
    QTest::newRow("bare data") << QByteArray(R"({"delta_content":"x","phase":"answer"})");
    QTest::newRow("array value") << QByteArray(R"({"data":{"delta_content":"x","tags":[1]}})");
    QTest::newRow("fractional index") << QByteArray(R"({"data":{"edit_index":1.5,"edit_content":"x"}})");
    QTest::newRow("huge index") << QByteArray(R"({"data":{"edit_index":12345678901234567890,"edit_content":"x"}})");
    QTest::newRow("duplicate field") << QByteArray(R"({"data":{"delta_content":"a","delta_content":"b"}})");
    QTest::newRow("invalid utf-8 in a key") << QByteArray("{\"data\":{\"edit_co\xff\xc8ntent\":\"x\"}}");
    QTest::newRow("escaped key") << QByteArray(R"({"data":{"delta\u005fcontent":"a"}})");
    QTest::newRow("invalid utf-8") << QByteArray("{\"data\":{\"delta_content\":\"\xc3\x28\"}}");
    QTest::newRow("overlong utf-8") << QByteArray("{\"data\":{\"delta_content\":\"\xc0\xaf\"}}");
    QTest::newRow("raw control") << QByteArray("{\"data\":{\"delta_content\":\"a\x01\"}}");
    QTest::newRow("bad escape") << QByteArray(R"({"data":{"delta_content":"\x"}})");
    QTest::newRow("short unicode escape") << QByteArray(R"({"data":{"delta_content":"\u12"}})");
    QTest::newRow("trailing garbage") << QByteArray(R"({"data":{"delta_content":"x"}} x)");
    QTest::newRow("truncated") << QByteArray(R"({"data":{"delta_content":"x")");
    QTest::newRow("leading zero") << QByteArray(R"({"data":{"edit_index":01,"edit_content":"x"}})");
    QTest::newRow("not an object") << QByteArray(R"(["data"])");
}

void TestUpstreamEvent::generalPath()
{
    QFETCH(QByteArray, json);
    QVERIFY2(!UpstreamEvent::scan(json).has_value(), json.constData());
}

void TestUpstreamEvent::agreesOnMutations()
{
    // Random edits of typical events: whenever the scanner takes one, it reads what Qt reads.
    const QList<QByteArray> seeds{
        R"({"type":"chat:completion","data":{"delta_content":"Hello \"world\" 你好\n","phase":"answer"}})",
        R"({"type":"chat:completion","data":{"edit_index":42,"edit_content":"\u003cdetails\u003e","phase":"thinking","done":false}})",
        R"({"data":{"phase":"done","done":true,"content":"x"}})"};
    const QByteArray alphabet = R"({}[]":,\/ 0123456789-.eE+truefalsnul_abcdxu)";
    QRandomGenerator rng(7);
    int taken = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray json = seeds.at(int(rng.bounded(seeds.size())));
        for (int edits = 1 + int(rng.bounded(3)); edits > 0; --edits) {
            const int at = int(rng.bounded(json.size()));
            switch (rng.bounded(3)) {
            case 0: json.remove(at, 1); break;
            case 1: json.insert(at, alphabet.at(int(rng.bounded(alphabet.size())))); break;
            default: json[at] = alphabet.at(int(rng.bounded(alphabet.size()))); break;
            }
        }
        const std::optional<UpstreamEvent> fast = UpstreamEvent::scan(json);
        if (!fast)
            continue;
        ++taken;
        const std::optional<UpstreamEvent> slow = general(json);
        QVERIFY2(slow.has_value(), json.constData());
        QVERIFY2(*fast == *slow, json.constData());
    }
    QVERIFY(taken > 1000);
}

QTEST_GUILESS_MAIN(TestUpstreamEvent)
#include "testUpstreamEvent.moc"
