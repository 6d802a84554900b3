// SPDX-License-Identifier: MIT
// The request log shows a failed request from a real server (an upstream that rejects the
// signature), filters and copies it, keeps totals per model across restarts, raises the
// "upstream changed" alert once, and shows redacted detail lines only with detailed logging.

#include "BridgeController.h"
#include "IntegrationSupport.h"
#include "LogCapture.h"
#include "util/Logging.h"
#include "RequestLogModel.h"
#include "RequestLogWindow.h"
#include "SettingsStore.h"

#include <QApplication>
#include <QClipboard>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestRequestLogWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsAFailedRequest();
    void detailLinesOnlyWhenDetailedAndRedacted();
};

void TestRequestLogWindow::showsAFailedRequest()
{
    QTemporaryDir dir;
    QSettings ini(dir.filePath(u"zaibridge.ini"_s), QSettings::IniFormat);
    SettingsStore store(&ini, nullptr);

    FakeZaiServer fake;
    QVERIFY(fake.start());
    AppSettings settings;
    settings.port = 0;
    settings.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    BridgeController bridge(UpstreamProfile::builtIn());
    bridge.setSettings(settings);
    QVERIFY(bridge.start());

    auto model = std::make_unique<RequestLogModel>(&store);
    QObject::connect(&bridge, &BridgeController::requestFinished, model.get(),
                     &RequestLogModel::add);
    QSignalSpy alerts(&bridge, &BridgeController::alert);
    RequestLogWindow window(model.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Claude Code's and Codex's dialects first: the log says which API each request spoke.
    const QUrl messages(u"http://127.0.0.1:%1/v1/messages"_s.arg(bridge.port()));
    QCOMPARE(Http::post(messages, R"({"model":"GLM-4.5","max_tokens":64,)"
                                  R"("messages":[{"role":"user","content":"hi"}]})")
                 .status,
             200);
    const QUrl responses(u"http://127.0.0.1:%1/v1/responses"_s.arg(bridge.port()));
    QCOMPARE(Http::post(responses, R"({"model":"GLM-4.5","input":"hi"})").status, 200);
    const QUrl chat(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(bridge.port()));
    QCOMPARE(Http::post(chat, chatBody(u"GLM-4.5"_s, u"works"_s, false)).status, 200);
    FakeReply reply;
    reply.httpStatus = 400;
    reply.body = R"({"detail":"Signature verification failed"})";
    fake.enqueue(reply);
    fake.enqueue(reply);
    QCOMPARE(Http::post(chat, chatBody(u"GLM-4.5"_s, u"fails"_s, false)).status, 502);
    QCOMPARE(Http::post(chat, chatBody(u"GLM-4.5"_s, u"fails again"_s, false)).status, 502);

    QTRY_COMPARE(window.visibleRows(), 5);
    QCOMPARE(window.visibleText(4, RequestLogModel::Api), u"Anthropic Messages"_s);
    QCOMPARE(window.visibleText(3, RequestLogModel::Api), u"OpenAI Responses"_s);
    QCOMPARE(window.visibleText(2, RequestLogModel::Api), u"OpenAI chat"_s);
    // Newest first: the failure, with its status, models and message.
    QCOMPARE(window.visibleText(0, RequestLogModel::Status), u"502"_s);
    QCOMPARE(window.visibleText(0, RequestLogModel::ClientModel), u"GLM-4.5"_s);
    QVERIFY(!window.visibleText(0, RequestLogModel::UpstreamModel).isEmpty());
    QVERIFY(window.visibleText(0, RequestLogModel::Error).contains(u"signature"_s));
    QVERIFY(window.visibleText(0, RequestLogModel::Latency).endsWith(u"ms"_s));
    QCOMPARE(window.visibleText(2, RequestLogModel::Status), u"200"_s);

    // One alert for the cause, not one per request.
    QCOMPARE(alerts.count(), 1);
    QCOMPARE(alerts.at(0).at(0).toString(), u"upstream-changed"_s);

    // The selected request in full: the whole error message and its code.
    window.selectRow(0);
    QVERIFY(window.selectedText().contains(u"Status: 502"_s));
    QVERIFY(window.selectedText().contains(u"upstream_signature_rejected"_s));
    QVERIFY(window.selectedText().contains(u"ZAI_SIGNING_SECRET"_s)); // the fix, at the end

    window.setFailuresOnly(true);
    QCOMPARE(window.visibleRows(), 2);
    window.setFailuresOnly(false);
    window.setFilterText(u"works-not-in-any-column"_s);
    QCOMPARE(window.visibleRows(), 0);
    window.setFilterText(u"signature"_s);
    QCOMPARE(window.visibleRows(), 2);
    window.setFilterText(QString());

    window.findChild<QPushButton *>(u"copyButton"_s)->click();
    const QString copied = QApplication::clipboard()->text();
    QCOMPARE(copied.count(u'\n'), 4);
    QVERIFY(copied.contains(u"502"_s));
    QVERIFY(copied.contains(u"POST /v1/chat/completions"_s));

    QCOMPARE(model->totals().value(u"GLM-4.5"_s).requests, 5);
    QCOMPARE(model->totals().value(u"GLM-4.5"_s).failures, 2);
    QVERIFY(model->totals().value(u"GLM-4.5"_s).completionTokens > 0);

    window.findChild<QPushButton *>(u"clearButton"_s)->click();
    QCOMPARE(window.visibleRows(), 0);
    QCOMPARE(model->totals().value(u"GLM-4.5"_s).requests, 5); // totals stay

    // Totals survive a restart.
    RequestLogModel reloaded(&store);
    QCOMPARE(reloaded.totals().value(u"GLM-4.5"_s).requests, 5);
    QCOMPARE(reloaded.totals().value(u"GLM-4.5"_s).failures, 2);
    bridge.stop();
}

void TestRequestLogWindow::detailLinesOnlyWhenDetailedAndRedacted()
{
    LogCapture capture;
    const QString secret = u"tok-very-secret-value-123"_s;
    capture.setSecrets({secret});
    RequestLogModel model;
    RequestLogWindow window(&model);
    QObject::connect(&capture, &LogCapture::line, &window, &RequestLogWindow::appendDetail);
    auto *text = window.findChild<QPlainTextEdit *>(u"detailText"_s);

    qCInfo(lcServer).noquote() << "not captured" << secret;
    QCoreApplication::processEvents();
    QVERIFY(text->toPlainText().isEmpty());

    capture.setEnabled(true);
    window.setDetailedLogging(true);
    qCInfo(lcServer).noquote() << "chat request with" << secret;
    QTRY_VERIFY(text->toPlainText().contains(u"chat request with"_s));
    QVERIFY(!text->toPlainText().contains(secret));
    QVERIFY(text->toPlainText().contains(u"zaibridge.server"_s));
}

QTEST_MAIN(TestRequestLogWindow)
#include "testRequestLogWindow.moc"
