// SPDX-License-Identifier: MIT
#pragma once

#include "CaptchaGate.h"
#include "conversation/ApiError.h"
#include "conversation/Conversation.h"
#include "ModelCatalogue.h"
#include "net/SseParser.h"
#include "StreamTranslator.h"
#include "TokenPool.h"
#include "ZaiRequestBuilder.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class CaptchaTicket;
class UpstreamReply;
class ZaiClient;

// One client request's trip upstream: token, FE version, optional chats/new, the signed
// completion, and the stream translated into reasoning/content deltas. Failures before the first
// delta are retried (zai-protocol.md P.4); after it they end the answer with an error. Z.AI's
// captcha gate (P.11) is met with a verify parameter from the client's CaptchaSource, asked for
// before the first byte (a stream never starts before its captcha is settled), or with a 403.
class ZaiCompletion : public QObject
{
    Q_OBJECT
public:
    ZaiCompletion(ZaiClient *client, Conversation request, ModelEntry model,
                  QObject *parent = nullptr);
    ~ZaiCompletion() override;

    void start();
    // Cancels the upstream call (client gone, stop sequence or length reached). Emits nothing.
    void abort();

    int attempts() const { return m_attempts; }
    bool outputStarted() const { return m_outputStarted; }
    bool waitingForCaptcha() const { return !m_captchaTicket.isNull(); }
    QString tokenLabel() const { return m_lastTokenLabel; }
    const Conversation &request() const { return m_request; }
    const ModelEntry &model() const { return m_model; }

Q_SIGNALS:
    void output(const QString &reasoning, const QString &content);
    void finished(const std::optional<TokenUsage> &upstreamUsage);
    void failed(const ApiError &error, bool afterOutput);

private:
    enum class Action { Fail, Retry, RetryOtherToken, RefreshVersion, Captcha };
    struct Verdict
    {
        ApiError error;
        Action action = Action::Fail;
        int delayMs = -1; // -1: exponential backoff
        std::optional<CaptchaGate::Answer> captcha = std::nullopt; // for Action::Captcha
    };

    void attempt();
    // Asks the captcha source for a verify parameter, then attempts again; fails the request
    // when there is no source, the source fails or nobody answers within captcha.waitSeconds.
    void obtainCaptcha(const CaptchaGate::Answer &answer);
    void onCaptcha(const QString &verifyParam);
    void withdrawCaptcha();
    void handleCaptchaVerdict(const CaptchaGate::Answer &answer);
    void onToken(std::optional<TokenLease> lease, const ApiError &error);
    void uploadImages(); // then createChat() or sendCompletion()
    void createChat();
    void sendCompletion();
    void onReadyRead();
    void onReplyFinished();
    void handleStep(const StreamTranslator::Step &step);
    void handleVerdict(const Verdict &verdict);
    void complete();
    void fail(const ApiError &error);
    enum class End { Abort, Complete };
    void endAttempt(End how = End::Abort);
    UpstreamReply *post(const UpstreamRequest &request, const QByteArray &body);

    Verdict verdictForHttp(const UpstreamReply *reply, int status, const QByteArray &body) const;
    Verdict proxyRefusedCredentials(const UpstreamReply *reply) const;
    Verdict verdictForNetwork(const UpstreamReply *reply) const;
    Verdict verdictForStreamError(const UpstreamStreamError &error) const;
    QString detailOf(const QByteArray &body) const;
    // A guest asked for a model Z.AI keeps for accounts: 403 login_required, saying how to sign in.
    ApiError loginRequired(const QString &detail) const;

    ZaiClient *m_client;
    Conversation m_request;
    ModelEntry m_model;
    ZaiRequestBuilder::Switches m_switches;
    ZaiRequestBuilder::Ids m_ids;
    std::optional<TokenLease> m_lease;
    QSet<QString> m_excludedTokens;
    QSet<QString> m_busyTokens; // excluded for a rate limit only: usable again after a backoff
    QString m_lastTokenLabel;
    QString m_feVersion;
    QPointer<UpstreamReply> m_reply;
    bool m_replyIsChat = false;
    SseParser m_sse;
    StreamTranslator m_translator;
    QByteArray m_errorBody;
    QTimer m_backoff;
    int m_attempts = 0;
    int m_retriesLeft = 0;
    bool m_versionRefreshed = false;
    bool m_outputStarted = false;
    bool m_ended = false;
    bool m_aborting = false;
    ApiError m_lastError;
    // The captcha: the ask in progress, its deadline, the parameter for the next completion,
    // the one the last completion carried, and how many sent parameters Z.AI refused.
    QPointer<CaptchaTicket> m_captchaTicket;
    QTimer m_captchaWait;
    CaptchaGate::Answer m_captchaAnswer;
    QString m_captchaParam;
    QString m_sentCaptcha;
    QDateTime m_captchaObtainedAt;
    int m_captchaRefusals = 0;
};
