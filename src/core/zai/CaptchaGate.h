// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"

#include <QByteArray>
#include <QString>

#include <optional>

struct UpstreamStreamError;

// Z.AI's captcha gate (zai-protocol.md section 10 and P.11) in words: which upstream answers
// are captcha answers, and the errors a client gets when no verify parameter can be had. Never
// retried blindly: a captcha answer is met with a verify parameter or with one of these errors.
namespace CaptchaGate {

// What Z.AI said, when an answer is a captcha answer: FRONTEND_CAPTCHA_REQUIRED (missing_param),
// F018 (a stale or used parameter) or F019 (one Z.AI does not know), with its detail.
struct Answer
{
    QString code;   // "FRONTEND_CAPTCHA_REQUIRED", "F018", "F019"
    QString detail; // Z.AI's words
    bool rejected = false; // a parameter was sent and refused (verify_failed, F018, F019)

    QString describe() const; // "FRONTEND_CAPTCHA_REQUIRED: Please refresh the page …"
};

std::optional<Answer> answerOf(const UpstreamStreamError &error);
// The same for an HTTP error body ({"error": {...}}, {"detail": {...}} or the object itself).
std::optional<Answer> answerOfBody(const QByteArray &body);

// 403 captcha_required: no source is set. Says what Z.AI asked for and the two ways to give it.
ApiError noSource(const Answer &answer);
// 403 captcha_required: `source` (CaptchaSource::describe()) gave no parameter within `seconds`.
ApiError timedOut(const Answer &answer, const QString &source, int seconds);
// 403 captcha_required: `source` failed; `why` is its own message.
ApiError refused(const Answer &answer, const QString &source, const QString &why);
// 403 captcha_rejected: Z.AI refused the parameters `source` gave, twice in a row.
ApiError rejected(const Answer &answer, const QString &source);

} // namespace CaptchaGate
