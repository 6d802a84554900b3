// SPDX-License-Identifier: MIT
#include "StreamTranslator.h"

#include "util/Logging.h"
#include "UpstreamEvent.h"

#include <QJsonDocument>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

constexpr QStringView kDetailsOpen = u"<details";
constexpr QStringView kDetailsClose = u"</details>";
constexpr QStringView kBlockOpen = u"<glm_block";
constexpr QStringView kBlockClose = u"</glm_block>";

// The thought inside a reasoning block, without <summary> and the "> " quote prefixes.
QString cleanReasoning(QStringView inner, bool closed)
{
    if (inner.startsWith(u'\n'))
        inner = inner.mid(1);
    if (inner.startsWith(u"<summary>")) {
        const qsizetype end = inner.indexOf(u"</summary>");
        if (end < 0)
            return {};
        inner = inner.mid(end + 10);
        if (inner.startsWith(u'\n'))
            inner = inner.mid(1);
    } else if (!closed && QStringView(u"<summary>").startsWith(inner)) {
        return {};
    }
    QString out;
    out.reserve(inner.size());
    qsizetype start = 0;
    while (start <= inner.size()) {
        qsizetype end = inner.indexOf(u'\n', start);
        if (end < 0)
            end = inner.size();
        QStringView line = inner.mid(start, end - start);
        if (line.startsWith(u"> "))
            line = line.mid(2);
        else if (line.startsWith(u'>'))
            line = line.mid(1);
        if (start > 0)
            out += u'\n';
        out += line;
        start = end + 1;
    }
    // Trailing newlines are held back while the block is open (a quote prefix may follow) and
    // dropped when it closes (the block ends with "\n</details>").
    while (out.endsWith(u'\n'))
        out.chop(1);
    return out;
}

bool isReasoningTag(QStringView tag)
{
    return !tag.contains(u"type=") || tag.contains(u"type=\"reasoning\"");
}

bool hasSurrogates(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSurrogate(); });
}

QString stringOrNumber(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

} // namespace

StreamTranslator::Step StreamTranslator::feed(QByteArrayView eventData)
{
    const QByteArrayView trimmed = eventData.trimmed();
    if (trimmed == "[DONE]") {
        m_done = true;
        Step step = emitGrowth(true);
        step.done = true;
        return step;
    }
    // Nearly every event takes the fast path; usage, errors and anything unusual are parsed in
    // full.
    if (const std::optional<UpstreamEvent> event = UpstreamEvent::scan(trimmed))
        return apply(*event);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toByteArray(), &parseError);
    if (!doc.isObject()) {
        qCDebug(lcUpstream) << "ignoring a non-JSON upstream event of" << trimmed.size() << "bytes";
        return {};
    }
    return feed(doc.object());
}

void StreamTranslator::applyEdit(qint64 codePointIndex, const QString &text)
{
    qsizetype index = 0;
    if (!m_bufferHasSurrogates) {
        index = qsizetype(qBound<qint64>(0, codePointIndex, m_buffer.size()));
    } else {
        // Z.AI counts characters (code points); QString counts UTF-16 units.
        qint64 remaining = codePointIndex;
        while (remaining > 0 && index < m_buffer.size()) {
            index += (m_buffer.at(index).isHighSurrogate() && index + 1 < m_buffer.size()) ? 2 : 1;
            --remaining;
        }
    }
    m_buffer.truncate(index);
    m_buffer += text;
    m_lastDetailsOpen = m_buffer.lastIndexOf(kDetailsOpen); // edits are rare: look again
    m_lastDetailsClose = m_buffer.lastIndexOf(kDetailsClose);
    if (index < m_cpPos) {
        m_cpPos = 0;
        m_cpReasoning.clear();
        m_cpContent.clear();
        m_cpBlocks = 0;
    }
}

StreamTranslator::Step StreamTranslator::feed(const QJsonObject &event)
{
    // Events come as {"type":"chat:completion","data":{...}}; tolerate a bare data object.
    QJsonObject data = event.value(u"data"_s).isObject() ? event.value(u"data"_s).toObject() : event;
    if (data.value(u"data"_s).isObject() && !data.contains(u"phase"_s)
        && !data.contains(u"delta_content"_s))
        data = data.value(u"data"_s).toObject();

    Step step;
    const QJsonValue errorValue =
        data.contains(u"error"_s) ? data.value(u"error"_s) : event.value(u"error"_s);
    if (errorValue.isObject() || errorValue.isString()) {
        const QJsonObject e = errorValue.toObject();
        UpstreamStreamError error;
        error.code = stringOrNumber(e.value(u"code"_s));
        error.detail = errorValue.isString() ? errorValue.toString()
                                             : e.value(u"detail"_s).toString(
                                                   e.value(u"message"_s).toString());
        error.captchaType = e.value(u"captcha_error_type"_s).toString();
        error.errorCode = stringOrNumber(e.value(u"error_code"_s));
        error.verifyCode = stringOrNumber(e.value(u"verify_code"_s));
        step = emitGrowth(true);
        step.error = error;
        step.done = true;
        m_done = true;
        return step;
    }

    const QJsonValue usage = data.value(u"usage"_s);
    if (usage.isObject()) {
        const QJsonObject u = usage.toObject();
        TokenUsage parsed;
        parsed.promptTokens = u.value(u"prompt_tokens"_s).toInteger();
        parsed.completionTokens = u.value(u"completion_tokens"_s).toInteger();
        parsed.cachedTokens =
            u.value(u"prompt_tokens_details"_s).toObject().value(u"cached_tokens"_s).toInteger(-1);
        parsed.reasoningTokens = u.value(u"completion_tokens_details"_s)
                                     .toObject()
                                     .value(u"reasoning_tokens"_s)
                                     .toInteger(-1);
        m_usage = parsed;
    }

    return apply(UpstreamEvent::fromData(data));
}

StreamTranslator::Step StreamTranslator::apply(const UpstreamEvent &event)
{
    bool changed = false;
    if (event.hasEditIndex && event.editContent) {
        const QString &text = *event.editContent;
        m_bufferHasSurrogates = m_bufferHasSurrogates || hasSurrogates(text);
        applyEdit(event.editIndex, text);
        changed = true;
    }
    const QString &delta = !event.deltaContent.isEmpty() || changed || event.phase != u"answer"
                               ? event.deltaContent
                               : event.content; // fallback field some streams use
    if (!delta.isEmpty()) {
        const bool openBlock = m_lastDetailsOpen > m_lastDetailsClose;
        // Text without '<' added to a settled buffer cannot start, end or complete any markup:
        // the texts grow by exactly that text, so derive() has nothing to add.
        const bool shortcut = !changed && settled() && !event.done && event.phase != u"done"
            && !delta.contains(u'<');
        // A block after a tool call opens with blank lines ("\n\n\n<details ..."): that is
        // buffer text too, or later edit offsets no longer line up.
        if (event.phase == u"thinking" && !QStringView(delta).trimmed().startsWith(kDetailsOpen)
            && !openBlock) {
            // Thinking without the Open WebUI wrapper: in front of the blocks when it comes
            // before any, after them when a block was already there.
            if (shortcut && m_lastDetailsOpen < 0 && m_plainReasoningAfter.isEmpty()
                && m_emittedReasoning.size() == m_plainReasoning.size()) {
                m_plainReasoning += delta; // with no block, the reasoning is this text alone
                m_emittedReasoning += delta;
                Step step;
                step.reasoning = delta;
                return step;
            }
            (m_lastDetailsOpen < 0 ? m_plainReasoning : m_plainReasoningAfter) += delta;
        } else if (shortcut) {
            m_bufferHasSurrogates = m_bufferHasSurrogates || hasSurrogates(delta);
            m_buffer += delta;
            m_cpPos = m_buffer.size();
            m_cpContent += delta;
            m_emittedContent += delta;
            Step step;
            step.content = delta;
            return step;
        } else {
            m_bufferHasSurrogates = m_bufferHasSurrogates || hasSurrogates(delta);
            const qsizetype from = m_buffer.size();
            m_buffer += delta;
            // Only the new text (and a tag it may complete) is searched, not the whole answer.
            const qsizetype start = qMax<qsizetype>(0, from - (kDetailsClose.size() - 1));
            const QStringView tail = QStringView(m_buffer).sliced(start);
            if (const qsizetype at = tail.lastIndexOf(kDetailsOpen); at >= 0)
                m_lastDetailsOpen = start + at;
            if (const qsizetype at = tail.lastIndexOf(kDetailsClose); at >= 0)
                m_lastDetailsClose = start + at;
        }
        changed = true;
    }

    const bool done = event.done || event.phase == u"done";
    if (done)
        m_done = true;
    Step step;
    if (changed || done)
        step = emitGrowth(done);
    step.done = done;
    return step;
}

bool StreamTranslator::settled() const
{
    // All of the buffer is parsed for good, and the client has exactly what it yields.
    return m_shortcuts && !m_done && m_divergences == 0 && m_cpPos == m_buffer.size()
        && m_emittedContent.size() == m_cpContent.size();
}

StreamTranslator::Step StreamTranslator::finish()
{
    return emitGrowth(true);
}

StreamTranslator::Derived StreamTranslator::derive(bool final)
{
    const QString &buf = m_buffer;
    const qsizetype len = buf.size();
    QString reasoning = m_cpReasoning;
    QString content = m_cpContent;
    int blocks = m_cpBlocks;
    qsizetype pos = m_cpPos;
    const auto checkpoint = [&](qsizetype at) {
        if (at > m_cpPos) {
            m_cpPos = at;
            m_cpReasoning = reasoning;
            m_cpContent = content;
            m_cpBlocks = blocks;
        }
    };
    const auto addReasoning = [&](const QString &text) {
        if (text.isEmpty())
            return;
        if (!reasoning.isEmpty())
            reasoning += u"\n\n"_s;
        reasoning += text;
    };

    while (pos < len) {
        const qsizetype lt = buf.indexOf(u'<', pos);
        if (lt < 0) {
            content += QStringView(buf).mid(pos);
            pos = len;
            checkpoint(pos);
            break;
        }
        content += QStringView(buf).mid(pos, lt - pos);
        pos = lt;
        checkpoint(pos);
        const QStringView rest = QStringView(buf).mid(lt);
        if (rest.startsWith(kDetailsOpen)) {
            const qsizetype tagEnd = buf.indexOf(u'>', lt);
            if (tagEnd < 0)
                break; // tag still arriving
            const QStringView tag = QStringView(buf).mid(lt, tagEnd - lt + 1);
            const qsizetype close = buf.indexOf(kDetailsClose, tagEnd);
            const bool closed = close >= 0;
            QStringView inner = QStringView(buf).mid(tagEnd + 1,
                                                     (closed ? close : len) - tagEnd - 1);
            if (!closed) {
                // "</det" at the end is the closing tag arriving, not thought text.
                const qsizetype lastLt = inner.lastIndexOf(u'<');
                if (lastLt >= 0 && kDetailsClose.startsWith(inner.mid(lastLt)))
                    inner = inner.left(lastLt);
            }
            if (isReasoningTag(tag))
                addReasoning(cleanReasoning(inner, closed || final));
            ++blocks;
            if (!closed)
                break; // open block runs to the end of the buffer
            pos = close + kDetailsClose.size();
            checkpoint(pos);
        } else if (rest.startsWith(kBlockOpen)) {
            const qsizetype close = buf.indexOf(kBlockClose, lt);
            if (close < 0)
                break; // internal tool markup never reaches the client, even half of it
            pos = close + kBlockClose.size();
            checkpoint(pos);
        } else if (!final && (kDetailsOpen.startsWith(rest) || kBlockOpen.startsWith(rest))) {
            break; // could become a tag: hold back
        } else {
            content += u'<';
            pos = lt + 1;
        }
    }
    if (!m_plainReasoning.isEmpty())
        reasoning.prepend(m_plainReasoning + (reasoning.isEmpty() ? QString() : u"\n\n"_s));
    addReasoning(m_plainReasoningAfter);
    return {reasoning, content};
}

StreamTranslator::Step StreamTranslator::emitGrowth(bool final)
{
    const Derived d = derive(final);
    Step step;
    const auto grow = [this](const QString &derived, QString &emitted, QString &out) {
        if (derived.size() > emitted.size() && derived.startsWith(emitted)) {
            out = derived.mid(emitted.size());
            emitted = derived;
        } else if (!derived.startsWith(emitted)) {
            // An edit rewrote text the client already has; it cannot be taken back.
            ++m_divergences;
            qCDebug(lcUpstream) << "upstream edit rewrote already-sent text; keeping what was sent";
        }
    };
    grow(d.reasoning, m_emittedReasoning, step.reasoning);
    grow(d.content, m_emittedContent, step.content);
    return step;
}
