// SPDX-License-Identifier: MIT
#pragma once

#include "conversation/Answer.h"
#include "conversation/ApiError.h"
#include "conversation/Conversation.h"
#include "zai/ModelCatalogue.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

// What one client dialect writes for the neutral answer events of one request (the signals of
// ChatSession): a stream of server-sent events, or one whole answer. The server carries the
// bytes and knows no format.
class AnswerWriter
{
public:
    virtual ~AnswerWriter() = default;

    // The client-facing model name, once the catalogue has resolved it.
    void setModel(const QString &model) { m_model = model; }
    // The client's stop sequence the answer ended at, once it has ended at one.
    void setStopSequence(const QString &stop) { m_stopSequence = stop; }

    // A stream: its first bytes, one event per neutral event, its last bytes.
    virtual QByteArray streamStart() = 0;
    virtual QByteArray delta(const QString &reasoning, const QString &content) = 0;
    virtual QByteArray toolCalls(const QList<ToolCall> &calls) = 0;
    virtual QByteArray streamEnd(FinishReason reason, const TokenUsage &usage) = 0;
    // A failure after the stream started: the event that ends it.
    virtual QByteArray streamError(const ApiError &error) = 0;
    // Keeps a silent stream alive; every client of the dialect ignores it.
    virtual QByteArray keepAlive() const = 0;

    // A whole answer (the client did not ask for a stream).
    virtual QByteArray answer(const CompletedAnswer &answer) = 0;

protected:
    QString m_model;
    QString m_stopSequence;
};

// One client wire format: its request body into the neutral conversation, and its error body.
class Dialect
{
public:
    virtual ~Dialect() = default;

    struct Request
    {
        Conversation conversation;
        std::unique_ptr<AnswerWriter> writer; // what the answer to this request is written with
    };
    // On failure returns std::nullopt and fills *error (in the dialect's words, naming the field).
    virtual std::optional<Request> parse(const QByteArray &body, ApiError *error) const = 0;

    virtual QByteArray errorBody(const ApiError &error) const = 0;
    virtual int errorStatus(const ApiError &error) const { return error.status(); }

    // The short name the request log and the access log show ("openai", "responses", "anthropic").
    virtual QString name() const = 0;
    // The catalogue's model for the name a client sent, or nullptr (404).
    virtual const ModelEntry *findModel(const ModelCatalogue &catalogue, const QString &model) const
    {
        return catalogue.find(model);
    }
};
