// SPDX-License-Identifier: MIT
#include "conversation/Conversation.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "zai/Signer.h"
#include "zai/TokenPool.h"
#include "zai/UpstreamProfile.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "zai/ZaiRequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

class TestZaiRequestBuilder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void simpleProfile();
    void persistedProfile();
    void dateVariablesFollowTheClock();
    void queryValuesArePercentEncoded();
    void chatsNewBody();
    void messageConversion();
    void userIdFromJwt();
    void fileUploadIsMultipart();
    void uploadedImagesReferenced();

private:
    Conversation request(const QByteArray &json)
    {
        ApiError error;
        auto r = ChatCompletionsRequest::parse(json, &error);
        return r ? r->conversation : Conversation();
    }
    UpstreamProfile m_profile = UpstreamProfile::builtIn();
};

void TestZaiRequestBuilder::simpleProfile()
{
    ZaiRequestBuilder b(m_profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.5","temperature":0.5,"messages":[
        {"role":"system","content":"sys"},{"role":"user","content":"Hello, 世界!"}]})"_ba);
    const ModelEntry *model = m_profile.catalogue().find(u"GLM-4.5"_s);
    const TokenLease lease{u"tok&en+1"_s, u"user-1"_s, false, u"token #1"_s};
    ZaiRequestBuilder::Ids ids = ZaiRequestBuilder::Ids::fresh();
    ids.timestampMs = 1760000000000;
    QByteArray body;
    const UpstreamRequest net = b.completion(r, *model, lease, ids, {false, false},
                                             u"prod-fe-1.0.231"_s, &body);
    const QUrlQuery q(net.url());
    QCOMPARE(net.url().path(), u"/api/v2/chat/completions"_s);
    QCOMPARE(q.queryItemValue(u"timestamp"_s), u"1760000000000"_s);
    QCOMPARE(q.queryItemValue(u"signature_timestamp"_s), u"1760000000000"_s);
    QCOMPARE(q.queryItemValue(u"requestId"_s), ids.requestId);
    QCOMPARE(q.queryItemValue(u"user_id"_s), u"user-1"_s);
    QCOMPARE(q.queryItemValue(u"token"_s, QUrl::FullyDecoded), u"tok&en+1"_s); // survives encoding
    QCOMPARE(q.queryItemValue(u"version"_s), u"0.0.1"_s);
    QCOMPARE(q.queryItemValue(u"platform"_s), u"web"_s);
    QCOMPARE(q.queryItemValue(u"pathname"_s, QUrl::FullyDecoded), u"/c/"_s + ids.chatId);
    QVERIFY(!q.hasQueryItem(u"screen_width"_s));
    QCOMPARE(net.rawHeader("X-Signature"),
             Signer::sign(Signer::defaultSecret(), ids.requestId, ids.timestampMs, u"user-1"_s,
                          u"Hello, 世界!"_s));
    QCOMPARE(net.rawHeader("X-FE-Version"), "prod-fe-1.0.231"_ba);
    QCOMPARE(net.rawHeader("Authorization"), "Bearer tok&en+1"_ba);
    QCOMPARE(net.rawHeader("Origin"), "http://127.0.0.1:5000"_ba);
    QCOMPARE(net.rawHeader("Accept"), "application/json"_ba);
    QVERIFY(net.rawHeader("Referer").endsWith(ids.chatId.toUtf8()));

    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QCOMPARE(json.value(u"stream"_s).toBool(), true);
    QCOMPARE(json.value(u"model"_s).toString(), u"0727-360B-API"_s);
    QCOMPARE(json.value(u"signature_prompt"_s).toString(), u"Hello, 世界!"_s);
    QCOMPARE(json.value(u"params"_s).toObject().value(u"temperature"_s).toDouble(), 0.5);
    QCOMPARE(json.value(u"chat_id"_s).toString(), ids.chatId);
    QCOMPARE(json.value(u"current_user_message_id"_s).toString(), ids.userMessageId);
    QVERIFY(json.value(u"current_user_message_parent_id"_s).isNull());
    QCOMPARE(json.value(u"model_item"_s).toObject().value(u"id"_s).toString(), u"0727-360B-API"_s);
    QVERIFY(json.value(u"files"_s).isArray());
    const QJsonObject features = json.value(u"features"_s).toObject();
    QCOMPARE(features.value(u"enable_thinking"_s).toBool(), false);
    QCOMPARE(features.value(u"features"_s).toArray().size(), 6);
    QCOMPARE(json.value(u"variables"_s).toObject().value(u"{{CURRENT_DATETIME}}"_s).toString(),
             u"2025-10-09 16:53:20"_s); // UTC+8 of the timestamp
    QCOMPARE(json.value(u"messages"_s).toArray().size(), 2);
}

void TestZaiRequestBuilder::dateVariablesFollowTheClock()
{
    // The builder makes the date variables once a second and time zone: a new second, another
    // zone and a step back in time must each show up.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(R"({"fingerprint":{"timezone_offset":"0"}})");
    file.close();
    QString error;
    const std::optional<UpstreamProfile> utcProfile = UpstreamProfile::load(file.fileName(), &error);
    QVERIFY2(utcProfile, qPrintable(error));
    const QUrl url(u"http://127.0.0.1:5000/api/v2/chat/completions"_s);
    const ZaiRequestBuilder china(m_profile, url, Signer::defaultSecret());
    const ZaiRequestBuilder utc(*utcProfile, url, Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"hi"}]})"_ba);
    const auto variables = [&](const ZaiRequestBuilder &b, const UpstreamProfile &p, qint64 ms) {
        const ModelEntry *model = p.catalogue().find(u"GLM-4.5"_s);
        ZaiRequestBuilder::Ids ids = ZaiRequestBuilder::Ids::fresh();
        ids.timestampMs = ms;
        QByteArray body;
        b.completion(r, *model, TokenLease{u"t"_s, u"u"_s, false, u"token #1"_s}, ids, {}, u"v"_s,
                     &body);
        const QJsonObject v = QJsonDocument::fromJson(body).object().value(u"variables"_s).toObject();
        return QStringList{v.value(u"{{CURRENT_DATETIME}}"_s).toString(),
                           v.value(u"{{CURRENT_DATE}}"_s).toString(),
                           v.value(u"{{CURRENT_TIME}}"_s).toString(),
                           v.value(u"{{CURRENT_WEEKDAY}}"_s).toString()};
    };
    const QStringList first{u"2025-10-09 16:53:20"_s, u"2025-10-09"_s, u"16:53:20"_s, u"Thursday"_s};
    QCOMPARE(variables(china, m_profile, 1760000000000), first);
    QCOMPARE(variables(china, m_profile, 1760000000999), first);
    QCOMPARE(variables(china, m_profile, 1760000001000),
             (QStringList{u"2025-10-09 16:53:21"_s, u"2025-10-09"_s, u"16:53:21"_s, u"Thursday"_s}));
    QCOMPARE(variables(utc, *utcProfile, 1760000001000),
             (QStringList{u"2025-10-09 08:53:21"_s, u"2025-10-09"_s, u"08:53:21"_s, u"Thursday"_s}));
    QCOMPARE(variables(china, m_profile, 1760028800000), // past midnight in UTC+8
             (QStringList{u"2025-10-10 00:53:20"_s, u"2025-10-10"_s, u"00:53:20"_s, u"Friday"_s}));
    QCOMPARE(variables(china, m_profile, 1760000000500), first);
}

void TestZaiRequestBuilder::queryValuesArePercentEncoded()
{
    // Unreserved ASCII passes as it is; anything else is percent-encoded UTF-8 (RFC 3986).
    ZaiRequestBuilder b(m_profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"hi"}]})"_ba);
    const ModelEntry *model = m_profile.catalogue().find(u"GLM-4.5"_s);
    const auto queryFor = [&](const QString &userId, const QString &token) {
        QByteArray body;
        return b.completion(r, *model, TokenLease{token, userId, false, u"token #1"_s},
                            ZaiRequestBuilder::Ids::fresh(), {}, u"v"_s, &body)
            .encodedQuery();
    };
    const QByteArray plain = queryFor(u"Az09-._~"_s, u"t"_s);
    QVERIFY2(plain.contains("&user_id=Az09-._~&"), plain.constData());
    const QByteArray mixed = queryFor(u"ü s/1+é"_s, u"a b&c=d"_s);
    QVERIFY2(mixed.contains("&user_id=%C3%BC%20s%2F1%2B%C3%A9&"), mixed.constData());
    QVERIFY2(mixed.contains("&token=a%20b%26c%3Dd&"), mixed.constData());
    QVERIFY2(queryFor(u""_s, u"t"_s).contains("&user_id=&"), "empty value");
}

void TestZaiRequestBuilder::persistedProfile()
{
    ZaiRequestBuilder b(m_profile, QUrl(u"https://chat.z.ai/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.6V","messages":[{"role":"user","content":"look"}]})"_ba);
    const ModelEntry *model = m_profile.catalogue().find(u"GLM-4.6V"_s);
    const TokenLease lease{u"t"_s, u"u"_s, true, u"guest #1"_s};
    const auto ids = ZaiRequestBuilder::Ids::fresh();
    QByteArray body;
    const UpstreamRequest net = b.completion(r, *model, lease, ids,
                                             ZaiRequestBuilder::switchesFor(r, *model),
                                             u"prod-fe-1.0.231"_s, &body);
    const QUrlQuery q(net.url());
    QCOMPARE(q.queryItemValue(u"screen_resolution"_s), u"1920x1080"_s);
    QCOMPARE(q.queryItemValue(u"host"_s), u"chat.z.ai"_s);
    QCOMPARE(q.queryItemValue(u"protocol"_s, QUrl::FullyDecoded), u"https:"_s);
    QVERIFY(q.hasQueryItem(u"local_time"_s));
    QVERIFY(q.queryItemValue(u"utc_time"_s, QUrl::FullyDecoded).endsWith(u"GMT"_s));
    QCOMPARE(q.queryItems().last().first, u"signature_timestamp"_s);
    QCOMPARE(net.rawHeader("Accept"), "*/*"_ba);
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QVERIFY(!json.contains(u"model_item"_s));
    QCOMPARE(json.value(u"mcp_servers"_s).toArray().size(), 3);
    QCOMPARE(json.value(u"features"_s).toObject().value(u"enable_thinking"_s).toBool(), true);
    QCOMPARE(json.value(u"features"_s).toObject().value(u"preview_mode"_s).toBool(), false);
    QCOMPARE(json.value(u"background_tasks"_s).toObject().value(u"title_generation"_s).toBool(), true);
}

void TestZaiRequestBuilder::chatsNewBody()
{
    ZaiRequestBuilder b(m_profile, QUrl(u"https://chat.z.ai/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.7","messages":[{"role":"user","content":"hi"}]})"_ba);
    const ModelEntry *model = m_profile.catalogue().find(u"GLM-4.7"_s);
    const auto ids = ZaiRequestBuilder::Ids::fresh();
    QByteArray body;
    const UpstreamRequest net = b.chatsNew(r, *model, {u"t"_s, u"u"_s, false, {}}, ids,
                                           {true, false}, &body);
    QCOMPARE(net.url().toString(), u"https://chat.z.ai/api/v1/chats/new"_s);
    const QJsonObject chat = QJsonDocument::fromJson(body).object().value(u"chat"_s).toObject();
    QCOMPARE(chat.value(u"models"_s).toArray().first().toString(), u"glm-4.7"_s);
    QCOMPARE(chat.value(u"history"_s).toObject().value(u"currentId"_s).toString(), ids.userMessageId);
    QCOMPARE(chat.value(u"history"_s)
                 .toObject()
                 .value(u"messages"_s)
                 .toObject()
                 .value(ids.userMessageId)
                 .toObject()
                 .value(u"content"_s)
                 .toString(),
             u"hi"_s);
    QCOMPARE(chat.value(u"enable_thinking"_s).toBool(), true);
}

void TestZaiRequestBuilder::messageConversion()
{
    const Conversation r = request(R"({"model":"m","messages":[
        {"role":"developer","content":"rules"},
        {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"image_url","image_url":{"url":"https://img/x.png"}}]},
        {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"p\":1}"}},
                                                         {"id":"call_2","type":"function","function":{"name":"other","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"file text"},
        {"role":"tool","tool_call_id":"call_2","name":"other","content":"more"},
        {"role":"user","content":""},
        {"role":"user","content":"next"}]})"_ba);
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r);
    QCOMPARE(out.size(), 5);
    QCOMPARE(out.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
    const QJsonArray parts = out.at(1).toObject().value(u"content"_s).toArray();
    QCOMPARE(parts.at(0).toObject().value(u"text"_s).toString(), u"a\nb"_s);
    QCOMPARE(parts.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(),
             u"https://img/x.png"_s);
    QVERIFY(out.at(2).toObject().value(u"content"_s).toString().contains(u"<tool>read</tool>"_s));
    const QString results = out.at(3).toObject().value(u"content"_s).toString();
    QCOMPARE(out.at(3).toObject().value(u"role"_s).toString(), u"user"_s);
    QVERIFY(results.contains(u"<tool_result tool=\"read\" call_id=\"call_1\">file text</tool_result>"_s));
    QVERIFY(results.contains(u"<tool_result tool=\"other\" call_id=\"call_2\">more</tool_result>"_s));
    QCOMPARE(out.at(4).toObject().value(u"content"_s).toString(), u"next"_s);
}

void TestZaiRequestBuilder::userIdFromJwt()
{
    const QByteArray payload = QByteArray(R"({"id":"3f2a9d10","email":"Guest-1@guest.com"})")
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(TokenPool::userIdFromJwt(u"eyJhbGciOiJFUzI1NiJ9."_s + QString::fromLatin1(payload) + u".sig"_s),
             u"3f2a9d10"_s);
    QCOMPARE(TokenPool::userIdFromJwt(u"opaque"_s), u"guest"_s);
}

namespace {

// Request with two user turns: one image in the first, the same image again and a second one in
// the last; as ImageUploader::apply leaves it after the uploads.
Conversation withUploads()
{
    Conversation r;
    r.model = u"GLM-4.6V"_s;
    const auto image = [](const QString &id) {
        ContentPart part(ContentPart::Type::Image, {}, u"data:image/png;base64,"_s);
        part.imageType = u"image/png"_s;
        part.imageBytes = QByteArray("\x89PNG-") + id.toLatin1();
        part.imageFile = QJsonObject{{u"id"_s, id},
                                     {u"filename"_s, QString(id + u".png"_s)},
                                     {u"meta"_s, QJsonObject{{u"size"_s, 123}}}};
        return part;
    };
    Message first;
    first.parts = {{ContentPart::Type::Text, u"what is this?"_s}, image(u"file-a"_s)};
    Message answer;
    answer.role = Message::Role::Assistant;
    answer.parts = {{ContentPart::Type::Text, u"a chart"_s}};
    Message second;
    second.parts = {image(u"file-a"_s), {ContentPart::Type::Text, u"and these?"_s}, image(u"file-b"_s)};
    r.messages = {first, answer, second};
    return r;
}

} // namespace

void TestZaiRequestBuilder::fileUploadIsMultipart()
{
    ZaiRequestBuilder b(m_profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const TokenLease lease{u"secret-token"_s, u"user-1"_s, false, u"token #1"_s};
    const QByteArray image("\x89PNG\r\n\x1a\n\x00\r\n--binary", 19);
    const QByteArray boundary = ZaiRequestBuilder::newBoundary();
    QVERIFY(boundary.startsWith("----WebKitFormBoundary"));
    QCOMPARE(boundary.size(), 38);
    QVERIFY(boundary != ZaiRequestBuilder::newBoundary());
    QByteArray body;
    const QNetworkRequest net = b.fileUpload(lease, u"image/png"_s, image, u"f3e1.png"_s,
                                             "----WebKitFormBoundaryABCDEFGHIJKLMNOP", &body);
    QCOMPARE(net.url().toString(), u"http://127.0.0.1:5000/api/v1/files/"_s);
    QCOMPARE(net.rawHeader("Authorization"), "Bearer secret-token");
    QCOMPARE(net.rawHeader("Content-Type"),
             "multipart/form-data; boundary=----WebKitFormBoundaryABCDEFGHIJKLMNOP");
    QCOMPARE(net.rawHeader("Accept"), "application/json");
    QCOMPARE(net.rawHeader("Origin"), "http://127.0.0.1:5000");
    QCOMPARE(net.rawHeader("Referer"), "http://127.0.0.1:5000/");
    QVERIFY(!net.rawHeader("User-Agent").isEmpty());
    const QByteArray expected = "------WebKitFormBoundaryABCDEFGHIJKLMNOP\r\n"
                                "Content-Disposition: form-data; name=\"file\"; filename=\"f3e1.png\"\r\n"
                                "Content-Type: image/png\r\n"
                                "\r\n"
                                + image
                                + "\r\n------WebKitFormBoundaryABCDEFGHIJKLMNOP--\r\n";
    QCOMPARE(body, expected);
}

void TestZaiRequestBuilder::uploadedImagesReferenced()
{
    ZaiRequestBuilder b(m_profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = withUploads();
    const TokenLease lease{u"tok"_s, u"user-1"_s, false, u"token #1"_s};
    const ZaiRequestBuilder::Ids ids = ZaiRequestBuilder::Ids::fresh();

    // Messages: text first, then the images in the client's order, each by its bare file id.
    const QJsonArray messages = ZaiRequestBuilder::upstreamMessages(r, &m_profile);
    QCOMPARE(messages.size(), 3);
    const QJsonArray last = messages.at(2).toObject().value(u"content"_s).toArray();
    QCOMPARE(last.size(), 3);
    QCOMPARE(last.at(0).toObject().value(u"text"_s).toString(), u"and these?"_s);
    QCOMPARE(last.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-a"_s);
    QCOMPARE(last.at(2).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-b"_s);

    // The persisted profile (GLM-4.6V): files once each, in order, with ref_user_msg_id.
    const ModelEntry *vision = m_profile.catalogue().find(u"GLM-4.6V"_s);
    QByteArray body;
    b.completion(r, *vision, lease, ids, {true, false}, u"prod-fe-1.0.231"_s, &body);
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonArray files = json.value(u"files"_s).toArray();
    QCOMPARE(files.size(), 2);
    const QJsonObject a = files.at(0).toObject();
    QCOMPARE(a.value(u"id"_s).toString(), u"file-a"_s);
    QCOMPARE(a.value(u"type"_s).toString(), u"image"_s);
    QCOMPARE(a.value(u"media"_s).toString(), u"image"_s);
    QCOMPARE(a.value(u"status"_s).toString(), u"uploaded"_s);
    QCOMPARE(a.value(u"url"_s).toString(), u"/api/v1/files/file-a/content"_s);
    QCOMPARE(a.value(u"name"_s).toString(), u"file-a.png"_s);
    QCOMPARE(a.value(u"size"_s).toInt(), 123);
    QCOMPARE(a.value(u"error"_s).toString(), u""_s);
    QCOMPARE(a.value(u"file"_s).toObject().value(u"id"_s).toString(), u"file-a"_s);
    QCOMPARE(a.value(u"ref_user_msg_id"_s).toString(), ids.userMessageId);
    QVERIFY(!a.value(u"itemId"_s).toString().isEmpty());
    QCOMPARE(files.at(1).toObject().value(u"id"_s).toString(), u"file-b"_s);
    QCOMPARE(json.value(u"messages"_s).toArray(), messages);

    // chats/new carries the same entries in its user message.
    QByteArray chatBody;
    b.chatsNew(r, *vision, lease, ids, {true, false}, &chatBody);
    const QJsonObject chat = QJsonDocument::fromJson(chatBody).object().value(u"chat"_s).toObject();
    const QJsonObject message = chat.value(u"history"_s).toObject().value(u"messages"_s).toObject()
                                    .value(ids.userMessageId).toObject();
    QCOMPARE(message.value(u"files"_s).toArray(), files);

    // The simple profile: no ref_user_msg_id; without uploads "files" stays an empty array.
    const ModelEntry *simple = m_profile.catalogue().find(u"GLM-4.5"_s);
    b.completion(r, *simple, lease, ids, {false, false}, u"prod-fe-1.0.231"_s, &body);
    const QJsonArray simpleFiles = QJsonDocument::fromJson(body).object().value(u"files"_s).toArray();
    QCOMPARE(simpleFiles.size(), 2);
    QVERIFY(!simpleFiles.at(0).toObject().contains(u"ref_user_msg_id"_s));
    Conversation plain;
    plain.messages = {r.messages.at(1)};
    plain.messages[0].role = Message::Role::User;
    b.completion(plain, *simple, lease, ids, {false, false}, u"prod-fe-1.0.231"_s, &body);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(u"files"_s).toArray(), QJsonArray());
    b.completion(plain, *vision, lease, ids, {false, false}, u"prod-fe-1.0.231"_s, &body);
    QVERIFY(!QJsonDocument::fromJson(body).object().contains(u"files"_s));
}

QTEST_GUILESS_MAIN(TestZaiRequestBuilder)
#include "testZaiRequestBuilder.moc"
