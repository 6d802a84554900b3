// SPDX-License-Identifier: MIT
#pragma once

#include "config/BridgeConfig.h"
#include "UpstreamProfile.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

class CaptchaSource;
class QNetworkReply;
class ZaiClient;
class ZaiCompletion;
struct TokenLease;

// Diagnosis in plain words (zai-protocol.md P.15), for `zaibridge-server --check-upstream` and
// the settings' Test button: walks the steps of a request (landing page and FE version, token,
// the model list, the captcha, a one-word completion) with the configuration and profile the
// bridge would use, and says for each what Z.AI answered and, when a protocol change is the
// likely cause, which profile key to change. Only a completion that came back is a success.
class UpstreamCheck : public QObject
{
    Q_OBJECT
public:
    enum class Step { Landing, Token, Models, Captcha, Completion };
    struct Result
    {
        Step step = Step::Landing;
        bool ok = false;
        bool known = true; // false: the step could not be checked (ok is false then too)
        QString text; // what happened, in plain words; never a secret
        QString hint; // what to change (a profile key, a variable), or empty
    };

    UpstreamCheck(BridgeConfig config, UpstreamProfile profile, QObject *parent = nullptr);
    ~UpstreamCheck() override;

    void setCaptchaSource(CaptchaSource *source);
    // The model the completion step asks (default: GLM-4.7, which guests may use).
    void setModel(const QString &model) { m_modelName = model; }
    void start();

    static QString stepName(Step step);
    // One line for a terminal: "ok    models: …", "FAIL  completion: …" (plus a line with the
    // hint) or "-     captcha: …" for a step that could not be checked.
    static QString format(const Result &result);

Q_SIGNALS:
    void stepFinished(const UpstreamCheck::Result &result);
    // True when the one-word completion came back.
    void finished(bool ok);

private:
    void checkLanding();
    void checkToken();
    void checkModels(const TokenLease &lease);
    void checkCompletion();
    void report(Step step, bool ok, const QString &text, const QString &hint = {});
    void reportUnknown(Step step, const QString &text);
    QString hintFor(const QString &code) const;

    BridgeConfig m_config;
    UpstreamProfile m_profile;
    QString m_modelName = QStringLiteral("GLM-4.7");
    ZaiClient *m_client = nullptr;
    QPointer<QNetworkReply> m_reply;
    ZaiCompletion *m_completion = nullptr;
    QElapsedTimer m_clock;
    QString m_answer;
};
