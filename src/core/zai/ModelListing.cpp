// SPDX-License-Identifier: MIT
#include "ModelListing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// A capability as listings write it: {"vision": true} (also 1 or "true"), or a list of names.
bool capability(const QJsonValue &capabilities, const QString &name)
{
    if (capabilities.isArray())
        return capabilities.toArray().contains(QJsonValue(name));
    const QJsonValue v = capabilities.toObject().value(name);
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isString())
        return v.toString().compare(u"true"_s, Qt::CaseInsensitive) == 0;
    return false;
}

} // namespace

QString ModelListing::clientName(const QString &upstreamId)
{
    QStringList parts = upstreamId.trimmed().split(u'-');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QString &part = parts[i];
        if (i == 0)
            part = part.toUpper();
        else if (!part.isEmpty())
            part[0] = part.at(0).toUpper();
    }
    return parts.join(u'-');
}

std::optional<QList<ModelEntry>> ModelListing::parse(const QByteArray &body,
                                                     const Defaults &defaults, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue data = doc.object().value(u"data"_s);
    if (parseError.error != QJsonParseError::NoError || !data.isArray()) {
        *error = u"the answer is not a model list (no \"data\" array)"_s;
        return std::nullopt;
    }
    QList<ModelEntry> entries;
    for (const QJsonValue &value : data.toArray()) {
        const QJsonObject model = value.toObject();
        const QString id = model.value(u"id"_s).toString().trimmed();
        const QJsonObject info = model.value(u"info"_s).toObject();
        const QJsonObject meta = info.value(u"meta"_s).toObject();
        if (id.isEmpty() || !id.startsWith(defaults.idPrefix, Qt::CaseInsensitive) ||
            meta.value(u"hidden"_s).toBool(false) || !model.value(u"is_active"_s).toBool(true) ||
            !info.value(u"is_active"_s).toBool(true))
            continue;
        const QJsonValue capabilities = meta.value(u"capabilities"_s);
        ModelEntry e;
        e.id = clientName(id);
        e.upstreamId = id;
        e.vision = capability(capabilities, u"vision"_s);
        e.thinking = capability(capabilities, u"think"_s);
        e.persisted = defaults.persisted;
        e.previewMode = defaults.previewMode;
        entries.append(e);
        if (capability(capabilities, u"web_search"_s)) {
            e.id += u"-Search"_s;
            e.search = true;
            entries.append(e);
        }
    }
    if (entries.isEmpty()) {
        *error = u"the model list names no model to offer"_s;
        return std::nullopt;
    }
    return entries;
}
