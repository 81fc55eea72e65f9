// Where the accounts live: the PostgreSQL URL and what it may hold (never a password), the
// password file, and each way a password reaches a server that asks for one, against a
// PostgreSQL cluster the test starts.
#include "engine/AccountDatabase.h"
#include "engine/PostgresAccountStore.h"

#include "PostgresCluster.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using waotp::test::PostgresCluster;

namespace {

// Obviously fake; the cluster makes a role with it.
const QString RolePassword = QStringLiteral("not-a-real-password-4711");
const QString Role = QStringLiteral("waotp_pw");

// Sets an environment variable for the scope, then puts back what was there.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class tst_AccountDatabase : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void readsUrls_data();
    void readsUrls();
    void refusesUrls_data();
    void refusesUrls();
    void passwordFile();

    void passwordIsNeededWhenAsked();
    void passwordFromThePasswordFile();
    void wrongPasswordIsRefused();
    void passwordFromPgpassFile();
    void unixSocketWithTrust();

private:
    QString writeFile(const QString &name, const QByteArray &text,
                      QFile::Permissions permissions = QFile::ReadOwner | QFile::WriteOwner);
    /// The URL of a database owned by the password role, over TCP.
    QString passwordUrl(const QString &query = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    PostgresCluster *m_cluster = nullptr;
    QString m_database;
};

void tst_AccountDatabase::initTestCase()
{
    m_cluster = PostgresCluster::shared();
    QVERIFY(m_cluster);
    QVERIFY2(m_cluster->addPasswordRole(Role, RolePassword), qPrintable(m_cluster->errorString()));
}

void tst_AccountDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const auto database = m_cluster->createDatabase(Role);
    QVERIFY2(database, qPrintable(m_cluster->errorString()));
    m_database = *database;
}

QString tst_AccountDatabase::writeFile(const QString &name, const QByteArray &text,
                                       QFile::Permissions permissions)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    f.setPermissions(permissions);
    return path;
}

QString tst_AccountDatabase::passwordUrl(const QString &query)
{
    return m_cluster->url(m_database, Role) + query;
}

void tst_AccountDatabase::readsUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("display");

    QTest::newRow("full") << "postgresql://waotp@db.example.com:5433/accounts"
                          << "waotp"
                          << "db.example.com" << 5433 << "accounts" << QStringList()
                          << "postgresql://waotp@db.example.com:5433/accounts";
    QTest::newRow("postgres scheme, defaults")
        << "postgres://db.example.com/accounts"
        << ""
        << "db.example.com" << -1 << "accounts" << QStringList()
        << "postgresql://db.example.com/accounts";
    QTest::newRow("unix socket") << "postgresql:///waotp?host=/run/postgresql"
                                 << ""
                                 << "/run/postgresql" << -1 << "waotp" << QStringList()
                                 << "postgresql:///waotp?host=/run/postgresql";
    QTest::newRow("IPv6 and options")
        << "postgresql://waotp@[::1]:5432/a?sslmode=verify-full&connect_timeout=3"
        << "waotp"
        << "::1" << 5432 << "a"
        << QStringList {QStringLiteral("sslmode=verify-full"), QStringLiteral("connect_timeout=3")}
        << "postgresql://waotp@[::1]:5432/a?sslmode=verify-full&connect_timeout=3";
    QTest::newRow("percent-encoded")
        << "postgresql://wa%40otp@db/my%20db?passfile=/etc/waotp/pg%20pass"
        << "wa@otp"
        << "db" << -1 << "my db" << QStringList {QStringLiteral("passfile=/etc/waotp/pg pass")}
        << "postgresql://wa%40otp@db/my%20db?passfile=/etc/waotp/pg%20pass";
}

void tst_AccountDatabase::readsUrls()
{
    QFETCH(QString, url);
    QString error;
    const auto location = AccountDatabaseLocation::parsePostgres(url, &error);
    QVERIFY2(location, qPrintable(error));
    QVERIFY(location->isPostgres());
    QTEST(location->user, "user");
    QTEST(location->host, "host");
    QTEST(location->port, "port");
    QTEST(location->databaseName, "database");
    QTEST(location->options, "options");
    QTEST(location->display(), "display");
    // What display() shows reads back as the same place.
    const auto again = AccountDatabaseLocation::parsePostgres(location->display());
    QVERIFY(again);
    QCOMPARE(again->display(), location->display());
}

void tst_AccountDatabase::refusesUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("why");

    QTest::newRow("password") << "postgresql://waotp:hunter2-fake@db/accounts"
                              << "must not hold a password";
    QTest::newRow("empty password") << "postgresql://waotp:@db/accounts"
                                    << "must not hold a password";
    QTest::newRow("password option") << "postgresql://waotp@db/accounts?password=hunter2-fake"
                                     << "must not hold a password";
    QTest::newRow("other scheme") << "mysql://db/accounts"
                                  << "must be a URL like postgresql://";
    QTest::newRow("not a URL") << "db.example.com"
                               << "must be a URL like postgresql://";
    QTest::newRow("no database") << "postgresql://waotp@db"
                                 << "must name one database";
    QTest::newRow("empty database") << "postgresql://waotp@db/"
                                    << "must name one database";
    QTest::newRow("path") << "postgresql://waotp@db/a/b"
                          << "must name one database";
    QTest::newRow("unknown option") << "postgresql://db/a?options=-c%20x=1"
                                    << "'options' is not an option";
    QTest::newRow("empty option") << "postgresql://db/a?sslmode="
                                  << "the value of 'sslmode'";
    QTest::newRow("semicolon") << "postgresql://db/a?sslmode=require;x"
                               << "without ';'";
    QTest::newRow("two hosts") << "postgresql://db/a?host=/run/postgresql"
                               << "host twice";
    QTest::newRow("fragment") << "postgresql://db/a#x"
                              << "#fragment";
}

void tst_AccountDatabase::refusesUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!AccountDatabaseLocation::parsePostgres(url, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
    QVERIFY2(!error.contains(u"hunter2"), qPrintable(error)); // never repeats a password
    if (why.contains(u"password")) // and says where a password goes instead
        QVERIFY2(error.contains(u"WAOTP_DATABASE_PASSWORD_FILE"), qPrintable(error));
}

void tst_AccountDatabase::passwordFile()
{
    QString error;
    QCOMPARE(readDatabasePasswordFile(writeFile(QStringLiteral("a"), "s3cret fake\n"), &error),
             std::optional<QString>(QStringLiteral("s3cret fake")));
    QCOMPARE(readDatabasePasswordFile(writeFile(QStringLiteral("b"), "crlf\r\n"), &error),
             std::optional<QString>(QStringLiteral("crlf")));

    const QString shared = writeFile(QStringLiteral("c"), "fake\n",
                                     QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);
    QVERIFY(!readDatabasePasswordFile(shared, &error));
    QVERIFY2(error.contains(u"chmod 600"), qPrintable(error));
    QVERIFY(!readDatabasePasswordFile(writeFile(QStringLiteral("d"), "\n"), &error));
    QVERIFY2(error.contains(u"empty"), qPrintable(error));
    QVERIFY(!readDatabasePasswordFile(writeFile(QStringLiteral("e"), "*:*:*:u:fake\nx\n"), &error));
    QVERIFY2(error.contains(u"PGPASSFILE"), qPrintable(error));
    QVERIFY(!readDatabasePasswordFile(m_dir->filePath(QStringLiteral("none")), &error));
    QVERIFY2(error.contains(u"cannot read"), qPrintable(error));
}

void tst_AccountDatabase::passwordIsNeededWhenAsked()
{
    const QString pgpass = writeFile(QStringLiteral("empty-pgpass"), "");
    const ScopedEnv noPgpass("PGPASSFILE", pgpass.toLocal8Bit()); // not the runner's ~/.pgpass
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open")));
    QVERIFY(!PostgresAccountStore::open(*AccountDatabaseLocation::parsePostgres(passwordUrl()),
                                        &error));
    QVERIFY2(error.contains(u"password"), qPrintable(error));
}

void tst_AccountDatabase::passwordFromThePasswordFile()
{
    auto location = *AccountDatabaseLocation::parsePostgres(passwordUrl());
    location.passwordFile = writeFile(QStringLiteral("password"), RolePassword.toUtf8() + '\n');
    QString error;
    auto store = PostgresAccountStore::open(location, &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->schemaVersion(), SqlAccountStore::SchemaVersion);
    QCOMPARE(m_cluster->psql(m_database,
                             QStringLiteral("SELECT tableowner FROM pg_tables WHERE "
                                            "tablename = 'accounts'")),
             Role);

    // A password file others may read is refused before anything is sent.
    location.passwordFile = writeFile(QStringLiteral("shared"), RolePassword.toUtf8(),
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("chmod 600")));
    QVERIFY(!PostgresAccountStore::open(location, &error));
    QVERIFY2(error.contains(u"chmod 600"), qPrintable(error));
}

void tst_AccountDatabase::wrongPasswordIsRefused()
{
    auto location = *AccountDatabaseLocation::parsePostgres(passwordUrl());
    location.passwordFile = writeFile(QStringLiteral("password"), "wrong-fake-password");
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open")));
    QVERIFY(!PostgresAccountStore::open(location, &error));
    QVERIFY2(error.contains(u"password authentication failed"), qPrintable(error));
    QVERIFY(!error.contains(u"wrong-fake-password"));
}

void tst_AccountDatabase::passwordFromPgpassFile()
{
    const QByteArray line = QStringLiteral("127.0.0.1:%1:*:%2:%3\n")
                                .arg(m_cluster->port())
                                .arg(Role, RolePassword)
                                .toUtf8();
    const QString pgpass = writeFile(QStringLiteral("pgpass"), line);
    QString error;
    {
        // libpq reads PGPASSFILE itself.
        const ScopedEnv env("PGPASSFILE", pgpass.toLocal8Bit());
        auto store = PostgresAccountStore::open(
            *AccountDatabaseLocation::parsePostgres(passwordUrl()), &error);
        QVERIFY2(store, qPrintable(error));
    }
    // Or the URL names the file.
    const QString url = passwordUrl(QStringLiteral("?passfile=") + pgpass);
    auto store = PostgresAccountStore::open(*AccountDatabaseLocation::parsePostgres(url), &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(store->isReachable());
}

void tst_AccountDatabase::unixSocketWithTrust()
{
    // The socket directory in the query, the user from libpq's PGUSER.
    const ScopedEnv user("PGUSER", PostgresCluster::superuser().toLocal8Bit());
    const ScopedEnv port("PGPORT", QByteArray::number(m_cluster->port()));
    const QString url =
        QStringLiteral("postgresql:///%1?host=%2").arg(m_database, m_cluster->socketDirectory());
    QString error;
    const auto location = AccountDatabaseLocation::parsePostgres(url, &error);
    QVERIFY2(location, qPrintable(error));
    auto store = PostgresAccountStore::open(*location, &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(store->createAccount(*PhoneNumber::parse(u"+919876543210", u"IN").number),
             AccountStore::Result::Ok);
    QCOMPARE(m_cluster->psql(m_database, QStringLiteral("SELECT count(*) FROM accounts")),
             QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(tst_AccountDatabase)
#include "tst_accountdatabase.moc"
