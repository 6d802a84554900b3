// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QSocketNotifier;

// SIGTERM and SIGINT (a logout, `kill`, Ctrl+C in a terminal) delivered as a Qt signal on the
// event loop, so that the app can stop its server and save its settings before it ends. The
// handler only writes a byte to a socket pair (all a signal handler may safely do). One per
// process; nothing happens on platforms without POSIX signals.
class TerminationSignals : public QObject
{
    Q_OBJECT
public:
    static TerminationSignals *instance();

Q_SIGNALS:
    void received(int signal);

private:
    TerminationSignals();

    QSocketNotifier *m_notifier = nullptr;
};
