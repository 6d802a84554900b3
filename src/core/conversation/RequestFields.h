// SPDX-License-Identifier: MIT
#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

// The field checks every client dialect's request parser makes (JSON types, ranges, required
// fields), worded the same whichever dialect met them: the first failure wins and names the
// field it concerns (`param`, e.g. "messages[2].content").
namespace RequestFields {

// "a string", "an array", ...: what a value is, for error messages.
QString typeName(const QJsonValue &v);
// 'a', 'b', 'c'
QString quotedList(const QStringList &values);
bool isPresent(const QJsonValue &v); // neither missing nor null

// Records the first failure as a 400 invalid request.
class Validator
{
public:
    bool failed() const { return m_error.isError(); }
    const ApiError &error() const { return m_error; }

    void fail(const QString &param, const QString &message, const QString &code = {});
    void missing(const QString &param);
    void wrongType(const QString &param, const QString &expected, const QJsonValue &got);
    void badValue(const QString &param, const QString &value, const QStringList &supported);

private:
    ApiError m_error;
};

// Each reads o[key] (`param`, empty: key, is the name errors use); nothing when absent or null.
std::optional<bool> optionalBool(const QJsonObject &o, const QString &key, Validator &v,
                                 const QString &param = {});
std::optional<QString> optionalString(const QJsonObject &o, const QString &key, Validator &v,
                                      const QString &param);
// A field that must be there, as a non-empty string.
std::optional<QString> requiredString(const QJsonObject &o, const QString &key,
                                      const QString &param, Validator &v);
std::optional<double> optionalNumber(const QJsonObject &o, const QString &key, double min,
                                     double max, Validator &v);
std::optional<qint64> optionalInteger(const QJsonObject &o, const QString &key, qint64 min,
                                      qint64 max, Validator &v);
// A field that must be an object when present (its content is ignored).
void optionalObject(const QJsonObject &o, const QString &key, Validator &v);

// A field that must be there with a value of `type` (`expected` words it: "a string"); false
// after this or an earlier failure.
bool requiredOfType(const QJsonValue &value, const QString &field, QJsonValue::Type type,
                    const QString &expected, Validator &v);
// `model`: a non-empty string, trimmed (empty after a failure).
QString requiredModel(const QJsonObject &root, Validator &v);
// o[key] as a non-empty array (`messages`), or nothing after a failure.
std::optional<QJsonArray> requiredArray(const QJsonObject &o, const QString &key, Validator &v);
// The strings of `list` (field[i] in errors) appended to `out`, empty ones left out (stop
// sequences); false after a failure.
bool appendStrings(const QJsonArray &list, const QString &field, QStringList &out, Validator &v);
// A tool or schema name: letters, digits, '_', '-', '.' and ':', at most 128.
bool isName(const QString &name);
// A required tool name at `param` (a "function" or "tool", as `what` says); false after a failure.
bool checkName(const QJsonValue &name, const QString &param, const QString &what, Validator &v);

// An entry of a list of typed objects (content blocks, input items, tools): an object with a
// string `type`, one of `supported` unless that is empty. Its type, or empty after a failure.
QString entryType(const QJsonValue &entry, const QString &field, const QStringList &supported,
                  Validator &v);

// The arguments of a tool call in the history a client sends back (`param` names the field):
// they travel back to the model inside the tool protocol's history, so they must be the JSON
// object the call was made with, in a string (an empty string stands for no arguments, "{}").
// Returns that text, or nothing after a failure.
std::optional<QString> callArguments(const QJsonValue &arguments, const QString &param,
                                     Validator &v);

// `metadata`: at most 16 keys with string values, as OpenAI checks it.
void checkMetadata(const QJsonObject &root, Validator &v);

// The request body as a JSON object, or nothing with *error filled (bad JSON, not an object).
std::optional<QJsonObject> parseBody(const QByteArray &body, ApiError *error);

} // namespace RequestFields
