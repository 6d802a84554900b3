// SPDX-License-Identifier: MIT
#pragma once

#include "zai/CaptchaSource.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <functional>

class ZaiWindow;

// Verify parameters from the page's own captcha SDK in the Z.AI window (zai-protocol.md P.11).
// Asks are answered one at a time: the chat page is loaded in the background if needed (the
// window is not shown for that), a container is added to it and the SDK's initAliyunCaptcha is
// called for it, loading the SDK first when the page has none; its success or fail callback is
// read back by polling the page. When the SDK shows a challenge (a widget in the container and no
// answer after ChallengeAfterMs, or no answer at all after UserNeededAfterMs), the ticket says
// waitingForUser and userNeeded() asks for the window to come to the front. The human solves it;
// this class never fills in or clicks anything. The timeout is the asker's: it deletes the ticket.
class WindowCaptchaSource : public CaptchaSource
{
    Q_OBJECT
public:
    using WindowProvider = std::function<ZaiWindow *()>;

    static constexpr int PollMs = 200;
    static constexpr int ChallengeAfterMs = 1500;
    static constexpr int UserNeededAfterMs = 6000;
    static constexpr int MaxRestarts = 5; // the page navigated away under an ask this often

    // `window` creates the window when first needed (its page then lives in the background).
    explicit WindowCaptchaSource(WindowProvider window, QObject *parent = nullptr);
    ~WindowCaptchaSource() override;

    QString describe() const override;
    CaptchaTicket *obtain(const CaptchaAsk &ask, QObject *owner) override;

    int pendingAsks() const { return int(m_queue.size()); }
    bool isWaitingForUser() const { return m_waitingForUser; }

    // The script that starts one ask in the page, and the one that reads its state back.
    static QString startScript(quint64 id, const CaptchaAsk &ask, const QString &caption);
    static QString pollScript(quint64 id);
    static QString cleanupScript(quint64 id);

Q_SIGNALS:
    // A challenge waits in the window: bring it to the front and tell the user.
    void userNeeded(const CaptchaAsk &ask);
    // The challenge that userNeeded() announced is over (answered, failed or withdrawn).
    void userDone();

private:
    struct Pending
    {
        quint64 id = 0;
        CaptchaAsk ask;
        QPointer<CaptchaTicket> ticket;
    };

    void startNext();
    void onPageLoaded(bool ok);
    void inject();
    void poll();
    void onPolled(quint64 id, const QVariant &state);
    // Ends the active ask: takes it off the queue first, then answers its ticket.
    void finish(bool ok, const QString &valueOrMessage);
    void withdraw(quint64 id);
    void resetActive();
    ZaiWindow *window();

    WindowProvider m_provider;
    QPointer<ZaiWindow> m_window;
    QList<Pending> m_queue; // the front one is active while m_active
    quint64 m_nextId = 1;
    bool m_active = false;
    bool m_injected = false;
    bool m_pollInFlight = false;
    bool m_waitingForUser = false;
    int m_restarts = 0;
    QElapsedTimer m_since;
    QTimer m_poll;
};
