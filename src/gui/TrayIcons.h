// SPDX-License-Identifier: MIT
#pragma once

#include "BridgeController.h"

#include <QIcon>

// The tray and window icons, drawn with QPainter so they stay sharp at every size: a filled disc
// (grey stopped, green serving, red error) with a white glyph and a dark rim plus a light halo,
// so each state reads on light and dark panels alike and differs in shape, not only colour.
namespace TrayIcons {
QIcon forState(BridgeController::State state);
QIcon application();
} // namespace TrayIcons
