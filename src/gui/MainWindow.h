// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QWidget>

#include <memory>

namespace Ui {
class MainWindow;
}
class TrayController;

// The small window with the tray menu's controls, for desktops without a system tray.
class MainWindow : public QWidget
{
    Q_OBJECT
public:
    explicit MainWindow(TrayController *tray, QWidget *parent = nullptr);
    ~MainWindow() override;

    void updateState(const QIcon &icon, const QString &status, const QString &toolTip,
                     const QString &error);
    void showNotice(const QString &title, const QString &message, bool error);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    std::unique_ptr<Ui::MainWindow> m_ui;
    TrayController *m_tray;
};
