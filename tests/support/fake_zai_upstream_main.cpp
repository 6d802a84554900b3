// SPDX-License-Identifier: MIT
// fake-zai-upstream: the test double of chat.z.ai as a process, for benchmarks, end-to-end tests
// and manual runs with curl. Runs until killed.
#include "FakeZaiServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"fake-zai-upstream"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Fake Z.AI web-chat upstream for ZaiBridge tests."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_s, u"TCP port on 127.0.0.1 (0 = ephemeral)."_s,
                                        u"N"_s, u"0"_s);
    const QCommandLineOption chunksOption(u"chunks"_s, u"Answer deltas per default answer."_s,
                                          u"N"_s, u"5"_s);
    const QCommandLineOption delayOption(
        u"delay-ms"_s, u"Pause between events (0 = whole stream at once)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption thinkingDelayOption(
        u"thinking-delay-ms"_s, u"Extra pause before the end of the thinking phase."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption feVersionOption(u"fe-version"_s,
                                             u"Current front-end version (prod-fe-X.Y.Z)."_s,
                                             u"X"_s, u"prod-fe-1.0.231"_s);
    const QCommandLineOption tokenOption(
        u"valid-token"_s, u"A token accepted as a logged-in user (repeatable)."_s, u"T"_s);
    const QCommandLineOption secretOption(u"secret"_s, u"Signing secret (UTF-8)."_s, u"S"_s);
    const QCommandLineOption persistedOption(
        u"persisted-models"_s, u"Comma-separated models that need chats/new."_s, u"LIST"_s);
    const QCommandLineOption modelOption(u"model"_s,
                                         u"An extra known upstream model (repeatable)."_s, u"ID"_s);
    const QCommandLineOption noGuestOption(u"no-guest"_s, u"Refuse to create guest tokens."_s);
    const QCommandLineOption feHttpOption(u"fe-version-http-status"_s,
                                          u"Answer a wrong FE version with HTTP 426."_s);
    const QCommandLineOption concurrencyOption(
        u"concurrency-limit"_s, u"Streams per token before HTTP 429 (0 = unlimited)."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption verboseOption(u"verbose"_s,
                                           u"Log every request and rejection to stderr."_s);
    parser.addOptions({portOption, chunksOption, delayOption, thinkingDelayOption, feVersionOption,
                       tokenOption, secretOption, persistedOption, modelOption, noGuestOption,
                       feHttpOption, concurrencyOption, verboseOption});
    parser.process(app);

    if (parser.isSet(verboseOption))
        QLoggingCategory::setFilterRules(u"zb.fakeupstream.info=true"_s);

    FakeZaiServer server;
    server.setRecording(false); // runs indefinitely: keep no copies of requests
    server.setDefaultChunks(parser.value(chunksOption).toInt());
    server.setDefaultDelayMs(parser.value(delayOption).toInt());
    server.setThinkingDelayMs(parser.value(thinkingDelayOption).toInt());
    server.setFeVersion(parser.value(feVersionOption));
    const QStringList tokens = parser.values(tokenOption);
    for (const QString &token : tokens)
        server.addValidToken(token);
    if (parser.isSet(secretOption))
        server.setSigningSecret(parser.value(secretOption).toUtf8());
    if (parser.isSet(persistedOption))
        server.setPersistedModels(parser.value(persistedOption).split(u',', Qt::SkipEmptyParts));
    const QStringList extraModels = parser.values(modelOption);
    for (const QString &model : extraModels)
        server.addModel(model);
    server.setGuestAllowed(!parser.isSet(noGuestOption));
    server.setRequireFeVersionHttpStatus(parser.isSet(feHttpOption));
    server.setConcurrencyLimit(parser.value(concurrencyOption).toInt());

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "invalid --port\n");
        return 2;
    }
    if (!server.start(quint16(port))) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // Scripts wait for this exact first line to learn the port.
    std::printf("listening on %s\n", server.baseUrl().toString().toUtf8().constData());
    std::fflush(stdout);
    return app.exec();
}
