// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// Everything the bridge needs to run, as plain values with defaults. The GUI fills it from its
// settings store; the headless server from the environment (see ConfigLoader).
struct BridgeConfig
{
    // Server side
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8080;
    QString apiKey; // AUTH_TOKEN; a secret
    bool skipAuth = false;
    QStringList corsOrigins = {QStringLiteral("*")};
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    int keepAliveMs = 15000;
    bool debugLogging = false;

    // Upstream side
    QString endpoint;     // empty: the profile's endpoint
    QStringList tokens;   // ZAI_TOKEN; secrets
    QByteArray signingSecret; // decoded; empty: the profile's secret
    QString feVersion;    // fallback override (ZAI_FE_VERSION)
    int maxRetries = 3;
    int upstreamTimeoutMs = 120000;
    bool anonymous = true; // guest tokens when no token is configured
    int guestPoolSize = 0; // 0: the profile's default
    QUrl httpProxy;
    QUrl httpsProxy;
    QStringList noProxy;
    QString profilePath;
    // The installation's X-Device-Id (ZAI_DEVICE_ID, or kept in a file by the headless server and
    // in the settings by the tray app); not a secret. Empty: a new one for each upstream client.
    QString deviceId;
    // ZAI_CAPTCHA_COMMAND: the program (and its arguments, split like a shell would but run
    // without one) that prints a captcha verify parameter for the headless server (P.11).
    QString captchaCommand;
    // Images (OpenAI image_url parts)
    qint64 maxImageBytes = 20LL * 1024 * 1024; // per image, decoded (MAX_IMAGE_BYTES)
    int maxImages = 20;                        // per request, every turn counted (MAX_IMAGES)
    int imageFetchTimeoutMs = 30000;           // fetching one http(s) image (IMAGE_FETCH_TIMEOUT)
    QHash<QString, QString> modelRenames; // PRIMARY_MODEL=... and friends

    bool isLoopbackHost() const;
    // Whether requests must carry the API key. On loopback, no key configured or
    // SKIP_AUTH_TOKEN means open; elsewhere a key is always required (start-up refuses without).
    bool authRequired() const
    {
        return isLoopbackHost() ? !skipAuth && !apiKey.isEmpty() : true;
    }
};

// Reads the original project's environment variables, an optional .env file and command-line
// overrides into a BridgeConfig. Precedence: command line, then process environment, then .env.
class ConfigLoader
{
public:
    struct Result
    {
        std::optional<BridgeConfig> config;
        QString error;         // names the variable; set when config is empty
        QStringList warnings;  // accepted-but-noteworthy values (legacy endpoint, junjie, ...)
    };

    static Result load(const QProcessEnvironment &environment, const QString &envFilePath,
                       bool envFileRequired, const QHash<QString, QString> &overrides);

    // Parses a .env file: KEY=VALUE lines, optional `export`, quotes and # comments.
    static std::optional<QHash<QString, QString>> parseEnvFile(const QString &path,
                                                               QString *error);

    // Decodes ZAI_SIGNING_SECRET: an even-length all-hex string is hex, anything else UTF-8.
    static QByteArray decodeSigningSecret(const QString &configured);

    // Every variable the loader understands, for --help and the README.
    static QStringList knownVariables();

    // The device id kept in `path` (zai-protocol.md P.13): read when the file holds one, else a
    // new random UUID written there (the folder created) for every later start. When the file
    // cannot be written the new id serves this run and `warning` says why.
    static QString storedDeviceId(const QString &path, QString *warning);
    // Whether `id` can be sent as the X-Device-Id header: 1 to 128 printable ASCII characters.
    static bool isValidDeviceId(const QString &id);
};
