// SPDX-License-Identifier: MIT
#include "MainWindow.h"

#include "TrayController.h"
#include "TrayIcons.h"
#include "ui_MainWindow.h"

#include <QCloseEvent>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(TrayController *tray, QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_tray(tray)
{
    m_ui->setupUi(this);
    setWindowIcon(TrayIcons::application());
    m_ui->toggleButton->setDefaultAction(tray->toggleAction());
    m_ui->copyUrlButton->setDefaultAction(tray->copyUrlAction());
    m_ui->copyKeyButton->setDefaultAction(tray->copyKeyAction());
    m_ui->settingsButton->setDefaultAction(tray->settingsAction());
    m_ui->logButton->setDefaultAction(tray->logAction());
    m_ui->openAtLoginButton->setDefaultAction(tray->openAtLoginAction());
    m_ui->aboutButton->setDefaultAction(tray->aboutAction());
    m_ui->quitButton->setDefaultAction(tray->quitAction());
    for (QToolButton *button : findChildren<QToolButton *>()) {
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    m_ui->copyUrlButton->setPopupMode(QToolButton::MenuButtonPopup);
}

MainWindow::~MainWindow() = default;

void MainWindow::updateState(const QIcon &icon, const QString &status, const QString &toolTip,
                             const QString &error)
{
    m_ui->stateIcon->setPixmap(icon.pixmap(48, 48));
    m_ui->stateText->setText(error.isEmpty() ? status : status + u"\n"_s + error);
    m_ui->stateText->setToolTip(toolTip);
    setWindowIcon(icon);
}

void MainWindow::showNotice(const QString &title, const QString &message, bool error)
{
    m_ui->noticeLabel->setText(u"<b>%1</b><br>%2"_s.arg(
        title.toHtmlEscaped(), message.toHtmlEscaped().replace(u"\n"_s, u"<br>"_s)));
    m_ui->noticeLabel->setStyleSheet(error ? u"color: #c62828;"_s : QString());
    m_ui->noticeLabel->setVisible(true);
    show();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_ui->retranslateUi(this);
    QWidget::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Closing never quits (that is the Quit button); without a tray the window stays reachable.
    event->ignore();
    if (m_tray->trayIcon() && m_tray->trayIcon()->isVisible())
        hide();
    else
        showMinimized();
}
