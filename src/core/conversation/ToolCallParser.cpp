// SPDX-License-Identifier: MIT
#include "ToolCallParser.h"

#include "util/Logging.h"
#include "ToolPrompt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

constexpr QStringView kBlockOpen = u"<function_calls>";
constexpr QStringView kBlockClose = u"</function_calls>";

// Length of the longest suffix of `text` that is a proper prefix of `marker`.
qsizetype partialSuffix(QStringView text, QStringView marker)
{
    for (qsizetype n = qMin(text.size(), marker.size() - 1); n > 0; --n) {
        if (text.right(n) == marker.left(n))
            return n;
    }
    return 0;
}

QString stripFences(QString text)
{
    text = text.trimmed();
    if (text.startsWith(u"```"_s)) {
        const qsizetype newline = text.indexOf(u'\n');
        text = newline < 0 ? QString() : text.mid(newline + 1);
        if (text.trimmed().endsWith(u"```"_s)) {
            text = text.trimmed();
            text.chop(3);
        }
    }
    return text.trimmed();
}

QString stripCdata(QString text)
{
    text = text.trimmed();
    if (text.startsWith(u"<![CDATA["_s)) {
        text = text.mid(9);
        const qsizetype end = text.lastIndexOf(u"]]>"_s);
        if (end >= 0)
            text = text.left(end);
        text.replace(u"]]]]><![CDATA[>"_s, u"]]>"_s);
    }
    return text;
}

// CDATA may hold anything, markup included: structure is parsed with each section replaced by
// a private-use marker, and the sections are put back into argument values only.
QString maskCdata(const QString &text, QStringList *sections)
{
    QString out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype start = text.indexOf(u"<![CDATA["_s, pos);
        if (start < 0) {
            out += QStringView(text).mid(pos);
            break;
        }
        out += QStringView(text).mid(pos, start - pos);
        const qsizetype end = text.indexOf(u"]]>"_s, start + 9);
        sections->append(end < 0 ? text.mid(start + 9) : text.mid(start + 9, end - start - 9));
        out += QChar(0xE000) + QString::number(sections->size() - 1) + QChar(0xE001);
        if (end < 0)
            break;
        pos = end + 3;
    }
    return out;
}

QString unmaskCdata(const QString &text, const QStringList &sections)
{
    static const QRegularExpression marker(uR"(\x{E000}(\d+)\x{E001})"_s);
    QString out;
    qsizetype pos = 0;
    auto it = marker.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).mid(pos, m.capturedStart() - pos);
        out += sections.value(m.captured(1).toInt());
        pos = m.capturedEnd();
    }
    out += QStringView(text).mid(pos);
    return out;
}

// Index of `marker` in `text` from `from`, skipping CDATA sections; -1 when absent.
qsizetype indexOutsideCdata(const QString &text, QStringView marker, qsizetype from = 0)
{
    qsizetype pos = from;
    for (;;) {
        const qsizetype hit = text.indexOf(marker, pos);
        const qsizetype cdata = text.indexOf(u"<![CDATA["_s, pos);
        if (hit < 0 || cdata < 0 || hit < cdata)
            return hit;
        const qsizetype end = text.indexOf(u"]]>"_s, cdata + 9);
        if (end < 0)
            return -1;
        pos = end + 3;
    }
}

QString between(const QString &text, const QString &open, const QString &close, bool allowUnclosed)
{
    const qsizetype start = text.indexOf(open);
    if (start < 0)
        return {};
    const qsizetype from = start + open.size();
    const qsizetype end = text.indexOf(close, from);
    if (end < 0)
        return allowUnclosed ? text.mid(from) : QString();
    return text.mid(from, end - from);
}

} // namespace

ToolCallParser::ToolCallParser(QString trigger, QStringList knownTools)
    : m_trigger(std::move(trigger)), m_known(std::move(knownTools))
{
}

std::optional<QString> ToolCallParser::repairArguments(QString text)
{
    text = stripFences(stripCdata(text));
    if (text.isEmpty())
        return u"{}"_s;
    const auto parse = [](const QString &candidate) -> std::optional<QString> {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(candidate.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return std::nullopt;
        return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    };
    if (auto ok = parse(text))
        return ok;
    // Trailing commas before a closing bracket.
    static const QRegularExpression trailingComma(uR"(,\s*([}\]]))"_s);
    QString repaired = text;
    repaired.replace(trailingComma, u"\\1"_s);
    if (auto ok = parse(repaired))
        return ok;
    // A cut-off object: close open strings and brackets in order.
    QString closers;
    bool inString = false;
    bool escaped = false;
    for (QChar c : std::as_const(repaired)) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'"')
            inString = true;
        else if (c == u'{')
            closers.prepend(u'}');
        else if (c == u'[')
            closers.prepend(u']');
        else if ((c == u'}' || c == u']') && !closers.isEmpty())
            closers.remove(0, 1);
    }
    if (inString)
        repaired += u'"';
    return parse(repaired + closers);
}

std::optional<QList<ToolCall>> ToolCallParser::parseBlock(const QString &rawBlock,
                                                          const QStringList &knownTools)
{
    QStringList sections;
    QString block = maskCdata(rawBlock, &sections);
    const qsizetype open = block.indexOf(kBlockOpen);
    if (open >= 0)
        block = block.mid(open + kBlockOpen.size());
    const qsizetype close = block.indexOf(kBlockClose);
    if (close >= 0)
        block = block.left(close);

    static const QRegularExpression callOpen(uR"(<function_call\s*>)"_s);
    QList<ToolCall> calls;
    const QStringList segments = block.split(callOpen);
    for (qsizetype i = 1; i < segments.size(); ++i) {
        QString segment = segments.at(i);
        const qsizetype end = segment.indexOf(u"</function_call>"_s);
        if (end >= 0)
            segment = segment.left(end);
        QString name = between(segment, u"<tool>"_s, u"</tool>"_s, false).trimmed();
        if (name.isEmpty())
            name = between(segment, u"<name>"_s, u"</name>"_s, false).trimmed();
        if (name.isEmpty() || !knownTools.contains(name)) {
            qCInfo(lcUpstream).noquote() << "tool block names"
                                         << (name.isEmpty() ? u"no tool"_s : u"an unknown tool"_s)
                                         << "; returning it as text";
            return std::nullopt;
        }
        std::optional<QString> arguments;
        if (segment.contains(u"<args_json>"_s)) {
            arguments = repairArguments(
                unmaskCdata(between(segment, u"<args_json>"_s, u"</args_json>"_s, true), sections));
        } else if (segment.contains(u"<args_kv>"_s) || segment.contains(u"<arg "_s)) {
            static const QRegularExpression arg(
                uR"re(<arg\s+name="([^"]+)"\s*>(.*?)(?:</arg>|$))re"_s,
                QRegularExpression::DotMatchesEverythingOption);
            QJsonObject object;
            auto it = arg.globalMatch(segment);
            while (it.hasNext()) {
                const auto m = it.next();
                const QString value = unmaskCdata(m.captured(2), sections);
                const QJsonDocument asJson = QJsonDocument::fromJson(
                    (u"{\"v\":"_s + value + u'}').toUtf8());
                object.insert(m.captured(1),
                              asJson.isObject() ? asJson.object().value(u"v"_s) : QJsonValue(value));
            }
            arguments = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
        } else {
            arguments = u"{}"_s;
        }
        if (!arguments) {
            qCInfo(lcUpstream).noquote() << "tool arguments for" << name
                                         << "are not repairable JSON; returning the block as text";
            return std::nullopt;
        }
        calls.append({QString(), name, *arguments});
    }
    if (calls.isEmpty())
        return std::nullopt;
    return calls;
}

ToolCallParser::Output ToolCallParser::closeBlock(const QString &block, bool atEnd)
{
    Output out;
    m_mode = Mode::Done;
    if (auto calls = parseBlock(block, m_known)) {
        for (ToolCall &call : *calls)
            call.id = ToolPrompt::newCallId();
        out.calls = *calls;
        return out;
    }
    // Never swallow what the model wrote: an unusable block is part of the answer.
    out.text = (m_sawTrigger ? m_trigger : QString()) + block;
    m_sawTrigger = false;
    if (!atEnd)
        m_mode = Mode::Text;
    qCWarning(lcUpstream) << "could not use a tool-call block; passing it on as text";
    return out;
}

ToolCallParser::Output ToolCallParser::push(const QString &content)
{
    Output out;
    if (m_mode == Mode::Done) {
        if (!content.trimmed().isEmpty())
            qCDebug(lcUpstream) << "dropping text the model wrote after its tool calls";
        return out;
    }
    if (m_mode == Mode::Text) {
        QString text = m_pending + content;
        m_pending.clear();
        const qsizetype trigger = text.indexOf(m_trigger);
        const qsizetype bare = text.indexOf(kBlockOpen);
        if (trigger >= 0 && (bare < 0 || trigger <= bare)) {
            out.text = text.left(trigger);
            m_sawTrigger = true;
            m_mode = Mode::Block;
            m_block = text.mid(trigger + m_trigger.size());
        } else if (bare >= 0) {
            out.text = text.left(bare);
            m_mode = Mode::Block;
            m_block = text.mid(bare);
        } else {
            const qsizetype hold = qMax(partialSuffix(text, m_trigger), partialSuffix(text, kBlockOpen));
            m_pending = text.right(hold);
            out.text = text.left(text.size() - hold);
            return out;
        }
    } else {
        m_block += content;
    }
    const qsizetype close = indexOutsideCdata(m_block, kBlockClose);
    if (close >= 0) {
        const QString block = m_block.left(close + kBlockClose.size());
        const QString after = m_block.mid(close + kBlockClose.size());
        m_block.clear();
        Output closed = closeBlock(block, false);
        out.text += closed.text;
        out.calls = closed.calls;
        if (m_mode == Mode::Text && !after.isEmpty()) {
            const Output rest = push(after);
            out.text += rest.text;
            if (out.calls.isEmpty())
                out.calls = rest.calls;
        }
    }
    return out;
}

ToolCallParser::Output ToolCallParser::finish()
{
    Output out;
    if (m_mode == Mode::Text) {
        out.text = m_pending;
        m_pending.clear();
        m_mode = Mode::Done;
    } else if (m_mode == Mode::Block) {
        out = closeBlock(m_block, true); // an unclosed block at the end: repair what is there
        m_block.clear();
    }
    return out;
}
