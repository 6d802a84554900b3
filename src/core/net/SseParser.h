// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Splits a server-sent-events byte stream into the data payloads of complete events. Accepts
// `data:` with or without a space, CRLF or LF line ends, and ignores comments and other fields.
//
// append() adds bytes, next() hands out one event at a time: a burst of events is read as it is
// translated, so the first event of a burst goes on its way before the others are even split.
class SseParser
{
public:
    void append(const QByteArray &bytes);
    // The data of the next complete event, if there is one. The view is valid until the next
    // call of any member: the data of a one-line event points into the parser's buffer.
    bool next(QByteArrayView *data);

    // append() and every next(), copied.
    QList<QByteArray> feed(const QByteArray &bytes);
    // The data of a last event that was not terminated by a blank line (end of stream).
    QList<QByteArray> finish();

private:
    bool dataOf(QByteArrayView block, QByteArrayView *data);

    QByteArray m_buffer;
    qsizetype m_consumed = 0; // bytes at the front of m_buffer that next() has handed out
    qsizetype m_scanFrom = 0; // where the search for the next blank line resumes
    QByteArray m_joined;      // the data of an event of several data lines
};
