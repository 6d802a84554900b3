// SPDX-License-Identifier: MIT
// Images end to end against the fake upstream (issue 4): data: URLs decoded and uploaded to the
// files endpoint with the account's token, referenced in the completion's files array and message
// parts; one upload per account and image; http(s) images fetched by the bridge from a local
// server (also through a proxy); every bad input answered with its 400 before anything goes
// upstream; a guest account's refused upload reported as needing an account token.

#include "IntegrationSupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString FilesPath = u"/api/v1/files"_s;
const QString CompletionsPath = u"/api/v2/chat/completions"_s;

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/images/") + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString dataUrl(const QByteArray &bytes, const QString &type = u"image/png"_s)
{
    return u"data:"_s + type + u";base64,"_s + QString::fromLatin1(bytes.toBase64());
}

QJsonObject text(const QString &t)
{
    return {{"type"_L1, u"text"_s}, {"text"_L1, t}};
}

QJsonObject image(const QString &url)
{
    return {{"type"_L1, u"image_url"_s}, {"image_url"_L1, QJsonObject{{"url"_L1, url}}}};
}

QJsonObject user(const QJsonArray &parts)
{
    return {{"role"_L1, u"user"_s}, {"content"_L1, parts}};
}

QJsonObject assistant(const QString &t)
{
    return {{"role"_L1, u"assistant"_s}, {"content"_L1, t}};
}

HttpResponse chat(TestBed &bed, const QString &model, const QJsonArray &messages,
                  bool stream = false)
{
    return Http::post(bed.url(u"/v1/chat/completions"_s),
                      chatBody(QJsonObject{
                          {"model"_L1, model}, {"messages"_L1, messages}, {"stream"_L1, stream}}),
                      {}, 30000);
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

// The parts of a multipart body: name, filename, content type and data.
struct Part
{
    QByteArray name, filename, type, data;
};

QList<Part> multipart(const RecordedRequest &r)
{
    QList<Part> parts;
    const QByteArray type = r.header("content-type");
    const QByteArray boundary = type.mid(type.indexOf("boundary=") + 9);
    const QByteArray delimiter = "--" + boundary;
    const QByteArray separator = "\r\n" + delimiter;
    qsizetype pos = r.body.indexOf(delimiter);
    while (pos >= 0) {
        pos += delimiter.size();
        if (r.body.mid(pos, 2) == "--")
            break;
        const qsizetype head = r.body.indexOf("\r\n\r\n", pos);
        const qsizetype next = r.body.indexOf(separator, head);
        if (head < 0 || next < 0)
            break;
        const QString headers = QString::fromUtf8(r.body.mid(pos + 2, head - pos - 2));
        Part p;
        p.name = QRegularExpression(u"\\bname=\"([^\"]*)\""_s).match(headers).captured(1).toUtf8();
        p.filename =
            QRegularExpression(u"filename=\"([^\"]*)\""_s).match(headers).captured(1).toUtf8();
        p.type =
            QRegularExpression(u"Content-Type: ([^\r\n]*)"_s).match(headers).captured(1).toLatin1();
        p.data = r.body.mid(head + 4, next - head - 4);
        parts.append(p);
        pos = next + 2;
    }
    return parts;
}

// A local web server for remote images. It also answers absolute-form request lines, so a
// client that takes it for its HTTP proxy gets the same answers.
class ImageServer : public QObject
{
public:
    struct Route
    {
        Route(int s = 200, QByteArray t = "image/png", QByteArray b = {})
            : status(s), type(std::move(t)), body(std::move(b))
        {
        }
        int status;
        QByteArray type;
        QByteArray body;
        bool hang = false; // accept the request and never answer
        bool noLength = false;
    };

    ImageServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    if (!buffer->contains("\r\n\r\n"))
                        return;
                    const QByteArray line = buffer->left(buffer->indexOf("\r\n"));
                    buffer->clear();
                    m_requestLines.append(QString::fromLatin1(line));
                    QString target = QString::fromLatin1(line.split(' ').value(1));
                    if (target.startsWith(u"http://"_s))
                        target = QUrl(target).path();
                    else
                        target = target.section(u'?', 0, 0);
                    answer(socket, m_routes.value(target, Route{404, "text/plain", "not found"}));
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path);
    }
    quint16 port() const { return m_server.serverPort(); }
    void route(const QString &path, const Route &r) { m_routes.insert(path, r); }
    QStringList requestLines() const { return m_requestLines; }

private:
    void answer(QTcpSocket *socket, const Route &r)
    {
        if (r.hang)
            return;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) +
                          " X\r\nContent-Type: " + r.type + "\r\nConnection: close\r\n";
        if (!r.noLength)
            head += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        socket->write(head + "\r\n" + r.body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QString, Route> m_routes;
    QStringList m_requestLines;
};

} // namespace

Q_DECLARE_METATYPE(ImageServer::Route)

class TestImages : public QObject
{
    Q_OBJECT
private slots:
    void dataUrlUploadedAndReferenced();
    void persistedVisionModel();
    void oneUploadPerImageAndAccount();
    void concurrentRequestsShareOneUpload();
    void failedUploadIsRetried();
    void remoteImageFetchedAndUploaded();
    void remoteFetchFailures_data();
    void remoteFetchFailures();
    void remoteFetchHonoursProxy();
    void badInputIsRefusedBeforeUpstream_data();
    void badInputIsRefusedBeforeUpstream();
    void guestUploadRefused_data();
    void guestUploadRefused();

private:
    // A bed with a Z.AI account token the fake accepts.
    static void startWithAccount(TestBed &bed, const QString &userId = u"alice"_s)
    {
        const QString token = TestBed::makeToken(userId);
        bed.config.tokens = {token};
        bed.fake->addValidToken(token);
        QString error;
        QVERIFY2(bed.start(&error), qPrintable(error));
    }
};

void TestImages::dataUrlUploadedAndReferenced()
{
    TestBed bed;
    startWithAccount(bed);
    const QByteArray png = fixture("gradient-16x16.png");
    QVERIFY(!png.isEmpty());

    const HttpResponse r =
        chat(bed, u"GLM-4.5"_s, {user({text(u"What is in this picture?"_s), image(dataUrl(png))})});
    QCOMPARE(r.status, 200);
    // The fake describes what it received: the real PNG, 16x16.
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"What is in this picture?"_s) +
                              FakeZaiServer::imageNote({u"image/png 16x16"_s}));

    // The upload: multipart, one part named "file", the account's token, the exact bytes.
    const QList<RecordedRequest> uploads = bed.fake->requests(FilesPath);
    QCOMPARE(uploads.size(), 1);
    const RecordedRequest &upload = uploads.first();
    QCOMPARE(upload.method, "POST"_ba);
    QCOMPARE(upload.header("authorization"), "Bearer " + bed.config.tokens.first().toLatin1());
    QVERIFY(upload.header("content-type").startsWith("multipart/form-data; boundary="));
    QCOMPARE(upload.header("accept"), "application/json"_ba);
    QVERIFY(!upload.header("origin").isEmpty());
    QVERIFY(!upload.header("user-agent").isEmpty());
    const QList<Part> parts = multipart(upload);
    QCOMPARE(parts.size(), 1);
    QCOMPARE(parts.first().name, "file"_ba);
    QCOMPARE(parts.first().type, "image/png"_ba);
    QVERIFY(QRegularExpression(u"^[0-9a-f-]{36}\\.png$"_s)
                .match(QString::fromLatin1(parts.first().filename))
                .hasMatch());
    QCOMPARE(parts.first().data, png);
    const FakeUploadedFile stored = bed.fake->uploadedFiles().first();
    QCOMPARE(stored.sha256, sha256(png));

    // The completion references the file in files[] and in the message part.
    const QList<RecordedRequest> completions = bed.fake->requests(CompletionsPath);
    QCOMPARE(completions.size(), 1);
    const QJsonObject body = completions.first().json;
    const QJsonArray files = body.value("files"_L1).toArray();
    QCOMPARE(files.size(), 1);
    const QJsonObject entry = files.first().toObject();
    QCOMPARE(entry.value("id"_L1).toString(), stored.id);
    QCOMPARE(entry.value("type"_L1).toString(), u"image"_s);
    QCOMPARE(entry.value("media"_L1).toString(), u"image"_s);
    QCOMPARE(entry.value("status"_L1).toString(), u"uploaded"_s);
    QCOMPARE(entry.value("url"_L1).toString(), u"/api/v1/files/%1/content"_s.arg(stored.id));
    QCOMPARE(entry.value("name"_L1).toString(), stored.filename);
    QCOMPARE(entry.value("size"_L1).toInt(), png.size());
    QCOMPARE(entry.value("file"_L1)
                 .toObject()
                 .value("meta"_L1)
                 .toObject()
                 .value("content_type"_L1)
                 .toString(),
             u"image/png"_s);
    QVERIFY(!entry.contains("ref_user_msg_id"_L1)); // simple profile
    const QJsonArray content =
        body.value("messages"_L1).toArray().last().toObject().value("content"_L1).toArray();
    QCOMPARE(content.size(), 2);
    QCOMPARE(content.at(0).toObject().value("text"_L1).toString(), u"What is in this picture?"_s);
    QCOMPARE(content.at(1).toObject().value("image_url"_L1).toObject().value("url"_L1).toString(),
             stored.id);
    // No image bytes travel in the completion itself.
    QVERIFY(!completions.first().body.contains("base64"));
    QCOMPARE(body.value("signature_prompt"_L1).toString(), u"What is in this picture?"_s);
}

void TestImages::persistedVisionModel()
{
    TestBed bed;
    startWithAccount(bed);
    const QByteArray png = fixture("red-8x4.png");
    const HttpResponse r =
        chat(bed, u"GLM-4.6V"_s, {user({text(u"Describe"_s), image(dataUrl(png))})}, true);
    QCOMPARE(r.status, 200);
    const QString content = Sse::content(Sse::chunks(Sse::parse(r.body)));
    QVERIFY2(content.endsWith(FakeZaiServer::imageNote({u"image/png 8x4"_s})), qPrintable(content));

    const QString fileId = bed.fake->uploadedFiles().first().id;
    const RecordedRequest chatsNew = bed.fake->requests(u"/api/v1/chats/new"_s).first();
    const QJsonObject chat = chatsNew.json.value("chat"_L1).toObject();
    const QString messageId = chat.value("history"_L1).toObject().value("currentId"_L1).toString();
    const QJsonArray chatFiles = chat.value("history"_L1)
                                     .toObject()
                                     .value("messages"_L1)
                                     .toObject()
                                     .value(messageId)
                                     .toObject()
                                     .value("files"_L1)
                                     .toArray();
    QCOMPARE(chatFiles.size(), 1);
    QCOMPARE(chatFiles.first().toObject().value("id"_L1).toString(), fileId);

    const QJsonObject body = bed.fake->requests(CompletionsPath).first().json;
    QCOMPARE(body.value("model"_L1).toString(), u"glm-4.6v"_s);
    QCOMPARE(body.value("current_user_message_id"_L1).toString(), messageId);
    const QJsonObject entry = body.value("files"_L1).toArray().first().toObject();
    QCOMPARE(entry.value("id"_L1).toString(), fileId);
    QCOMPARE(entry.value("ref_user_msg_id"_L1).toString(), messageId);
    QCOMPARE(entry.value("itemId"_L1), chatFiles.first().toObject().value("itemId"_L1));
    // The vision model keeps its catalogue settings.
    QVERIFY(body.value("mcp_servers"_L1).toArray().contains(u"vlm-image-recognition"_s));
    QCOMPARE(body.value("features"_L1).toObject().value("preview_mode"_L1).toBool(), false);
}

void TestImages::oneUploadPerImageAndAccount()
{
    TestBed bed;
    startWithAccount(bed);
    const QString a = dataUrl(fixture("gradient-16x16.png"));
    const QString b = dataUrl(fixture("red-8x4.png"));

    // Turn 1: one image.
    HttpResponse r = chat(bed, u"GLM-4.7"_s, {user({text(u"first"_s), image(a)})});
    QCOMPARE(r.status, 200);
    QCOMPARE(bed.fake->uploadedFiles().size(), 1);

    // Turn 2: the history repeats it, the new turn adds it again and a second image.
    r = chat(bed, u"GLM-4.7"_s,
             {user({text(u"first"_s), image(a)}), assistant(u"A gradient."_s),
              user({image(b), text(u"and now?"_s), image(a)})});
    QCOMPARE(r.status, 200);
    const QList<FakeUploadedFile> files = bed.fake->uploadedFiles();
    QCOMPARE(files.size(), 2); // b only: a was uploaded by this account already
    QCOMPARE(files.at(1).sha256, sha256(fixture("red-8x4.png")));
    // Order kept across turns and within the turn: a (turn 1), then b, a (turn 2).
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"and now?"_s) +
                              FakeZaiServer::imageNote({u"image/png 16x16"_s, u"image/png 8x4"_s,
                                                        u"image/png 16x16"_s}));
    const QJsonObject body = bed.fake->requests(CompletionsPath).last().json;
    const QJsonArray messages = body.value("messages"_L1).toArray();
    QCOMPARE(messages.size(), 3);
    const QJsonArray last = messages.at(2).toObject().value("content"_L1).toArray();
    QCOMPARE(last.at(1).toObject().value("image_url"_L1).toObject().value("url"_L1).toString(),
             files.at(1).id);
    QCOMPARE(last.at(2).toObject().value("image_url"_L1).toObject().value("url"_L1).toString(),
             files.at(0).id);
    const QJsonArray listed = body.value("files"_L1).toArray();
    QCOMPARE(listed.size(), 2); // each file once, in order of first use
    QCOMPARE(listed.at(0).toObject().value("id"_L1).toString(), files.at(0).id);
    QCOMPARE(listed.at(1).toObject().value("id"_L1).toString(), files.at(1).id);

    // Another account has no access to those files: it uploads its own copy.
    TestBed other;
    startWithAccount(other, u"bob"_s);
    QCOMPARE(chat(other, u"GLM-4.5"_s, {user({text(u"x"_s), image(a)})}).status, 200);
    QCOMPARE(other.fake->uploadedFiles().size(), 1);
}

void TestImages::concurrentRequestsShareOneUpload()
{
    TestBed bed;
    startWithAccount(bed);
    const QByteArray body = chatBody(QJsonObject{
        {"model"_L1, u"GLM-4.5"_s},
        {"messages"_L1,
         QJsonArray{user({text(u"same"_s), image(dataUrl(fixture("gradient-16x16.png")))})}}});
    QList<RawClient *> clients;
    for (int i = 0; i < 4; ++i) {
        auto *client = new RawClient(this);
        QVERIFY(client->connectTo(bed.port()));
        client->sendRequest("POST", "/v1/chat/completions", body,
                            {{"Content-Type"_ba, "application/json"_ba}});
        clients.append(client);
    }
    for (RawClient *client : std::as_const(clients)) {
        QCOMPARE(client->readResponse(30000).status, 200);
        client->deleteLater();
    }
    QCOMPARE(bed.fake->count(CompletionsPath), 4);
    QCOMPARE(bed.fake->count(FilesPath), 1);
}

void TestImages::failedUploadIsRetried()
{
    TestBed bed;
    startWithAccount(bed);
    FakeReply failure;
    failure.httpStatus = 502;
    failure.body = R"({"detail":"Bad Gateway"})";
    failure.pathPrefix = FilesPath;
    bed.fake->enqueue(failure);
    const HttpResponse r =
        chat(bed, u"GLM-4.5"_s, {user({text(u"retry"_s), image(dataUrl(fixture("red-8x4.png")))})});
    QCOMPARE(r.status, 200);
    QCOMPARE(bed.fake->count(FilesPath), 2);
    QCOMPARE(bed.fake->uploadedFiles().size(), 1);
    QVERIFY(r.answer().endsWith(FakeZaiServer::imageNote({u"image/png 8x4"_s})));

    // An upload failing every time ends the request with the upstream's failure, named as such.
    for (int i = 0; i <= bed.config.maxRetries; ++i) // the first attempt and every retry
        bed.fake->enqueue(failure);
    const HttpResponse failed =
        chat(bed, u"GLM-4.5"_s,
             {user({text(u"fail"_s), image(dataUrl(fixture("gradient-16x16.png")))})});
    QCOMPARE(failed.status, 502);
    QVERIFY2(failed.error().value("message"_L1).toString().contains(u"image upload"_s),
             failed.body.constData());
    QCOMPARE(bed.fake->pendingReplies(), 0);
    QCOMPARE(bed.fake->count(CompletionsPath), 1); // only the first request got that far
}

void TestImages::remoteImageFetchedAndUploaded()
{
    TestBed bed;
    startWithAccount(bed);
    ImageServer images;
    QVERIFY(images.start());
    const QByteArray png = fixture("gradient-16x16.png");
    images.route(u"/shots/screen.png"_s, {200, "image/png", png});
    const QString url = images.url(u"/shots/screen.png?size=large"_s);

    const HttpResponse r = chat(bed, u"GLM-4.5V"_s, {user({text(u"Look"_s), image(url)})});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.answer(), FakeZaiServer::expectedAnswer(u"Look"_s) +
                              FakeZaiServer::imageNote({u"image/png 16x16"_s}));
    QCOMPARE(images.requestLines(), QStringList{u"GET /shots/screen.png?size=large HTTP/1.1"_s});
    QCOMPARE(bed.fake->uploadedFiles().size(), 1);
    QCOMPARE(bed.fake->uploadedFiles().first().sha256, sha256(png));
    // The upstream never sees the client's URL.
    const RecordedRequest completion = bed.fake->requests(CompletionsPath).first();
    QVERIFY(
        !completion.body.contains(QByteArray("127.0.0.1:" + QByteArray::number(images.port()))));

    // Sent again (a later turn): fetched again, but not uploaded again.
    QCOMPARE(
        chat(bed, u"GLM-4.5V"_s,
             {user({text(u"Look"_s), image(url)}), assistant(u"ok"_s), user({text(u"again"_s)})})
            .status,
        200);
    QCOMPARE(images.requestLines().size(), 2);
    QCOMPARE(bed.fake->uploadedFiles().size(), 1);
}

void TestImages::remoteFetchFailures_data()
{
    QTest::addColumn<ImageServer::Route>("route");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("404") << ImageServer::Route{404, "text/html", "<h1>gone</h1>"}
                         << u"invalid_image_url"_s << u"HTTP 404"_s;
    QTest::newRow("not an image") << ImageServer::Route{200, "text/html", "<html>login</html>"}
                                  << u"invalid_image_format"_s << u"Content-Type: text/html"_s;
    QByteArray big = fixture("gradient-16x16.png");
    big += QByteArray(4096, 'x');
    QTest::newRow("over the limit (Content-Length)")
        << ImageServer::Route{200, "image/png", big} << u"image_too_large"_s
        << u"MAX_IMAGE_BYTES"_s;
    ImageServer::Route streamed{200, "image/png", big};
    streamed.noLength = true;
    QTest::newRow("over the limit (no length)")
        << streamed << u"image_too_large"_s << u"MAX_IMAGE_BYTES"_s;
    ImageServer::Route hang;
    hang.hang = true;
    QTest::newRow("too slow") << hang << u"invalid_image_url"_s << u"IMAGE_FETCH_TIMEOUT"_s;
}

void TestImages::remoteFetchFailures()
{
    QFETCH(ImageServer::Route, route);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    TestBed bed;
    bed.config.maxImageBytes = 2048;
    bed.config.imageFetchTimeoutMs = 1000;
    startWithAccount(bed);
    ImageServer images;
    QVERIFY(images.start());
    images.route(u"/img"_s, route);

    const HttpResponse r =
        chat(bed, u"GLM-4.5"_s, {user({text(u"x"_s), image(images.url(u"/img"_s))})});
    QCOMPARE(r.status, 400);
    const QJsonObject error = r.error();
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QCOMPARE(error.value("code"_L1).toString(), code);
    QCOMPARE(error.value("param"_L1).toString(), u"messages[0].content[1].image_url.url"_s);
    QVERIFY2(error.value("message"_L1).toString().contains(mentions),
             qPrintable(error.value("message"_L1).toString()));
    QVERIFY(error.value("message"_L1).toString().contains(images.url(u"/img"_s)));
    QCOMPARE(bed.fake->count(FilesPath), 0);
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
}

void TestImages::remoteFetchHonoursProxy()
{
    // A non-loopback image host (TEST-NET-2) is only reachable through the configured proxy; the
    // upstream stays on loopback, which never goes through a proxy.
    TestBed bed;
    ImageServer proxy;
    QVERIFY(proxy.start());
    const QByteArray png = fixture("red-8x4.png");
    proxy.route(u"/diagram.png"_s, {200, "image/png", png});
    bed.config.httpProxy = QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    startWithAccount(bed);

    const HttpResponse r = chat(
        bed, u"GLM-4.5"_s, {user({text(u"x"_s), image(u"http://198.51.100.7/diagram.png"_s)})});
    QCOMPARE(r.status, 200);
    QCOMPARE(proxy.requestLines(), QStringList{u"GET http://198.51.100.7/diagram.png HTTP/1.1"_s});
    QCOMPARE(bed.fake->uploadedFiles().first().sha256, sha256(png));
}

void TestImages::badInputIsRefusedBeforeUpstream_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QJsonArray>("messages");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    const QString png = dataUrl(fixture("red-8x4.png"));
    const QString p1 = u"messages[0].content[1].image_url.url"_s;
    QTest::newRow("malformed data URL")
        << u"GLM-4.5"_s << QJsonArray{user({text(u"x"_s), image(u"data:image/png;base64"_s)})} << p1
        << u"invalid_image_url"_s << u"data: URL"_s;
    QTest::newRow("not base64") << u"GLM-4.5"_s
                                << QJsonArray{user(
                                       {text(u"x"_s), image(u"data:image/png;base64,%%%%"_s)})}
                                << p1 << u"invalid_image_url"_s << u"not valid base64"_s;
    QTest::newRow("unsupported type")
        << u"GLM-4.5"_s
        << QJsonArray{user({text(u"x"_s), image(u"data:image/tiff;base64,SUkqAAgAAAA="_s)})} << p1
        << u"invalid_image_format"_s << u"image/tiff"_s;
    QTest::newRow("bytes are not an image")
        << u"GLM-4.5"_s
        << QJsonArray{user({text(u"x"_s), image(dataUrl("%PDF-1.7 not an image", u"image/png"_s))})}
        << p1 << u"invalid_image_format"_s << u"PNG, JPEG, WebP or GIF"_s;
    QByteArray big = fixture("red-8x4.png");
    big += QByteArray(3000, '\0');
    QTest::newRow("over the size limit")
        << u"GLM-4.5"_s << QJsonArray{user({text(u"x"_s), image(dataUrl(big))})} << p1
        << u"image_too_large"_s << u"MAX_IMAGE_BYTES"_s;
    QTest::newRow("more images than allowed (earlier turns count)")
        << u"GLM-4.5"_s
        << QJsonArray{user({image(png), image(png)}), assistant(u"ok"_s),
                      user({text(u"x"_s), image(png)})}
        << u"messages"_s << u"too_many_images"_s << u"MAX_IMAGES"_s;
    QTest::newRow("unsupported scheme")
        << u"GLM-4.5"_s << QJsonArray{user({text(u"x"_s), image(u"file:///etc/hostname"_s)})} << p1
        << u"invalid_image_url"_s << u"'file:'"_s;
    QTest::newRow("model that takes no images")
        << u"Text-Only"_s << QJsonArray{user({text(u"x"_s), image(png)})} << u"model"_s
        << u"model_does_not_support_images"_s << u"'Text-Only'"_s;
    QTest::newRow("the bad one is named exactly")
        << u"GLM-4.5"_s
        << QJsonArray{user({text(u"hello"_s)}), assistant(u"ok"_s),
                      user({text(u"x"_s), image(png), image(u"data:text/plain;base64,aGk="_s)})}
        << u"messages[2].content[2].image_url.url"_s << u"invalid_image_format"_s
        << u"messages[2].content[2].image_url.url"_s;
}

void TestImages::badInputIsRefusedBeforeUpstream()
{
    QFETCH(QString, model);
    QFETCH(QJsonArray, messages);
    QFETCH(QString, param);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    TestBed bed;
    bed.config.maxImageBytes = 2048;
    bed.config.maxImages = 2;
    // A catalogue entry that refuses images, as a profile can declare one.
    QJsonObject json = UpstreamProfile::builtIn().json();
    QJsonArray models = json.value("models"_L1).toArray();
    models.append(QJsonObject{{"id"_L1, u"Text-Only"_s},
                              {"upstream"_L1, u"0727-106B-API"_s},
                              {"images"_L1, u"refuse"_s}});
    json.insert("models"_L1, models);
    QString error;
    bed.profile = UpstreamProfile::fromJson(json, &error);
    QVERIFY2(bed.profile, qPrintable(error));
    startWithAccount(bed);

    for (bool stream : {false, true}) {
        const HttpResponse r = chat(bed, model, messages, stream);
        QCOMPARE(r.status, 400);
        const QJsonObject e = r.error();
        QCOMPARE(e.value("type"_L1).toString(), u"invalid_request_error"_s);
        QCOMPARE(e.value("param"_L1).toString(), param);
        QCOMPARE(e.value("code"_L1).toString(), code);
        QVERIFY2(e.value("message"_L1).toString().contains(mentions),
                 qPrintable(e.value("message"_L1).toString()));
    }
    // Nothing went upstream for it, not even the landing page (the model list read at start is
    // the server's, not the request's).
    for (const RecordedRequest &r : bed.fake->requests())
        QCOMPARE(r.path, u"/api/models"_s);
}

void TestImages::guestUploadRefused_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-streaming") << false;
    QTest::newRow("streaming") << true;
}

void TestImages::guestUploadRefused()
{
    ZB_SKIP_ON_LIVE_2026(ZB_LIVE_2026_GUESTS);
    QFETCH(bool, stream);
    TestBed bed; // no ZAI_TOKEN: guest accounts
    QVERIFY(bed.start());
    const HttpResponse r = chat(
        bed, u"GLM-4.6V"_s, {user({text(u"x"_s), image(dataUrl(fixture("red-8x4.png")))})}, stream);
    QCOMPARE(r.status, 403); // before the first byte: the status is still free
    const QJsonObject e = r.error();
    QCOMPARE(e.value("code"_L1).toString(), u"image_upload_needs_account"_s);
    const QString message = e.value("message"_L1).toString();
    QVERIFY2(message.contains(u"guest account"_s) && message.contains(u"ZAI_TOKEN"_s) &&
                 message.contains(u"HTTP 403"_s),
             qPrintable(message));
    QCOMPARE(bed.fake->count(FilesPath), 1); // refused, not retried
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
    QCOMPARE(bed.fake->lastRejection(), u"files: guest accounts may not upload"_s);
    // Text-only requests from the same guest still work.
    QCOMPARE(Http::post(bed.url(u"/v1/chat/completions"_s), chatBody(u"GLM-4.5"_s, u"hi"_s, false))
                 .status,
             200);
}

QTEST_GUILESS_MAIN(TestImages)
#include "testImages.moc"
