// SPDX-License-Identifier: MIT
#include "RequestLogWindow.h"

#include "RequestLogModel.h"
#include "TrayIcons.h"
#include "ui_RequestLogWindow.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QSortFilterProxyModel>

using namespace Qt::StringLiterals;

namespace {

// Matches the filter text anywhere in a row, optionally failures only.
class LogFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setFailuresOnly(bool on)
    {
        m_failuresOnly = on;
        invalidateFilter();
    }
    void setText(const QString &text)
    {
        m_text = text.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        if (m_failuresOnly && !m->index(row, 0, parent).data(RequestLogModel::FailedRole).toBool())
            return false;
        if (m_text.isEmpty())
            return true;
        for (int column = 0; column < m->columnCount(parent); ++column) {
            if (m->index(row, column, parent)
                    .data()
                    .toString()
                    .contains(m_text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

private:
    bool m_failuresOnly = false;
    QString m_text;
};

} // namespace

RequestLogWindow::RequestLogWindow(RequestLogModel *model, QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::RequestLogWindow>()), m_model(model),
      m_proxy(new LogFilter(this))
{
    m_ui->setupUi(this);
    setWindowIcon(TrayIcons::application());
    m_proxy->setSourceModel(model);
    m_ui->requestTable->setModel(m_proxy);
    m_ui->requestTable->verticalHeader()->setVisible(false);
    QHeaderView *header = m_ui->requestTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RequestLogModel::Error, QHeaderView::Stretch);
    m_ui->totalsTree->header()->setStretchLastSection(false);
    m_ui->totalsTree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->requestTable->setWordWrap(false);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, this,
            [this](const QString &text) { static_cast<LogFilter *>(m_proxy)->setText(text); });
    connect(m_ui->failuresOnlyCheck, &QCheckBox::toggled, this,
            [this](bool on) { static_cast<LogFilter *>(m_proxy)->setFailuresOnly(on); });
    connect(m_ui->copyButton, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(copySelection()); });
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_ui->detailText->clear();
        m_ui->selectedText->clear();
    });
    connect(m_ui->requestTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRecord(current); });
    connect(m_ui->resetTotalsButton, &QPushButton::clicked, m_model, &RequestLogModel::resetTotals);
    connect(m_model, &RequestLogModel::totalsChanged, this, &RequestLogWindow::updateTotals);
    updateTotals();
    retranslate();
}

RequestLogWindow::~RequestLogWindow() = default;

void RequestLogWindow::retranslate()
{
    m_ui->detailHint->setText(
        m_detailed ? tr("Detailed logging is on: the bridge's log lines, secrets removed.")
                   : tr("Turn on detailed logging in Settings → Advanced to see request bodies "
                        "and upstream details here."));
}

void RequestLogWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        retranslate();
    }
    QWidget::changeEvent(event);
}

void RequestLogWindow::setDetailedLogging(bool on)
{
    m_detailed = on;
    retranslate();
}

void RequestLogWindow::appendDetail(const QString &line)
{
    if (m_detailed)
        m_ui->detailText->appendPlainText(line);
}

void RequestLogWindow::setFilterText(const QString &text)
{
    m_ui->filterEdit->setText(text);
}

void RequestLogWindow::setFailuresOnly(bool on)
{
    m_ui->failuresOnlyCheck->setChecked(on);
}

int RequestLogWindow::visibleRows() const
{
    return m_proxy->rowCount();
}

QString RequestLogWindow::visibleText(int row, int column) const
{
    return m_proxy->index(row, column).data().toString();
}

QString RequestLogWindow::copySelection() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_ui->requestTable->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty()) {
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const int row : rows)
        lines.append(RequestLogModel::toText(
            m_model->record(m_proxy->mapToSource(m_proxy->index(row, 0)).row())));
    return lines.join(u'\n');
}

void RequestLogWindow::showRecord(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid()) {
        m_ui->selectedText->clear();
        return;
    }
    const RequestRecord &r = m_model->record(m_proxy->mapToSource(proxyIndex).row());
    QStringList lines{
        tr("Time: %1").arg(r.time().toString(Qt::ISODateWithMs)),
        tr("Request: %1 %2%3").arg(r.method, r.path, r.stream ? tr(" (streaming)") : QString()),
        tr("Status: %1").arg(r.status),
        tr("Model: %1 → upstream %2").arg(r.clientModel, r.upstreamModel),
        r.firstByteMs >= 0
            ? tr("Latency: %1 ms (first byte after %2 ms)").arg(r.latencyMs).arg(r.firstByteMs)
            : tr("Latency: %1 ms").arg(r.latencyMs),
        tr("Tokens: %1 prompt, %2 completion").arg(r.promptTokens).arg(r.completionTokens),
        tr("Attempts: %1").arg(r.attempts)};
    if (!r.error.isEmpty())
        lines.append(tr("Error: %1").arg(r.error) +
                     (r.errorCode.isEmpty() ? QString() : u" ("_s + r.errorCode + u')'));
    m_ui->selectedText->setPlainText(lines.join(u'\n'));
    m_ui->detailTabs->setCurrentWidget(m_ui->selectedTab);
}

QString RequestLogWindow::selectedText() const
{
    return m_ui->selectedText->toPlainText();
}

void RequestLogWindow::selectRow(int row)
{
    m_ui->requestTable->setCurrentIndex(m_proxy->index(row, 0));
}

void RequestLogWindow::updateTotals()
{
    m_ui->totalsTree->clear();
    const auto &totals = m_model->totals();
    QStringList models = totals.keys();
    models.sort(Qt::CaseInsensitive);
    for (const QString &name : models) {
        const ModelTotals &t = totals.value(name);
        auto *item = new QTreeWidgetItem(m_ui->totalsTree, {name, QString::number(t.requests),
                                                            QString::number(t.failures),
                                                            QString::number(t.promptTokens),
                                                            QString::number(t.completionTokens)});
        for (int column = 1; column < 5; ++column)
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
    }
}
