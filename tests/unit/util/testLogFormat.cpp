// SPDX-License-Identifier: MIT
// The headless server's own log handler must write what Qt's handler writes with its pattern.
#include "util/Logging.h"
#include "util/RequestRecord.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;

class TestLogFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesQtPattern_data();
    void matchesQtPattern();
    void timeIsLocalWithMilliseconds();
    void accessLine();
};

void TestLogFormat::matchesQtPattern_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("message");
    QTest::newRow("info") << int(QtInfoMsg) << u"POST /v1/chat/completions 200 3ms"_s;
    QTest::newRow("debug") << int(QtDebugMsg) << u"event: {\"a\":1}"_s;
    QTest::newRow("warning") << int(QtWarningMsg) << u"upstream 429, retrying"_s;
    QTest::newRow("critical") << int(QtCriticalMsg) << u"cannot listen"_s;
    QTest::newRow("unicode") << int(QtInfoMsg) << u"模型 GLM-4.5 😀"_s;
    QTest::newRow("empty") << int(QtInfoMsg) << QString();
}

void TestLogFormat::matchesQtPattern()
{
    QFETCH(int, type);
    QFETCH(QString, message);
    qSetMessagePattern(QString::fromLatin1(Logging::kPattern));
    const QMessageLogContext context("file.cpp", 1, "function", "zaibridge.access");
    const QString qt = qFormatLogMessage(QtMsgType(type), context, message);
    const QByteArray ours = Logging::formatLine(QtMsgType(type), "zaibridge.access", message,
                                                QDateTime::currentMSecsSinceEpoch());
    QVERIFY(ours.endsWith('\n'));
    // Everything after the time stamp ("yyyy-MM-ddThh:mm:ss.zzz ", 24 characters).
    QCOMPARE(QString::fromUtf8(ours.chopped(1).mid(24)), qt.mid(24));
}

void TestLogFormat::timeIsLocalWithMilliseconds()
{
    const qint64 ms = QDateTime(QDate(2026, 11, 26), QTime(9, 5, 7, 42)).toMSecsSinceEpoch();
    const QByteArray line = Logging::formatLine(QtInfoMsg, "zaibridge.server", u"x"_s, ms);
    QCOMPARE(line, QByteArray("2026-11-26T09:05:07.042 zaibridge.server: x\n"));
}

void TestLogFormat::accessLine()
{
    RequestRecord r;
    r.method = u"GET"_s;
    r.path = u"/v1/models"_s;
    r.status = 200;
    r.latencyMs = 3;
    QCOMPARE(r.toLogLine(), u"GET /v1/models 200 3ms"_s);
    r.method = u"POST"_s;
    r.path = u"/v1/chat/completions"_s;
    r.status = 502;
    r.latencyMs = 1234;
    r.clientModel = u"GLM-4.7-Thinking"_s;
    r.upstreamModel = u"GLM-4-7"_s;
    r.stream = true;
    r.firstByteMs = 87;
    r.promptTokens = 12;
    r.completionTokens = 0;
    r.attempts = 4;
    r.error = u"Z.AI answered 500"_s;
    QCOMPARE(r.toLogLine(),
             u"POST /v1/chat/completions 502 1234ms model=GLM-4.7-Thinking upstream=GLM-4-7 stream "
             u"first_byte=87ms tokens=12+0 attempts=4 error=\"Z.AI answered 500\""_s);
    r.path = u"/v1/messages"_s;
    r.dialect = u"anthropic"_s;
    QVERIFY(r.toLogLine().startsWith(u"POST /v1/messages 502 1234ms dialect=anthropic model="_s));
}

QTEST_GUILESS_MAIN(TestLogFormat)
#include "testLogFormat.moc"
