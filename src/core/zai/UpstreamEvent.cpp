// SPDX-License-Identifier: MIT
#include "UpstreamEvent.h"

#include "util/Utf8.h"

#include <QJsonValue>

#include <cstring>

using namespace Qt::StringLiterals;

UpstreamEvent UpstreamEvent::fromData(const QJsonObject &data)
{
    UpstreamEvent e;
    e.phase = data.value(u"phase"_s).toString();
    e.deltaContent = data.value(u"delta_content"_s).toString();
    e.content = data.value(u"content"_s).toString();
    e.hasEditIndex = data.contains(u"edit_index"_s);
    e.editIndex = data.value(u"edit_index"_s).toInteger();
    if (const QJsonValue edit = data.value(u"edit_content"_s); edit.isString())
        e.editContent = edit.toString();
    e.done = data.value(u"done"_s).toBool();
    return e;
}

namespace {

// Compares with a literal without a call into Qt (these run for every field of every event).
template <qsizetype N>
inline bool is(QByteArrayView s, const char (&literal)[N])
{
    return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

// A strict little reader over one JSON text; every method returns false where the general
// parser should decide instead.
class Scanner
{
public:
    explicit Scanner(QByteArrayView json) : p(json.data()), end(json.data() + json.size()) {}

    void skipSpace()
    {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            ++p;
    }
    bool atEnd()
    {
        skipSpace();
        return p == end;
    }
    bool take(char c)
    {
        skipSpace();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    char peek()
    {
        skipSpace();
        return p < end ? *p : '\0';
    }

    // A printable ASCII key without escapes (every key Z.AI sends).
    bool key(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = p;
        while (p < end && *p != '"') {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '\\' || c < 0x20 || c >= 0x80)
                return false;
            ++p;
        }
        if (p == end)
            return false;
        *out = QByteArrayView(start, p - start);
        ++p;
        return take(':');
    }

    // Reads a string literal into *out; with out null, only checks it (for values nobody reads).
    bool string(QString *out, QByteArrayView *rawOut = nullptr, bool *escapedOut = nullptr)
    {
        if (!take('"'))
            return false;
        const char *start = p;
        bool escaped = false;
        bool ascii = true;
        while (p < end && *p != '"') {
            const auto c = static_cast<unsigned char>(*p);
            if (c < 0x20)
                return false;
            if (c == '\\') {
                escaped = true;
                if (++p == end)
                    return false;
            } else if (c >= 0x80) {
                ascii = false;
            }
            ++p;
        }
        if (p == end)
            return false;
        const QByteArrayView raw(start, p - start);
        ++p;
        if (!ascii && !validUtf8(raw))
            return false;
        if (rawOut)
            *rawOut = raw;
        if (escapedOut)
            *escapedOut = escaped;
        if (!escaped) {
            if (out)
                *out = ascii ? QString::fromLatin1(raw) : QString::fromUtf8(raw);
            return true;
        }
        QString ignored;
        return unescape(raw, out ? out : &ignored);
    }

    bool literal(const char *word, qsizetype length)
    {
        skipSpace();
        if (end - p < length || QByteArrayView(p, length) != QByteArrayView(word, length))
            return false;
        p += length;
        return true;
    }

    // A JSON number; *integer is set when it is a plain integer that fits.
    bool number(std::optional<qint64> *integer)
    {
        skipSpace();
        const char *start = p;
        if (p < end && *p == '-')
            ++p;
        if (p == end || !isDigit(*p))
            return false;
        if (*p == '0' && p + 1 < end && isDigit(p[1]))
            return false; // leading zeros are not JSON
        while (p < end && isDigit(*p))
            ++p;
        bool plain = true;
        if (p < end && *p == '.') {
            plain = false;
            ++p;
            if (p == end || !isDigit(*p))
                return false;
            while (p < end && isDigit(*p))
                ++p;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            plain = false;
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p == end || !isDigit(*p))
                return false;
            while (p < end && isDigit(*p))
                ++p;
        }
        integer->reset();
        if (plain && p - start <= 15) // well inside what a double holds exactly
            *integer = QByteArrayView(start, p - start).toLongLong();
        return true;
    }

    struct Scalar
    {
        enum class Kind { String, True, False, Null, Number } kind = Kind::Null;
        QString text;                  // String, when decoded
        QByteArrayView raw;            // String: its bytes between the quotes, as sent
        bool escaped = false;          // String: raw holds escapes
        std::optional<qint64> integer; // Number, when a plain integer that fits
    };

    // A string, number, true, false or null; false for anything else (objects and arrays
    // included: the general path takes those).
    bool scalar(Scalar *out, bool decode = true)
    {
        using K = Scalar::Kind;
        if (peek() == '"') {
            out->kind = K::String;
            out->text.clear();
            return string(decode ? &out->text : nullptr, &out->raw, &out->escaped);
        }
        if (literal("true", 4)) {
            out->kind = K::True;
        } else if (literal("false", 5)) {
            out->kind = K::False;
        } else if (literal("null", 4)) {
            out->kind = K::Null;
        } else {
            out->kind = K::Number;
            return number(&out->integer);
        }
        return true;
    }

private:
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    static bool validUtf8(QByteArrayView s)
    {
        const auto *b = reinterpret_cast<const unsigned char *>(s.data());
        const auto *e = b + s.size();
        while (b < e) {
            if (*b < 0x80) {
                ++b;
                continue;
            }
            char32_t cp = 0;
            if (!Utf8::decode(&b, e, &cp))
                return false;
        }
        return true;
    }

public:
    // raw: a string literal's bytes between the quotes.
    static bool unescape(QByteArrayView raw, QString *out)
    {
        QString result;
        result.reserve(raw.size());
        qsizetype runStart = 0;
        qsizetype i = 0;
        const qsizetype n = raw.size();
        while (i < n) {
            if (raw[i] != '\\') {
                ++i;
                continue;
            }
            result += QString::fromUtf8(raw.sliced(runStart, i - runStart));
            if (i + 1 >= n)
                return false;
            const char c = raw[i + 1];
            i += 2;
            switch (c) {
            case '"': result += u'"'; break;
            case '\\': result += u'\\'; break;
            case '/': result += u'/'; break;
            case 'b': result += u'\b'; break;
            case 'f': result += u'\f'; break;
            case 'n': result += u'\n'; break;
            case 'r': result += u'\r'; break;
            case 't': result += u'\t'; break;
            case 'u': {
                if (i + 4 > n)
                    return false;
                int unit = 0;
                for (int k = 0; k < 4; ++k) {
                    const int h = Utf8::hexDigit(raw[i + k]);
                    if (h < 0)
                        return false;
                    unit = unit * 16 + h;
                }
                i += 4;
                result += QChar(char16_t(unit));
                break;
            }
            default: return false;
            }
            runStart = i;
        }
        result += QString::fromUtf8(raw.sliced(runStart));
        *out = std::move(result);
        return true;
    }

private:
    const char *p;
    const char *end;
};

} // namespace

namespace {

// The phase of nearly every event is one of a few words: shared strings instead of a new one per
// event.
QString phaseName(const Scanner::Scalar &value)
{
    static const QString answer = u"answer"_s, thinking = u"thinking"_s, toolCall = u"tool_call"_s,
                         other = u"other"_s, done = u"done"_s;
    if (!value.escaped) {
        const QByteArrayView raw = value.raw;
        if (is(raw, "answer"))
            return answer;
        if (is(raw, "thinking"))
            return thinking;
        if (is(raw, "tool_call"))
            return toolCall;
        if (is(raw, "other"))
            return other;
        if (is(raw, "done"))
            return done;
        return QString::fromUtf8(raw);
    }
    QString text;
    Scanner::unescape(value.raw, &text); // already checked by the scanner
    return text;
}

// The data fields the translator reads; each may appear once.
enum Field { Phase, Delta, Content, EditIndex, EditContent, Done, Other };

Field fieldOf(QByteArrayView name)
{
    switch (name.size()) {
    case 4: return is(name, "done") ? Done : Other;
    case 5: return is(name, "phase") ? Phase : Other;
    case 7: return is(name, "content") ? Content : Other;
    case 10: return is(name, "edit_index") ? EditIndex : Other;
    case 12: return is(name, "edit_content") ? EditContent : Other;
    case 13: return is(name, "delta_content") ? Delta : Other;
    default: return Other;
    }
}

} // namespace

std::optional<UpstreamEvent> UpstreamEvent::scan(QByteArrayView json)
{
    using K = Scanner::Scalar::Kind;

    Scanner in(json);
    if (!in.take('{'))
        return std::nullopt;
    UpstreamEvent e;
    bool sawData = false;
    bool first = true;
    while (!in.take('}')) {
        if (!first && !in.take(','))
            return std::nullopt;
        first = false;
        QByteArrayView key;
        Scanner::Scalar value;
        if (!in.key(&key) || is(key, "error"))
            return std::nullopt;
        if (!is(key, "data")) {
            if (!in.scalar(&value, false)) // anything else at the top ("type", ids) is a plain value
                return std::nullopt;
            continue;
        }
        if (sawData || !in.take('{'))
            return std::nullopt;
        sawData = true;
        bool firstField = true;
        unsigned seen = 0;
        while (!in.take('}')) {
            if (!firstField && !in.take(','))
                return std::nullopt;
            firstField = false;
            QByteArrayView name;
            if (!in.key(&name))
                return std::nullopt;
            const Field field = fieldOf(name);
            if (field == Other && (is(name, "error") || is(name, "data") || is(name, "usage")))
                return std::nullopt;
            if (field != Other && (seen & (1u << field)))
                return std::nullopt;
            seen |= 1u << field;
            const bool phase = field == Phase;
            if (!in.scalar(&value, field != Other && !phase))
                return std::nullopt;
            const bool isString = value.kind == K::String;
            switch (field) {
            case Phase: e.phase = isString ? phaseName(value) : QString(); break;
            case Delta: e.deltaContent = isString ? std::move(value.text) : QString(); break;
            case Content: e.content = isString ? std::move(value.text) : QString(); break;
            case EditContent:
                if (isString)
                    e.editContent = std::move(value.text);
                break;
            case EditIndex:
                // A string or literal counts as 0, as QJsonValue::toInteger() has it; fractions
                // and huge numbers go to the general path.
                e.hasEditIndex = true;
                if (value.kind == K::Number) {
                    if (!value.integer)
                        return std::nullopt;
                    e.editIndex = *value.integer;
                }
                break;
            case Done: e.done = value.kind == K::True; break;
            default: break;
            }
        }
    }
    if (!sawData || !in.atEnd())
        return std::nullopt;
    return e;
}
