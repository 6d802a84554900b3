// SPDX-License-Identifier: MIT
#include "IntegrationSupport.h"

#include <QTimer>

#include <QFile>
#include <QtEndian>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSslKey>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

// --- HttpResponse --------------------------------------------------------------------------

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpResponse::hasHeader(const QByteArray &name) const
{
    for (const auto &pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString HttpResponse::answer() const
{
    return json()
        .value(QLatin1StringView("choices"))
        .toArray()
        .first()
        .toObject()
        .value(QLatin1StringView("message"))
        .toObject()
        .value(QLatin1StringView("content"))
        .toString();
}

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

// --- SSE -----------------------------------------------------------------------------------

QList<SseEvent> Sse::parse(const QByteArray &body)
{
    QList<SseEvent> events;
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf("\n\n", start);
        if (end < 0)
            end = body.size();
        const QByteArray raw = body.mid(start, end - start);
        start = end + 2;
        if (raw.isEmpty())
            continue;
        SseEvent event;
        event.raw = raw;
        if (raw.startsWith(':')) {
            event.comment = true;
        } else if (raw.startsWith("data: ")) {
            event.data = raw.mid(6);
            const QJsonDocument doc = QJsonDocument::fromJson(event.data);
            if (doc.isObject())
                event.json = doc.object();
        } else if (raw.startsWith("data:")) {
            event.data = raw.mid(5);
        }
        events.append(event);
    }
    return events;
}

QList<QJsonObject> Sse::chunks(const QList<SseEvent> &events)
{
    QList<QJsonObject> out;
    for (const SseEvent &e : events) {
        if (!e.json.isEmpty())
            out.append(e.json);
    }
    return out;
}

namespace {
QString deltaField(const QList<QJsonObject> &chunks, QLatin1StringView field)
{
    QString text;
    for (const QJsonObject &c : chunks) {
        const QJsonArray choices = c.value("choices"_L1).toArray();
        for (const QJsonValue &choice : choices)
            text += choice.toObject().value("delta"_L1).toObject().value(field).toString();
    }
    return text;
}
} // namespace

QString Sse::content(const QList<QJsonObject> &chunks)
{
    return deltaField(chunks, "content"_L1);
}

QString Sse::reasoning(const QList<QJsonObject> &chunks)
{
    return deltaField(chunks, "reasoning_content"_L1);
}

// --- TestBed -------------------------------------------------------------------------------

CaptchaTicket *MintingCaptchaSource::obtain(const CaptchaAsk &, QObject *owner)
{
    auto *ticket = new CaptchaTicket(owner);
    QTimer::singleShot(0, ticket, [this, ticket] { Q_EMIT ticket->ready(m_fake->mintCaptchaParam()); });
    return ticket;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

bool live2026()
{
    return qEnvironmentVariableIntValue("ZB_LIVE_2026") == 1;
}

TestBed::TestBed() : fake(std::make_unique<FakeZaiServer>())
{
    if (live2026()) {
        fake->setLive2026(true);
        liveCaptcha = std::make_unique<MintingCaptchaSource>(fake.get());
    }
    config.listenHost = u"127.0.0.1"_s;
    config.listenPort = 0;
    config.upstreamTimeoutMs = 15000;
}

TestBed::~TestBed()
{
    stop();
    server.reset();
    fake.reset();
}

bool TestBed::start(QString *error)
{
    if (fake->port() == 0 && !fake->start()) {
        if (error)
            *error = u"fake upstream: "_s + fake->errorString();
        return false;
    }
    if (config.endpoint.isEmpty())
        config.endpoint = fake->baseUrl().toString() + u"/api/v2/chat/completions"_s;
    if (live2026() && config.tokens.isEmpty() && !guestsOnLive) {
        // Guests get GLM-4.7 only on the live service: the user has signed in (the Z.AI
        // window gives the bridge the account's token).
        const QString token = makeToken(u"live-user"_s);
        fake->addValidToken(token);
        config.tokens.append(token);
    }
    if (!server) {
        server = std::make_unique<ApiServer>();
        server->setCaptchaSource(liveCaptcha.get());
    }
    QString message;
    if (!server->start(config, profile ? *profile : UpstreamProfile::builtIn(), &message)) {
        if (error)
            *error = message;
        return false;
    }
    return true;
}

void TestBed::stop()
{
    if (server)
        server->stop();
}

QUrl TestBed::url(const QString &path) const
{
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(port());
    const qsizetype query = path.indexOf(u'?');
    u.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        u.setQuery(path.mid(query + 1));
    return u;
}

QString TestBed::makeToken(const QString &userId)
{
    const auto b64 = [](const QByteArray &data) {
        return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray header = b64(R"({"alg":"HS256","typ":"JWT"})"_ba);
    const QByteArray payload = b64(QJsonDocument(QJsonObject{{"id"_L1, userId},
                                                             {"email"_L1, QString(userId + u"@example.com"_s)}})
                                       .toJson(QJsonDocument::Compact));
    const QByteArray signature = b64("signature-of-" + userId.toUtf8());
    return QString::fromLatin1(header + '.' + payload + '.' + signature);
}

// --- Http ----------------------------------------------------------------------------------

HttpResponse Http::request(const QByteArray &method, const QUrl &url, const QByteArray &body,
                           const HeaderPairs &headers, int timeoutMs)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QNetworkRequest request(url);
    bool haveType = false;
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
        haveType |= name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !haveType)
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(timeoutMs);

    HttpResponse response;
    if (!reply->isFinished()) {
        reply->abort();
        response.networkError = u"timeout"_s;
        return response;
    }
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        response.headers.append(pair);
    response.body = reply->readAll();
    response.rawBody = response.body;
    response.complete = true;
    if (reply->error() != QNetworkReply::NoError)
        response.networkError = reply->errorString();
    return response;
}

QByteArray chatBody(const QString &model, const QString &prompt, bool stream,
                    const QJsonObject &extra)
{
    QJsonObject body{{"model"_L1, model},
                     {"messages"_L1, QJsonArray{QJsonObject{{"role"_L1, u"user"_s},
                                                            {"content"_L1, prompt}}}},
                     {"stream"_L1, stream}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return chatBody(body);
}

QByteArray chatBody(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// --- RawClient -----------------------------------------------------------------------------

RawClient::RawClient(QObject *parent) : QObject(parent), m_socket(new QTcpSocket(this))
{
    m_socket->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    connect(m_socket, &QTcpSocket::readyRead, this, &RawClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        onReadyRead();
        m_closed = true;
        parse();
    });
}

RawClient::~RawClient()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

bool RawClient::connectTo(quint16 port, int timeoutMs)
{
    m_port = port;
    m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    return QTest::qWaitFor(
        [this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void RawClient::send(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

void RawClient::sendRequest(const QByteArray &method, const QByteArray &path,
                            const QByteArray &body, const HeaderPairs &headers,
                            const QByteArray &host)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\n";
    out += "Host: " + (host.isEmpty() ? "127.0.0.1:" + QByteArray::number(m_port) : host) + "\r\n";
    bool haveType = false;
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
        haveType |= name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() || method == "POST") {
        if (!haveType)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    out += "\r\n" + body;
    send(out);
}

void RawClient::onReadyRead()
{
    if (!m_socket->isReadable())
        return;
    const QByteArray bytes = m_socket->readAll();
    if (bytes.isEmpty())
        return;
    m_buffer += bytes;
    m_allBytes += bytes;
    parse();
}

void RawClient::parse()
{
    for (;;) {
        if (!m_haveHead) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            m_buffer.remove(0, end + 4);
            HttpResponse head;
            head.statusLine = lines.value(0).trimmed();
            head.status = head.statusLine.split(' ').value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    head.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            if (head.status >= 100 && head.status < 200)
                continue; // interim (100 Continue): the real response follows
            m_current = head;
            m_haveHead = true;
            m_current.chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
            m_chunkRemaining = -1;
            if (m_current.chunked)
                m_contentLength = -1;
            else if (m_current.hasHeader("content-length"))
                m_contentLength = m_current.header("content-length").toLongLong();
            else if (m_current.status == 204 || m_current.status == 304)
                m_contentLength = 0;
            else
                m_contentLength = -2; // until the server closes
        }

        bool complete = false;
        if (m_current.chunked) {
            for (;;) {
                if (m_chunkRemaining < 0) {
                    const qsizetype eol = m_buffer.indexOf("\r\n");
                    if (eol < 0)
                        break;
                    bool ok = false;
                    const qint64 size = m_buffer.left(eol).split(';').first().trimmed().toLongLong(&ok, 16);
                    if (!ok) { // garbage: keep it visible and stop parsing
                        m_current.rawBody += m_buffer;
                        m_buffer.clear();
                        break;
                    }
                    if (size == 0) {
                        // Terminating chunk; no trailers are expected.
                        const qsizetype trailerEnd = m_buffer.indexOf("\r\n\r\n");
                        if (trailerEnd < 0)
                            break;
                        m_current.rawBody += m_buffer.left(trailerEnd + 4);
                        m_buffer.remove(0, trailerEnd + 4);
                        complete = true;
                        break;
                    }
                    m_current.rawBody += m_buffer.left(eol + 2);
                    m_buffer.remove(0, eol + 2);
                    m_chunkRemaining = size;
                }
                if (m_buffer.size() < m_chunkRemaining + 2)
                    break;
                m_current.body += m_buffer.left(m_chunkRemaining);
                m_current.rawBody += m_buffer.left(m_chunkRemaining + 2);
                m_buffer.remove(0, m_chunkRemaining + 2);
                m_chunkRemaining = -1;
            }
        } else if (m_contentLength >= 0) {
            const qint64 need = m_contentLength - m_current.body.size();
            const QByteArray take = m_buffer.left(need);
            m_current.body += take;
            m_current.rawBody += take;
            m_buffer.remove(0, take.size());
            complete = m_current.body.size() == m_contentLength;
        } else {
            m_current.body += m_buffer;
            m_current.rawBody += m_buffer;
            m_buffer.clear();
            complete = m_closed;
        }
        if (!complete)
            return;
        m_current.complete = true;
        m_finished.append(m_current);
        m_current = HttpResponse();
        m_haveHead = false;
    }
}

HttpResponse RawClient::readResponse(int timeoutMs)
{
    (void)QTest::qWaitFor([this] { return !m_finished.isEmpty() || m_closed; }, timeoutMs);
    if (!m_finished.isEmpty())
        return m_finished.takeFirst();
    HttpResponse partial = m_current;
    m_current = HttpResponse();
    m_haveHead = false;
    return partial;
}

bool RawClient::waitFor(const std::function<bool(const HttpResponse &)> &done, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            if (!m_finished.isEmpty() && done(m_finished.first()))
                return true;
            return done(m_current);
        },
        timeoutMs);
}

bool RawClient::waitForBody(const QByteArray &needle, int timeoutMs)
{
    return waitFor([&](const HttpResponse &r) { return r.body.contains(needle); }, timeoutMs);
}

bool RawClient::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState && !m_closed;
}

bool RawClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

void RawClient::abort()
{
    m_socket->disconnect(this);
    m_socket->abort();
    m_closed = true;
}

void pipeToLocalPort(QTcpSocket *client, quint16 port, const QByteArray &initial,
                     const std::function<void(const QByteArray &)> &onClientBytes)
{
    auto *upstream = new QTcpSocket(client);
    upstream->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    // No Nagle on either side: a relay that holds small writes back for the peer's delayed ACK
    // would add 40 ms to every answer.
    client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto pending = std::make_shared<QByteArray>(initial);
    QObject::connect(client, &QTcpSocket::readyRead, upstream, [client, upstream, pending, onClientBytes] {
        const QByteArray data = client->readAll();
        if (onClientBytes)
            onClientBytes(data);
        if (upstream->state() == QAbstractSocket::ConnectedState)
            upstream->write(data);
        else
            *pending += data;
    });
    QObject::connect(upstream, &QTcpSocket::connected, upstream, [upstream, pending] {
        upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        upstream->write(*pending);
        pending->clear();
    });
    QObject::connect(upstream, &QTcpSocket::readyRead, client,
                     [client, upstream] { client->write(upstream->readAll()); });
    QObject::connect(upstream, &QTcpSocket::disconnected, client,
                     [client] { client->disconnectFromHost(); });
    QObject::connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
        upstream->disconnectFromHost();
        client->deleteLater();
    });
    upstream->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
}

TinyProxy::TinyProxy(quint16 targetPort, quint16 tunnelPort)
    : m_targetPort(targetPort), m_tunnelPort(tunnelPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TinyProxy::onNewConnection);
}

// A request line in absolute form; group 1 is "METHOD absolute-URL".
static const QRegularExpression &absoluteFormRequestLine()
{
    static const QRegularExpression re(
        QStringLiteral("((?:GET|POST|PUT|DELETE|HEAD|OPTIONS) http://\\S+) HTTP/1\\.[01]\r\n"));
    return re;
}

QStringList TinyProxy::requestLines() const
{
    QStringList lines;
    for (const QByteArray &stream : m_streams) {
        auto it = absoluteFormRequestLine().globalMatch(QString::fromLatin1(stream));
        while (it.hasNext())
            lines.append(it.next().captured(1));
    }
    return lines;
}

QByteArray TinyProxy::allClientBytes() const
{
    QByteArray all;
    for (const QByteArray &s : m_streams)
        all += s;
    return all;
}

void TinyProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_connections;
        const qsizetype index = m_streams.size();
        m_streams.append(QByteArray());
        const auto record = [this, index](const QByteArray &data) { m_streams[index] += data; };
        // Read the first request's head, check the credentials, then hand the connection over:
        // relayed as it is, or as a tunnel after a CONNECT.
        auto head = std::make_shared<QByteArray>();
        auto reader = std::make_shared<QMetaObject::Connection>();
        *reader = connect(client, &QTcpSocket::readyRead, this, [this, client, head, reader, record, index] {
            const QByteArray data = client->readAll();
            record(data);
            *head += data;
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            disconnect(*reader);
            const QList<QByteArray> lines = head->left(end).split('\n');
            if (!m_credentials.isEmpty()) {
                bool authorized = false;
                for (const QByteArray &line : lines) {
                    const qsizetype colon = line.indexOf(':');
                    authorized |= colon > 0
                        && line.left(colon).trimmed().compare("proxy-authorization", Qt::CaseInsensitive) == 0
                        && line.mid(colon + 1).trimmed() == m_credentials;
                }
                if (!authorized) {
                    ++m_challenges;
                    m_challenged.insert(index);
                    client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                  "Proxy-Authenticate: Basic realm=\"zaibridge-test\"\r\n"
                                  "Connection: close\r\nContent-Length: 0\r\n\r\n");
                    client->disconnectFromHost();
                    return;
                }
            }
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            if (requestLine.value(0) != "CONNECT") {
                pipeToLocalPort(client, m_targetPort, *head, record);
                return;
            }
            m_tunnels.append(QString::fromLatin1(requestLine.value(1)));
            client->write("HTTP/1.1 200 Connection established\r\n\r\n");
            pipeToLocalPort(client, m_tunnelPort, head->mid(end + 4), record);
        });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
    }
}

int TinyProxy::relayedHeadsWithoutCredentials() const
{
    int missing = 0;
    for (qsizetype i = 0; i < m_streams.size(); ++i) {
        if (m_challenged.contains(i))
            continue;
        const QString text = QString::fromLatin1(m_streams.at(i));
        auto it = absoluteFormRequestLine().globalMatch(text);
        while (it.hasNext()) {
            const qsizetype start = it.next().capturedStart();
            const QString head = text.mid(start, text.indexOf(QStringLiteral("\r\n\r\n"), start) - start);
            missing += !head.contains(QStringLiteral("\r\nproxy-authorization:"), Qt::CaseInsensitive);
        }
    }
    return missing;
}

void TinyProxy::requireCredentials(const QByteArray &user, const QByteArray &password)
{
    m_credentials = "Basic " + QByteArray(user + ':' + password).toBase64();
}

TinySocks5::TinySocks5(quint16 plainPort, quint16 tlsPort) : m_plainPort(plainPort), m_tlsPort(tlsPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TinySocks5::onNewConnection);
}

void TinySocks5::requireCredentials(const QByteArray &user, const QByteArray &password)
{
    m_user = user;
    m_password = password;
}

void TinySocks5::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        auto in = std::make_shared<QByteArray>();
        auto stage = std::make_shared<int>(0);
        auto reader = std::make_shared<QMetaObject::Connection>();
        *reader = connect(client, &QTcpSocket::readyRead, this, [this, client, in, stage, reader] {
            *in += client->readAll();
            bool done = false;
            bool failed = false;
            while (!done && !failed && step(client, *in, *stage, done, failed)) {
            }
            if (failed) {
                disconnect(*reader);
                client->disconnectFromHost();
            }
        });
    }
}

bool TinySocks5::step(QTcpSocket *client, QByteArray &in, int &stage, bool &done, bool &failed)
{
    const auto byte = [&in](qsizetype i) { return quint8(in.at(i)); };
    switch (stage) {
    case 0: { // greeting: VER NMETHODS METHODS...
        if (in.size() < 2 || in.size() < 2 + byte(1))
            return false;
        const QByteArray methods = in.mid(2, byte(1));
        in.remove(0, 2 + byte(1));
        const char wanted = m_user.isEmpty() ? '\x00' : '\x02';
        if (!methods.contains(wanted)) {
            client->write(QByteArray("\x05\xff", 2));
            failed = true;
            return false;
        }
        client->write(QByteArray("\x05", 1) + wanted);
        stage = m_user.isEmpty() ? 2 : 1;
        return true;
    }
    case 1: { // RFC 1929: VER ULEN UNAME PLEN PASSWD
        if (in.size() < 2 || in.size() < 3 + byte(1) || in.size() < 3 + byte(1) + byte(2 + byte(1)))
            return false;
        const qsizetype userLength = byte(1);
        const qsizetype passwordLength = byte(2 + userLength);
        const bool ok = in.mid(2, userLength) == m_user
            && in.mid(3 + userLength, passwordLength) == m_password;
        in.remove(0, 3 + userLength + passwordLength);
        client->write(QByteArray(ok ? "\x01\x00" : "\x01\x01", 2));
        if (!ok) {
            ++m_refusedLogins;
            failed = true;
            return false;
        }
        stage = 2;
        return true;
    }
    default: { // VER CMD RSV ATYP DST.ADDR DST.PORT
        if (in.size() < 5)
            return false;
        qsizetype addressLength = 0;
        switch (byte(3)) {
        case 1: addressLength = 4; break;
        case 3: addressLength = 1 + byte(4); break;
        case 4: addressLength = 16; break;
        default: failed = true; return false;
        }
        if (in.size() < 4 + addressLength + 2)
            return false;
        QString host;
        if (byte(3) == 3) {
            host = QString::fromLatin1(in.mid(5, byte(4)));
        } else {
            host = byte(3) == 1 ? QHostAddress(qFromBigEndian<quint32>(in.constData() + 4)).toString()
                                : QHostAddress(reinterpret_cast<const quint8 *>(in.constData() + 4)).toString();
        }
        const quint16 port = qFromBigEndian<quint16>(in.constData() + 4 + addressLength);
        const bool isConnect = byte(1) == 1;
        in.remove(0, 4 + addressLength + 2);
        if (!isConnect) { // BIND and UDP ASSOCIATE: "command not supported"
            client->write(QByteArray("\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00", 10));
            failed = true;
            return false;
        }
        m_targets.append(host + u':' + QString::number(port));
        client->write(QByteArray("\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10));
        QObject::disconnect(client, &QTcpSocket::readyRead, this, nullptr);
        pipeToLocalPort(client, port == 443 ? m_tlsPort : m_plainPort, in);
        in.clear();
        done = true;
        return false;
    }
    }
}

TlsFront::TlsFront(quint16 targetPort) : m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            ++m_handshakes;
            pipeToLocalPort(client, m_targetPort, {});
            if (client->bytesAvailable() > 0) // bytes that came with the end of the handshake
                emit client->readyRead();
        }
    });
    connect(&m_server, &QSslServer::errorOccurred, this,
            [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_failed; });
}

static QByteArray readTlsFile(const char *name)
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/tls/") + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QSslCertificate TlsFront::testCa()
{
    return QSslCertificate(readTlsFile("ca.pem"));
}

bool TlsFront::start(QString *error)
{
    const QSslCertificate certificate(readTlsFile("server.pem"));
    const QSslKey key(readTlsFile("server.key"), QSsl::Ec);
    if (certificate.isNull() || key.isNull()) {
        if (error)
            *error = QStringLiteral("cannot read the test certificate in " ZB_TEST_DATA_DIR "/tls");
        return false;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // the client presents no certificate
    m_server.setSslConfiguration(tls);
    if (!m_server.listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = m_server.errorString();
        return false;
    }
    return true;
}

QString answerText(const HttpResponse &response, bool stream)
{
    return stream ? Sse::content(Sse::chunks(Sse::parse(response.body))) : response.answer();
}
