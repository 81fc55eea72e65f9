#pragma once

#include "server/http/HttpServer.h"
#include "server/limits/ClientAddress.h"
#include "server/limits/RateLimiter.h"

#include "engine/AccountDatabase.h"
#include "engine/Config.h"

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

namespace waotp::server {

/// The settings of waotp-server itself. Twilio, the code store and the policy come from the
/// app's configuration (loadConfig()); these come from the same places, under their own names
/// (ServerSettings.cpp has the table: environment name, INI key, default, meaning).
struct ServerSettings
{
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost); ///< WAOTP_LISTEN
    quint16 listenPort = 8470;
    QUrl publicUrl; ///< WAOTP_PUBLIC_URL; empty: http://HOST:PORT of the listen address
    QString dataDir; ///< WAOTP_DATA_DIR, absolute
    QString signingKeyDir; ///< WAOTP_SIGNING_KEY_DIR, absolute; default <data-dir>/keys
    /// WAOTP_DATABASE: a PostgreSQL database, its passwordFile WAOTP_DATABASE_PASSWORD_FILE;
    /// unset (SQLite without a path): the default, see accountDatabase().
    AccountDatabaseLocation database;
    /// WAOTP_DATABASE_TIMEOUT: how long a request waits for the account database (its wait in
    /// the queue included) before it gets 503 database_unavailable; /readyz's wait; on
    /// PostgreSQL the connection's connect_timeout and (a little longer) statement_timeout.
    std::chrono::milliseconds databaseTimeout {5000};
    /// WAOTP_DATABASE_QUEUE_LIMIT: requests waiting for the account database at once; more get
    /// 503 database_unavailable at once.
    int databaseQueueLimit = 1000;
    QString tokenAudience = QStringLiteral("waotp"); ///< WAOTP_TOKEN_AUDIENCE
    std::chrono::seconds tokenLifetime {300}; ///< WAOTP_TOKEN_LIFETIME, at most an hour
    /// WAOTP_MAX_BODY_SIZE ... WAOTP_MAX_CONNECTIONS_PER_CLIENT (its uncappedClients are
    /// trustedProxies).
    HttpServerLimits http;
    /// WAOTP_SENDS_PER_IP: creates and resends per client address (IPv6: per /64).
    RateLimit sendsPerIp {30, std::chrono::minutes(5)};
    /// WAOTP_CHECKS_PER_IP: code checks per client address.
    RateLimit checksPerIp {360, std::chrono::hours(1)};
    /// WAOTP_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client.
    QList<Subnet> trustedProxies;
    /// WAOTP_ALLOWED_COUNTRIES: the regions codes may be sent to; empty: the default region
    /// (WAOTP_DEFAULT_COUNTRY) only.
    QStringList allowedCountries;
    bool allCountries = false; ///< WAOTP_ALLOWED_COUNTRIES=*
    /// WAOTP_REGISTRATION_HINTS: answer no_account / account_exists when the flow refuses the
    /// number, instead of a silent send that answers like a real one.
    bool registrationHints = false;
    /// WAOTP_MAX_SENDS_PER_MINUTE, WAOTP_MAX_SENDS_PER_DAY: the server's own send budget (every
    /// client together); 0: none.
    int maxSendsPerMinute = 60;
    int maxSendsPerDay = 10000;
    /// WAOTP_MAX_SENDS_PER_SECOND: messages handed to the provider per second, all instances
    /// sharing a Redis store together; 0: no send-rate governor.
    int maxSendsPerSecond = 0;
    /// WAOTP_SEND_QUEUE_LIMIT: sends waiting for the rate at once, per instance.
    int sendQueueLimit = 1000;
    /// WAOTP_ALLOWED_ORIGINS: browser origins that may call the API (CORS), normalised.
    QList<QByteArray> allowedOrigins;
    /// WAOTP_METRICS_ALLOW: besides loopback, who may read /metrics.
    QList<Subnet> metricsAllow;
    bool accessLog = true; ///< WAOTP_ACCESS_LOG

    /// The "iss" of tokens: the public URL, else http://HOST:PORT of the listen address.
    QString issuer() const;
    /// Where the accounts are: database, else SQLite in <data-dir>/accounts.sqlite.
    AccountDatabaseLocation accountDatabase() const;
};

/// Where the server's settings come from: command-line overrides keyed by environment name,
/// the environment, and the INI file that loadConfig() considered.
struct ServerSettingsSource
{
    QHash<QString, QString> overrides;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString filePath; ///< ConfigResult::filePath
    bool fileUsable = false; ///< ConfigResult::fileRead (loadConfig() may refuse the file)
};

/// The outcome of loadServerSettings(); with errors, the server must not start.
struct ServerSettingsResult
{
    ServerSettings settings;
    QStringList errors;
    QHash<QString, QString> sources; ///< "command line", "environment", "file" or "default"
    bool ok() const { return errors.isEmpty(); }
};

/// Every server setting's environment name, in display order.
QStringList serverSettingKeys();
/// The INI key of @p envName ("server/listen"); empty for an unknown name.
QString serverIniKeyFor(QStringView envName);
/// The default of @p envName, as text ("127.0.0.1:8470").
QString serverSettingDefault(QStringView envName);

/// Every server setting with its INI key, default and meaning, for --help.
QString serverSettingsHelp();

/// Reads and validates the server's settings. Never throws; problems are in errors, worded for
/// a person.
ServerSettingsResult loadServerSettings(const ServerSettingsSource &source);

/// The report of `waotp-server --check-config` for the server's own settings.
QString describeServerSettings(const ServerSettingsResult &result);

/// @p warnings of loadConfig() without its "unknown setting" warnings about the server's own
/// keys in @p filePath (the app's loader does not know them).
QStringList withoutServerKeyWarnings(const QStringList &warnings, const QString &filePath);

/// "HOST:PORT" or "[IPv6]:PORT", HOST an IP address or "localhost"; std::nullopt if it is not
/// one.
std::optional<std::pair<QHostAddress, quint16>> parseListenAddress(QStringView text);

} // namespace waotp::server
