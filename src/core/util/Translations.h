// SPDX-License-Identifier: MIT
#pragma once

#include <QLocale>
#include <QString>

// Loads ZaiBridge's own translations (embedded under :/i18n) and Qt's, for a locale. English is
// the source language; Simplified Chinese ships complete.
namespace Translations {
// Installs the translators for `locale` on the application, replacing earlier ones. Returns true
// when a ZaiBridge translation for that language was found (English needs none).
bool install(const QLocale &locale);
} // namespace Translations
