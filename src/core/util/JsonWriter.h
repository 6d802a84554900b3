// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QStringView>

#include <cstddef>
#include <cstring>

// The pieces JsonStream writes with, appended to bytes that are already there (an event's
// "data: ", a stream's pre-written head), byte for byte what
// QJsonDocument::toJson(QJsonDocument::Compact) would write for the same value. A whole
// QJsonObject or QJsonArray is written with QJsonDocument itself.
namespace JsonWriter {

// A JSON string, escaped and UTF-8 encoded in one pass straight into `out`: the message text of
// the upstream body (a megabyte for a long conversation) and every answer delta go this way.
void appendString(QByteArray &out, QStringView text);
void appendValue(QByteArray &out, const QJsonValue &value);

} // namespace JsonWriter

// Compact JSON written straight into bytes in the order of the calls, for documents that are
// built once and sent (the upstream body, answers): no QJsonObject in between, whose inserts
// would cost more than the writing. Commas are placed by the stream; names given as
// QLatin1StringView are plain ASCII and written as they are, any other name is escaped.
class JsonStream
{
public:
    explicit JsonStream(qsizetype reserve = 256) { m_out.reserve(reserve); }
    // Continues after `start` (e.g. "data: " of a server-sent event), which is kept as it is.
    JsonStream(QByteArray start, qsizetype reserve) : m_out(std::move(start))
    {
        m_out.reserve(reserve);
    }

    JsonStream &beginObject() { return open('{'); }
    JsonStream &endObject() { return close('}'); }
    JsonStream &beginArray() { return open('['); }
    JsonStream &endArray() { return close(']'); }

    JsonStream &key(QLatin1StringView name);
    JsonStream &key(QStringView name);

    JsonStream &value(QStringView text);
    JsonStream &value(const QString &text) { return value(QStringView(text)); }
    JsonStream &value(QLatin1StringView text); // ASCII without characters to escape
    JsonStream &value(bool b);
    JsonStream &value(int n) { return value(qint64(n)); }
    JsonStream &value(qint64 n);
    JsonStream &value(double d);
    JsonStream &value(std::nullptr_t);
    JsonStream &value(const QJsonValue &v);
    JsonStream &value(const QJsonObject &o) { return value(QJsonValue(o)); }
    JsonStream &value(const QJsonArray &a) { return value(QJsonValue(a)); }
    JsonStream &value(const char *) = delete; // would silently become a bool

    // Members of the open object, already written as JSON ("\"a\":1,\"b\":2"; empty: none).
    JsonStream &members(QByteArrayView json)
    {
        if (!json.isEmpty()) {
            separate();
            put(json.data(), json.size());
        }
        return *this;
    }

    template<typename Name, typename Value>
    JsonStream &field(const Name &name, const Value &v)
    {
        return key(name).value(v);
    }

    const QByteArray &bytes() const { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    // Appends without QByteArray::append's general path (aliasing checks, exact-size growth).
    void put(const char *data, qsizetype size)
    {
        const qsizetype at = m_out.size();
        if (at + size > m_out.capacity())
            m_out.reserve(qMax(at + size, 2 * m_out.capacity()));
        m_out.resize(at + size);
        std::memcpy(m_out.data() + at, data, size_t(size));
    }
    template<qsizetype N>
    void put(const char (&literal)[N])
    {
        put(literal, N - 1);
    }
    void put(char c) { put(&c, 1); }
    // Room for n more bytes at the end (one resize for all the pieces of a token).
    char *grow(qsizetype n)
    {
        const qsizetype at = m_out.size();
        if (at + n > m_out.capacity())
            m_out.reserve(qMax(at + n, 2 * m_out.capacity()));
        m_out.resize(at + n);
        return m_out.data() + at;
    }
    // The separator (if one is due) and `text` in one piece.
    void separated(const char *text, qsizetype size)
    {
        const bool comma = !m_first;
        char *w = grow(size + (comma ? 1 : 0));
        if (comma)
            *w++ = ',';
        std::memcpy(w, text, size_t(size));
        m_first = false;
    }
    void separate()
    {
        if (!m_first)
            put(',');
        m_first = false;
    }
    JsonStream &open(char c)
    {
        separated(&c, 1);
        m_first = true;
        return *this;
    }
    JsonStream &close(char c)
    {
        put(c);
        m_first = false;
        return *this;
    }

    QByteArray m_out;
    bool m_first = true; // nothing written yet in the innermost container, or a key was just written
};
