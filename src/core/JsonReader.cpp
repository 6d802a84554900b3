// SPDX-License-Identifier: MIT
#include "JsonReader.h"

#include "Utf8.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// QJsonDocument's limit, so that both readers refuse the same documents.
constexpr int kMaxDepth = 1024;

// The reader follows QJsonDocument's rules where they are looser than RFC 8259 (control
// characters inside strings, an unknown escape standing for its character, "1." and "-.5" as
// numbers, a UTF-8 byte-order mark in front), so that a request Qt would read is read the same.
class Reader
{
public:
    explicit Reader(QByteArrayView text)
        : m_begin(text.data()), m_p(text.data()), m_end(text.data() + text.size())
    {
    }

    std::optional<QJsonValue> document(JsonReader::Error *error)
    {
        if (m_end - m_p >= 3 && std::memcmp(m_p, "\xef\xbb\xbf", 3) == 0)
            m_p += 3;
        skipSpace();
        QJsonValue value;
        bool ok = false;
        if (m_p < m_end && (*m_p == '{' || *m_p == '[')) {
            ok = this->value(&value, 0);
            if (ok) {
                skipSpace();
                if (m_p < m_end)
                    ok = fail("garbage at the end of the document");
            }
        } else {
            ok = fail("illegal value");
        }
        if (!ok) {
            if (error)
                *error = {QString::fromLatin1(m_error), m_p - m_begin};
            return std::nullopt;
        }
        return value;
    }

private:
    bool fail(const char *message)
    {
        if (!m_error)
            m_error = message;
        return false;
    }

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    bool literal(const char *word, qsizetype size)
    {
        if (m_end - m_p < size || std::memcmp(m_p, word, size_t(size)) != 0)
            return fail("illegal value");
        m_p += size;
        return true;
    }

    bool value(QJsonValue *out, int depth)
    {
        skipSpace();
        if (m_p == m_end)
            return fail("illegal value");
        switch (*m_p) {
        case '{': return object(out, depth + 1);
        case '[': return array(out, depth + 1);
        case '"': {
            ++m_p;
            Text text;
            if (!string(&text))
                return false;
            // Plain ASCII goes in without a QString in between (QJsonValue keeps it as Latin-1).
            *out = text.plain ? QJsonValue(*text.plain) : QJsonValue(text.decoded);
            return true;
        }
        case 't':
            *out = QJsonValue(true);
            return literal("true", 4);
        case 'f':
            *out = QJsonValue(false);
            return literal("false", 5);
        case 'n':
            *out = QJsonValue(QJsonValue::Null);
            return literal("null", 4);
        case ']':
        case '}': return fail("object is missing after a comma");
        case ',':
        case ':': return fail("illegal value");
        default: return number(out);
        }
    }

    bool object(QJsonValue *out, int depth)
    {
        if (depth > kMaxDepth)
            return fail("too deeply nested document");
        ++m_p; // '{'
        QJsonObject object;
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            *out = object;
            return true;
        }
        for (;;) {
            skipSpace();
            if (m_p == m_end)
                return fail("unterminated object");
            if (*m_p != '"')
                return fail(*m_p == '}' ? "object is missing after a comma" : "unterminated object");
            ++m_p;
            Text key;
            if (!string(&key))
                return false;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return fail("missing name separator");
            ++m_p;
            QJsonValue member;
            if (!value(&member, depth))
                return false;
            // A repeated name: the last value wins, as in Qt.
            if (key.plain)
                object.insert(*key.plain, member);
            else
                object.insert(key.decoded, member);
            skipSpace();
            if (m_p == m_end)
                return fail("unterminated object");
            if (*m_p == '}') {
                ++m_p;
                *out = object;
                return true;
            }
            if (*m_p != ',')
                return fail("missing value separator");
            ++m_p;
        }
    }

    bool array(QJsonValue *out, int depth)
    {
        if (depth > kMaxDepth)
            return fail("too deeply nested document");
        ++m_p; // '['
        QJsonArray array;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            *out = array;
            return true;
        }
        for (;;) {
            QJsonValue item;
            if (!value(&item, depth))
                return false;
            array.append(item);
            skipSpace();
            if (m_p == m_end)
                return fail("unterminated array");
            if (*m_p == ']') {
                ++m_p;
                *out = array;
                return true;
            }
            if (*m_p != ',')
                return fail("missing value separator");
            ++m_p;
        }
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool number(QJsonValue *out)
    {
        const char *start = m_p;
        bool isInt = true;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
        } else {
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            while (m_p < m_end && isDigit(*m_p)) {
                isInt = isInt && *m_p == '0';
                ++m_p;
            }
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isInt = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '-' || *m_p == '+'))
                ++m_p;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        const QByteArray text = QByteArray::fromRawData(start, m_p - start);
        bool ok = false;
        if (isInt) {
            const qlonglong n = text.toLongLong(&ok);
            if (ok) {
                *out = QJsonValue(qint64(n));
                return true;
            }
        }
        const double d = text.toDouble(&ok);
        if (!ok || std::isinf(d)) {
            m_p = start;
            return fail("illegal number");
        }
        *out = QJsonValue(d);
        return true;
    }

    // m_p is just past the opening quote. Finds the closing quote first (sixteen bytes at a
    // time), then decodes into a string of that many units at most.
    // A string as read: a view of its bytes when it is plain ASCII without escapes, else the
    // decoded text.
    struct Text
    {
        std::optional<QLatin1StringView> plain;
        QString decoded;
    };

    bool string(Text *out)
    {
        const char *start = m_p;
        const char *q = m_p;
        bool plain = true; // no escapes and no bytes above 0x7f
        for (;;) {
#if defined(__SSE2__)
            while (m_end - q >= 16) {
                const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(q));
                const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
                const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
                // While the string is still plain, a byte above 0x7f (its top bit) stops too.
                const __m128i stops = _mm_or_si128(_mm_or_si128(quote, backslash),
                                                   plain ? bytes : _mm_setzero_si128());
                const int stop = _mm_movemask_epi8(stops);
                if (stop == 0) {
                    q += 16;
                    continue;
                }
                const int first = __builtin_ctz(unsigned(stop));
                q += first;
                break;
            }
#endif
            if (q >= m_end) {
                m_p = m_end;
                return fail("unterminated string");
            }
            const auto c = static_cast<unsigned char>(*q);
            if (c == '"')
                break;
            if (c == '\\') {
                plain = false;
                q += 2; // the escaped character cannot end the string
                continue;
            }
            if (c >= 0x80)
                plain = false;
            ++q;
        }
        const char *stop = q; // the closing quote
        m_p = stop + 1;
        if (plain) {
            out->plain = QLatin1StringView(start, stop - start);
            return true;
        }
        QString text(stop - start, Qt::Uninitialized);
        char16_t *w = reinterpret_cast<char16_t *>(text.data());
        const char *r = start;
        while (r < stop) {
            const auto c = static_cast<unsigned char>(*r);
            if (c < 0x80 && c != '\\') {
                *w++ = c;
                ++r;
                continue;
            }
            if (c == '\\') {
                if (!escape(&r, stop, &w))
                    return false;
                continue;
            }
            if (!utf8(&r, stop, &w)) {
                m_p = r;
                return fail("invalid UTF8 string");
            }
        }
        text.truncate(reinterpret_cast<QChar *>(w) - text.constData());
        out->decoded = std::move(text);
        return true;
    }

    bool escape(const char **r, const char *stop, char16_t **w)
    {
        const char *s = *r + 1; // past the backslash; the pre-scan guarantees s < stop
        const auto e = static_cast<unsigned char>(*s++);
        char16_t unit = 0;
        switch (e) {
        case '"': unit = u'"'; break;
        case '\\': unit = u'\\'; break;
        case '/': unit = u'/'; break;
        case 'b': unit = 0x8; break;
        case 'f': unit = 0xc; break;
        case 'n': unit = 0xa; break;
        case 'r': unit = 0xd; break;
        case 't': unit = 0x9; break;
        case 'u': {
            if (stop - s < 4) {
                m_p = s;
                return fail("invalid escape sequence");
            }
            unsigned v = 0;
            for (int i = 0; i < 4; ++i) {
                const int h = Utf8::hexDigit(s[i]);
                if (h < 0) {
                    m_p = s;
                    return fail("invalid escape sequence");
                }
                v = (v << 4) | unsigned(h);
            }
            s += 4;
            unit = char16_t(v); // a surrogate stays one unit, paired or not, as in Qt
            break;
        }
        default:
            unit = e; // Qt: an unknown escape stands for the character itself
            break;
        }
        *(*w)++ = unit;
        *r = s;
        return true;
    }

    // One UTF-8 sequence as one or two UTF-16 units.
    static bool utf8(const char **r, const char *stop, char16_t **w)
    {
        const auto *s = reinterpret_cast<const unsigned char *>(*r);
        char32_t cp = 0;
        if (!Utf8::decode(&s, reinterpret_cast<const unsigned char *>(stop), &cp))
            return false;
        if (cp >= 0x10000) {
            *(*w)++ = QChar::highSurrogate(cp);
            *(*w)++ = QChar::lowSurrogate(cp);
        } else {
            *(*w)++ = char16_t(cp);
        }
        *r = reinterpret_cast<const char *>(s);
        return true;
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    const char *m_error = nullptr;
};

} // namespace

std::optional<QJsonValue> JsonReader::parse(QByteArrayView text, Error *error)
{
    return Reader(text).document(error);
}
