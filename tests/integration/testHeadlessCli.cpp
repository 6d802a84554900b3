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

QTEST_GUILESS_MAIN(TestHeadlessCli)
#include "testHeadlessCli.moc"
