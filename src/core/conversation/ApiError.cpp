// SPDX-License-Identifier: MIT
#include "ApiError.h"

using namespace Qt::StringLiterals;

ApiError::ApiError(Kind kind, QString message, QString param, QString code)
    : m_kind(kind), m_message(std::move(message)), m_param(std::move(param)),
      m_code(std::move(code))
{
}

ApiError ApiError::invalidRequest(const QString &message, const QString &param,
                                  const QString &code)
{
    return ApiError(Kind::InvalidRequest, message, param, code);
}

ApiError ApiError::proxyRefusedCredentials(const QString &proxy, bool socks, const QString &host)
{
    const QString which = proxy.isEmpty() ? QString() : u' ' + proxy;
    const QString message =
        socks ? QStringLiteral("The SOCKS5 proxy%1 refused the user name and password for the "
                               "connection to Z.AI (%2). Check them in HTTPS_PROXY / HTTP_PROXY "
                               "(or the proxy settings of the app), written "
                               "socks5://user:password@host:port with special characters "
                               "percent-encoded.")
                    .arg(which, host)
              : QStringLiteral("The proxy%1 refused the connection to Z.AI (%2): it requires "
                               "authentication (HTTP 407). Check the proxy's user name and "
                               "password (HTTPS_PROXY / HTTP_PROXY, or the proxy settings of the "
                               "app), written http://user:password@host:port with special "
                               "characters percent-encoded.")
                    .arg(which, host);
    return ApiError(Kind::UpstreamError, message, {}, QStringLiteral("proxy_error"));
}

ApiError ApiError::tlsCertificateRejected(const QString &host, const QString &reason)
{
    return ApiError(Kind::UpstreamError,
                    QStringLiteral("The TLS certificate of Z.AI (%1) was not accepted: %2. If a "
                                   "proxy or security software on this network inspects HTTPS, "
                                   "the system must trust its certificate authority.")
                        .arg(host, reason),
                    {}, QStringLiteral("upstream_tls_error"));
}

namespace {
struct KindInfo
{
    int status;
    const char16_t *defaultCode;
};

KindInfo infoFor(ApiError::Kind kind)
{
    using K = ApiError::Kind;
    switch (kind) {
    case K::None: return {200, nullptr};
    case K::InvalidRequest: return {400, nullptr};
    case K::ContextLengthExceeded: return {400, u"context_length_exceeded"};
    case K::InvalidApiKey: return {401, u"invalid_api_key"};
    case K::PermissionDenied: return {403, u"forbidden"};
    case K::NotFound: return {404, u"not_found"};
    case K::ModelNotFound: return {404, u"model_not_found"};
    case K::MethodNotAllowed: return {405, u"method_not_allowed"};
    case K::PayloadTooLarge: return {413, u"request_too_large"};
    case K::RateLimited:
    case K::UpstreamBusy: return {429, u"rate_limit_exceeded"};
    case K::Internal: return {500, u"internal_error"};
    case K::UpstreamError: return {502, u"bad_gateway"};
    case K::UpstreamUnavailable: return {503, u"upstream_unavailable"};
    case K::UpstreamTimeout: return {504, u"upstream_timeout"};
    case K::UpstreamRejected: return {403, u"upstream_rejected"};
    case K::StreamError: return {502, u"stream_error"};
    }
    return {500, nullptr};
}
} // namespace

int ApiError::status() const
{
    return infoFor(m_kind).status;
}

QString ApiError::code() const
{
    if (!m_code.isEmpty())
        return m_code;
    const auto *fallback = infoFor(m_kind).defaultCode;
    return fallback ? QString::fromUtf16(fallback) : QString();
}
