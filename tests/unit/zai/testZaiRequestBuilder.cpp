// SPDX-License-Identifier: MIT
#include "conversation/Conversation.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "conversation/ToolPrompt.h"
#include "zai/Signer.h"
#include "zai/TokenPool.h"
#include "zai/UpstreamProfile.h"
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
    void userOnlyConversation();
    void rolesModeKeepsTheRoleList();
    void singleTurnGoesAsItIs();
    void toolRoundsGrowLinearly();
    void imagesStayWithTheirTurn();
    void noToolsOrStreamOptionsUpstream_data();
    void noToolsOrStreamOptionsUpstream();
    void signatureCoversTheSignedPrompt();
    void browserHeadersOnEveryCall();

private:
    Conversation request(const QByteArray &json)
    {
        ApiError error;
        auto r = ChatCompletionsRequest::parse(json, &error);
        return r ? r->conversation : Conversation();
    }
    // The built-in profile with another messages.mode.
    static UpstreamProfile withMode(const QString &mode)
    {
        QJsonObject json = UpstreamProfile::builtIn().json();
        QJsonObject messages = json.value(u"messages"_s).toObject();
        messages.insert(u"mode"_s, mode);
        json.insert(u"messages"_s, messages);
        QString error;
        const auto profile = UpstreamProfile::fromJson(json, &error);
        Q_ASSERT_X(profile, "withMode", qPrintable(error));
        return *profile;
    }
    // A coding agent's conversation: a system prompt, a task, then `rounds` rounds of one
    // read_file call and its result, the last result unanswered yet.
    static QByteArray agentSession(int rounds)
    {
        QJsonArray messages{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are a coder."_s}},
                            QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Fix the bug."_s}}};
        for (int i = 0; i < rounds; ++i) {
            const QString n = QString::number(i).rightJustified(3, u'0');
            const QString id = u"call_"_s + n;
            const QString arguments = u"{\"path\":\"f"_s + n + u"\"}"_s;
            const QString said = u"Reading f"_s + n;
            const QString output = u"text of f"_s + n;
            const QJsonObject call{{u"id"_s, id},
                                   {u"type"_s, u"function"_s},
                                   {u"function"_s, QJsonObject{{u"name"_s, u"read_file"_s},
                                                               {u"arguments"_s, arguments}}}};
            messages.append(QJsonObject{{u"role"_s, u"assistant"_s},
                                        {u"content"_s, said},
                                        {u"tool_calls"_s, QJsonArray{call}}});
            messages.append(QJsonObject{{u"role"_s, u"tool"_s},
                                        {u"tool_call_id"_s, id},
                                        {u"content"_s, output}});
        }
        const QJsonObject tool{
            {u"type"_s, u"function"_s},
            {u"function"_s,
             QJsonObject{{u"name"_s, u"read_file"_s},
                         {u"description"_s, u"Read a file"_s},
                         {u"parameters"_s,
                          QJsonObject{{u"type"_s, u"object"_s},
                                      {u"properties"_s,
                                       QJsonObject{{u"path"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}}}}}};
        return QJsonDocument(QJsonObject{{u"model"_s, u"GLM-4.5"_s},
                                         {u"messages"_s, messages},
                                         {u"tools"_s, QJsonArray{tool}}})
            .toJson(QJsonDocument::Compact);
    }
    static QString contentText(const QJsonValue &message)
    {
        const QJsonValue content = message.toObject().value(u"content"_s);
        if (content.isString())
            return content.toString();
        QStringList texts;
        for (const QJsonValue &part : content.toArray())
            texts.append(part.toObject().value(u"text"_s).toString());
        return texts.join(QString());
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
    QCOMPARE(last.at(0).toObject().value(u"text"_s).toString(), u"User:\nand these?"_s);
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

void TestZaiRequestBuilder::userOnlyConversation()
{
    // The default mode (zai-protocol.md P.12): every turn a user message, labelled; the system
    // prompt and the tool prompt in the first one, after the preamble.
    Conversation r = request(R"({"model":"GLM-4.5","messages":[
        {"role":"system","content":"You are a coder."},
        {"role":"user","content":"read two files"},
        {"role":"assistant","content":"Reading.","tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}},
            {"id":"call_b","type":"function","function":{"name":"read_file","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_a","content":"AAA"},
        {"role":"tool","tool_call_id":"call_b","content":"BBB"},
        {"role":"assistant","content":"Both read."},
        {"role":"user","content":"thanks"}],
        "tools":[{"type":"function","function":{"name":"read_file","parameters":{"type":"object"}}}]})"_ba);
    r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    QCOMPARE(m_profile.messagesMode(), UpstreamProfile::MessagesMode::UserOnly);
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r, &m_profile);
    QCOMPARE(out.size(), 6);
    for (const QJsonValue &m : out)
        QCOMPARE(m.toObject().value(u"role"_s).toString(), u"user"_s);
    const QString first = contentText(out.at(0));
    QVERIFY2(first.startsWith(m_profile.messagesPreamble() + u"\n\nSystem:\nYou are a coder.\n\n# Tools"_s),
             qPrintable(first));
    QVERIFY(first.contains(u"<tool name=\"read_file\">"_s));
    QVERIFY(first.contains(u"<Function_Q1w2_Start/>"_s));
    QCOMPARE(contentText(out.at(1)), u"User:\nread two files"_s);
    QCOMPARE(contentText(out.at(2)),
             u"Assistant:\nReading.\n<Function_Q1w2_Start/>\n<function_calls>\n<function_call>\n"
             u"<tool>read_file</tool>\n<args_json><![CDATA[{\"path\":\"a\"}]]></args_json>\n"
             u"</function_call>\n<function_call>\n<tool>read_file</tool>\n"
             u"<args_json><![CDATA[{}]]></args_json>\n</function_call>\n</function_calls>"_s);
    QCOMPARE(contentText(out.at(3)),
             u"Tool results:\n<tool_result tool=\"read_file\" call_id=\"call_a\">AAA</tool_result>\n"
             u"<tool_result tool=\"read_file\" call_id=\"call_b\">BBB</tool_result>"_s);
    QCOMPARE(contentText(out.at(4)), u"Assistant:\nBoth read."_s);
    QCOMPARE(contentText(out.at(5)), u"User:\nthanks"_s);

    // Without a system prompt the tool prompt still opens the conversation, as "System:".
    Conversation bare = request(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"hi"}],
        "tools":[{"type":"function","function":{"name":"run","parameters":{"type":"object"}}}]})"_ba);
    bare.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    const QJsonArray bareOut = ZaiRequestBuilder::upstreamMessages(bare, &m_profile);
    QCOMPARE(bareOut.size(), 2);
    QVERIFY(contentText(bareOut.at(0)).startsWith(m_profile.messagesPreamble() + u"\n\nSystem:\n# Tools"_s));
    QCOMPARE(contentText(bareOut.at(1)), u"User:\nhi"_s);

    // response_format instructions travel the same way.
    const Conversation json = request(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"hi"}],
        "response_format":{"type":"json_object"}})"_ba);
    const QJsonArray jsonOut = ZaiRequestBuilder::upstreamMessages(json, &m_profile);
    QCOMPARE(jsonOut.size(), 2);
    QVERIFY(contentText(jsonOut.at(0)).contains(u"System:\n# Output format"_s));
}

void TestZaiRequestBuilder::rolesModeKeepsTheRoleList()
{
    const UpstreamProfile roles = withMode(u"roles"_s);
    QCOMPARE(roles.messagesMode(), UpstreamProfile::MessagesMode::Roles);
    Conversation r = request(R"({"model":"GLM-4.5","messages":[
        {"role":"system","content":"You are a coder."},
        {"role":"user","content":"read"},
        {"role":"assistant","content":"","tool_calls":[{"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_a","content":"AAA"},
        {"role":"user","content":"thanks"}]})"_ba);
    r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r, &roles);
    QCOMPARE(out, ZaiRequestBuilder::upstreamMessages(r)); // the list of section 4.3
    QStringList roleNames;
    for (const QJsonValue &m : out)
        roleNames.append(m.toObject().value(u"role"_s).toString());
    QCOMPARE(roleNames, (QStringList{u"system"_s, u"user"_s, u"assistant"_s, u"user"_s, u"user"_s}));
    QCOMPARE(contentText(out.at(0)), u"You are a coder."_s);
    QCOMPARE(contentText(out.at(4)), u"thanks"_s);

    // A profile file picks the mode; a mode the bridge does not know is an error.
    QString error;
    QJsonObject json = UpstreamProfile::builtIn().json();
    json.insert(u"messages"_s, QJsonObject{{u"mode"_s, u"assistant-too"_s}});
    QVERIFY(!UpstreamProfile::fromJson(json, &error));
    QVERIFY2(error.contains(u"messages.mode"_s), qPrintable(error));
}

void TestZaiRequestBuilder::singleTurnGoesAsItIs()
{
    // One user turn and nothing else is what the browser sends: no preamble, no label.
    const Conversation r = request(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"Hello"}]})"_ba);
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r, &m_profile);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0).toObject(),
             (QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Hello"_s}}));
    // Two user turns are two labelled turns.
    const Conversation two = request(R"({"model":"GLM-4.5","messages":[
        {"role":"user","content":"one"},{"role":"user","content":""},{"role":"user","content":"two"}]})"_ba);
    const QJsonArray twoOut = ZaiRequestBuilder::upstreamMessages(two, &m_profile);
    QCOMPARE(twoOut.size(), 2);
    QCOMPARE(contentText(twoOut.at(0)), m_profile.messagesPreamble() + u"\n\nUser:\none"_s);
    QCOMPARE(contentText(twoOut.at(1)), u"User:\ntwo"_s);
}

void TestZaiRequestBuilder::toolRoundsGrowLinearly()
{
    // A long agent session: every round adds its two turns and nothing else, the system prompt,
    // the tool prompt and the task are written once however long the session is, and every call
    // is re-rendered with this request's trigger.
    const QString trigger = u"<Function_Zz9x_Start/>"_s;
    QList<qsizetype> sizes;
    for (const int rounds : {11, 12, 13, 40}) {
        Conversation r = request(agentSession(rounds));
        QCOMPARE(r.messages.size(), 2 + 2 * rounds);
        r.toolTrigger = trigger;
        const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r, &m_profile);
        QCOMPARE(out.size(), 2 + 2 * rounds);
        QString all;
        for (qsizetype i = 0; i < out.size(); ++i) {
            QCOMPARE(out.at(i).toObject().value(u"role"_s).toString(), u"user"_s);
            all += contentText(out.at(i));
        }
        QCOMPARE(all.count(u"You are a coder."_s), 1);
        QCOMPARE(all.count(u"Fix the bug."_s), 1);
        QCOMPARE(all.count(u"<tools>"_s), 1);
        QCOMPARE(all.count(m_profile.messagesPreamble()), 1);
        QCOMPARE(all.count(trigger), rounds + qsizetype(ToolPrompt::instructions(r, trigger).count(trigger)));
        for (int i = 0; i < rounds; ++i) {
            const QString n = QString::number(i).rightJustified(3, u'0');
            const QString call = contentText(out.at(2 + 2 * i));
            QVERIFY2(call.startsWith(u"Assistant:\nReading f"_s + n + u'\n' + trigger), qPrintable(call));
            QCOMPARE(all.count(u"text of f"_s + n), 1);
            QCOMPARE(contentText(out.at(3 + 2 * i)),
                     u"Tool results:\n<tool_result tool=\"read_file\" call_id=\"call_"_s + n
                         + u"\">text of f"_s + n + u"</tool_result>"_s);
        }
        sizes.append(all.size());
    }
    // Each round costs the same (the ids have one width): the request grows linearly.
    QCOMPARE(sizes.at(1) - sizes.at(0), sizes.at(2) - sizes.at(1));
    QCOMPARE(sizes.at(3) - sizes.at(2), 27 * (sizes.at(2) - sizes.at(1)));
}

void TestZaiRequestBuilder::imagesStayWithTheirTurn()
{
    const Conversation r = withUploads();
    const QJsonArray out = ZaiRequestBuilder::upstreamMessages(r, &m_profile);
    QCOMPARE(out.size(), 3);
    const QJsonArray first = out.at(0).toObject().value(u"content"_s).toArray();
    QCOMPARE(first.size(), 2);
    QCOMPARE(first.at(0).toObject().value(u"text"_s).toString(),
             m_profile.messagesPreamble() + u"\n\nUser:\nwhat is this?"_s);
    QCOMPARE(first.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-a"_s);
    QCOMPARE(out.at(1).toObject().value(u"content"_s).toString(), u"Assistant:\na chart"_s);
    const QJsonArray last = out.at(2).toObject().value(u"content"_s).toArray();
    QCOMPARE(last.size(), 3);
    QCOMPARE(last.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-a"_s);
    QCOMPARE(last.at(2).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-b"_s);

    // A screenshot a tool returned goes with the tool's result.
    Conversation tools = r;
    Message call;
    call.role = Message::Role::Assistant;
    call.toolCalls = {{u"call_s"_s, u"screenshot"_s, u"{}"_s}};
    Message result;
    result.role = Message::Role::Tool;
    result.toolCallId = u"call_s"_s;
    result.parts = {{ContentPart::Type::Text, u"taken"_s}, r.messages.at(0).parts.at(1)};
    tools.messages = {r.messages.at(0), call, result};
    tools.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    const QJsonArray toolOut = ZaiRequestBuilder::upstreamMessages(tools, &m_profile);
    QCOMPARE(toolOut.size(), 3);
    const QJsonArray resultParts = toolOut.at(2).toObject().value(u"content"_s).toArray();
    QCOMPARE(resultParts.size(), 2);
    QVERIFY(resultParts.at(0).toObject().value(u"text"_s).toString().startsWith(u"Tool results:\n<tool_result"_s));
    QCOMPARE(resultParts.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString(), u"file-a"_s);
}

void TestZaiRequestBuilder::noToolsOrStreamOptionsUpstream_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("user-only") << u"user-only"_s;
    QTest::newRow("roles") << u"roles"_s;
}

void TestZaiRequestBuilder::noToolsOrStreamOptionsUpstream()
{
    // The live service refuses a non-empty tools field and stream_options (zai-protocol.md 10):
    // the tools travel as the prompt of 7.4 only.
    QFETCH(QString, mode);
    const UpstreamProfile profile = withMode(mode);
    ZaiRequestBuilder b(profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    Conversation r = request(QByteArray(R"({"model":"GLM-4.5","stream":true,
        "stream_options":{"include_usage":true},"tool_choice":"required","parallel_tool_calls":false,
        "messages":[{"role":"user","content":"go"}],
        "tools":[{"type":"function","function":{"name":"run","parameters":{"type":"object"}}}]})"));
    r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
    for (const char *name : {"GLM-4.5", "GLM-4.7"}) { // the simple and the persisted profile
        const ModelEntry *model = profile.catalogue().find(QString::fromLatin1(name));
        QByteArray body;
        b.completion(r, *model, TokenLease{u"t"_s, u"u"_s, false, u"token #1"_s},
                     ZaiRequestBuilder::Ids::fresh(), {}, u"v"_s, &body);
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        QVERIFY(!json.isEmpty());
        for (const QString &key : {u"tools"_s, u"tool_choice"_s, u"stream_options"_s, u"parallel_tool_calls"_s})
            QVERIFY2(!json.contains(key), qPrintable(key + u" in "_s + QString::fromUtf8(body)));
        QVERIFY(!body.contains("stream_options"));
        QVERIFY(body.contains("<tools>")); // the prompt has them
    }
}

void TestZaiRequestBuilder::signatureCoversTheSignedPrompt()
{
    // The fake and the real service check X-Signature against the body's signature_prompt: it is
    // the client's last user text, which the last user turn carries as it is.
    ZaiRequestBuilder b(m_profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    for (const int rounds : {0, 12}) {
        Conversation r = request(agentSession(rounds));
        r.toolTrigger = u"<Function_Q1w2_Start/>"_s;
        const ModelEntry *model = m_profile.catalogue().find(u"GLM-4.5"_s);
        const TokenLease lease{u"t"_s, u"user-7"_s, false, u"token #1"_s};
        const ZaiRequestBuilder::Ids ids = ZaiRequestBuilder::Ids::fresh();
        QByteArray body;
        const UpstreamRequest net = b.completion(r, *model, lease, ids, {}, u"v"_s, &body);
        const QJsonObject json = QJsonDocument::fromJson(body).object();
        const QString signedPrompt = json.value(u"signature_prompt"_s).toString();
        QCOMPARE(signedPrompt, u"Fix the bug."_s);
        QCOMPARE(net.rawHeader("X-Signature"),
                 Signer::sign(Signer::defaultSecret(), ids.requestId, ids.timestampMs, u"user-7"_s,
                              signedPrompt));
        const QJsonArray messages = json.value(u"messages"_s).toArray();
        QCOMPARE(contentText(messages.at(1)), u"User:\n"_s + signedPrompt);
    }
}

void TestZaiRequestBuilder::browserHeadersOnEveryCall()
{
    // One X-Device-Id and x-region on the completion, chats/new, the upload and the model list.
    UpstreamProfile profile = m_profile;
    profile.setDeviceId(u"3b1f6c2e-7d4a-4e8b-9c0d-1e2f3a4b5c6d"_s);
    ZaiRequestBuilder b(profile, QUrl(u"http://127.0.0.1:5000/api/v2/chat/completions"_s),
                        Signer::defaultSecret());
    const Conversation r = request(R"({"model":"GLM-4.7","messages":[{"role":"user","content":"hi"}]})"_ba);
    const ModelEntry *model = profile.catalogue().find(u"GLM-4.7"_s);
    const TokenLease lease{u"t"_s, u"u"_s, false, u"token #1"_s};
    const auto ids = ZaiRequestBuilder::Ids::fresh();
    QByteArray body;
    const UpstreamRequest completion = b.completion(r, *model, lease, ids, {}, u"v"_s, &body);
    const UpstreamRequest chat = b.chatsNew(r, *model, lease, ids, {}, &body);
    const QNetworkRequest upload = b.fileUpload(lease, u"image/png"_s, "x", u"f.png"_s, "b", &body);
    const QNetworkRequest models = b.modelList(lease);
    QCOMPARE(models.url().toString(), u"http://127.0.0.1:5000/api/models"_s);
    QCOMPARE(models.rawHeader("Authorization"), "Bearer t"_ba);
    for (const QByteArray &id : {completion.rawHeader("X-Device-Id"), chat.rawHeader("X-Device-Id"),
                                 upload.rawHeader("X-Device-Id"), models.rawHeader("X-Device-Id")})
        QCOMPARE(id, "3b1f6c2e-7d4a-4e8b-9c0d-1e2f3a4b5c6d"_ba);
    for (const QByteArray &region : {completion.rawHeader("x-region"), chat.rawHeader("x-region"),
                                     upload.rawHeader("x-region"), models.rawHeader("x-region")})
        QCOMPARE(region, "overseas"_ba);
}

QTEST_GUILESS_MAIN(TestZaiRequestBuilder)
#include "testZaiRequestBuilder.moc"
