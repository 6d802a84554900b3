// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// Every failure the bridge can report, in no client's dialect: a kind, a message for people, the
// request field it concerns and a machine-readable code. Each kind has one default HTTP status
// here; each dialect writes the body (and may choose its own status, as Anthropic's 529).
class ApiError
{
public:
    enum class Kind {
        None,
        InvalidRequest,        // 400: bad JSON, wrong types, missing fields, unsupported values
        ContextLengthExceeded, // 400 context_length_exceeded
        InvalidApiKey,         // 401
        PermissionDenied,      // 403: e.g. DNS-rebinding guard, upstream model not allowed
        NotFound,              // 404: unknown path
        ModelNotFound,         // 404 model_not_found
        MethodNotAllowed,      // 405
        PayloadTooLarge,       // 413
        RateLimited,           // 429 (upstream rate limit after retries)
        UpstreamBusy,          // 429: Z.AI's concurrency or capacity answers after retries
                               // (Anthropic's overloaded_error, 529)
        Internal,              // 500
        UpstreamError,         // 502: upstream answered with something we cannot use
        UpstreamUnavailable,   // 503: upstream unreachable
        UpstreamTimeout,       // 504
        UpstreamRejected,      // 403: permanent upstream refusal (WAF, tokens all rejected)
        StreamError,           // only as an in-stream event after the first byte
    };

    ApiError() = default;
    ApiError(Kind kind, QString message, QString param = {}, QString code = {});

    static ApiError invalidRequest(const QString &message, const QString &param = {},
                                   const QString &code = {});
    // Two upstream failures that a retry cannot fix, worded the same whichever client met them.
    // A proxy that wants other credentials (`proxy`: "host:port", or empty when not known):
    static ApiError proxyRefusedCredentials(const QString &proxy, bool socks, const QString &host);
    // A TLS certificate the system does not trust (or that does not match the host):
    static ApiError tlsCertificateRejected(const QString &host, const QString &reason);

    bool isError() const { return m_kind != Kind::None; }
    Kind kind() const { return m_kind; }
    const QString &message() const { return m_message; }
    const QString &param() const { return m_param; }
    QString code() const;
    int status() const;

    // Seconds a client should wait before retrying (Retry-After); 0 when not applicable.
    int retryAfterSeconds() const { return m_retryAfter; }
    void setRetryAfterSeconds(int seconds) { m_retryAfter = seconds; }

private:
    Kind m_kind = Kind::None;
    QString m_message;
    QString m_param;
    QString m_code;
    int m_retryAfter = 0;
};
