// SPDX-License-Identifier: MIT
#include "zai/ModelListing.h"
#include "zai/UpstreamProfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestModelListing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientNames_data();
    void clientNames();
    void entriesFromCapabilities();
    void unknownShapesTolerated();
    void notAListing_data();
    void notAListing();
    void mergeIntoCatalogue();
    void newBuiltInModels();

private:
    // One /api/models entry as zai-protocol.md 1.4 shows it.
    static QJsonObject entry(const QString &id, const QJsonValue &capabilities, bool hidden = false)
    {
        return QJsonObject{
            {u"id"_s, id},
            {u"name"_s, id},
            {u"owned_by"_s, u"openai"_s},
            {u"info"_s, QJsonObject{{u"id"_s, id},
                                    {u"meta"_s, QJsonObject{{u"capabilities"_s, capabilities},
                                                            {u"hidden"_s, hidden}}}}}};
    }
    static QByteArray listing(const QJsonArray &data)
    {
        return QJsonDocument(QJsonObject{{u"data"_s, data}}).toJson(QJsonDocument::Compact);
    }
    static const ModelEntry *find(const QList<ModelEntry> &entries, const QString &id)
    {
        for (const ModelEntry &e : entries) {
            if (e.id == id)
                return &e;
        }
        return nullptr;
    }
};

void TestModelListing::clientNames_data()
{
    QTest::addColumn<QString>("upstream");
    QTest::addColumn<QString>("client");
    QTest::newRow("glm-5.3") << u"glm-5.3"_s << u"GLM-5.3"_s;
    QTest::newRow("glm-5.3-flash") << u"glm-5.3-flash"_s << u"GLM-5.3-Flash"_s;
    QTest::newRow("GLM-5.1") << u"GLM-5.1"_s << u"GLM-5.1"_s;
    QTest::newRow("glm-5v-turbo") << u"glm-5v-turbo"_s << u"GLM-5v-Turbo"_s;
    QTest::newRow("glm-4.6v") << u"glm-4.6v"_s << u"GLM-4.6v"_s;
    QTest::newRow("glm-6-air-x") << u"glm-6-air-x"_s << u"GLM-6-Air-X"_s;
}

void TestModelListing::clientNames()
{
    QFETCH(QString, upstream);
    QFETCH(QString, client);
    QCOMPARE(ModelListing::clientName(upstream), client);
    QVERIFY(client.contains(u"GLM-"_s)); // Cline picks its GLM prompt by the substring
}

void TestModelListing::entriesFromCapabilities()
{
    const QJsonObject thinkSearch{{u"think"_s, true},
                                  {u"web_search"_s, true},
                                  {u"vision"_s, false},
                                  {u"mcp"_s, true},
                                  {u"agent_mode"_s, true}};
    const QJsonObject vision{{u"vision"_s, true}, {u"think"_s, true}, {u"web_search"_s, false}};
    QString error;
    const auto entries = ModelListing::parse(
        listing({entry(u"glm-5.3"_s, thinkSearch), entry(u"glm-5.3-flash"_s, vision),
                 entry(u"glm-hidden"_s, vision, true), entry(u"deep-research"_s, thinkSearch),
                 entry(u"0808-360B-DR"_s, thinkSearch)}),
        ModelListing::Defaults(), &error);
    QVERIFY2(entries, qPrintable(error));
    QStringList ids;
    for (const ModelEntry &e : *entries)
        ids.append(e.id);
    // Hidden models and ids without the glm prefix (Z.AI's agents) are not offered.
    QCOMPARE(ids, (QStringList{u"GLM-5.3"_s, u"GLM-5.3-Search"_s, u"GLM-5.3-Flash"_s}));
    const ModelEntry *glm53 = find(*entries, u"GLM-5.3"_s);
    QCOMPARE(glm53->upstreamId, u"glm-5.3"_s);
    QVERIFY(glm53->thinking && !glm53->vision && !glm53->search && !glm53->persisted);
    QVERIFY(glm53->previewMode);
    const ModelEntry *search = find(*entries, u"GLM-5.3-Search"_s);
    QCOMPARE(search->upstreamId, u"glm-5.3"_s);
    QVERIFY(search->search && search->thinking);
    const ModelEntry *flash = find(*entries, u"GLM-5.3-Flash"_s);
    QVERIFY(flash->vision && flash->thinking && !flash->search);
    QVERIFY(flash->images == ModelEntry::Images::Upload);

    // The profile's defaults apply to every listed entry.
    ModelListing::Defaults persisted;
    persisted.persisted = true;
    persisted.previewMode = false;
    const auto again =
        ModelListing::parse(listing({entry(u"glm-5.3"_s, thinkSearch)}), persisted, &error);
    QVERIFY(again && again->first().persisted && !again->first().previewMode);
    ModelListing::Defaults other;
    other.idPrefix = u"zero"_s;
    QVERIFY(!ModelListing::parse(listing({entry(u"glm-5.3"_s, thinkSearch)}), other, &error));
}

void TestModelListing::unknownShapesTolerated()
{
    QString error;
    QJsonArray data{
        entry(u"glm-a"_s, QJsonArray{u"vision"_s, u"think"_s}), // a list of names
        entry(u"glm-b"_s, QJsonObject{{u"vision"_s, 1}, {u"think"_s, u"true"_s}}),   // 1 and "true"
        entry(u"glm-c"_s, QJsonObject{{u"vision"_s, QJsonObject{{u"on"_s, true}}}}), // unknown
        entry(u"glm-d"_s, u"everything"_s),                                          // a string
        QJsonObject{{u"id"_s, u"glm-e"_s}},                            // no info at all
        QJsonObject{{u"id"_s, u"glm-off"_s}, {u"is_active"_s, false}}, // switched off
        QJsonObject{{u"name"_s, u"no id"_s}},
        u"not an object"_s,
        QJsonValue(42)};
    const auto entries = ModelListing::parse(listing(data), ModelListing::Defaults(), &error);
    QVERIFY2(entries, qPrintable(error));
    QStringList ids;
    for (const ModelEntry &e : *entries)
        ids.append(e.id);
    QCOMPARE(ids, (QStringList{u"GLM-A"_s, u"GLM-B"_s, u"GLM-C"_s, u"GLM-D"_s, u"GLM-E"_s}));
    QVERIFY(find(*entries, u"GLM-A"_s)->vision && find(*entries, u"GLM-A"_s)->thinking);
    QVERIFY(find(*entries, u"GLM-B"_s)->vision && find(*entries, u"GLM-B"_s)->thinking);
    for (const QString &id : {u"GLM-C"_s, u"GLM-D"_s, u"GLM-E"_s})
        QVERIFY(!find(*entries, id)->vision && !find(*entries, id)->thinking);
}

void TestModelListing::notAListing_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("html") << "<!doctypehtml><html>blocked</html>"_ba;
    QTest::newRow("error") << R"({"detail":"Not authenticated"})"_ba;
    QTest::newRow("data not a list") << R"({"data":{"id":"glm-5"}})"_ba;
    QTest::newRow("no model") << R"({"data":[]})"_ba;
    QTest::newRow("truncated") << R"({"data":[{"id":"glm-5.3","info":{"me)"_ba;
}

void TestModelListing::notAListing()
{
    // What is not a usable listing is an error, so the last good list stays.
    QFETCH(QByteArray, body);
    QString error;
    QVERIFY(!ModelListing::parse(body, ModelListing::Defaults(), &error));
    QVERIFY(!error.isEmpty());
}

void TestModelListing::mergeIntoCatalogue()
{
    const UpstreamProfile profile = UpstreamProfile::builtIn();
    QString error;
    const QJsonObject caps{{u"think"_s, true}, {u"web_search"_s, true}};
    const auto listed = ModelListing::parse(
        listing({entry(u"glm-4.7"_s, caps), entry(u"GLM-4-6-API-V1"_s, caps), // known upstream ids
                 entry(u"GLM-5.3"_s, caps), // known as glm-5.3: any case
                 entry(u"glm-9"_s, caps), entry(u"glm-9-air"_s, QJsonObject())}),
        ModelListing::Defaults(), &error);
    QVERIFY2(listed, qPrintable(error));
    const ModelCatalogue merged = profile.catalogue().withListed(*listed);
    const QList<ModelEntry> &builtIn = profile.catalogue().entries();
    QCOMPARE(merged.entries().size(), builtIn.size() + 3);
    for (qsizetype i = 0; i < builtIn.size(); ++i) // the built-in entries first, unchanged
        QCOMPARE(merged.entries().at(i).id, builtIn.at(i).id);
    QCOMPARE(merged.find(u"GLM-4.7"_s)->upstreamId, u"glm-4.7"_s);
    QVERIFY(merged.find(u"GLM-4.7"_s)->persisted); // the built-in entry wins
    QVERIFY(!merged.find(u"GLM-4-6-API-V1"_s));
    QCOMPARE(merged.find(u"glm-9"_s)->upstreamId, u"glm-9"_s);
    QVERIFY(merged.find(u"GLM-9-Search"_s)->search);
    QCOMPARE(merged.find(u"GLM-9-Air"_s)->upstreamId, u"glm-9-air"_s);

    // A client name the catalogue uses already (a rename, say) is not taken twice.
    ModelCatalogue renamed = profile.catalogue();
    renamed.applyRenames({{u"GLM_5_MODEL"_s, u"GLM-9"_s}});
    const ModelCatalogue withRename = renamed.withListed(*listed);
    QCOMPARE(withRename.find(u"GLM-9"_s)->upstreamId, u"glm-5"_s);
    QCOMPARE(withRename.entries().size(), builtIn.size() + 2);
}

void TestModelListing::newBuiltInModels()
{
    // The offline defaults of zai-protocol.md 10: GLM-5.1, GLM-5.2, GLM-5.3 and GLM-5.3-Flash.
    const UpstreamProfile profile = UpstreamProfile::builtIn();
    const ModelCatalogue &c = profile.catalogue();
    const QList<std::pair<QString, QString>> expected{{u"GLM-5.1"_s, u"GLM-5.1"_s},
                                                      {u"GLM-5.2"_s, u"GLM-5.2"_s},
                                                      {u"GLM-5.3"_s, u"glm-5.3"_s},
                                                      {u"GLM-5.3-Flash"_s, u"glm-5.3-flash"_s}};
    for (const auto &[id, upstream] : expected) {
        const ModelEntry *e = c.find(id);
        QVERIFY2(e, qPrintable(id));
        QCOMPARE(e->upstreamId, upstream);
        QVERIFY(e->thinking); // thinking cannot be turned off on 5.3
        QVERIFY(!e->renameEnv.isEmpty());
    }
    QVERIFY(c.find(u"GLM-5.3-Flash"_s)->vision);
    QVERIFY(!c.find(u"GLM-5.3"_s)->vision);
}

QTEST_GUILESS_MAIN(TestModelListing)
#include "testModelListing.moc"
