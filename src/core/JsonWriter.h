// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

// Compact JSON text, byte for byte what QJsonDocument::toJson(QJsonDocument::Compact) writes, at a
// fraction of its cost: strings are escaped and UTF-8 encoded in one pass straight into the
// output. The upstream body of a long conversation (a megabyte of message text) is written this
// way, and so is every answer.
namespace JsonWriter {

void appendString(QByteArray &out, QStringView text);
void appendValue(QByteArray &out, const QJsonValue &value);
QByteArray toBytes(const QJsonObject &object);
QByteArray toBytes(const QJsonArray &array);

} // namespace JsonWriter
