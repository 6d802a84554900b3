// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

// What Z.AI's captcha gate wants, as the profile's "captcha" key describes it (zai-protocol.md
// section 10, "The captcha SDK as pages use it"): the values a page passes to the Aliyun Captcha
// SDK, and why the bridge asks.
struct CaptchaAsk
{
    QString reason;    // for people: "Z.AI asked for a captcha (FRONTEND_CAPTCHA_REQUIRED)"
    QString region;    // window.AliyunCaptchaConfig.region ("sgp")
    QString prefix;    // window.AliyunCaptchaConfig.prefix ("no8xfe")
    QString sceneId;   // initAliyunCaptcha SceneId ("didk33e0")
    QUrl scriptUrl;    // the SDK (AliyunCaptcha.js)
    QUrl origin;       // the chat page the parameter is made for (https://chat.z.ai)
    int waitSeconds = 120; // how long the bridge waits before the request fails
};

// One ask for a verify parameter, owned by the one who asked. Exactly one of ready() or failed()
// is emitted, once, always later than the call that made the ticket (never from inside it).
// Deleting the ticket withdraws the ask: the source stops what it started for it (kills the
// command, takes it off the window's queue) and emits nothing more.
class CaptchaTicket : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    // A verify parameter for the completion body's captcha_verify_param.
    void ready(const QString &verifyParam);
    // No parameter: `message` says why in plain words and names the source; no secret in it.
    void failed(const QString &message);
    // The source needs a human (a slider in the Z.AI window): the request waits for them.
    void waitingForUser();
};

// Where verify parameters come from (zai-protocol.md P.11): the tray app's Z.AI window, the
// headless server's ZAI_CAPTCHA_COMMAND, or none (no source set: the request fails at once with
// 403 captcha_required). The bridge never solves a captcha itself.
class CaptchaSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // For messages: "the Z.AI window", "the command ZAI_CAPTCHA_COMMAND (my-captcha)".
    virtual QString describe() const = 0;
    // Starts one ask; the ticket is parented to `owner`.
    virtual CaptchaTicket *obtain(const CaptchaAsk &ask, QObject *owner) = 0;
};
