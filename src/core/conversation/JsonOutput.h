// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// For response_format json_object/json_schema: removes a Markdown code fence around the answer
// as it streams (holding back only what could be the fence), and checks the result.
class JsonOutput
{
public:
    QString push(const QString &text);
    QString finish();

    // An empty string when `answer` is valid (an object for json_object), else why not.
    static QString validate(const QString &answer, bool requireObject);

private:
    QString holdTail(const QString &text);

    bool m_decided = false;
    QString m_head;
    QString m_tail;
};
