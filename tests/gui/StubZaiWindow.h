// SPDX-License-Identifier: MIT
#pragma once

#include "ZaiWindowLink.h"
#include "zai/CaptchaSource.h"

// The Z.AI window as the tray app sees it, without a browser (bridge_gui's tests stay without
// WebEngine; the real window is tested in tests/zaiwindow): counts what the app asks of it, and
// lets the test play the window's signals.
class StubZaiWindow : public ZaiWindowLink
{
public: // no Q_OBJECT: nothing of its own for the meta-object system
    class Source : public CaptchaSource
    {
    public:
        using CaptchaSource::CaptchaSource;
        QString describe() const override { return QStringLiteral("the stub window"); }
        CaptchaTicket *obtain(const CaptchaAsk &, QObject *owner) override
        {
            return new CaptchaTicket(owner); // never answered
        }
    };

    void setOrigin(const QUrl &url) override { origin = url; }
    void open() override
    {
        ++opened;
        if (!session) {
            session = true;
            Q_EMIT sessionStarted();
        }
    }
    CaptchaSource *captchaSource() override { return &source; }
    bool hasSession() const override { return session; }

    QUrl origin;
    int opened = 0;
    bool session = false;
    Source source;
};
