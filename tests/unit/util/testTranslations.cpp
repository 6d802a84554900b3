// SPDX-License-Identifier: MIT
#include "util/Translations.h"

#include <QCoreApplication>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chineseLoads();
    void englishIsTheSource();
};

void TestTranslations::chineseLoads()
{
    QVERIFY(Translations::install(QLocale(QLocale::Chinese, QLocale::China)));
    QCOMPARE(QCoreApplication::translate("main", "ZaiBridge %1 listening on %2"),
             u"ZaiBridge %1 正在监听 %2"_s);
    QVERIFY(QCoreApplication::translate("ConfigLoader", "Cannot read %1: %2").contains(u"无法读取"_s));
}

void TestTranslations::englishIsTheSource()
{
    QVERIFY(Translations::install(QLocale(QLocale::English, QLocale::UnitedStates)));
    QCOMPARE(QCoreApplication::translate("main", "ZaiBridge %1 listening on %2"),
             u"ZaiBridge %1 listening on %2"_s);
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "testTranslations.moc"
