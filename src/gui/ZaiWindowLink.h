// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

class CaptchaSource;

// What the tray app needs from the Z.AI window (zai-protocol.md P.11), without knowing that it
// is a browser: the window itself lives in its own unit (src/zaiwindow, Qt WebEngine) that only
// the tray app's executable links, so bridge_gui and its tests stay free of WebEngine.
class ZaiWindowLink : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // The chat page the window shows and signs in to: the origin of the configured endpoint.
    virtual void setOrigin(const QUrl &origin) = 0;
    // Shows the window (loading the chat page the first time) and brings it to the front.
    virtual void open() = 0;
    // Verify parameters made by the page's own captcha SDK; lives as long as this link.
    virtual CaptchaSource *captchaSource() = 0;
    // Whether the window's session lives: it was opened in this run, or in an earlier one (its
    // browser profile is kept). Until then the bridge has no captcha source, and a captcha
    // raises a notification that opens the window.
    virtual bool hasSession() const = 0;

Q_SIGNALS:
    // hasSession() became true.
    void sessionStarted();
    // The user signed in in the window: the page's `token` cookie. `account` is the e-mail the
    // token names, if it names one. The token is a secret: never log it.
    void tokenCaptured(const QString &token, const QString &account);
    // The window's session lost its token cookie (the user signed out in the window).
    void signedOut();
    // The window needs the user (a captcha challenge): a desktop notification to show.
    void attentionNeeded(const QString &title, const QString &message);
};
