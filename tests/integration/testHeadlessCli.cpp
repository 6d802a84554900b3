// SPDX-License-Identifier: MIT
// zaibridge-server as a process (issue 2, points 7, 8, 9): --version, --help, configuration
// errors exit 2 naming the variable, the non-loopback refusal, a real start that prints the
// listening line and serves, SIGTERM ends it with 0, and the logs carry no secret.

#include "IntegrationSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QString Binary = QStringLiteral(ZB_SERVER_BINARY);

// A hermetic environment: nothing of the developer's own configuration leaks in.
QProcessEnvironment cleanEnvironment(const QString &home)
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &name : {u"PATH"_s, u"LD_LIBRARY_PATH"_s, u"ASAN_OPTIONS"_s,
                                u"UBSAN_OPTIONS"_s, u"LSAN_OPTIONS"_s, u"TMPDIR"_s}) {
        if (system.contains(name))
            env.insert(name, system.value(name));
    }
    env.insert(u"HOME"_s, home);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    return env;
}

struct Run
{
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QString out;
    QString err;
    bool finished = false;
};

// Runs the binary to completion without blocking the event loop.
Run run(const QStringList &args, const QProcessEnvironment &env, const QString &workDir,
        int timeoutMs = 10000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(workDir);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(Binary, args);
    Run r;
    if (!finished.wait(timeoutMs)) {
        process.kill();
        QSignalSpy killed(&process, &QProcess::finished);
        killed.wait(5000);
        return r;
    }
    r.finished = true;
    r.exitCode = process.exitCode();
    r.exitStatus = process.exitStatus();
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

// The binary serving in the background, killed at the end of the test if still running.
class ServingProcess
{
public:
    ServingProcess()
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
    }
    ~ServingProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_finished.wait(5000);
        }
    }

    // Starts the binary and waits for its listening line on 127.0.0.1; false if it never came.
    bool start(const QStringList &args, const QProcessEnvironment &env, const QString &workDir)
    {
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(workDir);
        m_process.start(Binary, args);
        static const QRegularExpression listening(
            u"listening on http://127\\.0\\.0\\.1:(\\d+)/v1"_s);
        const bool ended = QTest::qWaitFor(
            [&] { return listening.match(QString::fromUtf8(m_out)).hasMatch()
                         || m_process.state() == QProcess::NotRunning; },
            10000);
        const QRegularExpressionMatch m = listening.match(QString::fromUtf8(m_out));
        m_port = ended && m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
        return m_port != 0;
    }

    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
    }
    QByteArray output() const { return m_out + m_err; }

    // SIGTERM, as a service manager stops it; true for a clean exit with status 0.
    bool stop()
    {
        m_process.terminate();
        return m_finished.wait(10000) && m_process.exitStatus() == QProcess::NormalExit
               && m_process.exitCode() == 0;
    }

private:
    QProcess m_process;
    QSignalSpy m_finished{&m_process, &QProcess::finished};
    QByteArray m_out;
    QByteArray m_err;
    quint16 m_port = 0;
};

QStringList modelIds(const HttpResponse &models)
{
    QStringList ids;
    for (const QJsonValue &v : models.json().value("data"_L1).toArray())
        ids.append(v.toObject().value("id"_L1).toString());
    return ids;
}

// A ZAI_CAPTCHA_COMMAND that prints `param` (a JSON string, kept in a file of `dir`).
QString captchaCommand(const QTemporaryDir &dir, const QString &param)
{
    QFile file(dir.filePath(u"captcha-param"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(param.toUtf8()) != param.toUtf8().size())
        return {};
    return u"\""_s + QStringLiteral(ZB_CAPTCHA_HELPER) + u"\" file \""_s + file.fileName()
           + u'"';
}

} // namespace

class TestHeadlessCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void version();
    void help();
    void invalidValuesExit2_data();
    void invalidValuesExit2();
    void nonLoopbackWithoutKeyRefused();
    void invalidEnvFileExit2();
    void portInUse();
    void servesAndStopsOnSigterm();
    void upstreamProfileAddsModel_data();
    void upstreamProfileAddsModel();
    void hostOptionLoopbackServes();
    void deviceIdKeptAcrossStarts();
    void captchaCommandServes();
    void checkUpstream_data();
    void checkUpstream();

private:
    QTemporaryDir m_home;
};

void TestHeadlessCli::initTestCase()
{
    QVERIFY2(QFile::exists(Binary), qPrintable(Binary));
    QVERIFY(m_home.isValid());
}

void TestHeadlessCli::version()
{
    const Run r = run({u"--version"_s}, cleanEnvironment(m_home.path()), m_home.path());
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral(ZB_VERSION)), qPrintable(r.out));
    QVERIFY(r.out.contains(u"zaibridge-server"_s));
}

void TestHeadlessCli::help()
{
    const Run r = run({u"--help"_s}, cleanEnvironment(m_home.path()), m_home.path());
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    for (const QString &option : {u"--help"_s, u"--version"_s, u"--port"_s, u"--host"_s,
                                  u"--env-file"_s, u"--upstream-profile"_s})
        QVERIFY2(r.out.contains(option), qPrintable(option + u" missing in:\n"_s + r.out));
}

void TestHeadlessCli::invalidValuesExit2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env"); // NAME=value
    QTest::addColumn<QString>("named");
    QTest::newRow("LISTEN_PORT text") << QStringList() << QStringList{u"LISTEN_PORT=eighty"_s}
                                      << u"LISTEN_PORT"_s;
    QTest::newRow("LISTEN_PORT range") << QStringList() << QStringList{u"LISTEN_PORT=70000"_s}
                                       << u"LISTEN_PORT"_s;
    QTest::newRow("--port") << QStringList{u"--port"_s, u"-1"_s} << QStringList() << u"LISTEN_PORT"_s;
    QTest::newRow("LISTEN_HOST") << QStringList() << QStringList{u"LISTEN_HOST=not a host"_s}
                                 << u"LISTEN_HOST"_s;
    QTest::newRow("--host") << QStringList{u"--host"_s, u"nowhere..example"_s} << QStringList()
                            << u"LISTEN_HOST"_s;
    QTest::newRow("MAX_RETRIES") << QStringList() << QStringList{u"MAX_RETRIES=many"_s}
                                 << u"MAX_RETRIES"_s;
    QTest::newRow("SKIP_AUTH_TOKEN") << QStringList() << QStringList{u"SKIP_AUTH_TOKEN=perhaps"_s}
                                     << u"SKIP_AUTH_TOKEN"_s;
    QTest::newRow("DEBUG_LOGGING") << QStringList() << QStringList{u"DEBUG_LOGGING=loud"_s}
                                   << u"DEBUG_LOGGING"_s;
    QTest::newRow("API_ENDPOINT") << QStringList() << QStringList{u"API_ENDPOINT=ftp://chat.z.ai/x"_s}
                                  << u"API_ENDPOINT"_s;
    QTest::newRow("HTTP_PROXY") << QStringList() << QStringList{u"HTTP_PROXY=gopher://proxy:70"_s}
                                << u"HTTP_PROXY"_s;
    QTest::newRow("--upstream-profile")
        << QStringList{u"--upstream-profile"_s, u"/nonexistent/profile.json"_s} << QStringList()
        << u"profile"_s;
}

void TestHeadlessCli::invalidValuesExit2()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, named);
    QProcessEnvironment environment = cleanEnvironment(m_home.path());
    for (const QString &pair : env)
        environment.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    const Run r = run(args, environment, m_home.path());
    QVERIFY(r.finished);
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(named), qPrintable(r.err));
    QVERIFY(!r.out.contains(u"listening"_s));
}

void TestHeadlessCli::nonLoopbackWithoutKeyRefused()
{
    for (const QStringList &args : {QStringList{u"--host"_s, u"0.0.0.0"_s}, QStringList()}) {
        QProcessEnvironment env = cleanEnvironment(m_home.path());
        if (args.isEmpty())
            env.insert(u"LISTEN_HOST"_s, u"0.0.0.0"_s);
        env.insert(u"LISTEN_PORT"_s, u"0"_s);
        const Run r = run(args, env, m_home.path());
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"AUTH_TOKEN"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"0.0.0.0"_s));
        QVERIFY(!r.out.contains(u"listening"_s));
    }
}

void TestHeadlessCli::invalidEnvFileExit2()
{
    // A named file that does not exist, and one with a bad value.
    Run r = run({u"--env-file"_s, m_home.filePath(u"missing.env"_s)},
                cleanEnvironment(m_home.path()), m_home.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"missing.env"_s), qPrintable(r.err));

    const QString path = m_home.filePath(u"bad.env"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# a comment\nLISTEN_PORT=not-a-port\n");
    file.close();
    r = run({u"--env-file"_s, path}, cleanEnvironment(m_home.path()), m_home.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"LISTEN_PORT"_s), qPrintable(r.err));

    // A .env in the working directory is read without being named.
    QTemporaryDir work;
    QFile dotEnv(work.filePath(u".env"_s));
    QVERIFY(dotEnv.open(QIODevice::WriteOnly));
    dotEnv.write("MAX_RETRIES=eleventy\n");
    dotEnv.close();
    r = run({}, cleanEnvironment(m_home.path()), work.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"MAX_RETRIES"_s), qPrintable(r.err));
}

void TestHeadlessCli::portInUse()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    const Run r = run({u"--port"_s, QString::number(occupier.serverPort())},
                      cleanEnvironment(m_home.path()), m_home.path());
    QVERIFY(r.finished);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(u"already in use"_s), qPrintable(r.err));
}

void TestHeadlessCli::servesAndStopsOnSigterm()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString token = TestBed::makeToken(u"cli-user"_s);
    fake.addValidToken(token);
    const QString apiKey = u"sk-cli-key-4711"_s;

    // Configuration from a .env file, the environment and the command line together.
    QTemporaryDir work;
    QFile dotEnv(work.filePath(u"server.env"_s));
    QVERIFY(dotEnv.open(QIODevice::WriteOnly));
    dotEnv.write("API_ENDPOINT=" + fake.baseUrl().toString().toUtf8()
                 + "/api/v2/chat/completions\nLISTEN_PORT=1\n");
    dotEnv.close();
    QProcessEnvironment env = cleanEnvironment(m_home.path());
    env.insert(u"ZAI_TOKEN"_s, token);
    env.insert(u"AUTH_TOKEN"_s, apiKey);
    env.insert(u"DEBUG_LOGGING"_s, u"true"_s);
    env.insert(u"UVICORN_WORKERS"_s, u"4"_s);

    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(work.path());
    QSignalSpy finished(&process, &QProcess::finished);
    QByteArray out, err;
    connect(&process, &QProcess::readyReadStandardOutput, this,
            [&] { out += process.readAllStandardOutput(); });
    connect(&process, &QProcess::readyReadStandardError, this,
            [&] { err += process.readAllStandardError(); });
    process.start(Binary, {u"--env-file"_s, dotEnv.fileName(), u"--port"_s, u"0"_s});
    const auto cleanup = qScopeGuard([&] {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            finished.wait(5000);
        }
    });

    static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)/v1"_s);
    QVERIFY2(QTest::qWaitFor([&] { return listening.match(QString::fromUtf8(out)).hasMatch()
                                          || process.state() == QProcess::NotRunning; },
                             10000),
             err.constData());
    const QRegularExpressionMatch m = listening.match(QString::fromUtf8(out));
    QVERIFY2(m.hasMatch(), QByteArray(out + err).constData());
    QVERIFY(out.contains(QByteArrayLiteral(ZB_VERSION)));
    const quint16 port = quint16(m.captured(1).toUInt());
    QVERIFY(port > 1); // --port beats the .env file
    QVERIFY2(err.contains("UVICORN_WORKERS"), err.constData()); // accepted, with a note

    const auto url = [port](const QString &path) {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path));
    };
    const HttpResponse health = Http::get(url(u"/health"_s));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(Http::get(url(u"/v1/models"_s)).status, 401);
    const HeaderPairs key{{"Authorization"_ba, "Bearer " + apiKey.toUtf8()}};
    QCOMPARE(Http::get(url(u"/v1/models"_s), key).status, 200);
    const HttpResponse chat = Http::post(url(u"/v1/chat/completions"_s),
                                         chatBody(u"GLM-4.7"_s, u"from the binary"_s, false), key);
    QCOMPARE(chat.status, 200);
    QCOMPARE(chat.answer(),
             FakeZaiServer::expectedAnswer(u"from the binary"_s));
    QCOMPARE(fake.requests(u"/api/v2/chat/completions"_s).first().header("authorization"),
             "Bearer " + token.toUtf8());

    // SIGTERM: a clean exit with status 0.
    process.terminate();
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();

    // The log has the access lines and debug details, and no secret.
    QVERIFY2(err.contains("POST /v1/chat/completions 200"), err.constData());
    QVERIFY(err.contains("request body:"));
    const QByteArray all = out + err;
    QVERIFY(!all.contains(token.toUtf8()));
    QVERIFY(!all.contains(token.section(u'.', 2).toUtf8()));
    QVERIFY(!all.contains(apiKey.toUtf8()));
    for (const RecordedRequest &r : fake.requests(u"/api/v2/chat/completions"_s))
        QVERIFY(!all.contains(r.header("x-signature")));
}

void TestHeadlessCli::upstreamProfileAddsModel_data()
{
    QTest::addColumn<bool>("flag");        // --upstream-profile names the valid file
    QTest::addColumn<QString>("variable"); // UPSTREAM_PROFILE: "valid", "missing" or unset
    QTest::newRow("--upstream-profile") << true << QString();
    QTest::newRow("UPSTREAM_PROFILE") << false << u"valid"_s;
    // The command line beats the environment, so a broken variable does not matter.
    QTest::newRow("flag over variable") << true << u"missing"_s;
}

void TestHeadlessCli::upstreamProfileAddsModel()
{
    QFETCH(bool, flag);
    QFETCH(QString, variable);
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString token = TestBed::makeToken(u"profile-user"_s);
    fake.addValidToken(token);

    // An override that adds a model on an upstream id the fake serves (P.1: no rebuild needed).
    QTemporaryDir work;
    QVERIFY(work.isValid());
    const QString profilePath = work.filePath(u"profile.json"_s);
    QFile profile(profilePath);
    QVERIFY(profile.open(QIODevice::WriteOnly));
    profile.write(R"({"extraModels":[{"id":"GLM-4.5-Flash","upstream":"0727-106B-API"}]})");
    profile.close();

    QProcessEnvironment env = cleanEnvironment(m_home.path());
    env.insert(u"API_ENDPOINT"_s, fake.baseUrl().toString() + u"/api/v2/chat/completions"_s);
    env.insert(u"ZAI_TOKEN"_s, token);
    if (variable == u"valid")
        env.insert(u"UPSTREAM_PROFILE"_s, profilePath);
    else if (variable == u"missing")
        env.insert(u"UPSTREAM_PROFILE"_s, work.filePath(u"missing.json"_s));
    QStringList args{u"--port"_s, u"0"_s};
    if (flag)
        args << u"--upstream-profile"_s << profilePath;

    ServingProcess server;
    QVERIFY2(server.start(args, env, work.path()), server.output().constData());
    const HttpResponse models = Http::get(server.url(u"/v1/models"_s));
    QCOMPARE(models.status, 200);
    const QStringList ids = modelIds(models);
    QVERIFY2(ids.contains(u"GLM-4.5-Flash"_s), qPrintable(ids.join(u", "_s)));
    QVERIFY(ids.contains(u"GLM-4.7"_s)); // added to the built-in models, not instead of them
    const HttpResponse chat = Http::post(server.url(u"/v1/chat/completions"_s),
                                         chatBody(u"GLM-4.5-Flash"_s, u"flash"_s, false));
    QCOMPARE(chat.status, 200);
    const auto completions = fake.requests(u"/api/v2/chat/completions"_s);
    QCOMPARE(completions.size(), 1);
    QCOMPARE(completions.first().json.value("model"_L1).toString(), u"0727-106B-API"_s);
    QVERIFY2(server.stop(), server.output().constData());
}

void TestHeadlessCli::hostOptionLoopbackServes()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString token = TestBed::makeToken(u"host-user"_s);
    fake.addValidToken(token);
    QProcessEnvironment env = cleanEnvironment(m_home.path());
    env.insert(u"API_ENDPOINT"_s, fake.baseUrl().toString() + u"/api/v2/chat/completions"_s);
    env.insert(u"ZAI_TOKEN"_s, token);
    // Without --host this is refused (no AUTH_TOKEN off loopback): the option must win.
    env.insert(u"LISTEN_HOST"_s, u"0.0.0.0"_s);

    ServingProcess server;
    QVERIFY2(server.start({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}, env, m_home.path()),
             server.output().constData());
    QCOMPARE(Http::get(server.url(u"/health"_s)).status, 200);
    // Loopback without AUTH_TOKEN: open, so the models answer without a key.
    const HttpResponse models = Http::get(server.url(u"/v1/models"_s));
    QCOMPARE(models.status, 200);
    QVERIFY(modelIds(models).contains(u"GLM-4.7"_s));
    QVERIFY2(server.stop(), server.output().constData());
}

void TestHeadlessCli::deviceIdKeptAcrossStarts()
{
    // One X-Device-Id per installation (zai-protocol.md P.13): made on the first start, kept in
    // the configuration folder, sent on every upstream call of every later start; ZAI_DEVICE_ID
    // overrides it.
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString token = TestBed::makeToken(u"device-user"_s);
    fake.addValidToken(token);
    QTemporaryDir home;
    QTemporaryDir config;
    QVERIFY(home.isValid() && config.isValid());
    QProcessEnvironment env = cleanEnvironment(home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, config.path());
    env.insert(u"API_ENDPOINT"_s, fake.baseUrl().toString() + u"/api/v2/chat/completions"_s);
    env.insert(u"ZAI_TOKEN"_s, token);

    const auto serveOnce = [&](const QProcessEnvironment &environment,
                               const QString &prompt) -> QByteArray {
        ServingProcess server;
        if (!server.start({u"--port"_s, u"0"_s}, environment, home.path()))
            return QByteArray("no start: ") + server.output();
        const HttpResponse chat = Http::post(server.url(u"/v1/chat/completions"_s),
                                             chatBody(u"GLM-4.5"_s, prompt, false));
        if (chat.status != 200 || !server.stop())
            return QByteArray("failed: ") + chat.body + server.output();
        return QByteArray();
    };
    QByteArray failure = serveOnce(env, u"first start"_s);
    QVERIFY2(failure.isEmpty(), failure.constData());
    failure = serveOnce(env, u"second start"_s);
    QVERIFY2(failure.isEmpty(), failure.constData());

    QFile file(config.filePath(u"ZaiBridge/zaibridge-server/device-id"_s));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QByteArray stored = file.readAll().trimmed();
    QVERIFY2(!QUuid::fromString(QString::fromLatin1(stored)).isNull(), stored.constData());
    const QList<RecordedRequest> all = fake.requests();
    QVERIFY(fake.requests(u"/api/v2/chat/completions"_s).size() == 2);
    for (const RecordedRequest &r : all) {
        QCOMPARE(r.header("x-device-id"), stored); // both starts, every path
        QCOMPARE(r.header("x-region"), "overseas"_ba);
    }

    fake.clearRecords();
    env.insert(u"ZAI_DEVICE_ID"_s, u"my-fixed-device"_s);
    failure = serveOnce(env, u"third start"_s);
    QVERIFY2(failure.isEmpty(), failure.constData());
    QVERIFY(!fake.requests(u"/api/v2/chat/completions"_s).isEmpty());
    for (const RecordedRequest &r : fake.requests())
        QCOMPARE(r.header("x-device-id"), "my-fixed-device"_ba);
    QVERIFY(file.seek(0));
    QCOMPARE(file.readAll().trimmed(), stored); // the kept id is left alone

    // One that cannot be a header value stops the start with exit code 2.
    env.insert(u"ZAI_DEVICE_ID"_s, u"two words"_s);
    const Run refused = run({u"--port"_s, u"0"_s}, env, home.path());
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"ZAI_DEVICE_ID"_s), qPrintable(refused.err));
}

void TestHeadlessCli::captchaCommandServes()
{
    // ZAI_CAPTCHA_COMMAND on the headless server (P.11): the program's verify parameter goes with
    // the completion; Z.AI's captcha without the variable is a 403 saying how to provide one.
    FakeZaiServer fake;
    QVERIFY(fake.start());
    fake.setCaptchaRequired(true);
    QTemporaryDir home;
    QProcessEnvironment env = cleanEnvironment(home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.path());
    env.insert(u"API_ENDPOINT"_s, fake.baseUrl().toString() + u"/api/v2/chat/completions"_s);
    {
        ServingProcess server;
        QVERIFY(server.start({u"--port"_s, u"0"_s}, env, home.path()));
        const HttpResponse r = Http::post(server.url(u"/v1/chat/completions"_s),
                                          chatBody(u"GLM-4.5"_s, u"no command"_s, false));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error().value("code"_L1).toString(), u"captcha_required"_s);
        QVERIFY(r.error().value("message"_L1).toString().contains("ZAI_CAPTCHA_COMMAND"_L1));
    }
    const QString param = fake.mintCaptchaParam();
    env.insert(u"ZAI_CAPTCHA_COMMAND"_s, captchaCommand(home, param));
    ServingProcess server;
    QVERIFY(server.start({u"--port"_s, u"0"_s}, env, home.path()));
    const HttpResponse r = Http::post(server.url(u"/v1/chat/completions"_s),
                                      chatBody(u"GLM-4.5"_s, u"with a command"_s, false));
    QVERIFY2(r.status == 200, QByteArray(r.body + server.output()).constData());
    QCOMPARE(fake.requests(u"/api/v2/chat/completions"_s).last().json.value(
                 "captcha_verify_param"_L1).toString(),
             param);
    QVERIFY(server.stop());
    QVERIFY(!server.output().contains(param.toUtf8())); // a verify parameter is not logged

    // A command that hangs is killed at captcha.waitSeconds; the 403 names it.
    QFile profile(home.filePath(u"profile.json"_s));
    QVERIFY(profile.open(QIODevice::WriteOnly));
    profile.write(R"({"captcha": {"waitSeconds": 1}})");
    profile.close();
    env.insert(u"UPSTREAM_PROFILE"_s, profile.fileName());
    env.insert(u"ZAI_CAPTCHA_COMMAND"_s, u"\""_s + QStringLiteral(ZB_CAPTCHA_HELPER) + u"\" hang"_s);
    ServingProcess hanging;
    QVERIFY(hanging.start({u"--port"_s, u"0"_s}, env, home.path()));
    const HttpResponse late = Http::post(hanging.url(u"/v1/chat/completions"_s),
                                         chatBody(u"GLM-4.5"_s, u"a hanging command"_s, false));
    QCOMPARE(late.status, 403);
    QCOMPARE(late.error().value("code"_L1).toString(), u"captcha_required"_s);
    const QString message = late.error().value("message"_L1).toString();
    QVERIFY2(message.contains(u"the command ZAI_CAPTCHA_COMMAND ("_s + QStringLiteral(ZB_CAPTCHA_HELPER)
                              + u") gave no verify parameter within 1 seconds"_s),
             qPrintable(message));
    QVERIFY(hanging.stop());
}

void TestHeadlessCli::checkUpstream_data()
{
    // How the fake misbehaves, the environment, the exit code, and the lines of standard output
    // after the first ("Checking the way to Z.AI (...)"), each a prefix the line must start with
    // (the FAIL lines' "to change" line included).
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("lines");
    const QString works = u"Z.AI answered: the bridge works."_s;
    const QString failed = u"Z.AI did not answer: see the step marked FAIL."_s;
    QTest::newRow("today's service")
        << u"fine"_s << 0
        << QStringList{u"ok    landing page: http://127.0.0.1:"_s,
                       u"ok    token: a guest token from Z.AI"_s,
                       u"ok    models: Z.AI lists"_s,
                       u"ok    captcha: Z.AI did not ask for one"_s,
                       u"ok    completion: GLM-4.7 answered \""_s, works};
    QTest::newRow("captcha, no source")
        << u"captcha"_s << 1
        << QStringList{u"ok    landing page:"_s, u"ok    token:"_s, u"ok    models:"_s,
                       u"FAIL  captcha: Z.AI asked for a captcha before it answers "
                       u"(FRONTEND_CAPTCHA_REQUIRED"_s,
                       u"      to change: ZAI_CAPTCHA_COMMAND, or the Z.AI window"_s,
                       u"FAIL  completion: not answered: Z.AI wants a captcha first"_s, failed};
    QTest::newRow("captcha, command")
        << u"captcha command"_s << 0
        << QStringList{u"ok    landing page:"_s, u"ok    token:"_s, u"ok    models:"_s,
                       u"ok    captcha: the command ZAI_CAPTCHA_COMMAND ("_s,
                       u"ok    completion: GLM-4.7 answered"_s, works};
    QTest::newRow("signing secret changed")
        << u"secret"_s << 1
        << QStringList{u"ok    landing page:"_s, u"ok    token:"_s, u"ok    models:"_s,
                       u"-     captcha: not known: the completion failed before Z.AI asked"_s,
                       u"FAIL  completion: Z.AI rejected the request signature"_s,
                       u"      to change: the profile key signingSecret, or ZAI_SIGNING_SECRET"_s,
                       failed};
    QTest::newRow("no version on the landing page")
        << u"landing"_s << 0
        << QStringList{u"FAIL  landing page: http://127.0.0.1:"_s,
                       u"      to change: the profile key feVersionPattern, or ZAI_FE_VERSION"_s,
                       u"ok    token:"_s, u"ok    models:"_s, u"ok    captcha:"_s,
                       u"ok    completion:"_s, works};
    QTest::newRow("model list fails")
        << u"models"_s << 0
        << QStringList{u"ok    landing page:"_s, u"ok    token:"_s,
                       u"FAIL  models: /api/models could not be read (HTTP 500)"_s,
                       u"      to change: the profile key paths.models"_s, u"ok    captcha:"_s,
                       u"ok    completion:"_s, works};
    QTest::newRow("token rejected")
        << u"token"_s << 1
        << QStringList{u"ok    landing page:"_s, u"FAIL  token:"_s, u"      to change: ZAI_TOKEN"_s,
                       u"FAIL  models:"_s, u"      to change:"_s, u"-     captcha: not known"_s,
                       u"FAIL  completion: Z.AI rejected the account token"_s,
                       u"      to change: ZAI_TOKEN"_s, failed};
    QTest::newRow("unreachable")
        << u"unreachable"_s << 1
        << QStringList{u"FAIL  landing page:"_s,
                       u"      to change: the network: HTTP_PROXY, HTTPS_PROXY or the endpoint"_s,
                       u"FAIL  token: Could not reach Z.AI for a guest token: Connection refused"_s,
                       u"      to change: ZAI_TOKEN (guests may be turned off)"_s,
                       u"-     captcha: not known"_s,
                       u"FAIL  completion: Could not reach Z.AI for a guest token"_s, failed};
}

void TestHeadlessCli::checkUpstream()
{
    // --check-upstream (P.15) walks the steps against the fake in each failure mode, one line a
    // step, and exits 0 only when a completion came back.
    QFETCH(QString, mode);
    QFETCH(int, exitCode);
    QFETCH(QStringList, lines);
    FakeZaiServer fake;
    QVERIFY(fake.start());
    QTemporaryDir home;
    QProcessEnvironment env = cleanEnvironment(home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.path());
    env.insert(u"API_ENDPOINT"_s, fake.baseUrl().toString() + u"/api/v2/chat/completions"_s);
    if (mode.startsWith(u"captcha"_s))
        fake.setCaptchaRequired(true);
    if (mode == u"captcha command"_s)
        env.insert(u"ZAI_CAPTCHA_COMMAND"_s, captchaCommand(home, fake.mintCaptchaParam()));
    if (mode == u"secret"_s)
        fake.setSigningSecret("a secret Z.AI moved to");
    if (mode == u"landing"_s)
        fake.setLandingPage("<html><body>no version here</body></html>");
    if (mode == u"models"_s)
        fake.setModelsListFails(true);
    if (mode == u"token"_s)
        env.insert(u"ZAI_TOKEN"_s, TestBed::makeToken(u"unknown-to-the-fake"_s));
    if (mode == u"unreachable"_s) {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        env.insert(u"API_ENDPOINT"_s, u"http://127.0.0.1:%1/api/v2/chat/completions"_s.arg(
                                          closed.serverPort()));
    }
    const Run r = run({u"--check-upstream"_s}, env, home.path(), 30000);
    QVERIFY2(r.finished, qPrintable(r.out + r.err));
    const QStringList out = r.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(!out.isEmpty() && out.first().startsWith(u"Checking the way to Z.AI (http://"_s),
             qPrintable(r.out));
    QVERIFY2(out.size() - 1 == lines.size(), qPrintable(r.out));
    for (int i = 0; i < lines.size(); ++i)
        QVERIFY2(out[i + 1].startsWith(lines[i]),
                 qPrintable(u"line %1: %2\nexpected: %3\n%4"_s.arg(i + 1).arg(out[i + 1],
                                                                       lines[i], r.out)));
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY(!r.out.contains(u"unknown-to-the-fake"_s)); // no token in the report
}

QTEST_GUILESS_MAIN(TestHeadlessCli)
#include "testHeadlessCli.moc"
