#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Refreshes the translation sources from the code (run after changing user-visible strings),
# then fill in translations/zaibridge_zh_CN.ts with Qt Linguist.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)
"$lupdate" -silent -locations relative src ui -ts translations/zaibridge_en.ts translations/zaibridge_zh_CN.ts
"$lupdate" -silent -pluralonly -locations relative src ui -ts translations/zaibridge_en.ts
