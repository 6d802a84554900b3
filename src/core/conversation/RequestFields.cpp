// SPDX-License-Identifier: MIT
#include "RequestFields.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace RequestFields {

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

QString quotedList(const QStringList &values)
{
    QStringList quoted;
    for (const QString &value : values)
        quoted.append(u'\'' + value + u'\'');
    return quoted.join(u", "_s);
}

bool isPresent(const QJsonValue &v)
{
    return !v.isUndefined() && !v.isNull();
}

void Validator::fail(const QString &param, const QString &message, const QString &code)
{
    if (!failed())
        m_error = ApiError::invalidRequest(message, param, code);
}

void Validator::missing(const QString &param)
{
    fail(param, u"Missing required parameter: '%1'."_s.arg(param), u"missing_required_parameter"_s);
}

void Validator::wrongType(const QString &param, const QString &expected, const QJsonValue &got)
{
    fail(param,
         u"Invalid type for '%1': expected %2, but got %3 instead."_s.arg(param, expected,
                                                                         typeName(got)),
         u"invalid_type"_s);
}

void Validator::badValue(const QString &param, const QString &value, const QStringList &supported)
{
    fail(param,
         u"Invalid value for '%1': '%2'. Supported values are: %3."_s.arg(param, value,
                                                                         quotedList(supported)),
         u"invalid_value"_s);
}

std::optional<bool> optionalBool(const QJsonObject &o, const QString &key, Validator &v,
                                 const QString &param)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    if (!value.isBool()) {
        v.wrongType(param.isEmpty() ? key : param, u"a boolean"_s, value);
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<QString> optionalString(const QJsonObject &o, const QString &key, Validator &v,
                                      const QString &param)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    if (!value.isString()) {
        v.wrongType(param, u"a string"_s, value);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QString> requiredString(const QJsonObject &o, const QString &key,
                                      const QString &param, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value)) {
        v.missing(param);
        return std::nullopt;
    }
    if (!value.isString() || value.toString().isEmpty()) {
        v.wrongType(param, u"a non-empty string"_s, value);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<double> optionalNumber(const QJsonObject &o, const QString &key, double min,
                                     double max, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    if (!value.isDouble()) {
        v.wrongType(key, u"a number"_s, value);
        return std::nullopt;
    }
    const double d = value.toDouble();
    if (!std::isfinite(d) || d < min || d > max) {
        v.fail(key, u"Invalid '%1': %2 is not between %3 and %4."_s.arg(key).arg(d).arg(min).arg(max),
               u"invalid_value"_s);
        return std::nullopt;
    }
    return d;
}

std::optional<qint64> optionalInteger(const QJsonObject &o, const QString &key, qint64 min,
                                      qint64 max, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value))
        return std::nullopt;
    const double d = value.toDouble();
    if (!value.isDouble() || d != std::floor(d)) {
        v.wrongType(key, u"an integer"_s, value);
        return std::nullopt;
    }
    if (d < double(min) || d > double(max)) {
        // d may lie beyond qint64 (1e30): converting it would be undefined behaviour
        const QString shown = std::abs(d) < 9e15 ? QString::number(qint64(d))
                                                 : QString::number(d, 'g', QLocale::FloatingPointShortest);
        v.fail(key, u"Invalid '%1': %2 is not between %3 and %4."_s.arg(key, shown).arg(min).arg(max),
               u"invalid_value"_s);
        return std::nullopt;
    }
    return qint64(d);
}

void optionalObject(const QJsonObject &o, const QString &key, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (isPresent(value) && !value.isObject())
        v.wrongType(key, u"an object"_s, value);
}

QString requiredModel(const QJsonObject &root, Validator &v)
{
    const QJsonValue model = root.value(u"model"_s);
    if (!isPresent(model))
        v.missing(u"model"_s);
    else if (!model.isString() || model.toString().trimmed().isEmpty())
        v.wrongType(u"model"_s, u"a non-empty string"_s, model);
    return model.toString().trimmed();
}

bool requiredOfType(const QJsonValue &value, const QString &field, QJsonValue::Type type,
                    const QString &expected, Validator &v)
{
    if (v.failed())
        return false;
    if (!isPresent(value))
        v.missing(field);
    else if (value.type() != type)
        v.wrongType(field, expected, value);
    return !v.failed();
}

std::optional<QJsonArray> requiredArray(const QJsonObject &o, const QString &key, Validator &v)
{
    const QJsonValue value = o.value(key);
    if (!isPresent(value)) {
        v.missing(key);
        return std::nullopt;
    }
    if (!value.isArray()) {
        v.wrongType(key, u"an array"_s, value);
        return std::nullopt;
    }
    if (value.toArray().isEmpty()) {
        v.fail(key,
               u"Invalid '%1': empty array. Expected an array with minimum length 1, but got an "
               u"empty array instead."_s.arg(key),
               u"empty_array"_s);
        return std::nullopt;
    }
    return value.toArray();
}

bool appendStrings(const QJsonArray &list, const QString &field, QStringList &out, Validator &v)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isString()) {
            v.wrongType(u"%1[%2]"_s.arg(field).arg(i), u"a string"_s, list.at(i));
            return false;
        }
        if (!list.at(i).toString().isEmpty())
            out.append(list.at(i).toString());
    }
    return true;
}

bool isName(const QString &name)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_.:-]{1,128}$"_s);
    return pattern.match(name).hasMatch();
}

bool checkName(const QJsonValue &name, const QString &param, const QString &what, Validator &v)
{
    if (!isPresent(name)) {
        v.missing(param);
        return false;
    }
    if (!name.isString() || !isName(name.toString())) {
        v.fail(param,
               u"Invalid '%1': '%2' is not a %3 name (letters, digits, '_', '-', '.' and ':', at "
               u"most 128)."_s.arg(param, name.isString() ? name.toString() : typeName(name), what),
               u"invalid_value"_s);
        return false;
    }
    return true;
}

QString entryType(const QJsonValue &entry, const QString &field, const QStringList &supported,
                  Validator &v)
{
    if (v.failed())
        return {};
    if (!entry.isObject()) {
        v.wrongType(field, u"an object"_s, entry);
        return {};
    }
    const QJsonValue type = entry.toObject().value(u"type"_s);
    if (!isPresent(type))
        v.missing(field + u".type"_s);
    else if (!type.isString() && supported.isEmpty())
        v.wrongType(field + u".type"_s, u"a string"_s, type);
    else if (!type.isString() || (!supported.isEmpty() && !supported.contains(type.toString())))
        v.badValue(field + u".type"_s, type.isString() ? type.toString() : typeName(type),
                   supported);
    return v.failed() ? QString() : type.toString();
}

std::optional<QString> callArguments(const QJsonValue &arguments, const QString &param,
                                     Validator &v)
{
    QString text = arguments.toString();
    if (text.trimmed().isEmpty())
        text = u"{}"_s;
    QJsonParseError parseError;
    const QJsonDocument parsed = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !parsed.isObject()) {
        v.fail(param,
               u"Invalid '%1': the arguments of a tool call must be a JSON object in a string "
               u"(%2)."_s.arg(param,
                              parseError.error != QJsonParseError::NoError
                                  ? parseError.errorString()
                                  : u"got %1"_s.arg(parsed.isArray() ? u"an array"_s
                                                                     : u"a scalar"_s)),
               u"invalid_value"_s);
        return std::nullopt;
    }
    return text;
}

void checkMetadata(const QJsonObject &root, Validator &v)
{
    const QJsonValue metadata = root.value(u"metadata"_s);
    if (isPresent(metadata)) {
        if (!metadata.isObject()) {
            v.wrongType(u"metadata"_s, u"an object"_s, metadata);
        } else {
            const QJsonObject pairs = metadata.toObject();
            if (pairs.size() > 16)
                v.fail(u"metadata"_s, u"Invalid 'metadata': at most 16 keys are allowed."_s,
                       u"invalid_value"_s);
            for (auto it = pairs.constBegin(); it != pairs.constEnd() && !v.failed(); ++it) {
                if (!it.value().isString())
                    v.wrongType(u"metadata."_s + it.key(), u"a string"_s, it.value());
            }
        }
    }
}

std::optional<QJsonObject> parseBody(const QByteArray &body, ApiError *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = ApiError::invalidRequest(
            u"The request body is not valid JSON: %1 at offset %2."_s.arg(parseError.errorString())
                .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = ApiError::invalidRequest(u"The request body must be a JSON object."_s);
        return std::nullopt;
    }
    return doc.object();
}

} // namespace RequestFields
