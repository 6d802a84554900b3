// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// One client-facing model and how it maps onto the upstream.
struct ModelEntry
{
    // What happens to image_url parts: uploaded to the files endpoint and referenced in the
    // completion (zai-protocol.md 1.3, every model by default), or refused with a 400.
    enum class Images { Upload, Refuse };

    QString id;            // client-facing name, e.g. "GLM-4.7-Thinking"
    QString upstreamId;    // upstream model id, e.g. "glm-4.7"
    QString renameEnv;     // environment variable that renames the client-facing id
    bool thinking = false; // enable_thinking default
    bool search = false;   // web_search default
    bool vision = false;
    bool persisted = false;  // needs POST /api/v1/chats/new before the completion
    bool previewMode = true; // features.preview_mode
    QStringList mcpServers;
    Images images = Images::Upload; // profile key "images": "upload" | "refuse"
};

// The data-driven model list (zai-protocol.md P.1 and P.8).
class ModelCatalogue
{
public:
    ModelCatalogue() = default;

    // Reads the "models" array of an upstream profile. Returns an error text on bad entries.
    static std::optional<ModelCatalogue> fromJson(const QJsonArray &models, QString *error);

    // Applies renames such as GLM_47_MODEL=my-glm (the original project's variables).
    void applyRenames(const QHash<QString, QString> &envValues);

    // This catalogue followed by the listed entries (ModelListing) of upstream models it does not
    // know: an upstream id an entry here has already, or a client name in use, is skipped.
    ModelCatalogue withListed(const QList<ModelEntry> &listed) const;

    // Case-insensitive: clients type "glm-4.7" as often as "GLM-4.7".
    const ModelEntry *find(const QString &clientName) const;
    const QList<ModelEntry> &entries() const { return m_entries; }
    QStringList renameVariables() const;

private:
    QList<ModelEntry> m_entries;
};
