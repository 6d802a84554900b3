// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// Random ASCII letters and digits, for completion ids, tool-call ids and tool triggers.
QString randomAlphanumeric(int length);

// A random (version 4) UUID without braces, for the upstream's chat and message ids. They are
// identifiers, not secrets: drawn from the seeded global generator, which is far cheaper than the
// system source QUuid::createUuid() reads.
QString randomUuid();
