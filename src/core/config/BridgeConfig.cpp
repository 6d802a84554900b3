// SPDX-License-Identifier: MIT
#include "BridgeConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

bool BridgeConfig::isLoopbackHost() const
{
    if (listenHost.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(listenHost);
    return !address.isNull() && address.isLoopback();
}

namespace {

class Reader
{
public:
    Reader(const QHash<QString, QString> &values) : m_values(values) {}

    QString string(const QString &name, const QString &fallback = {}) const
    {
        return m_values.contains(name) ? m_values.value(name).trimmed() : fallback;
    }
    bool has(const QString &name) const
    {
        return m_values.contains(name) && !m_values.value(name).trimmed().isEmpty();
    }

    bool boolean(const QString &name, bool fallback, QString *error) const
    {
        if (!has(name))
            return fallback;
        const QString v = string(name).toLower();
        if (v == u"true" || v == u"1" || v == u"yes" || v == u"on")
            return true;
        if (v == u"false" || v == u"0" || v == u"no" || v == u"off")
            return false;
        *error = QCoreApplication::translate("ConfigLoader",
                                             "%1 must be true or false (got \"%2\").")
                     .arg(name, string(name));
        return fallback;
    }

    qint64 integer(const QString &name, qint64 fallback, qint64 min, qint64 max,
                   QString *error) const
    {
        if (!has(name))
            return fallback;
        bool ok = false;
        const qint64 v = string(name).toLongLong(&ok);
        if (!ok || v < min || v > max) {
            *error = QCoreApplication::translate(
                         "ConfigLoader", "%1 must be a whole number from %2 to %3 (got \"%4\").")
                         .arg(name)
                         .arg(min)
                         .arg(max)
                         .arg(string(name));
            return fallback;
        }
        return v;
    }

    // The value as an error message may show it: a password in "user:password@host" is masked.
    // The value is invalid, so its password may hold any character, '/' and '@' included: all
    // from the first ':' after the scheme to the last '@' goes (too much, rather than too little).
    static QString withoutPassword(const QString &value)
    {
        const qsizetype scheme = value.indexOf(u"://"_s);
        const qsizetype start = scheme < 0 ? 0 : scheme + 3;
        const qsizetype at = value.lastIndexOf(u'@');
        const qsizetype colon = value.indexOf(u':', start);
        if (at < start || colon < 0 || colon > at)
            return value;
        return value.left(colon + 1) + u"***"_s + value.mid(at);
    }

    QUrl url(const QString &name, const QStringList &schemes, QString *error) const
    {
        if (!has(name))
            return {};
        QString text = string(name);
        if (!text.contains(u"://"_s) && name.endsWith(u"PROXY"_s))
            text.prepend(u"http://"_s); // "127.0.0.1:7890" is how many people write a proxy
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme())) {
            *error = QCoreApplication::translate("ConfigLoader",
                                                 "%1 must be a URL starting with %2 (got \"%3\").")
                         .arg(name, schemes.join(u" or "_s + u""_s), withoutPassword(string(name)));
            return {};
        }
        return url;
    }

private:
    const QHash<QString, QString> &m_values;
};

QString firstOf(const QHash<QString, QString> &values, std::initializer_list<QString> names)
{
    for (const QString &name : names) {
        if (!values.value(name).trimmed().isEmpty())
            return values.value(name).trimmed();
    }
    return {};
}

} // namespace

QStringList ConfigLoader::knownVariables()
{
    return {u"API_ENDPOINT"_s,        u"ZAI_TOKEN"_s,         u"ZAI_SIGNING_SECRET"_s,
            u"ZAI_FE_VERSION"_s,      u"AUTH_TOKEN"_s,        u"SKIP_AUTH_TOKEN"_s,
            u"LISTEN_HOST"_s,         u"LISTEN_PORT"_s,       u"DEBUG_LOGGING"_s,
            u"MAX_RETRIES"_s,         u"HTTP_PROXY"_s,        u"HTTPS_PROXY"_s,
            u"NO_PROXY"_s,            u"ANONYMOUS_MODE"_s,    u"GUEST_POOL_SIZE"_s,
            u"CORS_ALLOWED_ORIGINS"_s, u"MAX_REQUEST_BODY_MB"_s, u"UPSTREAM_TIMEOUT"_s,
            u"SSE_KEEPALIVE_SECONDS"_s, u"UPSTREAM_PROFILE"_s, u"UVICORN_WORKERS"_s,
            u"MAX_IMAGE_BYTES"_s,     u"MAX_IMAGES"_s,        u"IMAGE_FETCH_TIMEOUT"_s,
            u"ZAI_DEVICE_ID"_s,       u"ZAI_CAPTCHA_COMMAND"_s,
            u"PRIMARY_MODEL"_s,       u"THINKING_MODEL"_s,    u"SEARCH_MODEL"_s,
            u"AIR_MODEL"_s,           u"GLM_45V_MODEL"_s,     u"GLM_46_MODEL"_s,
            u"GLM_46_THINKING_MODEL"_s, u"GLM_46_SEARCH_MODEL"_s, u"GLM_46V_MODEL"_s,
            u"GLM_47_MODEL"_s,        u"GLM_47_THINKING_MODEL"_s, u"GLM_47_SEARCH_MODEL"_s,
            u"GLM_5_MODEL"_s,         u"GLM_5_SEARCH_MODEL"_s, u"GLM_51_MODEL"_s,
            u"GLM_52_MODEL"_s,        u"GLM_53_MODEL"_s,      u"GLM_53_FLASH_MODEL"_s};
}

std::optional<QHash<QString, QString>> ConfigLoader::parseEnvFile(const QString &path,
                                                                  QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QCoreApplication::translate("ConfigLoader", "Cannot read %1: %2")
                     .arg(path, file.errorString());
        return std::nullopt;
    }
    QHash<QString, QString> values;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u"export "_s))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0) {
            *error = QCoreApplication::translate("ConfigLoader",
                                                 "%1:%2: expected KEY=VALUE, got \"%3\".")
                         .arg(path)
                         .arg(lineNumber)
                         .arg(line);
            return std::nullopt;
        }
        const QString key = line.left(eq).trimmed();
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'')
            && value.back() == value.front()) {
            const bool doubleQuoted = value.front() == u'"';
            value = value.mid(1, value.size() - 2);
            if (doubleQuoted)
                value.replace(u"\\n"_s, u"\n"_s).replace(u"\\\""_s, u"\""_s);
        } else {
            const qsizetype comment = value.indexOf(u" #"_s);
            if (comment >= 0)
                value = value.left(comment).trimmed();
        }
        values.insert(key, value);
    }
    return values;
}

ConfigLoader::Result ConfigLoader::load(const QProcessEnvironment &environment,
                                        const QString &envFilePath, bool envFileRequired,
                                        const QHash<QString, QString> &overrides)
{
    Result result;
    QHash<QString, QString> values;
    if (!envFilePath.isEmpty() && (envFileRequired || QFile::exists(envFilePath))) {
        auto fileValues = parseEnvFile(envFilePath, &result.error);
        if (!fileValues)
            return result;
        values = *fileValues;
    }
    for (const QString &key : environment.keys())
        values.insert(key, environment.value(key));
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        values.insert(it.key(), it.value());

    const Reader r(values);
    BridgeConfig c;
    QString error;
    const auto tr = [](const char *text) { return QCoreApplication::translate("ConfigLoader", text); };

    c.listenHost = r.string(u"LISTEN_HOST"_s, c.listenHost);
    if (c.listenHost.compare(u"localhost"_s, Qt::CaseInsensitive) != 0
        && QHostAddress(c.listenHost).isNull()) {
        result.error = tr("LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0 "
                          "(got \"%1\").")
                           .arg(c.listenHost);
        return result;
    }
    c.listenPort = quint16(r.integer(u"LISTEN_PORT"_s, c.listenPort, 0, 65535, &error));
    c.apiKey = r.string(u"AUTH_TOKEN"_s);
    c.skipAuth = r.boolean(u"SKIP_AUTH_TOKEN"_s, false, &error);
    c.debugLogging = r.boolean(u"DEBUG_LOGGING"_s, false, &error);
    c.maxRetries = int(r.integer(u"MAX_RETRIES"_s, c.maxRetries, 0, 10, &error));
    c.maxBodyBytes = r.integer(u"MAX_REQUEST_BODY_MB"_s, 32, 1, 4096, &error) * 1024 * 1024;
    c.upstreamTimeoutMs = int(r.integer(u"UPSTREAM_TIMEOUT"_s, 120, 5, 3600, &error) * 1000);
    c.keepAliveMs = int(r.integer(u"SSE_KEEPALIVE_SECONDS"_s, 15, 1, 300, &error) * 1000);
    c.anonymous = r.boolean(u"ANONYMOUS_MODE"_s, true, &error);
    c.guestPoolSize = int(r.integer(u"GUEST_POOL_SIZE"_s, 0, 0, 64, &error));
    c.maxImageBytes = r.integer(u"MAX_IMAGE_BYTES"_s, c.maxImageBytes, 1024,
                                1024LL * 1024 * 1024, &error);
    c.maxImages = int(r.integer(u"MAX_IMAGES"_s, c.maxImages, 1, 500, &error));
    c.imageFetchTimeoutMs =
        int(r.integer(u"IMAGE_FETCH_TIMEOUT"_s, c.imageFetchTimeoutMs / 1000, 1, 600, &error) * 1000);
    if (!error.isEmpty()) {
        result.error = error;
        return result;
    }
    if (r.has(u"CORS_ALLOWED_ORIGINS"_s)) {
        c.corsOrigins = r.string(u"CORS_ALLOWED_ORIGINS"_s).split(u',', Qt::SkipEmptyParts);
        for (QString &origin : c.corsOrigins)
            origin = origin.trimmed();
    }

    const QString tokens = r.string(u"ZAI_TOKEN"_s);
    for (const QString &token : tokens.split(u',', Qt::SkipEmptyParts)) {
        if (!token.trimmed().isEmpty())
            c.tokens.append(token.trimmed());
    }

    if (r.has(u"API_ENDPOINT"_s)) {
        const QUrl endpoint = r.url(u"API_ENDPOINT"_s, {u"http"_s, u"https"_s}, &error);
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
        QUrl mapped = endpoint;
        if (endpoint.path() == u"/api/chat/completions"_s) {
            mapped.setPath(u"/api/v2/chat/completions"_s);
            result.warnings.append(
                tr("API_ENDPOINT points at the legacy path /api/chat/completions; using "
                   "/api/v2/chat/completions instead (pin the legacy path in an upstream profile "
                   "if you really need it)."));
        }
        c.endpoint = mapped.toString();
    }

    if (r.has(u"ZAI_SIGNING_SECRET"_s)) {
        const QString secret = r.string(u"ZAI_SIGNING_SECRET"_s);
        if (secret == u"junjie") {
            result.warnings.append(
                tr("ZAI_SIGNING_SECRET=junjie is the original template's key, which Z.AI has "
                   "rejected since October 2025; using the built-in signing secret instead."));
        } else {
            c.signingSecret = ConfigLoader::decodeSigningSecret(secret);
        }
    }
    c.feVersion = r.string(u"ZAI_FE_VERSION"_s);
    if (!c.feVersion.isEmpty() && !c.feVersion.startsWith(u"prod-fe-"_s))
        c.feVersion.prepend(u"prod-fe-"_s);

    const QStringList proxySchemes{u"http"_s, u"https"_s, u"socks5"_s};
    const QString httpProxy = firstOf(values, {u"HTTP_PROXY"_s, u"http_proxy"_s});
    const QString httpsProxy = firstOf(values, {u"HTTPS_PROXY"_s, u"https_proxy"_s});
    QHash<QString, QString> proxyValues{{u"HTTP_PROXY"_s, httpProxy},
                                        {u"HTTPS_PROXY"_s, httpsProxy}};
    const Reader proxyReader(proxyValues);
    c.httpProxy = proxyReader.url(u"HTTP_PROXY"_s, proxySchemes, &error);
    c.httpsProxy = proxyReader.url(u"HTTPS_PROXY"_s, proxySchemes, &error);
    if (!error.isEmpty()) {
        result.error = error;
        return result;
    }
    for (const QString &entry :
         firstOf(values, {u"NO_PROXY"_s, u"no_proxy"_s}).split(u',', Qt::SkipEmptyParts))
        c.noProxy.append(entry.trimmed());

    c.deviceId = r.string(u"ZAI_DEVICE_ID"_s);
    if (!c.deviceId.isEmpty() && !isValidDeviceId(c.deviceId)) {
        result.error = tr("ZAI_DEVICE_ID must be 1 to 128 printable ASCII characters without "
                          "spaces, such as a UUID.");
        return result;
    }
    c.captchaCommand = r.string(u"ZAI_CAPTCHA_COMMAND"_s);
    c.profilePath = r.string(u"UPSTREAM_PROFILE"_s);
    for (const QString &name : knownVariables()) {
        if (name.endsWith(u"_MODEL"_s) && r.has(name))
            c.modelRenames.insert(name, r.string(name));
    }
    if (r.has(u"UVICORN_WORKERS"_s))
        result.warnings.append(tr("UVICORN_WORKERS is ignored: one event loop serves every "
                                  "request, so there are no worker processes to configure."));

    if (!c.isLoopbackHost()) {
        if (c.skipAuth)
            result.warnings.append(tr("SKIP_AUTH_TOKEN only applies on a loopback address; "
                                      "requests to %1 still need the API key.")
                                       .arg(c.listenHost));
        if (c.apiKey.isEmpty()) {
            result.error = tr("Refusing to listen on %1 without an API key: anyone on the network "
                              "could use your Z.AI account. Set AUTH_TOKEN, or listen on "
                              "127.0.0.1.")
                               .arg(c.listenHost);
            return result;
        }
    }
    result.config = c;
    return result;
}

bool ConfigLoader::isValidDeviceId(const QString &id)
{
    return !id.isEmpty() && id.size() <= 128
           && std::all_of(id.cbegin(), id.cend(), [](QChar c) { return c > u' ' && c < u'\x7f'; });
}

QString ConfigLoader::storedDeviceId(const QString &path, QString *warning)
{
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        const QString stored = QString::fromUtf8(file.read(1024)).trimmed();
        if (isValidDeviceId(stored))
            return stored;
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSaveFile out(path);
    const bool written = QDir().mkpath(QFileInfo(path).absolutePath())
                         && out.open(QIODevice::WriteOnly) && out.write(id.toUtf8() + '\n') > 0
                         && out.commit();
    if (!written && warning) {
        *warning = QCoreApplication::translate("ConfigLoader",
                                               "Cannot keep the device id in %1 (%2): a new one "
                                               "is used until the next start. Set ZAI_DEVICE_ID "
                                               "to keep one.")
                       .arg(path, out.errorString());
    }
    return id;
}

QByteArray ConfigLoader::decodeSigningSecret(const QString &configured)
{
    static const auto isHex = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    };
    if (!configured.isEmpty() && configured.size() % 2 == 0
        && std::all_of(configured.cbegin(), configured.cend(), isHex)) {
        return QByteArray::fromHex(configured.toLatin1());
    }
    return configured.toUtf8();
}
