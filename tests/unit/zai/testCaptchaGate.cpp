// SPDX-License-Identifier: MIT
// Which upstream answers are Z.AI's captcha gate (zai-protocol.md section 10), in-stream and as
// HTTP bodies, and what the errors of P.11 say.

#include "zai/CaptchaGate.h"
#include "zai/StreamTranslator.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestCaptchaGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inStream_data();
    void inStream();
    void body_data();
    void body();
    void messages();
};

void TestCaptchaGate::inStream_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QString>("code"); // empty: not a captcha answer
    QTest::addColumn<bool>("rejected");
    // Section 10, verbatim.
    QTest::newRow("missing")
        << R"({"done":true,"error":{"captcha_error_type":"missing_param","code":"FRONTEND_CAPTCHA_REQUIRED","detail":"Please refresh the page to update the app, then try again.","error_code":"FRONTEND_CAPTCHA_REQUIRED"}})"_ba
        << u"FRONTEND_CAPTCHA_REQUIRED"_s << false;
    QTest::newRow("stale")
        << R"({"done":true,"error":{"captcha_error_type":"verify_failed","code":"F018","detail":"expired","error_code":"FRONTEND_CAPTCHA_REQUIRED","verify_code":"F018"}})"_ba
        << u"F018"_s << true;
    QTest::newRow("foreign, code only")
        << R"({"type":"chat:completion","data":{"error":{"code":"F019","detail":"failed"}}})"_ba
        << u"F019"_s << true;
    QTest::newRow("error_code only")
        << R"({"data":{"done":true,"error":{"error_code":"frontend_captcha_required"}}})"_ba
        << u"FRONTEND_CAPTCHA_REQUIRED"_s << false;
    QTest::newRow("other error")
        << R"({"done":true,"error":{"code":"INTERNAL_ERROR","detail":"oops"}})"_ba << QString()
        << false;
    QTest::newRow("concurrency")
        << R"({"done":true,"error":{"code":"MODEL_CONCURRENCY_LIMIT","detail":"limit"}})"_ba
        << QString() << false;
}

void TestCaptchaGate::inStream()
{
    QFETCH(QByteArray, event);
    QFETCH(QString, code);
    QFETCH(bool, rejected);
    StreamTranslator translator;
    const StreamTranslator::Step step = translator.feed(event);
    QVERIFY(step.error);
    const std::optional<CaptchaGate::Answer> answer = CaptchaGate::answerOf(*step.error);
    QCOMPARE(answer.has_value(), !code.isEmpty());
    if (answer) {
        QCOMPARE(answer->code, code);
        QCOMPARE(answer->rejected, rejected);
    }
}

void TestCaptchaGate::body_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("detail object")
        << R"({"detail":{"code":"FRONTEND_CAPTCHA_REQUIRED","detail":"refresh"}})"_ba
        << u"FRONTEND_CAPTCHA_REQUIRED"_s;
    QTest::newRow("error object") << R"({"error":{"code":"F018","message":"expired"}})"_ba
                                  << u"F018"_s;
    QTest::newRow("top level") << R"({"verify_code":"F019","captcha_error_type":"verify_failed"})"_ba
                               << u"F019"_s;
    QTest::newRow("plain detail") << R"({"detail":"Not authenticated"})"_ba << QString();
    QTest::newRow("html") << "<html>405</html>"_ba << QString();
    QTest::newRow("empty") << ""_ba << QString();
}

void TestCaptchaGate::body()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    const std::optional<CaptchaGate::Answer> answer = CaptchaGate::answerOfBody(body);
    QCOMPARE(answer ? answer->code : QString(), code);
}

void TestCaptchaGate::messages()
{
    CaptchaGate::Answer answer;
    answer.code = u"FRONTEND_CAPTCHA_REQUIRED"_s;
    answer.detail = u"Please refresh"_s;
    const ApiError none = CaptchaGate::noSource(answer);
    QCOMPARE(none.status(), 403);
    QCOMPARE(none.code(), u"captcha_required"_s);
    QVERIFY(none.message().contains(u"FRONTEND_CAPTCHA_REQUIRED: Please refresh"_s));
    QVERIFY(none.message().contains(u"Sign in to Z.AI…"_s));
    QVERIFY(none.message().contains(u"ZAI_CAPTCHA_COMMAND"_s));
    QVERIFY(none.message().contains(u"does not solve captchas"_s));

    const ApiError late = CaptchaGate::timedOut(answer, u"the Z.AI window"_s, 120);
    QCOMPARE(late.status(), 403);
    QCOMPARE(late.code(), u"captcha_required"_s);
    QVERIFY(late.message().contains(u"the Z.AI window gave no verify parameter within 120 "
                                    u"seconds"_s));

    const ApiError failed = CaptchaGate::refused(answer, u"the command X"_s, u"it crashed"_s);
    QCOMPARE(failed.code(), u"captcha_required"_s);
    QVERIFY(failed.message().endsWith(u"the command X gave no verify parameter: it crashed"_s));

    answer.code = u"F018"_s;
    const ApiError rejected = CaptchaGate::rejected(answer, u"the Z.AI window"_s);
    QCOMPARE(rejected.status(), 403);
    QCOMPARE(rejected.code(), u"captcha_rejected"_s);
    QVERIFY(rejected.message().contains(u"F018"_s));
}

QTEST_GUILESS_MAIN(TestCaptchaGate)
#include "testCaptchaGate.moc"
