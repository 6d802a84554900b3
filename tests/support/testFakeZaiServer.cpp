// SPDX-License-Identifier: MIT
// The fake upstream's own contract, proved with plain QNetworkAccessManager requests (and raw
// sockets where the HTTP layer itself is under test): every other test trusts these behaviours.
#include "FakeZaiServer.h"
#include "zai/Signer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// One completion request as a well-behaved client builds it; fields switch off single parts.
struct Call
{
    QString token;
    QString prompt = u"hello"_s;
    QString signedPrompt; // what goes into the signature; null = prompt
    QString model = u"0727-360B-API"_s;
    QString chatId;
    bool thinking = false;
    bool webSearch = false;
    bool stream = true;
    bool emptyMessages = false;
    QByteArray feVersion = "prod-fe-1.0.231"_ba;
    QByteArray secret = Signer::defaultSecret();
    QByteArray signatureOverride;
    bool sendSignature = true;
    bool sendOrigin = true;
    bool sendReferer = true;
    QString path = u"/api/v2/chat/completions"_s;
    QString dropQueryItem;
    QString queryTokenOverride;
    bool signatureTimestampMismatch = false;
    QStringList imageIds;   // image parts in the user message, each referencing a file id
    QStringList listedIds;  // files[] entries (null: the same as imageIds)
    bool systemMessage = true; // a system message before the user message
    QString captcha;           // captcha_verify_param (null: none)
    QByteArray deviceId;       // X-Device-Id (empty: none)
    QJsonObject extraBody;     // further body fields
};

struct Result
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray contentType;
    QByteArray location;
    QList<QByteArray> setCookies;
    QList<QJsonObject> events; // the `data:` JSON objects of an SSE body, in order
    QList<QByteArray> rawData; // every `data:` payload, JSON or not
};

QList<QByteArray> sseData(const QByteArray &body)
{
    QList<QByteArray> out;
    const QList<QByteArray> blocks = body.split('\n');
    for (const QByteArray &line : blocks) {
        if (line.startsWith("data: "))
            out.append(line.mid(6));
    }
    return out;
}

// Applies delta_content / edit_index+edit_content to the message buffer (section 6.4).
QString applyEvents(const QList<QJsonObject> &events)
{
    QString buffer;
    for (const QJsonObject &event : events) {
        const QJsonObject data = event.value("data"_L1).toObject();
        if (data.contains("edit_index"_L1)) {
            buffer.truncate(data.value("edit_index"_L1).toInt());
            buffer += data.value("edit_content"_L1).toString();
        }
        buffer += data.value("delta_content"_L1).toString();
    }
    return buffer;
}

QString phaseText(const QList<QJsonObject> &events, const QString &phase)
{
    QString text;
    for (const QJsonObject &event : events) {
        const QJsonObject data = event.value("data"_L1).toObject();
        if (data.value("phase"_L1).toString() == phase)
            text += data.value("delta_content"_L1).toString();
    }
    return text;
}

// The flat error object of a stream's last event, or an empty object.
QJsonObject streamError(const QList<QJsonObject> &events)
{
    return events.isEmpty()
               ? QJsonObject()
               : events.last().value("data"_L1).toObject().value("error"_L1).toObject();
}

int countPhase(const QList<QJsonObject> &events, const QString &phase)
{
    int n = 0;
    for (const QJsonObject &event : events) {
        if (event.value("data"_L1).toObject().value("phase"_L1).toString() == phase &&
            event.value("data"_L1).toObject().contains("delta_content"_L1))
            ++n;
    }
    return n;
}

} // namespace

class TestFakeZaiServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void landingPageCarriesCurrentVersion();
    void guestTokenIssued();
    void guestCookieReturnsSameGuest();
    void bearerValidationOnAuths();
    void guestsCanBeDisabled();
    void signatureAccepted();
    void signatureRejected_data();
    void signatureRejected();
    void configuredSecretIsUsed();
    void jwtLikeValidTokenAccepted();
    void invalidTokenGets401();
    void missingOriginOrRefererHitsWaf_data();
    void missingOriginOrRefererHitsWaf();
    void outdatedFeVersionInStream();
    void outdatedFeVersionAsHttpStatus();
    void bodyValidation_data();
    void bodyValidation();
    void thinkingStreamShape();
    void thinkingDelayStretchesThinking();
    void webSearchPrefix();
    void legacyPathAccepted();
    void scriptedHttpErrors_data();
    void scriptedHttpErrors();
    void scriptedRepliesAreFifo();
    void scriptedForOtherPath();
    void scriptedInStreamError();
    void scriptedDoneMarker();
    void scriptedCloseWithoutResponse();
    void dropAfterEvents();
    void stallThenContinue();
    void streamAbortedWhenClientLeaves();
    void persistedModelNeedsChatsNew();
    void chatsNewNeedsBearer();
    void fileUploads();
    void completionsCheckFileReferences();
    void concurrencyLimit();
    void keepAliveReusesConnection();
    void recordsRequests();
    void oversizedHeaderRejected();
    void clientVanishesMidRequest();
    void pipelinedRequestsAnsweredInOrder();
    void manyConcurrentZeroDelayStreams();

    // the live service of late 2026 (section 10)
    void captchaGateOffByDefault();
    void captchaGate();
    void captchaParamAcceptedOnce();
    void captchaStaleAndForeign();
    void captchaExpiresAfterLifetime();
    void captchaReusableWithinLifetime();
    void captchaMintedOverHttp();
    void userOnlyRoles();
    void userOnlyRolesRefuseTools();
    void userOnlyRolesFindInstructionsInUserText();
    void deviceIdRequired();
    void streamOptionsRefused();
    void modelsListing();
    void modelsListingExtraModels();
    void modelsListingFailure();
    void guestModelsLimited();
    void concurrencyAnswersInStream();
    void outdatedFeVersionBlocked();
    void signedQueryBlocked();
    void legacyPathRemoved();
    void chatPageServed();
    void chatPageAtRoot();
    void signInSetsTokenCookie();
    void captchaScriptServed();
    void captchaModeEndpoint();
    void live2026TurnsEverythingOn();

private:
    QNetworkReply *sendCompletion(const Call &call);
    Result finish(QNetworkReply *reply);
    Result complete(const Call &call) { return finish(sendCompletion(call)); }
    Result get(const QString &path, const QByteArray &bearerToken = {});
    // The token of a new guest from GET /api/v1/auths/.
    QString newGuest()
    {
        return QJsonDocument::fromJson(get(u"/api/v1/auths/"_s).body)
            .object()
            .value("token"_L1)
            .toString();
    }
    // A GET that neither follows redirects nor uses the cookie jar; `cookie` is sent as is.
    Result rawGet(const QString &pathAndQuery, const QByteArray &cookie = {});
    // A completion that passes every check of the live service (device id, user-only, captcha).
    Call liveCall()
    {
        Call c = call();
        c.systemMessage = false;
        c.deviceId = "3f1e6f0e-8a53-4d5c-9b1a-0c2d4e6f8a10"_ba;
        c.captcha = m_server->mintCaptchaParam();
        return c;
    }
    Result post(const QString &path, const QByteArray &json, const QByteArray &bearerToken);
    Result upload(const QByteArray &bearerToken, const QByteArray &contentType,
                  const QByteArray &body);
    QByteArray rawCompletion(const QString &prompt) const;
    Call call() const
    {
        Call c;
        c.token = m_token;
        return c;
    }

    std::unique_ptr<FakeZaiServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QString m_token = u"opaque-test-token"_s;
};

void TestFakeZaiServer::init()
{
    m_server = std::make_unique<FakeZaiServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_server->addValidToken(m_token);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestFakeZaiServer::cleanup()
{
    m_nam.reset();
    m_server.reset();
}

QNetworkReply *TestFakeZaiServer::sendCompletion(const Call &c)
{
    const qint64 timestamp = QDateTime::currentMSecsSinceEpoch();
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString userId = u"0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a"_s;

    QUrlQuery query;
    const QList<std::pair<QString, QString>> items{
        {u"timestamp"_s, QString::number(timestamp)},
        {u"requestId"_s, requestId},
        {u"user_id"_s, userId},
        {u"token"_s, c.queryTokenOverride.isNull() ? c.token : c.queryTokenOverride},
        {u"version"_s, u"0.0.1"_s},
        {u"platform"_s, u"web"_s},
        {u"current_url"_s, u"https://chat.z.ai/c/x"_s},
        {u"pathname"_s, u"/c/x"_s},
        {u"signature_timestamp"_s,
         QString::number(c.signatureTimestampMismatch ? timestamp + 1 : timestamp)}};
    for (const auto &[key, value] : items) {
        if (key != c.dropQueryItem)
            query.addQueryItem(key, value);
    }
    QUrl url = m_server->baseUrl();
    url.setPath(c.path);
    url.setQuery(query);

    QJsonObject body{{"stream"_L1, c.stream},
                     {"model"_L1, c.model},
                     {"signature_prompt"_L1, c.prompt},
                     {"features"_L1, QJsonObject{{"enable_thinking"_L1, c.thinking},
                                                 {"web_search"_L1, c.webSearch}}}};
    QJsonArray messages;
    if (!c.emptyMessages) {
        if (c.systemMessage)
            messages.append(QJsonObject{{"role"_L1, u"system"_s}, {"content"_L1, u"Be brief."_s}});
        if (c.imageIds.isEmpty()) {
            messages.append(QJsonObject{{"role"_L1, u"user"_s}, {"content"_L1, c.prompt}});
        } else {
            QJsonArray parts{QJsonObject{{"type"_L1, u"text"_s}, {"text"_L1, c.prompt}}};
            for (const QString &id : c.imageIds) {
                parts.append(QJsonObject{{"type"_L1, u"image_url"_s},
                                         {"image_url"_L1, QJsonObject{{"url"_L1, id}}}});
            }
            messages.append(QJsonObject{{"role"_L1, u"user"_s}, {"content"_L1, parts}});
            QJsonArray files;
            for (const QString &id : c.listedIds.isEmpty() ? c.imageIds : c.listedIds) {
                files.append(QJsonObject{{"type"_L1, u"image"_s},
                                         {"media"_L1, u"image"_s},
                                         {"status"_L1, u"uploaded"_s},
                                         {"id"_L1, id},
                                         {"url"_L1, u"/api/v1/files/%1/content"_s.arg(id)},
                                         {"file"_L1, QJsonObject{{"id"_L1, id}}}});
            }
            body.insert("files"_L1, files);
        }
    }
    body.insert("messages"_L1, messages);
    if (!c.chatId.isEmpty())
        body.insert("chat_id"_L1, c.chatId);
    if (!c.captcha.isNull())
        body.insert("captcha_verify_param"_L1, c.captcha);
    for (auto it = c.extraBody.begin(); it != c.extraBody.end(); ++it)
        body.insert(it.key(), it.value());

    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + c.token.toUtf8());
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Accept", "*/*");
    if (!c.feVersion.isEmpty())
        request.setRawHeader("X-FE-Version", c.feVersion);
    if (c.sendSignature) {
        const QByteArray signature =
            !c.signatureOverride.isEmpty()
                ? c.signatureOverride
                : Signer::sign(c.secret, requestId, timestamp, userId,
                               c.signedPrompt.isNull() ? c.prompt : c.signedPrompt);
        request.setRawHeader("X-Signature", signature);
    }
    if (c.sendOrigin)
        request.setRawHeader("Origin", "https://chat.z.ai");
    if (c.sendReferer)
        request.setRawHeader("Referer", "https://chat.z.ai/c/x");
    if (!c.deviceId.isEmpty())
        request.setRawHeader("X-Device-Id", c.deviceId);
    return m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Result TestFakeZaiServer::finish(QNetworkReply *reply)
{
    Result result;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            qWarning("reply did not finish in time");
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    result.body = reply->readAll();
    result.contentType = reply->rawHeader("Content-Type");
    result.location = reply->rawHeader("Location");
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        if (name.compare("set-cookie", Qt::CaseInsensitive) == 0)
            result.setCookies += value.split('\n');
    }
    result.rawData = sseData(result.body);
    for (const QByteArray &data : std::as_const(result.rawData)) {
        const QJsonObject object = QJsonDocument::fromJson(data).object();
        if (!object.isEmpty())
            result.events.append(object);
    }
    reply->deleteLater();
    return result;
}

Result TestFakeZaiServer::get(const QString &path, const QByteArray &bearerToken)
{
    QUrl url = m_server->baseUrl();
    url.setPath(path);
    QNetworkRequest request(url);
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken);
    return finish(m_nam->get(request));
}

Result TestFakeZaiServer::rawGet(const QString &pathAndQuery, const QByteArray &cookie)
{
    QNetworkRequest request(m_server->baseUrl().resolved(QUrl(pathAndQuery)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!cookie.isEmpty())
        request.setRawHeader("Cookie", cookie);
    return finish(m_nam->get(request));
}

Result TestFakeZaiServer::post(const QString &path, const QByteArray &json,
                               const QByteArray &bearerToken)
{
    QUrl url = m_server->baseUrl();
    url.setPath(path);
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/json");
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken);
    return finish(m_nam->post(request, json));
}

Result TestFakeZaiServer::upload(const QByteArray &bearerToken, const QByteArray &contentType,
                                 const QByteArray &body)
{
    QUrl url = m_server->baseUrl();
    url.setPath(u"/api/v1/files/"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", contentType);
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken);
    return finish(m_nam->post(request, body));
}

namespace {

// A PNG signature and IHDR chunk of a 3x2 image: enough for the fake to recognise it.
const QByteArray PngHead = QByteArray::fromHex("89504e470d0a1a0a0000000d494844520000000300000002080200000000");

QByteArray multipartFile(const QByteArray &data, const QByteArray &name = "file")
{
    return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name
           + "\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n" + data
           + "\r\n--XyZ--\r\n";
}

} // namespace

// A signed completion request as raw bytes, for tests that drive the socket themselves.
QByteArray TestFakeZaiServer::rawCompletion(const QString &prompt) const
{
    const qint64 timestamp = QDateTime::currentMSecsSinceEpoch();
    const QByteArray body =
        QJsonDocument(QJsonObject{{"stream"_L1, true},
                                  {"model"_L1, u"glm-5"_s},
                                  {"signature_prompt"_L1, prompt},
                                  {"messages"_L1, QJsonArray{QJsonObject{{"role"_L1, u"user"_s},
                                                                         {"content"_L1, prompt}}}}})
            .toJson(QJsonDocument::Compact);
    return "POST /api/v2/chat/completions?timestamp=" + QByteArray::number(timestamp) +
           "&requestId=rid&user_id=uid&token=" + m_token.toUtf8() +
           "&version=0.0.1&platform=web&signature_timestamp=" + QByteArray::number(timestamp) +
           " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token.toUtf8() +
           "\r\nOrigin: https://chat.z.ai\r\nReferer: https://chat.z.ai/\r\nX-FE-Version: "
           "prod-fe-1.0.231\r\nX-Signature: " +
           Signer::sign(Signer::defaultSecret(), u"rid"_s, timestamp, u"uid"_s, prompt) +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// --- landing page and tokens ---------------------------------------------------------------

void TestFakeZaiServer::landingPageCarriesCurrentVersion()
{
    const auto highest = [](const QByteArray &html) {
        static const QRegularExpression re(u"prod-fe-(\\d+)\\.(\\d+)\\.(\\d+)"_s);
        QList<int> best{-1, -1, -1};
        QString bestText;
        QStringList all;
        auto it = re.globalMatch(QString::fromUtf8(html));
        while (it.hasNext()) {
            const auto m = it.next();
            all.append(m.captured(0));
            const QList<int> v{m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt()};
            if (v > best) {
                best = v;
                bestText = m.captured(0);
            }
        }
        all.removeDuplicates();
        return std::make_pair(bestText, all);
    };

    const Result page = get(u"/"_s);
    QCOMPARE(page.status, 200);
    QVERIFY(page.contentType.startsWith("text/html"));
    const auto [current, all] = highest(page.body);
    QCOMPARE(current, u"prod-fe-1.0.231"_s);
    QVERIFY2(all.size() >= 3, qPrintable(all.join(u' ')));
    // The page holds a version that wins a text comparison but not a numeric one.
    QVERIFY(*std::max_element(all.cbegin(), all.cend()) != current);

    m_server->setFeVersion(u"1.1.93"_s);
    QCOMPARE(m_server->feVersion(), u"prod-fe-1.1.93"_s);
    QCOMPARE(highest(get(u"/"_s).body).first, u"prod-fe-1.1.93"_s);

    m_server->setLandingPage("<html>no version</html>"_ba);
    QCOMPARE(get(u"/"_s).body, "<html>no version</html>"_ba);
}

void TestFakeZaiServer::guestTokenIssued()
{
    const Result guest = get(u"/api/v1/auths/"_s);
    QCOMPARE(guest.status, 200);
    const QJsonObject user = QJsonDocument::fromJson(guest.body).object();
    QCOMPARE(user.value("role"_L1).toString(), u"guest"_s);
    QCOMPARE(user.value("token_type"_L1).toString(), u"Bearer"_s);
    const QString token = user.value("token"_L1).toString();
    const QStringList parts = token.split(u'.');
    QCOMPARE(parts.size(), 3);
    const QJsonObject header =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(parts[0].toLatin1(), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(header.value("alg"_L1).toString(), u"ES256"_s);
    const QJsonObject claims =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(claims.value("id"_L1).toString(), user.value("id"_L1).toString());
    QVERIFY(!QUuid::fromString(claims.value("id"_L1).toString()).isNull());
    const QString email = claims.value("email"_L1).toString();
    QVERIFY2(QRegularExpression(u"^Guest-\\d{13}@guest\\.com$"_s).match(email).hasMatch(),
             qPrintable(email));
    QCOMPARE(user.value("email"_L1).toString(), email);

    bool tokenCookie = false;
    bool acwCookie = false;
    for (const QByteArray &cookie : guest.setCookies) {
        tokenCookie |= cookie.startsWith(QByteArray("token=" + token.toLatin1() + ';'));
        acwCookie |= cookie.startsWith("acw_tc=");
    }
    QVERIFY(tokenCookie);
    QVERIFY(acwCookie);
    QCOMPARE(m_server->guestTokens(), QStringList{token});

    // The guest token is a valid session for completions.
    Call c = call();
    c.token = token;
    const Result answer = complete(c);
    QCOMPARE(answer.status, 200);
    QCOMPARE(phaseText(answer.events, u"answer"_s), u"Echo: hello"_s);
}

void TestFakeZaiServer::guestCookieReturnsSameGuest()
{
    const QJsonObject first = QJsonDocument::fromJson(get(u"/api/v1/auths/"_s).body).object();
    const QString token = first.value("token"_L1).toString();

    // Re-sending the token cookie yields the same guest (the cookie is Secure, so a client on
    // plain http only sends it when told to).
    QUrl url = m_server->baseUrl();
    url.setPath(u"/api/v1/auths/"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Cookie", "acw_tc=1; token=" + token.toLatin1());
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    const QJsonObject again = QJsonDocument::fromJson(finish(m_nam->get(request)).body).object();
    QCOMPARE(again.value("id"_L1).toString(), first.value("id"_L1).toString());
    QCOMPARE(again.value("token"_L1).toString(), token);
    QCOMPARE(m_server->guestTokens().size(), 1);

    // Without the cookie: a new guest.
    const QJsonObject fresh = QJsonDocument::fromJson(get(u"/api/v1/auths/"_s).body).object();
    QVERIFY(fresh.value("id"_L1).toString() != first.value("id"_L1).toString());
    QCOMPARE(m_server->guestTokens().size(), 2);
}

void TestFakeZaiServer::bearerValidationOnAuths()
{
    const Result known = get(u"/api/v1/auths/"_s, m_token.toUtf8());
    QCOMPARE(known.status, 200);
    const QJsonObject user = QJsonDocument::fromJson(known.body).object();
    QCOMPARE(user.value("token"_L1).toString(), m_token);
    QCOMPARE(user.value("role"_L1).toString(), u"user"_s);

    const Result unknown = get(u"/api/v1/auths/"_s, "not-a-token"_ba);
    QCOMPARE(unknown.status, 401);
    QVERIFY(QJsonDocument::fromJson(unknown.body).object().contains("detail"_L1));

    m_server->revokeToken(m_token);
    QCOMPARE(get(u"/api/v1/auths/"_s, m_token.toUtf8()).status, 401);
    QCOMPARE(complete(call()).status, 401);
}

void TestFakeZaiServer::guestsCanBeDisabled()
{
    m_server->setGuestAllowed(false);
    const Result refused = get(u"/api/v1/auths/"_s);
    QCOMPARE(refused.status, 401);
    QVERIFY(m_server->guestTokens().isEmpty());
}

// --- signature -----------------------------------------------------------------------------

void TestFakeZaiServer::signatureAccepted()
{
    const Result r = complete(call());
    QCOMPARE(r.status, 200);
    QVERIFY(r.contentType.startsWith("text/event-stream"));
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(countPhase(r.events, u"answer"_s), 5);
    QCOMPARE(phaseText(r.events, u"answer"_s), FakeZaiServer::expectedAnswer(u"hello"_s));
    QCOMPARE(applyEvents(r.events), u"Echo: hello"_s);
    QVERIFY(r.events.first().value("type"_L1).toString() == "chat:completion"_L1);
    // usage, then done as the very last event
    const QJsonObject usage =
        r.events.at(r.events.size() - 2).value("data"_L1).toObject().value("usage"_L1).toObject();
    QVERIFY(usage.value("prompt_tokens"_L1).toInt() > 0);
    QVERIFY(usage.value("completion_tokens"_L1).toInt() > 0);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(),
             usage.value("prompt_tokens"_L1).toInt() + usage.value("completion_tokens"_L1).toInt());
    const QJsonObject done = r.events.last().value("data"_L1).toObject();
    QCOMPARE(done.value("phase"_L1).toString(), u"done"_s);
    QCOMPARE(done.value("done"_L1).toBool(), true);
    QVERIFY(!r.rawData.contains("[DONE]"_ba));
    QCOMPARE(m_server->activeStreams(), 0);
    QTRY_COMPARE(m_server->completedStreams(), 1);

    // Non-ASCII prompts are signed over their UTF-8 bytes.
    Call unicode = call();
    unicode.prompt = u"Hello, 世界! 🎉"_s;
    const Result u8 = complete(unicode);
    QCOMPARE(u8.status, 200);
    QCOMPARE(applyEvents(u8.events), u"Echo: Hello, 世界! 🎉"_s);
}

void TestFakeZaiServer::signatureRejected_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("wrong secret") << 0;
    QTest::newRow("other prompt signed") << 1;
    QTest::newRow("no X-Signature") << 2;
    QTest::newRow("garbage signature") << 3;
    QTest::newRow("query without requestId") << 4;
    QTest::newRow("query without version") << 5;
    QTest::newRow("query without platform") << 6;
    QTest::newRow("query token differs") << 7;
    QTest::newRow("signature_timestamp differs") << 8;
    QTest::newRow("query without signature_timestamp") << 9;
}

void TestFakeZaiServer::signatureRejected()
{
    QFETCH(int, variant);
    Call c = call();
    switch (variant) {
    case 0:
        c.secret = "junjie"_ba;
        break;
    case 1:
        c.signedPrompt = u"hello!"_s;
        break;
    case 2:
        c.sendSignature = false;
        break;
    case 3:
        c.signatureOverride = QByteArray(64, 'a');
        break;
    case 4:
        c.dropQueryItem = u"requestId"_s;
        break;
    case 5:
        c.dropQueryItem = u"version"_s;
        break;
    case 6:
        c.dropQueryItem = u"platform"_s;
        break;
    case 7:
        c.queryTokenOverride = u"other"_s;
        break;
    case 8:
        c.signatureTimestampMismatch = true;
        break;
    case 9:
        c.dropQueryItem = u"signature_timestamp"_s;
        break;
    }
    const Result r = complete(c);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, R"({"detail":"403: Signature validation failed: 签名验证失败"})"_ba);
    QVERIFY(!m_server->lastRejection().isEmpty());
    QCOMPARE(m_server->activeStreams(), 0);
}

void TestFakeZaiServer::configuredSecretIsUsed()
{
    m_server->setSigningSecret("junjie"_ba);
    QCOMPARE(complete(call()).status, 400);
    Call c = call();
    c.secret = "junjie"_ba;
    QCOMPARE(complete(c).status, 200);
}

void TestFakeZaiServer::jwtLikeValidTokenAccepted()
{
    const QByteArray payload = R"({"id":"u-42","email":"someone@example.com"})"_ba;
    const QString jwt = u"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9."_s +
                        QString::fromLatin1(payload.toBase64(QByteArray::Base64UrlEncoding |
                                                             QByteArray::OmitTrailingEquals)) +
                        u".c2ln"_s;
    m_server->addValidToken(jwt);
    const QJsonObject user =
        QJsonDocument::fromJson(get(u"/api/v1/auths/"_s, jwt.toUtf8()).body).object();
    QCOMPARE(user.value("id"_L1).toString(), u"u-42"_s);
    QCOMPARE(user.value("email"_L1).toString(), u"someone@example.com"_s);
    Call c = call();
    c.token = jwt;
    QCOMPARE(complete(c).status, 200);
}

void TestFakeZaiServer::invalidTokenGets401()
{
    Call c = call();
    c.token = u"unknown-token"_s;
    const Result r = complete(c);
    QCOMPARE(r.status, 401);
    QVERIFY(QJsonDocument::fromJson(r.body).object().value("detail"_L1).isString());
}

void TestFakeZaiServer::missingOriginOrRefererHitsWaf_data()
{
    QTest::addColumn<bool>("origin");
    QTest::addColumn<bool>("referer");
    QTest::newRow("no Origin") << false << true;
    QTest::newRow("no Referer") << true << false;
    QTest::newRow("neither") << false << false;
}

void TestFakeZaiServer::missingOriginOrRefererHitsWaf()
{
    QFETCH(bool, origin);
    QFETCH(bool, referer);
    Call c = call();
    c.sendOrigin = origin;
    c.sendReferer = referer;
    const Result r = complete(c);
    QCOMPARE(r.status, 405);
    QVERIFY(r.contentType.startsWith("text/html"));
    QVERIFY(r.body.contains("errors.aliyun.com"));
}

// --- FE version ----------------------------------------------------------------------------

void TestFakeZaiServer::outdatedFeVersionInStream()
{
    Call c = call();
    c.feVersion = "prod-fe-1.0.100"_ba;
    const Result r = complete(c);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.events.size(), 1);
    const QJsonObject data = r.events.first().value("data"_L1).toObject();
    QCOMPARE(data.value("done"_L1).toBool(), true);
    const QJsonObject flat = data.value("error"_L1).toObject();
    const QJsonObject nested = data.value("data"_L1).toObject().value("error"_L1).toObject();
    QCOMPARE(flat.value("code"_L1).toInt(), 426);
    QCOMPARE(nested, flat);
    QCOMPARE(data.value("data"_L1).toObject().value("done"_L1).toBool(), true);
    QVERIFY(flat.value("detail"_L1).toString().contains("outdated"_L1));

    c.feVersion.clear(); // no header at all: "(unknown)"
    const Result missing = complete(c);
    QVERIFY(missing.events.first()
                .value("data"_L1)
                .toObject()
                .value("error"_L1)
                .toObject()
                .value("detail"_L1)
                .toString()
                .contains("(unknown)"_L1));

    m_server->setFeVersion(u"prod-fe-1.0.100"_s); // now that one is current
    QCOMPARE(countPhase(complete(call()).events, u"answer"_s), 0);
    c.feVersion = "prod-fe-1.0.100"_ba;
    QCOMPARE(countPhase(complete(c).events, u"answer"_s), 5);
}

void TestFakeZaiServer::outdatedFeVersionAsHttpStatus()
{
    m_server->setRequireFeVersionHttpStatus(true);
    Call c = call();
    c.feVersion = "prod-fe-1.0.100"_ba;
    const Result r = complete(c);
    QCOMPARE(r.status, 426);
    QCOMPARE(r.body, R"({"detail":"您的客户端版本过旧"})"_ba);
    QCOMPARE(complete(call()).status, 200);
}

// --- body and stream shapes ----------------------------------------------------------------

void TestFakeZaiServer::bodyValidation_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown model") << 0 << 404;
    QTest::newRow("stream false") << 1 << 400;
    QTest::newRow("no messages") << 2 << 400;
    QTest::newRow("added model") << 3 << 200;
    QTest::newRow("every default model") << 4 << 200;
}

void TestFakeZaiServer::bodyValidation()
{
    QFETCH(int, variant);
    QFETCH(int, status);
    Call c = call();
    switch (variant) {
    case 0:
        c.model = u"gpt-4"_s;
        break;
    case 1:
        c.stream = false;
        break;
    case 2:
        c.emptyMessages = true;
        break;
    case 3:
        m_server->addModel(u"GLM-5-Turbo"_s);
        c.model = u"GLM-5-Turbo"_s;
        break;
    case 4: {
        m_server->setPersistedModels({});
        const QStringList models{u"glm-4.7"_s,       u"GLM-4-6-API-V1"_s, u"0727-360B-API"_s,
                                 u"0727-106B-API"_s, u"glm-4.5v"_s,       u"glm-4.6v"_s,
                                 u"glm-5"_s};
        for (const QString &model : models) {
            c.model = model;
            QCOMPARE(complete(c).status, 200);
        }
        return;
    }
    }
    QCOMPARE(complete(c).status, status);
}

void TestFakeZaiServer::thinkingStreamShape()
{
    Call c = call();
    c.thinking = true;
    c.prompt = u"two\nlines"_s;
    const Result r = complete(c);
    QCOMPARE(r.status, 200);

    const QJsonObject first = r.events.first().value("data"_L1).toObject();
    QCOMPARE(first.value("phase"_L1).toString(), u"thinking"_s);
    const QString opening = first.value("delta_content"_L1).toString();
    QVERIFY(opening.startsWith(
        u"<details type=\"reasoning\" done=\"false\" view=\"\" last_tool_call_name=\"\">\n"
        "<summary>Thinking…</summary>\n> "_s));
    QCOMPARE(opening.left(32), u"<details type=\"reasoning\" done=\""_s);

    // The closing edit in phase answer at index 32, then answer deltas starting with "\n".
    qsizetype editAt = -1;
    for (qsizetype i = 0; i < r.events.size(); ++i) {
        if (r.events.at(i).value("data"_L1).toObject().contains("edit_index"_L1)) {
            editAt = i;
            break;
        }
    }
    QVERIFY(editAt > 0);
    const QJsonObject edit = r.events.at(editAt).value("data"_L1).toObject();
    QCOMPARE(edit.value("edit_index"_L1).toInt(), 32);
    QCOMPARE(edit.value("phase"_L1).toString(), u"answer"_s);
    QVERIFY(edit.value("edit_content"_L1).toString().startsWith(u"true\" duration=\"1\""_s));
    QVERIFY(edit.value("edit_content"_L1).toString().endsWith(u"</details>"_s));
    const QJsonObject firstAnswer = r.events.at(editAt + 1).value("data"_L1).toObject();
    QVERIFY(firstAnswer.value("delta_content"_L1).toString().startsWith(u'\n'));

    const QString quoted = u"The user said: two\n> lines\n> I will echo it back."_s;
    QCOMPARE(FakeZaiServer::quoteThought(FakeZaiServer::expectedThought(c.prompt)), quoted);
    QCOMPARE(phaseText(r.events, u"thinking"_s), FakeZaiServer::thinkingOpening() + quoted);
    QCOMPARE(applyEvents(r.events),
             u"<details type=\"reasoning\" done=\"true\" duration=\"1\" view=\"\" "
             "last_tool_call_name=\"\">\n<summary>Thought for 1 seconds</summary>\n> "_s +
                 quoted + u"\n</details>\nEcho: two\nlines"_s);
    QCOMPARE(phaseText(r.events, u"answer"_s), u"\nEcho: two\nlines"_s);
}

void TestFakeZaiServer::thinkingDelayStretchesThinking()
{
    m_server->setThinkingDelayMs(400);
    Call c = call();
    c.thinking = true;
    QNetworkReply *pending = sendCompletion(c);
    QElapsedTimer sinceFirst;
    qint64 untilEdit = -1;
    QByteArray received;
    connect(pending, &QNetworkReply::readyRead, this, [&] {
        received += pending->readAll();
        if (!sinceFirst.isValid())
            sinceFirst.start();
        if (untilEdit < 0 && received.contains("edit_index"))
            untilEdit = sinceFirst.elapsed();
    });
    QSignalSpy finished(pending, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QVERIFY2(untilEdit >= 350, qPrintable(QString::number(untilEdit)));
    pending->deleteLater();

    // Without thinking there is nothing to stretch.
    QElapsedTimer plain;
    plain.start();
    QCOMPARE(complete(call()).status, 200);
    QVERIFY(plain.elapsed() < 350);
}

void TestFakeZaiServer::webSearchPrefix()
{
    Call c = call();
    c.webSearch = true;
    QCOMPARE(applyEvents(complete(c).events), u"[search] Echo: hello"_s);
}

void TestFakeZaiServer::legacyPathAccepted()
{
    Call c = call();
    c.path = u"/api/chat/completions"_s;
    QCOMPARE(applyEvents(complete(c).events), u"Echo: hello"_s);
    QCOMPARE(m_server->count(u"/api/chat/completions"_s), 1);
}

// --- scripting -----------------------------------------------------------------------------

void TestFakeZaiServer::scriptedHttpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("401") << 401 << QByteArray() << R"({"detail":"token expired"})"_ba;
    QTest::newRow("405 WAF") << 405 << "text/html"_ba
                             << "<!doctypehtml><html>errors.aliyun.com</html>"_ba;
    QTest::newRow("426") << 426 << QByteArray() << R"({"detail":"您的客户端版本过旧"})"_ba;
    QTest::newRow("429") << 429 << QByteArray()
                         << R"({"detail":"Too Many Requests: concurrency"})"_ba;
    QTest::newRow("500") << 500 << "text/plain"_ba
                         << "Internal Server Error"_ba;
}

void TestFakeZaiServer::scriptedHttpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    FakeReply reply;
    reply.httpStatus = status;
    reply.contentType = contentType;
    reply.body = body;
    m_server->enqueue(reply);
    QCOMPARE(m_server->pendingReplies(), 1);

    const Result r = complete(call());
    QCOMPARE(r.status, status);
    QCOMPARE(r.body, body);
    QCOMPARE(r.contentType, contentType.isEmpty() ? "application/json"_ba : contentType);
    QCOMPARE(m_server->pendingReplies(), 0);
    // Consumed: the next request gets the default answer.
    QCOMPARE(applyEvents(complete(call()).events), u"Echo: hello"_s);
}

void TestFakeZaiServer::scriptedRepliesAreFifo()
{
    FakeReply first;
    first.httpStatus = 429;
    first.body = R"({"detail":"concurrency"})"_ba;
    FakeReply second;
    second.httpStatus = 500;
    second.body = R"({"detail":"boom"})"_ba;
    m_server->enqueue(first);
    m_server->enqueue(second);

    // A request that fails validation consumes nothing.
    Call bad = call();
    bad.sendSignature = false;
    QCOMPARE(complete(bad).status, 400);
    QCOMPARE(m_server->pendingReplies(), 2);

    QCOMPARE(complete(call()).status, 429);
    QCOMPARE(complete(call()).status, 500);
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::scriptedForOtherPath()
{
    FakeReply waf;
    waf.httpStatus = 405;
    waf.contentType = "text/html"_ba;
    waf.body = "<html>errors.aliyun.com</html>"_ba;
    waf.pathPrefix = u"/api/v1/auths"_s;
    m_server->enqueue(waf);

    // A completion does not take a reply meant for another path.
    QCOMPARE(complete(call()).status, 200);
    QCOMPARE(m_server->pendingReplies(), 1);
    QCOMPARE(get(u"/api/v1/auths/"_s).status, 405);
    QCOMPARE(get(u"/api/v1/auths/"_s).status, 200);
}

void TestFakeZaiServer::scriptedInStreamError()
{
    FakeReply reply;
    reply.events = {
        FakeZaiServer::answerEvent(u"partial"_s),
        FakeZaiServer::errorEvent(403, u"Model not available for current user level"_s)};
    m_server->enqueue(reply);
    const Result r = complete(call());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.events.size(), 2);
    QCOMPARE(applyEvents(r.events), u"partial"_s);
    const QJsonObject error =
        r.events.last().value("data"_L1).toObject().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toInt(), 403);
    QCOMPARE(error.value("detail"_L1).toString(), u"Model not available for current user level"_s);
}

void TestFakeZaiServer::scriptedDoneMarker()
{
    FakeReply reply;
    reply.sendDoneMarker = true;
    reply.events = {FakeZaiServer::answerEvent(u"x"_s), FakeZaiServer::doneEvent(),
                    ": comment line"_ba};
    m_server->enqueue(reply);
    const Result r = complete(call());
    QCOMPARE(r.rawData.size(), 3);
    QCOMPARE(r.rawData.last(), "[DONE]"_ba);
    QVERIFY(r.body.contains("\n: comment line\n\n"));
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
}

void TestFakeZaiServer::scriptedCloseWithoutResponse()
{
    // A raw socket: QNetworkAccessManager would silently resend the request on a new connection.
    FakeReply reply;
    reply.httpStatus = 0;
    m_server->enqueue(reply);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawCompletion(u"hi"_s));
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(socket.readAll(), QByteArray());
    QCOMPARE(m_server->count(u"/api/v2/chat/completions"_s), 1);
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::dropAfterEvents()
{
    // On the wire: two events, then the connection ends without the terminating chunk.
    FakeReply reply;
    reply.dropAfterEvents = 2;
    m_server->enqueue(reply);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawCompletion(u"hello"_s));
    QByteArray wire;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { wire += socket.readAll(); });
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    wire += socket.readAll();
    QVERIFY(wire.startsWith("HTTP/1.1 200 "));
    QVERIFY(wire.contains("Transfer-Encoding: chunked"));
    QCOMPARE(wire.count("data: "), 2);
    QVERIFY(!wire.endsWith("0\r\n\r\n"));
    QCOMPARE(m_server->abortedStreams(), 0); // the server hung up, not the client
    QTRY_COMPARE(m_server->activeStreams(), 0);

    // Through QNetworkAccessManager, with scripted events and a pace. Qt 6.4 may report such a
    // truncated chunked body as RemoteHostClosedError or as a normal finish, depending on
    // timing: a client can only rely on the missing done event.
    FakeReply paced;
    paced.events = {FakeZaiServer::answerEvent(u"a"_s), FakeZaiServer::answerEvent(u"b"_s),
                    FakeZaiServer::doneEvent()};
    paced.delayMs = 20;
    paced.dropAfterEvents = 1;
    m_server->enqueue(paced);
    const Result p = complete(call());
    QCOMPARE(p.status, 200);
    QCOMPARE(p.events.size(), 1);
    QCOMPARE(applyEvents(p.events), u"a"_s);
}

void TestFakeZaiServer::stallThenContinue()
{
    FakeReply reply;
    reply.stallAfterEvents = 1;
    reply.stallMs = 400;
    m_server->enqueue(reply);

    QNetworkReply *pending = sendCompletion(call());
    QElapsedTimer firstEvent;
    QByteArray received;
    connect(pending, &QNetworkReply::readyRead, this, [&] {
        received += pending->readAll();
        if (!firstEvent.isValid() && received.contains("\n\n"))
            firstEvent.start();
    });
    QSignalSpy finished(pending, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QVERIFY(firstEvent.isValid());
    QVERIFY2(firstEvent.elapsed() >= 350, qPrintable(QString::number(firstEvent.elapsed())));
    received += pending->readAll();
    QCOMPARE(pending->error(), QNetworkReply::NoError);
    QCOMPARE(sseData(received).size(), 5 + 2); // five deltas, usage, done
    pending->deleteLater();
}

void TestFakeZaiServer::streamAbortedWhenClientLeaves()
{
    m_server->setDefaultDelayMs(50);
    m_server->setDefaultChunks(20);
    QSignalSpy aborted(m_server.get(), &FakeZaiServer::streamAborted);

    Call c = call();
    c.prompt = u"a prompt long enough for twenty deltas"_s;
    QNetworkReply *pending = sendCompletion(c);
    QSignalSpy readyRead(pending, &QNetworkReply::readyRead);
    QVERIFY(readyRead.wait(5000));
    QTRY_COMPARE(m_server->activeStreams(), 1);
    pending->abort();
    pending->deleteLater();

    QTRY_COMPARE(aborted.size(), 1);
    QCOMPARE(m_server->abortedStreams(), 1);
    QCOMPARE(m_server->activeStreams(), 0);
    QTRY_COMPARE(m_server->openConnections(), 0);
}

// --- persisted chats -----------------------------------------------------------------------

void TestFakeZaiServer::persistedModelNeedsChatsNew()
{
    const auto lastError = [](const Result &r) {
        return r.events.last()
            .value("data"_L1)
            .toObject()
            .value("error"_L1)
            .toObject()
            .value("code"_L1)
            .toString();
    };

    // Without chats/new: the whole answer, then INTERNAL_ERROR at done.
    Call c = call();
    c.model = u"glm-4.7"_s;
    c.chatId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const Result orphan = complete(c);
    QCOMPARE(orphan.status, 200);
    QCOMPARE(applyEvents(orphan.events), u"Echo: hello"_s);
    QCOMPARE(lastError(orphan), u"INTERNAL_ERROR"_s);
    QCOMPARE(orphan.events.last().value("data"_L1).toObject().value("done"_L1).toBool(), true);

    const QByteArray newChat = R"({"chat":{"id":"","title":"新聊天","models":["glm-4.7"],
        "history":{"messages":{},"currentId":null},"enable_thinking":false}})"_ba;
    const Result created = post(u"/api/v1/chats/new"_s, newChat, m_token.toUtf8());
    QCOMPARE(created.status, 200);
    const QJsonObject chat = QJsonDocument::fromJson(created.body).object();
    const QString chatId = chat.value("id"_L1).toString();
    QVERIFY(!chatId.isEmpty());
    QCOMPARE(chat.value("chat"_L1).toObject().value("id"_L1).toString(), chatId);
    QCOMPARE(m_server->chatIds(), QStringList{chatId});

    c.chatId = chatId;
    const Result ok = complete(c);
    QCOMPARE(applyEvents(ok.events), u"Echo: hello"_s);
    QCOMPARE(ok.events.last().value("data"_L1).toObject().value("phase"_L1).toString(), u"done"_s);
    QVERIFY(!ok.events.last().value("data"_L1).toObject().contains("error"_L1));

    // Somebody else's chat does not count.
    m_server->addValidToken(u"second-token"_s);
    Call other = c;
    other.token = u"second-token"_s;
    QCOMPARE(lastError(complete(other)), u"INTERNAL_ERROR"_s);

    // Non-persisted models need no chat; persisted ones are configurable.
    Call simple = call();
    simple.model = u"glm-5"_s;
    QVERIFY(lastError(complete(simple)).isEmpty());
    m_server->setPersistedModels({u"glm-5"_s});
    QCOMPARE(lastError(complete(simple)), u"INTERNAL_ERROR"_s);
}

void TestFakeZaiServer::chatsNewNeedsBearer()
{
    const QByteArray body = R"({"chat":{"models":["glm-4.7"]}})"_ba;
    QCOMPARE(post(u"/api/v1/chats/new"_s, body, {}).status, 401);
    QCOMPARE(post(u"/api/v1/chats/new"_s, body, "bad"_ba).status, 401);
    QCOMPARE(post(u"/api/v1/chats/new"_s, "{}"_ba, m_token.toUtf8()).status, 422);
    QVERIFY(m_server->chatIds().isEmpty());
}

void TestFakeZaiServer::fileUploads()
{
    const QByteArray type = "multipart/form-data; boundary=XyZ";
    const QByteArray image = PngHead + QByteArray("\r\n--other\r\n\r\n", 13);
    const Result ok = upload(m_token.toUtf8(), type, multipartFile(image));
    QCOMPARE(ok.status, 200);
    const QJsonObject file = QJsonDocument::fromJson(ok.body).object();
    const QList<FakeUploadedFile> files = m_server->uploadedFiles();
    QCOMPARE(files.size(), 1);
    QCOMPARE(file.value("id"_L1).toString(), files.first().id);
    QCOMPARE(file.value("filename"_L1).toString(), u"a.png"_s);
    QCOMPARE(file.value("meta"_L1).toObject().value("size"_L1).toInt(), image.size());
    QCOMPARE(file.value("meta"_L1).toObject().value("content_type"_L1).toString(), u"image/png"_s);
    QVERIFY(file.value("hash"_L1).isNull());
    QCOMPARE(files.first().description, u"image/png 3x2"_s);
    QCOMPARE(files.first().size, image.size());

    QCOMPARE(upload({}, type, multipartFile(image)).status, 401);
    QCOMPARE(upload("bad", type, multipartFile(image)).status, 401);
    QCOMPARE(upload(m_token.toUtf8(), "application/json", "{}").status, 422);
    QCOMPARE(upload(m_token.toUtf8(), type, multipartFile(image, "upload")).status, 422);
    QCOMPARE(upload(m_token.toUtf8(), type, "--XyZ\r\nContent-Disposition: form-data").status, 400);

    // Guests may not upload.
    const QString guest = newGuest();
    QVERIFY(!guest.isEmpty());
    const Result refused = upload(guest.toUtf8(), type, multipartFile(image));
    QCOMPARE(refused.status, 403);
    QVERIFY(refused.body.contains("permission"));
    QCOMPARE(m_server->uploadedFiles().size(), 1);
}

void TestFakeZaiServer::completionsCheckFileReferences()
{
    const QByteArray type = "multipart/form-data; boundary=XyZ";
    QCOMPARE(upload(m_token.toUtf8(), type, multipartFile(PngHead)).status, 200);
    const QString id = m_server->uploadedFiles().first().id;

    Call c = call();
    c.imageIds = {id, id};
    Result r = complete(c);
    QCOMPARE(r.status, 200);
    QCOMPARE(applyEvents(r.events), FakeZaiServer::expectedAnswer(u"hello"_s)
                                        + FakeZaiServer::imageNote({u"image/png 3x2"_s, u"image/png 3x2"_s}));

    c.imageIds = {u"not-a-file"_s};
    QCOMPARE(complete(c).status, 400);
    QVERIFY(m_server->lastRejection().contains(u"not-a-file"_s));

    c.imageIds = {id};
    c.listedIds = {u"other"_s};
    QCOMPARE(complete(c).status, 400);

    c.imageIds = {u"data:image/png;base64,iVBORw0KGgo="_s}; // raw data never reaches the model
    c.listedIds = {id};
    QCOMPARE(complete(c).status, 400);

    // Another account cannot reference the file.
    const QString other = u"other-token"_s;
    m_server->addValidToken(other);
    c = call();
    c.token = other;
    c.imageIds = {id};
    QCOMPARE(complete(c).status, 400);
}

void TestFakeZaiServer::concurrencyLimit()
{
    m_server->setConcurrencyLimit(1);
    m_server->setDefaultDelayMs(100);
    QNetworkReply *first = sendCompletion(call());
    QTRY_COMPARE(m_server->activeStreams(), 1);
    const Result second = complete(call());
    QCOMPARE(second.status, 429);
    QVERIFY(second.body.contains("concurrency"));
    QCOMPARE(finish(first).status, 200);
    QCOMPARE(complete(call()).status, 200);
}

// --- HTTP layer ----------------------------------------------------------------------------

void TestFakeZaiServer::keepAliveReusesConnection()
{
    for (int i = 0; i < 3; ++i)
        QCOMPARE(complete(call()).status, 200);
    QCOMPARE(get(u"/"_s).status, 200);
    QCOMPARE(m_server->totalConnections(), 1);
    QCOMPARE(m_server->openConnections(), 1);
}

void TestFakeZaiServer::recordsRequests()
{
    QSignalSpy received(m_server.get(), &FakeZaiServer::requestReceived);
    complete(call());
    get(u"/"_s);
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.first().first().toString(), u"/api/v2/chat/completions"_s);

    const QList<RecordedRequest> completions = m_server->requests(u"/api/v2/chat"_s);
    QCOMPARE(completions.size(), 1);
    const RecordedRequest &r = completions.first();
    QCOMPARE(r.method, "POST"_ba);
    QCOMPARE(r.header("x-fe-version"_ba), "prod-fe-1.0.231"_ba);
    QCOMPARE(r.header("authorization"_ba), "Bearer " + m_token.toUtf8());
    QCOMPARE(r.queryValue(u"token"_s), m_token);
    QCOMPARE(r.json.value("signature_prompt"_L1).toString(), u"hello"_s);
    QCOMPARE(m_server->count(u"/"_s), 2);
    QCOMPARE(m_server->requests().size(), 2);

    m_server->clearRecords();
    QCOMPARE(m_server->requests().size(), 0);
    QCOMPARE(m_server->count(u"/"_s), 0);

    m_server->setRecording(false);
    complete(call());
    QCOMPARE(m_server->requests().size(), 0);
    QCOMPARE(m_server->count(u"/api/v2/chat/completions"_s), 1);
}

void TestFakeZaiServer::oversizedHeaderRejected()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(70 * 1024, 'a'));
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 431 "));
    QCOMPARE(m_server->count(u"/"_s), 0);
}

void TestFakeZaiServer::clientVanishesMidRequest()
{
    for (const QByteArray &partial :
         {"GET / HTTP/1.1\r\nHo"_ba,
          "POST /api/v1/chats/new HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"chat\""_ba}) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(socket->waitForConnected(5000));
        socket->write(partial);
        QVERIFY(socket->waitForBytesWritten(5000));
        socket.reset(); // gone before the request is complete
    }
    QTRY_COMPARE(m_server->openConnections(), 0);
    QCOMPARE(m_server->count(u"/"_s), 0);
    QCOMPARE(get(u"/"_s).status, 200); // still serving
}

void TestFakeZaiServer::pipelinedRequestsAnsweredInOrder()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /api/v1/auths/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                 m_token.toUtf8() +
                 "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    const QByteArray all = socket.readAll();
    const qsizetype notFound = all.indexOf("HTTP/1.1 404 ");
    const qsizetype user = all.indexOf("HTTP/1.1 200 ");
    const qsizetype landing = all.indexOf("HTTP/1.1 200 ", user + 1);
    QVERIFY2(notFound == 0 && user > notFound && landing > user, all.constData());
    QVERIFY(all.contains("prod-fe-1.0.231"));
}

void TestFakeZaiServer::manyConcurrentZeroDelayStreams()
{
    // The benchmark's shape: many connections at once, a long stream each, zero delay.
    constexpr int Streams = 200;
    constexpr int Chunks = 200;
    m_server->setDefaultChunks(Chunks);
    m_server->setRecording(false);
    const QString prompt = QString(300, u'x');

    const QByteArray request = rawCompletion(prompt);

    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    QList<QByteArray> received(Streams);
    int complete = 0;
    for (int i = 0; i < Streams; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        QTcpSocket *socket = sockets.back().get();
        connect(socket, &QTcpSocket::connected, this,
                [socket, &request] { socket->write(request); });
        connect(socket, &QTcpSocket::readyRead, this, [socket, &received, &complete, i] {
            received[i] += socket->readAll();
            if (received[i].endsWith("\r\n0\r\n\r\n"))
                ++complete;
        });
        socket->connectToHost(QHostAddress::LocalHost, m_server->port());
    }
    QTRY_COMPARE_WITH_TIMEOUT(complete, Streams, 60000);
    qInfo("%d streams x %d chunks in %lld ms", Streams, Chunks, clock.elapsed());
    for (const QByteArray &r : std::as_const(received)) {
        QVERIFY(r.startsWith("HTTP/1.1 200 "));
        QCOMPARE(r.count("\"phase\":\"answer\""), Chunks);
    }
    QTRY_COMPARE(m_server->activeStreams(), 0);
    QCOMPARE(m_server->completedStreams(), Streams);
    sockets.clear();
    QTRY_COMPARE(m_server->openConnections(), 0);
    QCOMPARE(m_server->abortedStreams(), 0);
}

// --- the live service of late 2026 (section 10) ----------------------------------------------

void TestFakeZaiServer::captchaGateOffByDefault()
{
    // Neither a missing nor a foreign parameter matters, and none of the other options is on.
    QCOMPARE(applyEvents(complete(call()).events), u"Echo: hello"_s);
    Call c = call();
    c.captcha = u"not minted here"_s;
    c.extraBody = {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}},
                   {"tools"_L1, QJsonArray{QJsonObject{{"type"_L1, u"function"_s}}}}};
    const Result r = complete(c);
    QCOMPARE(r.status, 200);
    QCOMPARE(applyEvents(r.events), u"Echo: hello"_s);
    QVERIFY(streamError(r.events).isEmpty());
    QCOMPARE(get(u"/"_s).body.contains("zb-fake-sign-in"), false);
}

void TestFakeZaiServer::captchaGate()
{
    m_server->setCaptchaRequired(true);
    for (const bool empty : {false, true}) { // absent, then empty
        Call c = call();
        if (empty)
            c.extraBody = {{"captcha_verify_param"_L1, u""_s}};
        const Result r = complete(c);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.events.size(), 1);
        // Exactly the error of section 10, framed like every in-stream error (nested and flat).
        QCOMPARE(
            r.rawData.first(),
            QByteArray(
                R"({"type":"chat:completion","data":{"data":)"
                R"({"done":true,"error":{"captcha_error_type":"missing_param","code":"FRONTEND_CAPTCHA_REQUIRED","detail":"Please refresh the page to update the app, then try again.","error_code":"FRONTEND_CAPTCHA_REQUIRED"}})"
                R"(,"done":true,"error":{"captcha_error_type":"missing_param","code":"FRONTEND_CAPTCHA_REQUIRED","detail":"Please refresh the page to update the app, then try again.","error_code":"FRONTEND_CAPTCHA_REQUIRED"}}})"));
        QCOMPARE(r.rawData.first(), FakeZaiServer::captchaRequiredEvent());
        QVERIFY(m_server->lastRejection().contains("captcha"_L1));
    }
    // The gate comes after the HTTP checks: a bad signature is still a 400.
    Call unsigned_ = call();
    unsigned_.sendSignature = false;
    QCOMPARE(complete(unsigned_).status, 400);
}

void TestFakeZaiServer::captchaParamAcceptedOnce()
{
    m_server->setCaptchaRequired(true);
    Call c = call();
    c.captcha = m_server->mintCaptchaParam();
    QCOMPARE(m_server->mintedCaptchaParams(), 1);
    // An Aliyun verify parameter is a JSON string.
    QVERIFY(QJsonDocument::fromJson(c.captcha.toUtf8()).object().contains("certifyId"_L1));
    const Result first = complete(c);
    QCOMPARE(applyEvents(first.events), u"Echo: hello"_s);
    QVERIFY(streamError(first.events).isEmpty());

    const Result again = complete(c); // single use: now stale
    QCOMPARE(again.events.size(), 1);
    const QJsonObject error = streamError(again.events);
    QCOMPARE(error.value("code"_L1).toString(), u"F018"_s);
    QCOMPARE(error.value("verify_code"_L1).toString(), u"F018"_s);
    QCOMPARE(error.value("error_code"_L1).toString(), u"FRONTEND_CAPTCHA_REQUIRED"_s);
    QCOMPARE(error.value("captcha_error_type"_L1).toString(), u"verify_failed"_s);
    QVERIFY(!error.value("detail"_L1).toString().isEmpty());
    QCOMPARE(again.events.first()
                 .value("data"_L1)
                 .toObject()
                 .value("data"_L1)
                 .toObject()
                 .value("error"_L1)
                 .toObject(),
             error);

    c.captcha = m_server->mintCaptchaParam(); // a fresh one works
    QVERIFY(streamError(complete(c).events).isEmpty());
}

void TestFakeZaiServer::captchaStaleAndForeign()
{
    m_server->setCaptchaRequired(true);
    Call c = call();
    // Minted by another fake: foreign.
    FakeZaiServer other;
    c.captcha = other.mintCaptchaParam();
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(), u"F019"_s);
    c.captcha = u"{\"certifyId\":\"made-up\"}"_s;
    const QJsonObject foreign = streamError(complete(c).events);
    QCOMPARE(foreign.value("code"_L1).toString(), u"F019"_s);
    QCOMPARE(foreign.value("error_code"_L1).toString(), u"FRONTEND_CAPTCHA_REQUIRED"_s);
    QCOMPARE(FakeZaiServer::captchaRejectedEvent(u"F019"_s), complete(c).rawData.first());

    // A stale one stays stale, a request refused before the gate does not use one up.
    c.captcha = m_server->mintCaptchaParam();
    Call refused = c;
    refused.model = u"gpt-4"_s;
    QCOMPARE(complete(refused).status, 404);
    QVERIFY(streamError(complete(c).events).isEmpty());
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(), u"F018"_s);
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(), u"F018"_s);
}

void TestFakeZaiServer::captchaExpiresAfterLifetime()
{
    // The lifetime counts from minting and is read when a parameter is checked, so a short one
    // set after the first use keeps the test independent of how fast this machine answers.
    m_server->setCaptchaRequired(true);
    Call c = call();
    c.captcha = m_server->mintCaptchaParam();
    Call unused = call();
    unused.captcha = m_server->mintCaptchaParam();
    QVERIFY(streamError(complete(c).events).isEmpty()); // within the default 300 s
    m_server->setCaptchaLifetimeMs(100);
    QTest::qWait(150);
    const QJsonObject expired = streamError(complete(unused).events); // never used, but too old
    QCOMPARE(expired.value("code"_L1).toString(), u"F018"_s);
    QVERIFY(m_server->lastRejection().contains("expired"_L1));
}

void TestFakeZaiServer::captchaReusableWithinLifetime()
{
    m_server->setCaptchaRequired(true);
    m_server->setCaptchaSingleUse(false);
    Call c = call();
    c.captcha = m_server->mintCaptchaParam();
    QVERIFY(streamError(complete(c).events).isEmpty());
    QVERIFY(streamError(complete(c).events).isEmpty());
    m_server->setCaptchaLifetimeMs(100);
    QTest::qWait(150);
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(), u"F018"_s);
}

void TestFakeZaiServer::captchaMintedOverHttp()
{
    m_server->setCaptchaRequired(true);
    const Result minted = get(u"/__fake/captcha/mint"_s);
    QCOMPARE(minted.status, 200);
    QVERIFY(minted.contentType.startsWith("text/plain"));
    QVERIFY(!minted.body.isEmpty());
    QVERIFY(get(u"/__fake/captcha/mint"_s).body != minted.body); // a new one each time
    QCOMPARE(m_server->mintedCaptchaParams(), 2);
    Call c = call();
    c.captcha = QString::fromUtf8(minted.body);
    QVERIFY(streamError(complete(c).events).isEmpty());
    QCOMPARE(post(u"/__fake/captcha/mint"_s, "{}", {}).status, 405);
}

void TestFakeZaiServer::userOnlyRoles()
{
    // Off: the system message of call() is fine (every test above sends one).
    QVERIFY(streamError(complete(call()).events).isEmpty());

    m_server->setUserOnlyRoles(true);
    const Result system = complete(call());
    QCOMPARE(system.status, 200);
    QCOMPARE(system.events.size(), 1);
    QCOMPARE(streamError(system.events).value("code"_L1).toString(), u"INTERNAL_ERROR"_s);
    QVERIFY(m_server->lastRejection().contains("'system'"_L1));

    Call assistant = call();
    assistant.systemMessage = false;
    assistant.extraBody = {
        {"messages"_L1,
         QJsonArray{QJsonObject{{"role"_L1, u"user"_s}, {"content"_L1, u"hi"_s}},
                    QJsonObject{{"role"_L1, u"assistant"_s}, {"content"_L1, u"yo"_s}},
                    QJsonObject{{"role"_L1, u"user"_s}, {"content"_L1, u"hello"_s}}}}};
    QCOMPARE(streamError(complete(assistant).events).value("code"_L1).toString(),
             u"INTERNAL_ERROR"_s);

    Call user = call();
    user.systemMessage = false;
    const Result ok = complete(user);
    QCOMPARE(applyEvents(ok.events), u"Echo: hello"_s);
    QVERIFY(streamError(ok.events).isEmpty());
}

void TestFakeZaiServer::userOnlyRolesRefuseTools()
{
    m_server->setUserOnlyRoles(true);
    Call c = call();
    c.systemMessage = false;
    c.extraBody = {{"tools"_L1, QJsonArray{QJsonObject{{"type"_L1, u"function"_s}}}}};
    const Result refused = complete(c);
    QCOMPARE(refused.status, 400);
    QVERIFY(QJsonDocument::fromJson(refused.body)
                .object()
                .value("detail"_L1)
                .toString()
                .contains("tools"_L1));
    c.extraBody = {{"tools"_L1, QJsonArray()}}; // empty is no tools
    QCOMPARE(complete(c).status, 200);
    c.extraBody = {{"tools"_L1, QJsonValue::Null}};
    QCOMPARE(complete(c).status, 200);
}

void TestFakeZaiServer::userOnlyRolesFindInstructionsInUserText()
{
    // The conversation flattened into user text (P.12): the tool prompt of 7.4 and the earlier
    // turns in one user message, the tool protocol still answered.
    m_server->setUserOnlyRoles(true);
    const QString prompt =
        u"# Tools\n\nYou can call the tools listed below.\n\n<tools>\n<tool name=\"read_file\">"
        "<description>Reads a file</description><parameters>{\"type\":\"object\",\"properties\":"
        "{\"path\":{\"type\":\"string\"}}}</parameters></tool>\n</tools>\n\nTo call tools, write "
        "the line <Function_Ab12_Start/> on its own, then exactly one <function_calls> block:\n\n"
        "<Function_Ab12_Start/>\n<function_calls>\n<function_call>\n<tool>TOOL_NAME</tool>\n"
        "<args_json><![CDATA[{}]]></args_json>\n</function_call>\n</function_calls>\n\n"
        "- Results come back in a later user message as <tool_result tool=\"NAME\" "
        "call_id=\"ID\">OUTPUT</tool_result>.\n\nUser: show me the readme"_s;
    Call c = call();
    c.systemMessage = false;
    c.prompt = prompt;
    const QString called = applyEvents(complete(c).events);
    QVERIFY2(called.contains("<tool>read_file</tool>"_L1), qPrintable(called));
    QVERIFY(called.contains("<Function_Ab12_Start/>"_L1));

    c.prompt = prompt + u"\nAssistant: <Function_Ab12_Start/>\n<function_calls>\n<function_call>\n"
                        "<tool>read_file</tool>\n<args_json><![CDATA[{\"path\":\"README.md\"}]]>"
                        "</args_json>\n</function_call>\n</function_calls>\nUser: <tool_result "
                        "tool=\"read_file\" call_id=\"call_1\"># ZaiBridge</tool_result>"_s;
    QCOMPARE(applyEvents(complete(c).events), u"The tool read_file said: # ZaiBridge"_s);
}

void TestFakeZaiServer::deviceIdRequired()
{
    QCOMPARE(complete(call()).status, 200); // off: no X-Device-Id needed
    QCOMPARE(m_server->deviceIds(), QStringList{QString()});

    m_server->setDeviceIdRequired(true);
    const Result missing = complete(call());
    QCOMPARE(missing.status, 426);
    QCOMPARE(missing.body, R"({"detail":"您的客户端版本过旧"})"_ba);
    Call blank = call();
    blank.deviceId = "   "_ba;
    QCOMPARE(complete(blank).status, 426);

    m_server->clearRecords();
    Call c = call();
    c.deviceId = "3f1e6f0e-8a53-4d5c-9b1a-0c2d4e6f8a10"_ba;
    QCOMPARE(complete(c).status, 200);
    QCOMPARE(complete(c).status, 200);
    const QStringList ids = m_server->deviceIds();
    QCOMPARE(ids, QStringList(2, u"3f1e6f0e-8a53-4d5c-9b1a-0c2d4e6f8a10"_s));
}

void TestFakeZaiServer::streamOptionsRefused()
{
    Call c = call();
    c.extraBody = {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}};
    QCOMPARE(complete(c).status, 200);
    m_server->setStreamOptionsRefused(true);
    const Result refused = complete(c);
    QCOMPARE(refused.status, 400);
    QVERIFY(refused.body.contains("stream_options"));
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::modelsListing()
{
    QCOMPARE(get(u"/api/models"_s).status, 401);
    const Result r = get(u"/api/models"_s, m_token.toUtf8());
    QCOMPARE(r.status, 200);
    const QJsonArray data = QJsonDocument::fromJson(r.body).object().value("data"_L1).toArray();
    QCOMPARE(data.size(), m_server->models().size());
    for (const QJsonValue &value : data) {
        const QJsonObject entry = value.toObject();
        const QString id = entry.value("id"_L1).toString();
        QVERIFY(m_server->models().contains(id));
        QCOMPARE(entry.value("owned_by"_L1).toString(), u"openai"_s);
        QCOMPARE(entry.value("openai"_L1).toObject().value("id"_L1).toString(), id);
        const QJsonObject info = entry.value("info"_L1).toObject();
        QCOMPARE(info.value("id"_L1).toString(), id);
        QVERIFY(info.value("is_active"_L1).toBool());
        const QJsonObject meta = info.value("meta"_L1).toObject();
        QVERIFY(meta.value("mcpServerIds"_L1).isArray());
        const QJsonObject capabilities = meta.value("capabilities"_L1).toObject();
        for (const auto key : {"vision"_L1, "think"_L1, "web_search"_L1, "mcp"_L1, "file_qa"_L1})
            QVERIFY2(capabilities.value(key).isBool(), qPrintable(QString(id + u' ' + key)));
        QCOMPARE(capabilities.value("vision"_L1).toBool(), id.endsWith(u'v'));
    }
    // Guests may read it too; every read is counted.
    const QString guest = newGuest();
    QCOMPARE(get(u"/api/models"_s, guest.toUtf8()).status, 200);
    QCOMPARE(m_server->count(u"/api/models"_s), 3);
}

void TestFakeZaiServer::modelsListingExtraModels()
{
    const QString flash = u"glm-5.3-flash"_s;
    Call c = call();
    c.model = flash;
    QCOMPARE(complete(c).status, 404); // not known yet

    m_server->addListedModel(u"glm-5.3"_s, u"GLM-5.3"_s,
                             {{"vision"_L1, false}, {"think"_L1, true}, {"web_search"_L1, true}});
    m_server->addListedModel(flash, u"GLM-5.3-Flash"_s, {{"vision"_L1, true}, {"think"_L1, true}});
    m_server->addListedModel(u"glm-4.6v"_s, u"GLM-4.6V"_s, {{"vision"_L1, true}}); // replaces
    const QJsonArray data = QJsonDocument::fromJson(get(u"/api/models"_s, m_token.toUtf8()).body)
                                .object()
                                .value("data"_L1)
                                .toArray();
    QCOMPARE(data.size(), m_server->models().size() + 2);
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue &value : data)
        byId.insert(value.toObject().value("id"_L1).toString(), value.toObject());
    QCOMPARE(byId.value(flash).value("name"_L1).toString(), u"GLM-5.3-Flash"_s);
    const QJsonObject flashCaps = byId.value(flash)
                                      .value("info"_L1)
                                      .toObject()
                                      .value("meta"_L1)
                                      .toObject()
                                      .value("capabilities"_L1)
                                      .toObject();
    QCOMPARE(flashCaps, (QJsonObject{{"vision"_L1, true}, {"think"_L1, true}}));
    QCOMPARE(byId.value(u"glm-4.6v"_s).value("name"_L1).toString(), u"GLM-4.6V"_s);
    QVERIFY(byId.contains(u"glm-5.3"_s));

    // Listed models are accepted in completions.
    QCOMPARE(applyEvents(complete(c).events), u"Echo: hello"_s);
    c.model = u"glm-5.3"_s;
    QCOMPARE(complete(c).status, 200);
}

void TestFakeZaiServer::modelsListingFailure()
{
    m_server->setModelsListFails(true);
    const Result failed = get(u"/api/models"_s, m_token.toUtf8());
    QCOMPARE(failed.status, 500);
    QCOMPARE(failed.body, "Internal Server Error"_ba);
    m_server->setModelsListFails(false);
    QCOMPARE(get(u"/api/models"_s, m_token.toUtf8()).status, 200);
    QCOMPARE(m_server->count(u"/api/models"_s), 2);
}

void TestFakeZaiServer::guestModelsLimited()
{
    const QString guest = newGuest();
    m_server->setPersistedModels({}); // glm-4.7 without chats/new here
    Call c = call();
    c.token = guest;
    c.model = u"glm-5"_s;
    QVERIFY(streamError(complete(c).events).isEmpty()); // off: guests may use every model

    m_server->setGuestModels({u"glm-4.7"_s});
    m_server->addListedModel(u"glm-5.3"_s, u"GLM-5.3"_s, {{"think"_L1, true}});
    for (const QString &model : {u"glm-5"_s, u"glm-5.3"_s, u"GLM-4-6-API-V1"_s}) {
        c.model = model;
        const Result refused = complete(c);
        QCOMPARE(refused.status, 200);
        QCOMPARE(refused.events.size(), 1);
        const QJsonObject error = streamError(refused.events);
        QCOMPARE(error.value("code"_L1).toInt(), 403);
        QCOMPARE(error.value("detail"_L1).toString(),
                 u"Model not available for current user level"_s);
    }
    c.model = u"glm-4.7"_s;
    const Result allowed = complete(c);
    QCOMPARE(applyEvents(allowed.events), u"Echo: hello"_s);
    QVERIFY(streamError(allowed.events).isEmpty());

    // A signed-in account is no guest.
    Call user = call();
    user.model = u"glm-5.3"_s;
    QVERIFY(streamError(complete(user).events).isEmpty());
}

void TestFakeZaiServer::concurrencyAnswersInStream()
{
    m_server->setConcurrencyLimit(1);
    m_server->setDefaultDelayMs(100);
    const std::pair<FakeZaiServer::ConcurrencyAnswer, QJsonValue> cases[] = {
        {FakeZaiServer::ConcurrencyAnswer::InStreamLimit, u"MODEL_CONCURRENCY_LIMIT"_s},
        {FakeZaiServer::ConcurrencyAnswer::InStreamCapacity, 429},
    };
    for (const auto &[answer, code] : cases) {
        m_server->setConcurrencyAnswer(answer);
        QNetworkReply *first = sendCompletion(call());
        QTRY_COMPARE(m_server->activeStreams(), 1);
        const Result second = complete(call());
        QCOMPARE(second.status, 200);
        QCOMPARE(second.events.size(), 1);
        const QJsonObject error = streamError(second.events);
        QCOMPARE(error.value("code"_L1), code);
        const QString detail = error.value("detail"_L1).toString();
        QVERIFY2(detail.contains("current concurrent conversation limit"_L1) ||
                     detail.contains("currently at capacity"_L1),
                 qPrintable(detail));
        QCOMPARE(finish(first).status, 200);
        QTRY_COMPARE(m_server->activeStreams(), 0);
    }
    QCOMPARE(FakeZaiServer::concurrencyLimitEvent(),
             FakeZaiServer::errorEvent(u"MODEL_CONCURRENCY_LIMIT"_s,
                                       u"You have reached the current concurrent conversation "
                                       "limit, please try again later."_s));
    QVERIFY(FakeZaiServer::atCapacityEvent().contains("currently at capacity"));
}

void TestFakeZaiServer::outdatedFeVersionBlocked()
{
    m_server->setOutdatedFeVersionBlocked(true);
    Call c = call();
    c.feVersion = "prod-fe-1.0.100"_ba;
    const Result old = complete(c);
    QCOMPARE(old.status, 405);
    QVERIFY(old.body.contains("errors.aliyun.com"));
    c.feVersion.clear();
    QCOMPARE(complete(c).status, 405);
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::signedQueryBlocked()
{
    Call c = call();
    c.dropQueryItem = u"requestId"_s;
    QCOMPARE(complete(c).status, 400); // off: the signature check's 400
    m_server->setSignedQueryBlocked(true);
    for (const QString &key :
         {u"timestamp"_s, u"requestId"_s, u"user_id"_s, u"signature_timestamp"_s}) {
        c.dropQueryItem = key;
        const Result blocked = complete(c);
        QCOMPARE(blocked.status, 405);
        QVERIFY(blocked.body.contains("errors.aliyun.com"));
    }
    c.dropQueryItem = u"platform"_s; // not signed: still the 400
    QCOMPARE(complete(c).status, 400);
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::legacyPathRemoved()
{
    Call c = call();
    c.path = u"/api/chat/completions"_s;
    QCOMPARE(complete(c).status, 200);
    m_server->setLegacyPathRemoved(true);
    QCOMPARE(complete(c).status, 404);
    QCOMPARE(complete(call()).status, 200);
}

void TestFakeZaiServer::chatPageServed()
{
    const Result page = get(u"/__fake/chat"_s);
    QCOMPARE(page.status, 200);
    QVERIFY(page.contentType.startsWith("text/html"));
    const QByteArray &html = page.body;
    // The SDK's configuration (chat.z.ai's values) before the SDK itself.
    const qsizetype config =
        html.indexOf("window.AliyunCaptchaConfig = {region: \"sgp\", prefix: \"no8xfe\"}");
    const qsizetype sdk = html.indexOf("<script src=\"/__fake/AliyunCaptcha.js\"></script>");
    QVERIFY(config > 0 && sdk > config);
    for (const char *needle :
         {"id=\"zb-fake-sign-in\"", "/__fake/sign-in?next=", "id=\"zb-fake-sign-out\"",
          "id=\"zb-fake-captcha-element\"", "id=\"zb-fake-send\"", "id=\"zb-fake-captcha-result\"",
          "window.initAliyunCaptcha({", "SceneId: 'didk33e0'", "data-signed-in=\"false\"",
          "prod-fe-1.0.231"})
        QVERIFY2(html.contains(needle), needle);
    QVERIFY(html.indexOf("window.initAliyunCaptcha({") > sdk);
}

void TestFakeZaiServer::chatPageAtRoot()
{
    const QByteArray landing = get(u"/"_s).body;
    QVERIFY(!landing.contains("AliyunCaptcha"));
    m_server->setChatPageAtRoot(true);
    const QByteArray root = get(u"/"_s).body;
    QCOMPARE(root, get(u"/__fake/chat"_s).body);
    // The FE versions are still there to scrape, the same as on the plain landing page.
    static const QRegularExpression re(u"prod-fe-\\d+\\.\\d+\\.\\d+"_s);
    const auto versions = [](const QByteArray &html) {
        QStringList all;
        auto it = re.globalMatch(QString::fromUtf8(html));
        while (it.hasNext())
            all.append(it.next().captured(0));
        return all;
    };
    QCOMPARE(versions(root), versions(landing));
    m_server->setLandingPage("<html>override</html>"_ba); // an override still wins
    QCOMPARE(get(u"/"_s).body, "<html>override</html>"_ba);
}

void TestFakeZaiServer::signInSetsTokenCookie()
{
    const Result signIn = rawGet(u"/__fake/sign-in?next=%2F"_s);
    QCOMPARE(signIn.status, 302);
    QCOMPARE(signIn.location, "/"_ba);
    QCOMPARE(signIn.setCookies.size(), 1);
    const QByteArray cookie = signIn.setCookies.first();
    const QString token = m_server->signInToken();
    QVERIFY(!token.isEmpty());
    QVERIFY2(cookie.startsWith(QByteArray("token=" + token.toLatin1() + ";")), cookie.constData());
    QVERIFY(cookie.contains("Path=/"));
    QVERIFY(!cookie.contains("Secure")); // plain http on loopback

    // The signed-in account is a real one: not a guest, accepted for completions.
    const QJsonObject user =
        QJsonDocument::fromJson(get(u"/api/v1/auths/"_s, token.toUtf8()).body).object();
    QCOMPARE(user.value("role"_L1).toString(), u"user"_s);
    Call c = call();
    c.token = token;
    QCOMPARE(complete(c).status, 200);

    // The page knows who is signed in.
    const QByteArray page = rawGet(u"/__fake/chat"_s, QByteArray("token=" + token.toLatin1())).body;
    QVERIFY(page.contains("data-signed-in=\"true\""));
    QVERIFY(page.contains("zb-fake-user@example.com"));

    // Signing in as a given account; unknown tokens and foreign targets are refused.
    m_server->addValidToken(u"account-two"_s);
    const Result two = rawGet(u"/__fake/sign-in?token=account-two"_s);
    QCOMPARE(two.status, 302);
    QCOMPARE(two.location, "/__fake/chat"_ba);
    QVERIFY(two.setCookies.first().startsWith("token=account-two;"));
    QCOMPARE(rawGet(u"/__fake/sign-in?token=nobody"_s).status, 401);
    QCOMPARE(rawGet(u"/__fake/sign-in?next=https%3A%2F%2Fexample.com%2F"_s).location,
             "/__fake/chat"_ba);
    QCOMPARE(rawGet(u"/__fake/sign-in?next=%2F%2Fexample.com"_s).location, "/__fake/chat"_ba);

    m_server->setSignInToken(u"account-three"_s);
    QVERIFY(rawGet(u"/__fake/sign-in"_s).setCookies.first().startsWith("token=account-three;"));

    const Result signOut = rawGet(u"/__fake/sign-out"_s);
    QCOMPARE(signOut.status, 302);
    QVERIFY(signOut.setCookies.first().startsWith("token=;"));
    QVERIFY(signOut.setCookies.first().contains("Max-Age=0"));
}

void TestFakeZaiServer::captchaScriptServed()
{
    const Result script = get(u"/__fake/AliyunCaptcha.js"_s);
    QCOMPARE(script.status, 200);
    QVERIFY(script.contentType.startsWith("application/javascript"));
    const QByteArray &js = script.body;
    for (const char *needle :
         {"window.initAliyunCaptcha = function (options)", "window.AliyunCaptchaConfig",
          "'getInstance'", "call('success', param)", "call('fail'", "'zb-fake-slider'",
          "/__fake/captcha/mint", "/__fake/captcha/mode", "mode === 'challenge'", "mode === 'fail'",
          "destroyCaptcha", "options.button", "options.element"})
        QVERIFY2(js.contains(needle), needle);

    // Valid JavaScript (checked with node when it is installed).
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        QSKIP("node not installed: syntax not checked");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"AliyunCaptcha.js"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(js);
    file.close();
    QProcess check;
    check.start(node, {u"--check"_s, file.fileName()});
    QVERIFY(check.waitForFinished(30000));
    QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
}

void TestFakeZaiServer::captchaModeEndpoint()
{
    QCOMPARE(m_server->captchaMode(), FakeZaiServer::CaptchaMode::Traceless);
    QCOMPARE(get(u"/__fake/captcha/mode"_s).body, "traceless"_ba);
    m_server->setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    QCOMPARE(get(u"/__fake/captcha/mode"_s).body, "challenge"_ba);
    m_server->setCaptchaMode(FakeZaiServer::CaptchaMode::Fail);
    QCOMPARE(get(u"/__fake/captcha/mode"_s).body, "fail"_ba);
}

void TestFakeZaiServer::live2026TurnsEverythingOn()
{
    m_server->setLive2026(true);
    // What a client of the live service must send passes.
    const Result ok = complete(liveCall());
    QCOMPARE(ok.status, 200);
    QCOMPARE(applyEvents(ok.events), u"Echo: hello"_s);
    QVERIFY(streamError(ok.events).isEmpty());

    // Each requirement on its own.
    Call c = liveCall();
    c.captcha = QString();
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(),
             u"FRONTEND_CAPTCHA_REQUIRED"_s);
    c = liveCall();
    c.systemMessage = true;
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toString(), u"INTERNAL_ERROR"_s);
    c = liveCall();
    c.deviceId.clear();
    QCOMPARE(complete(c).status, 426);
    c = liveCall();
    c.extraBody = {{"stream_options"_L1, QJsonObject{{"include_usage"_L1, true}}}};
    QCOMPARE(complete(c).status, 400);
    c = liveCall();
    c.feVersion = "prod-fe-1.0.100"_ba;
    QCOMPARE(complete(c).status, 405);
    c = liveCall();
    c.path = u"/api/chat/completions"_s;
    QCOMPARE(complete(c).status, 404);
    c = liveCall();
    c.dropQueryItem = u"timestamp"_s;
    QCOMPARE(complete(c).status, 405);

    // Guests get glm-4.7 only; the newer models are listed and answer.
    const QString guest = newGuest();
    c = liveCall();
    c.token = guest;
    c.model = u"glm-5"_s;
    QCOMPARE(streamError(complete(c).events).value("code"_L1).toInt(), 403);
    const QByteArray listing = get(u"/api/models"_s, m_token.toUtf8()).body;
    QVERIFY(listing.contains("\"glm-5.3\"") && listing.contains("\"glm-5.3-flash\""));
    c = liveCall();
    c.model = u"glm-5.3"_s; // thinking cannot be turned off on 5.3
    const Result thinking = complete(c);
    QCOMPARE(thinking.events.first().value("data"_L1).toObject().value("phase"_L1).toString(),
             u"thinking"_s);
    c = liveCall();
    c.model = u"glm-5.3-flash"_s;
    QCOMPARE(countPhase(complete(c).events, u"thinking"_s), 0);

    // The chat page at the landing page; in-stream concurrency answers.
    QVERIFY(get(u"/"_s).body.contains("zb-fake-sign-in"));
    m_server->setConcurrencyLimit(1);
    m_server->setDefaultDelayMs(100);
    QNetworkReply *first = sendCompletion(liveCall());
    QTRY_COMPARE(m_server->activeStreams(), 1);
    QCOMPARE(streamError(complete(liveCall()).events).value("code"_L1).toString(),
             u"MODEL_CONCURRENCY_LIMIT"_s);
    QCOMPARE(finish(first).status, 200);

    // Off again: today's service.
    m_server->setLive2026(false);
    m_server->setDefaultDelayMs(0);
    QVERIFY(streamError(complete(call()).events).isEmpty());
    QVERIFY(!get(u"/"_s).body.contains("zb-fake-sign-in"));
    QVERIFY(!get(u"/api/models"_s, m_token.toUtf8()).body.contains("glm-5.3"));
}

QTEST_GUILESS_MAIN(TestFakeZaiServer)
#include "testFakeZaiServer.moc"
