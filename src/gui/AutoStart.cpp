// SPDX-License-Identifier: MIT
#include "AutoStart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {
#if defined(Q_OS_WIN)
const QString RunKey = u"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"_s;
#endif
} // namespace

AutoStart::AutoStart(QString executable, QString location)
    : m_executable(std::move(executable)), m_location(std::move(location))
{
    if (!m_location.isEmpty())
        return;
#if defined(Q_OS_WIN)
    m_location = RunKey;
#elif defined(Q_OS_MACOS)
    m_location = QDir::homePath() + u"/Library/LaunchAgents/io.github.zaibridge.plist"_s;
#else
    m_location = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                 u"/autostart/zaibridge.desktop"_s;
#endif
}

bool AutoStart::isEnabled() const
{
#if defined(Q_OS_WIN)
    return QSettings(m_location, QSettings::NativeFormat).contains(u"ZaiBridge"_s);
#else
    return QFile::exists(m_location);
#endif
}

bool AutoStart::setEnabled(bool enabled, QString *error)
{
#if defined(Q_OS_WIN)
    QSettings run(m_location, QSettings::NativeFormat);
    if (enabled)
        run.setValue(u"ZaiBridge"_s,
                     u"\"%1\" --autostart"_s.arg(QDir::toNativeSeparators(m_executable)));
    else
        run.remove(u"ZaiBridge"_s);
    run.sync();
    if (run.status() != QSettings::NoError) {
        *error = QCoreApplication::translate("AutoStart", "Cannot change the Run key.");
        return false;
    }
    return true;
#else
    if (!enabled) {
        if (QFile::exists(m_location) && !QFile::remove(m_location)) {
            *error = QCoreApplication::translate("AutoStart", "Cannot remove %1.").arg(m_location);
            return false;
        }
        return true;
    }
    QDir().mkpath(QFileInfo(m_location).absolutePath());
    QSaveFile file(m_location);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = QCoreApplication::translate("AutoStart", "Cannot write %1: %2")
                     .arg(m_location, file.errorString());
        return false;
    }
#if defined(Q_OS_MACOS)
    QString text = u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                   "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                   "<plist version=\"1.0\"><dict>\n"
                   "  <key>Label</key><string>io.github.zaibridge</string>\n"
                   "  <key>ProgramArguments</key><array><string>%1</string>"
                   "<string>--autostart</string></array>\n"
                   "  <key>RunAtLoad</key><true/>\n"
                   "</dict></plist>\n"_s.arg(m_executable.toHtmlEscaped());
#else
    QString quoted = m_executable;
    quoted.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    QString text = u"[Desktop Entry]\n"
                   "Type=Application\n"
                   "Name=ZaiBridge\n"
                   "Comment=Local OpenAI-compatible gateway to Z.AI\n"
                   "Exec=\"%1\" --autostart\n"
                   "Icon=zaibridge\n"
                   "Terminal=false\n"
                   "X-GNOME-Autostart-enabled=true\n"_s.arg(quoted);
#endif
    file.write(text.toUtf8());
    if (!file.commit()) {
        *error = QCoreApplication::translate("AutoStart", "Cannot write %1: %2")
                     .arg(m_location, file.errorString());
        return false;
    }
    return true;
#endif
}
