#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Refreshes the translation sources from the code (run after changing user-visible strings),
# then fill in translations/zaibridge_zh_CN.ts with Qt Linguist. The source strings are English:
# zaibridge_en.ts lists them all with empty translations, which fall back to the source text.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)
"$lupdate" -silent -locations relative src ui -ts translations/zaibridge_en.ts translations/zaibridge_zh_CN.ts
