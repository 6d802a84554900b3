// SPDX-License-Identifier: MIT
#include "dialects/openai_chat/OpenAiError.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class TestOpenAiError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusAndType_data();
    void statusAndType();
    void envelopeHasAllFourKeys();
};

void TestOpenAiError::statusAndType_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    using K = ApiError::Kind;
    QTest::newRow("invalid") << int(K::InvalidRequest) << 400 << u"invalid_request_error"_s;
    QTest::newRow("context") << int(K::ContextLengthExceeded) << 400 << u"invalid_request_error"_s;
    QTest::newRow("key") << int(K::InvalidApiKey) << 401 << u"invalid_request_error"_s;
    QTest::newRow("permission") << int(K::PermissionDenied) << 403 << u"permission_error"_s;
    QTest::newRow("not found") << int(K::NotFound) << 404 << u"invalid_request_error"_s;
    QTest::newRow("model") << int(K::ModelNotFound) << 404 << u"invalid_request_error"_s;
    QTest::newRow("method") << int(K::MethodNotAllowed) << 405 << u"invalid_request_error"_s;
    QTest::newRow("too large") << int(K::PayloadTooLarge) << 413 << u"invalid_request_error"_s;
    QTest::newRow("rate") << int(K::RateLimited) << 429 << u"rate_limit_error"_s;
    QTest::newRow("busy") << int(K::UpstreamBusy) << 429 << u"rate_limit_error"_s;
    QTest::newRow("internal") << int(K::Internal) << 500 << u"server_error"_s;
    QTest::newRow("upstream") << int(K::UpstreamError) << 502 << u"upstream_error"_s;
    QTest::newRow("unavailable") << int(K::UpstreamUnavailable) << 503 << u"upstream_error"_s;
    QTest::newRow("timeout") << int(K::UpstreamTimeout) << 504 << u"upstream_error"_s;
    QTest::newRow("rejected") << int(K::UpstreamRejected) << 403 << u"upstream_error"_s;
}

void TestOpenAiError::statusAndType()
{
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QString, type);
    const ApiError e(ApiError::Kind(kind), u"m"_s);
    QCOMPARE(e.status(), status);
    QCOMPARE(OpenAiError::type(e), type);
}

void TestOpenAiError::envelopeHasAllFourKeys()
{
    const QJsonObject o = QJsonDocument::fromJson(
                              OpenAiError::body(ApiError(ApiError::Kind::ModelNotFound,
                                                         u"no such model"_s, u"model"_s)))
                              .object()
                              .value(u"error"_s)
                              .toObject();
    QCOMPARE(o.value(u"message"_s).toString(), u"no such model"_s);
    QCOMPARE(o.value(u"type"_s).toString(), u"invalid_request_error"_s);
    QCOMPARE(o.value(u"param"_s).toString(), u"model"_s);
    QCOMPARE(o.value(u"code"_s).toString(), u"model_not_found"_s);
    const QJsonObject plain =
        OpenAiError::json(ApiError::invalidRequest(u"x"_s)).value(u"error"_s).toObject();
    QVERIFY(plain.contains(u"param"_s) && plain.value(u"param"_s).isNull());
    QVERIFY(plain.contains(u"code"_s) && plain.value(u"code"_s).isNull());
}

QTEST_GUILESS_MAIN(TestOpenAiError)
#include "testOpenAiError.moc"
