// SPDX-License-Identifier: MIT
// zb-bench: the load generator of the ZaiBridge benchmark (bench/run.sh starts the processes).
//
// It talks to up to six servers on 127.0.0.1: the fake Z.AI upstream directly (signing its
// requests like the gateway does), nginx in front of that fake, ZaiBridge in front of that fake,
// and optionally a second fake that paces its events with a second ZaiBridge in front of it, and
// nginx (a second port) in front of a third such fake. It measures, side by side in one run:
//   1. latency to the first and the last byte of a streamed answer at concurrency 1;
//   2. the server's CPU seconds per 1,000 non-streaming requests at concurrency 16;
//   (both also for ZaiBridge's other two dialects, Anthropic Messages and OpenAI Responses, beside
//   its chat completions: the same conversation and answer in each client's wire format)
//   3. N concurrent streams of M chunks (completed, errors, total time), zero-delay and paced;
//   4. a ~1 MiB request (200 messages of 5 KiB) against a tiny one;
//   5. the server's RSS idle and at the stream peak.
// and prints Markdown tables (also written to --markdown for docs/performance.md), ending with the
// targets as ratios against nginx (or the direct call) measured in the same run.

#include "BenchHttp.h"
#include "conversation/Conversation.h"
#include "dialects/openai_chat/ChatCompletionsRequest.h"
#include "zai/ModelCatalogue.h"
#include "zai/Signer.h"
#include "zai/TokenPool.h"
#include "net/UpstreamHttp.h"
#include "zai/UpstreamProfile.h"
#include "zai/ZaiRequestBuilder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTcpServer>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <unistd.h>

using namespace Qt::StringLiterals;
using Bench::HttpConnection;
using Bench::Response;

namespace {

// --- small helpers ---------------------------------------------------------------------------

void out(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void progress(const QString &text)
{
    std::fputs(("  .. "_L1 + text + u'\n').toUtf8().constData(), stderr);
    std::fflush(stderr);
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

QString fmt(double value, int decimals = 2)
{
    return QString::number(value, 'f', decimals);
}

QString signedFmt(double value, int decimals = 2)
{
    return (value >= 0 ? u"+"_s : QString()) + QString::number(value, 'f', decimals);
}

// Nearest-rank percentile of unsorted samples.
qint64 percentile(QList<qint64> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(samples.size())));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

qint64 maxOf(const QList<qint64> &samples)
{
    return samples.isEmpty() ? 0 : *std::max_element(samples.cbegin(), samples.cend());
}

// --- /proc -----------------------------------------------------------------------------------

QByteArray readProc(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll(); // procfs files report size 0: read until EOF
}

struct CpuTime
{
    double user = 0;
    double system = 0;
    double total() const { return user + system; }
    CpuTime operator-(const CpuTime &o) const { return {user - o.user, system - o.system}; }
};

// utime and stime of processes (all their threads), in seconds.
CpuTime cpuTime(const QList<qint64> &pids)
{
    CpuTime t;
    const double hz = double(::sysconf(_SC_CLK_TCK));
    for (qint64 pid : pids) {
        const QByteArray stat = readProc(u"/proc/%1/stat"_s.arg(pid));
        const qsizetype paren = stat.lastIndexOf(')');
        if (paren < 0)
            continue;
        // After "pid (comm)": field 3 is the state; utime and stime are fields 14 and 15.
        const QList<QByteArray> fields = stat.mid(paren + 2).split(' ');
        t.user += double(fields.value(11).toLongLong()) / hz;
        t.system += double(fields.value(12).toLongLong()) / hz;
    }
    return t;
}

double cpuSeconds(const QList<qint64> &pids)
{
    return cpuTime(pids).total();
}

// A line of /proc/PID/status: VmRSS / VmHWM in KiB, or a count (Threads).
qint64 statusKiB(qint64 pid, const QByteArray &key)
{
    const QByteArray status = readProc(u"/proc/%1/status"_s.arg(pid));
    const qsizetype at = status.indexOf(QByteArray('\n' + key + ':'));
    if (at < 0)
        return 0;
    const qsizetype end = status.indexOf('\n', at + 1);
    QByteArray value = status.mid(at + key.size() + 2, end - at - key.size() - 2).trimmed();
    if (value.endsWith(" kB"))
        value.chop(3);
    return value.trimmed().toLongLong();
}

qint64 statusKiB(const QList<qint64> &pids, const QByteArray &key)
{
    qint64 total = 0;
    for (qint64 pid : pids)
        total += statusKiB(pid, key);
    return total;
}

double mib(qint64 kib)
{
    return double(kib) / 1024.0;
}

// A process and its direct children (nginx: the master and its workers).
QList<qint64> withChildren(qint64 pid)
{
    QList<qint64> pids{pid};
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 child = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QByteArray stat = readProc(u"/proc/%1/stat"_s.arg(child));
        const qsizetype paren = stat.lastIndexOf(')');
        if (paren < 0)
            continue;
        const QList<QByteArray> fields = stat.mid(paren + 2).split(' ');
        if (fields.value(1).toLongLong() == pid)
            pids.append(child);
    }
    return pids;
}

// The 1-minute load average: other work on a 2-core machine shows in every percentile.
QString loadAverage()
{
    return QString::fromLatin1(readProc(u"/proc/loadavg"_s).split(' ').value(0));
}

QString cpuModel()
{
    const QList<QByteArray> lines = readProc(u"/proc/cpuinfo"_s).split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    }
    return u"unknown CPU"_s;
}

// --- requests --------------------------------------------------------------------------------

// The client wire format a ZaiBridge target is spoken to in.
enum class Dialect { Chat, Messages, Responses };

struct Target
{
    QString name;
    quint16 port = 0;
    bool bridge = false; // a client surface of ZaiBridge; otherwise the Z.AI surface of the fake
    QList<qint64> pids;  // whose CPU and memory count for this target (none for the fake itself)
    bool minimal = false; // the fake, with minimalRequest() instead of gatewayRequest()
    // For the Z.AI surface: the gateway's own request builder, with this target's address.
    std::shared_ptr<const ZaiRequestBuilder> builder = nullptr;
    Dialect dialect = Dialect::Chat; // for ZaiBridge
    bool enabled() const { return port != 0; }
};

struct BenchConversation
{
    QByteArray messagesJson; // the JSON array
    QString prompt;          // the last user message (what is signed and echoed)
    QString expected;        // the fake's answer: "Echo: " + prompt
    Conversation parsed;      // the bridge request as ZaiBridge parses it
};

BenchConversation conversation(const QJsonArray &history, const QString &prompt)
{
    QJsonArray messages = history;
    messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, prompt}});
    return {QJsonDocument(messages).toJson(QJsonDocument::Compact), prompt, u"Echo: "_s + prompt, {}};
}

QByteArray jsonString(const QString &text)
{
    QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

struct Settings
{
    QByteArray apiKey;     // ZaiBridge AUTH_TOKEN
    QByteArray zaiToken;   // a token the fake accepts (--valid-token)
    QByteArray feVersion;  // the fake's FE version
    QString bridgeModel;   // OpenAI model id
    QString upstreamModel; // the fake's model id
    QByteArray secret = Signer::defaultSecret();
    // A direct call sends exactly the request ZaiBridge would send upstream for the same
    // conversation, so "added" is ZaiBridge's time alone and not the fake's reading of a bigger
    // request. The profile is the one the targets' builders refer to.
    std::shared_ptr<const UpstreamProfile> profile;
    const ModelEntry *model = nullptr;
};

QByteArray httpRequest(quint16 port, const QByteArray &target,
                       const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray out = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                     + "\r\nContent-Type: application/json\r\nContent-Length: "
                     + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n" + body;
    return out;
}

QByteArray bridgeBody(const Settings &s, const BenchConversation &c, bool stream)
{
    return R"({"model":)" + jsonString(s.bridgeModel) + R"(,"stream":)"
           + (stream ? "true"_ba : "false"_ba) + R"(,"messages":)" + c.messagesJson + '}';
}

// POST /v1/chat/completions to ZaiBridge, or the same conversation as POST /v1/messages (the
// history as messages, max_tokens as Claude Code sends it) or POST /v1/responses (as input).
QByteArray bridgeRequest(const Settings &s, const Target &t, const BenchConversation &c, bool stream)
{
    const QByteArray accept = stream ? "text/event-stream"_ba : "application/json"_ba;
    const QByteArray head = R"({"model":)" + jsonString(s.bridgeModel) + R"(,"stream":)"
                            + (stream ? "true"_ba : "false"_ba);
    switch (t.dialect) {
    case Dialect::Chat: break;
    case Dialect::Messages:
        return httpRequest(t.port, "/v1/messages"_ba,
                           {{"x-api-key"_ba, s.apiKey},
                            {"anthropic-version"_ba, "2023-06-01"_ba},
                            {"Accept"_ba, accept}},
                           head + R"(,"max_tokens":32000,"messages":)" + c.messagesJson + '}');
    case Dialect::Responses:
        return httpRequest(t.port, "/v1/responses"_ba,
                           {{"Authorization"_ba, "Bearer " + s.apiKey}, {"Accept"_ba, accept}},
                           head + R"(,"store":false,"input":)" + c.messagesJson + '}');
    }
    return httpRequest(t.port, "/v1/chat/completions"_ba,
                       {{"Authorization"_ba, "Bearer " + s.apiKey}, {"Accept"_ba, accept}},
                       bridgeBody(s, c, stream));
}

// The completion ZaiBridge sends upstream for this conversation (zai-protocol.md section 3),
// built and signed by the gateway's own ZaiRequestBuilder and written by its upstream client:
// the same bytes.
QByteArray gatewayRequest(const Settings &s, const Target &t, const BenchConversation &c)
{
    const TokenLease lease{QString::fromUtf8(s.zaiToken),
                           TokenPool::userIdFromJwt(QString::fromUtf8(s.zaiToken)), false, {}};
    QByteArray body;
    const UpstreamRequest request = t.builder->completion(
        c.parsed, *s.model, lease, ZaiRequestBuilder::Ids::fresh(),
        ZaiRequestBuilder::switchesFor(c.parsed, *s.model), QString::fromUtf8(s.feVersion), &body);
    return UpstreamHttp::directRequestBytes(request, body);
}

// A signed completion for the fake's Z.AI surface with only the fields the fake checks: the
// direct request of the benchmark's runs before 2026-11-27, kept as a row of the latency table.
QByteArray minimalRequest(const Settings &s, quint16 port, const BenchConversation &c)
{
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const qint64 timestamp = QDateTime::currentMSecsSinceEpoch();
    const QString userId = u"zb-bench-user"_s;
    const QByteArray ts = QByteArray::number(timestamp);
    const QByteArray query = "timestamp=" + ts + "&requestId=" + requestId.toLatin1()
                             + "&user_id=" + QUrl::toPercentEncoding(userId)
                             + "&token=" + QUrl::toPercentEncoding(QString::fromLatin1(s.zaiToken))
                             + "&version=0.0.1&platform=web&signature_timestamp=" + ts;
    const QByteArray signature = Signer::sign(s.secret, requestId, timestamp, userId, c.prompt);
    const QByteArray origin = "http://127.0.0.1:" + QByteArray::number(port);
    const QByteArray body = R"({"stream":true,"model":)" + jsonString(s.upstreamModel)
                            + R"(,"messages":)" + c.messagesJson + R"(,"signature_prompt":)"
                            + jsonString(c.prompt) + '}';
    return httpRequest(port, "/api/v2/chat/completions?" + query,
                       {{"Authorization"_ba, "Bearer " + s.zaiToken},
                        {"Accept"_ba, "application/json"_ba},
                        {"X-FE-Version"_ba, s.feVersion},
                        {"X-Signature"_ba, signature},
                        {"Origin"_ba, origin},
                        {"Referer"_ba, origin + '/'}},
                       body);
}

QByteArray requestFor(const Settings &s, const Target &t, const BenchConversation &c, bool stream)
{
    if (t.bridge)
        return bridgeRequest(s, t, c, stream);
    return t.minimal ? minimalRequest(s, t.port, c) : gatewayRequest(s, t, c);
}

// --- validation: the answer must be complete and exactly the fake's echo ---------------------

QList<QByteArray> sseData(const QByteArray &body)
{
    QList<QByteArray> data;
    const QList<QByteArray> events = body.split('\n');
    for (const QByteArray &line : events) {
        if (line.startsWith("data:"))
            data.append(line.mid(5).trimmed());
    }
    return data;
}

QString validateBridgeStream(const QByteArray &body, const QString &expected)
{
    QString content;
    QString finish;
    bool done = false;
    const QList<QByteArray> data = sseData(body);
    for (const QByteArray &d : data) {
        if (done)
            return u"data after [DONE]"_s;
        if (d == "[DONE]") {
            done = true;
            continue;
        }
        const QJsonObject event = QJsonDocument::fromJson(d).object();
        if (event.contains(u"error"_s))
            return u"error event: "_s + QString::fromUtf8(d.left(200));
        const QJsonObject choice = event.value(u"choices"_s).toArray().at(0).toObject();
        content += choice.value(u"delta"_s).toObject().value(u"content"_s).toString();
        if (choice.value(u"finish_reason"_s).isString())
            finish = choice.value(u"finish_reason"_s).toString();
    }
    if (!done)
        return u"no [DONE]"_s;
    if (finish != u"stop")
        return u"finish_reason "_s + finish;
    if (content != expected)
        return u"content differs (%1 of %2 characters)"_s.arg(content.size()).arg(expected.size());
    return {};
}

// An Anthropic or Responses stream: the text of its deltas of `deltaType`, and its last event.
QString validateEventStream(const QByteArray &body, const QString &expected, Dialect dialect)
{
    QString content;
    QString last;
    for (const QByteArray &d : sseData(body)) {
        const QJsonObject event = QJsonDocument::fromJson(d).object();
        last = event.value(u"type"_s).toString();
        if (last == u"error" || last == u"response.failed")
            return u"error event: "_s + QString::fromUtf8(d.left(200));
        if (dialect == Dialect::Messages && last == u"content_block_delta")
            content += event.value(u"delta"_s).toObject().value(u"text"_s).toString();
        if (dialect == Dialect::Responses && last == u"response.output_text.delta")
            content += event.value(u"delta"_s).toString();
    }
    const QString end = dialect == Dialect::Messages ? u"message_stop"_s : u"response.completed"_s;
    if (last != end)
        return u"the stream ends with %1, not %2"_s.arg(last, end);
    if (content != expected)
        return u"content differs (%1 of %2 characters)"_s.arg(content.size()).arg(expected.size());
    return {};
}

QString validateBridgeJson(const QByteArray &body, const QString &expected, Dialect dialect)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QString content;
    switch (dialect) {
    case Dialect::Chat:
        content = object.value(u"choices"_s).toArray().at(0).toObject()
                      .value(u"message"_s).toObject().value(u"content"_s).toString();
        break;
    case Dialect::Messages:
        content = object.value(u"content"_s).toArray().at(0).toObject().value(u"text"_s).toString();
        break;
    case Dialect::Responses:
        content = object.value(u"output"_s).toArray().at(0).toObject().value(u"content"_s)
                      .toArray().at(0).toObject().value(u"text"_s).toString();
        break;
    }
    if (content != expected)
        return u"content differs: "_s + QString::fromUtf8(body.left(200));
    return {};
}

QString validateUpstreamStream(const QByteArray &body, const QString &expected)
{
    QString content;
    bool done = false;
    const QList<QByteArray> events = sseData(body);
    for (const QByteArray &d : events) {
        const QJsonObject data = QJsonDocument::fromJson(d).object().value(u"data"_s).toObject();
        if (data.contains(u"error"_s))
            return u"error event: "_s + QString::fromUtf8(d.left(200));
        if (data.value(u"phase"_s).toString() == u"answer")
            content += data.value(u"delta_content"_s).toString();
        if (data.value(u"done"_s).toBool())
            done = true;
    }
    if (!done)
        return u"no done event"_s;
    if (content != expected)
        return u"content differs (%1 of %2 characters)"_s.arg(content.size()).arg(expected.size());
    return {};
}

QString validate(const Target &t, const Response &r, const BenchConversation &c, bool stream)
{
    if (!r.error.isEmpty())
        return r.error;
    if (r.status != 200)
        return u"HTTP %1: %2"_s.arg(r.status).arg(QString::fromUtf8(r.body.left(300)));
    if (!t.bridge)
        return validateUpstreamStream(r.body, c.expected);
    if (!stream)
        return validateBridgeJson(r.body, c.expected, t.dialect);
    return t.dialect == Dialect::Chat ? validateBridgeStream(r.body, c.expected)
                                      : validateEventStream(r.body, c.expected, t.dialect);
}

// --- running requests ------------------------------------------------------------------------

double g_timeoutScale = 1.0;
QFile *g_samples = nullptr; // --samples: one CSV line per request

void recordSample(const QString &phase, const QString &target, const Response &r, const QString &error)
{
    if (!g_samples)
        return;
    QString cleanError = error;
    cleanError.replace(u',', u';').replace(u'\n', u' ');
    g_samples->write(u"%1,%2,%3,%4,%5,%6,%7\n"_s
                         .arg(phase, target)
                         .arg(r.sentNs)
                         .arg(r.firstByteNs ? r.firstByte() : -1)
                         .arg(r.lastByteNs ? r.lastByte() : -1)
                         .arg(r.status)
                         .arg(cleanError.left(120))
                         .toUtf8());
}

int scaled(int ms)
{
    return int(double(ms) * g_timeoutScale);
}

Response runOne(HttpConnection *connection, const QByteArray &request, int timeoutMs)
{
    Response result;
    bool done = false;
    QEventLoop loop;
    connection->send(request, [&](Response &r) {
        result = std::move(r);
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        loop.exec();
    }
    if (!done) {
        connection->close(); // calls back with "connection closed"
        result.error = u"timed out after %1 ms"_s.arg(timeoutMs);
    }
    return result;
}

struct LoadRun
{
    QList<Response> responses; // in completion order
    qint64 wallNs = 0;         // first send to last completion
    bool timedOut = false;
    int connectFailures = 0;
};

// `total` requests over `connections` keep-alive connections, each connection sending its next
// request when the previous answer is complete. With `preconnect`, all connections are opened
// first and the first wave leaves at once (the burst of the concurrent-streams case).
LoadRun runLoad(quint16 port, int connections, int total,
                const std::function<QByteArray(int)> &make, int timeoutMs, bool preconnect,
                const std::function<void()> &tick = {}, int tickMs = 0)
{
    LoadRun run;
    QObject holder;
    QList<HttpConnection *> pool;
    for (int i = 0; i < connections; ++i)
        pool.append(new HttpConnection(port, &holder));

    if (preconnect) {
        for (HttpConnection *c : std::as_const(pool))
            c->connectToServer();
        QEventLoop wait;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &wait, [&] {
            if (std::all_of(pool.cbegin(), pool.cend(),
                            [](HttpConnection *c) { return c->isConnected(); }))
                wait.quit();
        });
        poll.start(2);
        QTimer::singleShot(scaled(10000), &wait, &QEventLoop::quit);
        wait.exec();
        run.connectFailures = int(std::count_if(pool.cbegin(), pool.cend(),
                                                [](HttpConnection *c) { return !c->isConnected(); }));
    }

    QEventLoop loop;
    int next = 0;
    int finished = 0;
    bool stopping = false;
    std::function<void(HttpConnection *, QByteArray)> issue;
    issue = [&](HttpConnection *c, QByteArray request) {
        if (stopping || next >= total)
            return;
        if (request.isEmpty())
            request = make(next);
        ++next;
        c->send(request, [&, c](Response &r) {
            run.responses.append(std::move(r));
            if (++finished == total)
                loop.quit();
            else
                issue(c, {});
        });
    };
    // Requests of the first wave are built before any is sent, so they leave together.
    QList<QByteArray> firstWave;
    for (int i = 0; i < std::min(connections, total); ++i)
        firstWave.append(make(i));
    const qint64 start = Bench::nowNs();
    for (int i = 0; i < firstWave.size(); ++i)
        issue(pool.at(i), firstWave.at(i));

    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        run.timedOut = true;
        loop.quit();
    });
    deadline.start(timeoutMs);
    QTimer ticker;
    if (tick && tickMs > 0) {
        QObject::connect(&ticker, &QTimer::timeout, &loop, tick);
        ticker.start(tickMs);
    }
    if (total > 0)
        loop.exec();
    run.wallNs = Bench::nowNs() - start;
    stopping = true;
    for (HttpConnection *c : std::as_const(pool))
        c->close(); // unfinished requests call back with an error
    return run;
}

// --- the report ------------------------------------------------------------------------------

struct Latency
{
    QList<qint64> first;
    QList<qint64> last;
    int errors = 0;
    QString firstError;
};

void addSample(Latency &l, const Response &r, const QString &error)
{
    if (!error.isEmpty()) {
        if (l.errors++ == 0)
            l.firstError = error;
        return;
    }
    l.first.append(r.firstByte());
    l.last.append(r.lastByte());
}

struct StreamRun
{
    int requested = 0;
    int ok = 0;
    int errors = 0;
    QString firstError;
    qint64 wallNs = 0;
    QList<qint64> first;
    QList<qint64> last;
    double cpu = -1;          // CPU seconds of the target's processes during the run
    qint64 rssPeakKiB = 0;    // max VmRSS sampled during the run
    qint64 threadsPeak = 0;   // max thread count sampled during the run
    qint64 hwmKiB = 0;        // VmHWM after the run
    qint64 idleKiB = 0;       // VmRSS before the run
};

class Report
{
public:
    void section(const QString &title) { m_lines << QString() << u"### "_s + title << QString(); }
    void text(const QString &line) { m_lines << line; }
    void table(const QStringList &header, const QList<QStringList> &rows)
    {
        m_lines << u"| "_s + header.join(u" | "_s) + u" |"_s;
        QStringList rule;
        for (qsizetype i = 0; i < header.size(); ++i)
            rule << (i == 0 ? u"---"_s : u"---:"_s);
        m_lines << u"| "_s + rule.join(u" | "_s) + u" |"_s;
        for (const QStringList &row : rows)
            m_lines << u"| "_s + row.join(u" | "_s) + u" |"_s;
    }
    QString markdown() const { return m_lines.join(u'\n') + u'\n'; }

private:
    QStringList m_lines;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"zb-bench"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"ZaiBridge load generator: latency, CPU, concurrent streams, large requests and memory, "
        u"side by side for the fake upstream, nginx and ZaiBridge. Normally started by "
        u"bench/run.sh."_s);
    parser.addHelpOption();
    const auto option = [&parser](const QString &name, const QString &help, const QString &value,
                                  const QString &def = {}) {
        QCommandLineOption o(name, help, value, def);
        parser.addOption(o);
        return o;
    };
    const auto directOpt = option(u"direct"_s, u"Port of the fake upstream (zero-delay)."_s, u"port"_s);
    const auto nginxOpt = option(u"nginx"_s, u"Port of nginx in front of the fake."_s, u"port"_s);
    const auto bridgeOpt = option(u"bridge"_s, u"Port of ZaiBridge in front of the fake."_s, u"port"_s);
    const auto pacedDirectOpt =
        option(u"paced-direct"_s, u"Port of a fake upstream with --delay-ms > 0."_s, u"port"_s);
    const auto pacedNginxOpt =
        option(u"paced-nginx"_s, u"Port of nginx in front of a paced fake of its own."_s, u"port"_s);
    const auto pacedBridgeOpt =
        option(u"paced-bridge"_s, u"Port of ZaiBridge in front of the paced fake."_s, u"port"_s);
    const auto pacedDelayOpt =
        option(u"paced-delay-ms"_s, u"The paced fake's --delay-ms (for the report)."_s, u"ms"_s, u"5"_s);
    const auto bridgePidOpt = option(u"bridge-pid"_s, u"PID of ZaiBridge."_s, u"pid"_s);
    const auto pacedBridgePidOpt = option(u"paced-bridge-pid"_s, u"PID of the paced ZaiBridge."_s, u"pid"_s);
    const auto nginxPidOpt = option(u"nginx-pid"_s, u"PID of the nginx master (workers are found)."_s, u"pid"_s);
    const auto fakePidOpt = option(u"fake-pid"_s, u"PID of the fake upstream."_s, u"pid"_s);
    const auto keyOpt = option(u"api-key"_s, u"ZaiBridge AUTH_TOKEN."_s, u"key"_s);
    const auto tokenOpt = option(u"zai-token"_s, u"A --valid-token of the fake."_s, u"token"_s, u"zb-bench-token"_s);
    const auto feOpt = option(u"fe-version"_s, u"The fake's FE version."_s, u"version"_s, u"prod-fe-1.0.231"_s);
    const auto chunksOpt = option(u"chunks"_s, u"The fake's --chunks (answer deltas)."_s, u"n"_s, u"200"_s);
    const auto latencyOpt = option(u"latency-requests"_s, u"Requests per target at concurrency 1."_s, u"n"_s, u"500"_s);
    const auto cpuOpt = option(u"cpu-requests"_s, u"Non-streaming requests at concurrency 16."_s, u"n"_s, u"4000"_s);
    const auto concurrencyOpt = option(u"cpu-concurrency"_s, u"Connections of the CPU case."_s, u"n"_s, u"16"_s);
    const auto streamsOpt = option(u"streams"_s, u"Concurrent streams."_s, u"n"_s, u"200"_s);
    const auto bigOpt = option(u"big-requests"_s, u"Large and tiny requests per target."_s, u"n"_s, u"40"_s);
    const auto phasesOpt = option(u"phases"_s, u"Comma-separated: latency,cpu,streams,paced,big."_s,
                                  u"list"_s, u"latency,cpu,streams,paced,big"_s);
    const auto scaleOpt = option(u"timeout-scale"_s, u"Multiply every time limit (e.g. under valgrind)."_s, u"x"_s, u"1"_s);
    const auto samplesOpt = option(u"samples"_s,
                                   u"Write every request as CSV: phase,target,sent_ns,first_byte_ns,last_byte_ns,status,error."_s,
                                   u"file"_s);
    const auto markdownOpt = option(u"markdown"_s, u"Also write the report to this file."_s, u"file"_s);
    const auto commandOpt = option(u"command"_s, u"The command line to quote in the report."_s, u"text"_s);
    const auto envOpt = option(u"environment"_s, u"Extra line for the report (repeatable)."_s, u"text"_s);
    const QCommandLineOption freePortOpt(u"print-free-port"_s,
                                         u"Print a free TCP port on 127.0.0.1 and exit (for nginx)."_s);
    parser.addOption(freePortOpt);
    parser.process(app);

    if (parser.isSet(freePortOpt)) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 1;
        out(QString::number(probe.serverPort()));
        return 0;
    }

    const auto port = [&parser](const QCommandLineOption &o) {
        return quint16(parser.value(o).toUInt());
    };
    const auto pids = [&parser](const QCommandLineOption &o) {
        QList<qint64> list;
        if (parser.isSet(o))
            list.append(parser.value(o).toLongLong());
        return list;
    };
    const auto number = [&parser](const QCommandLineOption &o) { return parser.value(o).toInt(); };
    g_timeoutScale = std::max(1.0, parser.value(scaleOpt).toDouble());
    QFile samplesFile(parser.value(samplesOpt));
    if (parser.isSet(samplesOpt)) {
        if (!samplesFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "zb-bench: cannot write %s\n", qPrintable(samplesFile.fileName()));
            return 2;
        }
        samplesFile.write("phase,target,sent_ns,first_byte_ns,last_byte_ns,status,error\n");
        g_samples = &samplesFile;
    }
    const QStringList phases = parser.value(phasesOpt).split(u',', Qt::SkipEmptyParts);

    Settings settings;
    settings.apiKey = parser.value(keyOpt).toUtf8();
    settings.zaiToken = parser.value(tokenOpt).toUtf8();
    settings.feVersion = parser.value(feOpt).toUtf8();
    settings.bridgeModel = u"GLM-4.5"_s;         // not a persisted-chat model: no chats/new
    settings.upstreamModel = u"0727-360B-API"_s; // what GLM-4.5 maps to

    settings.profile = std::make_shared<const UpstreamProfile>(UpstreamProfile::builtIn());
    settings.model = settings.profile->catalogue().find(settings.bridgeModel);
    if (!settings.model) {
        std::fprintf(stderr, "zb-bench: the built-in catalogue has no %s\n",
                     qPrintable(settings.bridgeModel));
        return 2;
    }

    const auto builderFor = [&settings](quint16 targetPort) {
        return std::make_shared<const ZaiRequestBuilder>(
            *settings.profile,
            QUrl(u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(targetPort)), settings.secret);
    };
    Target direct{u"direct to the fake"_s, port(directOpt), false, {}, false,
                  builderFor(port(directOpt))};
    Target directMinimal{u"direct, minimal request"_s, port(directOpt), false, {}, true, {}};
    Target nginx{u"nginx"_s, port(nginxOpt), false,
                 parser.isSet(nginxPidOpt) ? withChildren(parser.value(nginxPidOpt).toLongLong())
                                           : QList<qint64>(),
                 false, builderFor(port(nginxOpt))};
    Target bridge{u"ZaiBridge"_s, port(bridgeOpt), true, pids(bridgePidOpt)};
    // The same server spoken to as Claude Code and as Codex speak to it.
    Target bridgeMessages = bridge;
    bridgeMessages.name = u"ZaiBridge, Anthropic Messages"_s;
    bridgeMessages.dialect = Dialect::Messages;
    Target bridgeResponses = bridge;
    bridgeResponses.name = u"ZaiBridge, OpenAI Responses"_s;
    bridgeResponses.dialect = Dialect::Responses;
    Target pacedDirect{u"direct to the fake"_s, port(pacedDirectOpt), false, {}, false,
                       builderFor(port(pacedDirectOpt))};
    Target pacedNginx{u"nginx"_s, port(pacedNginxOpt), false, nginx.pids, false,
                      builderFor(port(pacedNginxOpt))};
    Target pacedBridge{u"ZaiBridge"_s, port(pacedBridgeOpt), true, pids(pacedBridgePidOpt)};
    const QList<qint64> fakePids = pids(fakePidOpt);
    if (!direct.enabled() || !bridge.enabled()) {
        std::fprintf(stderr, "zb-bench: --direct and --bridge are required\n");
        return 2;
    }
    QList<Target> targets{direct};
    if (nginx.enabled())
        targets.append(nginx);
    targets.append(bridge);

    const int chunks = number(chunksOpt);
    // A prompt of `chunks` characters gives `chunks` answer deltas (one per character at most).
    QString streamPrompt = u"zb-bench streams this prompt back as a long answer, "_s;
    while (streamPrompt.size() < chunks)
        streamPrompt += u"one small delta at a time, "_s;
    streamPrompt.truncate(std::max(chunks, 16));
    BenchConversation streamConv = conversation({}, streamPrompt);
    BenchConversation shortConv = conversation({}, u"zb-bench: a short non-streaming question"_s);
    // 200 messages of 5 KiB (alternating user and assistant) before the same final prompt as the
    // streaming case, so the tiny and the large request get the same answer.
    QJsonArray history;
    for (int i = 0; i < 200; ++i) {
        QString text = u"Message %1: "_s.arg(i, 3, 10, QChar(u'0'));
        while (text.size() < 5120)
            text += u"lorem ipsum dolor sit amet, consectetur adipiscing elit. "_s;
        text.truncate(5120);
        history.append(QJsonObject{{u"role"_s, i % 2 ? u"assistant"_s : u"user"_s},
                                   {u"content"_s, text}});
    }
    BenchConversation bigConv = conversation(history, streamPrompt);
    for (BenchConversation *c : {&streamConv, &shortConv, &bigConv}) {
        ApiError error;
        const std::optional<ChatCompletionsRequest> parsed = ChatCompletionsRequest::parse(bridgeBody(settings, *c, true), &error);
        if (!parsed) {
            std::fprintf(stderr, "zb-bench: the bench's own request does not parse: %s\n",
                         qPrintable(error.message()));
            return 2;
        }
        c->parsed = parsed->conversation;
    }

    Report report;
    const QString now = QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm"_s);
    report.text(u"Measured %1 UTC on %2 (%3 CPUs), %4, Qt %5 at run time."_s.arg(
        now, cpuModel(), QString::number(QThread::idealThreadCount()), QSysInfo::prettyProductName(),
        QString::fromLatin1(qVersion())));
    const QString loadAtStart = loadAverage();
    const QStringList envLines = parser.values(envOpt);
    for (const QString &line : envLines)
        report.text(line + u"  "_s); // a Markdown line break
    if (parser.isSet(commandOpt)) {
        report.text(QString());
        report.text(u"Command: `"_s + parser.value(commandOpt) + u'`');
    }

    // --- warm-up: guest token, FE version, connections, caches -------------------------------
    const qint64 bridgeStartKiB = statusKiB(bridge.pids, "VmRSS"_ba);
    progress(u"warming up"_s);
    QObject connections;
    QHash<QString, HttpConnection *> conn; // one keep-alive connection per target
    // The latency table also shows the direct call with the minimal request of earlier runs.
    QList<Target> latencyTargets = targets;
    latencyTargets.insert(1, directMinimal);
    latencyTargets << bridgeMessages << bridgeResponses;
    for (const Target &t : std::as_const(latencyTargets))
        conn.insert(t.name, new HttpConnection(t.port, &connections));
    for (const Target &t : std::as_const(latencyTargets)) {
        for (int i = 0; i < 30; ++i) {
            const bool stream = i % 2 == 0;
            const BenchConversation &c = stream ? streamConv : shortConv;
            const Response r = runOne(conn.value(t.name), requestFor(settings, t, c, stream), scaled(10000));
            const QString error = validate(t, r, c, stream || !t.bridge);
            if (!error.isEmpty()) {
                std::fprintf(stderr, "zb-bench: warm-up request to %s failed: %s\n",
                             qPrintable(t.name), qPrintable(error));
                return 1;
            }
        }
    }
    if (pacedNginx.enabled()) {
        HttpConnection c(pacedNginx.port);
        const Response r = runOne(&c, requestFor(settings, pacedNginx, shortConv, true), scaled(10000));
        const QString error = validate(pacedNginx, r, shortConv, true);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "zb-bench: warm-up of nginx in front of the paced fake failed: %s\n",
                         qPrintable(error));
            return 1;
        }
    }
    if (pacedBridge.enabled()) {
        HttpConnection c(pacedBridge.port);
        const Response r = runOne(&c, requestFor(settings, pacedBridge, shortConv, false), scaled(10000));
        const QString error = validate(pacedBridge, r, shortConv, false);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "zb-bench: warm-up of the paced ZaiBridge failed: %s\n",
                         qPrintable(error));
            return 1;
        }
    }
    {
        QEventLoop settle;
        QTimer::singleShot(300, &settle, &QEventLoop::quit);
        settle.exec();
    }
    const qint64 bridgeIdleKiB = statusKiB(bridge.pids, "VmRSS"_ba);
    const qint64 nginxIdleKiB = statusKiB(nginx.pids, "VmRSS"_ba);
    const qint64 pacedIdleKiB = statusKiB(pacedBridge.pids, "VmRSS"_ba);

    // Values for the summary table (NaN = not measured).
    const double nan = std::nan("");
    double directFirstP50 = nan, addedFirstP50 = nan, addedFirstNginx = nan;
    double cpuPer1000 = nan, cpuPer1000Nginx = nan;
    double streamsTotal = nan, streamsTotalNginx = nan;           // zero-delay case, ms
    double pacedTotal = nan, pacedTotalNginx = nan;               // paced case, ms
    int pacedErrors = 0;
    qint64 peakKiB = 0;
    int streamErrors = 0;
    bool streamsMeasured = false;

    // --- 1. latency at concurrency 1 ----------------------------------------------------------
    if (phases.contains(u"latency"_s)) {
        const int n = number(latencyOpt);
        progress(u"latency: %1 streamed requests per target, concurrency 1"_s.arg(n));
        QHash<QString, Latency> lat;
        // Summed around each request: ZaiBridge's three dialects share one process.
        QHash<QString, double> cpuUsed;
        for (int i = 0; i < n; ++i) {
            for (qsizetype k = 0; k < latencyTargets.size(); ++k) {
                // Rotate the order so that no target always follows the same one.
                const Target &t = latencyTargets.at((i + k) % latencyTargets.size());
                const double cpu0 = t.pids.isEmpty() ? 0 : cpuSeconds(t.pids);
                const Response r = runOne(conn.value(t.name), requestFor(settings, t, streamConv, true),
                                          scaled(10000));
                if (!t.pids.isEmpty())
                    cpuUsed[t.name] += cpuSeconds(t.pids) - cpu0;
                const QString error = validate(t, r, streamConv, true);
                recordSample(u"latency"_s, t.name, r, error);
                addSample(lat[t.name], r, error);
            }
        }
        QHash<QString, double> cpuPerRequestMs;
        for (auto it = cpuUsed.cbegin(); it != cpuUsed.cend(); ++it)
            cpuPerRequestMs.insert(it.key(), it.value() * 1000.0 / n);
        report.section(u"1. Streaming latency at concurrency 1"_s);
        report.text(u"%1 streamed requests per target, interleaved, one keep-alive connection each; "
                    u"the answer is %2 deltas (%3 characters). First byte = the first byte of the "
                    u"HTTP response; last byte = the end of the chunked body. \"Added\" is the "
                    u"target's percentile minus the direct call's. The direct call, and nginx in "
                    u"front of the fake, send the request ZaiBridge itself sends upstream for this "
                    u"conversation (built by its own ZaiRequestBuilder: all the browser headers, "
                    u"query parameters and body fields), so that the fake's reading of that request "
                    u"counts on both sides; the row \"direct, minimal request\" sends only the fields "
                    u"the fake checks, as the runs before 2026-11-27 did for both. Server CPU is "
                    u"utime + stime read before and after each request, summed and divided by the "
                    u"requests (/proc counts in clock ticks: one request's figure is coarse, the "
                    u"sum is not). The two rows \"ZaiBridge, …\" are the same server spoken to as "
                    u"Claude Code (POST /v1/messages) and as Codex (POST /v1/responses) speak to "
                    u"it, with the same conversation and answer."_s
                        .arg(n).arg(std::min<qsizetype>(chunks, streamConv.expected.size()))
                        .arg(streamConv.expected.size()));
        report.text(QString());
        const Latency &base = lat.value(direct.name);
        QList<QStringList> rows;
        for (const Target &t : std::as_const(latencyTargets)) {
            const Latency &l = lat.value(t.name);
            const bool isBase = t.name == direct.name;
            const auto cell = [&](const QList<qint64> &mine, const QList<qint64> &theirs, double p) {
                const double v = ms(percentile(mine, p));
                return isBase ? fmt(v, 3) : fmt(v, 3) + u" ("_s + signedFmt(v - ms(percentile(theirs, p)), 3) + u')';
            };
            rows << QStringList{t.name, cell(l.first, base.first, 50), cell(l.first, base.first, 99),
                                cell(l.last, base.last, 50), cell(l.last, base.last, 99),
                                cpuPerRequestMs.contains(t.name) ? fmt(cpuPerRequestMs.value(t.name), 3)
                                                                 : u"–"_s,
                                QString::number(l.errors) + (l.errors ? u" ("_s + l.firstError + u')' : QString())};
        }
        report.table({u"target"_s, u"first byte p50 ms (added)"_s, u"first byte p99 ms (added)"_s,
                      u"last byte p50 ms (added)"_s, u"last byte p99 ms (added)"_s,
                      u"server CPU ms per request"_s, u"errors"_s},
                     rows);
        directFirstP50 = ms(percentile(base.first, 50));
        addedFirstP50 = ms(percentile(lat.value(bridge.name).first, 50) - percentile(base.first, 50));
        if (nginx.enabled())
            addedFirstNginx = ms(percentile(lat.value(nginx.name).first, 50) - percentile(base.first, 50));
    }

    // --- 2. CPU per 1,000 requests at concurrency 16 -------------------------------------------
    if (phases.contains(u"cpu"_s)) {
        const int n = number(cpuOpt);
        const int c = number(concurrencyOpt);
        report.section(u"2. CPU seconds per 1,000 requests at concurrency %1"_s.arg(c));
        report.text(u"%1 requests over %2 keep-alive connections after %3 warm-up requests; CPU = "
                    u"utime + stime from /proc/PID/stat (all threads; nginx: master + workers) "
                    u"before and after. ZaiBridge answers non-streaming requests (it reads the "
                    u"%4-delta upstream stream and returns one JSON object); nginx relays the "
                    u"fake's SSE answer to the same prompt as it is (the fake only streams). "
                    u"The fake's own CPU is shown for scale. The rows \"ZaiBridge, …\" ask the "
                    u"same server the same question as Claude Code and as Codex would, one run "
                    u"after the other."_s
                        .arg(n).arg(c).arg(std::min(n / 10, 500)).arg(shortConv.expected.size()));
        report.text(QString());
        QList<QStringList> rows;
        QList<Target> cpuTargets{bridge, bridgeMessages, bridgeResponses};
        if (nginx.enabled())
            cpuTargets.prepend(nginx);
        for (const Target &t : std::as_const(cpuTargets)) {
            progress(u"cpu: %1 requests to %2, concurrency %3"_s.arg(n).arg(t.name).arg(c));
            const auto make = [&](int) { return requestFor(settings, t, shortConv, false); };
            runLoad(t.port, c, std::min(n / 10, 500), make, scaled(60000), false);
            const CpuTime cpu0 = cpuTime(t.pids);
            const double fake0 = cpuSeconds(fakePids);
            const LoadRun run = runLoad(t.port, c, n, make, scaled(300000), false);
            const CpuTime used = cpuTime(t.pids) - cpu0;
            const double cpu = used.total();
            const double fakeCpu = cpuSeconds(fakePids) - fake0;
            int errors = 0;
            QString firstError;
            QList<qint64> last;
            for (const Response &r : run.responses) {
                const QString error = validate(t, r, shortConv, !t.bridge);
                recordSample(u"cpu"_s, t.name, r, error);
                if (!error.isEmpty()) {
                    if (errors++ == 0)
                        firstError = error;
                } else {
                    last.append(r.lastByte());
                }
            }
            errors += n - int(run.responses.size());
            const double per1000 = cpu / double(n) * 1000.0;
            if (t.bridge && t.dialect == Dialect::Chat)
                cpuPer1000 = per1000;
            else if (!t.bridge)
                cpuPer1000Nginx = per1000;
            rows << QStringList{t.name, fmt(per1000, 3),
                                fmt(used.user / double(n) * 1000.0, 3) + u" / "_s
                                    + fmt(used.system / double(n) * 1000.0, 3),
                                fmt(cpu, 2),
                                fmt(fakeCpu / double(n) * 1000.0, 3),
                                fmt(double(run.responses.size()) / (double(run.wallNs) / 1e9), 0),
                                fmt(ms(percentile(last, 50)), 2), fmt(ms(percentile(last, 99)), 2),
                                QString::number(errors) + (errors ? u" ("_s + firstError + u')' : QString())};
        }
        report.table({u"target"_s, u"CPU-s per 1,000"_s, u"of which user / sys"_s, u"CPU-s total"_s,
                      u"fake's CPU-s per 1,000"_s, u"requests/s"_s, u"latency p50 ms"_s,
                      u"latency p99 ms"_s, u"errors"_s},
                     rows);
    }

    // --- 3. concurrent streams -----------------------------------------------------------------
    const auto streamRun = [&](const Target &t, int n, int timeoutMs, const QString &phase) {
        StreamRun s;
        s.requested = n;
        s.idleKiB = statusKiB(t.pids, "VmRSS"_ba);
        const double cpu0 = cpuSeconds(t.pids);
        const auto make = [&](int) { return requestFor(settings, t, streamConv, true); };
        const auto sample = [&] {
            s.rssPeakKiB = std::max(s.rssPeakKiB, statusKiB(t.pids, "VmRSS"_ba));
            s.threadsPeak = std::max(s.threadsPeak, statusKiB(t.pids, "Threads"_ba));
        };
        const LoadRun run = runLoad(t.port, n, n, make, timeoutMs, true, t.pids.isEmpty() ? std::function<void()>() : sample, 5);
        sample();
        s.cpu = t.pids.isEmpty() ? -1 : cpuSeconds(t.pids) - cpu0;
        s.hwmKiB = statusKiB(t.pids, "VmHWM"_ba);
        s.wallNs = run.wallNs;
        for (const Response &r : run.responses) {
            const QString error = validate(t, r, streamConv, true);
            recordSample(phase, t.name, r, error);
            if (error.isEmpty()) {
                ++s.ok;
                s.first.append(r.firstByte());
                s.last.append(r.lastByte());
            } else if (s.errors++ == 0) {
                s.firstError = error;
            }
        }
        s.errors += n - int(run.responses.size());
        if (run.connectFailures && s.firstError.isEmpty())
            s.firstError = u"%1 connections failed"_s.arg(run.connectFailures);
        return s;
    };
    const auto streamRows = [&](const QList<std::pair<Target, StreamRun>> &runs) {
        QList<QStringList> rows;
        for (const auto &[t, s] : runs) {
            rows << QStringList{t.name, u"%1 / %2"_s.arg(s.ok).arg(s.requested),
                                QString::number(s.errors) + (s.errors ? u" ("_s + s.firstError + u')' : QString()),
                                fmt(ms(s.wallNs), 1), fmt(ms(percentile(s.first, 50)), 1),
                                fmt(ms(percentile(s.first, 99)), 1), fmt(ms(maxOf(s.first)), 1),
                                fmt(ms(maxOf(s.last)), 1),
                                s.cpu >= 0 ? fmt(s.cpu, 2) : u"–"_s,
                                t.pids.isEmpty() ? u"–"_s : fmt(mib(s.rssPeakKiB), 1),
                                t.pids.isEmpty() ? u"–"_s : QString::number(s.threadsPeak)};
        }
        return rows;
    };
    const QStringList streamHeader{u"target"_s, u"completed"_s, u"errors"_s, u"total ms"_s,
                                   u"first byte p50 ms"_s, u"first byte p99 ms"_s,
                                   u"first byte max ms"_s, u"slowest stream ms"_s, u"server CPU-s"_s, u"server RSS peak MiB"_s,
                                   u"server threads peak"_s};
    if (phases.contains(u"streams"_s)) {
        const int n = number(streamsOpt);
        QList<std::pair<Target, StreamRun>> runs;
        for (const Target &t : std::as_const(targets)) {
            progress(u"streams: %1 concurrent streams to %2"_s.arg(n).arg(t.name));
            runs.append({t, streamRun(t, n, scaled(120000), u"streams"_s)});
            if (t.name == nginx.name)
                streamsTotalNginx = ms(runs.last().second.wallNs);
            if (t.bridge) {
                streamsTotal = ms(runs.last().second.wallNs);
                streamErrors += runs.last().second.errors;
                // VmHWM lags behind the per-thread RSS counters: take the larger of the two.
                peakKiB = std::max({peakKiB, runs.last().second.hwmKiB, runs.last().second.rssPeakKiB});
                streamsMeasured = true;
            }
        }
        report.section(u"3. %1 concurrent streams of %2 chunks (zero-delay fake)"_s.arg(n).arg(chunks));
        report.text(u"%1 connections are opened first, then all %1 requests leave at once. A stream "
                    u"counts as completed when its answer is exactly the fake's echo and ends "
                    u"properly ([DONE] / done); total = first send to last byte of the last "
                    u"stream. RSS is sampled every 5 ms."_s.arg(n));
        report.text(QString());
        report.table(streamHeader, streamRows(runs));
    }
    if (phases.contains(u"paced"_s) && pacedDirect.enabled() && pacedBridge.enabled()) {
        const int n = number(streamsOpt);
        const int delay = parser.value(pacedDelayOpt).toInt();
        QList<std::pair<Target, StreamRun>> runs;
        QList<Target> pacedTargets{pacedDirect};
        if (pacedNginx.enabled())
            pacedTargets.append(pacedNginx);
        pacedTargets.append(pacedBridge);
        for (const Target &t : std::as_const(pacedTargets)) {
            progress(u"paced streams: %1 concurrent streams to %2"_s.arg(n).arg(t.name));
            runs.append({t, streamRun(t, n, scaled(180000), u"paced"_s)});
            if (t.name == pacedNginx.name) {
                pacedTotalNginx = ms(runs.last().second.wallNs);
                pacedErrors += runs.last().second.errors;
            }
            if (t.bridge) {
                pacedTotal = ms(runs.last().second.wallNs);
                pacedErrors += runs.last().second.errors;
                streamErrors += runs.last().second.errors;
                // VmHWM lags behind the per-thread RSS counters: take the larger of the two.
                peakKiB = std::max({peakKiB, runs.last().second.hwmKiB, runs.last().second.rssPeakKiB});
                streamsMeasured = true;
            }
        }
        report.section(u"3b. %1 concurrent streams of %2 chunks, paced (%3 ms between events)"_s
                           .arg(n).arg(chunks).arg(delay));
        report.text(u"A second fake pauses %1 ms between events, so each stream lasts about %2 s "
                    u"and all %3 are open at the same time: if upstream calls queued behind six "
                    u"connections per host, the last streams would get their first byte after "
                    u"about %4 s and the total would grow accordingly. A "
                    u"second ZaiBridge (idle RSS %5 MiB) serves this case. nginx (the same "
                    u"processes as above, on a second port) relays to a third fake of the same "
                    u"kind: sharing ZaiBridge's, its idle upstream keep-alive connections would "
                    u"stay in that fake's poll set during ZaiBridge's run and slow it down."_s
                        .arg(delay).arg(fmt(delay * chunks / 1000.0, 1)).arg(n)
                        .arg(fmt(std::ceil(n / 6.0) * delay * chunks / 1000.0, 0))
                        .arg(fmt(mib(pacedIdleKiB), 1)));
        report.text(QString());
        report.table(streamHeader, streamRows(runs));
    }

    // --- 4. a ~1 MiB request -------------------------------------------------------------------
    if (phases.contains(u"big"_s)) {
        const int n = number(bigOpt);
        progress(u"big: %1 tiny and %1 large streamed requests per target"_s.arg(n));
        QHash<QString, Latency> tiny, big;
        qint64 bigBytes = 0;
        for (int i = 0; i < n; ++i) {
            for (qsizetype k = 0; k < targets.size(); ++k) {
                const Target &t = targets.at((i + k) % targets.size());
                for (int j = 0; j < 2; ++j) {
                    const bool large = (i + j) % 2 == 0;
                    const BenchConversation &c = large ? bigConv : streamConv;
                    const QByteArray request = requestFor(settings, t, c, true);
                    if (large && t.bridge)
                        bigBytes = request.size() - request.indexOf("\r\n\r\n") - 4;
                    const Response r = runOne(conn.value(t.name), request, scaled(20000));
                    const QString error = validate(t, r, c, true);
                    recordSample(large ? u"big-large"_s : u"big-tiny"_s, t.name, r, error);
                    addSample(large ? big[t.name] : tiny[t.name], r, error);
                }
            }
        }
        report.section(u"4. A %1 MiB request (200 messages of 5 KiB) against a tiny one"_s.arg(fmt(bigBytes / 1048576.0, 2)));
        report.text(u"%1 streamed requests of each kind per target, interleaved, concurrency 1. "
                    u"The large request's body is %2 bytes: 200 messages of 5,120 characters "
                    u"(alternating user and assistant) followed by the same final prompt as the "
                    u"tiny request, so both get the same %3-delta answer. \"Large − tiny\" is "
                    u"what the size costs on that path (the fake parses the 1 MiB too); "
                    u"ZaiBridge's own share is its large − tiny minus the direct call's."_s
                        .arg(n).arg(bigBytes).arg(std::min<qsizetype>(chunks, streamConv.expected.size())));
        report.text(QString());
        QList<QStringList> rows;
        const auto d50 = [&](const QString &name, bool last) {
            const Latency &b = big.value(name), &s = tiny.value(name);
            return ms(percentile(last ? b.last : b.first, 50) - percentile(last ? s.last : s.first, 50));
        };
        for (const Target &t : std::as_const(targets)) {
            const Latency &b = big.value(t.name), &s = tiny.value(t.name);
            const int errors = b.errors + s.errors;
            rows << QStringList{t.name,
                                fmt(ms(percentile(s.first, 50)), 2), fmt(ms(percentile(b.first, 50)), 2),
                                fmt(ms(percentile(s.last, 50)), 2), fmt(ms(percentile(b.last, 50)), 2),
                                signedFmt(d50(t.name, false), 2), signedFmt(d50(t.name, true), 2),
                                QString::number(errors) + (errors ? u" ("_s + (b.errors ? b.firstError : s.firstError) + u')' : QString())};
        }
        report.table({u"target"_s, u"tiny first byte p50 ms"_s, u"large first byte p50 ms"_s,
                      u"tiny last byte p50 ms"_s, u"large last byte p50 ms"_s,
                      u"large − tiny, first byte"_s, u"large − tiny, last byte"_s, u"errors"_s},
                     rows);
        report.text(QString());
        report.text(u"ZaiBridge's own share of the size, last byte: %1 ms%2."_s
                        .arg(fmt(d50(bridge.name, true) - d50(direct.name, true), 2))
                        .arg(nginx.enabled() ? u" (nginx's: "_s
                                                   + fmt(d50(nginx.name, true) - d50(direct.name, true), 2)
                                                   + u" ms)"_s
                                             : QString()));
    }

    // --- 5. memory -----------------------------------------------------------------------------
    report.section(u"5. Memory"_s);
    {
        QList<QStringList> rows;
        rows << QStringList{u"ZaiBridge"_s, fmt(mib(bridgeStartKiB), 1), fmt(mib(bridgeIdleKiB), 1),
                            fmt(mib(statusKiB(bridge.pids, "VmRSS"_ba)), 1),
                            fmt(mib(statusKiB(bridge.pids, "VmHWM"_ba)), 1)};
        if (pacedBridge.enabled())
            rows << QStringList{u"ZaiBridge (paced case)"_s, u"–"_s, fmt(mib(pacedIdleKiB), 1),
                                fmt(mib(statusKiB(pacedBridge.pids, "VmRSS"_ba)), 1),
                                fmt(mib(statusKiB(pacedBridge.pids, "VmHWM"_ba)), 1)};
        if (nginx.enabled())
            rows << QStringList{u"nginx (master + %1 worker)"_s.arg(nginx.pids.size() - 1), u"–"_s,
                                fmt(mib(nginxIdleKiB), 1), fmt(mib(statusKiB(nginx.pids, "VmRSS"_ba)), 1),
                                fmt(mib(statusKiB(nginx.pids, "VmHWM"_ba)), 1)};
        report.text(u"VmRSS / VmHWM from /proc/PID/status. \"Idle\" is after the warm-up (guest "
                    u"token and FE version fetched, connections open); VmHWM is the high-water "
                    u"mark over the whole run, including the 1 MiB requests."_s);
        report.text(QString());
        report.table({u"process"_s, u"RSS at start MiB"_s, u"RSS idle MiB"_s,
                      u"RSS at the end MiB"_s, u"VmHWM MiB"_s},
                     rows);
    }

    report.text(QString());
    report.text(u"Load average (1 min) at the start and the end of the run: %1 and %2."_s.arg(
        loadAtStart, loadAverage()));

    // --- summary -------------------------------------------------------------------------------
    // The targets of issue 14: ratios against nginx (or the direct call) in this same run, so
    // that they hold on a fast and on a slow machine alike; the memory targets are absolute.
    report.section(u"Targets (issue 14): against nginx in this run"_s);
    report.text(u"Each ratio compares ZaiBridge with nginx, or with the direct call, measured in "
                u"this run, on the same machine at the same load. The memory targets are absolute; "
                u"nginx's figures are shown for scale."_s);
    report.text(QString());
    const auto verdict = [](double value, double limit) {
        if (std::isnan(value))
            return u"not measured"_s;
        return value <= limit ? u"met"_s : u"**not met**"_s;
    };
    const auto show = [](double value, int decimals, const QString &unit) {
        return std::isnan(value) ? u"–"_s : fmt(value, decimals) + unit;
    };
    const auto ratio = [](double mine, double theirs) {
        return std::isnan(mine) || std::isnan(theirs) || theirs <= 0
                   ? std::numeric_limits<double>::quiet_NaN()
                   : mine / theirs;
    };
    QList<QStringList> rows;
    rows << QStringList{u"first-byte overhead over the direct call, p50 (streamed, c = 1)"_s,
                        u"≤ 1 ms"_s, show(directFirstP50 + addedFirstP50, 3, u" ms"_s),
                        u"direct call "_s + show(directFirstP50, 3, u" ms"_s) + u"; nginx's overhead "_s
                            + show(addedFirstNginx, 3, u" ms"_s),
                        show(addedFirstP50, 3, u" ms"_s), verdict(addedFirstP50, 1.0)};
    const double cpuRatio = ratio(cpuPer1000, cpuPer1000Nginx);
    rows << QStringList{u"CPU per 1,000 requests (c = 16)"_s, u"≤ 3× nginx's"_s,
                        show(cpuPer1000, 3, u" CPU-s"_s), u"nginx "_s + show(cpuPer1000Nginx, 3, u" CPU-s"_s),
                        show(cpuRatio, 2, u"×"_s), verdict(cpuRatio, 3.0)};
    // The paced case is the one a user sees (a real upstream sends its tokens over seconds); a
    // stream that failed fails the target whatever the time.
    const double pacedRatio = pacedErrors > 0 ? std::numeric_limits<double>::infinity()
                                              : ratio(pacedTotal, pacedTotalNginx);
    rows << QStringList{u"%1 paced streams (%2 ms between events), total time"_s
                            .arg(number(streamsOpt)).arg(parser.value(pacedDelayOpt)),
                        u"≤ 1.2× nginx's"_s, show(pacedTotal, 1, u" ms"_s),
                        u"nginx "_s + show(pacedTotalNginx, 1, u" ms"_s),
                        pacedErrors > 0 ? u"%1 errors"_s.arg(pacedErrors) : show(pacedRatio, 2, u"×"_s),
                        verdict(pacedRatio, 1.2)};
    const double idle = bridgeIdleKiB > 0 ? mib(bridgeIdleKiB) : nan;
    rows << QStringList{u"RSS idle"_s, u"≤ 25 MiB"_s, show(idle, 1, u" MiB"_s),
                        nginx.enabled() ? u"nginx "_s + fmt(mib(nginxIdleKiB), 1) + u" MiB"_s : u"–"_s,
                        u"–"_s, verdict(idle, 25)};
    const double peak = streamsMeasured && peakKiB > 0 ? mib(peakKiB) : nan;
    rows << QStringList{u"RSS at the %1-stream peak"_s.arg(number(streamsOpt)), u"≤ 40 MiB"_s,
                        show(peak, 1, u" MiB"_s), u"–"_s, u"–"_s, verdict(peak, 40)};
    report.table({u"target"_s, u"limit"_s, u"ZaiBridge"_s, u"reference, this run"_s,
                  u"ratio / overhead"_s, u"met?"_s},
                 rows);
    report.text(QString());
    report.text(u"Not a target: the zero-delay %1-stream case (section 3, the fake's whole answers "
                u"in one burst) took ZaiBridge %2 and nginx %3 (%4). Errors in the "
                u"concurrent-stream cases: %5."_s
                    .arg(number(streamsOpt))
                    .arg(show(streamsTotal, 1, u" ms"_s), show(streamsTotalNginx, 1, u" ms"_s),
                         show(ratio(streamsTotal, streamsTotalNginx), 2, u"×"_s),
                         streamsMeasured ? QString::number(streamErrors) : u"not measured"_s));

    const QString markdown = report.markdown();
    out(markdown);
    if (parser.isSet(markdownOpt)) {
        QFile file(parser.value(markdownOpt));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "zb-bench: cannot write %s\n", qPrintable(parser.value(markdownOpt)));
            return 1;
        }
        file.write(markdown.toUtf8());
    }
    return 0;
}
