// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

// Splits a server-sent-events byte stream into the data payloads of complete events. Accepts
// `data:` with or without a space, CRLF or LF line ends, and ignores comments and other fields.
class SseParser
{
public:
    QList<QByteArray> feed(const QByteArray &bytes);
    // The data of a last event that was not terminated by a blank line (end of stream).
    QList<QByteArray> finish();
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    static void appendEvent(const QByteArray &block, QList<QByteArray> &out);
    QByteArray m_buffer;
    qsizetype m_scanFrom = 0; // where the search for the next blank line resumes
};
