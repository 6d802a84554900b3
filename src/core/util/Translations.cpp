// SPDX-License-Identifier: MIT
#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
std::unique_ptr<QTranslator> g_own;
std::unique_ptr<QTranslator> g_qt;
} // namespace

bool Translations::install(const QLocale &locale)
{
    for (auto *slot : {&g_own, &g_qt}) {
        if (*slot) {
            QCoreApplication::removeTranslator(slot->get());
            slot->reset();
        }
    }
    auto own = std::make_unique<QTranslator>();
    const bool found = own->load(locale, u"zaibridge"_s, u"_"_s, u":/i18n"_s);
    if (found)
        QCoreApplication::installTranslator(own.get());
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, u"qtbase"_s, u"_"_s,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qt = std::move(qt);
    }
    if (found)
        g_own = std::move(own);
    return found || locale.language() == QLocale::English;
}
