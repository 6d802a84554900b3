// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// Open at login, per user: an XDG autostart entry on Linux, the Run key on Windows, a
// LaunchAgent on macOS. `location` overrides where the entry goes (tests).
class AutoStart
{
public:
    explicit AutoStart(QString executable, QString location = {});

    bool isEnabled() const;
    bool setEnabled(bool enabled, QString *error);
    QString location() const { return m_location; }

private:
    QString m_executable;
    QString m_location;
};
