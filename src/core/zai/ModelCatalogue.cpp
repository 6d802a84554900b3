// SPDX-License-Identifier: MIT
#include "ModelCatalogue.h"

#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

std::optional<ModelCatalogue> ModelCatalogue::fromJson(const QJsonArray &models, QString *error)
{
    ModelCatalogue catalogue;
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QJsonObject o = models.at(i).toObject();
        ModelEntry e;
        e.id = o.value(u"id"_s).toString().trimmed();
        e.upstreamId = o.value(u"upstream"_s).toString().trimmed();
        if (e.id.isEmpty() || e.upstreamId.isEmpty()) {
            *error = u"models[%1] needs a non-empty \"id\" and \"upstream\""_s.arg(i);
            return std::nullopt;
        }
        if (catalogue.find(e.id)) {
            *error = u"models[%1]: the id \"%2\" appears twice"_s.arg(i).arg(e.id);
            return std::nullopt;
        }
        e.renameEnv = o.value(u"env"_s).toString();
        e.thinking = o.value(u"thinking"_s).toBool(false);
        e.search = o.value(u"search"_s).toBool(false);
        e.vision = o.value(u"vision"_s).toBool(false);
        e.persisted = o.value(u"persisted"_s).toBool(false);
        e.previewMode = o.value(u"previewMode"_s).toBool(true);
        const QString images = o.value(u"images"_s).toString(u"upload"_s);
        if (images == u"refuse") {
            e.images = ModelEntry::Images::Refuse;
        } else if (images != u"upload") {
            *error = u"models[%1]: \"images\" must be \"upload\" or \"refuse\""_s.arg(i);
            return std::nullopt;
        }
        for (const QJsonValue &server : o.value(u"mcpServers"_s).toArray())
            e.mcpServers.append(server.toString());
        catalogue.m_entries.append(e);
    }
    return catalogue;
}

void ModelCatalogue::applyRenames(const QHash<QString, QString> &envValues)
{
    for (ModelEntry &e : m_entries) {
        const QString renamed = envValues.value(e.renameEnv).trimmed();
        if (!e.renameEnv.isEmpty() && !renamed.isEmpty())
            e.id = renamed;
    }
}

ModelCatalogue ModelCatalogue::withListed(const QList<ModelEntry> &listed) const
{
    ModelCatalogue merged = *this;
    const auto known = [this](const QString &upstreamId) {
        return std::any_of(m_entries.cbegin(), m_entries.cend(), [&](const ModelEntry &e) {
            return e.upstreamId.compare(upstreamId, Qt::CaseInsensitive) == 0;
        });
    };
    for (const ModelEntry &e : listed) {
        if (!known(e.upstreamId) && !merged.find(e.id))
            merged.m_entries.append(e);
    }
    return merged;
}

const ModelEntry *ModelCatalogue::find(const QString &clientName) const
{
    for (const ModelEntry &e : m_entries) {
        if (e.id.compare(clientName, Qt::CaseInsensitive) == 0)
            return &e;
    }
    return nullptr;
}

QStringList ModelCatalogue::renameVariables() const
{
    QStringList names;
    for (const ModelEntry &e : m_entries) {
        if (!e.renameEnv.isEmpty())
            names.append(e.renameEnv);
    }
    return names;
}
