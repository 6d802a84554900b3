// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class RequestLogWindow;
}
class QModelIndex;
class QSortFilterProxyModel;
class RequestLogModel;

// The request log: recent requests with failures in red, a filter, copy and clear, the totals per
// model, and (with detailed logging) the bridge's own redacted log lines.
class RequestLogWindow : public QWidget
{
    Q_OBJECT
public:
    explicit RequestLogWindow(RequestLogModel *model, QWidget *parent = nullptr);
    ~RequestLogWindow() override;

    void setDetailedLogging(bool on);
    void appendDetail(const QString &line);
    void setFilterText(const QString &text);
    void setFailuresOnly(bool on);
    int visibleRows() const;
    QString visibleText(int row, int column) const;
    QString copySelection() const; // what Copy puts on the clipboard: selected rows, or all shown
    void selectRow(int row);       // a visible row; its full record shows in "Selected request"
    QString selectedText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateTotals();
    void showRecord(const QModelIndex &proxyIndex);
    void retranslate();

    std::unique_ptr<Ui::RequestLogWindow> m_ui;
    RequestLogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    bool m_detailed = false;
};
