// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

struct Conversation;
struct ContentPart;
struct ModelEntry;

// The client's images (OpenAI image_url parts) checked before anything goes upstream: data: URLs
// decoded and their bytes recognised as PNG, JPEG, WebP or GIF, http(s) URLs checked for shape,
// sizes and counts against the configured limits. Pure: no I/O.
namespace ImageInput {

struct Limits
{
    qint64 maxBytes = 20LL * 1024 * 1024; // per image, decoded
    int maxImages = 20;                   // per request, every turn counted
};

struct DataUrl
{
    QString declaredType; // the media type the URL names, lower case ("" when it names none)
    QString type;         // what the bytes are: one of supportedTypes()
    QByteArray bytes;
};

// "image/png", "image/jpeg", "image/webp", "image/gif".
const QList<QString> &supportedTypes();

// The supported type whose signature `bytes` start with, or "".
QString sniffType(const QByteArray &bytes);

// File name extension for a supported type ("png", "jpg", "webp", "gif").
QString extensionFor(const QString &type);

// Decodes `data:[<type>][;param=value]*;base64,<data>`. Fails with a 400 naming `param` when the
// URL is malformed, names a type other than the four supported, is not base64, or holds bytes
// that are not one of the supported images. `maxBytes` is checked before decoding as well as
// after, so an oversized image is refused without allocating it.
std::optional<DataUrl> parseDataUrl(const QString &url, qint64 maxBytes, const QString &param,
                                    ApiError *error);

// Calls `visit(part, param)` for every image part of the request in order (messages in order,
// parts in order); `param` is the OpenAI path of the part's URL for error messages.
void forEachImage(Conversation &request,
                  const std::function<void(ContentPart &, const QString &)> &visit);
void visitImages(const Conversation &request,
                 const std::function<void(const ContentPart &, const QString &)> &visit);
int imageCount(const Conversation &request);

// The check the server runs before the request goes anywhere: the model takes images, there are
// no more than limits.maxImages, every data: URL is valid and within limits.maxBytes (its bytes
// are decoded into the part, and the URL shortened to its head), every other URL is http(s).
// `imageModels` names the models that take images, for the message when `model` does not.
// Returns the 400 to answer, or an ApiError without kind when the request may go on.
ApiError prepare(Conversation &request, const ModelEntry &model, const Limits &limits,
                 const QStringList &imageModels = {});

// A URL safe to show in an error message or a log line: no user info, query or fragment, and
// the head only of a data: URL.
QString displayUrl(const QString &url);

} // namespace ImageInput
