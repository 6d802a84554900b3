// SPDX-License-Identifier: MIT
#pragma once

#include "CaptchaSource.h"

#include <QString>

#include <optional>

// ZAI_CAPTCHA_COMMAND (zai-protocol.md P.11): an extension point for the headless server. For
// every ask the bridge runs the user's program, without a shell, with the ask in its environment
// (ZAI_CAPTCHA_REASON, _REGION, _PREFIX, _SCENE_ID, _SCRIPT_URL, _ORIGIN, _WAIT_SECONDS), and
// takes the one line it prints on standard output as the verify parameter. Its standard error is
// for its own messages; the last line of it explains a failure. ZaiBridge ships no such program.
class CommandCaptchaSource : public CaptchaSource
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxParamBytes = 8 * 1024;

    explicit CommandCaptchaSource(QString commandLine, QObject *parent = nullptr);

    QString describe() const override;
    CaptchaTicket *obtain(const CaptchaAsk &ask, QObject *owner) override;

    // The verify parameter in what the program printed, or the reason it is none (`error`).
    static std::optional<QString> parseOutput(const QByteArray &out, QString *error);

private:
    QString m_commandLine;
};
