// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// The OpenAI error envelope {"error": {"message", "type", "param", "code"}} (openai-compat.md 2),
// all four keys present: the one place that names OpenAI's error types.
namespace OpenAiError {

QString type(const ApiError &error);
QJsonObject json(const ApiError &error);
QByteArray body(const ApiError &error);

} // namespace OpenAiError
