// SPDX-License-Identifier: MIT
// The route table and what surrounds it, over real sockets: /, /health (with the last upstream
// outcome), /v1/models, /v1/models/{id}, 404/405, CORS, the DNS-rebinding Host guard and the
// API key (issue 2, points 1, 2, 4, 7, 8).

#include "IntegrationSupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString ApiKey = u"sk-integration-key-0123456789"_s;

const QStringList CatalogueIds = {
    u"GLM-4.7"_s,   u"GLM-4.7-Thinking"_s, u"GLM-4.7-Search"_s, u"GLM-4.6"_s,
    u"GLM-4.6-Thinking"_s, u"GLM-4.6-Search"_s, u"GLM-4.5"_s, u"GLM-4.5-Thinking"_s,
    u"GLM-4.5-Search"_s, u"GLM-4.5-Air"_s, u"GLM-4.5V"_s, u"GLM-4.6V"_s,
    u"GLM-5"_s,     u"GLM-5-Search"_s,     u"GLM-5.1"_s,        u"GLM-5.2"_s,
    u"GLM-5.3"_s,   u"GLM-5.3-Flash"_s};

HeaderPairs bearer(const QString &key = ApiKey)
{
    return {{"Authorization"_ba, "Bearer " + key.toUtf8()}};
}

// Every error body is the OpenAI envelope with all four keys.
void verifyEnvelope(const HttpResponse &r, const QString &type, const QString &code)
{
    const QJsonObject error = r.error();
    QVERIFY2(!error.isEmpty(), r.body.constData());
    QVERIFY(error.value("message"_L1).isString());
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QCOMPARE(error.value("type"_L1).toString(), type);
    QVERIFY(error.contains("param"_L1));
    QVERIFY(error.contains("code"_L1));
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(r.header("content-type").startsWith("application/json"));
}

} // namespace

class TestServerRoutes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void root();
    void healthReportsLastUpstreamOutcome();
    void modelsList();
    void modelById_data();
    void modelById();
    void unknownModelIs404();
    void unknownPathIs404();
    void wrongMethodIs405WithAllow_data();
    void wrongMethodIs405WithAllow();
    void corsPreflight();
    void corsHeadersOnEveryResponse();
    void allowedOriginsConfig();
    void hostGuard_data();
    void hostGuard();
    void auth_data();
    void auth();
    void noKeyConfiguredMeansOpenOnLoopback();
    void skipAuthOnlyOnLoopback();
    void modelRenamesFromConfig();
    void profileOverrideAddsModel();
};

void TestServerRoutes::root()
{
    TestBed bed;
    bed.config.apiKey = ApiKey; // the root needs no key
    QVERIFY(bed.start());
    const HttpResponse r = Http::get(bed.url(u"/"_s));
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    QCOMPARE(json.value("name"_L1).toString(), u"ZaiBridge"_s);
    QCOMPARE(json.value("version"_L1).toString(), QStringLiteral(ZB_VERSION));
    const QJsonArray endpoints = json.value("endpoints"_L1).toArray();
    QVERIFY(endpoints.contains(u"POST /v1/chat/completions"_s));
    QVERIFY(endpoints.contains(u"GET /v1/models"_s));
    QVERIFY(endpoints.contains(u"GET /health"_s));
}

void TestServerRoutes::healthReportsLastUpstreamOutcome()
{
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());

    // Before any upstream call: no outcome yet; and no key is needed.
    HttpResponse r = Http::get(bed.url(u"/health"_s));
    QCOMPARE(r.status, 200);
    QJsonObject json = r.json();
    QCOMPARE(json.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(json.value("version"_L1).toString(), QStringLiteral(ZB_VERSION));
    QVERIFY(json.value("uptime_seconds"_L1).isDouble());
    QVERIFY(json.value("uptime_seconds"_L1).toDouble() >= 0);
    QVERIFY(json.value("upstream"_L1).toObject().value("last_call_ok"_L1).isNull());
    QVERIFY(json.value("upstream"_L1).toObject().value("last_call_at"_L1).isNull());

    // A successful chat makes it true.
    r = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"hi"_s, false),
                   bearer());
    QCOMPARE(r.status, 200);
    json = Http::get(bed.url(u"/health"_s)).json();
    QCOMPARE(json.value("upstream"_L1).toObject().value("last_call_ok"_L1), QJsonValue(true));
    const QDateTime at = QDateTime::fromString(
        json.value("upstream"_L1).toObject().value("last_call_at"_L1).toString(), Qt::ISODate);
    QVERIFY(at.isValid());
    QVERIFY(qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    // A failed one (the WAF blocks it; not retried) makes it false.
    FakeReply waf;
    waf.httpStatus = 405;
    waf.contentType = "text/html";
    waf.body = "<!doctypehtml><html><body>blocked</body></html>";
    bed.fake->enqueue(waf);
    r = Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"hi"_s, false),
                   bearer());
    QCOMPARE(r.status, 403);
    json = Http::get(bed.url(u"/health"_s)).json();
    QCOMPARE(json.value("upstream"_L1).toObject().value("last_call_ok"_L1), QJsonValue(false));
}

void TestServerRoutes::modelsList()
{
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());
    const HttpResponse r = Http::get(bed.url(u"/v1/models"_s), bearer());
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    QCOMPARE(json.value("object"_L1).toString(), u"list"_s);
    QStringList ids;
    const QJsonArray data = json.value("data"_L1).toArray();
    for (const QJsonValue &v : data) {
        const QJsonObject m = v.toObject();
        ids.append(m.value("id"_L1).toString());
        QCOMPARE(m.value("object"_L1).toString(), u"model"_s);
        QVERIFY(m.value("created"_L1).isDouble());
        QVERIFY(m.value("created"_L1).toDouble() > 1.7e9);
        QVERIFY(!m.value("owned_by"_L1).toString().isEmpty());
    }
    // Every model of the original project, plus GLM-5, the -Search variants (P.8) and the GLM-5.x
    // models of section 10.
    for (const QString &id : CatalogueIds)
        QVERIFY2(ids.contains(id), qPrintable(id));
    QCOMPARE(ids.size(), CatalogueIds.size());

    // The alias for clients whose base URL lacks /v1.
    const HttpResponse alias = Http::get(bed.url(u"/models"_s), bearer());
    QCOMPARE(alias.status, 200);
    QCOMPARE(alias.json().value("data"_L1).toArray().size(), data.size());
}

void TestServerRoutes::modelById_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("id");
    QTest::newRow("exact") << u"/v1/models/GLM-4.7-Thinking"_s << u"GLM-4.7-Thinking"_s;
    QTest::newRow("case-insensitive") << u"/v1/models/glm-4.5-air"_s << u"GLM-4.5-Air"_s;
    QTest::newRow("vision") << u"/v1/models/GLM-4.6V"_s << u"GLM-4.6V"_s;
    QTest::newRow("alias") << u"/models/GLM-5"_s << u"GLM-5"_s;
}

void TestServerRoutes::modelById()
{
    QFETCH(QString, path);
    QFETCH(QString, id);
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::get(bed.url(path));
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    QCOMPARE(json.value("id"_L1).toString(), id);
    QCOMPARE(json.value("object"_L1).toString(), u"model"_s);
}

void TestServerRoutes::unknownModelIs404()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = Http::get(bed.url(u"/v1/models/gpt-4o"_s));
    QCOMPARE(r.status, 404);
    verifyEnvelope(r, u"invalid_request_error"_s, u"model_not_found"_s);
    QVERIFY(r.error().value("message"_L1).toString().contains(u"gpt-4o"_s));
}

void TestServerRoutes::unknownPathIs404()
{
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());
    for (const QString &path : {u"/v1/completions"_s, u"/nothing"_s, u"/v1/embeddings"_s}) {
        const HttpResponse r = Http::get(bed.url(path), bearer());
        QCOMPARE(r.status, 404);
        verifyEnvelope(r, u"invalid_request_error"_s, u"not_found"_s);
        QVERIFY(r.error().value("message"_L1).toString().contains(path));
    }
}

void TestServerRoutes::wrongMethodIs405WithAllow_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("allowed");
    QTest::newRow("GET chat") << "GET"_ba << u"/v1/chat/completions"_s << "POST"_ba;
    QTest::newRow("PUT chat") << "PUT"_ba << u"/v1/chat/completions"_s << "POST"_ba;
    QTest::newRow("POST models") << "POST"_ba << u"/v1/models"_s << "GET"_ba;
    QTest::newRow("DELETE model") << "DELETE"_ba << u"/v1/models/GLM-4.7"_s << "GET"_ba;
    QTest::newRow("POST health") << "POST"_ba << u"/health"_s << "GET"_ba;
}

void TestServerRoutes::wrongMethodIs405WithAllow()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, allowed);
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());
    const HttpResponse r =
        Http::request(method, bed.url(path), method == "GET" ? QByteArray() : "{}"_ba, bearer());
    QCOMPARE(r.status, 405);
    verifyEnvelope(r, u"invalid_request_error"_s, u"method_not_allowed"_s);
    const QList<QByteArray> allow = r.header("allow").split(',');
    QStringList methods;
    for (const QByteArray &m : allow)
        methods.append(QString::fromLatin1(m.trimmed()));
    QVERIFY2(methods.contains(QString::fromLatin1(allowed)), r.header("allow").constData());
    QVERIFY(!methods.contains(QString::fromLatin1(method)));
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
}

void TestServerRoutes::corsPreflight()
{
    TestBed bed;
    bed.config.apiKey = ApiKey; // a preflight carries no key and must still pass
    QVERIFY(bed.start());
    const HttpResponse r =
        Http::request("OPTIONS", bed.url(u"/v1/chat/completions"_s), {},
                      {{"Origin"_ba, "https://app.example"_ba},
                       {"Access-Control-Request-Method"_ba, "POST"_ba},
                       {"Access-Control-Request-Headers"_ba,
                        "authorization, content-type, x-stainless-os"_ba}});
    QVERIFY2(r.status == 204 || r.status == 200, QByteArray::number(r.status).constData());
    QCOMPARE(r.header("access-control-allow-origin"), "*"_ba);
    QVERIFY(r.header("access-control-allow-methods").contains("POST"));
    const QByteArray allowHeaders = r.header("access-control-allow-headers").toLower();
    QVERIFY(allowHeaders.contains("authorization"));
    QVERIFY(allowHeaders.contains("content-type"));
    QVERIFY(allowHeaders.contains("x-stainless-os"));
    QVERIFY(r.hasHeader("access-control-max-age"));

    // Preflights for the models routes too.
    const HttpResponse models = Http::request("OPTIONS", bed.url(u"/v1/models"_s), {},
                                              {{"Origin"_ba, "https://app.example"_ba},
                                               {"Access-Control-Request-Method"_ba, "GET"_ba}});
    QVERIFY(models.status == 204 || models.status == 200);
    QVERIFY(models.header("access-control-allow-methods").contains("GET"));
    QVERIFY(models.header("access-control-allow-headers").toLower().contains("authorization"));
}

void TestServerRoutes::corsHeadersOnEveryResponse()
{
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());
    const HeaderPairs origin{{"Origin"_ba, "https://app.example"_ba}};
    const HeaderPairs withKey = origin + bearer();
    const struct
    {
        QByteArray method;
        QString path;
        QByteArray body;
        HeaderPairs headers;
        int status;
    } cases[] = {
        {"GET", u"/"_s, {}, origin, 200},
        {"GET", u"/health"_s, {}, origin, 200},
        {"GET", u"/v1/models"_s, {}, withKey, 200},
        {"GET", u"/v1/models/GLM-4.7"_s, {}, withKey, 200},
        {"GET", u"/v1/models"_s, {}, origin, 401},
        {"GET", u"/nope"_s, {}, withKey, 404},
        {"POST", u"/v1/models"_s, "{}", withKey, 405},
        {"POST", u"/v1/chat/completions"_s, "{not json", withKey, 400},
        {"POST", u"/v1/chat/completions"_s, chatBody(u"GLM-4.5"_s, u"cors"_s, false), withKey, 200},
        {"POST", u"/v1/chat/completions"_s, chatBody(u"no-such-model"_s, u"x"_s, false), withKey, 404},
    };
    for (const auto &c : cases) {
        const HttpResponse r = Http::request(c.method, bed.url(c.path), c.body, c.headers);
        QVERIFY2(r.status == c.status, qPrintable(u"%1 %2 -> %3"_s.arg(QString::fromLatin1(c.method), c.path).arg(r.status)));
        QVERIFY2(r.header("access-control-allow-origin") == "*",
                 qPrintable(u"no CORS header on %1 %2"_s.arg(QString::fromLatin1(c.method), c.path)));
    }

    // A streamed answer carries it too.
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"cors"_s, true),
                       withKey);
    const HttpResponse stream = client.readResponse();
    QCOMPARE(stream.status, 200);
    QVERIFY(stream.header("content-type").startsWith("text/event-stream"));
    QCOMPARE(stream.header("access-control-allow-origin"), "*"_ba);

    // And the 413 that the listening socket writes itself.
    RawClient big;
    QVERIFY(big.connectTo(bed.port()));
    big.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example\r\n"
             "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{\"model\":");
    const HttpResponse tooLarge = big.readResponse();
    QCOMPARE(tooLarge.status, 413);
    QCOMPARE(tooLarge.header("access-control-allow-origin"), "*"_ba);
}

void TestServerRoutes::allowedOriginsConfig()
{
    TestBed bed;
    bed.config.corsOrigins = {u"https://allowed.example"_s, u"http://localhost:3000"_s};
    QVERIFY(bed.start());

    HttpResponse r = Http::get(bed.url(u"/v1/models"_s),
                               {{"Origin"_ba, "https://allowed.example"_ba}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("access-control-allow-origin"), "https://allowed.example"_ba);
    QVERIFY(r.header("vary").contains("Origin"));

    r = Http::get(bed.url(u"/v1/models"_s), {{"Origin"_ba, "http://localhost:3000"_ba}});
    QCOMPARE(r.header("access-control-allow-origin"), "http://localhost:3000"_ba);

    // Another origin gets no CORS permission (the request itself is still answered).
    r = Http::get(bed.url(u"/v1/models"_s), {{"Origin"_ba, "https://evil.example"_ba}});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.hasHeader("access-control-allow-origin"));

    r = Http::request("OPTIONS", bed.url(u"/v1/chat/completions"_s), {},
                      {{"Origin"_ba, "https://evil.example"_ba},
                       {"Access-Control-Request-Method"_ba, "POST"_ba}});
    QVERIFY(!r.hasHeader("access-control-allow-origin"));
    r = Http::request("OPTIONS", bed.url(u"/v1/chat/completions"_s), {},
                      {{"Origin"_ba, "https://allowed.example"_ba},
                       {"Access-Control-Request-Method"_ba, "POST"_ba}});
    QCOMPARE(r.header("access-control-allow-origin"), "https://allowed.example"_ba);
}

void TestServerRoutes::hostGuard_data()
{
    QTest::addColumn<QByteArray>("host"); // "PORT" is replaced by the server's port
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1:port") << "127.0.0.1:PORT"_ba << 200;
    QTest::newRow("127.0.0.1") << "127.0.0.1"_ba << 200;
    QTest::newRow("localhost:port") << "localhost:PORT"_ba << 200;
    QTest::newRow("LOCALHOST") << "LOCALHOST"_ba << 200;
    QTest::newRow("[::1]:port") << "[::1]:PORT"_ba << 200;
    QTest::newRow("127.1.2.3") << "127.1.2.3:PORT"_ba << 200;
    QTest::newRow("app.localhost") << "app.localhost:PORT"_ba << 200;
    QTest::newRow("rebinding name") << "attacker.example:PORT"_ba << 403;
    QTest::newRow("rebinding name, no port") << "attacker.example"_ba << 403;
    QTest::newRow("loopback-looking name") << "127.0.0.1.nip.io:PORT"_ba << 403;
    QTest::newRow("localhost suffix trick") << "localhost.attacker.example"_ba << 403;
    QTest::newRow("LAN address") << "192.168.1.20:PORT"_ba << 403;
    QTest::newRow("two ports") << "127.0.0.1:PORT:1"_ba << 403;
}

void TestServerRoutes::hostGuard()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    TestBed bed;
    QVERIFY(bed.start());
    host.replace("PORT", QByteArray::number(bed.port()));
    // Every route is guarded, including those that need no key and the chat route.
    for (const QByteArray &path : {"/health"_ba, "/v1/models"_ba}) {
        RawClient client;
        QVERIFY(client.connectTo(bed.port()));
        client.sendRequest("GET", path, {}, {}, host);
        const HttpResponse r = client.readResponse();
        QCOMPARE(r.status, status);
        if (status == 403) {
            verifyEnvelope(r, u"permission_error"_s, u"host_not_allowed"_s);
            QVERIFY(r.error().value("message"_L1).toString().contains(u"DNS-rebinding"_s));
        }
    }
    RawClient chat;
    QVERIFY(chat.connectTo(bed.port()));
    chat.sendRequest("POST", "/v1/chat/completions", chatBody(u"GLM-4.5"_s, u"hi"_s, false), {},
                     host);
    QCOMPARE(chat.readResponse().status, status);
    QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), status == 200 ? 1 : 0);
}

void TestServerRoutes::auth_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<HeaderPairs>("headers");
    QTest::addColumn<int>("status");
    const QByteArray key = ApiKey.toUtf8();
    QTest::newRow("models, no key") << "GET"_ba << u"/v1/models"_s << HeaderPairs() << 401;
    QTest::newRow("models, Bearer") << "GET"_ba << u"/v1/models"_s
                                    << HeaderPairs{{"Authorization", "Bearer " + key}} << 200;
    QTest::newRow("models, bearer lower-case")
        << "GET"_ba << u"/v1/models"_s << HeaderPairs{{"authorization", "bearer " + key}} << 200;
    QTest::newRow("models, x-api-key") << "GET"_ba << u"/v1/models"_s
                                       << HeaderPairs{{"x-api-key", key}} << 200;
    QTest::newRow("models, wrong Bearer")
        << "GET"_ba << u"/v1/models"_s << HeaderPairs{{"Authorization", "Bearer sk-wrong"}} << 401;
    QTest::newRow("models, key prefix") << "GET"_ba << u"/v1/models"_s
                                        << HeaderPairs{{"Authorization", "Bearer " + key.chopped(1)}}
                                        << 401;
    QTest::newRow("models, key + extra") << "GET"_ba << u"/v1/models"_s
                                         << HeaderPairs{{"Authorization", "Bearer " + key + "x"}}
                                         << 401;
    QTest::newRow("models, wrong x-api-key")
        << "GET"_ba << u"/v1/models"_s << HeaderPairs{{"x-api-key", "nope"}} << 401;
    QTest::newRow("models, key without scheme")
        << "GET"_ba << u"/v1/models"_s << HeaderPairs{{"Authorization", key}} << 401;
    QTest::newRow("model, no key") << "GET"_ba << u"/v1/models/GLM-4.7"_s << HeaderPairs() << 401;
    QTest::newRow("alias, no key") << "GET"_ba << u"/models"_s << HeaderPairs() << 401;
    QTest::newRow("chat, no key") << "POST"_ba << u"/v1/chat/completions"_s << HeaderPairs() << 401;
    QTest::newRow("chat, x-api-key") << "POST"_ba << u"/v1/chat/completions"_s
                                     << HeaderPairs{{"x-api-key", key}} << 200;
    QTest::newRow("chat, wrong key") << "POST"_ba << u"/v1/chat/completions"_s
                                     << HeaderPairs{{"Authorization", "Bearer sk-wrong"}} << 401;
    QTest::newRow("health, no key") << "GET"_ba << u"/health"_s << HeaderPairs() << 200;
    QTest::newRow("root, no key") << "GET"_ba << u"/"_s << HeaderPairs() << 200;
}

void TestServerRoutes::auth()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(HeaderPairs, headers);
    QFETCH(int, status);
    TestBed bed;
    bed.config.apiKey = ApiKey;
    QVERIFY(bed.start());
    const QByteArray body = method == "POST" ? chatBody(u"GLM-4.5"_s, u"auth"_s, false) : QByteArray();
    const HttpResponse r = Http::request(method, bed.url(path), body, headers);
    QCOMPARE(r.status, status);
    if (status == 401) {
        verifyEnvelope(r, u"invalid_request_error"_s, u"invalid_api_key"_s);
        QVERIFY(r.error().value("param"_L1).isNull());
        QVERIFY(r.header("www-authenticate").startsWith("Bearer"));
        // The key is never echoed back.
        QVERIFY(!r.body.contains(ApiKey.toUtf8()));
        QCOMPARE(bed.fake->count(u"/api/v2/chat/completions"_s), 0);
    }
}

void TestServerRoutes::noKeyConfiguredMeansOpenOnLoopback()
{
    TestBed bed; // no AUTH_TOKEN, loopback
    QVERIFY(bed.start());
    QCOMPARE(Http::get(bed.url(u"/v1/models"_s)).status, 200);
    // Any presented key is fine then.
    QCOMPARE(Http::get(bed.url(u"/v1/models"_s), bearer(u"whatever"_s)).status, 200);
}

void TestServerRoutes::skipAuthOnlyOnLoopback()
{
    // On loopback, SKIP_AUTH_TOKEN=true opens the API although a key is configured.
    TestBed bed;
    bed.config.apiKey = ApiKey;
    bed.config.skipAuth = true;
    QVERIFY(bed.start());
    QCOMPARE(Http::get(bed.url(u"/v1/models"_s)).status, 200);
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s),
                        chatBody(u"GLM-4.5"_s, u"open"_s, false)).status,
             200);

    // Off loopback it does not (the tests never bind a non-loopback address, so this checks the
    // decision the server takes from its configuration, and the loader's warning).
    BridgeConfig wide = bed.config;
    wide.listenHost = u"0.0.0.0"_s;
    QVERIFY(wide.authRequired());
    QProcessEnvironment env;
    env.insert(u"LISTEN_HOST"_s, u"0.0.0.0"_s);
    env.insert(u"AUTH_TOKEN"_s, ApiKey);
    env.insert(u"SKIP_AUTH_TOKEN"_s, u"true"_s);
    const auto loaded = ConfigLoader::load(env, {}, false, {});
    QVERIFY(loaded.config);
    QVERIFY(loaded.config->authRequired());
    QVERIFY(loaded.warnings.join(u'\n').contains(u"SKIP_AUTH_TOKEN"_s));
}

void TestServerRoutes::modelRenamesFromConfig()
{
    TestBed bed;
    bed.config.modelRenames.insert(u"GLM_47_MODEL"_s, u"my-glm-4.7"_s);
    bed.config.modelRenames.insert(u"PRIMARY_MODEL"_s, u"glm-4.5-primary"_s);
    QVERIFY(bed.start());
    QStringList ids;
    const QJsonArray data = Http::get(bed.url(u"/v1/models"_s)).json().value("data"_L1).toArray();
    for (const QJsonValue &v : data)
        ids.append(v.toObject().value("id"_L1).toString());
    QVERIFY(ids.contains(u"my-glm-4.7"_s));
    QVERIFY(ids.contains(u"glm-4.5-primary"_s));
    QVERIFY(!ids.contains(u"GLM-4.7"_s));
    QVERIFY(ids.contains(u"GLM-4.7-Thinking"_s)); // only the named one is renamed

    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"my-glm-4.7"_s, u"renamed"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("model"_L1).toString(), u"my-glm-4.7"_s);
    const auto completions = bed.fake->requests(u"/api/v2/chat/completions"_s);
    QCOMPARE(completions.size(), 1);
    QCOMPARE(completions.first().json.value("model"_L1).toString(), u"glm-4.7"_s);
}

void TestServerRoutes::profileOverrideAddsModel()
{
    // A user profile file adds a model and changes a default without a rebuild (P.1).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"profile.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"extraModels":[{"id":"GLM-4.5-Flash","upstream":"0727-106B-API","thinking":true}],
                  "feVersionFallback":"prod-fe-1.0.999"})");
    file.close();
    QString error;
    auto profile = UpstreamProfile::load(path, &error);
    QVERIFY2(profile, qPrintable(error));

    TestBed bed;
    bed.profile = *profile;
    QVERIFY(bed.start());
    QCOMPARE(Http::get(bed.url(u"/v1/models/GLM-4.5-Flash"_s)).status, 200);
    const HttpResponse r = Http::post(bed.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5-Flash"_s, u"flash"_s, false));
    QCOMPARE(r.status, 200);
    const auto completions = bed.fake->requests(u"/api/v2/chat/completions"_s);
    QCOMPARE(completions.size(), 1);
    QCOMPARE(completions.first().json.value("model"_L1).toString(), u"0727-106B-API"_s);
    QCOMPARE(completions.first()
                 .json.value("features"_L1)
                 .toObject()
                 .value("enable_thinking"_L1)
                 .toBool(),
             true);
    // The built-in models are still there.
    QCOMPARE(Http::get(bed.url(u"/v1/models/GLM-4.7"_s)).status, 200);
}

QTEST_GUILESS_MAIN(TestServerRoutes)
#include "testServerRoutes.moc"
