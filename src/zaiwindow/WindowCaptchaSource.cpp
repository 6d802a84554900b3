// SPDX-License-Identifier: MIT
#include "WindowCaptchaSource.h"

#include "ZaiWindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariantMap>
#include <QWebEnginePage>
#include <QWebEngineScript>

using namespace Qt::StringLiterals;

namespace {

// Runs in the page's main world, where the SDK's globals are. One slot per ask in
// window.__zbCaptcha holds its state for pollScript; the container is invisible until the
// window needs the user (the SDK lays its widget out all the same).
const auto StartScript = uR"js((function (id, ask, caption) {
  'use strict';
  var all = window.__zbCaptcha = window.__zbCaptcha || {};
  if (all[id])
    return true;
  var slot = all[id] = {state: 'pending', value: '', instance: null};
  var host = document.createElement('div');
  host.id = 'zb-captcha-host-' + id;
  host.setAttribute('data-zb-captcha', String(id));
  host.style.cssText = 'position:fixed;left:50%;top:24px;transform:translateX(-50%);'
      + 'z-index:2147483646;min-width:320px;background:#fff;color:#222;border:1px solid #999;'
      + 'border-radius:8px;padding:16px;box-shadow:0 4px 24px rgba(0,0,0,.3);'
      + 'font:14px sans-serif;visibility:hidden;';
  var text = document.createElement('p');
  text.textContent = caption;
  text.style.cssText = 'margin:0 0 12px 0;';
  var element = document.createElement('div');
  element.id = 'zb-captcha-element-' + id;
  host.appendChild(text);
  host.appendChild(element);
  (document.body || document.documentElement).appendChild(host);
  slot.cleanup = function () {
    if (slot.instance && typeof slot.instance.destroyCaptcha === 'function') {
      try { slot.instance.destroyCaptcha(); } catch (e) {}
    }
    host.remove();
    delete all[id];
  };
  slot.showHost = function () { host.style.visibility = 'visible'; };
  function failed(text) {
    if (all[id] === slot) {
      slot.state = 'fail';
      slot.value = text;
    }
  }
  function start() {
    if (all[id] !== slot)
      return;
    try {
      window.initAliyunCaptcha({
        SceneId: ask.sceneId,
        prefix: ask.prefix,
        mode: 'embed',
        element: '#' + element.id,
        success: function (param) {
          if (all[id] === slot) {
            slot.state = 'success';
            slot.value = String(param);
          }
        },
        fail: function (result) {
          var code = result && result.code ? String(result.code) : '';
          var msg = result && result.msg ? String(result.msg) : JSON.stringify(result);
          failed(code ? code + ': ' + msg : msg);
        },
        getInstance: function (instance) { slot.instance = instance; },
        language: ask.language
      });
    } catch (e) {
      failed('initAliyunCaptcha: ' + String(e));
    }
  }
  if (typeof window.initAliyunCaptcha === 'function') {
    start();
    return true;
  }
  // A page without the SDK: configure it before it loads, as Aliyun's documentation demands.
  if (!window.AliyunCaptchaConfig)
    window.AliyunCaptchaConfig = {region: ask.region, prefix: ask.prefix};
  var script = document.createElement('script');
  script.src = ask.scriptUrl;
  script.onload = function () {
    if (typeof window.initAliyunCaptcha === 'function')
      start();
    else
      failed('the captcha SDK from ' + ask.scriptUrl + ' defines no initAliyunCaptcha');
  };
  script.onerror = function () { failed('the captcha SDK could not be loaded from ' + ask.scriptUrl); };
  (document.head || document.documentElement).appendChild(script);
  return true;
})(%1, %2, %3))js"_s;

const auto PollScript = uR"js((function (id) {
  var slot = window.__zbCaptcha && window.__zbCaptcha[id];
  if (!slot)
    return null;
  var element = document.getElementById('zb-captcha-element-' + id);
  var host = document.getElementById('zb-captcha-host-' + id);
  var shown = !!(element && element.childElementCount > 0 && element.offsetHeight > 0);
  return {state: slot.state, value: slot.value, shown: shown,
          hostVisible: !!host && host.style.visibility === 'visible'};
})(%1))js"_s;

const auto CleanupScript = uR"js((function (id) {
  var slot = window.__zbCaptcha && window.__zbCaptcha[id];
  if (slot)
    slot.cleanup();
  return true;
})(%1))js"_s;

const auto ShowScript = uR"js((function (id) {
  var slot = window.__zbCaptcha && window.__zbCaptcha[id];
  if (slot)
    slot.showHost();
  return true;
})(%1))js"_s;

QString jsString(const QString &text)
{
    // A JSON array of one string, without the brackets: a JavaScript string literal.
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

} // namespace

WindowCaptchaSource::WindowCaptchaSource(WindowProvider window, QObject *parent)
    : CaptchaSource(parent), m_provider(std::move(window))
{
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &WindowCaptchaSource::poll);
}

WindowCaptchaSource::~WindowCaptchaSource()
{
    // The tickets belong to their askers; they get no answer from a source that is gone.
    for (const Pending &pending : std::as_const(m_queue)) {
        if (pending.ticket)
            disconnect(pending.ticket, nullptr, this, nullptr);
    }
}

// describe() and the failure texts end up in the bridge's API error messages, which are English
// like the rest of the core's: they are not translated.
QString WindowCaptchaSource::describe() const
{
    return u"the Z.AI window"_s;
}

QString WindowCaptchaSource::startScript(quint64 id, const CaptchaAsk &ask, const QString &caption)
{
    const QJsonObject values{
        {u"sceneId"_s, ask.sceneId},
        {u"prefix"_s, ask.prefix},
        {u"region"_s, ask.region},
        {u"scriptUrl"_s, ask.scriptUrl.toString(QUrl::FullyEncoded)},
        {u"language"_s, u"en"_s},
    };
    return QString(StartScript)
        .arg(QString::number(id),
             QString::fromUtf8(QJsonDocument(values).toJson(QJsonDocument::Compact)),
             jsString(caption));
}

QString WindowCaptchaSource::pollScript(quint64 id)
{
    return QString(PollScript).arg(id);
}

QString WindowCaptchaSource::cleanupScript(quint64 id)
{
    return QString(CleanupScript).arg(id);
}

CaptchaTicket *WindowCaptchaSource::obtain(const CaptchaAsk &ask, QObject *owner)
{
    auto *ticket = new CaptchaTicket(owner);
    const quint64 id = m_nextId++;
    connect(ticket, &QObject::destroyed, this, [this, id] { withdraw(id); });
    m_queue.append({id, ask, ticket});
    // Never from inside obtain(): the first answer comes from the event loop at the earliest.
    QTimer::singleShot(0, this, &WindowCaptchaSource::startNext);
    return ticket;
}

ZaiWindow *WindowCaptchaSource::window()
{
    if (!m_window) {
        m_window = m_provider ? m_provider() : nullptr;
        if (m_window)
            connect(m_window, &ZaiWindow::pageLoaded, this, &WindowCaptchaSource::onPageLoaded);
    }
    return m_window;
}

void WindowCaptchaSource::startNext()
{
    if (m_active || m_queue.isEmpty())
        return;
    m_active = true;
    m_injected = false;
    m_restarts = 0;
    ZaiWindow *w = window();
    if (!w) {
        finish(false, u"the Z.AI window is not available"_s);
        return;
    }
    const CaptchaAsk &ask = m_queue.constFirst().ask;
    if (w->isShowing(ask.origin)) {
        inject();
        return;
    }
    w->showOrigin(ask.origin); // in the background: the window stays as it is
}

void WindowCaptchaSource::onPageLoaded(bool ok)
{
    if (!m_active || m_injected)
        return; // an injected ask notices a reload when its slot is gone
    const CaptchaAsk &ask = m_queue.constFirst().ask;
    if (!ok) {
        finish(false, u"the Z.AI window could not load %1"_s.arg(
                          ask.origin.toString(QUrl::RemoveUserInfo)));
        return;
    }
    if (!m_window->isShowing(ask.origin)) {
        m_window->showOrigin(ask.origin); // the page went elsewhere (a redirect): back to chat
        return;
    }
    inject();
}

void WindowCaptchaSource::inject()
{
    const Pending &active = m_queue.constFirst();
    m_injected = true;
    m_since.start();
    m_window->page()->runJavaScript(
        startScript(active.id, active.ask,
                    tr("ZaiBridge: Z.AI asks for a verification. Please complete it here.")),
        QWebEngineScript::MainWorld);
    m_poll.start();
}

void WindowCaptchaSource::poll()
{
    if (!m_active || !m_window || m_pollInFlight)
        return;
    if (m_window->isLoading())
        return;
    const quint64 id = m_queue.constFirst().id;
    m_pollInFlight = true;
    QPointer<WindowCaptchaSource> self(this);
    m_window->page()->runJavaScript(pollScript(id), QWebEngineScript::MainWorld,
                                    [self, id](const QVariant &state) {
                                        if (self) {
                                            self->m_pollInFlight = false;
                                            self->onPolled(id, state);
                                        }
                                    });
}

void WindowCaptchaSource::onPolled(quint64 id, const QVariant &state)
{
    if (!m_active || m_queue.constFirst().id != id || !m_window)
        return;
    const CaptchaAsk &ask = m_queue.constFirst().ask;
    if (!state.isValid() || state.isNull()) {
        if (m_window->isLoading())
            return;
        // The page was reloaded or left under the ask: start it again on the chat page.
        if (++m_restarts > MaxRestarts) {
            finish(false, u"the Z.AI window kept leaving the chat page during the "
                          u"verification"_s);
            return;
        }
        m_injected = false;
        if (m_window->isShowing(ask.origin))
            inject();
        else
            m_window->showOrigin(ask.origin);
        return;
    }
    const QVariantMap map = state.toMap();
    const QString status = map.value(u"state"_s).toString();
    const QString value = map.value(u"value"_s).toString();
    if (status == u"success" && !value.isEmpty()) {
        finish(true, value);
        return;
    }
    if (status == u"fail") {
        if (!m_waitingForUser) {
            finish(false, u"the captcha SDK in the Z.AI window failed: %1"_s.arg(value));
            return;
        }
        // The human is at it: the SDK offers another try by itself; the asker's timeout rules.
        return;
    }
    if (m_waitingForUser && !map.value(u"hostVisible"_s).toBool()) {
        // Started again on a new page while the user is wanted: show it there too.
        m_window->page()->runJavaScript(QString(ShowScript).arg(id), QWebEngineScript::MainWorld);
        return;
    }
    const bool shown = map.value(u"shown"_s).toBool();
    const qint64 elapsed = m_since.elapsed();
    if (!m_waitingForUser &&
        ((shown && elapsed >= ChallengeAfterMs) || elapsed >= UserNeededAfterMs)) {
        m_waitingForUser = true;
        m_window->page()->runJavaScript(QString(ShowScript).arg(id), QWebEngineScript::MainWorld);
        const QPointer<CaptchaTicket> ticket = m_queue.constFirst().ticket;
        const CaptchaAsk askCopy = ask;
        if (ticket)
            Q_EMIT ticket->waitingForUser();
        Q_EMIT userNeeded(askCopy);
    }
}

void WindowCaptchaSource::resetActive()
{
    m_poll.stop();
    m_active = false;
    m_injected = false;
    m_pollInFlight = false;
    const bool wasWaiting = m_waitingForUser;
    m_waitingForUser = false;
    if (wasWaiting)
        Q_EMIT userDone();
}

void WindowCaptchaSource::finish(bool ok, const QString &valueOrMessage)
{
    const Pending done = m_queue.takeFirst();
    if (m_window && m_injected)
        m_window->page()->runJavaScript(cleanupScript(done.id), QWebEngineScript::MainWorld);
    if (done.ticket)
        disconnect(done.ticket, &QObject::destroyed, this, nullptr);
    resetActive();
    // The asker may delete the ticket from its slot: nothing of ours is touched afterwards.
    if (done.ticket) {
        if (ok)
            Q_EMIT done.ticket->ready(valueOrMessage);
        else
            Q_EMIT done.ticket->failed(valueOrMessage);
    }
    QTimer::singleShot(0, this, &WindowCaptchaSource::startNext);
}

void WindowCaptchaSource::withdraw(quint64 id)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue.at(i).id != id)
            continue;
        const bool active = m_active && i == 0;
        m_queue.removeAt(i);
        if (active) {
            if (m_window && m_injected)
                m_window->page()->runJavaScript(cleanupScript(id), QWebEngineScript::MainWorld);
            resetActive();
            QTimer::singleShot(0, this, &WindowCaptchaSource::startNext);
        }
        return;
    }
}
