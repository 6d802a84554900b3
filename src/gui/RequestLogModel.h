// SPDX-License-Identifier: MIT
#pragma once

#include "util/RequestRecord.h"
#include "SettingsStore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

// The last requests the server answered (failures included), newest first, and the totals per
// client model, which persist through the SettingsStore.
class RequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Status,
        ClientModel,
        UpstreamModel,
        Api, // the client's dialect: OpenAI chat completions, Anthropic Messages
        Latency,
        Tokens,
        Retries,
        Error,
        ColumnCount
    };
    static constexpr int FailedRole = Qt::UserRole + 1;
    static constexpr int MaxRows = 1000;

    explicit RequestLogModel(SettingsStore *store = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void add(const RequestRecord &record);
    void clear(); // the request list; the totals stay
    void resetTotals();
    const RequestRecord &record(int row) const { return m_records.at(row); }
    const QHash<QString, ModelTotals> &totals() const { return m_totals; }
    static QString toText(const RequestRecord &record); // one tab-separated line

Q_SIGNALS:
    void totalsChanged();

private:
    SettingsStore *m_store;
    QList<RequestRecord> m_records;
    QHash<QString, ModelTotals> m_totals;
};
