// The server's own settings (one table: environment, INI, default) and its command line.
#include "server/ServerCommandLine.h"
#include "server/ServerSettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp::server;
using namespace std::chrono_literals;

class tst_ServerSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void precedence();
    void everySettingReads_data();
    void everySettingReads();
    void badValues_data();
    void badValues();
    void unknownOverride();
    void listenAddresses_data();
    void listenAddresses();
    void issuer();
    void database();
    void databaseLimits();
    void warningsAboutServerKeysAreDropped();
    void describeNamesEverySetting();
    void commandLine();
    void commandLineErrors_data();
    void commandLineErrors();
    void helpListsEverySetting();
};

namespace {

ServerSettingsSource clean()
{
    ServerSettingsSource source;
    source.environment = QProcessEnvironment();
    source.overrides.insert(QStringLiteral("WAOTP_DATA_DIR"), QStringLiteral("/var/lib/waotp"));
    return source;
}

} // namespace

void tst_ServerSettings::defaults()
{
    const ServerSettingsResult r = loadServerSettings(clean());
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    const ServerSettings &s = r.settings;
    QCOMPARE(s.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(s.listenPort, quint16(8470));
    QVERIFY(s.publicUrl.isEmpty());
    QCOMPARE(s.signingKeyDir, QStringLiteral("/var/lib/waotp/keys"));
    QCOMPARE(s.tokenAudience, QStringLiteral("waotp"));
    QCOMPARE(s.tokenLifetime, 300s);
    QCOMPARE(s.http.parse.maxBodyBytes, 16 * 1024);
    QCOMPARE(s.http.parse.maxHeaderBytes, 8 * 1024);
    QCOMPARE(s.http.readTimeout, 10s);
    QCOMPARE(s.http.idleTimeout, 60s);
    QCOMPARE(s.http.maxConnections, 512);
    QCOMPARE(s.http.maxConnectionsPerClient, 128);
    QCOMPARE(s.sendsPerIp, (RateLimit {30, 5min}));
    QCOMPARE(s.checksPerIp, (RateLimit {360, 1h}));
    QVERIFY(s.trustedProxies.isEmpty());
    QVERIFY(s.allowedCountries.isEmpty() && !s.allCountries); // the default country only
    QCOMPARE(s.accountDatabase().display(),
             QStringLiteral("SQLite /var/lib/waotp/accounts.sqlite"));
    QVERIFY(!s.registrationHints);
    QCOMPARE(s.maxSendsPerMinute, 60);
    QCOMPARE(s.maxSendsPerDay, 10000);
    QVERIFY(s.allowedOrigins.isEmpty());
    QVERIFY(s.metricsAllow.isEmpty());
    QVERIFY(s.accessLog);
    QCOMPARE(s.databaseTimeout, 5s);
    QCOMPARE(s.databaseQueueLimit, 1000);
    for (const QString &key : serverSettingKeys()) {
        QVERIFY(serverIniKeyFor(key).startsWith(u"server/"));
        QVERIFY(!serverSettingDefault(key).isEmpty());
    }
}

void tst_ServerSettings::precedence()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("waotp.ini"));
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[server]\nlisten = 127.0.0.1:1001\ntoken_audience = from-file\n"
            "max_connections = 7\n[twilio]\naccount_sid = AC0\n");
    f.close();
    ServerSettingsSource source = clean();
    source.filePath = ini;
    source.fileUsable = true;
    source.environment.insert(QStringLiteral("WAOTP_LISTEN"), QStringLiteral("127.0.0.1:1002"));
    source.environment.insert(QStringLiteral("WAOTP_TOKEN_AUDIENCE"), QStringLiteral("from-env"));
    source.overrides.insert(QStringLiteral("WAOTP_LISTEN"), QStringLiteral("127.0.0.1:1003"));
    ServerSettingsResult r = loadServerSettings(source);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.settings.listenPort, quint16(1003));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_LISTEN")), QStringLiteral("command line"));
    QCOMPARE(r.settings.tokenAudience, QStringLiteral("from-env"));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_TOKEN_AUDIENCE")),
             QStringLiteral("environment"));
    QCOMPARE(r.settings.http.maxConnections, 7);
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_MAX_CONNECTIONS")), QStringLiteral("file"));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_IDLE_TIMEOUT")), QStringLiteral("default"));

    // A file the app's loader refused (say, too open for its secrets) is not read here either.
    source.fileUsable = false;
    r = loadServerSettings(source);
    QCOMPARE(r.settings.http.maxConnections, 512);
}

void tst_ServerSettings::everySettingReads_data()
{
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown"); // as --check-config shows it
    QTest::newRow("listen") << "WAOTP_LISTEN"
                            << "0.0.0.0:80"
                            << "0.0.0.0:80";
    QTest::newRow("listen v6") << "WAOTP_LISTEN"
                               << "[::1]:8470"
                               << "[::1]:8470";
    QTest::newRow("public url") << "WAOTP_PUBLIC_URL"
                                << "https://auth.example.com/"
                                << "https://auth.example.com";
    QTest::newRow("data dir") << "WAOTP_DATA_DIR"
                              << "/srv/w"
                              << "/srv/w";
    QTest::newRow("key dir") << "WAOTP_SIGNING_KEY_DIR"
                             << "/etc/w/keys"
                             << "/etc/w/keys";
    QTest::newRow("database") << "WAOTP_DATABASE"
                              << "postgres://waotp@db.example.com:5432/waotp"
                              << "postgresql://waotp@db.example.com:5432/waotp";
    QTest::newRow("database socket") << "WAOTP_DATABASE"
                                     << "postgresql:///waotp?host=/run/postgresql"
                                     << "postgresql:///waotp?host=/run/postgresql";
    QTest::newRow("audience") << "WAOTP_TOKEN_AUDIENCE"
                              << "https://platform"
                              << "https://platform";
    QTest::newRow("lifetime") << "WAOTP_TOKEN_LIFETIME"
                              << "10m"
                              << "600s";
    QTest::newRow("lifetime at most") << "WAOTP_TOKEN_LIFETIME"
                                      << "1h"
                                      << "3600s";
    QTest::newRow("body") << "WAOTP_MAX_BODY_SIZE"
                          << "4096"
                          << "4096";
    QTest::newRow("header") << "WAOTP_MAX_HEADER_SIZE"
                            << "16384"
                            << "16384";
    QTest::newRow("read timeout") << "WAOTP_READ_TIMEOUT"
                                  << "250ms"
                                  << "250ms";
    QTest::newRow("idle timeout") << "WAOTP_IDLE_TIMEOUT"
                                  << "2m"
                                  << "120s";
    QTest::newRow("connections") << "WAOTP_MAX_CONNECTIONS"
                                 << "10000"
                                 << "10000";
    QTest::newRow("connections per client") << "WAOTP_MAX_CONNECTIONS_PER_CLIENT"
                                            << "16"
                                            << "16";
    QTest::newRow("connections per client off") << "WAOTP_MAX_CONNECTIONS_PER_CLIENT"
                                                << "0"
                                                << "off";
    QTest::newRow("sends per ip") << "WAOTP_SENDS_PER_IP"
                                  << "10/1m"
                                  << "10/60s";
    QTest::newRow("sends per ip off") << "WAOTP_SENDS_PER_IP"
                                      << "off"
                                      << "off";
    QTest::newRow("checks per ip") << "WAOTP_CHECKS_PER_IP"
                                   << "100 / 2h"
                                   << "100/7200s";
    QTest::newRow("proxies") << "WAOTP_TRUSTED_PROXIES"
                             << "10.0.0.0/8, ::1"
                             << "10.0.0.0/8, ::1/128";
    QTest::newRow("countries") << "WAOTP_ALLOWED_COUNTRIES"
                               << "in, US,IN"
                               << "IN, US";
    QTest::newRow("all countries") << "WAOTP_ALLOWED_COUNTRIES"
                                   << "*"
                                   << "*";
    QTest::newRow("hints") << "WAOTP_REGISTRATION_HINTS"
                           << "on"
                           << "on";
    QTest::newRow("hints, true") << "WAOTP_REGISTRATION_HINTS"
                                 << "true"
                                 << "on";
    QTest::newRow("per minute") << "WAOTP_MAX_SENDS_PER_MINUTE"
                                << "300"
                                << "300";
    QTest::newRow("per minute off") << "WAOTP_MAX_SENDS_PER_MINUTE"
                                    << "0"
                                    << "off";
    QTest::newRow("per day") << "WAOTP_MAX_SENDS_PER_DAY"
                             << "50000"
                             << "50000";
    QTest::newRow("origins") << "WAOTP_ALLOWED_ORIGINS"
                             << "https://App.example.com:443, http://localhost:3000"
                             << "https://app.example.com, http://localhost:3000";
    QTest::newRow("metrics allow") << "WAOTP_METRICS_ALLOW"
                                   << "10.1.0.0/16"
                                   << "10.1.0.0/16";
    QTest::newRow("access log off") << "WAOTP_ACCESS_LOG"
                                    << "off"
                                    << "off";
    QTest::newRow("database timeout") << "WAOTP_DATABASE_TIMEOUT"
                                      << "300ms"
                                      << "300ms";
    QTest::newRow("database timeout seconds") << "WAOTP_DATABASE_TIMEOUT"
                                              << "2"
                                              << "2s";
    QTest::newRow("database queue") << "WAOTP_DATABASE_QUEUE_LIMIT"
                                    << "50"
                                    << "50";
}

void tst_ServerSettings::everySettingReads()
{
    QFETCH(QString, env);
    QFETCH(QString, text);
    QFETCH(QString, shown);
    ServerSettingsSource source = clean();
    source.overrides.remove(env);
    source.environment.insert(env, text);
    const ServerSettingsResult r = loadServerSettings(source);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    const QString report = describeServerSettings(r);
    QVERIFY2(report.contains(QRegularExpression(
                 QRegularExpression::escape(env) + QStringLiteral("\\s+")
                 + QRegularExpression::escape(shown) + QStringLiteral(" \\(environment\\)"))),
             qPrintable(report));
}

void tst_ServerSettings::badValues_data()
{
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("text");
    QTest::newRow("listen without port") << "WAOTP_LISTEN"
                                         << "127.0.0.1";
    QTest::newRow("listen a name") << "WAOTP_LISTEN"
                                   << "example.com:80";
    QTest::newRow("listen port too big") << "WAOTP_LISTEN"
                                         << "127.0.0.1:70000";
    QTest::newRow("listen v6 unbracketed") << "WAOTP_LISTEN"
                                           << "::1:8470";
    QTest::newRow("public url ftp") << "WAOTP_PUBLIC_URL"
                                    << "ftp://x";
    QTest::newRow("public url with user") << "WAOTP_PUBLIC_URL"
                                          << "https://u:secret@x";
    QTest::newRow("public url with query") << "WAOTP_PUBLIC_URL"
                                           << "https://x/?a=1";
    QTest::newRow("database password") << "WAOTP_DATABASE"
                                       << "postgresql://waotp:secret@db/waotp";
    QTest::newRow("database a file") << "WAOTP_DATABASE"
                                     << "/var/lib/waotp/accounts.sqlite";
    QTest::newRow("database password file alone") << "WAOTP_DATABASE_PASSWORD_FILE"
                                                  << "/etc/waotp/db-password";
    QTest::newRow("audience with space") << "WAOTP_TOKEN_AUDIENCE"
                                         << "my platform";
    QTest::newRow("lifetime over an hour") << "WAOTP_TOKEN_LIFETIME"
                                           << "2h";
    QTest::newRow("lifetime words") << "WAOTP_TOKEN_LIFETIME"
                                    << "five minutes";
    QTest::newRow("body too small") << "WAOTP_MAX_BODY_SIZE"
                                    << "10";
    QTest::newRow("body too big") << "WAOTP_MAX_BODY_SIZE"
                                  << "1000000000";
    QTest::newRow("header not a number") << "WAOTP_MAX_HEADER_SIZE"
                                         << "8k";
    QTest::newRow("read timeout zero") << "WAOTP_READ_TIMEOUT"
                                       << "0";
    QTest::newRow("connections zero") << "WAOTP_MAX_CONNECTIONS"
                                      << "0";
    QTest::newRow("connections per client negative") << "WAOTP_MAX_CONNECTIONS_PER_CLIENT"
                                                     << "-1";
    QTest::newRow("rate without window") << "WAOTP_SENDS_PER_IP"
                                         << "30";
    QTest::newRow("rate words") << "WAOTP_CHECKS_PER_IP"
                                << "many/1h";
    QTest::newRow("rate window too long") << "WAOTP_CHECKS_PER_IP"
                                          << "10/2d";
    QTest::newRow("proxy not an address") << "WAOTP_TRUSTED_PROXIES"
                                          << "10.0.0.0/8, proxy.lan";
    QTest::newRow("unknown country") << "WAOTP_ALLOWED_COUNTRIES"
                                     << "IN, XX";
    QTest::newRow("hints maybe") << "WAOTP_REGISTRATION_HINTS"
                                 << "maybe";
    QTest::newRow("per minute negative") << "WAOTP_MAX_SENDS_PER_MINUTE"
                                         << "-1";
    QTest::newRow("per day words") << "WAOTP_MAX_SENDS_PER_DAY"
                                   << "lots";
    QTest::newRow("origin wildcard") << "WAOTP_ALLOWED_ORIGINS"
                                     << "*";
    QTest::newRow("origin with path") << "WAOTP_ALLOWED_ORIGINS"
                                      << "https://app.example.com/login";
    QTest::newRow("metrics allow a name") << "WAOTP_METRICS_ALLOW"
                                          << "prometheus.lan";
    QTest::newRow("access log loud") << "WAOTP_ACCESS_LOG"
                                     << "loud";
    QTest::newRow("database timeout zero") << "WAOTP_DATABASE_TIMEOUT"
                                           << "0";
    QTest::newRow("database timeout too long") << "WAOTP_DATABASE_TIMEOUT"
                                               << "10m";
    QTest::newRow("database timeout words") << "WAOTP_DATABASE_TIMEOUT"
                                            << "soon";
    QTest::newRow("database queue zero") << "WAOTP_DATABASE_QUEUE_LIMIT"
                                         << "0";
}

void tst_ServerSettings::badValues()
{
    QFETCH(QString, env);
    QFETCH(QString, text);
    ServerSettingsSource source = clean();
    source.environment.insert(env, text);
    const ServerSettingsResult r = loadServerSettings(source);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().startsWith(env + u": "), qPrintable(r.errors.first()));
    QVERIFY2(!r.errors.first().contains(u"secret"), qPrintable(r.errors.first())); // a password
}

void tst_ServerSettings::unknownOverride()
{
    ServerSettingsSource source = clean();
    source.overrides.insert(QStringLiteral("WAOTP_LISTN"), QStringLiteral("x"));
    const ServerSettingsResult r = loadServerSettings(source);
    QCOMPARE(r.errors, QStringList {QStringLiteral("Unknown setting 'WAOTP_LISTN'.")});
}

void tst_ServerSettings::listenAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("address"); // empty: refused
    QTest::addColumn<int>("port");
    QTest::newRow("v4") << "127.0.0.1:8470"
                        << "127.0.0.1" << 8470;
    QTest::newRow("any") << "0.0.0.0:443"
                         << "0.0.0.0" << 443;
    QTest::newRow("localhost") << "localhost:1"
                               << "127.0.0.1" << 1;
    QTest::newRow("port 0") << "127.0.0.1:0"
                            << "127.0.0.1" << 0;
    QTest::newRow("v6") << "[::1]:8470"
                        << "::1" << 8470;
    QTest::newRow("v6 any") << "[::]:80"
                            << "::" << 80;
    QTest::newRow("v4 in brackets") << "[127.0.0.1]:80"
                                    << "" << 0;
    QTest::newRow("v6 unbracketed") << "::1:80"
                                    << "" << 0;
    QTest::newRow("bad v4") << "300.1.1.1:80"
                            << "" << 0;
    QTest::newRow("no port") << "127.0.0.1:"
                             << "" << 0;
    QTest::newRow("port only") << ":8470"
                               << "" << 0;
}

void tst_ServerSettings::listenAddresses()
{
    QFETCH(QString, text);
    QFETCH(QString, address);
    QFETCH(int, port);
    const auto parsed = parseListenAddress(text);
    if (address.isEmpty()) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(parsed->first, QHostAddress(address));
    QCOMPARE(int(parsed->second), port);
}

void tst_ServerSettings::issuer()
{
    ServerSettings s;
    QCOMPARE(s.issuer(), QStringLiteral("http://127.0.0.1:8470"));
    s.listenAddress = QHostAddress(QStringLiteral("::1"));
    s.listenPort = 9000;
    QCOMPARE(s.issuer(), QStringLiteral("http://[::1]:9000"));
    s.publicUrl = QUrl(QStringLiteral("https://auth.example.com"));
    QCOMPARE(s.issuer(), QStringLiteral("https://auth.example.com"));
}

void tst_ServerSettings::database()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("waotp.ini"));
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[server]\ndatabase = postgresql://waotp@db.example.com/accounts?sslmode=require\n"
            "database_password_file = db-password\n");
    f.close();
    ServerSettingsSource source = clean();
    source.filePath = ini;
    source.fileUsable = true;
    ServerSettingsResult r = loadServerSettings(source);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    const waotp::AccountDatabaseLocation &db = r.settings.database;
    QVERIFY(db.isPostgres());
    QCOMPARE(db.host, QStringLiteral("db.example.com"));
    QCOMPARE(db.databaseName, QStringLiteral("accounts"));
    QCOMPARE(db.options, QStringList {QStringLiteral("sslmode=require")});
    // Named next to the settings file (with LoadCredential=: in the credentials directory).
    QCOMPARE(db.passwordFile,
             QFileInfo(ini).absoluteDir().absoluteFilePath(QStringLiteral("db-password")));
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_DATABASE")), QStringLiteral("file"));

    // A password in the URL is refused, says where it goes instead, and is never repeated.
    source.environment.insert(QStringLiteral("WAOTP_DATABASE"),
                              QStringLiteral("postgresql://waotp:fake-secret-9@db/accounts"));
    r = loadServerSettings(source);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().contains(u"WAOTP_DATABASE_PASSWORD_FILE"), qPrintable(r.errors[0]));
    QVERIFY(!r.errors.first().contains(u"fake-secret-9"));
    QVERIFY(!describeServerSettings(r).contains(u"fake-secret-9"));
}

// database_timeout and database_queue_limit from the INI file, and the words of a wrong value.
void tst_ServerSettings::databaseLimits()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("waotp.ini"));
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[server]\ndatabase_timeout = 750ms\ndatabase_queue_limit = 64\n");
    f.close();
    ServerSettingsSource source = clean();
    source.filePath = ini;
    source.fileUsable = true;
    ServerSettingsResult r = loadServerSettings(source);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.settings.databaseTimeout, 750ms);
    QCOMPARE(r.settings.databaseQueueLimit, 64);
    QCOMPARE(r.sources.value(QStringLiteral("WAOTP_DATABASE_TIMEOUT")), QStringLiteral("file"));
    QVERIFY(describeServerSettings(r).contains(
        QRegularExpression(QStringLiteral("WAOTP_DATABASE_TIMEOUT\\s+750ms \\(file\\)"))));

    source.environment.insert(QStringLiteral("WAOTP_DATABASE_TIMEOUT"), QStringLiteral("50ms"));
    r = loadServerSettings(source);
    QCOMPARE(r.errors,
             QStringList {QStringLiteral("WAOTP_DATABASE_TIMEOUT: must be between 100 and 300000 "
                                         "ms (got 50 ms)")});
    source.environment.insert(QStringLiteral("WAOTP_DATABASE_TIMEOUT"), QStringLiteral("fast"));
    r = loadServerSettings(source);
    QCOMPARE(r.errors,
             QStringList {QStringLiteral("WAOTP_DATABASE_TIMEOUT: must be a duration, "
                                         "like 10, 10s, 500ms, 5m or 1h (got 'fast')")});
}

void tst_ServerSettings::warningsAboutServerKeysAreDropped()
{
    const QString path = QStringLiteral("/etc/waotp/waotp.ini");
    const QStringList warnings {
        QStringLiteral("Unknown setting 'server/listen' in '/etc/waotp/waotp.ini' is ignored."),
        QStringLiteral("Unknown setting 'WAOTP_MAX_BODY_SIZE' in '/etc/waotp/waotp.ini' is "
                       "ignored."),
        QStringLiteral("Unknown setting 'server/lisen' in '/etc/waotp/waotp.ini' is ignored."),
        QStringLiteral("Something else."),
    };
    QCOMPARE(withoutServerKeyWarnings(warnings, path),
             (QStringList {warnings.at(2), warnings.at(3)}));
}

void tst_ServerSettings::describeNamesEverySetting()
{
    const QString report = describeServerSettings(loadServerSettings(clean()));
    for (const QString &key : serverSettingKeys())
        QVERIFY2(report.contains(key), qPrintable(key));
    QVERIFY(report.contains(u"(command line)")); // the data directory, from clean()
}

void tst_ServerSettings::commandLine()
{
    auto parsed = parseServerCommandLine({QStringLiteral("waotp-server")});
    QCOMPARE(parsed.action, ParsedServerCommandLine::Action::Run);
    QVERIFY(!parsed.options.demo);
    QVERIFY(parsed.options.overrides.isEmpty());

    parsed = parseServerCommandLine(
        {QStringLiteral("waotp-server"), QStringLiteral("--demo"), QStringLiteral("--listen"),
         QStringLiteral("127.0.0.1:9"), QStringLiteral("--data-dir=/d"),
         QStringLiteral("--public-url"), QStringLiteral("https://a.example"),
         QStringLiteral("--config"), QStringLiteral("/c.ini"), QStringLiteral("--check-config")});
    QCOMPARE(parsed.action, ParsedServerCommandLine::Action::Run);
    const ServerOptions &o = parsed.options;
    QVERIFY(o.demo);
    QVERIFY(o.checkConfig);
    QCOMPARE(o.configFile, QStringLiteral("/c.ini"));
    QCOMPARE(o.overrides.value(QStringLiteral("WAOTP_LISTEN")), QStringLiteral("127.0.0.1:9"));
    QCOMPARE(o.overrides.value(QStringLiteral("WAOTP_DATA_DIR")), QStringLiteral("/d"));
    QCOMPARE(o.overrides.value(QStringLiteral("WAOTP_PUBLIC_URL")),
             QStringLiteral("https://a.example"));
    for (auto it = o.overrides.cbegin(); it != o.overrides.cend(); ++it)
        QVERIFY(serverSettingKeys().contains(it.key()));

    parsed = parseServerCommandLine({QStringLiteral("waotp-server"), QStringLiteral("--version")});
    QCOMPARE(parsed.action, ParsedServerCommandLine::Action::ShowVersion);
    QCOMPARE(parsed.exitCode(), 0);
}

void tst_ServerSettings::commandLineErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unknown option") << QStringList {QStringLiteral("--lisen")};
    QTest::newRow("missing value") << QStringList {QStringLiteral("--listen")};
    QTest::newRow("positional") << QStringList {QStringLiteral("serve")};
    QTest::newRow("an app option") << QStringList {QStringLiteral("--kiosk")};
}

void tst_ServerSettings::commandLineErrors()
{
    QFETCH(QStringList, arguments);
    const auto parsed =
        parseServerCommandLine(QStringList {QStringLiteral("waotp-server")} + arguments);
    QCOMPARE(parsed.action, ParsedServerCommandLine::Action::Fail);
    QCOMPARE(parsed.exitCode(), 2);
    QVERIFY(!parsed.text.isEmpty());
}

void tst_ServerSettings::helpListsEverySetting()
{
    const auto parsed =
        parseServerCommandLine({QStringLiteral("waotp-server"), QStringLiteral("--help")});
    QCOMPARE(parsed.action, ParsedServerCommandLine::Action::ShowHelp);
    for (const QString &key : serverSettingKeys()) {
        QVERIFY2(parsed.text.contains(key), qPrintable(key));
        QVERIFY2(parsed.text.contains(serverIniKeyFor(key)), qPrintable(key));
    }
    for (const char *option : {"--demo", "--listen", "--data-dir", "--config", "--public-url",
                               "--check-config", "--version"})
        QVERIFY2(parsed.text.contains(QLatin1String(option)), option);
}

QTEST_GUILESS_MAIN(tst_ServerSettings)
#include "tst_serversettings.moc"
