// SPDX-License-Identifier: MIT
#include "conversation/Conversation.h"
#include "zai/ImageInput.h"
#include "zai/ModelCatalogue.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/images/") + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString dataUrl(const QByteArray &bytes, const QString &type = u"image/png"_s)
{
    return u"data:"_s + type + u";base64,"_s + QString::fromLatin1(bytes.toBase64());
}

const QByteArray Gif =
    QByteArray::fromBase64("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
const QByteArray Jpeg = QByteArray::fromHex("ffd8ffe000104a46494600010100000100010000ffd9");
const QByteArray Webp =
    QByteArray::fromHex("524946461a000000574542505650384c0d0000002f0000001007101111888888fe0700");

Conversation requestWith(const QStringList &urls)
{
    Conversation r;
    r.model = u"GLM-4.5"_s;
    Message m;
    m.role = Message::Role::User;
    m.parts.append({ContentPart::Type::Text, u"look"_s});
    for (const QString &url : urls)
        m.parts.append({ContentPart::Type::Image, {}, url});
    r.messages.append(m);
    return r;
}

} // namespace

class TestImageInput : public QObject
{
    Q_OBJECT
private slots:
    void sniffsTheFourTypes();
    void parsesDataUrls_data();
    void parsesDataUrls();
    void rejectsBadDataUrls_data();
    void rejectsBadDataUrls();
    void refusesOversizedBeforeDecoding();
    void prepareDecodesIntoParts();
    void prepareChecksCountModelAndScheme();
    void displayUrlHidesSecrets();
};

void TestImageInput::sniffsTheFourTypes()
{
    QCOMPARE(ImageInput::sniffType(fixture("red-8x4.png")), u"image/png"_s);
    QCOMPARE(ImageInput::sniffType(Jpeg), u"image/jpeg"_s);
    QCOMPARE(ImageInput::sniffType(Gif), u"image/gif"_s);
    QCOMPARE(ImageInput::sniffType(Webp), u"image/webp"_s);
    QCOMPARE(ImageInput::sniffType("BM\x36\x00\x00\x00"), QString());
    QCOMPARE(ImageInput::sniffType("<svg xmlns="), QString());
    QCOMPARE(ImageInput::extensionFor(u"image/jpeg"_s), u"jpg"_s);
    QCOMPARE(ImageInput::extensionFor(u"image/webp"_s), u"webp"_s);
}

void TestImageInput::parsesDataUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("type");
    const QByteArray png = fixture("gradient-16x16.png");
    QVERIFY(!png.isEmpty());
    QTest::newRow("png") << dataUrl(png) << png << u"image/png"_s;
    QTest::newRow("jpeg") << dataUrl(Jpeg, u"image/jpeg"_s) << Jpeg << u"image/jpeg"_s;
    QTest::newRow("jpg alias") << dataUrl(Jpeg, u"image/jpg"_s) << Jpeg << u"image/jpeg"_s;
    QTest::newRow("gif") << dataUrl(Gif, u"image/gif"_s) << Gif << u"image/gif"_s;
    QTest::newRow("webp") << dataUrl(Webp, u"image/webp"_s) << Webp << u"image/webp"_s;
    QTest::newRow("upper-case scheme and type")
        << (u"DATA:IMAGE/PNG;BASE64,"_s + QString::fromLatin1(png.toBase64())) << png
        << u"image/png"_s;
    QTest::newRow("no type: sniffed")
        << (u"data:;base64,"_s + QString::fromLatin1(png.toBase64())) << png << u"image/png"_s;
    QTest::newRow("octet-stream: sniffed")
        << dataUrl(Gif, u"application/octet-stream"_s) << Gif << u"image/gif"_s;
    QTest::newRow("mislabelled: the bytes win")
        << dataUrl(Jpeg, u"image/png"_s) << Jpeg << u"image/jpeg"_s;
    QTest::newRow("parameters before base64")
        << dataUrl(png, u"image/png;name=shot.png"_s) << png << u"image/png"_s;
    QString wrapped = QString::fromLatin1(png.toBase64());
    for (qsizetype i = 76; i < wrapped.size(); i += 77)
        wrapped.insert(i, u'\n');
    QTest::newRow("wrapped base64")
        << (u"data:image/png;base64,"_s + wrapped) << png << u"image/png"_s;
    QTest::newRow("url-safe base64")
        << (u"data:image/png;base64,"_s +
            QString::fromLatin1(png.toBase64(QByteArray::Base64UrlEncoding)))
        << png << u"image/png"_s;
}

void TestImageInput::parsesDataUrls()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, type);
    ApiError error;
    const auto parsed = ImageInput::parseDataUrl(url, 1024 * 1024, u"p"_s, &error);
    QVERIFY2(parsed, qPrintable(error.message()));
    QCOMPARE(parsed->bytes, bytes);
    QCOMPARE(parsed->type, type);
}

void TestImageInput::rejectsBadDataUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    const QString png64 = QString::fromLatin1(fixture("red-8x4.png").toBase64());
    QTest::newRow("no comma") << u"data:image/png;base64"_s << u"invalid_image_url"_s << u"','"_s;
    QTest::newRow("not base64-encoded")
        << (u"data:image/png,"_s + png64) << u"invalid_image_url"_s << u"base64"_s;
    QTest::newRow("bad base64") << u"data:image/png;base64,iVBOR!!!w0K"_s << u"invalid_image_url"_s
                                << u"not valid base64"_s;
    QTest::newRow("empty") << u"data:image/png;base64,"_s << u"invalid_image_url"_s << u"no data"_s;
    QTest::newRow("svg") << (u"data:image/svg+xml;base64,"_s +
                             QString::fromLatin1(QByteArray("<svg/>").toBase64()))
                         << u"invalid_image_format"_s << u"image/svg+xml"_s;
    QTest::newRow("bmp") << u"data:image/bmp;base64,Qk0="_s << u"invalid_image_format"_s
                         << u"image/bmp"_s;
    QTest::newRow("pdf") << u"data:application/pdf;base64,JVBERi0="_s << u"invalid_image_format"_s
                         << u"application/pdf"_s;
    QTest::newRow("text labelled as png")
        << (u"data:image/png;base64,"_s + QString::fromLatin1(QByteArray("hello world").toBase64()))
        << u"invalid_image_format"_s << u"is not a PNG, JPEG, WebP or GIF"_s;
}

void TestImageInput::rejectsBadDataUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    ApiError error;
    QVERIFY(!ImageInput::parseDataUrl(url, 1024 * 1024, u"messages[0].content[1].image_url.url"_s,
                                      &error));
    QCOMPARE(error.status(), 400);
    QCOMPARE(error.code(), code);
    QCOMPARE(error.param(), u"messages[0].content[1].image_url.url"_s);
    QVERIFY2(error.message().contains(mentions), qPrintable(error.message()));
    QVERIFY2(error.message().contains(u"messages[0].content[1].image_url.url"_s),
             qPrintable(error.message()));
}

void TestImageInput::refusesOversizedBeforeDecoding()
{
    const QByteArray png = fixture("gradient-16x16.png");
    ApiError error;
    QVERIFY(ImageInput::parseDataUrl(dataUrl(png), png.size(), u"p"_s, &error));
    QVERIFY(!ImageInput::parseDataUrl(dataUrl(png), png.size() - 1, u"p"_s, &error));
    QCOMPARE(error.code(), u"image_too_large"_s);
    QVERIFY(error.message().contains(u"MAX_IMAGE_BYTES"_s));
    // Far over the limit: refused by the length of the text alone.
    const QString huge = u"data:image/png;base64,"_s + QString(4 * 1024 * 1024, u'A');
    QVERIFY(!ImageInput::parseDataUrl(huge, 1024 * 1024, u"p"_s, &error));
    QCOMPARE(error.code(), u"image_too_large"_s);
    QVERIFY2(error.message().contains(u"3.0 MB"_s), qPrintable(error.message()));
}

void TestImageInput::prepareDecodesIntoParts()
{
    const QByteArray png = fixture("red-8x4.png");
    Conversation r = requestWith(
        {dataUrl(png), u"https://example.com/a.png?sig=secret"_s, dataUrl(Gif, u"image/gif"_s)});
    ModelEntry model;
    model.id = u"GLM-4.5"_s;
    QVERIFY(!ImageInput::prepare(r, model, {}).isError());
    const QList<ContentPart> &parts = r.messages.at(0).parts;
    QCOMPARE(parts.at(1).imageBytes, png);
    QCOMPARE(parts.at(1).imageType, u"image/png"_s);
    QCOMPARE(parts.at(1).imageUrl, u"data:image/png;base64,"_s); // the base64 text is dropped
    QVERIFY(parts.at(2).imageBytes.isEmpty());                   // fetched later, by the uploader
    QCOMPARE(parts.at(2).imageUrl, u"https://example.com/a.png?sig=secret"_s);
    QCOMPARE(parts.at(3).imageType, u"image/gif"_s);
    QCOMPARE(ImageInput::imageCount(r), 3);
    QStringList params;
    ImageInput::visitImages(
        r, [&](const ContentPart &, const QString &param) { params.append(param); });
    QCOMPARE(params, (QStringList{u"messages[0].content[1].image_url.url"_s,
                                  u"messages[0].content[2].image_url.url"_s,
                                  u"messages[0].content[3].image_url.url"_s}));
}

void TestImageInput::prepareChecksCountModelAndScheme()
{
    const QString png = dataUrl(fixture("red-8x4.png"));
    ModelEntry model;
    model.id = u"GLM-4.5"_s;

    Conversation three = requestWith({png, png, png});
    ApiError error = ImageInput::prepare(three, model, {1024 * 1024, 2});
    QCOMPARE(error.status(), 400);
    QCOMPARE(error.code(), u"too_many_images"_s);
    QVERIFY(error.message().contains(u"3 images"_s) && error.message().contains(u"MAX_IMAGES"_s));

    ModelEntry textOnly = model;
    textOnly.id = u"Text-Only"_s;
    textOnly.images = ModelEntry::Images::Refuse;
    Conversation one = requestWith({png});
    error = ImageInput::prepare(one, textOnly, {}, {u"GLM-4.6V"_s, u"GLM-4.5V"_s});
    QCOMPARE(error.status(), 400);
    QCOMPARE(error.param(), u"model"_s);
    QCOMPARE(error.code(), u"model_does_not_support_images"_s);
    QVERIFY(error.message().contains(u"'Text-Only'"_s));
    QVERIFY2(error.message().contains(u"such as GLM-4.6V or GLM-4.5V."_s),
             qPrintable(error.message()));

    for (const QString &url :
         {u"ftp://example.com/a.png"_s, u"file:///etc/passwd"_s, u"just text"_s}) {
        Conversation r = requestWith({url});
        error = ImageInput::prepare(r, model, {});
        QCOMPARE(error.code(), u"invalid_image_url"_s);
        QCOMPARE(error.param(), u"messages[0].content[1].image_url.url"_s);
    }
    Conversation noImages = requestWith({});
    QVERIFY(!ImageInput::prepare(noImages, textOnly, {}).isError());
}

void TestImageInput::displayUrlHidesSecrets()
{
    QCOMPARE(ImageInput::displayUrl(u"https://user:pw@example.com/a.png?X-Amz-Signature=abc#f"_s),
             u"https://example.com/a.png"_s);
    const QString shown =
        ImageInput::displayUrl(u"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA"_s);
    QVERIFY(shown.startsWith(u"data:image/png;base64,"_s));
    QVERIFY(!shown.contains(u"iVBOR"_s));
}

QTEST_GUILESS_MAIN(TestImageInput)
#include "testImageInput.moc"
