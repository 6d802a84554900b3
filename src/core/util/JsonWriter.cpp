// SPDX-License-Identifier: MIT
#include "JsonWriter.h"

#include <QLocale>
#include <QVariant>

#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

constexpr char kHex[] = "0123456789abcdef";

char *escapeAscii(char *p, char16_t c)
{
    switch (c) {
    case u'"': *p++ = '\\'; *p++ = '"'; return p;
    case u'\\': *p++ = '\\'; *p++ = '\\'; return p;
    case u'\b': *p++ = '\\'; *p++ = 'b'; return p;
    case u'\f': *p++ = '\\'; *p++ = 'f'; return p;
    case u'\n': *p++ = '\\'; *p++ = 'n'; return p;
    case u'\r': *p++ = '\\'; *p++ = 'r'; return p;
    case u'\t': *p++ = '\\'; *p++ = 't'; return p;
    default: break;
    }
    if (c < 0x20) {
        *p++ = '\\';
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xf];
        return p;
    }
    *p++ = char(c);
    return p;
}

void appendNumber(QByteArray &out, const QJsonValue &value)
{
    // QJsonValue keeps integers and doubles apart internally; QJsonDocument writes them apart.
    const QVariant number = value.toVariant();
    if (number.typeId() == QMetaType::LongLong) {
        out += QByteArray::number(number.toLongLong());
        return;
    }
    const double d = number.toDouble();
    if (std::isfinite(d))
        out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    else
        out += "null"; // as QJsonDocument writes NaN and infinities
}

} // namespace

void JsonWriter::appendString(QByteArray &out, QStringView text)
{
    // Worst case per UTF-16 unit: six bytes (\u00XX); UTF-8 needs at most three. Room for that
    // is made a block at a time, so a long string needs no six-fold reserve, and growth is
    // geometric: a body of many long messages would otherwise be copied once per message.
    constexpr qsizetype kBlock = 4096;
    const auto makeRoom = [&out](qsizetype used, qsizetype units) {
        const qsizetype needed = used + 6 * units + 2;
        if (needed > out.capacity())
            out.reserve(qMax(needed, 2 * out.capacity()));
        out.resize(needed);
        return out.data() + used;
    };
    const char16_t *s = text.utf16();
    const qsizetype n = text.size();
    qsizetype used = out.size();
    char *p = makeRoom(used, qMin(n, kBlock));
    *p++ = '"';
    qsizetype blockEnd = qMin(n, kBlock);
    for (qsizetype i = 0; i < n; ++i) {
        if (i >= blockEnd) {
            used = p - out.data();
            blockEnd = qMin(n, i + kBlock);
            p = makeRoom(used, blockEnd - i + 1); // +1: a surrogate pair may end past the block
        }
#if defined(__SSE2__)
        // Runs of printable ASCII without quotes or backslashes, eight units at a time.
        while (i + 8 <= blockEnd) {
            const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
            // Signed compares: units of 0x8000 and above are negative, so they count as "low".
            const __m128i low = _mm_cmplt_epi16(units, _mm_set1_epi16(0x20));
            const __m128i high = _mm_cmpgt_epi16(units, _mm_set1_epi16(0x7e));
            const __m128i quote = _mm_cmpeq_epi16(units, _mm_set1_epi16('"'));
            const __m128i backslash = _mm_cmpeq_epi16(units, _mm_set1_epi16('\\'));
            const __m128i special =
                _mm_or_si128(_mm_or_si128(low, high), _mm_or_si128(quote, backslash));
            if (_mm_movemask_epi8(special) != 0)
                break;
            _mm_storel_epi64(reinterpret_cast<__m128i *>(p), _mm_packus_epi16(units, units));
            p += 8;
            i += 8;
        }
        if (i >= blockEnd) {
            --i; // the for loop's ++i: the next block starts at i
            continue;
        }
#endif
        const char16_t c = s[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\')
                *p++ = char(c);
            else
                p = escapeAscii(p, c);
        } else if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            const char32_t cp = QChar::surrogateToUcs4(c, s[++i]);
            *p++ = char(0xf0 | (cp >> 18));
            *p++ = char(0x80 | ((cp >> 12) & 0x3f));
            *p++ = char(0x80 | ((cp >> 6) & 0x3f));
            *p++ = char(0x80 | (cp & 0x3f));
        } else if (QChar::isSurrogate(c)) {
            // A lone surrogate has no UTF-8 form; like QJsonDocument, keep it as an escape.
            *p++ = '\\';
            *p++ = 'u';
            *p++ = kHex[c >> 12];
            *p++ = kHex[(c >> 8) & 0xf];
            *p++ = kHex[(c >> 4) & 0xf];
            *p++ = kHex[c & 0xf];
        } else {
            *p++ = char(0xe0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3f));
            *p++ = char(0x80 | (c & 0x3f));
        }
    }
    *p++ = '"';
    out.truncate(p - out.data());
}

void JsonWriter::appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: out += "null"; return;
    case QJsonValue::Bool: out += value.toBool() ? "true" : "false"; return;
    case QJsonValue::Double: appendNumber(out, value); return;
    case QJsonValue::String: appendString(out, value.toString()); return;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue &item : value.toArray()) {
            if (!first)
                out += ',';
            first = false;
            appendValue(out, item);
        }
        out += ']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it != object.constBegin())
                out += ',';
            appendString(out, it.key());
            out += ':';
            appendValue(out, it.value());
        }
        out += '}';
        return;
    }
    }
}

JsonStream &JsonStream::key(QLatin1StringView name)
{
    const bool comma = !m_first;
    const qsizetype size = name.size();
    char *w = grow(size + 3 + (comma ? 1 : 0));
    if (comma)
        *w++ = ',';
    *w++ = '"';
    std::memcpy(w, name.data(), size_t(size));
    w += size;
    *w++ = '"';
    *w = ':';
    m_first = true;
    return *this;
}

JsonStream &JsonStream::key(QStringView name)
{
    separate();
    JsonWriter::appendString(m_out, name);
    put(':');
    m_first = true;
    return *this;
}

JsonStream &JsonStream::value(QStringView text)
{
    separate();
    JsonWriter::appendString(m_out, text);
    return *this;
}

JsonStream &JsonStream::value(QLatin1StringView text)
{
    const bool comma = !m_first;
    const qsizetype size = text.size();
    char *w = grow(size + 2 + (comma ? 1 : 0));
    if (comma)
        *w++ = ',';
    *w++ = '"';
    std::memcpy(w, text.data(), size_t(size));
    w[size] = '"';
    m_first = false;
    return *this;
}

JsonStream &JsonStream::value(bool b)
{
    if (b)
        separated("true", 4);
    else
        separated("false", 5);
    return *this;
}

JsonStream &JsonStream::value(qint64 n)
{
    separate();
    char digits[24];
    char *end = digits + sizeof digits;
    char *p = end;
    quint64 magnitude = n < 0 ? quint64(0) - quint64(n) : quint64(n);
    do {
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (n < 0)
        *--p = '-';
    put(p, end - p);
    return *this;
}

JsonStream &JsonStream::value(double d)
{
    separate();
    if (std::isfinite(d))
        m_out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    else
        put("null");
    return *this;
}

JsonStream &JsonStream::value(std::nullptr_t)
{
    separated("null", 4);
    return *this;
}

JsonStream &JsonStream::value(const QJsonValue &v)
{
    separate();
    JsonWriter::appendValue(m_out, v);
    return *this;
}
