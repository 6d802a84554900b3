// SPDX-License-Identifier: MIT
#include "zai/StreamTranslator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray zaiEvent(const QJsonObject &data)
{
    return QJsonDocument(QJsonObject{{u"type"_s, u"chat:completion"_s}, {u"data"_s, data}})
        .toJson(QJsonDocument::Compact);
}

QByteArray delta(const QString &phase, const QString &text)
{
    return zaiEvent({{u"phase"_s, phase}, {u"delta_content"_s, text}});
}

QByteArray edit(const QString &phase, int index, const QString &text)
{
    return zaiEvent({{u"phase"_s, phase}, {u"edit_index"_s, index}, {u"edit_content"_s, text}});
}

struct Collected
{
    QString reasoning;
    QString content;
    bool done = false;
    std::optional<UpstreamStreamError> error;
    QStringList contentPieces;
};

Collected run(StreamTranslator &t, const QList<QByteArray> &events, bool finish = true)
{
    Collected c;
    const auto take = [&](const StreamTranslator::Step &s) {
        c.reasoning += s.reasoning;
        c.content += s.content;
        if (!s.content.isEmpty())
            c.contentPieces.append(s.content);
        c.done = c.done || s.done;
        if (s.error)
            c.error = s.error;
    };
    for (const QByteArray &e : events)
        take(t.feed(e));
    if (finish)
        take(t.finish());
    return c;
}

// The complete example of zai-protocol.md 6.8.
QList<QByteArray> thinkingExample()
{
    return {
        delta(u"thinking"_s, u"<details type=\"reasoning\" done=\"false\" view=\"\" last_tool_call_name=\"\">\n<summary>Thinking…</summary>\n> The user"_s),
        delta(u"thinking"_s, u" greets me.\n> I reply briefly."_s),
        edit(u"answer"_s, 32, u"true\" duration=\"1\" view=\"\" last_tool_call_name=\"\">\n<summary>Thought for 1 seconds</summary>\n> The user greets me.\n> I reply briefly.\n</details>"_s),
        delta(u"answer"_s, u"\nHello"_s),
        delta(u"answer"_s, u" there!"_s),
        zaiEvent({{u"phase"_s, u"other"_s},
               {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, 12},
                                        {u"completion_tokens"_s, 9},
                                        {u"total_tokens"_s, 21},
                                        {u"prompt_tokens_details"_s,
                                         QJsonObject{{u"cached_tokens"_s, 0}}}}}}),
        zaiEvent({{u"phase"_s, u"done"_s}, {u"done"_s, true}}),
    };
}

} // namespace

class TestStreamTranslator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void thinkingExample();
    void answerOnly();
    void everyDeltaBoundary();
    void thinkingBlockCutAnywhere();
    void glmBlockNeverLeaks();
    void inStreamError();
    void editIndexCountsCodePoints();
    void plainThinkingWithoutWrapper();
    void secondReasoningBlock();
    void doneMarker();
    void recordedCapture();
    void shortcutsMatchFullDerivation();
};

void TestStreamTranslator::thinkingExample()
{
    StreamTranslator t;
    const Collected c = run(t, ::thinkingExample());
    QCOMPARE(c.reasoning, u"The user greets me.\nI reply briefly."_s);
    QCOMPARE(c.content, u"\nHello there!"_s);
    QVERIFY(c.done);
    QVERIFY(!c.error);
    QVERIFY(t.usage());
    QCOMPARE(t.usage()->promptTokens, 12);
    QCOMPARE(t.usage()->completionTokens, 9);
    QCOMPARE(t.usage()->cachedTokens, 0);
    QCOMPARE(t.divergences(), 0);
}

void TestStreamTranslator::answerOnly()
{
    StreamTranslator t;
    const Collected c = run(t, {delta(u"answer"_s, u"Hi"_s), delta(u"answer"_s, u" you"_s),
                                zaiEvent({{u"phase"_s, u"done"_s}, {u"done"_s, true}})});
    QCOMPARE(c.content, u"Hi you"_s);
    QVERIFY(c.reasoning.isEmpty());
    QCOMPARE(c.contentPieces, (QStringList{u"Hi"_s, u" you"_s}));
}

void TestStreamTranslator::everyDeltaBoundary()
{
    // One buffer with a thinking block, answer text, a server-side tool block and a '<' in the
    // answer, cut into two deltas at every position: the result never depends on the cut.
    const QString text =
        u"<details type=\"reasoning\" done=\"false\">\n<summary>Thinking…</summary>\n> a < b\n> \n> c</details>\nx < y and <glm_block view=\"\">{\"k\":1}</glm_block> z <det"_s;
    StreamTranslator whole;
    const Collected expected = run(whole, {delta(u"answer"_s, text)});
    QCOMPARE(expected.reasoning, u"a < b\n\nc"_s);
    QCOMPARE(expected.content, u"\nx < y and  z <det"_s);
    for (qsizetype cut = 1; cut < text.size(); ++cut) {
        StreamTranslator t;
        const Collected c =
            run(t, {delta(u"answer"_s, text.left(cut)), delta(u"answer"_s, text.mid(cut))});
        QCOMPARE(c.reasoning, expected.reasoning);
        QCOMPARE(c.content, expected.content);
        for (const QString &piece : c.contentPieces)
            QVERIFY2(!piece.contains(u"glm_block"_s) && !piece.contains(u"<details"_s),
                     qPrintable(piece));
    }
}

void TestStreamTranslator::thinkingBlockCutAnywhere()
{
    // A wrapped thinking block sent as thinking deltas cut at every position after its opening
    // tag, then an unwrapped thinking delta and the answer: whether a thinking delta belongs to
    // the block depends on the tags seen so far, also when a closing tag is split in two.
    const QString block =
        u"<details type=\"reasoning\" done=\"true\">\n> one\n> two\n</details>"_s;
    StreamTranslator whole;
    const Collected expected = run(whole, {delta(u"thinking"_s, block), delta(u"thinking"_s, u"plain"_s),
                                           delta(u"answer"_s, u"\nA"_s)});
    QCOMPARE(expected.reasoning, u"one\ntwo\n\nplain"_s); // in the order it came
    QCOMPARE(expected.content, u"\nA"_s); // "plain" is thinking, not answer text
    for (qsizetype cut = 8; cut < block.size(); ++cut) {
        StreamTranslator t;
        const Collected c = run(t, {delta(u"thinking"_s, block.left(cut)),
                                    delta(u"thinking"_s, block.mid(cut)),
                                    delta(u"thinking"_s, u"plain"_s), delta(u"answer"_s, u"\nA"_s)});
        QCOMPARE(c.reasoning, expected.reasoning);
        QCOMPARE(c.content, expected.content);
    }
}

void TestStreamTranslator::glmBlockNeverLeaks()
{
    StreamTranslator t;
    const QString block =
        u"<glm_block view=\"\" tool_call_name=\"draw_boxes\">{\"type\":\"mcp\",\"data\":{}}</glm_block>"_s;
    const Collected c = run(t, {delta(u"answer"_s, u"\n我将为您"_s),
                                delta(u"answer"_s, u"框出图片中人物的面"_s),
                                edit(u"tool_call"_s, 14, u"部区域。\n\n"_s + block),
                                edit(u"other"_s, 20 + 30, u"\"type\":\"mcp\",\"data\":{\"result\":1}}</glm_block>"_s),
                                delta(u"answer"_s, u"完成。"_s)});
    QCOMPARE(c.content, u"\n我将为您框出图片中人物的面部区域。\n\n完成。"_s);
}

void TestStreamTranslator::inStreamError()
{
    StreamTranslator t;
    const QByteArray e =
        R"({"type":"chat:completion","data":{"data":{"error":{"detail":"Your client version (unknown) is outdated.","code":426},"done":true},"error":{"detail":"Your client version (unknown) is outdated.","code":426},"done":true}})"_ba;
    const StreamTranslator::Step s = t.feed(e);
    QVERIFY(s.error);
    QCOMPARE(s.error->code, u"426"_s);
    QVERIFY(s.error->detail.contains(u"outdated"_s));
    QVERIFY(s.done);
}

void TestStreamTranslator::editIndexCountsCodePoints()
{
    // "😀" is one character upstream (two UTF-16 units here): index 2 is after "😀a".
    StreamTranslator t2;
    const Collected c2 = run(t2, {delta(u"answer"_s, u"😀a"_s), edit(u"answer"_s, 2, u"bc"_s)});
    QCOMPARE(c2.content, u"😀abc"_s);
}

void TestStreamTranslator::plainThinkingWithoutWrapper()
{
    StreamTranslator t;
    const Collected c = run(t, {delta(u"thinking"_s, u"Let me think."_s),
                                delta(u"answer"_s, u"Answer."_s)});
    QCOMPARE(c.reasoning, u"Let me think."_s);
    QCOMPARE(c.content, u"Answer."_s);
}

void TestStreamTranslator::secondReasoningBlock()
{
    StreamTranslator t;
    const Collected c = run(t, {delta(u"answer"_s,
                                      u"<details type=\"reasoning\" done=\"true\">\n> one\n</details>\nA"_s),
                                delta(u"thinking"_s,
                                      u"<details type=\"reasoning\" done=\"false\">\n> two"_s),
                                delta(u"thinking"_s, u"\n</details>\nB"_s)});
    QCOMPARE(c.reasoning, u"one\n\ntwo"_s);
    QCOMPARE(c.content, u"\nA\nB"_s);
}

void TestStreamTranslator::doneMarker()
{
    StreamTranslator t;
    t.feed(delta(u"answer"_s, u"x"_s));
    QVERIFY(t.feed("[DONE]"_ba).done);
}

void TestStreamTranslator::recordedCapture()
{
    QFile file(QStringLiteral(ZB_TEST_DATA_DIR "/zai-capture-glm-4.6v.sse"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> events;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty() && line.trimmed() != "{...}")
            events.append(line);
    }
    QVERIFY(events.size() > 5);
    StreamTranslator t;
    const Collected c = run(t, events);
    QVERIFY(c.done);
    QVERIFY(!c.error);
    QVERIFY2(c.content.contains(u"我将为您框出图片中人物的面"_s), qPrintable(c.content));
    QVERIFY2(c.content.contains(u"部区域。"_s), qPrintable(c.content));
    QVERIFY(!c.content.contains(u"glm_block"_s));
    QVERIFY(!c.content.contains(u"<details"_s));
    QVERIFY(c.reasoning.startsWith(u"用户要求我框出图片中"_s));
    QVERIFY(!c.reasoning.contains(u"\n> "_s));
    QVERIFY(!c.reasoning.contains(u"<summary"_s));
    QVERIFY(t.usage());
}

void TestStreamTranslator::shortcutsMatchFullDerivation()
{
    // Random streams of markup pieces, plain text, thinking with and without the wrapper, edits
    // and the content fallback field: the translator with its shortcuts hands out exactly the
    // steps of the one that derives everything from the whole buffer, event by event.
    static const QStringList pieces = {
        u"a"_s, u"bc d"_s, u"\n"_s, u"\n\n"_s, u"<"_s, u"<det"_s, u"ails>"_s,
        u"<details type=\"reasoning\" done=\"false\">"_s, u"\n> thought "_s, u"> more\n"_s,
        u"</details>"_s, u"</det"_s, u"ails>\n"_s, u"<summary>s</summary>"_s,
        u"<glm_block >{}</glm_block>"_s, u"<glm_bl"_s, u"x < y"_s, u"\u00e9\U0001F600"_s,
        u"\U0001F600"_s, u">"_s, u"> "_s, u"<details>"_s, u"tail"_s};
    static const QStringList phases = {u"answer"_s, u"thinking"_s, u"answer"_s, u"tool_call"_s,
                                       u"other"_s};
    QRandomGenerator rng(4242);
    int shortcutSteps = 0;
    for (int round = 0; round < 2000; ++round) {
        StreamTranslator fast;
        StreamTranslator reference(false);
        const int events = int(rng.bounded(1, 40));
        qsizetype length = 0;
        for (int i = 0; i <= events; ++i) {
            QByteArray event;
            const QString phase = phases.at(int(rng.bounded(phases.size())));
            const QString text = pieces.at(int(rng.bounded(pieces.size())));
            const quint32 kind = rng.bounded(20);
            if (i == events) {
                event = rng.bounded(2) ? "[DONE]"_ba : delta(u"done"_s, QString());
            } else if (kind == 0) {
                event = edit(phase, int(rng.bounded(int(length) + 2)), text);
            } else if (kind == 1) {
                event = zaiEvent({{u"phase"_s, u"answer"_s}, {u"content"_s, text}});
            } else {
                event = delta(phase, text);
            }
            length += text.size();
            const StreamTranslator::Step a = fast.feed(event);
            const StreamTranslator::Step b = reference.feed(event);
            QVERIFY2(a.reasoning == b.reasoning && a.content == b.content && a.done == b.done,
                     qPrintable(u"round %1 event %2: %3"_s.arg(round).arg(i).arg(
                         QString::fromUtf8(event))));
            shortcutSteps += !a.content.isEmpty() || !a.reasoning.isEmpty();
        }
        const StreamTranslator::Step a = fast.finish();
        const StreamTranslator::Step b = reference.finish();
        QCOMPARE(a.reasoning, b.reasoning);
        QCOMPARE(a.content, b.content);
        QCOMPARE(fast.emittedContent(), reference.emittedContent());
        QCOMPARE(fast.emittedReasoning(), reference.emittedReasoning());
        QCOMPARE(fast.divergences(), reference.divergences());
    }
    QVERIFY(shortcutSteps > 1000);
}

QTEST_GUILESS_MAIN(TestStreamTranslator)
#include "testStreamTranslator.moc"
