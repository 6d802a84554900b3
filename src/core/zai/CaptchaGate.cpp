// SPDX-License-Identifier: MIT
#include "CaptchaGate.h"

#include "StreamTranslator.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace CaptchaGate {

namespace {

constexpr auto kRequired = "FRONTEND_CAPTCHA_REQUIRED"_L1;

bool isAliyunVerdict(const QString &code)
{
    return code == "F018"_L1 || code == "F019"_L1;
}

std::optional<Answer> classify(const QString &code, const QString &errorCode,
                               const QString &verifyCode, const QString &captchaType,
                               const QString &detail)
{
    const bool required = code.compare(kRequired, Qt::CaseInsensitive) == 0
                          || errorCode.compare(kRequired, Qt::CaseInsensitive) == 0;
    const bool aliyun = isAliyunVerdict(code) || isAliyunVerdict(verifyCode);
    if (!required && !aliyun && captchaType.isEmpty())
        return std::nullopt;
    Answer answer;
    answer.code = isAliyunVerdict(verifyCode) ? verifyCode
                  : isAliyunVerdict(code)     ? code
                                              : QString(kRequired);
    answer.detail = detail.left(300);
    answer.rejected = aliyun || captchaType == "verify_failed"_L1;
    return answer;
}

QString sourcesHint()
{
    return u"ZaiBridge does not solve captchas; give it one of two ways: in the ZaiBridge tray "
           u"app, open the Z.AI window (tray menu: Sign in to Z.AI…) and leave it open, so the "
           u"page's own captcha makes the verify parameter, and you solve it there if Z.AI "
           u"shows a challenge; or, for zaibridge-server, set ZAI_CAPTCHA_COMMAND to a program "
           u"that prints one verify parameter (README: \"The captcha\")."_s;
}

} // namespace

QString Answer::describe() const
{
    return detail.isEmpty() ? code : code + u": "_s + detail;
}

std::optional<Answer> answerOf(const UpstreamStreamError &error)
{
    return classify(error.code, error.errorCode, error.verifyCode, error.captchaType,
                    error.detail);
}

std::optional<Answer> answerOfBody(const QByteArray &body)
{
    const QJsonObject top = QJsonDocument::fromJson(body).object();
    for (const QJsonObject &candidate :
         {top.value(u"error"_s).toObject(), top.value(u"detail"_s).toObject(), top}) {
        const auto text = [&](const char *key) {
            const QJsonValue v = candidate.value(QLatin1StringView(key));
            return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
        };
        QString detail = text("detail");
        if (detail.isEmpty())
            detail = text("message");
        if (auto answer = classify(text("code"), text("error_code"), text("verify_code"),
                                   text("captcha_error_type"), detail))
            return answer;
    }
    return std::nullopt;
}

ApiError noSource(const Answer &answer)
{
    return ApiError(ApiError::Kind::PermissionDenied,
                    u"Z.AI asked for a captcha before it answers (%1). %2"_s.arg(answer.describe(),
                                                                                 sourcesHint()),
                    {}, u"captcha_required"_s);
}

ApiError timedOut(const Answer &answer, const QString &source, int seconds)
{
    return ApiError(ApiError::Kind::PermissionDenied,
                    u"Z.AI asked for a captcha (%1) and %2 gave no verify parameter within %3 "
                    u"seconds (profile: captcha.waitSeconds). If the Z.AI window shows a "
                    u"challenge, solve it there and send the request again."_s.arg(
                        answer.describe(), source)
                        .arg(seconds),
                    {}, u"captcha_required"_s);
}

ApiError refused(const Answer &answer, const QString &source, const QString &why)
{
    return ApiError(ApiError::Kind::PermissionDenied,
                    u"Z.AI asked for a captcha (%1) and %2 gave no verify parameter: %3"_s.arg(
                        answer.describe(), source, why),
                    {}, u"captcha_required"_s);
}

ApiError rejected(const Answer &answer, const QString &source)
{
    return ApiError(ApiError::Kind::UpstreamRejected,
                    u"Z.AI rejected the verify parameters that %1 gave, twice in a row (%2). A "
                    u"parameter lives about five minutes and is used once; if this repeats, the "
                    u"captcha values in the upstream profile (captcha.prefix, captcha.sceneId, "
                    u"captcha.field) may be out of date."_s.arg(source, answer.describe()),
                    {}, u"captcha_rejected"_s);
}

} // namespace CaptchaGate
