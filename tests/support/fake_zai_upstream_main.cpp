// SPDX-License-Identifier: MIT
// fake-zai-upstream: the test double of chat.z.ai as a process, for benchmarks, end-to-end tests
// and manual runs with curl. Runs until killed. The defaults are the service of sections 1-9;
// --live-2026 (or its single options) adds the live service of section 10.
#include "FakeZaiServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
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
        u"concurrency-limit"_s,
        u"Streams per token before the concurrency answer (0 = unlimited)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption verboseOption(u"verbose"_s,
                                           u"Log every request and rejection to stderr."_s);
    // The live service of late 2026 (zai-protocol.md section 10): every option below at once,
    // or one by one.
    const QCommandLineOption liveOption(
        u"live-2026"_s, u"Behave like the live service of late 2026: all of the options below."_s);
    const QCommandLineOption captchaOption(
        u"captcha"_s,
        u"Completions need a captcha_verify_param minted by GET /__fake/captcha/mint."_s);
    const QCommandLineOption captchaLifetimeOption(
        u"captcha-lifetime-ms"_s, u"How long a verify parameter is valid."_s, u"N"_s, u"300000"_s);
    const QCommandLineOption captchaReusableOption(
        u"captcha-reusable"_s, u"A verify parameter may be used again within its lifetime."_s);
    const QCommandLineOption captchaModeOption(
        u"captcha-mode"_s, u"The captcha stand-in's answer: traceless, challenge or fail."_s,
        u"MODE"_s, u"traceless"_s);
    const QCommandLineOption userOnlyOption(
        u"user-only-roles"_s,
        u"Only user messages: other roles end in INTERNAL_ERROR, tools is refused (400)."_s);
    const QCommandLineOption deviceIdOption(u"device-id-required"_s,
                                            u"Completions without X-Device-Id get HTTP 426."_s);
    const QCommandLineOption streamOptionsOption(u"refuse-stream-options"_s,
                                                 u"A body with stream_options gets HTTP 400."_s);
    const QCommandLineOption guestModelsOption(
        u"guest-models"_s, u"Comma-separated models guests may use (others: in-stream 403)."_s,
        u"LIST"_s);
    const QCommandLineOption listedModelOption(
        u"listed-model"_s,
        u"A model listed by /api/models and accepted (repeatable): ID[=NAME[=CAPABILITIES_JSON]]."_s,
        u"SPEC"_s);
    const QCommandLineOption modelsFailOption(u"models-fail"_s,
                                              u"GET /api/models answers HTTP 500."_s);
    const QCommandLineOption concurrencyAnswerOption(
        u"concurrency-answer"_s,
        u"Beyond --concurrency-limit: http (429), limit (in-stream MODEL_CONCURRENCY_LIMIT) or "
        "capacity (in-stream \"currently at capacity\")."_s,
        u"KIND"_s, u"http"_s);
    const QCommandLineOption feWafOption(u"outdated-fe-version-waf"_s,
                                         u"A wrong X-FE-Version gets the WAF page (405)."_s);
    const QCommandLineOption queryWafOption(
        u"signed-query-waf"_s, u"A completion without the signed query gets the WAF page (405)."_s);
    const QCommandLineOption noLegacyOption(u"no-legacy-path"_s,
                                            u"POST /api/chat/completions answers 404."_s);
    const QCommandLineOption chatPageOption(
        u"chat-page-at-root"_s, u"GET / serves the sign-in and captcha page of /__fake/chat."_s);
    parser.addOptions({portOption,
                       chunksOption,
                       delayOption,
                       thinkingDelayOption,
                       feVersionOption,
                       tokenOption,
                       secretOption,
                       persistedOption,
                       modelOption,
                       noGuestOption,
                       feHttpOption,
                       concurrencyOption,
                       verboseOption,
                       liveOption,
                       captchaOption,
                       captchaLifetimeOption,
                       captchaReusableOption,
                       captchaModeOption,
                       userOnlyOption,
                       deviceIdOption,
                       streamOptionsOption,
                       guestModelsOption,
                       listedModelOption,
                       modelsFailOption,
                       concurrencyAnswerOption,
                       feWafOption,
                       queryWafOption,
                       noLegacyOption,
                       chatPageOption});
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

    // --live-2026 first, so that the single options add to it.
    server.setLive2026(parser.isSet(liveOption));
    if (parser.isSet(captchaOption))
        server.setCaptchaRequired(true);
    server.setCaptchaLifetimeMs(parser.value(captchaLifetimeOption).toLongLong());
    server.setCaptchaSingleUse(!parser.isSet(captchaReusableOption));
    const QString captchaMode = parser.value(captchaModeOption);
    if (captchaMode == "challenge"_L1) {
        server.setCaptchaMode(FakeZaiServer::CaptchaMode::Challenge);
    } else if (captchaMode == "fail"_L1) {
        server.setCaptchaMode(FakeZaiServer::CaptchaMode::Fail);
    } else if (captchaMode != "traceless"_L1) {
        std::fprintf(stderr, "invalid --captcha-mode (traceless, challenge or fail)\n");
        return 2;
    }
    if (parser.isSet(userOnlyOption))
        server.setUserOnlyRoles(true);
    if (parser.isSet(deviceIdOption))
        server.setDeviceIdRequired(true);
    if (parser.isSet(streamOptionsOption))
        server.setStreamOptionsRefused(true);
    if (parser.isSet(guestModelsOption))
        server.setGuestModels(parser.value(guestModelsOption).split(u',', Qt::SkipEmptyParts));
    const QStringList listed = parser.values(listedModelOption);
    for (const QString &spec : listed) {
        // ID[=NAME[=CAPABILITIES_JSON]]: the JSON is everything after the second '='.
        const QString id = spec.section(u'=', 0, 0);
        const QString name = spec.section(u'=', 1, 1);
        const QString json = spec.section(u'=', 2);
        QJsonParseError error{};
        const QJsonDocument capabilities = QJsonDocument::fromJson(json.toUtf8(), &error);
        if (id.isEmpty() || (!json.isEmpty() && !capabilities.isObject())) {
            std::fprintf(stderr, "invalid --listed-model %s\n", qPrintable(spec));
            return 2;
        }
        server.addListedModel(id, name.isEmpty() ? id : name, capabilities.object());
    }
    if (parser.isSet(modelsFailOption))
        server.setModelsListFails(true);
    const QString concurrencyAnswer = parser.value(concurrencyAnswerOption);
    if (concurrencyAnswer == "limit"_L1) {
        server.setConcurrencyAnswer(FakeZaiServer::ConcurrencyAnswer::InStreamLimit);
    } else if (concurrencyAnswer == "capacity"_L1) {
        server.setConcurrencyAnswer(FakeZaiServer::ConcurrencyAnswer::InStreamCapacity);
    } else if (concurrencyAnswer != "http"_L1) {
        std::fprintf(stderr, "invalid --concurrency-answer (http, limit or capacity)\n");
        return 2;
    } else if (parser.isSet(concurrencyAnswerOption)) {
        server.setConcurrencyAnswer(FakeZaiServer::ConcurrencyAnswer::Http429);
    }
    if (parser.isSet(feWafOption))
        server.setOutdatedFeVersionBlocked(true);
    if (parser.isSet(queryWafOption))
        server.setSignedQueryBlocked(true);
    if (parser.isSet(noLegacyOption))
        server.setLegacyPathRemoved(true);
    if (parser.isSet(chatPageOption))
        server.setChatPageAtRoot(true);

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
