// SPDX-License-Identifier: MIT
#include "UpstreamCheck.h"

#include "FeVersionProvider.h"
#include "ModelListing.h"
#include "net/NetworkPool.h"
#include "TokenPool.h"
#include "TokenProbe.h"
#include "ZaiClient.h"
#include "ZaiCompletion.h"

#include <QHash>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kStepTimeoutMs = 30000;

QString statusText(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return status != 0 ? u"HTTP %1"_s.arg(status) : reply->errorString();
}

} // namespace

UpstreamCheck::UpstreamCheck(BridgeConfig config, UpstreamProfile profile, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_profile(std::move(profile))
{
    // One try per step: the check says what happened instead of hiding it behind retries.
    m_config.maxRetries = 0;
    m_config.upstreamTimeoutMs = qMin(m_config.upstreamTimeoutMs, 60000);
    QJsonObject json = m_profile.json();
    json.insert(u"modelsRefreshSeconds"_s, 0); // the check reads the list itself
    QString error;
    if (auto quiet = UpstreamProfile::fromJson(json, &error))
        m_profile = *quiet;
    m_client = new ZaiClient(m_config, m_profile, this);
}

UpstreamCheck::~UpstreamCheck()
{
    // Nothing is reported once the check is gone.
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    delete m_completion;
}

void UpstreamCheck::setCaptchaSource(CaptchaSource *source)
{
    m_client->setCaptchaSource(source);
}

QString UpstreamCheck::stepName(Step step)
{
    switch (step) {
    case Step::Landing: return tr("landing page");
    case Step::Token: return tr("token");
    case Step::Models: return tr("models");
    case Step::Captcha: return tr("captcha");
    case Step::Completion: return tr("completion");
    }
    return {};
}

QString UpstreamCheck::format(const Result &result)
{
    QString line = (!result.known ? u"-     "_s : result.ok ? u"ok    "_s : u"FAIL  "_s)
                   + stepName(result.step) + u": "_s + result.text;
    if (!result.hint.isEmpty())
        line += u"\n      "_s + tr("to change: %1").arg(result.hint);
    return line;
}

void UpstreamCheck::report(Step step, bool ok, const QString &text, const QString &hint)
{
    // Core messages carry no token already; a configured one is taken out all the same.
    QString safe = text;
    for (const QString &token : std::as_const(m_config.tokens)) {
        if (!token.isEmpty())
            safe.replace(token, u"[redacted]"_s);
    }
    Q_EMIT stepFinished(Result{step, ok, true, safe, hint});
}

void UpstreamCheck::reportUnknown(Step step, const QString &text)
{
    Q_EMIT stepFinished(Result{step, false, false, text, {}});
}

void UpstreamCheck::start()
{
    checkLanding();
}

void UpstreamCheck::checkLanding()
{
    const QUrl url = m_client->builder().url(u"landing"_s);
    QNetworkRequest request(url);
    for (const auto &[name, value] : m_profile.headers())
        request.setRawHeader(name, value);
    request.setTransferTimeout(kStepTimeoutMs);
    QNetworkReply *reply = m_client->network()->manager()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString html = QString::fromUtf8(reply->readAll());
        const QString version =
            FeVersionProvider::highestVersion(html, m_profile.feVersionPattern());
        const QString fallback =
            m_config.feVersion.isEmpty() ? m_profile.feVersionFallback() : m_config.feVersion;
        if (reply->error() == QNetworkReply::NoError && status == 200 && !version.isEmpty()) {
            report(Step::Landing, true,
                   tr("%1 answered HTTP 200; FE version %2").arg(url.toString(), version));
        } else if (status == 200) {
            report(Step::Landing, false,
                   tr("%1 answered, but the page names no FE version; completions will send "
                      "%2, which Z.AI may refuse as outdated")
                       .arg(url.toString(), fallback),
                   tr("the profile key feVersionPattern, or ZAI_FE_VERSION"));
        } else {
            report(Step::Landing, false,
                   tr("%1 answered %2; completions will send the FE version %3")
                       .arg(url.toString(), statusText(reply), fallback),
                   status == 405 ? tr("the profile keys headers and fingerprint (Z.AI's "
                                      "firewall refused the browser's request)")
                   : status == 0 ? tr("the network: HTTP_PROXY, HTTPS_PROXY or the endpoint "
                                      "(API_ENDPOINT)")
                                 : tr("the profile key paths.landing"));
        }
        checkToken();
    });
}

void UpstreamCheck::checkToken()
{
    m_client->tokens()->acquire({}, this, [this](std::optional<TokenLease> lease, ApiError error) {
        if (!lease) {
            report(Step::Token, false, error.message(),
                   m_config.tokens.isEmpty() ? tr("ZAI_TOKEN (guests may be turned off), or "
                                                  "the profile key paths.auths")
                                             : tr("ZAI_TOKEN"));
            checkCompletion(); // says why it cannot be sent
            return;
        }
        const TokenLease held = *lease;
        m_client->tokens()->release(held);
        if (held.guest) {
            report(Step::Token, true,
                   tr("a guest token from Z.AI (no ZAI_TOKEN set; guests get GLM-4.7 only)"));
            checkModels(held);
            return;
        }
        auto *probe = new TokenProbe(m_client->network()->manager(), m_profile,
                                     m_client->builder().origin().toString(), this);
        probe->probe(held.token, kStepTimeoutMs, [this, probe, held](const TokenProbe::Result &r) {
            probe->deleteLater();
            const bool ok = r.outcome == TokenProbe::Outcome::Accepted;
            report(Step::Token, ok, r.message,
                   ok ? QString() : tr("ZAI_TOKEN: copy a fresh token, or sign in in the Z.AI "
                                       "window"));
            checkModels(held);
        });
    });
}

void UpstreamCheck::checkModels(const TokenLease &lease)
{
    QNetworkRequest request = m_client->builder().modelList(lease);
    request.setTransferTimeout(kStepTimeoutMs);
    QNetworkReply *reply = m_client->network()->manager()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        ModelListing::Defaults defaults;
        defaults.idPrefix = m_profile.listedModelsPrefix();
        QString why;
        std::optional<QList<ModelEntry>> listed;
        if (reply->error() == QNetworkReply::NoError && status == 200)
            listed = ModelListing::parse(reply->readAll(), defaults, &why);
        else
            why = statusText(reply);
        if (listed) {
            QStringList ids;
            for (const ModelEntry &e : std::as_const(*listed)) {
                if (!ids.contains(e.upstreamId))
                    ids.append(e.upstreamId);
            }
            report(Step::Models, true, tr("Z.AI lists %n model(s): %1", nullptr, int(ids.size()))
                                           .arg(ids.join(u", "_s)));
        } else {
            report(Step::Models, false,
                   tr("%1 could not be read (%2); the bridge offers its built-in catalogue")
                       .arg(reply->url().path(), why),
                   tr("the profile key paths.models"));
        }
        checkCompletion();
    });
}

void UpstreamCheck::checkCompletion()
{
    const ModelEntry *model = m_client->catalogue().find(m_modelName);
    if (!model && !m_client->catalogue().entries().isEmpty())
        model = &m_client->catalogue().entries().first();
    if (!model) {
        report(Step::Completion, false, tr("the upstream profile lists no model"),
               tr("the profile key models"));
        Q_EMIT finished(false);
        return;
    }
    Conversation conversation;
    conversation.model = model->id;
    Message message;
    message.parts.append(ContentPart(ContentPart::Type::Text,
                                     u"Reply with the single word: ok"_s));
    conversation.messages.append(message);
    conversation.enableThinking = false;
    m_completion = new ZaiCompletion(m_client, conversation, *model);
    m_clock.start();
    const QString modelId = model->id;
    connect(m_completion, &ZaiCompletion::output, this,
            [this](const QString &, const QString &content) { m_answer += content; });
    connect(m_completion, &ZaiCompletion::finished, this, [this, modelId] {
        report(Step::Captcha, true,
               m_client->captchaExpected() && m_client->captchaSource()
                   ? tr("%1 gave a verify parameter; Z.AI accepted it")
                         .arg(m_client->captchaSource()->describe())
                   : tr("Z.AI did not ask for one"));
        const QString answer = m_answer.simplified();
        report(Step::Completion, true,
               tr("%1 answered \"%2\" in %3 s")
                   .arg(modelId, answer.size() > 60 ? answer.left(60) + u"…"_s : answer)
                   .arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1));
        Q_EMIT finished(true);
    });
    connect(m_completion, &ZaiCompletion::failed, this, [this](const ApiError &error, bool) {
        const bool captcha = error.code().startsWith(u"captcha_"_s);
        if (captcha) {
            report(Step::Captcha, false, error.message(), hintFor(error.code()));
            report(Step::Completion, false, tr("not answered: Z.AI wants a captcha first"));
        } else if (m_client->captchaExpected() && m_client->captchaSource()) {
            report(Step::Captcha, true, tr("%1 gave a verify parameter")
                                            .arg(m_client->captchaSource()->describe()));
            report(Step::Completion, false, error.message(), hintFor(error.code()));
        } else {
            reportUnknown(Step::Captcha,
                          tr("not known: the completion failed before Z.AI asked for one"));
            report(Step::Completion, false, error.message(), hintFor(error.code()));
        }
        Q_EMIT finished(false);
    });
    m_completion->start();
}

QString UpstreamCheck::hintFor(const QString &code) const
{
    // What to change for each error code of the core (ApiError::code()), when something can be.
    static const QHash<QString, const char *> hints = {
        {u"upstream_signature_rejected"_s,
         QT_TR_NOOP("the profile key signingSecret, or ZAI_SIGNING_SECRET")},
        {u"upstream_version_rejected"_s,
         QT_TR_NOOP("the profile keys feVersionPattern and feVersionFallback, or ZAI_FE_VERSION; "
                    "also headers (X-Device-Id, as P.13 of the protocol notes)")},
        {u"waf_blocked"_s,
         QT_TR_NOOP("the profile keys headers, query and fingerprint (the browser's request)")},
        {u"upstream_bad_request"_s,
         QT_TR_NOOP("the completion body: the profile key messages.mode, or a field Z.AI no "
                    "longer takes")},
        {u"upstream_stream_error"_s,
         QT_TR_NOOP("the profile key messages.mode (Z.AI may refuse roles other than user)")},
        {u"upstream_token_rejected"_s,
         QT_TR_NOOP("ZAI_TOKEN: copy a fresh token, or sign in in the Z.AI window")},
        {u"login_required"_s, QT_TR_NOOP("ZAI_TOKEN: an account token (sign in in the Z.AI window)")},
        {u"model_not_available"_s,
         QT_TR_NOOP("ZAI_TOKEN: an account token (sign in in the Z.AI window)")},
        {u"captcha_required"_s, QT_TR_NOOP("ZAI_CAPTCHA_COMMAND, or the Z.AI window of the tray app")},
        {u"captcha_rejected"_s,
         QT_TR_NOOP("the profile keys captcha.field, captcha.prefix and captcha.sceneId")},
        {u"upstream_unreachable"_s,
         QT_TR_NOOP("the network: HTTP_PROXY, HTTPS_PROXY or the endpoint (API_ENDPOINT)")},
        {u"proxy_error"_s,
         QT_TR_NOOP("the network: HTTP_PROXY, HTTPS_PROXY or the endpoint (API_ENDPOINT)")},
        {u"rate_limit_exceeded"_s,
         QT_TR_NOOP("nothing: Z.AI is busy for this account; try again later or add a token")},
    };
    const char *hint = hints.value(code);
    return hint ? tr(hint) : QString();
}
