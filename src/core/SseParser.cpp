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
        QByteArray line = block.mid(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.startsWith("data:")) {
            qsizetype offset = 5;
            if (line.size() > offset && line.at(offset) == ' ')
                ++offset;
            if (hasData)
                data += '\n';
            data += line.mid(offset);
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
    for (;;) {
        // An event ends at the first blank line: "\n\n" or "\r\n\r\n" (or a mix).
        qsizetype lf = m_buffer.indexOf("\n\n", consumed);
        qsizetype crlf = m_buffer.indexOf("\n\r\n", consumed);
        qsizetype end = -1;
        qsizetype sepLen = 0;
        if (lf >= 0 && (crlf < 0 || lf <= crlf)) {
            end = lf;
            sepLen = 2;
        } else if (crlf >= 0) {
            end = crlf;
            sepLen = 3;
        }
        if (end < 0)
            break;
        appendEvent(m_buffer.mid(consumed, end - consumed), events);
        consumed = end + sepLen;
    }
    if (consumed > 0)
        m_buffer.remove(0, consumed);
    return events;
}

QList<QByteArray> SseParser::finish()
{
    QList<QByteArray> events;
    if (!m_buffer.trimmed().isEmpty())
        appendEvent(m_buffer, events);
    m_buffer.clear();
    return events;
}
