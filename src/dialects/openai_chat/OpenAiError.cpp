// SPDX-License-Identifier: MIT
#include "OpenAiError.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

QString OpenAiError::type(const ApiError &error)
{
    using K = ApiError::Kind;
    switch (error.kind()) {
    case K::None: return {};
    case K::InvalidRequest:
    case K::ContextLengthExceeded:
    case K::InvalidApiKey:
    case K::NotFound:
    case K::ModelNotFound:
    case K::MethodNotAllowed:
    case K::PayloadTooLarge: return u"invalid_request_error"_s;
    case K::PermissionDenied: return u"permission_error"_s;
    case K::RateLimited:
    case K::UpstreamBusy: return u"rate_limit_error"_s;
    case K::Internal: return u"server_error"_s;
    case K::UpstreamError:
    case K::UpstreamUnavailable:
    case K::UpstreamTimeout:
    case K::UpstreamRejected: return u"upstream_error"_s;
    case K::StreamError: return u"stream_error"_s;
    }
    return u"server_error"_s;
}

QJsonObject OpenAiError::json(const ApiError &error)
{
    const QString code = error.code();
    const QJsonObject inner{
        {u"message"_s, error.message()},
        {u"type"_s, type(error)},
        {u"param"_s, error.param().isEmpty() ? QJsonValue() : QJsonValue(error.param())},
        {u"code"_s, code.isEmpty() ? QJsonValue() : QJsonValue(code)}};
    return QJsonObject{{u"error"_s, inner}};
}

QByteArray OpenAiError::body(const ApiError &error)
{
    return QJsonDocument(json(error)).toJson(QJsonDocument::Compact);
}
