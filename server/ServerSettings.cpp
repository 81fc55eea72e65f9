#include "server/ServerSettings.h"

#include "server/api/Cors.h"

#include "engine/ConfigFile.h"
#include "engine/PhoneNumber.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <array>

namespace waotp::server {

namespace {

using namespace std::chrono_literals;

const QString SourceCommandLine = QStringLiteral("command line");
const QString SourceEnvironment = QStringLiteral("environment");
const QString SourceFile = QStringLiteral("file");
const QString SourceDefault = QStringLiteral("default");

class Reader;
using Apply = void (*)(Reader &, const QString &text, ServerSettings &);
using Show = QString (*)(const ServerSettings &);

// One row per setting: its names, its default, how its text is read and how it is shown.
struct Row
{
    const char16_t *env;
    const char16_t *ini;
    const char16_t *defaultText; ///< as documented; the value itself is ServerSettings' default
    const char16_t *what;
    Apply apply;
    Show show;
};

QString hostForUrl(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                               : address.toString();
}

QString ms(std::chrono::milliseconds d)
{
    return d.count() % 1000 == 0 ? QStringLiteral("%1s").arg(d.count() / 1000)
                                 : QStringLiteral("%1ms").arg(d.count());
}

QString rateText(const RateLimit &r)
{
    return r.enabled() ? QStringLiteral("%1/%2").arg(r.count).arg(ms(r.window))
                       : QStringLiteral("off");
}

class Reader
{
public:
    const char16_t *env = nullptr;
    QStringList *errors = nullptr;
    /// The settings file's directory when the value being read comes from it, else empty.
    QString fileDir;

    void error(const QString &text) { errors->append(QString::fromUtf16(env) + u": " + text); }

    std::optional<qint64> integer(const QString &text, qint64 min, qint64 max)
    {
        bool ok = false;
        const qint64 v = text.trimmed().toLongLong(&ok);
        if (!ok || v < min || v > max) {
            error(QStringLiteral("must be a whole number from %1 to %2 (got '%3')")
                      .arg(min)
                      .arg(max)
                      .arg(text.left(20)));
            return std::nullopt;
        }
        return v;
    }

    /// "300", "300s", "250ms", "5m", "1h".
    std::optional<std::chrono::milliseconds>
    duration(const QString &text, std::chrono::milliseconds min, std::chrono::milliseconds max)
    {
        static const QRegularExpression form(
            QStringLiteral("^\\s*([0-9]{1,7})\\s*(ms|s|m|min|h)?\\s*$"));
        const QRegularExpressionMatch m = form.match(text);
        if (!m.hasMatch()) {
            error(QStringLiteral("must be a duration, like 10, 10s, 500ms, 5m or 1h (got '%1')")
                      .arg(text.left(20)));
            return std::nullopt;
        }
        const qint64 n = m.captured(1).toLongLong();
        const QString unit = m.captured(2);
        const std::chrono::milliseconds value = unit == u"ms" ? std::chrono::milliseconds(n)
            : unit == u"m" || unit == u"min"                  ? std::chrono::minutes(n)
            : unit == u"h"                                    ? std::chrono::hours(n)
                                                              : std::chrono::seconds(n);
        if (value < min || value > max) {
            error(QStringLiteral("must be between %1 and %2 ms (got %3 ms)")
                      .arg(min.count())
                      .arg(max.count())
                      .arg(value.count()));
            return std::nullopt;
        }
        return value;
    }

    /// "30/5m": a count per window; "off" or "0" turns the limit off.
    std::optional<RateLimit> rate(const QString &text)
    {
        const QString t = text.trimmed();
        if (t == u"off" || t == u"0")
            return RateLimit {};
        const qsizetype slash = t.indexOf(u'/');
        bool ok = false;
        const int count = t.left(slash).trimmed().toInt(&ok);
        if (slash < 0 || !ok || count < 1 || count > 1000000) {
            error(QStringLiteral("must be a count per duration, like 30/5m or 360/1h, or off "
                                 "(got '%1')")
                      .arg(text.left(20)));
            return std::nullopt;
        }
        const auto window =
            duration(t.mid(slash + 1), std::chrono::seconds(1), std::chrono::hours(24));
        if (!window)
            return std::nullopt;
        return RateLimit {count, *window};
    }

    QString directory(const QString &text)
    {
        return QDir::cleanPath(QDir::current().absoluteFilePath(text));
    }

    /// A file named relative to the settings file when the value comes from it (with
    /// LoadCredential=, the credentials directory the file was handed over in), else to the
    /// current directory.
    QString fileNextToSettings(const QString &text)
    {
        return fileDir.isEmpty() ? directory(text)
                                 : QDir::cleanPath(QDir(fileDir).absoluteFilePath(text));
    }

    std::optional<bool> boolean(const QString &text)
    {
        const QString t = text.trimmed().toLower();
        if (t == u"on" || t == u"true" || t == u"yes" || t == u"1")
            return true;
        if (t == u"off" || t == u"false" || t == u"no" || t == u"0")
            return false;
        error(QStringLiteral("must be on or off (got '%1')").arg(text.left(20)));
        return std::nullopt;
    }

    /// "10.0.0.0/8, ::1": addresses or subnets, comma-separated.
    std::optional<QList<Subnet>> subnets(const QString &text)
    {
        QList<Subnet> out;
        const QStringList items = text.split(u',', Qt::SkipEmptyParts);
        for (const QString &item : items) {
            const QString t = item.trimmed();
            Subnet subnet = QHostAddress::parseSubnet(t);
            if (subnet.second < 0) {
                QHostAddress single;
                if (!single.setAddress(t)) {
                    error(QStringLiteral("'%1' is not an address or subnet (like 10.0.0.0/8 or "
                                         "::1)")
                              .arg(t.left(50)));
                    return std::nullopt;
                }
                subnet = {single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
            }
            out.append(subnet);
        }
        return out;
    }
};

QString subnetsText(const QList<Subnet> &subnets)
{
    QStringList out;
    for (const Subnet &subnet : subnets)
        out.append(subnet.first.toString() + u'/' + QString::number(subnet.second));
    return out.isEmpty() ? QStringLiteral("none") : out.join(QStringLiteral(", "));
}

QString budgetText(int count)
{
    return count > 0 ? QString::number(count) : QStringLiteral("off");
}

constexpr std::array<Row, 28> Rows {{
    {u"WAOTP_LISTEN", u"server/listen", u"127.0.0.1:8470",
     u"address and port to listen on (HOST:PORT, [IPv6]:PORT)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         const auto parsed = parseListenAddress(text);
         if (!parsed) {
             r.error(QStringLiteral("must be HOST:PORT with HOST an IP address or localhost, "
                                    "like 127.0.0.1:8470 or [::1]:8470 (got '%1')")
                         .arg(text.left(60)));
             return;
         }
         s.listenAddress = parsed->first;
         s.listenPort = parsed->second;
     },
     [](const ServerSettings &s) -> QString {
         return hostForUrl(s.listenAddress) + u':' + QString::number(s.listenPort);
     }},
    {u"WAOTP_PUBLIC_URL", u"server/public_url", u"http://HOST:PORT of the listen address",
     u"the URL clients reach the server at (the tokens' issuer)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         const QUrl url(text, QUrl::StrictMode);
         if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http")
             || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()
             || url.hasFragment()) {
             // A password written into it is not repeated.
             const QString shown =
                 url.password().isEmpty() ? text : url.toDisplayString(QUrl::RemovePassword);
             r.error(QStringLiteral("must be an http or https URL without user, query or "
                                    "fragment, like https://auth.example.com (got '%1')")
                         .arg(shown.left(80)));
             return;
         }
         s.publicUrl = url.adjusted(QUrl::StripTrailingSlash);
         if (s.publicUrl.path() == u"/") // "iss" is compared as a string: one spelling
             s.publicUrl.setPath(QString());
     },
     [](const ServerSettings &s) -> QString { return s.issuer(); }},
    {u"WAOTP_DATA_DIR", u"server/data_dir", u"~/.local/share/waotp-server",
     u"where the account database and the signing keys live",
     [](Reader &r, const QString &text, ServerSettings &s) { s.dataDir = r.directory(text); },
     [](const ServerSettings &s) -> QString { return s.dataDir; }},
    {u"WAOTP_SIGNING_KEY_DIR", u"server/signing_key_dir", u"<data dir>/keys",
     u"the token signing keys (a private directory)",
     [](Reader &r, const QString &text, ServerSettings &s) { s.signingKeyDir = r.directory(text); },
     [](const ServerSettings &s) -> QString { return s.signingKeyDir; }},
    {u"WAOTP_DATABASE", u"server/database", u"SQLite in the data dir",
     u"the accounts' database: postgresql://USER@HOST:PORT/DATABASE (no password in it)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         QString why;
         if (const auto location = AccountDatabaseLocation::parsePostgres(text, &why))
             s.database = *location;
         else
             r.error(why);
     },
     [](const ServerSettings &s) -> QString { return s.accountDatabase().display(); }},
    {u"WAOTP_DATABASE_PASSWORD_FILE", u"server/database_password_file", u"none",
     u"a file holding the PostgreSQL password alone (owner-only), if the server asks for one",
     [](Reader &r, const QString &text, ServerSettings &s) {
         s.database.passwordFile = r.fileNextToSettings(text);
     },
     [](const ServerSettings &s) -> QString {
         return s.database.passwordFile.isEmpty() ? QStringLiteral("none")
                                                  : s.database.passwordFile;
     }},
    {u"WAOTP_DATABASE_TIMEOUT", u"server/database_timeout", u"5s",
     u"how long a request waits for the account database (queue included) before 503 "
     u"database_unavailable; also /readyz's wait and, on PostgreSQL, statement_timeout and "
     u"connect_timeout",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto d = r.duration(text, 100ms, 5min))
             s.databaseTimeout = *d;
     },
     [](const ServerSettings &s) -> QString { return ms(s.databaseTimeout); }},
    {u"WAOTP_DATABASE_QUEUE_LIMIT", u"server/database_queue_limit", u"1000",
     u"requests that may wait for the account database at once; more get 503 "
     u"database_unavailable at once",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 1, 1000000))
             s.databaseQueueLimit = int(*v);
     },
     [](const ServerSettings &s) -> QString { return QString::number(s.databaseQueueLimit); }},
    {u"WAOTP_TOKEN_AUDIENCE", u"server/token_audience", u"waotp",
     u"the tokens' \"aud\": who they are for",
     [](Reader &r, const QString &text, ServerSettings &s) {
         static const QRegularExpression form(QStringLiteral("^[\\x21-\\x7e]{1,200}$"));
         if (!form.match(text).hasMatch())
             r.error(QStringLiteral("must be 1 to 200 printable ASCII characters without "
                                    "spaces"));
         else
             s.tokenAudience = text;
     },
     [](const ServerSettings &s) -> QString { return s.tokenAudience; }},
    {u"WAOTP_TOKEN_LIFETIME", u"server/token_lifetime", u"300s",
     u"how long a token is valid (at most 1h)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto d = r.duration(text, 10s, 1h))
             s.tokenLifetime = std::chrono::duration_cast<std::chrono::seconds>(*d);
     },
     [](const ServerSettings &s) -> QString { return ms(s.tokenLifetime); }},
    {u"WAOTP_MAX_BODY_SIZE", u"server/max_body_size", u"16384",
     u"bytes of a request body; larger ones get 413",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 256, 1024 * 1024))
             s.http.parse.maxBodyBytes = qsizetype(*v);
     },
     [](const ServerSettings &s) -> QString { return QString::number(s.http.parse.maxBodyBytes); }},
    {u"WAOTP_MAX_HEADER_SIZE", u"server/max_header_size", u"8192",
     u"bytes of a request line and header; larger ones get 431",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 1024, 64 * 1024))
             s.http.parse.maxHeaderBytes = qsizetype(*v);
     },
     [](const ServerSettings &s) -> QString {
         return QString::number(s.http.parse.maxHeaderBytes);
     }},
    {u"WAOTP_READ_TIMEOUT", u"server/read_timeout", u"10s",
     u"from a request's first byte to its last; slower clients get 408",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto d = r.duration(text, 100ms, 5min))
             s.http.readTimeout = *d;
     },
     [](const ServerSettings &s) -> QString { return ms(s.http.readTimeout); }},
    {u"WAOTP_IDLE_TIMEOUT", u"server/idle_timeout", u"60s",
     u"a kept-alive connection without a request is closed after this",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto d = r.duration(text, 100ms, 1h))
             s.http.idleTimeout = *d;
     },
     [](const ServerSettings &s) -> QString { return ms(s.http.idleTimeout); }},
    {u"WAOTP_MAX_CONNECTIONS", u"server/max_connections", u"512",
     u"open client connections at most; at the cap, the one idle longest makes room",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 1, 100000))
             s.http.maxConnections = int(*v);
     },
     [](const ServerSettings &s) -> QString { return QString::number(s.http.maxConnections); }},
    {u"WAOTP_MAX_CONNECTIONS_PER_CLIENT", u"server/max_connections_per_client", u"128",
     u"open connections from one client address (IPv6 per /64; trusted proxies have no cap), "
     u"or 0 for no cap; one more is closed at once",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 0, 100000))
             s.http.maxConnectionsPerClient = int(*v);
     },
     [](const ServerSettings &s) -> QString { return budgetText(s.http.maxConnectionsPerClient); }},
    {u"WAOTP_SENDS_PER_IP", u"server/sends_per_ip", u"30/5m",
     u"codes a client address may ask for (creates and resends; IPv6 per /64), or off",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.rate(text))
             s.sendsPerIp = *v;
     },
     [](const ServerSettings &s) -> QString { return rateText(s.sendsPerIp); }},
    {u"WAOTP_CHECKS_PER_IP", u"server/checks_per_ip", u"360/1h",
     u"codes a client address may check (IPv6 per /64), or off",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.rate(text))
             s.checksPerIp = *v;
     },
     [](const ServerSettings &s) -> QString { return rateText(s.checksPerIp); }},
    {u"WAOTP_TRUSTED_PROXIES", u"server/trusted_proxies", u"none",
     u"addresses or subnets (comma-separated) whose X-Forwarded-For names the client",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (auto v = r.subnets(text))
             s.trustedProxies = *v;
     },
     [](const ServerSettings &s) -> QString { return subnetsText(s.trustedProxies); }},
    {u"WAOTP_ALLOWED_COUNTRIES", u"server/allowed_countries", u"the default country only",
     u"countries codes may be sent to (comma-separated, like IN, US), or * for all",
     [](Reader &r, const QString &text, ServerSettings &s) {
         s.allowedCountries.clear();
         s.allCountries = text.trimmed() == u"*";
         if (s.allCountries)
             return;
         const QStringList items = text.split(u',', Qt::SkipEmptyParts);
         for (const QString &item : items) {
             const QString region = item.trimmed().toUpper();
             if (region.size() != 2 || PhoneNumber::callingCodeForRegion(region) == 0) {
                 r.error(QStringLiteral("'%1' is not a two-letter country code such as IN or US")
                             .arg(item.trimmed().left(10)));
                 return;
             }
             if (!s.allowedCountries.contains(region))
                 s.allowedCountries.append(region);
         }
     },
     [](const ServerSettings &s) -> QString {
         return s.allCountries              ? QStringLiteral("*")
             : s.allowedCountries.isEmpty() ? QStringLiteral("the default country")
                                            : s.allowedCountries.join(QStringLiteral(", "));
     }},
    {u"WAOTP_REGISTRATION_HINTS", u"server/registration_hints", u"off",
     u"on: a sign-in without an account gets 404 no_account and a sign-up with one 409 "
     u"account_exists; off: they answer like any other and send nothing (no enumeration)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.boolean(text))
             s.registrationHints = *v;
     },
     [](const ServerSettings &s) -> QString {
         return s.registrationHints ? QStringLiteral("on") : QStringLiteral("off");
     }},
    {u"WAOTP_MAX_SENDS_PER_MINUTE", u"server/max_sends_per_minute", u"60",
     u"codes the whole server sends in any minute (every client together), or 0 for no limit; "
     u"more get 503",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 0, 1000000))
             s.maxSendsPerMinute = int(*v);
     },
     [](const ServerSettings &s) -> QString { return budgetText(s.maxSendsPerMinute); }},
    {u"WAOTP_MAX_SENDS_PER_DAY", u"server/max_sends_per_day", u"10000",
     u"codes the whole server sends in any 24 hours, or 0 for no limit; more get 503",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 0, 100000000))
             s.maxSendsPerDay = int(*v);
     },
     [](const ServerSettings &s) -> QString { return budgetText(s.maxSendsPerDay); }},
    {u"WAOTP_MAX_SENDS_PER_SECOND", u"server/max_sends_per_second", u"0",
     u"messages handed to Twilio per second, every instance sharing the Redis store together "
     u"(a token bucket), or 0 for no governor; sends over the rate wait in a queue",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 0, 10000))
             s.maxSendsPerSecond = int(*v);
     },
     [](const ServerSettings &s) -> QString { return budgetText(s.maxSendsPerSecond); }},
    {u"WAOTP_SEND_QUEUE_LIMIT", u"server/send_queue_limit", u"1000",
     u"sends that may wait for the rate at once (per instance); more, or a wait longer than "
     u"the code lives, get 503 send_queue_full",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.integer(text, 1, 1000000))
             s.sendQueueLimit = int(*v);
     },
     [](const ServerSettings &s) -> QString { return QString::number(s.sendQueueLimit); }},
    {u"WAOTP_ALLOWED_ORIGINS", u"server/allowed_origins", u"none",
     u"browser origins that may call the API (CORS; comma-separated, like "
     u"https://app.example.com)",
     [](Reader &r, const QString &text, ServerSettings &s) {
         s.allowedOrigins.clear();
         const QStringList items = text.split(u',', Qt::SkipEmptyParts);
         for (const QString &item : items) {
             const auto origin = normalizedOrigin(item);
             if (!origin) {
                 r.error(QStringLiteral("'%1' is not an origin: scheme and host, like "
                                        "https://app.example.com (no path, no wildcard)")
                             .arg(item.trimmed().left(80)));
                 return;
             }
             if (!s.allowedOrigins.contains(*origin))
                 s.allowedOrigins.append(*origin);
         }
     },
     [](const ServerSettings &s) -> QString {
         return s.allowedOrigins.isEmpty() ? QStringLiteral("none")
                                           : QString::fromLatin1(s.allowedOrigins.join(", "));
     }},
    {u"WAOTP_METRICS_ALLOW", u"server/metrics_allow", u"loopback only",
     u"addresses or subnets (comma-separated) besides loopback that may read /metrics",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (auto v = r.subnets(text))
             s.metricsAllow = *v;
     },
     [](const ServerSettings &s) -> QString {
         return s.metricsAllow.isEmpty() ? QStringLiteral("loopback only")
                                         : subnetsText(s.metricsAllow);
     }},
    {u"WAOTP_ACCESS_LOG", u"server/access_log", u"on",
     u"one line per request on stderr (method, route, status, duration, masked number, "
     u"request id), or off",
     [](Reader &r, const QString &text, ServerSettings &s) {
         if (const auto v = r.boolean(text))
             s.accessLog = *v;
     },
     [](const ServerSettings &s) -> QString {
         return s.accessLog ? QStringLiteral("on") : QStringLiteral("off");
     }},
}};

const Row *rowFor(QStringView env)
{
    for (const Row &row : Rows) {
        if (env == QStringView(row.env))
            return &row;
    }
    return nullptr;
}

// The INI file's values of the server's settings, by environment name. The file is read again
// with the checks loadConfig() made on it (readConfigFileKeys()).
QHash<QString, QString> readFile(const QString &path, QStringList *errors)
{
    QHash<QString, QString> values;
    const QMap<QString, QString> ini = readConfigFileKeys(path, errors);
    for (const Row &row : Rows) {
        for (const QString &key : {QString::fromUtf16(row.ini), QString::fromUtf16(row.env)}) {
            const QString text = ini.value(key).trimmed();
            if (!text.isEmpty())
                values.insert(QString::fromUtf16(row.env), text);
        }
    }
    return values;
}

} // namespace

QString ServerSettings::issuer() const
{
    if (!publicUrl.isEmpty())
        return publicUrl.toString();
    return QStringLiteral("http://%1:%2").arg(hostForUrl(listenAddress)).arg(listenPort);
}

AccountDatabaseLocation ServerSettings::accountDatabase() const
{
    if (database.isPostgres())
        return database;
    return AccountDatabaseLocation::sqlite(
        QDir(dataDir).filePath(QStringLiteral("accounts.sqlite")));
}

QStringList serverSettingKeys()
{
    QStringList out;
    for (const Row &row : Rows)
        out.append(QString::fromUtf16(row.env));
    return out;
}

QString serverIniKeyFor(QStringView envName)
{
    const Row *row = rowFor(envName);
    return row ? QString::fromUtf16(row->ini) : QString();
}

QString serverSettingDefault(QStringView envName)
{
    const Row *row = rowFor(envName);
    return row ? QString::fromUtf16(row->defaultText) : QString();
}

QString serverSettingsHelp()
{
    QStringList lines;
    for (const Row &row : Rows)
        lines << QStringLiteral("  %1 (%2, default %3)\n      %4")
                     .arg(QString::fromUtf16(row.env), QString::fromUtf16(row.ini),
                          QString::fromUtf16(row.defaultText), QString::fromUtf16(row.what));
    return lines.join(u'\n') + u'\n';
}

std::optional<std::pair<QHostAddress, quint16>> parseListenAddress(QStringView text)
{
    static const QRegularExpression form(
        QStringLiteral("^(?:\\[([0-9A-Fa-f:.]+)\\]|([0-9.]+|localhost)):([0-9]{1,5})$"));
    const QRegularExpressionMatch m = form.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const int port = m.captured(3).toInt();
    if (port > 65535)
        return std::nullopt;
    const QString host = m.hasCaptured(1) ? m.captured(1) : m.captured(2);
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)
             || (m.hasCaptured(1) != (address.protocol() == QAbstractSocket::IPv6Protocol)))
        return std::nullopt;
    return std::pair {address, quint16(port)};
}

ServerSettingsResult loadServerSettings(const ServerSettingsSource &source)
{
    ServerSettingsResult result;
    const QHash<QString, QString> fileValues =
        source.fileUsable ? readFile(source.filePath, &result.errors) : QHash<QString, QString>();
    for (auto it = source.overrides.cbegin(); it != source.overrides.cend(); ++it) {
        if (!rowFor(it.key()))
            result.errors.append(QStringLiteral("Unknown setting '%1'.").arg(it.key()));
    }

    ServerSettings &s = result.settings;
    Reader reader;
    reader.errors = &result.errors;
    for (const Row &row : Rows) {
        const QString env = QString::fromUtf16(row.env);
        const QString fromLine = source.overrides.value(env).trimmed();
        const QString fromEnv = source.environment.value(env).trimmed();
        QString text;
        if (!fromLine.isEmpty()) {
            text = fromLine;
            result.sources.insert(env, SourceCommandLine);
        } else if (!fromEnv.isEmpty()) {
            text = fromEnv;
            result.sources.insert(env, SourceEnvironment);
        } else if (fileValues.contains(env)) {
            text = fileValues.value(env);
            result.sources.insert(env, SourceFile);
        } else {
            result.sources.insert(env, SourceDefault);
            continue;
        }
        reader.env = row.env;
        reader.fileDir = result.sources.value(env) == SourceFile
            ? QFileInfo(source.filePath).absolutePath()
            : QString();
        row.apply(reader, text, s);
    }

    if (s.dataDir.isEmpty())
        s.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (s.signingKeyDir.isEmpty() && !s.dataDir.isEmpty())
        s.signingKeyDir = QDir(s.dataDir).filePath(QStringLiteral("keys"));
    if (s.dataDir.isEmpty())
        result.errors.append(QStringLiteral("WAOTP_DATA_DIR: there is no default data directory "
                                            "here; set one (or --data-dir)"));
    // (If WAOTP_DATABASE was set, its own error says what is wrong.)
    if (!s.database.isPostgres() && !s.database.passwordFile.isEmpty()
        && result.sources.value(QStringLiteral("WAOTP_DATABASE")) == SourceDefault)
        result.errors.append(QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE: is for a PostgreSQL "
                                            "database (WAOTP_DATABASE), and none is set"));
    return result;
}

QString describeServerSettings(const ServerSettingsResult &r)
{
    QStringList lines {QStringLiteral("Server settings:")};
    for (const Row &row : Rows) {
        const QString env = QString::fromUtf16(row.env);
        lines << QStringLiteral("  %1 %2 (%3)")
                     .arg(env.leftJustified(27), row.show(r.settings),
                          r.sources.value(env, SourceDefault));
    }
    if (!r.errors.isEmpty()) {
        lines << QStringLiteral("Errors:");
        for (const QString &e : r.errors)
            lines << QStringLiteral("  - ") + e;
    }
    return lines.join(u'\n') + u'\n';
}

QStringList withoutServerKeyWarnings(const QStringList &warnings, const QString &filePath)
{
    QStringList ours;
    for (const Row &row : Rows) {
        for (const char16_t *key : {row.ini, row.env})
            ours.append(QStringLiteral("Unknown setting '%1' in '%2' is ignored.")
                            .arg(QString::fromUtf16(key), filePath));
    }
    QStringList out;
    for (const QString &w : warnings) {
        if (!ours.contains(w))
            out.append(w);
    }
    return out;
}

} // namespace waotp::server
