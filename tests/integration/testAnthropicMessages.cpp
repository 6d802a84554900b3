// SPDX-License-Identifier: MIT
// POST /v1/messages and /v1/messages/count_tokens (issue 16, dialects.md 2) through the real
// server against the fake upstream: text and thinking, streamed and not, tools over two rounds,
// tool_choice re-asks, images, Claude model names, Anthropic's error shapes and statuses,
// upstream failures before and after the first byte, and pings during silences.

#include "FakeZaiServer.h"
#include "IntegrationSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString CompletionsPath = u"/api/v2/chat/completions"_s;

const HeaderPairs AnthropicHeaders{{"anthropic-version", "2023-06-01"},
                                   {"anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"},
                                   {"content-type", "application/json"}};

QJsonObject user(const QJsonValue &content)
{
    return {{u"role"_s, u"user"_s}, {u"content"_s, content}};
}

QByteArray messagesBody(const QString &model, const QJsonArray &messages, bool stream,
                        const QJsonObject &extra = {})
{
    QJsonObject body{{u"model"_s, model},
                     {u"max_tokens"_s, 4096},
                     {u"messages"_s, messages},
                     {u"stream"_s, stream}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray promptBody(const QString &model, const QString &prompt, bool stream,
                      const QJsonObject &extra = {})
{
    return messagesBody(model, {user(prompt)}, stream, extra);
}

HttpResponse post(TestBed &bed, const QByteArray &body, const QString &path = u"/v1/messages?beta=true"_s,
                  const HeaderPairs &headers = AnthropicHeaders)
{
    return Http::post(bed.url(u"/"_s).resolved(QUrl(path)), body, headers);
}

struct Event
{
    QByteArray name;
    QJsonObject data;
};

// The events of an Anthropic stream; every one must carry `event:` and a `data:` of that type.
QList<Event> parseEvents(const QByteArray &body)
{
    QList<Event> out;
    for (const QByteArray &block : body.split('\n')) {
        if (block.startsWith("event: "))
            out.append({block.mid(7), {}});
        else if (block.startsWith("data: ") && !out.isEmpty())
            out.last().data = QJsonDocument::fromJson(block.mid(6)).object();
    }
    return out;
}

QStringList names(const QList<Event> &events)
{
    QStringList out;
    for (const Event &e : events) {
        if (e.name != "ping")
            out.append(QString::fromLatin1(e.name));
    }
    return out;
}

// The text of the deltas of one kind ("text_delta" → text, ...).
QString joined(const QList<Event> &events, const QString &deltaType, const QString &field)
{
    QString out;
    for (const Event &e : events) {
        const QJsonObject delta = e.data.value(u"delta"_s).toObject();
        if (e.name == "content_block_delta" && delta.value(u"type"_s).toString() == deltaType)
            out += delta.value(field).toString();
    }
    return out;
}

// What every stream must satisfy: the framing, the order of the events, well-nested blocks.
void verifyStream(const HttpResponse &r, const QList<Event> &events)
{
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("text/event-stream"));
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.first().name, "message_start");
    QCOMPARE(events.last().name, "message_stop");
    int open = -1;
    int next = 0;
    for (const Event &e : events) {
        QCOMPARE(e.data.value(u"type"_s).toString(), QString::fromLatin1(e.name));
        const int index = e.data.value(u"index"_s).toInt(-1);
        if (e.name == "content_block_start") {
            QCOMPARE(open, -1);
            QCOMPARE(index, next);
            open = index;
        } else if (e.name == "content_block_delta") {
            QCOMPARE(index, open);
        } else if (e.name == "content_block_stop") {
            QCOMPARE(index, open);
            open = -1;
            ++next;
        }
    }
    QCOMPARE(open, -1);
}

QJsonObject readFileTool()
{
    return QJsonDocument::fromJson(R"({"name":"read_file","description":"Read a file",
        "input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},
        "cache_control":{"type":"ephemeral"}})")
        .object();
}

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR) + u"/images/"_s + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Answers every request with one PNG: the remote image of a URL image block.
class PngServer : public QObject
{
public:
    explicit PngServer(QByteArray png) : m_png(std::move(png))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    ++m_requests;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: "
                                  + QByteArray::number(m_png.size()) + "\r\nConnection: close\r\n\r\n"
                                  + m_png);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return u"http://127.0.0.1:%1/shot.png"_s.arg(m_server.serverPort()); }
    int requests() const { return m_requests; }

private:
    QTcpServer m_server;
    QByteArray m_png;
    int m_requests = 0;
};

} // namespace

class TestAnthropicMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonStreamingText();
    void streamingText();
    void systemMessagesAmongTheTurns();
    void thinkingStream();
    void thinkingDisabled();
    void claudeModelNames();
    void modelFlagsAndWebSearch();
    void toolsOverTwoRounds_data();
    void toolsOverTwoRounds();
    void toolChoiceAnyReasks();
    void malformedToolCallRepaired();
    void maxTokensEndsTheAnswer();
    void imagesUploaded();
    void stopSequence();
    void countTokens();
    void authentication();
    void errorShapes();
    void tooLargeIsRequestTooLarge();
    void upstreamErrorRetriedBeforeFirstByte();
    void upstreamUnreachableIs529();
    void upstreamAtCapacityIs529();
    void accountRateLimitIs429();
    void droppedAfterFirstByteIsErrorEvent();
    void pingDuringSilence();
    void clientDisconnectCancelsUpstream();
    void requestLogNamesTheDialect();
    void modelsInAnthropicShape();
};

void TestAnthropicMessages::nonStreamingText()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"Hello there"_s, false,
                                                {{u"system"_s, u"Be kind."_s},
                                                 {u"metadata"_s, QJsonObject{{u"user_id"_s, u"u1"_s}}}}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    const QJsonObject m = r.json();
    QVERIFY(m.value(u"id"_s).toString().startsWith(u"msg_"_s));
    QCOMPARE(m.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(m.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(m.value(u"model"_s).toString(), u"GLM-4.5"_s);
    QCOMPARE(m.value(u"stop_reason"_s).toString(), u"end_turn"_s);
    const QJsonArray content = m.value(u"content"_s).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.at(0).toObject().value(u"type"_s).toString(), u"text"_s);
    QCOMPARE(content.at(0).toObject().value(u"text"_s).toString(),
             FakeZaiServer::expectedAnswer(u"Hello there"_s));
    const QJsonObject usage = m.value(u"usage"_s).toObject();
    QVERIFY(usage.value(u"input_tokens"_s).toInt() > 0);
    QVERIFY(usage.value(u"output_tokens"_s).toInt() > 0);
}

void TestAnthropicMessages::streamingText()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"Stream it"_s, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(names(events).first(), u"message_start"_s);
    QCOMPARE(names(events).mid(names(events).size() - 3),
             (QStringList{u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s}));
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s),
             FakeZaiServer::expectedAnswer(u"Stream it"_s));
    const QJsonObject end = events.at(events.size() - 2).data;
    QCOMPARE(end.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString(), u"end_turn"_s);
    QVERIFY(end.value(u"usage"_s).toObject().value(u"output_tokens"_s).toInt() > 0);
    QVERIFY(events.first().data.value(u"message"_s).toObject().value(u"usage"_s).toObject()
                .value(u"input_tokens"_s).toInt() > 0);
}

void TestAnthropicMessages::systemMessagesAmongTheTurns()
{
    // What Claude Code 2.1 sends: system blocks, then a user turn followed by a system message.
    TestBed bed;
    QVERIFY(bed.start());
    const QJsonArray messages{
        user(QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"Hello there"_s},
                                    {u"cache_control"_s, QJsonObject{{u"type"_s, u"ephemeral"_s}}}}}),
        QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Available agent types: claude"_s}}};
    const HttpResponse r = post(bed, messagesBody(u"GLM-4.5"_s, messages, true,
                                                  {{u"system"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s},
                                                                                        {u"text"_s, u"You are Claude Code."_s}}}}}));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s), FakeZaiServer::expectedAnswer(u"Hello there"_s));
    const QByteArray upstream = bed.fake->requests(CompletionsPath).last().body;
    QVERIFY(upstream.contains("Available agent types: claude"));
    QVERIFY(upstream.contains("You are Claude Code."));
}

void TestAnthropicMessages::thinkingStream()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"think hard"_s;
    const HttpResponse r = post(bed, promptBody(u"GLM-4.7"_s, prompt, true,
                                                {{u"thinking"_s, QJsonObject{{u"type"_s, u"enabled"_s},
                                                                             {u"budget_tokens"_s, 2048}}}}));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(joined(events, u"thinking_delta"_s, u"thinking"_s), FakeZaiServer::expectedThought(prompt));
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s).trimmed(), FakeZaiServer::expectedAnswer(prompt));
    QVERIFY(!joined(events, u"signature_delta"_s, u"signature"_s).isEmpty());
    // thinking is block 0, text block 1
    const QList<Event> starts = [&] {
        QList<Event> out;
        for (const Event &e : events)
            if (e.name == "content_block_start")
                out.append(e);
        return out;
    }();
    QCOMPARE(starts.size(), 2);
    QCOMPARE(starts.at(0).data.value(u"content_block"_s).toObject().value(u"type"_s).toString(), u"thinking"_s);
    QCOMPARE(starts.at(1).data.value(u"content_block"_s).toObject().value(u"type"_s).toString(), u"text"_s);
    const QJsonObject upstream = QJsonDocument::fromJson(bed.fake->requests(CompletionsPath).last().body).object();
    QCOMPARE(upstream.value(u"features"_s).toObject().value(u"enable_thinking"_s), QJsonValue(true));

    // The same, whole: a thinking block with a signature, then the text.
    const HttpResponse whole = post(bed, promptBody(u"GLM-4.7-Thinking"_s, prompt, false));
    QCOMPARE(whole.status, 200);
    const QJsonArray content = whole.json().value(u"content"_s).toArray();
    QCOMPARE(content.size(), 2);
    QCOMPARE(content.at(0).toObject().value(u"thinking"_s).toString(), FakeZaiServer::expectedThought(prompt));
    QVERIFY(!content.at(0).toObject().value(u"signature"_s).toString().isEmpty());
    QCOMPARE(content.at(1).toObject().value(u"text"_s).toString().trimmed(), FakeZaiServer::expectedAnswer(prompt));
}

void TestAnthropicMessages::thinkingDisabled()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, promptBody(u"GLM-4.7-Thinking"_s, u"no thoughts"_s, false,
                                                {{u"thinking"_s, QJsonObject{{u"type"_s, u"disabled"_s}}}}));
    QCOMPARE(r.status, 200);
    const QJsonObject upstream = QJsonDocument::fromJson(bed.fake->requests(CompletionsPath).last().body).object();
    QCOMPARE(upstream.value(u"features"_s).toObject().value(u"enable_thinking"_s), QJsonValue(false));
    QCOMPARE(r.json().value(u"content"_s).toArray().first().toObject().value(u"type"_s).toString(), u"text"_s);
}

void TestAnthropicMessages::claudeModelNames()
{
    TestBed bed;
    QVERIFY(bed.start());
    // Claude Code's own names, when ANTHROPIC_MODEL is not set: the catalogue's first model.
    for (const QString &name : {u"claude-sonnet-4-5-20250929"_s, u"claude-haiku-4-5"_s, u"Claude-Opus-4-1"_s}) {
        const HttpResponse r = post(bed, promptBody(name, u"hi"_s, false));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(u"model"_s).toString(), u"GLM-4.7"_s);
    }
    // Catalogue names are found case-insensitively; others are a 404 not_found_error.
    QCOMPARE(post(bed, promptBody(u"glm-4.5-air"_s, u"hi"_s, false)).json().value(u"model"_s).toString(),
             u"GLM-4.5-Air"_s);
    const HttpResponse unknown = post(bed, promptBody(u"gpt-4o"_s, u"hi"_s, false));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(unknown.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"not_found_error"_s);
    QVERIFY(unknown.json().value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"GLM-4.7"_s));
}

void TestAnthropicMessages::modelFlagsAndWebSearch()
{
    TestBed bed;
    QVERIFY(bed.start());
    const auto features = [&] {
        return QJsonDocument::fromJson(bed.fake->requests(CompletionsPath).last().body)
            .object()
            .value(u"features"_s)
            .toObject();
    };
    // A search model searches; Anthropic's web_search server tool switches search on for any.
    HttpResponse r = post(bed, promptBody(u"GLM-4.5-Search"_s, u"look it up"_s, false));
    QCOMPARE(r.status, 200);
    QCOMPARE(features().value(u"web_search"_s).toBool(), true);
    QCOMPARE(r.json().value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString(),
             FakeZaiServer::expectedAnswer(u"look it up"_s, true));
    r = post(bed, promptBody(u"GLM-4.5"_s, u"look it up"_s, false,
                             {{u"tools"_s, QJsonDocument::fromJson(
                                               R"([{"type":"web_search_20250305","name":"web_search","max_uses":3}])")
                                               .array()}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(features().value(u"web_search"_s).toBool(), true);
    r = post(bed, promptBody(u"GLM-4.5"_s, u"plain"_s, false));
    QCOMPARE(features().value(u"web_search"_s).toBool(), false);
    QCOMPARE(features().value(u"enable_thinking"_s).toBool(), false);
}

void TestAnthropicMessages::toolsOverTwoRounds_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("whole") << false;
}

void TestAnthropicMessages::toolsOverTwoRounds()
{
    QFETCH(bool, stream);
    TestBed bed;
    QVERIFY(bed.start());
    QJsonArray messages{user(u"What is in the README?"_s)};
    const QJsonObject tools{{u"tools"_s, QJsonArray{readFileTool()}},
                            {u"tool_choice"_s, QJsonObject{{u"type"_s, u"auto"_s}}}};
    const HttpResponse first = post(bed, messagesBody(u"GLM-4.6"_s, messages, stream, tools));
    QCOMPARE(first.status, 200);
    QJsonArray assistantContent;
    QString stopReason;
    if (stream) {
        const QList<Event> events = parseEvents(first.body);
        verifyStream(first, events);
        if (QTest::currentTestFailed())
            return;
        QString partial;
        QJsonObject block;
        for (const Event &e : events) {
            if (e.name == "content_block_start"
                && e.data.value(u"content_block"_s).toObject().value(u"type"_s) == u"tool_use"_s)
                block = e.data.value(u"content_block"_s).toObject();
            if (e.data.value(u"delta"_s).toObject().value(u"type"_s) == u"input_json_delta"_s)
                partial += e.data.value(u"delta"_s).toObject().value(u"partial_json"_s).toString();
            if (e.name == "message_delta")
                stopReason = e.data.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString();
        }
        QCOMPARE(block.value(u"input"_s).toObject(), QJsonObject());
        block.insert(u"input"_s, QJsonDocument::fromJson(partial.toUtf8()).object());
        const QString text = joined(events, u"text_delta"_s, u"text"_s);
        if (!text.isEmpty())
            assistantContent.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}});
        assistantContent.append(block);
    } else {
        stopReason = first.json().value(u"stop_reason"_s).toString();
        assistantContent = first.json().value(u"content"_s).toArray();
    }
    QCOMPARE(stopReason, u"tool_use"_s);
    const QJsonObject call = assistantContent.last().toObject();
    QCOMPARE(call.value(u"type"_s).toString(), u"tool_use"_s);
    QVERIFY2(QRegularExpression(u"^toolu_[A-Za-z0-9]{24}$"_s).match(call.value(u"id"_s).toString()).hasMatch(),
             qPrintable(call.value(u"id"_s).toString()));
    QCOMPARE(call.value(u"name"_s).toString(), u"read_file"_s);
    QCOMPARE(call.value(u"input"_s).toObject(), (QJsonObject{{u"path"_s, u"README.md"_s}}));
    for (const QJsonValue &block : assistantContent)
        QVERIFY(!block.toObject().value(u"text"_s).toString().contains(u"<function_calls>"_s));

    // Round two: the call and its result go back; the fake quotes the result.
    messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, assistantContent}});
    messages.append(user(QJsonArray{QJsonObject{{u"type"_s, u"tool_result"_s},
                                                {u"tool_use_id"_s, call.value(u"id"_s)},
                                                {u"content"_s, u"# ZaiBridge"_s}}}));
    const HttpResponse second = post(bed, messagesBody(u"GLM-4.6"_s, messages, stream, tools));
    QCOMPARE(second.status, 200);
    QString answer;
    if (stream) {
        const QList<Event> events = parseEvents(second.body);
        verifyStream(second, events);
        answer = joined(events, u"text_delta"_s, u"text"_s);
        QCOMPARE(events.at(events.size() - 2).data.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString(),
                 u"end_turn"_s);
    } else {
        answer = second.json().value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString();
        QCOMPARE(second.json().value(u"stop_reason"_s).toString(), u"end_turn"_s);
    }
    QCOMPARE(answer, u"The tool read_file said: # ZaiBridge"_s);
    // The toolu_ id travelled through the tool protocol's history.
    QVERIFY(bed.fake->requests(CompletionsPath).last().body.contains(call.value(u"id"_s).toString().toUtf8()));
}

void TestAnthropicMessages::toolChoiceAnyReasks()
{
    TestBed bed;
    QVERIFY(bed.start());
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"[no-tool] answer in words"_s, false,
                                                {{u"tools"_s, QJsonArray{readFileTool()}},
                                                 {u"tool_choice"_s, QJsonObject{{u"type"_s, u"any"_s}}}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"stop_reason"_s).toString(), u"tool_use"_s);
    const QJsonArray content = r.json().value(u"content"_s).toArray();
    QCOMPARE(content.last().toObject().value(u"name"_s).toString(), u"read_file"_s);
    QVERIFY(content.last().toObject().value(u"input"_s).isObject());
    QCOMPARE(bed.fake->count(CompletionsPath), 2); // asked again, once
}

void TestAnthropicMessages::malformedToolCallRepaired()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply; // no trigger, no CDATA, fenced JSON with a trailing comma, never closed
    reply.events = {FakeZaiServer::answerEvent(
                        u"<function_calls>\n<function_call>\n<tool>read_file</tool>\n<args_json>```json\n"
                        u"{\"path\": \"b.txt\",}\n```"_s),
                    FakeZaiServer::doneEvent()};
    bed.fake->enqueue(reply);
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"go"_s, true,
                                                {{u"tools"_s, QJsonArray{readFileTool()}}}));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QString partial;
    for (const Event &e : events) {
        if (e.data.value(u"delta"_s).toObject().value(u"type"_s) == u"input_json_delta"_s)
            partial += e.data.value(u"delta"_s).toObject().value(u"partial_json"_s).toString();
    }
    QCOMPARE(QJsonDocument::fromJson(partial.toUtf8()).object(), (QJsonObject{{u"path"_s, u"b.txt"_s}}));
    QCOMPARE(events.at(events.size() - 2).data.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString(),
             u"tool_use"_s);
}

void TestAnthropicMessages::maxTokensEndsTheAnswer()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QString prompt = u"a prompt long enough to be cut well before its end"_s;
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, prompt, false, {{u"max_tokens"_s, 2}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"stop_reason"_s).toString(), u"max_tokens"_s);
    const QString text = r.json().value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString();
    QVERIFY(!text.isEmpty());
    QVERIFY2(text.size() < FakeZaiServer::expectedAnswer(prompt).size(), qPrintable(text));
}

void TestAnthropicMessages::imagesUploaded()
{
    TestBed bed;
    const QString token = TestBed::makeToken(u"alice"_s);
    bed.config.tokens = {token};
    bed.fake->addValidToken(token);
    QVERIFY(bed.start());
    const QByteArray png = fixture("red-8x4.png");
    QVERIFY(!png.isEmpty());
    const QJsonArray content{
        QJsonObject{{u"type"_s, u"image"_s},
                    {u"source"_s, QJsonObject{{u"type"_s, u"base64"_s},
                                              {u"media_type"_s, u"image/png"_s},
                                              {u"data"_s, QString::fromLatin1(png.toBase64())}}}},
        QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"What is this?"_s}}};
    for (const bool stream : {false, true}) {
        const HttpResponse r = post(bed, messagesBody(u"GLM-4.5"_s, {user(content)}, stream));
        QCOMPARE(r.status, 200);
        const QString text = stream ? joined(parseEvents(r.body), u"text_delta"_s, u"text"_s)
                                    : r.json().value(u"content"_s).toArray().first().toObject()
                                          .value(u"text"_s).toString();
        QCOMPARE(text, FakeZaiServer::expectedAnswer(u"What is this?"_s)
                           + FakeZaiServer::imageNote({u"image/png 8x4"_s}));
    }
    // A URL image block: the bridge fetches it and uploads it like the others.
    PngServer remote(png);
    QVERIFY(remote.start());
    const QJsonArray byUrl{
        QJsonObject{{u"type"_s, u"image"_s},
                    {u"source"_s, QJsonObject{{u"type"_s, u"url"_s}, {u"url"_s, remote.url()}}}},
        QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"And this?"_s}}};
    const HttpResponse fetched = post(bed, messagesBody(u"GLM-4.5"_s, {user(byUrl)}, false));
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json().value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString(),
             FakeZaiServer::expectedAnswer(u"And this?"_s) + FakeZaiServer::imageNote({u"image/png 8x4"_s}));
    QCOMPARE(remote.requests(), 1);
    // A broken image is the client's fault: 400 in Anthropic's shape.
    QJsonArray broken = content;
    broken[0] = QJsonObject{{u"type"_s, u"image"_s},
                            {u"source"_s, QJsonObject{{u"type"_s, u"base64"_s},
                                                      {u"media_type"_s, u"image/png"_s},
                                                      {u"data"_s, u"!!not base64!!"_s}}}};
    const HttpResponse bad = post(bed, messagesBody(u"GLM-4.5"_s, {user(broken)}, false));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"invalid_request_error"_s);
}

void TestAnthropicMessages::stopSequence()
{
    TestBed bed;
    QVERIFY(bed.start());
    // The fake answers "Echo: <prompt>": cut at "STOP".
    for (const bool stream : {false, true}) {
        const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"go STOP here"_s, stream,
                                                    {{u"stop_sequences"_s, QJsonArray{u"never"_s, u"STOP"_s}}}));
        QCOMPARE(r.status, 200);
        QJsonObject end;
        QString text;
        if (stream) {
            const QList<Event> events = parseEvents(r.body);
            end = events.at(events.size() - 2).data.value(u"delta"_s).toObject();
            text = joined(events, u"text_delta"_s, u"text"_s);
        } else {
            end = r.json();
            text = end.value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString();
        }
        QCOMPARE(end.value(u"stop_reason"_s).toString(), u"stop_sequence"_s);
        QCOMPARE(end.value(u"stop_sequence"_s).toString(), u"STOP"_s);
        QCOMPARE(text, u"Echo: go "_s);
    }
}

void TestAnthropicMessages::countTokens()
{
    TestBed bed;
    QVERIFY(bed.start());
    const QByteArray body = QJsonDocument(QJsonObject{
        {u"model"_s, u"claude-sonnet-4-5"_s},
        {u"system"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"You are helpful."_s}}}},
        {u"messages"_s, QJsonArray{user(u"Count me, please."_s)}},
        {u"tools"_s, QJsonArray{readFileTool()}}}).toJson(QJsonDocument::Compact);
    const HttpResponse r = post(bed, body, u"/v1/messages/count_tokens?beta=true"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().keys(), QStringList{u"input_tokens"_s});
    const int tokens = r.json().value(u"input_tokens"_s).toInt();
    QVERIFY(tokens > 10);
    QCOMPARE(bed.fake->count(CompletionsPath), 0); // counted here, not upstream
    const HttpResponse bad = post(bed, R"({"model":"GLM-4.7","messages":"x"})", u"/v1/messages/count_tokens"_s);
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"invalid_request_error"_s);
    const HttpResponse unknownModel =
        post(bed, R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}]})", u"/v1/messages/count_tokens"_s);
    QCOMPARE(unknownModel.status, 404);
}

void TestAnthropicMessages::authentication()
{
    TestBed bed;
    bed.config.apiKey = u"sk-ant-test-key"_s;
    QVERIFY(bed.start());
    const QByteArray body = promptBody(u"GLM-4.5"_s, u"secret"_s, false);
    const HttpResponse none = post(bed, body);
    QCOMPARE(none.status, 401);
    QCOMPARE(none.json().value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(none.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"authentication_error"_s);
    HeaderPairs wrong = AnthropicHeaders;
    wrong.emplaceBack("x-api-key", "sk-wrong");
    QCOMPARE(post(bed, body, u"/v1/messages"_s, wrong).status, 401);
    HeaderPairs key = AnthropicHeaders;
    key.emplaceBack("x-api-key", "sk-ant-test-key");
    QCOMPARE(post(bed, body, u"/v1/messages"_s, key).status, 200);
    HeaderPairs bearer = AnthropicHeaders;
    bearer.emplaceBack("authorization", "Bearer sk-ant-test-key");
    QCOMPARE(post(bed, body, u"/v1/messages"_s, bearer).status, 200);
    QCOMPARE(post(bed, R"({"model":"GLM-4.5","messages":[{"role":"user","content":"x"}]})",
                  u"/v1/messages/count_tokens"_s, key).status, 200);
    QCOMPARE(post(bed, R"({"model":"GLM-4.5","messages":[{"role":"user","content":"x"}]})",
                  u"/v1/messages/count_tokens"_s).status, 401);
}

void TestAnthropicMessages::errorShapes()
{
    TestBed bed;
    QVERIFY(bed.start());
    const auto verifyError = [&](const QByteArray &body, int status, const QString &type) {
        const HttpResponse r = post(bed, body);
        QCOMPARE(r.status, status);
        const QJsonObject json = r.json();
        QCOMPARE(json.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(json.value(u"error"_s).toObject().value(u"type"_s).toString(), type);
        QVERIFY(!json.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
    };
    verifyError(R"({"model":"GLM-4.5","messages":[{"role":"user","content":"x"}]})", 400,
                u"invalid_request_error"_s); // max_tokens is required
    verifyError("{not json", 400, u"invalid_request_error"_s);
    verifyError("[]", 400, u"invalid_request_error"_s);
    verifyError(QByteArray(64, '{'), 400, u"invalid_request_error"_s);
    verifyError(R"({"model":"GLM-4.5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_nope","content":"x"}]}]})",
                400, u"invalid_request_error"_s);
    QCOMPARE(bed.fake->count(CompletionsPath), 0);
    // GET is not a method of the route: 405, still Anthropic's envelope.
    const HttpResponse get = Http::get(bed.url(u"/v1/messages"_s));
    QCOMPARE(get.status, 405);
    QCOMPARE(get.json().value(u"type"_s).toString(), u"error"_s);
    // Paths of the Messages API this server does not serve: a 404 in Anthropic's shape.
    const HttpResponse batches = post(bed, "{}", u"/v1/messages/batches"_s);
    QCOMPARE(batches.status, 404);
    QCOMPARE(batches.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"not_found_error"_s);
    // The server survives all of it.
    QCOMPARE(post(bed, promptBody(u"GLM-4.5"_s, u"still here"_s, false)).status, 200);
}

void TestAnthropicMessages::tooLargeIsRequestTooLarge()
{
    TestBed bed;
    bed.config.maxBodyBytes = 1024 * 1024;
    QVERIFY(bed.start());
    // Refused by the listening socket from the headers (declared length) or while the chunks
    // arrive, in the shape of the path's dialect (OpenAI's for chat completions and Responses).
    const QList<QByteArray> heads{
        "POST /v1/messages?beta=true HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 104857600\r\n\r\n{\"model\":",
        "POST /v1/messages/count_tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + QByteArray::number(2 * 1024 * 1024, 16) + "\r\n" + QByteArray(2 * 1024 * 1024, ' '),
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n\r\n{",
        "POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n\r\n{",
    };
    for (const QByteArray &head : heads) {
        RawClient big;
        QVERIFY(big.connectTo(bed.port()));
        big.send(head);
        const HttpResponse r = big.readResponse();
        QCOMPARE(r.status, 413);
        if (head.contains("/v1/messages")) {
            QCOMPARE(r.json().value(u"type"_s).toString(), u"error"_s);
            QCOMPARE(r.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"request_too_large"_s);
        } else {
            QCOMPARE(r.error().value(u"code"_s).toString(), u"request_too_large"_s); // OpenAI's
        }
    }
}

void TestAnthropicMessages::upstreamErrorRetriedBeforeFirstByte()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply failure;
    failure.httpStatus = 503;
    failure.body = R"({"detail":"Service Unavailable"})";
    bed.fake->enqueue(failure);
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"eventually"_s, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s), FakeZaiServer::expectedAnswer(u"eventually"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
}

void TestAnthropicMessages::upstreamUnreachableIs529()
{
    TestBed bed;
    bed.config.maxRetries = 0;
    bed.config.endpoint = u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(closedPort());
    bed.config.tokens = {TestBed::makeToken(u"user-z"_s)};
    QVERIFY(bed.start());
    for (const bool stream : {false, true}) { // a stream still gets a status before its first byte
        const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"anyone?"_s, stream));
        QCOMPARE(r.status, 529);
        QCOMPARE(r.json().value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(r.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"overloaded_error"_s);
        QVERIFY(r.json().value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"Could not reach Z.AI"_s));
    }
}

void TestAnthropicMessages::upstreamAtCapacityIs529()
{
    TestBed bed;
    bed.config.maxRetries = 1;
    QVERIFY(bed.start());
    for (int i = 0; i < 2; ++i) {
        FakeReply busy;
        busy.events = {i == 0 ? FakeZaiServer::concurrencyLimitEvent() : FakeZaiServer::atCapacityEvent()};
        bed.fake->enqueue(busy);
    }
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"busy"_s, true));
    QCOMPARE(r.status, 529);
    QCOMPARE(r.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"overloaded_error"_s);
    QVERIFY(r.hasHeader("retry-after"));
    QCOMPARE(bed.fake->count(CompletionsPath), 2);
}

void TestAnthropicMessages::accountRateLimitIs429()
{
    TestBed bed;
    const QString only = TestBed::makeToken(u"user-only"_s);
    bed.config.tokens = {only};
    bed.config.maxRetries = 0;
    bed.fake->addValidToken(only);
    QVERIFY(bed.start());
    FakeReply limited;
    limited.httpStatus = 429;
    limited.body = R"({"detail":"Too Many Requests"})";
    bed.fake->enqueue(limited);
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"busy"_s, false));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"rate_limit_error"_s);
    QVERIFY(r.hasHeader("retry-after"));
}

void TestAnthropicMessages::droppedAfterFirstByteIsErrorEvent()
{
    TestBed bed;
    QVERIFY(bed.start());
    FakeReply reply;
    reply.events = {FakeZaiServer::answerEvent(u"Hello"_s), FakeZaiServer::answerEvent(u" wor"_s),
                    FakeZaiServer::answerEvent(u"ld"_s), FakeZaiServer::doneEvent()};
    reply.dropAfterEvents = 2;
    bed.fake->enqueue(reply);
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"drop"_s, true));
    QCOMPARE(r.status, 200);
    const QList<Event> events = parseEvents(r.body);
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.first().name, "message_start");
    QCOMPARE(events.last().name, "error"); // never a message_stop after a failure
    QCOMPARE(events.last().data.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(events.last().data.value(u"error"_s).toObject().value(u"type"_s).toString(), u"api_error"_s);
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s), u"Hello wor"_s);
    QVERIFY(!names(events).contains(u"message_stop"_s));
    QCOMPARE(bed.fake->count(CompletionsPath), 1);
}

void TestAnthropicMessages::pingDuringSilence()
{
    TestBed bed;
    bed.config.keepAliveMs = 100;
    QVERIFY(bed.start());
    FakeReply slow;
    slow.events = {FakeZaiServer::answerEvent(u"late"_s), FakeZaiServer::doneEvent()};
    slow.delayMs = 450;
    bed.fake->enqueue(slow);
    const HttpResponse r = post(bed, promptBody(u"GLM-4.5"_s, u"slow"_s, true));
    const QList<Event> events = parseEvents(r.body);
    verifyStream(r, events);
    int pings = 0;
    for (const Event &e : events)
        pings += e.name == "ping" ? 1 : 0;
    QVERIFY2(pings >= 3, qPrintable(QString::number(pings))); // the one after message_start and keep-alives
    QVERIFY(!r.body.contains("\n: ")); // no comment lines: Anthropic's clients expect events
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s), u"late"_s);
}

void TestAnthropicMessages::clientDisconnectCancelsUpstream()
{
    TestBed bed;
    QVERIFY(bed.start());
    bed.fake->setDefaultDelayMs(50);
    QList<RequestRecord> records;
    QObject::connect(bed.server.get(), &ApiServer::requestFinished, bed.server.get(),
                     [&](const RequestRecord &record) { records.append(record); });
    RawClient client;
    QVERIFY(client.connectTo(bed.port()));
    client.sendRequest("POST", "/v1/messages?beta=true",
                       promptBody(u"GLM-4.5"_s, u"a long answer to walk away from"_s, true),
                       AnthropicHeaders);
    QVERIFY(client.waitForBody("\"type\":\"text_delta\""));
    QCOMPARE(bed.fake->activeStreams(), 1);
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(bed.fake->abortedStreams(), 1, 1000);
    QCOMPARE(bed.fake->completedStreams(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(records.size(), 1, 1000);
    QCOMPARE(records.first().status, 499);
    bed.fake->setDefaultDelayMs(0);
    QCOMPARE(post(bed, promptBody(u"GLM-4.5"_s, u"next"_s, false)).status, 200);
}

void TestAnthropicMessages::requestLogNamesTheDialect()
{
    TestBed bed;
    QVERIFY(bed.start());
    QList<RequestRecord> records;
    QObject::connect(bed.server.get(), &ApiServer::requestFinished, bed.server.get(),
                     [&](const RequestRecord &record) { records.append(record); });
    QCOMPARE(post(bed, promptBody(u"claude-haiku-4-5"_s, u"log me"_s, true)).status, 200);
    QTRY_COMPARE(records.size(), 1);
    QCOMPARE(records.first().dialect, u"anthropic"_s);
    QCOMPARE(records.first().path, u"/v1/messages"_s);
    QCOMPARE(records.first().clientModel, u"GLM-4.7"_s);
    QVERIFY(records.first().toLogLine().contains(u" dialect=anthropic "_s));
}

void TestAnthropicMessages::modelsInAnthropicShape()
{
    TestBed bed;
    QVERIFY(bed.start());
    // With anthropic-version (Claude Code, the Anthropic SDKs): Anthropic's page of models.
    const HttpResponse list = Http::get(bed.url(u"/v1/models"_s), AnthropicHeaders);
    QCOMPARE(list.status, 200);
    const QJsonArray data = list.json().value(u"data"_s).toArray();
    QVERIFY(!data.isEmpty());
    const QJsonObject first = data.first().toObject();
    QCOMPARE(first.value(u"type"_s).toString(), u"model"_s);
    QCOMPARE(first.value(u"id"_s).toString(), u"GLM-4.7"_s);
    QVERIFY(!first.value(u"display_name"_s).toString().isEmpty());
    QVERIFY(QDateTime::fromString(first.value(u"created_at"_s).toString(), Qt::ISODate).isValid());
    QCOMPARE(list.json().value(u"has_more"_s), QJsonValue(false));
    QCOMPARE(list.json().value(u"first_id"_s), first.value(u"id"_s));
    QCOMPARE(list.json().value(u"last_id"_s), data.last().toObject().value(u"id"_s));
    const HttpResponse one = Http::get(bed.url(u"/v1/models/GLM-4.5"_s), AnthropicHeaders);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value(u"type"_s).toString(), u"model"_s);
    const HttpResponse missing = Http::get(bed.url(u"/v1/models/gpt-4o"_s), AnthropicHeaders);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json().value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(missing.json().value(u"error"_s).toObject().value(u"type"_s).toString(), u"not_found_error"_s);
    // Without it: OpenAI's list, as before.
    const HttpResponse openai = Http::get(bed.url(u"/v1/models"_s));
    QCOMPARE(openai.json().value(u"object"_s).toString(), u"list"_s);
    QCOMPARE(openai.json().value(u"data"_s).toArray().first().toObject().value(u"object"_s).toString(),
             u"model"_s);
}

QTEST_GUILESS_MAIN(TestAnthropicMessages)
#include "testAnthropicMessages.moc"
