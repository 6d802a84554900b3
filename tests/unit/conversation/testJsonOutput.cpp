// SPDX-License-Identifier: MIT
#include "conversation/JsonOutput.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestJsonOutput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stripsFencesAtEveryBoundary_data();
    void stripsFencesAtEveryBoundary();
    void validate();
};

void TestJsonOutput::stripsFencesAtEveryBoundary_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("expected");
    QTest::newRow("fenced with tag") << u"```json\n{\"a\": \"`x`\"}\n```"_s << u"{\"a\": \"`x`\"}"_s;
    QTest::newRow("fenced without tag") << u"  ```\n[1, 2]\n```\n"_s << u"[1, 2]"_s;
    QTest::newRow("plain") << u"{\"a\": 1}"_s << u"{\"a\": 1}"_s;
    QTest::newRow("plain with trailing newline") << u"{\"a\": 1}\n\n"_s << u"{\"a\": 1}"_s;
}

void TestJsonOutput::stripsFencesAtEveryBoundary()
{
    QFETCH(QString, answer);
    QFETCH(QString, expected);
    for (qsizetype cut = 0; cut <= answer.size(); ++cut) {
        JsonOutput out;
        QString got = out.push(answer.left(cut));
        got += out.push(answer.mid(cut));
        got += out.finish();
        QCOMPARE(got, expected);
    }
}

void TestJsonOutput::validate()
{
    QVERIFY(JsonOutput::validate(u"{\"a\":1}"_s, true).isEmpty());
    QVERIFY(JsonOutput::validate(u"[1]"_s, false).isEmpty());
    QVERIFY(!JsonOutput::validate(u"[1]"_s, true).isEmpty());
    QVERIFY(!JsonOutput::validate(u"Sure! {a:1}"_s, false).isEmpty());
}

QTEST_GUILESS_MAIN(TestJsonOutput)
#include "testJsonOutput.moc"
