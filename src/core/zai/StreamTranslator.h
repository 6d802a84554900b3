// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Answer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

struct UpstreamEvent;

struct UpstreamStreamError
{
    QString code;   // "426", "INTERNAL_ERROR", ...
    QString detail; // upstream text
    // The captcha gate's fields (zai-protocol.md section 10): "missing_param" or "verify_failed",
    // FRONTEND_CAPTCHA_REQUIRED, and Aliyun's F018 / F019.
    QString captchaType;
    QString errorCode;
    QString verifyCode;
};

// Turns Z.AI stream events into OpenAI deltas (zai-protocol.md section 6 and P.7).
//
// Z.AI streams one Markdown message buffer: `delta_content` appends, `edit_index`/`edit_content`
// truncates at a character offset and appends. Thinking lives in a `<details type="reasoning">`
// block quoted with "> "; server-side tools add `<glm_block>` markup; answer text can even arrive
// inside a `tool_call` edit. So the translator applies every event to the buffer, derives the
// visible reasoning and answer from the whole buffer, and emits only what grew.
class StreamTranslator
{
public:
    struct Step
    {
        QString reasoning; // new reasoning text
        QString content;   // new answer text
        bool done = false;
        std::optional<UpstreamStreamError> error;
    };

    // shortcuts: plain text appended at the end of a settled buffer is passed on as it is,
    // without deriving the texts again; false always derives them from the whole buffer (the
    // reference the tests compare the shortcuts with).
    explicit StreamTranslator(bool shortcuts = true) : m_shortcuts(shortcuts) {}

    Step feed(QByteArrayView eventData);
    Step feed(const QJsonObject &event);
    // End of the upstream stream: releases text held back at a possible tag boundary.
    Step finish();

    const std::optional<TokenUsage> &usage() const { return m_usage; }
    const QString &emittedContent() const { return m_emittedContent; }
    const QString &emittedReasoning() const { return m_emittedReasoning; }
    bool sawDone() const { return m_done; }
    int divergences() const { return m_divergences; }

private:
    struct Derived
    {
        QString reasoning;
        QString content;
    };
    Derived derive(bool final);
    Step emitGrowth(bool final);
    void applyEdit(qint64 codePointIndex, const QString &text);
    Step apply(const UpstreamEvent &event);
    bool settled() const;

    bool m_shortcuts = true;
    QString m_buffer;
    bool m_bufferHasSurrogates = false;
    qsizetype m_lastDetailsOpen = -1;  // where the last "<details" of m_buffer starts
    qsizetype m_lastDetailsClose = -1; // where the last "</details>" of m_buffer starts
    QString m_plainReasoning;      // thinking deltas without the <details> wrapper, before any block
    QString m_plainReasoningAfter; // the same once a block was there

    // Parse checkpoint: m_buffer[0, m_cpPos) is final and yields these derived texts.
    qsizetype m_cpPos = 0;
    QString m_cpReasoning;
    QString m_cpContent;
    int m_cpBlocks = 0;

    QString m_emittedReasoning;
    QString m_emittedContent;
    std::optional<TokenUsage> m_usage;
    bool m_done = false;
    int m_divergences = 0;
};
