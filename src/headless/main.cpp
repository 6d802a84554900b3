// SPDX-License-Identifier: MIT
// zaibridge-server: the bridge without a GUI, configured like the original Python project.

#include "ApiServer.h"
#include "zai/CommandCaptchaSource.h"
#include "zai/UpstreamCheck.h"
#include "config/BridgeConfig.h"
#include "util/Logging.h"
#include "util/Translations.h"
#include "zai/UpstreamProfile.h"

#include <memory>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

#ifdef Q_OS_UNIX
int g_signalFds[2] = {-1, -1};

// SIGINT/SIGTERM end the event loop cleanly (streams are closed, sockets released).
void watchTerminationSignals(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [app] {
        char c;
        if (::read(g_signalFds[1], &c, 1) > 0)
            app->quit();
    });
    struct sigaction action = {};
    action.sa_handler = [](int) {
        const char c = 1;
        [[maybe_unused]] auto n = ::write(g_signalFds[0], &c, 1);
    };
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}
#endif

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text + u'\n'), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        Logging::installStderrHandler(); // else Qt's handler, with the user's pattern
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"zaibridge-server"_s);
    QCoreApplication::setOrganizationName(u"ZaiBridge"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ZB_VERSION));
    Translations::install(QLocale::system());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "ZaiBridge: an OpenAI-compatible API server in front of the Z.AI GLM web chat.\n\n"
        "Configured by environment variables (see the README) or a .env file; the options below "
        "take precedence."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(
        u"port"_s, QCoreApplication::translate("main", "Port to listen on (LISTEN_PORT, default 8080; 0 picks a free one)."),
        u"port"_s);
    const QCommandLineOption hostOption(
        u"host"_s, QCoreApplication::translate("main", "Address to listen on (LISTEN_HOST, default 127.0.0.1)."),
        u"address"_s);
    const QCommandLineOption envOption(
        u"env-file"_s, QCoreApplication::translate("main", "Read variables from this file (default: .env in the working directory, if present)."),
        u"path"_s);
    const QCommandLineOption profileOption(
        u"upstream-profile"_s, QCoreApplication::translate("main", "JSON file that overrides parts of the built-in upstream profile (UPSTREAM_PROFILE)."),
        u"path"_s);
    const QCommandLineOption checkOption(
        u"check-upstream"_s, QCoreApplication::translate("main", "Check the way to Z.AI step by step (landing page, token, models, captcha, a one-word completion), say what failed and what to change, and exit: 0 when a completion came back, 1 otherwise."));
    parser.addOptions({portOption, hostOption, envOption, profileOption, checkOption});
    parser.process(app);

    QHash<QString, QString> overrides;
    if (parser.isSet(portOption))
        overrides.insert(u"LISTEN_PORT"_s, parser.value(portOption));
    if (parser.isSet(hostOption))
        overrides.insert(u"LISTEN_HOST"_s, parser.value(hostOption));
    if (parser.isSet(profileOption))
        overrides.insert(u"UPSTREAM_PROFILE"_s, parser.value(profileOption));
    const bool envFileGiven = parser.isSet(envOption);
    const QString envFile = envFileGiven ? parser.value(envOption) : QDir::current().filePath(u".env"_s);

    const auto loaded = ConfigLoader::load(QProcessEnvironment::systemEnvironment(), envFile,
                                           envFileGiven, overrides);
    if (!loaded.config) {
        printLine(stderr, QCoreApplication::translate("main", "zaibridge-server: configuration error: %1")
                              .arg(loaded.error));
        return 2;
    }
    BridgeConfig config = *loaded.config;
    Logging::setDebugEnabled(config.debugLogging);
    for (const QString &warning : loaded.warnings)
        qCWarning(lcConfig).noquote() << warning;
    if (config.deviceId.isEmpty()) {
        // One X-Device-Id per installation, as a browser keeps one (not a secret).
        QString warning;
        config.deviceId = ConfigLoader::storedDeviceId(
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                .filePath(u"device-id"_s),
            &warning);
        if (!warning.isEmpty())
            qCWarning(lcConfig).noquote() << warning;
    }

    QString error;
    const auto profile = UpstreamProfile::load(config.profilePath, &error);
    if (!profile) {
        printLine(stderr, QCoreApplication::translate("main", "zaibridge-server: upstream profile error: %1")
                              .arg(error));
        return 2;
    }

    std::unique_ptr<CommandCaptchaSource> captchaCommand;
    if (!config.captchaCommand.isEmpty())
        captchaCommand = std::make_unique<CommandCaptchaSource>(config.captchaCommand);

    if (parser.isSet(checkOption)) {
        UpstreamCheck check(config, *profile);
        check.setCaptchaSource(captchaCommand.get());
        printLine(stdout, QCoreApplication::translate("main", "Checking the way to Z.AI (%1)")
                              .arg(config.endpoint.isEmpty() ? profile->endpoint()
                                                             : config.endpoint));
        QObject::connect(&check, &UpstreamCheck::stepFinished, &app,
                         [](const UpstreamCheck::Result &result) {
                             printLine(stdout, UpstreamCheck::format(result));
                         });
        QObject::connect(&check, &UpstreamCheck::finished, &app, [](bool ok) {
            printLine(stdout, ok ? QCoreApplication::translate("main", "Z.AI answered: the bridge works.")
                                 : QCoreApplication::translate("main", "Z.AI did not answer: see the step marked FAIL."));
            QCoreApplication::exit(ok ? 0 : 1);
        });
        check.start();
        return app.exec();
    }

    ApiServer server;
    if (captchaCommand) {
        server.setCaptchaSource(captchaCommand.get());
        qCInfo(lcConfig).noquote() << "captcha verify parameters come from"
                                   << captchaCommand->describe();
    }
    if (!server.start(config, *profile, &error)) {
        printLine(stderr, QCoreApplication::translate("main", "zaibridge-server: %1").arg(error));
        return 1;
    }
    if (!config.authRequired() && config.apiKey.isEmpty())
        qCInfo(lcConfig) << "no AUTH_TOKEN set: requests need no key (loopback only)";
    if (config.tokens.isEmpty())
        qCInfo(lcConfig) << "no ZAI_TOKEN set: using Z.AI guest accounts";
    else
        qCInfo(lcConfig) << "using" << config.tokens.size() << "configured Z.AI token(s)";
    printLine(stdout, QCoreApplication::translate("main", "ZaiBridge %1 listening on %2")
                          .arg(QCoreApplication::applicationVersion(), server.baseUrl()));

#ifdef Q_OS_UNIX
    watchTerminationSignals(&app);
#endif
    return app.exec();
}
