// SPDX-License-Identifier: MIT
#include "JsonOutput.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

QString JsonOutput::holdTail(const QString &text)
{
    // Trailing backticks and white space may be the closing fence: keep them until more comes.
    const QString all = m_tail + text;
    qsizetype keep = all.size();
    while (keep > 0 && (all.at(keep - 1) == u'`' || all.at(keep - 1).isSpace()))
        --keep;
    m_tail = all.mid(keep);
    return all.left(keep);
}

QString JsonOutput::push(const QString &text)
{
    if (m_decided)
        return holdTail(text);
    m_head += text;
    qsizetype first = 0;
    while (first < m_head.size() && m_head.at(first).isSpace())
        ++first;
    const QStringView rest = QStringView(m_head).mid(first);
    if (rest.isEmpty() || (rest.size() < 3 && QStringView(u"```").startsWith(rest)))
        return {}; // cannot tell yet
    QString body;
    if (rest.startsWith(u"```")) {
        const qsizetype newline = m_head.indexOf(u'\n', first);
        if (newline < 0)
            return {}; // the fence's language tag is still arriving
        body = m_head.mid(newline + 1);
    } else {
        body = rest.toString();
    }
    m_decided = true;
    m_head.clear();
    return holdTail(body);
}

QString JsonOutput::finish()
{
    if (!m_decided) {
        m_decided = true;
        return std::exchange(m_head, {});
    }
    QString tail = std::exchange(m_tail, {});
    while (!tail.isEmpty() && tail.back().isSpace())
        tail.chop(1);
    if (tail.endsWith(u"```"_s))
        tail.chop(3);
    return tail.trimmed().isEmpty() ? QString() : tail;
}

QString JsonOutput::validate(const QString &answer, bool requireObject)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(answer.trimmed().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return u"%1 at offset %2"_s.arg(error.errorString()).arg(error.offset);
    if (requireObject && !doc.isObject())
        return u"the answer is JSON but not an object"_s;
    return {};
}
