// SPDX-License-Identifier: MIT
#include "dialects/anthropic_messages/AnthropicError.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class TestAnthropicError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusAndType_data();
    void statusAndType();
    void envelope();
};

void TestAnthropicError::statusAndType_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    using K = ApiError::Kind;
    QTest::newRow("invalid") << int(K::InvalidRequest) << 400 << u"invalid_request_error"_s;
    QTest::newRow("context") << int(K::ContextLengthExceeded) << 400 << u"invalid_request_error"_s;
    QTest::newRow("key") << int(K::InvalidApiKey) << 401 << u"authentication_error"_s;
    QTest::newRow("permission") << int(K::PermissionDenied) << 403 << u"permission_error"_s;
    QTest::newRow("not found") << int(K::NotFound) << 404 << u"not_found_error"_s;
    QTest::newRow("model") << int(K::ModelNotFound) << 404 << u"not_found_error"_s;
    QTest::newRow("method") << int(K::MethodNotAllowed) << 405 << u"invalid_request_error"_s;
    QTest::newRow("too large") << int(K::PayloadTooLarge) << 413 << u"request_too_large"_s;
    QTest::newRow("rate") << int(K::RateLimited) << 429 << u"rate_limit_error"_s;
    QTest::newRow("busy") << int(K::UpstreamBusy) << 529 << u"overloaded_error"_s;
    QTest::newRow("internal") << int(K::Internal) << 500 << u"api_error"_s;
    QTest::newRow("upstream") << int(K::UpstreamError) << 502 << u"api_error"_s;
    QTest::newRow("unavailable") << int(K::UpstreamUnavailable) << 529 << u"overloaded_error"_s;
    QTest::newRow("timeout") << int(K::UpstreamTimeout) << 504 << u"timeout_error"_s;
    QTest::newRow("rejected") << int(K::UpstreamRejected) << 403 << u"permission_error"_s;
}

void TestAnthropicError::statusAndType()
{
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QString, type);
    const ApiError error(ApiError::Kind(kind), u"m"_s);
    QCOMPARE(AnthropicError::status(error), status);
    QCOMPARE(AnthropicError::type(error), type);
}

void TestAnthropicError::envelope()
{
    const ApiError error = ApiError::invalidRequest(u"max_tokens: Field required"_s, u"max_tokens"_s);
    QCOMPARE(AnthropicError::body(error),
             QByteArray(R"({"error":{"message":"max_tokens: Field required","type":"invalid_request_error"},"type":"error"})"));
}

QTEST_GUILESS_MAIN(TestAnthropicError)
#include "testAnthropicError.moc"
