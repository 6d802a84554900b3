// SPDX-License-Identifier: MIT
#pragma once

#include <QUrl>
#include <QWidget>

class QLabel;
class QWebEngineProfile;
class QWebEnginePage;
class QWebEngineView;

// The Z.AI window: a browser view of the chat page (chat.z.ai) in a persistent profile of its
// own, so that the user's sign-in survives a restart. Closing it only hides it: the page (and
// with it the captcha SDK the bridge asks for verify parameters) lives on in the background.
//
// The profile keeps its cookies (the account's `token` among them) in its storage folder, as any
// browser does: that is the browser's business. ZaiBridge copies the token only into its
// SecretStore (TokenCapture, then the tray app), never anywhere else.
class ZaiWindow : public QWidget
{
    Q_OBJECT
public:
    // `storagePath`: the profile's folder (cookies, local storage, cache).
    explicit ZaiWindow(const QString &storagePath, QWidget *parent = nullptr);
    ~ZaiWindow() override;

    QWebEngineProfile *profile() const { return m_profile; }
    QWebEnginePage *page() const { return m_page; }
    QWebEngineView *view() const { return m_view; }

    // Loads `origin` unless the page already shows (or is loading) a page of that origin.
    void showOrigin(const QUrl &origin);
    bool isLoading() const { return m_loading; }
    // Whether the page has finished loading a page of `origin` (scheme, host and port).
    bool isShowing(const QUrl &origin) const;
    static bool sameOrigin(const QUrl &a, const QUrl &b);

    void bringToFront();
    void setNotice(const QString &text); // the line above the page; empty: the default hint

Q_SIGNALS:
    void pageLoaded(bool ok);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QWebEngineProfile *m_profile;
    QWebEnginePage *m_page;
    QWebEngineView *m_view;
    QLabel *m_notice;
    QString m_noticeText;
    bool m_loading = false;
    bool m_loaded = false;
};
