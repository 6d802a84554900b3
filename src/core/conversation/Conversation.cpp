// SPDX-License-Identifier: MIT
#include "Conversation.h"

#include <algorithm>

QString Message::text() const
{
    if (parts.size() == 1 && parts.first().type == ContentPart::Type::Text)
        return parts.first().text; // shared, not copied: the common case
    QStringList texts;
    for (const ContentPart &part : parts) {
        if (part.type == ContentPart::Type::Text)
            texts.append(part.text);
    }
    return texts.join(u'\n');
}

bool Message::hasImages() const
{
    return std::any_of(parts.cbegin(), parts.cend(), [](const ContentPart &p) {
        return p.type == ContentPart::Type::Image;
    });
}

QString Conversation::lastUserText() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == Message::Role::User)
            return it->text();
    }
    return {};
}

bool Conversation::hasTool(const QString &name) const
{
    return std::any_of(tools.cbegin(), tools.cend(), [&](const QJsonValue &tool) {
        return tool.toObject().value(QLatin1StringView("name")).toString() == name;
    });
}

bool Conversation::hasTurns() const
{
    return std::any_of(messages.cbegin(), messages.cend(),
                       [](const Message &m) { return m.role != Message::Role::System; });
}
