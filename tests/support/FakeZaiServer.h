// SPDX-License-Identifier: MIT
#pragma once

#include "RecordedRequest.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

class FakeHttpConnection;
class QTcpServer;

// One scripted answer. Completion requests that pass validation (WAF headers, token, signature,
// FE version, body, and the live service's gates where they are on: device id, captcha, user
// level, roles) consume the queue in FIFO order; with an empty queue they get the default
// answer. A reply with a pathPrefix is taken by the first request on that path, unvalidated.
// A drop flushes the events and closes with FIN: note that Qt 6.4's QNetworkAccessManager may
// report such a truncated chunked body as finished without error, so a client has to notice the
// missing done event.
struct FakeReply
{
    int httpStatus = 200;     // non-200: respond with `body` and close; 0: close without a response
    QByteArray contentType;   // default application/json
    QByteArray body;          // 200 with a body and no events: a plain (non-SSE) response
    QList<QByteArray> events; // JSON objects, each sent as `data: <json>\n\n`; an entry that
                              // already starts with "data:" or ":" is sent as is + "\n\n";
                              // empty = default answer (with the pacing fields below);
                              // "{{TRIGGER}}" becomes the request's tool-protocol trigger
                              // ({{TRIGGER_HEAD}}/{{TRIGGER_TAIL}}: its first 6 chars/the rest)
    int delayMs = -1;         // per-event delay (-1 = server default)
    int dropAfterEvents = -1; // close the TCP connection after N events (no terminating chunk)
    int stallAfterEvents = -1; // send N events, then stay silent (connection open) for stallMs
    int stallMs = 0;
    bool sendDoneMarker = false; // append a literal `data: [DONE]`
    QString pathPrefix;          // which requests consume it; empty = chat completions only
};

// One file the fake accepted on POST /api/v1/files/ (metadata only: bytes are not kept).
struct FakeUploadedFile
{
    QString id;
    QString userId;      // the uploading account
    QString filename;    // as the multipart part named it
    QString contentType; // the part's Content-Type
    qint64 size = 0;
    QByteArray sha256;
    QString description; // "image/png 16x16": what the default answer says it saw
};

// A fake chat.z.ai for tests, benchmarks and end-to-end runs (zai-protocol.md sections 1-6):
// landing page with the FE version, guest tokens, chats/new, and signed, validated SSE
// completions, plus scripting of failures and a record of every request. Listens on 127.0.0.1.
//
// The live service of late 2026 (section 10) comes as options, each off by default, and one
// switch for all of them (setLive2026):
// * captcha gate: a completion needs `captcha_verify_param`, a verify parameter this fake minted
//   (mintCaptchaParam(), GET /__fake/captcha/mint) within its lifetime (300 s), used once;
// * user-only roles: any other message role ends in INTERNAL_ERROR, a non-empty `tools` is a 400;
// * X-Device-Id required (426 without it), `stream_options` refused (400);
// * guests limited to glm-4.7 (in-stream 403 for the others), newer models listed by
//   GET /api/models (glm-5.3, glm-5.3-flash), concurrency answered in the stream;
// * an outdated X-FE-Version, a missing signed query get the WAF page; the unversioned
//   /api/chat/completions is gone (404);
// * the stand-in page for the captcha SDK (GET /__fake/chat, at / with setChatPageAtRoot) with a
//   sign-in that sets the `token` cookie, and GET /__fake/AliyunCaptcha.js, a script with the
//   interface of Aliyun Captcha 2.0 whose answer (traceless, challenge, fail) setCaptchaMode
//   picks. The /__fake/ paths are always served: the real service has none of them.
// In-stream verdicts are one event in errorEvent()'s framing (nested and flat, done true), after
// every HTTP-level check; the captcha events are documented at captchaRejectedEvent().
class FakeZaiServer : public QObject
{
    Q_OBJECT
public:
    // How the captcha stand-in script answers a verification (section 10, "The captcha SDK").
    enum class CaptchaMode {
        Traceless, // success(param) at once, no user action
        Challenge, // shows #zb-fake-slider; success(param) once it is clicked
        Fail,      // fail({code, msg})
    };
    // What a completion beyond setConcurrencyLimit gets.
    enum class ConcurrencyAnswer {
        Http429,          // HTTP 429 (default, section 6.6)
        InStreamLimit,    // in-stream MODEL_CONCURRENCY_LIMIT (section 10)
        InStreamCapacity, // in-stream 429 "currently at capacity" (section 10)
    };

    explicit FakeZaiServer(QObject *parent = nullptr);
    ~FakeZaiServer() override;

    bool start(quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT
    QString errorString() const;

    // --- configuration ---------------------------------------------------------------------
    void setFeVersion(const QString &version);   // "1.0.231" or "prod-fe-1.0.231"
    QString feVersion() const;                   // always "prod-fe-X.Y.Z"
    void setLandingPage(const QByteArray &html); // replaces the generated page; empty = generated
    void setSigningSecret(const QByteArray &secret);
    void addValidToken(const QString &token); // JWT-like (id/email claims used) or opaque
    void revokeToken(const QString &token);   // later requests with it get 401
    void setGuestAllowed(bool allowed);       // false: GET /api/v1/auths/ without auth is a 401
    // Models that need a chat from chats/new (default glm-4.7, glm-4.6v).
    void setPersistedModels(const QStringList &upstreamIds);
    void addModel(const QString &upstreamId);
    QStringList models() const;
    // Answer deltas of the default answer (default 5); a text shorter than that gets one delta
    // per character, so benchmarks wanting N deltas send a prompt of at least N characters.
    void setDefaultChunks(int chunks);
    void setDefaultDelayMs(int ms);  // pause between events (default 0: the whole stream at once)
    void setThinkingDelayMs(int ms); // extra pause before the closing thinking edit
    // true: a wrong X-FE-Version gets HTTP 426 instead of the in-stream 426 error event.
    void setRequireFeVersionHttpStatus(bool httpStatus);
    // > 0: beyond it a completion gets the concurrency answer (default 0 = none)
    void setConcurrencyLimit(int streamsPerToken);
    void setConcurrencyAnswer(ConcurrencyAnswer answer);
    // off: keep no request copies (long benchmarks); count() still counts.
    void setRecording(bool on);

    // --- the live service of late 2026 (zai-protocol.md section 10) --------------------------
    // Every option below at once (on), or none of them (off); single options can be changed
    // afterwards. Lifetime, single use and captcha mode keep their own values.
    void setLive2026(bool on);
    // Completions need a valid captcha_verify_param: missing or empty ends in
    // FRONTEND_CAPTCHA_REQUIRED/missing_param, stale (used, expired) in F018, unknown in F019.
    void setCaptchaRequired(bool on);
    void setCaptchaLifetimeMs(qint64 ms);     // default 300000 (the live one lives 4 to 5 minutes)
    void setCaptchaSingleUse(bool singleUse); // default true; false: valid until it expires
    void setCaptchaMode(CaptchaMode mode);    // default Traceless
    CaptchaMode captchaMode() const { return m_captchaMode; }
    // A fresh verify parameter (what the SDK's success callback would get), valid from now.
    QString mintCaptchaParam();
    int mintedCaptchaParams() const { return int(m_captchas.size()); }
    // Only role "user" in messages: others end in INTERNAL_ERROR, a non-empty tools is a 400.
    // The default answer then looks for the tool and output-format instructions in user text.
    void setUserOnlyRoles(bool on);
    void setDeviceIdRequired(bool on); // no X-Device-Id: 426 {"detail":"您的客户端版本过旧"}
    void setStreamOptionsRefused(bool on); // a body with stream_options: 400
    // The upstream models a guest token may use; others get the in-stream 403 "Model not
    // available for current user level". Empty (default): all.
    void setGuestModels(const QStringList &upstreamIds);
    // Lists a model on GET /api/models (replacing the entry of a known id) and accepts it in
    // completions. `capabilities` is info.meta.capabilities (vision, think, web_search, ...).
    void addListedModel(const QString &id, const QString &name, const QJsonObject &capabilities);
    void setModelsListFails(bool fail); // GET /api/models answers 500
    // An X-FE-Version other than the current one gets the WAF page (405) instead of the 426.
    void setOutdatedFeVersionBlocked(bool on);
    // A completion without timestamp, requestId, user_id or signature_timestamp gets the WAF
    // page (405) instead of the signature 400.
    void setSignedQueryBlocked(bool on);
    void setLegacyPathRemoved(bool on); // POST /api/chat/completions: 404
    // GET / serves the chat page of /__fake/chat (sign-in, captcha SDK) with the FE versions.
    void setChatPageAtRoot(bool on);
    // The account the chat page's sign-in gives (its `token` cookie); minted on first use.
    void setSignInToken(const QString &token);
    QString signInToken();

    // --- scripting -------------------------------------------------------------------------
    void enqueue(const FakeReply &reply);
    int pendingReplies() const { return int(m_replies.size()); }
    void clearReplies() { m_replies.clear(); }

    // Event builders: each returns the JSON of one `data:` line.
    static QByteArray answerEvent(const QString &text);
    static QByteArray thinkingEvent(const QString &text); // raw delta_content in phase thinking
    static QByteArray thinkingEndEvent(const QString &thought, int durationSeconds = 1); // edit 32
    static QByteArray editEvent(int index, const QString &content, const QString &phase);
    static QByteArray usageEvent(int promptTokens, int completionTokens);
    static QByteArray doneEvent();
    static QByteArray errorEvent(const QJsonValue &code, const QString &detail); // 6.6 shape
    static QByteArray errorEvent(const QJsonObject &error); // the same framing, any error object
    // The captcha errors of section 10. Missing: the object section 10 quotes, verbatim.
    // Stale (F018) or foreign (F019): section 10 names the codes, not the object; a peer's live
    // probe (OmniRoute, 2026-08) saw a present but invalid parameter answered in the stream with
    // captcha_error_type "verify_failed", error_code FRONTEND_CAPTCHA_REQUIRED and the Aliyun
    // code in verify_code. The fake sends that object with the Aliyun code in "code" too (the
    // field section 6.6 calls the error code), so a client keyed on either field recognises it:
    // {"captcha_error_type":"verify_failed","code":"F018","detail":"…",
    //  "error_code":"FRONTEND_CAPTCHA_REQUIRED","verify_code":"F018"}
    static QByteArray captchaRequiredEvent();
    static QByteArray captchaRejectedEvent(const QString &verifyCode);
    static QByteArray concurrencyLimitEvent(); // MODEL_CONCURRENCY_LIMIT
    static QByteArray atCapacityEvent();       // 429 "currently at capacity"
    // The opening of a reasoning block: `<details type="reasoning" done="false" ...>\n<summary>
    // Thinking…</summary>\n> `; its first 32 characters are what the closing edit keeps.
    static QString thinkingOpening();
    static QString quoteThought(const QString &thought); // newlines become "\n> "

    // What the default answer contains, for assertions.
    static QString expectedAnswer(const QString &prompt, bool webSearch = false);
    static QString expectedThought(const QString &prompt);
    static QList<QByteArray> defaultEvents(const QString &prompt, bool thinking, bool webSearch,
                                           int chunks, int promptTokens);

    // --- recording -------------------------------------------------------------------------
    QList<RecordedRequest> requests(const QString &pathPrefix = {}) const;
    int count(const QString &pathPrefix) const; // counted even with recording off
    void clearRecords();
    int openConnections() const { return m_openConnections; }
    int totalConnections() const { return m_totalConnections; }
    // A stream is active until its last byte has left the process.
    int activeStreams() const { return int(m_streamTokens.size()); }
    int abortedStreams() const { return m_abortedStreams; }     // the client left mid-stream
    int completedStreams() const { return m_completedStreams; } // ended by the server (incl. drops)
    QStringList guestTokens() const { return m_guestTokens; }
    QStringList chatIds() const { return m_chats.keys(); }
    QString lastRejection() const { return m_lastRejection; } // why the last request failed
    QList<FakeUploadedFile> uploadedFiles() const { return m_files; } // in upload order
    // The X-Device-Id of every recorded completion request, in order ("" where it had none).
    QStringList deviceIds() const;
    // What the default answer appends for the images a completion references, in order.
    static QString imageNote(const QStringList &descriptions);

signals:
    void requestReceived(const QString &path); // before the request is answered
    void streamAborted();                      // a client went away during an SSE stream
    void streamFinished();

private:
    struct User
    {
        QString id;
        QString email;
        QString name;
        QString role;
    };
    struct Chat
    {
        QString token;
        QStringList models;
    };
    struct ListedModel
    {
        QString id;
        QString name;
        QJsonObject capabilities;
        bool alwaysThinks = false; // answers with thinking even when enable_thinking is false
    };
    struct Captcha
    {
        std::chrono::steady_clock::time_point mintedAt;
        bool used = false;
    };
    QList<ListedModel> listedModels() const; // what GET /api/models lists, in order

    void onNewConnection();
    void handle(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleLanding(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleAuths(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleGuest(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleChatsNew(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleChatsDelete(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleModels(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleFileUpload(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleCompletion(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleChatPage(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleCaptchaScript(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleCaptchaMint(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleCaptchaMode(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleSignIn(FakeHttpConnection *connection, const RecordedRequest &request);
    void handleSignOut(FakeHttpConnection *connection, const RecordedRequest &request);
    // The in-stream verdict on the body's captcha_verify_param: empty when it passes.
    QByteArray checkCaptcha(const QJsonObject &body);
    bool takeScripted(const QString &path, bool completion, FakeReply *out);
    // Checks the completion's image parts and files array against the uploads (section 1.3);
    // returns why it is wrong, or "" and the descriptions of the referenced images in order.
    QString checkImages(const QJsonObject &body, const QString &token, QStringList *seen) const;
    void sendScripted(FakeHttpConnection *connection, const FakeReply &reply);
    void stream(FakeHttpConnection *connection, const QString &token,
                const QList<QByteArray> &events, const FakeReply &pacing, int pauseBeforeEvent = -1,
                int extraPauseMs = 0);
    void sendJson(FakeHttpConnection *connection, int status, const QByteArray &json);
    void reject(FakeHttpConnection *connection, int status, const QByteArray &json,
                const QString &why);
    void sendWafPage(FakeHttpConnection *connection, const QString &why);
    QString bearer(const RecordedRequest &request) const;
    const User *userFor(const QString &token) const;
    User createGuest(QString *token);
    QByteArray userJson(const User &user, const QString &token) const;
    QByteArray landingPage() const;
    QByteArray chatPage(const RecordedRequest &request) const;
    QString cookieToken(const RecordedRequest &request) const; // a known token from the cookie
    bool knowsModel(const QString &upstreamId) const;

    QTcpServer *m_server = nullptr; // child of this
    QString m_errorString;

    QString m_feVersion;
    QByteArray m_landingOverride;
    QByteArray m_secret;
    bool m_guestAllowed = true;
    QStringList m_models;
    QSet<QString> m_persistedModels;
    int m_defaultChunks = 5;
    int m_defaultDelayMs = 0;
    int m_thinkingDelayMs = 0;
    bool m_feVersionHttpStatus = false;
    int m_concurrencyLimit = 0;
    ConcurrencyAnswer m_concurrencyAnswer = ConcurrencyAnswer::Http429;
    bool m_recording = true;

    bool m_captchaRequired = false;
    qint64 m_captchaLifetimeMs = 300000;
    bool m_captchaSingleUse = true;
    CaptchaMode m_captchaMode = CaptchaMode::Traceless;
    QHash<QString, Captcha> m_captchas; // every minted verify parameter
    bool m_userOnlyRoles = false;
    bool m_deviceIdRequired = false;
    bool m_streamOptionsRefused = false;
    QStringList m_guestModels;
    QList<ListedModel> m_listed; // added by addListedModel
    bool m_liveModelsListed = false;
    bool m_modelsListFails = false;
    bool m_feVersionBlocked = false;
    bool m_signedQueryBlocked = false;
    bool m_legacyPathRemoved = false;
    bool m_chatPageAtRoot = false;
    QString m_signInToken;

    QHash<QString, User> m_users; // token -> user
    QStringList m_guestTokens;
    QHash<QString, Chat> m_chats; // chat id -> owner and models
    QQueue<FakeReply> m_replies;

    QList<RecordedRequest> m_records;
    QHash<QString, int> m_pathCounts;
    QHash<FakeHttpConnection *, QString> m_streamTokens; // running streams -> their token
    int m_openConnections = 0;
    int m_totalConnections = 0;
    int m_abortedStreams = 0;
    int m_completedStreams = 0;
    QString m_lastRejection;
    QList<FakeUploadedFile> m_files;
};
