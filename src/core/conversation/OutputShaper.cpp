// SPDX-License-Identifier: MIT
#include "OutputShaper.h"

#include "TokenEstimator.h"

OutputShaper::OutputShaper(QStringList stops, std::optional<qint64> maxTokens)
    : m_stops(std::move(stops))
{
    if (maxTokens)
        m_maxUnits = *maxTokens * 4;
}

QString OutputShaper::takeWithinBudget(const QString &text)
{
    if (!m_maxUnits) {
        m_units += TokenEstimator::units(text);
        return text;
    }
    qsizetype i = 0;
    for (; i < text.size(); ++i) {
        const int u = TokenEstimator::unitsOf(text.at(i));
        if (m_units + u > *m_maxUnits) {
            m_cut = Cut::Length;
            break;
        }
        m_units += u;
    }
    if (i > 0 && i < text.size() && text.at(i - 1).isHighSurrogate())
        --i; // never split a surrogate pair
    return text.left(i);
}

OutputShaper::Result OutputShaper::push(const QString &reasoning, const QString &content)
{
    Result result;
    if (m_cut != Cut::None)
        return result;
    result.reasoning = takeWithinBudget(reasoning);
    if (m_cut != Cut::None) {
        result.cut = m_cut;
        return result;
    }

    QString text = m_pending.isEmpty() ? content : m_pending + content; // shared when nothing held
    m_pending.clear();
    qsizetype stopAt = -1;
    const QString *matched = nullptr;
    for (const QString &stop : m_stops) {
        const qsizetype at = text.indexOf(stop);
        if (at >= 0 && (stopAt < 0 || at < stopAt)) {
            stopAt = at;
            matched = &stop;
        }
    }
    if (stopAt >= 0) {
        result.content = takeWithinBudget(text.left(stopAt));
        if (m_cut == Cut::None) {
            m_cut = Cut::Stop;
            m_matchedStop = *matched;
        }
        result.cut = m_cut;
        return result;
    }
    // Hold back the longest tail that is the beginning of some stop sequence.
    qsizetype hold = 0;
    for (const QString &stop : m_stops) {
        for (qsizetype n = qMin(stop.size() - 1, text.size()); n > hold; --n) {
            if (QStringView(text).right(n) == QStringView(stop).left(n)) {
                hold = n;
                break;
            }
        }
    }
    m_pending = text.right(hold);
    result.content = takeWithinBudget(text.left(text.size() - hold));
    result.cut = m_cut;
    return result;
}

OutputShaper::Result OutputShaper::flush()
{
    Result result;
    if (m_cut != Cut::None)
        return result;
    result.content = takeWithinBudget(m_pending);
    m_pending.clear();
    result.cut = m_cut;
    return result;
}
