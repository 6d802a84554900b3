// SPDX-License-Identifier: MIT
#pragma once

#include "RecordedRequest.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

class FakeHttpConnection;
class QTcpServer;

// One scripted answer. Completion requests that pass validation (WAF headers, token, signature,
// FE version, body) consume the queue in FIFO order; with an empty queue they get the default
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
class FakeZaiServer : public QObject
{
    Q_OBJECT
public:
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
    void setConcurrencyLimit(int streamsPerToken); // > 0: HTTP 429 beyond it (default 0 = none)
    // off: keep no request copies (long benchmarks); count() still counts.
    void setRecording(bool on);

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
    bool m_recording = true;

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
