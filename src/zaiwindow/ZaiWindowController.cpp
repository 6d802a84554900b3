// SPDX-License-Identifier: MIT
#include "ZaiWindowController.h"

#include "TokenCapture.h"
#include "WindowCaptchaSource.h"
#include "ZaiWindow.h"

#include <QDir>
#include <QFileInfo>
#include <QWebEngineProfile>

using namespace Qt::StringLiterals;

ZaiWindowController::ZaiWindowController(QString storagePath, QObject *parent)
    : ZaiWindowLink(parent), m_storagePath(std::move(storagePath)),
      m_captcha(new WindowCaptchaSource([this] { return ensureWindow(); }, this))
{
    connect(m_captcha, &WindowCaptchaSource::userNeeded, this, &ZaiWindowController::onUserNeeded);
    connect(m_captcha, &WindowCaptchaSource::userDone, this, &ZaiWindowController::onUserDone);
}

ZaiWindowController::~ZaiWindowController()
{
    delete m_captcha; // before the window its asks run in
    m_captcha = nullptr;
    delete m_window.data();
}

void ZaiWindowController::setOrigin(const QUrl &origin)
{
    m_origin = origin;
    if (m_capture)
        m_capture->setOrigin(origin);
}

ZaiWindow *ZaiWindowController::window() const
{
    return m_window;
}

ZaiWindow *ZaiWindowController::ensureWindow()
{
    if (m_window)
        return m_window;
    QDir().mkpath(m_storagePath); // also the mark of a session for later runs (hasSession)
    m_window = new ZaiWindow(m_storagePath);
    m_capture = new TokenCapture(m_window->profile()->cookieStore(), m_window);
    connect(m_capture, &TokenCapture::tokenCaptured, this, &ZaiWindowLink::tokenCaptured);
    connect(m_capture, &TokenCapture::signedOut, this, &ZaiWindowLink::signedOut);
    m_capture->setOrigin(m_origin);
    Q_EMIT sessionStarted();
    return m_window;
}

bool ZaiWindowController::hasSession() const
{
    // The profile's folder appears with the window's first page: a session of an earlier run.
    return m_window || QFileInfo(m_storagePath).isDir();
}

void ZaiWindowController::open()
{
    ZaiWindow *w = ensureWindow();
    if (!m_origin.isEmpty())
        w->showOrigin(m_origin);
    w->bringToFront();
}

CaptchaSource *ZaiWindowController::captchaSource()
{
    return m_captcha;
}

void ZaiWindowController::onUserNeeded()
{
    ZaiWindow *w = ensureWindow();
    w->setNotice(tr("Z.AI asks for a verification before it answers a request of ZaiBridge. "
                    "Please complete it below; the request waits for you."));
    w->bringToFront();
    Q_EMIT attentionNeeded(tr("Z.AI asks for a verification"),
                           tr("A request waits for you to complete the verification in the Z.AI "
                              "window."));
}

void ZaiWindowController::onUserDone()
{
    if (m_window)
        m_window->setNotice(QString());
}
