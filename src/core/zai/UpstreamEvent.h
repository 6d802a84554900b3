// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

// The fields of one Z.AI stream event's `data` object that move the answer (zai-protocol.md 6.2).
struct UpstreamEvent
{
    QString phase;
    QString deltaContent; // empty when absent or not a string
    QString content;      // the fallback text field some streams use
    bool hasEditIndex = false;
    qint64 editIndex = 0;
    std::optional<QString> editContent; // set only when it is a string
    bool done = false;

    // From a parsed `data` object.
    static UpstreamEvent fromData(const QJsonObject &data);

    // Straight from the event's bytes, for the events that make up nearly every stream:
    // {"type":…,"data":{…}} whose data holds only strings, numbers, booleans and null, and no
    // error. Anything else (usage, errors, nested data, malformed or unusual JSON) gives nullopt,
    // and the caller takes the general QJsonDocument path, which yields the same fields.
    static std::optional<UpstreamEvent> scan(QByteArrayView json);

    friend bool operator==(const UpstreamEvent &a, const UpstreamEvent &b)
    {
        return a.phase == b.phase && a.deltaContent == b.deltaContent && a.content == b.content
               && a.hasEditIndex == b.hasEditIndex && a.editIndex == b.editIndex
               && a.editContent == b.editContent && a.done == b.done;
    }
};
