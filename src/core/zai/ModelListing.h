// SPDX-License-Identifier: MIT
#pragma once

#include "ModelCatalogue.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// The upstream's own model list (GET /api/models, zai-protocol.md 1.4 and P.14) read into
// catalogue entries, so that a model Z.AI ships is usable before the built-in catalogue knows it.
class ModelListing
{
public:
    struct Defaults
    {
        QString idPrefix = QStringLiteral("glm"); // only models whose id starts with it (any case)
        bool persisted = false;
        bool previewMode = true;
    };

    // The entries of a listing: one per listed model (hidden and inactive ones left out) under
    // clientName(), with vision and thinking from info.meta.capabilities, plus a "-Search"
    // variant when the model lists web search. Capabilities of unknown shape count as absent.
    // Empty with `error` set when the body is no listing or lists no model.
    static std::optional<QList<ModelEntry>> parse(const QByteArray &body, const Defaults &defaults,
                                                  QString *error);

    // The catalogue's style for an upstream id: "glm-5.3" -> "GLM-5.3", "glm-5.3-flash" ->
    // "GLM-5.3-Flash" (the first part in capitals, every later one starting with a capital).
    static QString clientName(const QString &upstreamId);
};
