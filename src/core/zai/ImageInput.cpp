// SPDX-License-Identifier: MIT
#include "ImageInput.h"

#include "conversation/Conversation.h"
#include "ModelCatalogue.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

ApiError badUrl(const QString &param, const QString &why)
{
    return ApiError::invalidRequest(
        u"Invalid image URL in '%1': %2. Send a data: URL (data:image/png;base64,...) or an "
        u"http(s) URL."_s.arg(param, why),
        param, u"invalid_image_url"_s);
}

ApiError badType(const QString &param, const QString &what)
{
    return ApiError::invalidRequest(
        u"Unsupported image type in '%1': %2. Send PNG, JPEG, WebP or GIF images."_s.arg(param,
                                                                                         what),
        param, u"invalid_image_format"_s);
}

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return u"%1 MB"_s.arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    if (bytes >= 1024)
        return u"%1 KB"_s.arg(double(bytes) / 1024.0, 0, 'f', 1);
    return u"%1 bytes"_s.arg(bytes);
}

QString canonicalType(QString type)
{
    type = type.trimmed().toLower();
    if (type == u"image/jpg" || type == u"image/pjpeg")
        return u"image/jpeg"_s;
    return type;
}

} // namespace

namespace ImageInput {

const QList<QString> &supportedTypes()
{
    static const QList<QString> types{u"image/png"_s, u"image/jpeg"_s, u"image/webp"_s,
                                      u"image/gif"_s};
    return types;
}

QString sniffType(const QByteArray &bytes)
{
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        return u"image/png"_s;
    if (bytes.startsWith("\xff\xd8\xff"))
        return u"image/jpeg"_s;
    if (bytes.startsWith("GIF87a") || bytes.startsWith("GIF89a"))
        return u"image/gif"_s;
    if (bytes.size() >= 12 && bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return u"image/webp"_s;
    return {};
}

QString extensionFor(const QString &type)
{
    if (type == u"image/jpeg")
        return u"jpg"_s;
    const qsizetype slash = type.indexOf(u'/');
    return slash < 0 ? u"bin"_s : type.mid(slash + 1);
}

QString displayUrl(const QString &url)
{
    if (url.startsWith(u"data:"_s, Qt::CaseInsensitive)) {
        const qsizetype comma = url.indexOf(u',');
        const QString head = url.left(comma < 0 ? qMin<qsizetype>(url.size(), 40) : comma + 1);
        return head.left(80) + u"…"_s;
    }
    const QUrl parsed(url);
    QString shown =
        parsed.isValid()
            ? parsed.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
            : url;
    if (shown.size() > 200)
        shown = shown.left(200) + u"…"_s;
    return shown;
}

std::optional<DataUrl> parseDataUrl(const QString &url, qint64 maxBytes, const QString &param,
                                    ApiError *error)
{
    if (!url.startsWith(u"data:"_s, Qt::CaseInsensitive)) {
        *error = badUrl(param, u"not a data: URL"_s);
        return std::nullopt;
    }
    const qsizetype comma = url.indexOf(u',');
    if (comma < 0) {
        *error = badUrl(param, u"the data: URL has no ',' before its data"_s);
        return std::nullopt;
    }
    const QStringList header = url.mid(5, comma - 5).split(u';');
    DataUrl result;
    result.declaredType = canonicalType(header.first());
    if (header.size() < 2 || header.last().trimmed().compare(u"base64"_s, Qt::CaseInsensitive)) {
        *error = badUrl(param, u"the data: URL is not base64-encoded (expected ';base64,')"_s);
        return std::nullopt;
    }
    if (!result.declaredType.isEmpty() && result.declaredType != u"application/octet-stream" &&
        !supportedTypes().contains(result.declaredType)) {
        *error = badType(param, u"'%1'"_s.arg(result.declaredType.left(100)));
        return std::nullopt;
    }
    // Whitespace inside the data is tolerated (some clients wrap base64 lines).
    QByteArray encoded;
    encoded.reserve(url.size() - comma - 1);
    for (qsizetype i = comma + 1; i < url.size(); ++i) {
        const QChar c = url.at(i);
        if (c.isSpace())
            continue;
        if (c.unicode() > 0x7f) {
            *error = badUrl(param, u"the data is not valid base64"_s);
            return std::nullopt;
        }
        encoded.append(char(c.unicode()));
    }
    // Refuse before decoding: the decoded size is at least 3/4 of the text minus padding.
    const qint64 estimate = qint64(encoded.size()) / 4 * 3 - 2;
    if (estimate > maxBytes) {
        *error = ApiError::invalidRequest(
            u"The image in '%1' is about %2; the limit is %3 per image (MAX_IMAGE_BYTES)."_s.arg(
                param, sizeText(estimate), sizeText(maxBytes)),
            param, u"image_too_large"_s);
        return std::nullopt;
    }
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        decoded = QByteArray::fromBase64Encoding(
            encoded, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    }
    if (!decoded) {
        *error = badUrl(param, u"the data is not valid base64"_s);
        return std::nullopt;
    }
    result.bytes = std::move(*decoded);
    if (result.bytes.isEmpty()) {
        *error = badUrl(param, u"the data: URL holds no data"_s);
        return std::nullopt;
    }
    if (result.bytes.size() > maxBytes) {
        *error = ApiError::invalidRequest(
            u"The image in '%1' is %2; the limit is %3 per image (MAX_IMAGE_BYTES)."_s.arg(
                param, sizeText(result.bytes.size()), sizeText(maxBytes)),
            param, u"image_too_large"_s);
        return std::nullopt;
    }
    result.type = sniffType(result.bytes);
    if (result.type.isEmpty()) {
        *error = badType(param, result.declaredType.isEmpty()
                                    ? u"the data is not a PNG, JPEG, WebP or GIF image"_s
                                    : u"the data is declared as '%1' but is not a PNG, JPEG, "
                                      u"WebP or GIF image"_s.arg(result.declaredType));
        return std::nullopt;
    }
    return result;
}

void forEachImage(Conversation &request,
                  const std::function<void(ContentPart &, const QString &)> &visit)
{
    for (qsizetype m = 0; m < request.messages.size(); ++m) {
        QList<ContentPart> &parts = request.messages[m].parts;
        for (qsizetype p = 0; p < parts.size(); ++p) {
            if (parts[p].type == ContentPart::Type::Image)
                visit(parts[p], u"messages[%1].content[%2].image_url.url"_s.arg(m).arg(p));
        }
    }
}

void visitImages(const Conversation &request,
                 const std::function<void(const ContentPart &, const QString &)> &visit)
{
    for (qsizetype m = 0; m < request.messages.size(); ++m) {
        const QList<ContentPart> &parts = request.messages.at(m).parts;
        for (qsizetype p = 0; p < parts.size(); ++p) {
            if (parts.at(p).type == ContentPart::Type::Image)
                visit(parts.at(p), u"messages[%1].content[%2].image_url.url"_s.arg(m).arg(p));
        }
    }
}

int imageCount(const Conversation &request)
{
    int n = 0;
    for (const Message &m : request.messages) {
        for (const ContentPart &p : m.parts)
            n += p.type == ContentPart::Type::Image ? 1 : 0;
    }
    return n;
}

ApiError prepare(Conversation &request, const ModelEntry &model, const Limits &limits,
                 const QStringList &imageModels)
{
    const int count = imageCount(request);
    if (count == 0)
        return {};
    if (model.images == ModelEntry::Images::Refuse) {
        QStringList others = imageModels;
        others.removeAll(model.id);
        return ApiError::invalidRequest(
            u"The model '%1' does not accept images. Remove the images or choose another "
            u"model%2."_s.arg(model.id, others.isEmpty()
                                            ? QString()
                                            : u", such as %1"_s.arg(others.join(u" or "_s))),
            u"model"_s, u"model_does_not_support_images"_s);
    }
    if (count > limits.maxImages) {
        return ApiError::invalidRequest(
            u"The request holds %1 images; the limit is %2 per request (MAX_IMAGES), counting "
            u"every turn."_s.arg(count)
                .arg(limits.maxImages),
            u"messages"_s, u"too_many_images"_s);
    }
    ApiError error;
    forEachImage(request, [&](ContentPart &part, const QString &param) {
        if (error.isError() || !part.imageBytes.isEmpty())
            return;
        const QString &url = part.imageUrl;
        if (url.startsWith(u"data:"_s, Qt::CaseInsensitive)) {
            auto data = parseDataUrl(url, limits.maxBytes, param, &error);
            if (!data)
                return;
            part.imageType = data->type;
            part.imageBytes = std::move(data->bytes);
            part.imageUrl = url.left(url.indexOf(u',') + 1); // the base64 text is not kept twice
            return;
        }
        const QUrl parsed(url, QUrl::StrictMode);
        const QString scheme = parsed.scheme().toLower();
        if (!parsed.isValid() || parsed.host().isEmpty() ||
            (scheme != u"http" && scheme != u"https")) {
            error = badUrl(
                param, parsed.scheme().isEmpty() || !parsed.isValid()
                           ? u"'%1' is not a URL"_s.arg(displayUrl(url))
                           : u"the scheme '%1:' is not supported"_s.arg(parsed.scheme().left(20)));
        }
    });
    return error;
}

} // namespace ImageInput
