// SPDX-License-Identifier: MIT
#include "UpstreamCheckView.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

UpstreamCheckView::UpstreamCheckView(QWidget *parent) : QWidget(parent), m_label(new QLabel(this))
{
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    hide();
}

UpstreamCheckView::~UpstreamCheckView()
{
    // Before the label goes: a check that is stopped must not draw into it.
    if (m_check)
        m_check->disconnect(this);
    delete m_check;
}

void UpstreamCheckView::start(const BridgeConfig &config, const UpstreamProfile &profile,
                              CaptchaSource *source)
{
    if (m_check)
        m_check->disconnect(this);
    delete m_check;
    m_results.clear();
    m_ok.reset();
    auto *check = new UpstreamCheck(config, profile, this);
    m_check = check;
    check->setCaptchaSource(source);
    connect(check, &UpstreamCheck::stepFinished, this,
            [this](const UpstreamCheck::Result &result) {
                m_results.append(result);
                render();
                Q_EMIT stepFinished(result);
            });
    connect(check, &UpstreamCheck::finished, this, [this, check](bool ok) {
        m_ok = ok;
        check->deleteLater();
        m_check = nullptr;
        render();
        Q_EMIT finished(ok);
    });
    show();
    render();
    check->start();
}

void UpstreamCheckView::render()
{
    QString html;
    for (const UpstreamCheck::Result &r : std::as_const(m_results)) {
        const QString mark = !r.known ? u"<span style=\"color:#757575\">–</span>"_s
                             : r.ok   ? u"<span style=\"color:#2e7d32\">✔</span>"_s
                                      : u"<span style=\"color:#c62828\">✘</span>"_s;
        html += u"%1 <b>%2</b>: %3"_s.arg(mark, UpstreamCheck::stepName(r.step).toHtmlEscaped(),
                                           r.text.toHtmlEscaped());
        if (!r.hint.isEmpty())
            html += u"<br/>&nbsp;&nbsp;&nbsp;<i>%1</i>"_s.arg(
                tr("To change: %1").arg(r.hint).toHtmlEscaped());
        html += u"<br/>"_s;
    }
    if (!m_ok)
        html += tr("Checking the way to Z.AI…").toHtmlEscaped();
    else
        html += u"<b>%1</b>"_s.arg((*m_ok ? tr("Z.AI answered: the bridge works.")
                                          : tr("Z.AI did not answer: see the step marked ✘."))
                                       .toHtmlEscaped());
    m_label->setText(html);
}

QString UpstreamCheckView::text() const
{
    QStringList lines;
    for (const UpstreamCheck::Result &r : std::as_const(m_results))
        lines.append(UpstreamCheck::format(r));
    return lines.join(u'\n');
}
