// SPDX-License-Identifier: MIT
#include "zai/UpstreamProfile.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestUpstreamProfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtInCatalogue();
    void overrideFile();
    void badOverrideIsReported();
    void renames();
    void imageSettings();
    void deviceIdHeaders();
    void liveServiceSettings();
};

void TestUpstreamProfile::builtInCatalogue()
{
    const UpstreamProfile p = UpstreamProfile::builtIn();
    QCOMPARE(p.endpoint(), u"https://chat.z.ai/api/v2/chat/completions"_s);
    QCOMPARE(p.signingSecret(), "key-@@@@)))()((9))-xxxx&&&%%%%%"_ba);
    const QStringList expected{u"GLM-4.7"_s, u"GLM-4.7-Thinking"_s, u"GLM-4.6"_s,
                               u"GLM-4.6-Thinking"_s, u"GLM-4.5"_s, u"GLM-4.5-Thinking"_s,
                               u"GLM-4.5-Air"_s, u"GLM-4.5V"_s, u"GLM-4.6V"_s, u"GLM-5"_s,
                               u"GLM-4.5-Search"_s, u"GLM-4.7-Search"_s, u"GLM-5-Search"_s,
                               u"GLM-5.1"_s, u"GLM-5.2"_s, u"GLM-5.3"_s, u"GLM-5.3-Flash"_s};
    for (const QString &id : expected)
        QVERIFY2(p.catalogue().find(id), qPrintable(id));
    const ModelEntry *m = p.catalogue().find(u"glm-4.7-thinking"_s); // case-insensitive
    QVERIFY(m);
    QCOMPARE(m->upstreamId, u"glm-4.7"_s);
    QVERIFY(m->thinking && m->persisted);
    QCOMPARE(p.catalogue().find(u"GLM-4.6"_s)->upstreamId, u"GLM-4-6-API-V1"_s);
    QCOMPARE(p.catalogue().find(u"GLM-4.5-Air"_s)->upstreamId, u"0727-106B-API"_s);
    QVERIFY(p.catalogue().find(u"GLM-4.6V"_s)->vision);
    QVERIFY(p.catalogue().find(u"GLM-4.6V"_s)->persisted);
    QVERIFY(!p.catalogue().find(u"GLM-4.5"_s)->persisted);
    QVERIFY(p.catalogue().find(u"GLM-4.5-Search"_s)->search);
    for (const ModelEntry &e : p.catalogue().entries())
        QVERIFY2(e.id.contains(u"GLM-"_s), qPrintable(e.id)); // Cline matches glm-4.x / glm-5
}

void TestUpstreamProfile::overrideFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"profile.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"feVersionFallback":"prod-fe-9.9.9","paths":{"chatsNew":"/api/v3/chats/new"},
               "headers":{"X-Extra":"1"},
               "extraModels":[{"id":"GLM-4.7","upstream":"glm-4.7-new","persisted":true},
                              {"id":"GLM-9","upstream":"glm-9"}]})");
    f.close();
    QString error;
    const auto p = UpstreamProfile::load(path, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(p->feVersionFallback(), u"prod-fe-9.9.9"_s);
    QCOMPARE(p->path(u"chatsNew"_s), u"/api/v3/chats/new"_s);
    QCOMPARE(p->path(u"auths"_s), u"/api/v1/auths/"_s); // untouched keys survive the merge
    QCOMPARE(p->catalogue().find(u"GLM-4.7"_s)->upstreamId, u"glm-4.7-new"_s);
    QVERIFY(p->catalogue().find(u"GLM-9"_s));
    QVERIFY(p->catalogue().find(u"GLM-4.5"_s));
    bool extra = false;
    for (const auto &[name, value] : p->headers())
        extra = extra || (name == "X-Extra" && value == "1");
    QVERIFY(extra);
}

void TestUpstreamProfile::badOverrideIsReported()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!UpstreamProfile::load(dir.filePath(u"absent.json"_s), &error));
    QVERIFY(error.contains(u"absent.json"_s));
    const QString path = dir.filePath(u"bad.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"models":[{"id":"x"}]})");
    f.close();
    error.clear();
    QVERIFY(!UpstreamProfile::load(path, &error));
    QVERIFY2(error.contains(u"models[0]"_s), qPrintable(error));
}

void TestUpstreamProfile::renames()
{
    UpstreamProfile p = UpstreamProfile::builtIn();
    p.catalogue().applyRenames({{u"GLM_47_MODEL"_s, u"glm-4.7-custom"_s}, {u"PRIMARY_MODEL"_s, u"glm-4.5-main"_s}});
    QVERIFY(p.catalogue().find(u"glm-4.7-custom"_s));
    QVERIFY(!p.catalogue().find(u"GLM-4.7"_s));
    QCOMPARE(p.catalogue().find(u"glm-4.5-main"_s)->upstreamId, u"0727-360B-API"_s);
}

void TestUpstreamProfile::imageSettings()
{
    const UpstreamProfile p = UpstreamProfile::builtIn();
    for (const ModelEntry &e : p.catalogue().entries())
        QVERIFY2(e.images == ModelEntry::Images::Upload, qPrintable(e.id)); // every model takes images
    QCOMPARE(p.fileContentPath(u"abc"_s), u"/api/v1/files/abc/content"_s);
    QCOMPARE(p.imagePartUrl(u"abc"_s, u"x.png"_s), u"abc"_s); // the bare file id (1.3)
    QCOMPARE(p.imageCacheSeconds(), 3600);
    QCOMPARE(p.imageCacheEntries(), 256);

    QJsonObject json = p.json();
    json.insert(u"images"_s, QJsonObject{{u"partUrl"_s, u"{id}_{filename}"_s}});
    QJsonArray models = json.value(u"models"_s).toArray();
    models.append(QJsonObject{{u"id"_s, u"Text"_s}, {u"upstream"_s, u"t"_s}, {u"images"_s, u"refuse"_s}});
    json.insert(u"models"_s, models);
    QString error;
    const auto changed = UpstreamProfile::fromJson(json, &error);
    QVERIFY2(changed, qPrintable(error));
    QCOMPARE(changed->imagePartUrl(u"abc"_s, u"x.png"_s), u"abc_x.png"_s);
    QVERIFY(changed->catalogue().find(u"Text"_s)->images == ModelEntry::Images::Refuse);

    models.append(QJsonObject{{u"id"_s, u"Bad"_s}, {u"upstream"_s, u"b"_s}, {u"images"_s, u"maybe"_s}});
    json.insert(u"models"_s, models);
    QVERIFY(!UpstreamProfile::fromJson(json, &error));
    QVERIFY2(error.contains(u"\"images\""_s), qPrintable(error));
}

void TestUpstreamProfile::deviceIdHeaders()
{
    const auto header = [](const UpstreamProfile &p, const QByteArray &name) -> QByteArray {
        for (const auto &[key, value] : p.headers()) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return "(absent)";
    };
    UpstreamProfile p = UpstreamProfile::builtIn();
    QCOMPARE(header(p, "x-region"), "overseas"_ba);
    QCOMPARE(header(p, "X-Device-Id"), "(absent)"_ba); // never the bare placeholder
    p.setDeviceId(u"dev-1"_s);
    QCOMPARE(p.deviceId(), u"dev-1"_s);
    QCOMPARE(header(p, "X-Device-Id"), "dev-1"_ba);
    QCOMPARE(header(p, "x-region"), "overseas"_ba);
    p.setDeviceId(u"dev-2"_s);
    QCOMPARE(header(p, "X-Device-Id"), "dev-2"_ba);

    // The next header Z.AI asks for is a profile edit, and may carry the id too.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"profile.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"headers":{"X-Client-Fingerprint":"fp-{{DEVICE_ID}}","x-region":"cn"}})");
    f.close();
    QString error;
    auto changed = UpstreamProfile::load(path, &error);
    QVERIFY2(changed, qPrintable(error));
    changed->setDeviceId(u"dev-3"_s);
    QCOMPARE(header(*changed, "X-Client-Fingerprint"), "fp-dev-3"_ba);
    QCOMPARE(header(*changed, "x-region"), "cn"_ba);
    QCOMPARE(header(*changed, "X-Device-Id"), "dev-3"_ba);
}

void TestUpstreamProfile::liveServiceSettings()
{
    const UpstreamProfile p = UpstreamProfile::builtIn();
    QCOMPARE(p.messagesMode(), UpstreamProfile::MessagesMode::UserOnly);
    QCOMPARE(p.messageLabel(Message::Role::System), u"System:"_s);
    QCOMPARE(p.messageLabel(Message::Role::User), u"User:"_s);
    QCOMPARE(p.messageLabel(Message::Role::Assistant), u"Assistant:"_s);
    QCOMPARE(p.messageLabel(Message::Role::Tool), u"Tool results:"_s);
    for (const QString &label : {u"System:"_s, u"User:"_s, u"Assistant:"_s, u"Tool results:"_s})
        QVERIFY2(p.messagesPreamble().contains(label), qPrintable(label)); // it explains each
    QCOMPARE(p.modelsRefreshSeconds(), 1800);
    QCOMPARE(p.path(u"models"_s), u"/api/models"_s);
    QCOMPARE(p.listedModelsPrefix(), u"glm"_s);
    QVERIFY(!p.listedModelsPersisted());
    QVERIFY(p.listedModelsPreviewMode());

    QJsonObject json = p.json();
    json.insert(u"messages"_s, QJsonObject{{u"mode"_s, u"roles"_s}, {u"labels"_s, QJsonObject{{u"user"_s, u"Human:"_s}}}});
    json.insert(u"modelsRefreshSeconds"_s, 0);
    QString error;
    const auto changed = UpstreamProfile::fromJson(json, &error);
    QVERIFY2(changed, qPrintable(error));
    QCOMPARE(changed->messagesMode(), UpstreamProfile::MessagesMode::Roles);
    QCOMPARE(changed->messageLabel(Message::Role::User), u"Human:"_s);
    QCOMPARE(changed->messageLabel(Message::Role::System), u"System:"_s);
    QCOMPARE(changed->modelsRefreshSeconds(), 0);
}

QTEST_GUILESS_MAIN(TestUpstreamProfile)
#include "testUpstreamProfile.moc"
