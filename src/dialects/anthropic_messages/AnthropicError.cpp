// SPDX-License-Identifier: MIT
#include "AnthropicError.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

QString AnthropicError::type(const ApiError &error)
{
    using K = ApiError::Kind;
    switch (error.kind()) {
    case K::None: return {};
    case K::InvalidRequest:
    case K::ContextLengthExceeded:
    case K::MethodNotAllowed: return u"invalid_request_error"_s;
    case K::InvalidApiKey: return u"authentication_error"_s;
    case K::PermissionDenied:
    case K::UpstreamRejected: return u"permission_error"_s;
    case K::NotFound:
    case K::ModelNotFound: return u"not_found_error"_s;
    case K::PayloadTooLarge: return u"request_too_large"_s;
    case K::RateLimited: return u"rate_limit_error"_s;
    case K::UpstreamTimeout: return u"timeout_error"_s;
    case K::UpstreamBusy:
    case K::UpstreamUnavailable: return u"overloaded_error"_s;
    case K::Internal:
    case K::UpstreamError:
    case K::StreamError: return u"api_error"_s;
    }
    return u"api_error"_s;
}

int AnthropicError::status(const ApiError &error)
{
    // Z.AI out of capacity (its concurrency answers) or out of reach is what Anthropic calls
    // overloaded: 529, which the Anthropic SDKs and Claude Code retry. The other kinds keep
    // their status.
    if (error.kind() == ApiError::Kind::UpstreamBusy
        || error.kind() == ApiError::Kind::UpstreamUnavailable)
        return 529;
    return error.status();
}

QJsonObject AnthropicError::json(const ApiError &error)
{
    return QJsonObject{{u"type"_s, u"error"_s},
                       {u"error"_s,
                        QJsonObject{{u"type"_s, type(error)}, {u"message"_s, error.message()}}}};
}

QByteArray AnthropicError::body(const ApiError &error)
{
    return QJsonDocument(json(error)).toJson(QJsonDocument::Compact);
}
