// SPDX-License-Identifier: MIT
// The Chinese translation loads, known GUI strings are translated, and open windows switch
// language at once when the language changes.

#include "BridgeController.h"
#include "SettingsDialog.h"
#include "util/Translations.h"
#include "TrayApplication.h"
#include "TrayController.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

using namespace Qt::StringLiterals;

class TestGuiTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chineseStringsLoad();
    void openDialogSwitchesAtOnce();
    void trayMenuSwitchesAtOnce();
    void cleanupTestCase();
};

void TestGuiTranslations::chineseStringsLoad()
{
    TrayApplication::installLanguage(AppSettings::Language::SimplifiedChinese);
    QCOMPARE(QCoreApplication::translate("TrayController", "Quit"), u"退出"_s);
    QCOMPARE(QCoreApplication::translate("TrayController", "Start server"), u"启动服务"_s);
    QCOMPARE(QCoreApplication::translate("SettingsDialog", "Server"), u"服务器"_s);
    QCOMPARE(QCoreApplication::translate("TrayController", "Sign in to Z.AI…"), u"登录 Z.AI…"_s);
    QCOMPARE(QCoreApplication::translate("ZaiWindowController", "Z.AI asks for a verification"),
             u"Z.AI 要求进行验证"_s);
    QVERIFY(
        QCoreApplication::translate("SettingsDialog", "The port must be a number from 1 to 65535.")
            .contains(u"65535"_s));
    QVERIFY(
        QCoreApplication::translate("SettingsDialog", "The port must be a number from 1 to 65535.")
            .contains(u"端口"_s));
}

void TestGuiTranslations::openDialogSwitchesAtOnce()
{
    TrayApplication::installLanguage(AppSettings::Language::English);
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.show();
    auto *tabs = dialog.findChild<QTabWidget *>(u"tabs"_s);
    QCOMPARE(tabs->tabText(0), u"Server"_s);
    TrayApplication::installLanguage(AppSettings::Language::SimplifiedChinese);
    QTRY_COMPARE(tabs->tabText(0), u"服务器"_s);
    QCOMPARE(dialog.windowTitle(), u"ZaiBridge 设置"_s);
    // Qt's own strings come from qtbase_zh_CN (qt6-translations-l10n, scripts/install-deps.sh).
    auto *buttons = dialog.findChild<QDialogButtonBox *>(u"buttonBox"_s);
    QTRY_VERIFY2(buttons->button(QDialogButtonBox::Cancel)->text().contains(u"取消"_s),
                 qPrintable(buttons->button(QDialogButtonBox::Cancel)->text()));
    TrayApplication::installLanguage(AppSettings::Language::English);
    QTRY_COMPARE(tabs->tabText(0), u"Server"_s);
}

void TestGuiTranslations::trayMenuSwitchesAtOnce()
{
    TrayApplication::installLanguage(AppSettings::Language::English);
    BridgeController bridge(UpstreamProfile::builtIn());
    TrayController tray(&bridge, nullptr);
    QCOMPARE(tray.quitAction()->text(), u"Quit"_s);
    QCOMPARE(tray.toggleAction()->text(), u"Start server"_s);
    TrayApplication::installLanguage(AppSettings::Language::SimplifiedChinese);
    QTRY_COMPARE(tray.quitAction()->text(), u"退出"_s);
    QCOMPARE(tray.toggleAction()->text(), u"启动服务"_s);
    QVERIFY(tray.toolTip().contains(u"已停止"_s));
    TrayApplication::installLanguage(AppSettings::Language::English);
    QTRY_COMPARE(tray.quitAction()->text(), u"Quit"_s);
}

void TestGuiTranslations::cleanupTestCase()
{
    Translations::install(QLocale(QLocale::English));
}

QTEST_MAIN(TestGuiTranslations)
#include "testGuiTranslations.moc"
