// SPDX-License-Identifier: MIT
#include "ZaiCompletion.h"

#include "CaptchaSource.h"
#include "FeVersionProvider.h"
#include "ImageInput.h"
#include "ImageUploader.h"
#include "util/Logging.h"
#include "net/NetworkPool.h"
#include "util/Redact.h"
#include "net/UpstreamHttp.h"
#include "ZaiClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace {

// Z.AI's words for "this account has too many answers running" (zai-protocol.md 6.6 and 10):
// treated like HTTP 429, another token first, then a back-off.
bool isConcurrencyLimit(const QString &code, const QString &detail)
{
    return code == u"429" || code.compare(u"MODEL_CONCURRENCY_LIMIT"_s, Qt::CaseInsensitive) == 0
           || detail.contains(u"concurrency"_s, Qt::CaseInsensitive)
           || detail.contains(u"concurrent conversation limit"_s, Qt::CaseInsensitive)
           || detail.contains(u"currently at capacity"_s, Qt::CaseInsensitive)
           || detail.contains(u"并发"_s);
}

} // namespace

ZaiCompletion::ZaiCompletion(ZaiClient *client, Conversation request, ModelEntry model,
                             QObject *parent)
    : QObject(parent), m_client(client), m_request(std::move(request)), m_model(std::move(model)),
      m_retriesLeft(client->config().maxRetries)
{
    m_switches = ZaiRequestBuilder::switchesFor(m_request, m_model);
    m_backoff.setSingleShot(true);
    connect(&m_backoff, &QTimer::timeout, this, &ZaiCompletion::attempt);
    m_captchaWait.setSingleShot(true);
    connect(&m_captchaWait, &QTimer::timeout, this, [this] {
        const QString source = m_client->captchaSource() ? m_client->captchaSource()->describe()
                                                         : u"the captcha source"_s;
        withdrawCaptcha();
        fail(CaptchaGate::timedOut(m_captchaAnswer, source,
                                   m_client->profile().captcha().waitSeconds));
    });
}

ZaiCompletion::~ZaiCompletion()
{
    abort();
}

void ZaiCompletion::start()
{
    attempt();
}

void ZaiCompletion::abort()
{
    m_ended = true;
    m_backoff.stop();
    withdrawCaptcha();
    endAttempt();
}

void ZaiCompletion::endAttempt(End how)
{
    if (m_reply) {
        UpstreamReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        m_aborting = true;
        if (how == End::Complete)
            reply->release(); // what follows the done event is read, the connection kept
        else
            reply->abort();
        m_aborting = false;
        reply->deleteLater();
    }
    if (m_lease) {
        m_client->tokens()->release(*m_lease);
        m_lease.reset();
    }
}

void ZaiCompletion::attempt()
{
    if (m_ended)
        return;
    if (m_captchaParam.isEmpty() && m_client->captchaExpected() && m_client->captchaSource()) {
        // Z.AI wants a verify parameter with every completion: get it before a token is leased,
        // so nobody's token waits for a human.
        m_captchaParam = m_client->reusableCaptcha();
        if (m_captchaParam.isEmpty()) {
            CaptchaGate::Answer expected;
            expected.code = u"FRONTEND_CAPTCHA_REQUIRED"_s;
            expected.detail = u"Z.AI asks for a captcha with every completion"_s;
            obtainCaptcha(expected);
            return;
        }
    }
    ++m_attempts;
    m_ids = ZaiRequestBuilder::Ids::fresh();
    m_sse = SseParser();
    m_translator = StreamTranslator();
    m_errorBody.clear();
    m_client->tokens()->acquire(m_excludedTokens, this,
                                [this](std::optional<TokenLease> lease, ApiError error) {
                                    onToken(std::move(lease), error);
                                });
}

void ZaiCompletion::onToken(std::optional<TokenLease> lease, const ApiError &error)
{
    if (m_ended) {
        if (lease)
            m_client->tokens()->release(*lease);
        return;
    }
    if (!lease && !m_busyTokens.isEmpty()) {
        // Every token is excluded, some only for a rate limit (P.4: try another token, then back
        // off): the backoff has passed, so those may be used again.
        for (const QString &token : std::as_const(m_busyTokens))
            m_excludedTokens.remove(token);
        m_busyTokens.clear();
        m_client->tokens()->acquire(m_excludedTokens, this,
                                    [this](std::optional<TokenLease> again, ApiError e) {
                                        onToken(std::move(again), e);
                                    });
        return;
    }
    if (!lease) {
        handleVerdict({error,
                       error.kind() == ApiError::Kind::UpstreamUnavailable ? Action::Retry
                                                                           : Action::Fail});
        return;
    }
    m_lease = lease;
    m_lastTokenLabel = lease->label;
    m_client->feVersion()->get(this, [this](const QString &version) {
        if (m_ended || !m_lease)
            return;
        m_feVersion = version;
        uploadImages();
    });
}

void ZaiCompletion::uploadImages()
{
    const auto next = [this] {
        if (m_model.persisted)
            createChat();
        else
            sendCompletion();
    };
    if (ImageInput::imageCount(m_request) == 0) {
        next();
        return;
    }
    // Files belong to the account that uploads them, so every attempt's lease uploads (the
    // uploader's cache makes that free when the account already has them).
    const int attempt = m_attempts;
    m_client->images()->prepare(
        m_request, *m_lease, this, [this, attempt, next](const ImageUploader::Result &result) {
            if (m_ended || attempt != m_attempts || !m_lease)
                return;
            if (result.error.isError()) {
                using R = ImageUploader::Result::Retry;
                handleVerdict({result.error, result.retry == R::OtherToken ? Action::RetryOtherToken
                                             : result.retry == R::SameToken ? Action::Retry
                                                                            : Action::Fail});
                return;
            }
            ImageUploader::apply(m_request, result);
            next();
        });
}

UpstreamReply *ZaiCompletion::post(const UpstreamRequest &request, const QByteArray &body)
{
    UpstreamReply *reply = m_client->network()->http()->post(
        request, body, m_client->config().upstreamTimeoutMs, this);
    m_reply = reply;
    connect(reply, &UpstreamReply::finished, this, &ZaiCompletion::onReplyFinished);
    return reply;
}

void ZaiCompletion::createChat()
{
    QByteArray body;
    const UpstreamRequest request =
        m_client->builder().chatsNew(m_request, m_model, *m_lease, m_ids, m_switches, &body);
    m_replyIsChat = true;
    post(request, body);
    qCDebug(lcUpstream).noquote() << "POST chats/new for" << m_model.upstreamId << "with"
                                  << m_lease->label;
}

void ZaiCompletion::sendCompletion()
{
    QByteArray body;
    // A verify parameter goes with one completion: a retry asks for a new one.
    m_ids.captchaVerifyParam = std::exchange(m_captchaParam, {});
    m_sentCaptcha = m_ids.captchaVerifyParam;
    const UpstreamRequest request = m_client->builder().completion(
        m_request, m_model, *m_lease, m_ids, m_switches, m_feVersion, &body);
    m_replyIsChat = false;
    UpstreamReply *reply = post(request, body);
    connect(reply, &UpstreamReply::readyRead, this, &ZaiCompletion::onReadyRead);
    qCDebug(lcUpstream).noquote() << "POST completion" << m_model.upstreamId << "attempt"
                                  << m_attempts << "with" << m_lease->label << "thinking"
                                  << m_switches.thinking << "search" << m_switches.search
                                  << "body" << body.size() << "bytes";
    if (lcUpstream().isDebugEnabled()) {
        qCDebug(lcUpstream).noquote()
            << "request body:" << Redact::bytes(body.left(4000), {m_lease->token});
    }
}

void ZaiCompletion::onReadyRead()
{
    UpstreamReply *reply = m_reply;
    if (!reply || m_ended)
        return;
    const int status = reply->status();
    if (status != 200) {
        // Keep a bounded piece of the error page for the message.
        m_errorBody += reply->read(qMax<qint64>(0, 64 * 1024 - m_errorBody.size()));
        reply->readAll();
        return;
    }
    m_sse.append(reply->readAll());
    // The first text of a burst of events leaves at once (the client's first byte waits for it);
    // the text of the events after it in the same burst leaves as one piece when the burst is
    // read, or earlier once kMergeLimit characters wait. Reasoning that follows answer text is
    // not merged in front of it.
    constexpr qsizetype kMergeLimit = 16 * 1024;
    StreamTranslator::Step merged;
    bool sentFirst = false;
    const auto sendMerged = [&] {
        if (merged.reasoning.isEmpty() && merged.content.isEmpty())
            return true;
        handleStep(std::exchange(merged, {}));
        return !m_ended && m_reply == reply;
    };
    QByteArrayView event;
    while (m_sse.next(&event)) {
        if (lcUpstream().isDebugEnabled())
            qCDebug(lcUpstream).noquote()
                << "event:"
                << Redact::bytes(event.first(qMin<qsizetype>(event.size(), 2000)).toByteArray(),
                                 m_lease ? QStringList{m_lease->token} : QStringList{});
        StreamTranslator::Step step = m_translator.feed(event);
        const bool hasText = !step.reasoning.isEmpty() || !step.content.isEmpty();
        if (sentFirst && !step.done && !step.error) {
            if (!step.reasoning.isEmpty() && !merged.content.isEmpty() && !sendMerged())
                return;
            merged.reasoning += step.reasoning;
            merged.content += step.content;
            if (merged.reasoning.size() + merged.content.size() >= kMergeLimit && !sendMerged())
                return;
            continue;
        }
        if (!sendMerged())
            return;
        handleStep(step);
        if (m_ended || m_reply != reply)
            return;
        sentFirst = sentFirst || hasText;
    }
    sendMerged();
}

void ZaiCompletion::handleStep(const StreamTranslator::Step &step)
{
    if (!step.reasoning.isEmpty() || !step.content.isEmpty()) {
        m_outputStarted = true;
        Q_EMIT output(step.reasoning, step.content);
        if (m_ended)
            return;
    }
    if (step.error) {
        handleVerdict(verdictForStreamError(*step.error));
        return;
    }
    if (step.done)
        complete();
}

void ZaiCompletion::complete()
{
    if (m_ended)
        return;
    if (!m_outputStarted) {
        handleVerdict({ApiError(ApiError::Kind::UpstreamError,
                                u"Z.AI ended the answer without any text."_s, {},
                                u"empty_upstream_answer"_s),
                       Action::Retry});
        return;
    }
    const std::optional<TokenUsage> usage = m_translator.usage();
    if (m_lease)
        m_client->tokens()->reportSuccess(*m_lease);
    if (!m_sentCaptcha.isEmpty())
        m_client->keepCaptcha(m_sentCaptcha, m_captchaObtainedAt);
    m_ended = true;
    endAttempt(End::Complete);
    m_client->recordOutcome(true);
    Q_EMIT finished(usage);
}

void ZaiCompletion::fail(const ApiError &error)
{
    if (m_ended)
        return;
    m_ended = true;
    m_backoff.stop();
    withdrawCaptcha();
    endAttempt();
    m_client->recordOutcome(false);
    qCWarning(lcUpstream).noquote() << "upstream call failed after" << m_attempts
                                    << "attempt(s):" << error.message();
    Q_EMIT failed(error, m_outputStarted);
}

void ZaiCompletion::onReplyFinished()
{
    UpstreamReply *reply = m_reply;
    if (!reply || m_ended || m_aborting)
        return;
    const int status = reply->status();

    if (m_replyIsChat) {
        const QByteArray body = reply->readAll();
        if (reply->error() == UpstreamReply::Error::None && status == 200) {
            const QJsonObject json = QJsonDocument::fromJson(body).object();
            QString id = json.value(u"id"_s).toString();
            if (id.isEmpty())
                id = json.value(u"chat"_s).toObject().value(u"id"_s).toString();
            if (!id.isEmpty()) {
                reply->deleteLater();
                m_reply = nullptr;
                m_ids.chatId = id;
                sendCompletion();
                return;
            }
            handleVerdict({ApiError(ApiError::Kind::UpstreamError,
                                    u"Z.AI did not return a chat id from chats/new."_s),
                           Action::Retry});
            return;
        }
        handleVerdict(status != 0 ? verdictForHttp(reply, status, body) : verdictForNetwork(reply));
        return;
    }

    if (status != 0 && status != 200) {
        m_errorBody += reply->readAll();
        handleVerdict(verdictForHttp(reply, status, m_errorBody));
        return;
    }
    if (reply->error() != UpstreamReply::Error::None) {
        handleVerdict(verdictForNetwork(reply));
        return;
    }
    for (const QByteArray &event : m_sse.finish()) {
        handleStep(m_translator.feed(event));
        if (m_ended)
            return;
    }
    // Z.AI always ends an answer with a done event. A stream that just stops was cut off, so it
    // must not pass for a finished answer.
    handleVerdict({ApiError(ApiError::Kind::UpstreamError,
                            u"Z.AI closed the stream before the answer was complete."_s, {},
                            u"upstream_connection_closed"_s),
                   Action::Retry});
}

void ZaiCompletion::handleVerdict(const Verdict &verdict)
{
    if (m_ended)
        return;
    m_lastError = verdict.error;
    if (m_outputStarted) {
        // Too late to retry: the client has part of the answer. End it with an error event.
        ApiError error(ApiError::Kind::StreamError, verdict.error.message(), {},
                       verdict.error.code());
        fail(error);
        return;
    }
    Action action = verdict.action;
    if (action == Action::Captcha) {
        handleCaptchaVerdict(*verdict.captcha);
        return;
    }
    if (action == Action::RefreshVersion) {
        if (m_versionRefreshed) {
            action = Action::Fail;
        } else {
            m_versionRefreshed = true;
            m_client->feVersion()->invalidate();
        }
    }
    if (action == Action::RetryOtherToken && m_lease) {
        m_excludedTokens.insert(m_lease->token);
        if (verdict.error.kind() == ApiError::Kind::RateLimited
            || verdict.error.kind() == ApiError::Kind::UpstreamBusy) {
            m_busyTokens.insert(m_lease->token);
            m_client->tokens()->reportBusy(*m_lease);
        } else {
            m_busyTokens.remove(m_lease->token);
            m_client->tokens()->reportUnauthorized(*m_lease);
        }
    }
    if (action == Action::Fail || m_retriesLeft <= 0) {
        fail(verdict.error);
        return;
    }
    --m_retriesLeft;
    endAttempt();
    int delay = verdict.delayMs;
    if (delay < 0) {
        const int exponent = qMin(m_attempts - 1, 4);
        delay = (250 << exponent) + int(QRandomGenerator::global()->bounded(100));
    }
    qCInfo(lcUpstream).noquote() << "retrying upstream call in" << delay << "ms:"
                                 << verdict.error.message();
    m_backoff.start(delay);
}

void ZaiCompletion::handleCaptchaVerdict(const CaptchaGate::Answer &answer)
{
    // Never retried blindly (P.11): the next attempt carries a new verify parameter, or the
    // client learns at once why there is none.
    m_client->noteCaptchaAsked();
    if (!m_sentCaptcha.isEmpty()) {
        m_client->forgetCaptcha(m_sentCaptcha);
        ++m_captchaRefusals;
    }
    CaptchaSource *source = m_client->captchaSource();
    if (!source) {
        qCWarning(lcUpstream).noquote()
            << "Z.AI asked for a captcha and no captcha source is set:" << answer.describe();
        m_client->reportCaptchaWithoutSource(answer.describe());
        fail(CaptchaGate::noSource(answer));
        return;
    }
    if (m_captchaRefusals >= 2) {
        fail(CaptchaGate::rejected(answer, source->describe()));
        return;
    }
    endAttempt();
    obtainCaptcha(answer);
}

void ZaiCompletion::obtainCaptcha(const CaptchaGate::Answer &answer)
{
    CaptchaSource *source = m_client->captchaSource();
    m_captchaAnswer = answer;
    if (!source) {
        fail(CaptchaGate::noSource(answer));
        return;
    }
    qCInfo(lcUpstream).noquote() << "asking" << source->describe()
                                 << "for a captcha verify parameter:" << answer.describe();
    CaptchaTicket *ticket = source->obtain(m_client->captchaAsk(answer.describe()), this);
    m_captchaTicket = ticket;
    connect(ticket, &CaptchaTicket::ready, this, &ZaiCompletion::onCaptcha);
    connect(ticket, &CaptchaTicket::failed, this, [this, name = source->describe()](
                                                      const QString &message) {
        withdrawCaptcha();
        fail(CaptchaGate::refused(m_captchaAnswer, name, message));
    });
    connect(ticket, &CaptchaTicket::waitingForUser, this, [name = source->describe()] {
        qCInfo(lcUpstream).noquote() << "waiting for the user to solve the captcha in" << name;
    });
    m_captchaWait.start(m_client->profile().captcha().waitSeconds * 1000);
}

void ZaiCompletion::onCaptcha(const QString &verifyParam)
{
    if (m_ended)
        return;
    withdrawCaptcha();
    if (verifyParam.isEmpty()) {
        fail(CaptchaGate::refused(m_captchaAnswer, m_client->captchaSource()
                                                       ? m_client->captchaSource()->describe()
                                                       : u"the captcha source"_s,
                                  u"it gave an empty verify parameter"_s));
        return;
    }
    m_captchaParam = verifyParam;
    m_captchaObtainedAt = QDateTime::currentDateTimeUtc();
    attempt();
}

void ZaiCompletion::withdrawCaptcha()
{
    m_captchaWait.stop();
    if (CaptchaTicket *ticket = m_captchaTicket) {
        m_captchaTicket = nullptr;
        ticket->disconnect(this);
        delete ticket;
    }
}

ApiError ZaiCompletion::loginRequired(const QString &detail) const
{
    return ApiError(ApiError::Kind::PermissionDenied,
                    u"Z.AI offers %1 to signed-in accounts only, not to guests (Z.AI said: %2). "
                    u"Sign in to Z.AI in the tray app's Z.AI window, or add a Z.AI account token "
                    u"(ZAI_TOKEN or the settings)."_s.arg(m_model.id, detail),
                    {}, u"login_required"_s);
}

QString ZaiCompletion::detailOf(const QByteArray &body) const
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('<'))
        return u"an HTML page"_s;
    const QJsonObject json = QJsonDocument::fromJson(trimmed).object();
    QString detail;
    if (json.value(u"detail"_s).isString())
        detail = json.value(u"detail"_s).toString();
    else if (json.value(u"error"_s).isObject())
        detail = json.value(u"error"_s).toObject().value(u"message"_s).toString();
    else if (json.value(u"message"_s).isString())
        detail = json.value(u"message"_s).toString();
    else
        detail = QString::fromUtf8(trimmed.left(300));
    if (detail.size() > 300)
        detail = detail.left(300) + u"…"_s;
    return Redact::text(detail, m_lease ? QStringList{m_lease->token} : QStringList{});
}

ZaiCompletion::Verdict ZaiCompletion::verdictForHttp(const UpstreamReply *reply, int status,
                                                     const QByteArray &body) const
{
    using K = ApiError::Kind;
    // A plain-HTTP request through a proxy: the 407 is the proxy's, not Z.AI's.
    if (status == 407 && !reply->proxyName().isEmpty())
        return proxyRefusedCredentials(reply);
    if (const auto captcha = CaptchaGate::answerOfBody(body))
        return {CaptchaGate::noSource(*captcha), Action::Captcha, 0, captcha};
    const QByteArray retryAfter = reply->header("Retry-After");
    const QString detail = detailOf(body);
    const QString what = m_replyIsChat ? u"chat creation"_s : u"the completion request"_s;
    // Z.AI's concurrency answers are a 429 whatever their status says (zai-protocol.md 10).
    switch (isConcurrencyLimit({}, detail) ? 429 : status) {
    case 400:
        if (body.contains("Signature") || body.contains("签名"))
            return {ApiError(K::UpstreamError,
                             u"Z.AI rejected the request signature (HTTP 400: %1). Z.AI may have "
                             u"changed its signing secret: update ZAI_SIGNING_SECRET or the "
                             u"upstream profile."_s.arg(detail),
                             {}, u"upstream_signature_rejected"_s),
                    Action::Fail};
        return {ApiError(K::UpstreamError,
                         u"Z.AI rejected %1 (HTTP 400): %2"_s.arg(what, detail), {},
                         u"upstream_bad_request"_s),
                Action::Fail};
    case 401:
        return {ApiError(K::UpstreamRejected,
                         u"Z.AI rejected the account token (HTTP 401: %1). Check ZAI_TOKEN: "
                         u"copy a fresh token from chat.z.ai."_s.arg(detail),
                         {}, u"upstream_token_rejected"_s),
                Action::RetryOtherToken, 0};
    case 403:
        if (m_lease && m_lease->guest && detail.contains(u"not available"_s, Qt::CaseInsensitive))
            return {loginRequired(detail), Action::Fail};
        return {ApiError(K::UpstreamRejected,
                         u"Z.AI refused %1 (HTTP 403): %2"_s.arg(what, detail), {},
                         u"upstream_forbidden"_s),
                Action::Fail};
    case 405:
        return {ApiError(K::UpstreamRejected,
                         u"Z.AI's firewall (Alibaba Cloud WAF) blocked the request (HTTP 405). "
                         u"This is not retried: wait a while, or change network or upstream "
                         u"profile headers."_s,
                         {}, u"waf_blocked"_s),
                Action::Fail};
    case 426:
        return {ApiError(K::UpstreamError,
                         u"Z.AI says this client version is outdated (HTTP 426: %1). Set "
                         u"ZAI_FE_VERSION or update the upstream profile."_s.arg(detail),
                         {}, u"upstream_version_rejected"_s),
                Action::RefreshVersion, 0};
    case 429: {
        ApiError error(isConcurrencyLimit({}, detail) ? K::UpstreamBusy : K::RateLimited,
                       u"Z.AI is limiting requests for this account (HTTP %1: %2)."_s.arg(status).arg(
                           detail),
                       {}, u"rate_limit_exceeded"_s);
        bool ok = false;
        const int seconds = retryAfter.trimmed().toInt(&ok);
        error.setRetryAfterSeconds(ok && seconds > 0 ? qMin(seconds, 600) : 30);
        return {error, Action::RetryOtherToken};
    }
    default: break;
    }
    if (status >= 500)
        return {ApiError(K::UpstreamError,
                         u"Z.AI failed with HTTP %1: %2"_s.arg(status).arg(detail), {},
                         u"upstream_server_error"_s),
                Action::Retry};
    return {ApiError(K::UpstreamError, u"Z.AI answered HTTP %1: %2"_s.arg(status).arg(detail), {},
                     u"upstream_unexpected_status"_s),
            Action::Fail};
}

ZaiCompletion::Verdict ZaiCompletion::verdictForNetwork(const UpstreamReply *reply) const
{
    using K = ApiError::Kind;
    using E = UpstreamReply::Error;
    const QString host = reply->url().host();
    // A failure through a proxy names the proxy rather than blaming Z.AI.
    const QString proxy = reply->proxyName();
    switch (reply->error()) {
    case E::Timeout:
        return {ApiError(K::UpstreamTimeout,
                         u"Z.AI (%1) did not answer within %2 seconds."_s.arg(host).arg(
                             m_client->config().upstreamTimeoutMs / 1000)),
                Action::Retry};
    case E::RemoteClosed:
        if (reply->status() != 0 || proxy.isEmpty())
            return {ApiError(K::UpstreamError,
                             u"Z.AI closed the connection before the answer was complete."_s, {},
                             u"upstream_connection_closed"_s),
                    Action::Retry};
        break;
    case E::ProxyAuthenticationFailed: return proxyRefusedCredentials(reply);
    case E::Tls: // a certificate check failed; other handshake failures are Network errors
        return {ApiError::tlsCertificateRejected(host, reply->errorString()), Action::Fail};
    default: break;
    }
    if (!proxy.isEmpty()) {
        return {ApiError(K::UpstreamUnavailable,
                         u"Could not reach Z.AI (%1) through the proxy %2: %3"_s.arg(
                             host, proxy, reply->errorString()),
                         {}, u"proxy_error"_s),
                Action::Retry};
    }
    return {ApiError(K::UpstreamUnavailable,
                     u"Could not reach Z.AI (%1): %2"_s.arg(host, reply->errorString()), {},
                     u"upstream_unreachable"_s),
            Action::Retry};
}

// The proxy wants credentials that HTTP_PROXY / HTTPS_PROXY do not give, or refuses the ones they
// give: retrying with the same credentials cannot help.
ZaiCompletion::Verdict ZaiCompletion::proxyRefusedCredentials(const UpstreamReply *reply) const
{
    return {ApiError::proxyRefusedCredentials(reply->proxyName(), reply->proxyIsSocks(),
                                              reply->url().host()),
            Action::Fail};
}

ZaiCompletion::Verdict ZaiCompletion::verdictForStreamError(const UpstreamStreamError &e) const
{
    using K = ApiError::Kind;
    if (const auto captcha = CaptchaGate::answerOf(e))
        return {CaptchaGate::noSource(*captcha), Action::Captcha, 0, captcha};
    const QString detail =
        Redact::text(e.detail.left(300), m_lease ? QStringList{m_lease->token} : QStringList{});
    if (e.code == u"426" || detail.contains(u"outdated"_s) || detail.contains(u"版本"_s))
        return {ApiError(K::UpstreamError,
                         u"Z.AI says this client version is outdated: %1"_s.arg(detail), {},
                         u"upstream_version_rejected"_s),
                Action::RefreshVersion, 0};
    if (e.code == u"401")
        return {ApiError(K::UpstreamRejected, u"Z.AI rejected the account token: %1"_s.arg(detail),
                         {}, u"upstream_token_rejected"_s),
                Action::RetryOtherToken, 0};
    if (isConcurrencyLimit(e.code, detail)) {
        ApiError error(K::UpstreamBusy, u"Z.AI is limiting requests: %1"_s.arg(detail), {},
                       u"rate_limit_exceeded"_s);
        error.setRetryAfterSeconds(30);
        return {error, Action::RetryOtherToken};
    }
    if (e.code == u"403" || detail.contains(u"not available"_s, Qt::CaseInsensitive)) {
        // Guests get GLM-4.7 only (zai-protocol.md 10): signing in is what helps, not a retry.
        if (m_lease && m_lease->guest)
            return {loginRequired(detail), Action::Fail};
        return {ApiError(K::UpstreamRejected,
                         u"Z.AI refused %1 for this account: %2"_s.arg(m_model.id, detail), {},
                         u"model_not_available"_s),
                Action::Fail};
    }
    return {ApiError(K::UpstreamError,
                     u"Z.AI reported an error%1: %2"_s.arg(
                         e.code.isEmpty() ? QString() : u" ("_s + e.code + u')', detail),
                     {}, u"upstream_stream_error"_s),
            Action::Retry};
}
