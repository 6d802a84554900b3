// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Applies the client's `stop` sequences and token limit to the answer as it streams. Text that
// could be the start of a stop sequence is held back until it is known not to be one.
class OutputShaper
{
public:
    enum class Cut { None, Stop, Length };

    struct Result
    {
        QString reasoning;
        QString content;
        Cut cut = Cut::None; // the answer ends here; the upstream should be cancelled
    };

    OutputShaper(QStringList stops, std::optional<qint64> maxTokens);

    Result push(const QString &reasoning, const QString &content);
    Result flush(); // upstream finished: release what was held back
    qint64 completionUnits() const { return m_units; }
    bool isCut() const { return m_cut != Cut::None; }
    // The stop sequence the answer was cut at (Cut::Stop), or empty.
    const QString &matchedStop() const { return m_matchedStop; }

private:
    QString takeWithinBudget(const QString &text);

    QStringList m_stops;
    std::optional<qint64> m_maxUnits;
    qint64 m_units = 0;
    QString m_pending;
    Cut m_cut = Cut::None;
    QString m_matchedStop;
};
