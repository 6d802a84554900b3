// SPDX-License-Identifier: MIT
#include "ZaiWindow.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>

using namespace Qt::StringLiterals;

namespace {

// The chat page's console is not ZaiBridge's log: a page may print anything there, its token
// included, and Qt WebEngine would pass it on to the application's log.
class QuietPage : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel, const QString &, int,
                                  const QString &) override
    {
    }
};

} // namespace

ZaiWindow::ZaiWindow(const QString &storagePath, QWidget *parent)
    : QWidget(parent), m_profile(new QWebEngineProfile(u"zai"_s, this)),
      m_notice(new QLabel(this))
{
    setObjectName(u"zaiWindow"_s);
    m_profile->setPersistentStoragePath(storagePath);
    m_profile->setCachePath(storagePath + u"/cache"_s);
    m_page = new QuietPage(m_profile);
    m_view = new QWebEngineView(this);
    m_view->setPage(m_page);

    m_notice->setObjectName(u"zaiWindowNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setMargin(6);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_notice);
    layout->addWidget(m_view, 1);
    resize(1000, 760);

    connect(m_page, &QWebEnginePage::loadStarted, this, [this] {
        m_loading = true;
        m_loaded = false;
    });
    connect(m_page, &QWebEnginePage::loadFinished, this, [this](bool ok) {
        m_loading = false;
        m_loaded = ok;
        Q_EMIT pageLoaded(ok);
    });
    retranslate();
}

ZaiWindow::~ZaiWindow()
{
    // The page before its profile: Qt WebEngine warns (and may crash) the other way round.
    delete m_view;
    delete m_page;
}

bool ZaiWindow::sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == u"https" ? 443 : 80) == b.port(b.scheme() == u"https" ? 443 : 80);
}

bool ZaiWindow::isShowing(const QUrl &origin) const
{
    return m_loaded && !m_loading && sameOrigin(m_page->url(), origin);
}

void ZaiWindow::showOrigin(const QUrl &origin)
{
    if (sameOrigin(m_page->url(), origin) && (m_loading || m_loaded))
        return;
    QUrl url = origin;
    if (url.path().isEmpty())
        url.setPath(u"/"_s);
    m_loading = true; // loadStarted follows; until then the page counts as loading
    m_loaded = false;
    m_page->load(url);
}

void ZaiWindow::bringToFront()
{
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

void ZaiWindow::setNotice(const QString &text)
{
    m_noticeText = text;
    retranslate();
}

void ZaiWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ZaiWindow::retranslate()
{
    setWindowTitle(tr("Z.AI – ZaiBridge"));
    m_notice->setText(m_noticeText.isEmpty()
                          ? tr("Sign in to Z.AI here: ZaiBridge then uses your account. When Z.AI "
                               "asks for a verification, it appears in this window.")
                          : m_noticeText);
}
