// SPDX-License-Identifier: MIT
#include "conversation/OutputShaper.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestOutputShaper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passThrough();
    void stopAcrossDeltas();
    void stopPrefixReleasedAtEnd();
    void earliestStopWins();
    void maxTokensCutsAndSaysLength();
};

void TestOutputShaper::passThrough()
{
    OutputShaper s({}, std::nullopt);
    QCOMPARE(s.push(u"r"_s, u"abc"_s).content, u"abc"_s);
    QCOMPARE(s.flush().cut, OutputShaper::Cut::None);
}

void TestOutputShaper::stopAcrossDeltas()
{
    const QString text = u"Hello world END and more"_s;
    for (qsizetype cut = 0; cut <= text.size(); ++cut) {
        OutputShaper s({u"END"_s}, std::nullopt);
        auto a = s.push({}, text.left(cut));
        QString out = a.content;
        OutputShaper::Cut c = a.cut;
        if (c == OutputShaper::Cut::None) {
            auto b = s.push({}, text.mid(cut));
            out += b.content;
            c = b.cut;
        }
        QCOMPARE(out, u"Hello world "_s);
        QCOMPARE(c, OutputShaper::Cut::Stop);
    }
}

void TestOutputShaper::stopPrefixReleasedAtEnd()
{
    OutputShaper s({u"STOP"_s}, std::nullopt);
    QCOMPARE(s.push({}, u"abc ST"_s).content, u"abc "_s);
    const auto tail = s.flush();
    QCOMPARE(tail.content, u"ST"_s);
    QCOMPARE(tail.cut, OutputShaper::Cut::None);
}

void TestOutputShaper::earliestStopWins()
{
    OutputShaper s({u"zz"_s, u"b"_s}, std::nullopt);
    const auto r = s.push({}, u"a b zz"_s);
    QCOMPARE(r.content, u"a "_s);
}

void TestOutputShaper::maxTokensCutsAndSaysLength()
{
    OutputShaper s({}, 2); // about 8 Latin characters
    const auto r = s.push({}, u"abcdefghijkl"_s);
    QCOMPARE(r.content, u"abcdefgh"_s);
    QCOMPARE(r.cut, OutputShaper::Cut::Length);
    QVERIFY(s.push({}, u"more"_s).content.isEmpty());

    OutputShaper cjk({}, 3);
    QCOMPARE(cjk.push(u"思考"_s, u"你好世界"_s).content, u"你"_s); // reasoning counts too
}

QTEST_GUILESS_MAIN(TestOutputShaper)
#include "testOutputShaper.moc"
