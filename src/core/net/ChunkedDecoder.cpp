// SPDX-License-Identifier: MIT
#include "ChunkedDecoder.h"

#include "util/Utf8.h"

#include <cstring>
#include <limits>

namespace {

// The position of the "\n" ending the line that starts at `from`, or -1 while it is still
// arriving.
qsizetype lineEnd(const char *data, qsizetype from, qsizetype size)
{
    const void *nl = std::memchr(data + from, '\n', size_t(size - from));
    return nl ? static_cast<const char *>(nl) - data : -1;
}

// chunk-size [ BWS ";" extensions ] : the size, or -1 when the line is not one.
qint64 chunkSize(const char *line, qsizetype length)
{
    qsizetype i = 0;
    qint64 size = 0;
    for (; i < length; ++i) {
        const int digit = Utf8::hexDigit(line[i]);
        if (digit < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4))
            return -1;
        size = size * 16 + digit;
    }
    if (i == 0)
        return -1;
    while (i < length && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    return i == length || line[i] == ';' ? size : -1;
}

} // namespace

ChunkedDecoder::Status ChunkedDecoder::decode(QByteArray *in, QByteArray *out, qsizetype limit)
{
    const char *const data = in->constData();
    const qsizetype size = limit >= 0 ? qMin(limit, in->size()) : in->size();
    qsizetype pos = 0;
    Status status = Status::NeedMore;
    bool waiting = false; // the rest of a line or of a chunk's CRLF is still arriving
    while (status == Status::NeedMore && !waiting && pos < size) {
        switch (m_state) {
        case State::SizeLine: {
            const qsizetype nl = lineEnd(data, pos, size);
            if (nl < 0) {
                if (size - pos > kMaxLineBytes)
                    status = Status::Malformed;
                waiting = true;
                break;
            }
            if (nl == pos || data[nl - 1] != '\r' || nl - pos > kMaxLineBytes) {
                status = Status::Malformed;
                break;
            }
            m_chunkLeft = chunkSize(data + pos, nl - 1 - pos);
            if (m_chunkLeft < 0) {
                status = Status::Malformed;
                break;
            }
            pos = nl + 1;
            m_state = m_chunkLeft == 0 ? State::Trailers : State::Data;
            m_trailerBytes = 0;
            break;
        }
        case State::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_chunkLeft, size - pos));
            out->append(data + pos, take);
            pos += take;
            m_chunkLeft -= take;
            if (m_chunkLeft == 0)
                m_state = State::DataEnd;
            break;
        }
        case State::DataEnd:
            // The CRLF after a chunk's data.
            if (size - pos < 2) {
                waiting = true;
                break;
            }
            if (data[pos] != '\r' || data[pos + 1] != '\n') {
                status = Status::Malformed;
                break;
            }
            pos += 2;
            m_state = State::SizeLine;
            break;
        case State::Trailers: {
            const qsizetype nl = lineEnd(data, pos, size);
            if (nl < 0) {
                if (m_trailerBytes + (size - pos) > kMaxTrailerBytes)
                    status = Status::Malformed;
                waiting = true;
                break;
            }
            if (nl == pos || data[nl - 1] != '\r') {
                status = Status::Malformed;
                break;
            }
            m_trailerBytes += nl + 1 - pos;
            if (m_trailerBytes > kMaxTrailerBytes) {
                status = Status::Malformed;
                break;
            }
            const bool empty = nl == pos + 1;
            pos = nl + 1;
            if (empty) {
                m_state = State::Done;
                status = Status::Done;
            }
            break;
        }
        case State::Done:
            status = Status::Done;
            break;
        }
    }
    if (status == Status::NeedMore && m_state == State::Done)
        status = Status::Done;
    if (status != Status::Malformed) {
        if (pos == in->size())
            in->resize(0); // keeps the allocation for the next bytes
        else if (pos > 0)
            in->remove(0, pos);
    }
    return status;
}
