// SPDX-License-Identifier: MIT
#include "SseParser.h"

bool SseParser::dataOf(QByteArrayView block, QByteArrayView *data)
{
    bool hasData = false;
    bool joined = false;
    qsizetype start = 0;
    while (start < block.size()) {
        qsizetype end = block.indexOf('\n', start);
        if (end < 0)
            end = block.size();
        QByteArrayView line = block.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith("data:")) {
            qsizetype offset = 5;
            if (line.size() > offset && line.at(offset) == ' ')
                ++offset;
            const QByteArrayView value = line.sliced(offset);
            if (!hasData) {
                *data = value;
            } else {
                if (!joined) {
                    m_joined = data->toByteArray();
                    joined = true;
                }
                m_joined += '\n';
                m_joined += value;
            }
            hasData = true;
        }
        start = end + 1;
    }
    if (joined)
        *data = m_joined;
    return hasData;
}

void SseParser::append(const QByteArray &bytes)
{
    if (m_consumed > 0) {
        m_buffer.remove(0, m_consumed);
        m_scanFrom = qMax<qsizetype>(0, m_scanFrom - m_consumed);
        m_consumed = 0;
    }
    m_buffer += bytes;
}

bool SseParser::next(QByteArrayView *data)
{
    // One pass over the bytes: an event ends at a blank line, "\n\n" or "\n\r\n". The scan
    // resumes where the last call stopped, so a large buffer is never searched twice.
    qsizetype pos = qMax(m_scanFrom, m_consumed);
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', pos);
        if (newline < 0 || newline + 1 >= m_buffer.size()) {
            m_scanFrom = newline < 0 ? m_buffer.size() : newline;
            return false;
        }
        qsizetype sepEnd = -1;
        if (m_buffer.at(newline + 1) == '\n') {
            sepEnd = newline + 2;
        } else if (m_buffer.at(newline + 1) == '\r') {
            if (newline + 2 >= m_buffer.size()) {
                m_scanFrom = newline; // "\n\r" at the end: wait for the next byte
                return false;
            }
            if (m_buffer.at(newline + 2) == '\n')
                sepEnd = newline + 3;
        }
        if (sepEnd < 0) {
            pos = newline + 1;
            continue;
        }
        const QByteArrayView block(m_buffer.constData() + m_consumed, newline - m_consumed);
        m_consumed = sepEnd;
        m_scanFrom = sepEnd;
        pos = sepEnd;
        if (dataOf(block, data))
            return true;
    }
}

QList<QByteArray> SseParser::feed(const QByteArray &bytes)
{
    append(bytes);
    QList<QByteArray> events;
    QByteArrayView data;
    while (next(&data))
        events.append(data.toByteArray());
    return events;
}

QList<QByteArray> SseParser::finish()
{
    QList<QByteArray> events;
    const QByteArrayView rest = QByteArrayView(m_buffer).sliced(m_consumed);
    QByteArrayView data;
    if (!rest.trimmed().isEmpty() && dataOf(rest, &data))
        events.append(data.toByteArray());
    m_buffer.clear();
    m_consumed = 0;
    m_scanFrom = 0;
    return events;
}
