// SPDX-License-Identifier: MIT
#pragma once

// Text checks shared by the JSON readers (the request reader and the stream-event scanner).
//
// One UTF-8 sequence, checked the way QUtf8 checks it (QJsonDocument's reader included): no
// stray continuation bytes, no overlong forms, no surrogates, nothing above U+10FFFF. The JSON
// readers use it to accept exactly the text Qt accepts.
namespace Utf8 {

// Reads the sequence that starts at *p (a byte of 0x80 or more) and moves *p past it; false,
// with *p unchanged, when it is not valid or does not end before `end`.
inline bool decode(const unsigned char **p, const unsigned char *end, char32_t *codePoint)
{
    const unsigned char *s = *p;
    const unsigned char c = s[0];
    int more = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (c >= 0xc2 && c <= 0xdf) {
        more = 1;
        cp = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        more = 2;
        cp = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        more = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return false;
    }
    if (end - s <= more)
        return false;
    for (int i = 1; i <= more; ++i) {
        if ((s[i] & 0xc0) != 0x80)
            return false;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return false;
    *p = s + more + 1;
    *codePoint = cp;
    return true;
}

// The value of one hexadecimal digit of a \uXXXX escape, or -1.
inline int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace Utf8
