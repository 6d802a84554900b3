// SPDX-License-Identifier: MIT
#include "RandomId.h"

#include <QRandomGenerator>

QString randomAlphanumeric(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]);
    return out;
}
