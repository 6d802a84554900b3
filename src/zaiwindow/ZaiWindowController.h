// SPDX-License-Identifier: MIT
#pragma once

#include "ZaiWindowLink.h"

#include <QPointer>

class TokenCapture;
class WindowCaptchaSource;
class ZaiWindow;

// The Z.AI window as the tray app uses it (ZaiWindowLink): made when first needed (opened from
// the menu or the settings, or for the first captcha ask), then kept for the session, hidden
// when closed. It hands on the token its sign-in sets and brings the window to the front, with
// a notification, when a captcha challenge waits for the user.
class ZaiWindowController : public ZaiWindowLink
{
    Q_OBJECT
public:
    // `storagePath`: the browser profile's folder (the app's data folder; a temp dir in tests).
    explicit ZaiWindowController(QString storagePath, QObject *parent = nullptr);
    ~ZaiWindowController() override;

    void setOrigin(const QUrl &origin) override;
    void open() override;
    CaptchaSource *captchaSource() override;
    bool hasSession() const override;

    QUrl origin() const { return m_origin; }
    ZaiWindow *window() const; // null until first needed
    ZaiWindow *ensureWindow();
    WindowCaptchaSource *windowCaptchaSource() const { return m_captcha; }

private:
    void onUserNeeded();
    void onUserDone();

    QString m_storagePath;
    QUrl m_origin;
    QPointer<ZaiWindow> m_window;
    TokenCapture *m_capture = nullptr;
    WindowCaptchaSource *m_captcha;
};
