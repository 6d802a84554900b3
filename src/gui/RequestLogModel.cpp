// SPDX-License-Identifier: MIT
#include "RequestLogModel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

RequestLogModel::RequestLogModel(SettingsStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
    if (m_store)
        m_totals = m_store->loadTotals();
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
bool failed(const RequestRecord &r)
{
    return r.status >= 400 || !r.error.isEmpty();
}
} // namespace

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const RequestRecord &r = m_records.at(index.row());
    if (role == FailedRole)
        return failed(r);
    if (role == Qt::ForegroundRole && failed(r))
        return QBrush(QColor(0xc6, 0x28, 0x28));
    if (role == Qt::ToolTipRole && index.column() == Error)
        return r.error;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return r.time().toString(u"HH:mm:ss"_s);
    case Status:
        return r.status == 499 ? tr("%1 (client left)").arg(r.status) : QString::number(r.status);
    case ClientModel:
        return r.clientModel.isEmpty() ? r.path : r.clientModel;
    case UpstreamModel:
        return r.upstreamModel;
    case Api:
        if (r.dialect == u"openai"_s)
            return tr("OpenAI chat");
        if (r.dialect == u"responses"_s)
            return tr("OpenAI Responses");
        if (r.dialect == u"anthropic"_s)
            return tr("Anthropic Messages");
        return r.dialect;
    case Latency:
        return tr("%1 ms").arg(r.latencyMs);
    case Tokens:
        return r.promptTokens + r.completionTokens > 0
                   ? tr("%1 + %2").arg(r.promptTokens).arg(r.completionTokens)
                   : QString();
    case Retries:
        return r.attempts > 1 ? QString::number(r.attempts - 1) : QString();
    case Error:
        return r.error;
    }
    return {};
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Status:
        return tr("Status");
    case ClientModel:
        return tr("Model");
    case UpstreamModel:
        return tr("Upstream model");
    case Api:
        return tr("API");
    case Latency:
        return tr("Latency");
    case Tokens:
        return tr("Tokens (in + out)");
    case Retries:
        return tr("Retries");
    case Error:
        return tr("Error");
    }
    return {};
}

void RequestLogModel::add(const RequestRecord &record)
{
    beginInsertRows({}, 0, 0);
    m_records.prepend(record);
    endInsertRows();
    if (m_records.size() > MaxRows) {
        beginRemoveRows({}, MaxRows, int(m_records.size()) - 1);
        m_records.resize(MaxRows);
        endRemoveRows();
    }
    // Every answer of a model, whichever dialect asked (a token count is no answer).
    if (!record.clientModel.isEmpty() && !record.dialect.isEmpty()
        && !record.path.endsWith(u"/count_tokens"_s)) {
        ModelTotals &t = m_totals[record.clientModel];
        ++t.requests;
        if (failed(record))
            ++t.failures;
        t.promptTokens += record.promptTokens;
        t.completionTokens += record.completionTokens;
        if (m_store)
            m_store->saveTotals(m_totals);
        Q_EMIT totalsChanged();
    }
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_records.clear();
    endResetModel();
}

void RequestLogModel::resetTotals()
{
    m_totals.clear();
    if (m_store)
        m_store->saveTotals(m_totals);
    Q_EMIT totalsChanged();
}

QString RequestLogModel::toText(const RequestRecord &r)
{
    return QStringList{r.time().toString(Qt::ISODateWithMs),
                       r.method + u' ' + r.path,
                       QString::number(r.status),
                       r.clientModel,
                       r.upstreamModel,
                       QString::number(r.latencyMs) + u"ms"_s,
                       QString::number(r.promptTokens) + u'+' + QString::number(r.completionTokens),
                       QString::number(qMax(0, r.attempts - 1)),
                       r.error}
        .join(u'\t');
}
