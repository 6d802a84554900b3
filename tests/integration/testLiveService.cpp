// SPDX-License-Identifier: MIT
// What the live service of zai-protocol.md section 10 asks for, against the fake upstream: one
// X-Device-Id and x-region on every upstream call (P.13), the upstream's own model list read at
// start and on the profile's interval, its new models offered and usable, a failed read keeping
// the last list (P.14), a guest asking for a model kept for accounts told to sign in, and the
// newer concurrency answers treated like HTTP 429.

#include "IntegrationSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;
const QString ModelsPath = u"/api/models"_s;

QStringList modelIds(TestBed &bed)
{
    QStringList ids;
    const HttpResponse r = Http::get(bed.url(u"/v1/models"_s));
    for (const QJsonValue &v : r.json().value("data"_L1).toArray())
        ids.append(v.toObject().value("id"_L1).toString());
    return ids;
}

// The built-in profile with the model list read every `seconds`.
UpstreamProfile refreshingProfile(int seconds)
{
    QJsonObject json = UpstreamProfile::builtIn().json();
    json.insert(u"modelsRefreshSeconds"_s, seconds);
    QString error;
    return *UpstreamProfile::fromJson(json, &error);
}

QString startWithAccount(TestBed &bed, const QStringList &users = {u"alice"_s})
{
    for (const QString &user : users) {
        const QString token = TestBed::makeToken(user);
        bed.config.tokens.append(token);
        bed.fake->addValidToken(token);
    }
    QString error;
    return bed.start(&error) ? QString() : error;
}

HttpResponse chat(TestBed &bed, const QString &model, const QString &prompt, bool stream = false)
{
    if (!stream)
        return Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(model, prompt, false));
    RawClient client;
    if (!client.connectTo(bed.port()))
        return {};
    client.sendRequest("POST", "/v1/chat/completions", chatBody(model, prompt, true));
    return client.readResponse();
}

QList<QByteArray> bearers(const TestBed &bed)
{
    QList<QByteArray> out;
    for (const RecordedRequest &r : bed.fake->requests(CompletionsPath))
        out.append(r.header("authorization").mid(7));
    return out;
}

// Counts the warnings of the zaibridge.upstream category that contain `needle`.
class WarningCounter
{
public:
    explicit WarningCounter(QString needle)
    {
        s_needle = std::move(needle);
        s_count = 0;
        s_texts.clear();
        s_previous = qInstallMessageHandler(&WarningCounter::handle);
    }
    ~WarningCounter() { qInstallMessageHandler(s_previous); }
    int count() const { return s_count; }
    QStringList texts() const { return s_texts; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && message.contains(s_needle)) {
            ++s_count;
            s_texts.append(message);
        }
        if (s_previous)
            s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QString s_needle;
    static inline int s_count = 0;
    static inline QStringList s_texts;
};

} // namespace

class TestLiveService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deviceIdAndRegionOnEveryGuestCall();
    void deviceIdAndRegionOnEveryAccountCall();
    void listedModelAppearsAndAnswers();
    void guestModeReadsTheListWithAGuest();
    void failedReadKeepsTheLastList();
    void guestAskingForAnAccountModel_data();
    void guestAskingForAnAccountModel();
    void concurrencyAnswersTryAnotherToken_data();
    void concurrencyAnswersTryAnotherToken();
    void concurrencyOnTheOnlyTokenBacksOff();
};

void TestLiveService::deviceIdAndRegionOnEveryGuestCall()
{
    // No device id configured (a bare BridgeConfig): the client makes one and keeps it for all
    // of its calls: landing page, guest sign-in, chats/new, completions, the model list.
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    TestBed bed;
    QVERIFY(bed.start());
    QCOMPARE(chat(bed, u"GLM-4.7"_s, u"persisted"_s).status, 200); // chats/new first
    QCOMPARE(chat(bed, u"GLM-4.5"_s, u"simple"_s, true).status, 200);
    QTRY_VERIFY(bed.fake->count(ModelsPath) >= 1);
    QSet<QString> paths;
    QSet<QByteArray> ids;
    for (const RecordedRequest &r : bed.fake->requests()) {
        paths.insert(r.path);
        ids.insert(r.header("x-device-id"));
        QCOMPARE(r.header("x-region"), "overseas"_ba);
    }
    for (const QString &path :
         {u"/"_s, u"/api/v1/auths/"_s, u"/api/v1/chats/new"_s, CompletionsPath, ModelsPath})
        QVERIFY2(paths.contains(path), qPrintable(path));
    QCOMPARE(ids.size(), 1);
    QVERIFY2(!QUuid::fromString(QString::fromLatin1(*ids.begin())).isNull(),
             ids.begin()->constData());
}

void TestLiveService::deviceIdAndRegionOnEveryAccountCall()
{
    // The installation's id (BridgeConfig::deviceId) on the account's calls, uploads included.
    TestBed bed;
    bed.config.deviceId = u"5e0c7d3a-1b2f-4c6e-9a8d-7f6e5d4c3b2a"_s;
    const QString error = startWithAccount(bed);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile png(QStringLiteral(ZB_TEST_DATA_DIR "/images/red-8x4.png"));
    QVERIFY(png.open(QIODevice::ReadOnly));
    const QString dataUrl =
        u"data:image/png;base64,"_s + QString::fromLatin1(png.readAll().toBase64());
    const QJsonObject body{
        {"model"_L1, u"GLM-4.5"_s},
        {"messages"_L1,
         QJsonArray{QJsonObject{
             {"role"_L1, u"user"_s},
             {"content"_L1,
              QJsonArray{QJsonObject{{"type"_L1, u"text"_s}, {"text"_L1, u"what is it?"_s}},
                         QJsonObject{{"type"_L1, u"image_url"_s},
                                     {"image_url"_L1, QJsonObject{{"url"_L1, dataUrl}}}}}}}}}};
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(body)).status, 200);
    QTRY_VERIFY(bed.fake->count(ModelsPath) >= 1);
    QSet<QString> paths;
    for (const RecordedRequest &r : bed.fake->requests()) {
        paths.insert(r.path);
        QCOMPARE(r.header("x-device-id"), bed.config.deviceId.toUtf8());
        QCOMPARE(r.header("x-region"), "overseas"_ba);
    }
    for (const QString &path : {u"/api/v1/files/"_s, CompletionsPath, ModelsPath})
        QVERIFY2(paths.contains(path), qPrintable(path));
}

void TestLiveService::listedModelAppearsAndAnswers()
{
    TestBed bed;
    bed.profile = refreshingProfile(1);
    const QString error = startWithAccount(bed);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(bed.fake->count(ModelsPath) >= 1); // read at start
    // Read with the account's token; the fake's list has no model the catalogue lacks yet.
    QCOMPARE(bed.fake->requests(ModelsPath).first().header("authorization"),
             "Bearer " + bed.config.tokens.first().toUtf8());
    QStringList ids = modelIds(bed);
    QVERIFY(ids.contains(u"GLM-5.3"_s)); // the offline defaults of section 10
    QVERIFY(!ids.contains(u"GLM-9.1-Turbo"_s));

    // Z.AI ships a model: it is offered after the next read, in the catalogue's style, with a
    // search variant for its listed web search, and answers.
    bed.fake->addModel(u"glm-9.1-turbo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(modelIds(bed).contains(u"GLM-9.1-Turbo"_s), 8000);
    ids = modelIds(bed);
    QVERIFY(ids.contains(u"GLM-9.1-Turbo-Search"_s));
    QCOMPARE(ids.count(u"GLM-4.7"_s), 1); // models it knew are not offered twice
    QCOMPARE(Http::get(bed.url(u"/v1/models/glm-9.1-turbo"_s)).status, 200);

    const HttpResponse r = chat(bed, u"GLM-9.1-Turbo"_s, u"brand new"_s, true);
    QCOMPARE(r.status, 200);
    // The fake's listing says the model thinks: thinking is on by default, as for GLM-5 (the
    // answer after a thought starts with a line break, section 6.8).
    const QList<QJsonObject> chunks = Sse::chunks(Sse::parse(r.body));
    QCOMPARE(Sse::content(chunks), u"\n"_s + FakeZaiServer::expectedAnswer(u"brand new"_s));
    QVERIFY(!Sse::reasoning(chunks).isEmpty());
    const RecordedRequest upstream = bed.fake->requests(CompletionsPath).last();
    QCOMPARE(upstream.json.value("model"_L1).toString(), u"glm-9.1-turbo"_s);
    QCOMPARE(upstream.json.value("features"_L1).toObject().value("enable_thinking"_L1).toBool(),
             true);
    QVERIFY(bed.fake->lastRejection().isEmpty());
    const HttpResponse search = chat(bed, u"glm-9.1-turbo-search"_s, u"look it up"_s);
    QCOMPARE(search.status, 200);
    QCOMPARE(bed.fake->requests(CompletionsPath)
                 .last()
                 .json.value("features"_L1)
                 .toObject()
                 .value("web_search"_L1)
                 .toBool(),
             true);
}

void TestLiveService::guestModeReadsTheListWithAGuest()
{
    // Guests: the list is read with the guest the first request signs in, never with a sign-in
    // of its own.
    TestBed bed;
    bed.guestsOnLive = true;
    bed.fake->addModel(u"glm-9-guest"_s);
    QVERIFY(bed.start());
    QTest::qWait(300);
    QCOMPARE(bed.fake->count(u"/api/v1/auths"_s), 0);
    QCOMPARE(bed.fake->count(ModelsPath), 0);
    // (GLM-4.7 on the live service, the one model it gives guests.)
    QCOMPARE(chat(bed, live2026() ? u"GLM-4.7"_s : u"GLM-4.5"_s, u"hello"_s).status, 200);
    QTRY_COMPARE(bed.fake->count(ModelsPath), 1);
    QCOMPARE(bed.fake->requests(ModelsPath).first().header("authorization"),
             "Bearer " + bed.fake->guestTokens().first().toUtf8());
    QTRY_VERIFY(modelIds(bed).contains(u"GLM-9-Guest"_s));
    QCOMPARE(bed.fake->guestTokens().size(), 1);
}

void TestLiveService::failedReadKeepsTheLastList()
{
    TestBed bed;
    bed.profile = refreshingProfile(1);
    bed.fake->addModel(u"glm-9.2"_s);
    const QString error = startWithAccount(bed);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY(modelIds(bed).contains(u"GLM-9.2"_s));

    // Three failed reads in a row: an error status, an HTML page, a list without models.
    WarningCounter warnings(u"model list"_s);
    const int before = bed.fake->count(ModelsPath);
    FakeReply failure;
    failure.pathPrefix = ModelsPath;
    failure.httpStatus = 500;
    failure.body = R"({"detail":"Internal Server Error"})";
    bed.fake->enqueue(failure);
    failure.httpStatus = 200;
    failure.contentType = "text/html";
    failure.body = "<!doctypehtml><html>blocked</html>";
    bed.fake->enqueue(failure);
    failure.contentType = {};
    failure.body = R"({"data":[]})";
    bed.fake->enqueue(failure);
    QTRY_VERIFY_WITH_TIMEOUT(bed.fake->count(ModelsPath) >= before + 3, 10000);
    QVERIFY(modelIds(bed).contains(u"GLM-9.2"_s));
    QCOMPARE(chat(bed, u"GLM-9.2"_s, u"still here"_s).status, 200);
    // Logged once, without the token.
    QCOMPARE(warnings.count(), 1);
    QVERIFY2(warnings.texts().first().contains(u"HTTP 500"_s),
             qPrintable(warnings.texts().first()));
    QVERIFY(!warnings.texts().first().contains(bed.config.tokens.first()));

    // After a good read, the next failure is logged again.
    QTRY_VERIFY_WITH_TIMEOUT(bed.fake->count(ModelsPath) >= before + 4, 5000);
    QCOMPARE(warnings.count(), 1);
    failure.httpStatus = 502;
    failure.body = "Bad Gateway";
    bed.fake->enqueue(failure);
    QTRY_COMPARE_WITH_TIMEOUT(warnings.count(), 2, 5000);
    QVERIFY(modelIds(bed).contains(u"GLM-9.2"_s));
}

void TestLiveService::guestAskingForAnAccountModel_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("inStream"); // the 403 as an in-stream error, or as the HTTP status
    QTest::newRow("non-streaming") << false << true;
    QTest::newRow("streaming") << true << true;
    QTest::newRow("HTTP 403") << false << false;
}

void TestLiveService::guestAskingForAnAccountModel()
{
    // Guests get GLM-4.7 only; GLM-5 and newer answer them with a 403 (section 10: in the stream).
    QFETCH(bool, stream);
    QFETCH(bool, inStream);
    TestBed bed;
    bed.guestsOnLive = true;
    bed.fake->addModel(u"GLM-5.1"_s);
    QVERIFY(bed.start());
    FakeReply refused;
    if (inStream) {
        refused.events = {
            FakeZaiServer::errorEvent(403, u"Model not available for current user level"_s)};
    } else {
        refused.httpStatus = 403;
        refused.body = R"({"detail":"Model not available for current user level"})";
    }
    bed.fake->enqueue(refused);
    const HttpResponse r = chat(bed, u"GLM-5.1"_s, u"hi"_s, stream);
    QCOMPARE(r.status, 403);
    const QJsonObject e = r.error();
    QCOMPARE(e.value("type"_L1).toString(), u"permission_error"_s);
    QCOMPARE(e.value("code"_L1).toString(), u"login_required"_s);
    const QString message = e.value("message"_L1).toString();
    for (const QString &part : {u"GLM-5.1"_s, u"Sign in to Z.AI"_s, u"ZAI_TOKEN"_s,
                                u"Model not available for current user level"_s})
        QVERIFY2(message.contains(part), qPrintable(message));
    QCOMPARE(bed.fake->count(CompletionsPath), 1); // not retried: another guest would not help

    // An account that is refused the model hears that, not "sign in".
    TestBed account;
    account.fake->addModel(u"GLM-5.1"_s);
    const QString error = startWithAccount(account);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    account.fake->enqueue(refused);
    const HttpResponse a = chat(account, u"GLM-5.1"_s, u"hi"_s, stream);
    QCOMPARE(a.status, 403);
    QCOMPARE(a.error().value("code"_L1).toString(),
             inStream ? u"model_not_available"_s : u"upstream_forbidden"_s);
    QVERIFY(!a.error().value("message"_L1).toString().contains(u"Sign in"_s));
    QCOMPARE(account.fake->count(CompletionsPath), 1);
}

void TestLiveService::concurrencyAnswersTryAnotherToken_data()
{
    QTest::addColumn<int>("httpStatus"); // 200: the error in the stream
    QTest::addColumn<QJsonValue>("code");
    QTest::addColumn<QString>("detail");
    QTest::newRow("MODEL_CONCURRENCY_LIMIT")
        << 200 << QJsonValue(u"MODEL_CONCURRENCY_LIMIT"_s) << u"Too many requests at once"_s;
    QTest::newRow("concurrent conversation limit")
        << 200 << QJsonValue(500)
        << u"You have reached the current concurrent conversation limit"_s;
    QTest::newRow("at capacity") << 200 << QJsonValue(u"INTERNAL_ERROR"_s)
                                 << u"The model is currently at capacity, try later"_s;
    QTest::newRow("HTTP 400 MODEL_CONCURRENCY_LIMIT")
        << 400 << QJsonValue() << u"MODEL_CONCURRENCY_LIMIT"_s;
    QTest::newRow("HTTP 503 at capacity") << 503 << QJsonValue() << u"currently at capacity"_s;
}

void TestLiveService::concurrencyAnswersTryAnotherToken()
{
    QFETCH(int, httpStatus);
    QFETCH(QJsonValue, code);
    QFETCH(QString, detail);
    TestBed bed;
    const QString error = startWithAccount(bed, {u"first"_s, u"second"_s});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    FakeReply busy;
    if (httpStatus == 200) {
        busy.events = {FakeZaiServer::errorEvent(code, detail)};
    } else {
        busy.httpStatus = httpStatus;
        busy.body =
            QJsonDocument(QJsonObject{{"detail"_L1, detail}}).toJson(QJsonDocument::Compact);
    }
    bed.fake->enqueue(busy);
    const HttpResponse r = chat(bed, u"GLM-4.5"_s, u"busy"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"busy"_s));
    const QList<QByteArray> used = bearers(bed);
    QCOMPARE(used.size(), 2);
    QVERIFY(used.at(0) != used.at(1)); // the other account, at once
}

void TestLiveService::concurrencyOnTheOnlyTokenBacksOff()
{
    // One account that stays busy: back-off and the same token again, then a 429 with
    // Retry-After, never "not available" or a rejected token.
    TestBed bed;
    bed.config.maxRetries = 2;
    const QString error = startWithAccount(bed);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (int i = 0; i < 3; ++i) {
        FakeReply busy;
        busy.events = {FakeZaiServer::errorEvent(u"MODEL_CONCURRENCY_LIMIT"_s, u"limit"_s)};
        bed.fake->enqueue(busy);
    }
    const HttpResponse r = chat(bed, u"GLM-4.5"_s, u"busy"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.error().value("code"_L1).toString(), u"rate_limit_exceeded"_s);
    QCOMPARE(r.error().value("type"_L1).toString(), u"rate_limit_error"_s);
    QVERIFY(r.hasHeader("retry-after"));
    const QList<QByteArray> used = bearers(bed);
    QCOMPARE(used.size(), 3);
    QCOMPARE(QSet<QByteArray>(used.cbegin(), used.cend()).size(), 1);
}

QTEST_GUILESS_MAIN(TestLiveService)
#include "testLiveService.moc"
