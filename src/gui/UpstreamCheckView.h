// SPDX-License-Identifier: MIT
#pragma once

#include "config/BridgeConfig.h"
#include "zai/UpstreamCheck.h"
#include "zai/UpstreamProfile.h"

#include <QPointer>
#include <QWidget>

class CaptchaSource;
class QLabel;

// The settings' view of UpstreamCheck (zai-protocol.md P.15): the steps of a request to Z.AI
// with the values in the dialog, one line each as it finishes, what failed and what to change.
class UpstreamCheckView : public QWidget
{
    Q_OBJECT
public:
    explicit UpstreamCheckView(QWidget *parent = nullptr);
    ~UpstreamCheckView() override;

    // Starts a check (a running one is dropped) with `source` for the captcha, if any.
    void start(const BridgeConfig &config, const UpstreamProfile &profile, CaptchaSource *source);
    bool isRunning() const { return m_check != nullptr; }
    QList<UpstreamCheck::Result> results() const { return m_results; }
    QString text() const; // what the view shows, as plain text

Q_SIGNALS:
    void stepFinished(const UpstreamCheck::Result &result);
    void finished(bool ok);

private:
    void render();

    QLabel *m_label;
    QPointer<UpstreamCheck> m_check;
    QList<UpstreamCheck::Result> m_results;
    std::optional<bool> m_ok;
};
