// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

// Decodes an HTTP/1.1 chunked body (RFC 9112, section 7.1) as its bytes arrive, in any pieces.
// Chunk extensions are skipped and trailer fields read over; the data goes to the caller's buffer
// without a copy in between.
class ChunkedDecoder
{
public:
    enum class Status {
        NeedMore,  // all of the input is used; the body goes on
        Done,      // the last chunk and the trailers are read; what follows is left in the input
        Malformed, // not a chunked body
    };

    // Appends the data of the chunks at the front of *in to *out and removes the bytes it used
    // from *in. With limit zero or more, only the first `limit` bytes of *in are looked at.
    Status decode(QByteArray *in, QByteArray *out, qsizetype limit = -1);
    void reset() { m_state = State::SizeLine; m_chunkLeft = 0; }

    static constexpr qsizetype kMaxLineBytes = 1024;        // a size line with its extensions
    static constexpr qsizetype kMaxTrailerBytes = 64 * 1024; // all trailer fields together

private:
    enum class State { SizeLine, Data, DataEnd, Trailers, Done };

    State m_state = State::SizeLine;
    qint64 m_chunkLeft = 0;
    qsizetype m_trailerBytes = 0;
};
