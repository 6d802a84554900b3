// SPDX-License-Identifier: MIT
#include "SseParser.h"

void SseParser::appendEvent(const QByteArray &block, QList<QByteArray> &out)
{
    QByteArray data;
    bool hasData = false;
    qsizetype start = 0;
    while (start < block.size()) {
        qsizetype end = block.indexOf('\n', start);
        if (end < 0)
            end = block.size();
        QByteArrayView line(block.constData() + start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith("data:")) {
            qsizetype offset = 5;
            if (line.size() > offset && line.at(offset) == ' ')
                ++offset;
            if (hasData)
                data += '\n';
            data += line.sliced(offset);
            hasData = true;
        }
        start = end + 1;
    }
    if (hasData)
        out.append(data);
}

QList<QByteArray> SseParser::feed(const QByteArray &bytes)
{
    m_buffer += bytes;
    QList<QByteArray> events;
    qsizetype consumed = 0;
    // One pass over the new bytes: an event ends at a blank line, "\n\n" or "\n\r\n". The scan
    // resumes where the last call stopped, so a large buffer is never searched twice.
    qsizetype pos = qMax(m_scanFrom, consumed);
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', pos);
        if (newline < 0 || newline + 1 >= m_buffer.size()) {
            m_scanFrom = newline < 0 ? m_buffer.size() : newline;
            break;
        }
        qsizetype sepEnd = -1;
        if (m_buffer.at(newline + 1) == '\n') {
            sepEnd = newline + 2;
        } else if (m_buffer.at(newline + 1) == '\r') {
            if (newline + 2 >= m_buffer.size()) {
                m_scanFrom = newline; // "\n\r" at the end: wait for the next byte
                break;
            }
            if (m_buffer.at(newline + 2) == '\n')
                sepEnd = newline + 3;
        }
        if (sepEnd < 0) {
            pos = newline + 1;
            continue;
        }
        appendEvent(m_buffer.mid(consumed, newline - consumed), events);
        consumed = sepEnd;
        pos = sepEnd;
    }
    if (consumed > 0) {
        m_buffer.remove(0, consumed);
        m_scanFrom = qMax<qsizetype>(0, m_scanFrom - consumed);
    }
    return events;
}

QList<QByteArray> SseParser::finish()
{
    QList<QByteArray> events;
    if (!m_buffer.trimmed().isEmpty())
        appendEvent(m_buffer, events);
    m_buffer.clear();
    m_scanFrom = 0;
    return events;
}
