// SPDX-License-Identifier: MIT
// ZAI_CAPTCHA_COMMAND (zai-protocol.md P.11): the program's one printed line is the verify
// parameter; a failure, a crash, garbage or silence is an error naming the command; a program
// that hangs is killed when the ask is withdrawn (the core withdraws it at captcha.waitSeconds);
// the ask reaches the program in its environment, and no shell ever sees the command line.

#include "zai/CommandCaptchaSource.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString Helper = QStringLiteral(ZB_CAPTCHA_HELPER);

QString quoted(const QString &path)
{
    return u'"' + path + u'"';
}

CaptchaAsk ask()
{
    CaptchaAsk a;
    a.reason = u"FRONTEND_CAPTCHA_REQUIRED: refresh"_s;
    a.region = u"sgp"_s;
    a.prefix = u"no8xfe"_s;
    a.sceneId = u"didk33e0"_s;
    a.scriptUrl = QUrl(u"https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js"_s);
    a.origin = QUrl(u"https://chat.z.ai"_s);
    a.waitSeconds = 120;
    return a;
}

struct Outcome
{
    QString param;
    QString failure;
};

Outcome run(const QString &commandLine, int timeoutMs = 10000)
{
    CommandCaptchaSource source(commandLine);
    QObject owner;
    CaptchaTicket *ticket = source.obtain(ask(), &owner);
    QSignalSpy ready(ticket, &CaptchaTicket::ready);
    QSignalSpy failed(ticket, &CaptchaTicket::failed);
    // Never answered from inside obtain().
    if (!ready.isEmpty() || !failed.isEmpty())
        return {u"answered synchronously"_s, u"answered synchronously"_s};
    QElapsedTimer clock;
    clock.start();
    while (ready.isEmpty() && failed.isEmpty() && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    QTest::qWait(50); // nothing more follows
    if (ready.size() + failed.size() != 1)
        return {u"answered %1 times"_s.arg(ready.size() + failed.size()), {}};
    return {ready.isEmpty() ? QString() : ready.first().first().toString(),
            failed.isEmpty() ? QString() : failed.first().first().toString()};
}

} // namespace

class TestCommandCaptchaSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void success();
    void askInTheEnvironment_data();
    void askInTheEnvironment();
    void noShell();
    void failures_data();
    void failures();
    void hangIsKilledWhenWithdrawn();
    void describeNamesTheProgram();
    void parseOutput_data();
    void parseOutput();
};

void TestCommandCaptchaSource::success()
{
    const Outcome o = run(quoted(Helper) + u" print certifyId.ABC-123_x=="_s);
    QCOMPARE(o.failure, QString());
    QCOMPARE(o.param, u"certifyId.ABC-123_x=="_s);
    // Double quotes group an argument (QProcess::splitCommand), as in a shell.
    const Outcome spaced = run(quoted(Helper) + u" print \"a b\""_s);
    QCOMPARE(spaced.failure, QString());
    QCOMPARE(spaced.param, u"a b"_s);
}

void TestCommandCaptchaSource::askInTheEnvironment_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::newRow("reason") << u"ZAI_CAPTCHA_REASON"_s << u"FRONTEND_CAPTCHA_REQUIRED: refresh"_s;
    QTest::newRow("region") << u"ZAI_CAPTCHA_REGION"_s << u"sgp"_s;
    QTest::newRow("prefix") << u"ZAI_CAPTCHA_PREFIX"_s << u"no8xfe"_s;
    QTest::newRow("scene") << u"ZAI_CAPTCHA_SCENE_ID"_s << u"didk33e0"_s;
    QTest::newRow("script")
        << u"ZAI_CAPTCHA_SCRIPT_URL"_s
        << u"https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js"_s;
    QTest::newRow("origin") << u"ZAI_CAPTCHA_ORIGIN"_s << u"https://chat.z.ai"_s;
    QTest::newRow("wait") << u"ZAI_CAPTCHA_WAIT_SECONDS"_s << u"120"_s;
}

void TestCommandCaptchaSource::askInTheEnvironment()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    const Outcome o = run(quoted(Helper) + u" env "_s + variable);
    QCOMPARE(o.failure, QString());
    QCOMPARE(o.param, value);
}

void TestCommandCaptchaSource::noShell()
{
    // Shell syntax stays literal: no variable expansion, no command substitution, no pipes.
    QTemporaryDir dir;
    const QString marker = dir.filePath(u"ran"_s);
    const Outcome o = run(quoted(Helper) + u" print $HOME;touch"_s + u' ' + marker);
    QCOMPARE(o.failure, QString());
    QCOMPARE(o.param, u"$HOME;touch"_s);
    QVERIFY(!QFile::exists(marker));
}

void TestCommandCaptchaSource::failures_data()
{
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::newRow("exit code") << u"fail"_s
                               << u"it exited with code 3: no browser session to ask"_s;
    QTest::newRow("crash") << u"crash"_s << u"it crashed"_s;
    QTest::newRow("silence") << u""_s << u"it printed nothing"_s;
    QTest::newRow("garbage") << u"garbage"_s << u"not a verify parameter"_s;
    QTest::newRow("two lines") << u"lines"_s << u"it printed 2 lines"_s;
    QTest::newRow("too long") << u"huge"_s << u"longer than 8 KiB"_s;
}

void TestCommandCaptchaSource::failures()
{
    QFETCH(QString, arguments);
    QFETCH(QString, expected);
    const Outcome o = run(quoted(Helper) + u' ' + arguments);
    QCOMPARE(o.param, QString());
    QVERIFY2(o.failure.startsWith(u"the command ZAI_CAPTCHA_COMMAND ("_s + Helper + u"): "_s),
             qPrintable(o.failure));
    QVERIFY2(o.failure.contains(expected), qPrintable(o.failure));
}

void TestCommandCaptchaSource::hangIsKilledWhenWithdrawn()
{
    CommandCaptchaSource source(quoted(Helper) + u" hang"_s);
    QObject owner;
    CaptchaTicket *ticket = source.obtain(ask(), &owner);
    QSignalSpy ready(ticket, &CaptchaTicket::ready);
    QSignalSpy failed(ticket, &CaptchaTicket::failed);
    QTest::qWait(500);
    QVERIFY(ready.isEmpty() && failed.isEmpty());
    QElapsedTimer clock;
    clock.start();
    delete ticket; // what the core does at captcha.waitSeconds
    QVERIFY(clock.elapsed() < 2000);
}

void TestCommandCaptchaSource::describeNamesTheProgram()
{
    QCOMPARE(CommandCaptchaSource(u"/opt/my-captcha --fast"_s).describe(),
             u"the command ZAI_CAPTCHA_COMMAND (/opt/my-captcha)"_s);
    QVERIFY(run(u"/nonexistent/captcha-program"_s).failure.contains(u"could not be started"_s));
    QVERIFY(run(u"   "_s).failure.contains(u"the command line is empty"_s));
}

void TestCommandCaptchaSource::parseOutput_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QString>("param");
    QTest::newRow("line") << "abc\n"_ba << u"abc"_s;
    QTest::newRow("crlf and blank lines") << "\r\n\nabc\r\n\n"_ba << u"abc"_s;
    QTest::newRow("json") << R"({"a":"b c"})"_ba << u"{\"a\":\"b c\"}"_s;
    QTest::newRow("8 KiB") << QByteArray(8192, 'x') << QString(8192, u'x');
    QTest::newRow("nothing") << ""_ba << QString();
    QTest::newRow("tab inside") << "a\tb"_ba << QString();
    QTest::newRow("utf-8") << "caf\xc3\xa9"_ba << QString();
    QTest::newRow("over 8 KiB") << QByteArray(8193, 'x') << QString();
}

void TestCommandCaptchaSource::parseOutput()
{
    QFETCH(QByteArray, out);
    QFETCH(QString, param);
    QString error;
    const std::optional<QString> got = CommandCaptchaSource::parseOutput(out, &error);
    QCOMPARE(got.value_or(QString()), param);
    QCOMPARE(error.isEmpty(), !param.isEmpty());
}

QTEST_GUILESS_MAIN(TestCommandCaptchaSource)
#include "testCommandCaptchaSource.moc"
