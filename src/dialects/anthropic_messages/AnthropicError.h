// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Anthropic's error envelope {"type": "error", "error": {"type", "message"}} and its statuses
// (dialects.md 2): the one place that names Anthropic's error types.
namespace AnthropicError {

QString type(const ApiError &error);
int status(const ApiError &error);
QJsonObject json(const ApiError &error);
QByteArray body(const ApiError &error);

} // namespace AnthropicError
