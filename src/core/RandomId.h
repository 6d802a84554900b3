// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// Random ASCII letters and digits, for completion ids, tool-call ids and tool triggers.
QString randomAlphanumeric(int length);
