// SPDX-License-Identifier: MIT
// Desktop behaviour without a desktop: one instance per user (a second launch activates the
// first), and open-at-login entries that appear and disappear.

#include "AutoStart.h"
#include "SingleInstance.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestDesktopIntegration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secondInstanceActivatesTheFirst();
    void autostartEntry();
};

void TestDesktopIntegration::secondInstanceActivatesTheFirst()
{
    const QString name = u"zb-test-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
    SingleInstance first(name);
    QVERIFY(first.claim());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);
    SingleInstance second(name);
    QVERIFY(!second.claim());
    QTRY_COMPARE(activated.count(), 1);
    QVERIFY(SingleInstance::defaultName().startsWith(u"zaibridge-"_s));
}

void TestDesktopIntegration::autostartEntry()
{
#if defined(Q_OS_WIN)
    QSKIP("the Run key is not touched by tests");
#else
    QTemporaryDir dir;
    const QString path = dir.filePath(u"autostart/zaibridge.desktop"_s);
    AutoStart autoStart(u"/usr/bin/zai bridge"_s, path);
    QVERIFY(!autoStart.isEnabled());
    QString error;
    QVERIFY(autoStart.setEnabled(true, &error));
    QVERIFY(autoStart.isEnabled());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
#if defined(Q_OS_MACOS)
    QVERIFY(text.contains("<string>/usr/bin/zai bridge</string>"));
#else
    QVERIFY(text.contains("[Desktop Entry]"));
    QVERIFY(text.contains("Exec=\"/usr/bin/zai bridge\" --autostart"));
#endif
    QVERIFY(autoStart.setEnabled(false, &error));
    QVERIFY(!autoStart.isEnabled());
    QVERIFY(!QFile::exists(path));
#endif
}

QTEST_GUILESS_MAIN(TestDesktopIntegration)
#include "testDesktopIntegration.moc"
