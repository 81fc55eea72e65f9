// waotp-server with its accounts in PostgreSQL (WAOTP_DATABASE), run as an operator runs it
// against a cluster the test starts: the settings it refuses, a database it cannot use, sign-ins
// through the API, /readyz while the database is down, and two servers sharing one database.
#include "PostgresCluster.h"
#include "ProgramRun.h"

#include "engine/PhoneNumber.h"
#include "engine/SqliteAccountStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using waotp::test::PostgresCluster;

namespace {

// Obviously fake; the cluster makes a role that must give it.
const QString RolePassword = QStringLiteral("not-a-real-password-0815");
const QString Role = QStringLiteral("waotp_server");

struct Answer
{
    int status = 0;
    QJsonObject json;
};

// The claims of a token (its middle part), unchecked: the tests of tokens check signatures.
QJsonObject claims(const QString &token)
{
    const QByteArray payload = token.section(u'.', 1, 1).toLatin1();
    return QJsonDocument::fromJson(QByteArray::fromBase64(payload, QByteArray::Base64UrlEncoding))
        .object();
}

/// A waotp-server process in demo mode on a free loopback port.
class ServerProcess
{
public:
    bool start(const QProcessEnvironment &env, const QString &dataDir)
    {
        return launch(env, dataDir) && waitUntilListening();
    }
    bool launch(const QProcessEnvironment &env, const QString &dataDir)
    {
        m_process.setProcessEnvironment(env);
        m_process.start(QStringLiteral(WAOTP_SERVER_BINARY),
                        {QStringLiteral("--demo"), QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dataDir});
        return m_process.waitForStarted();
    }
    bool waitUntilListening()
    {
        static const QRegularExpression listening(QStringLiteral("listening on (http://\\S+)"));
        QRegularExpressionMatch m;
        const bool up = QTest::qWaitFor(
            [&] {
                m_err += m_process.readAllStandardError();
                m = listening.match(QString::fromUtf8(m_err));
                return m.hasMatch() || m_process.state() != QProcess::Running;
            },
            20000);
        m_base = m.captured(1);
        return up && m.hasMatch();
    }
    int stop()
    {
        ::kill(pid_t(m_process.processId()), SIGTERM);
        if (!m_process.waitForFinished(10000))
            return -1;
        m_err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QByteArray log()
    {
        m_err += m_process.readAllStandardError();
        return m_err;
    }

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
            reply->abort();
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.json = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        return a;
    }
    /// A demo verification of @p phone for @p flow: the create's answer.
    Answer create(const QString &phone, const char *flow)
    {
        return call("POST", QStringLiteral("/v1/verifications"),
                    QStringLiteral(R"({"phone":"%1","flow":"%2"})")
                        .arg(phone, QString::fromLatin1(flow))
                        .toUtf8());
    }
    /// The check of @p created's demo code.
    Answer check(const Answer &created)
    {
        return call(
            "POST",
            QStringLiteral("/v1/verifications/%1/check").arg(created.json.value(u"id").toString()),
            QStringLiteral(R"({"code":"%1"})")
                .arg(created.json.value(u"demo_code").toString())
                .toUtf8());
    }
    /// A demo sign-up or sign-in (@p flow) of @p phone; the token's "sub", or empty.
    QString signIn(const QString &phone, const char *flow)
    {
        const Answer created = call("POST", QStringLiteral("/v1/verifications"),
                                    QStringLiteral(R"({"phone":"%1","flow":"%2"})")
                                        .arg(phone, QString::fromLatin1(flow))
                                        .toUtf8());
        const Answer approved = call(
            "POST",
            QStringLiteral("/v1/verifications/%1/check").arg(created.json.value(u"id").toString()),
            QStringLiteral(R"({"code":"%1"})")
                .arg(created.json.value(u"demo_code").toString())
                .toUtf8());
        if (approved.json.value(u"status").toString() != u"approved")
            qWarning() << "sign-in failed:" << created.json << approved.json;
        return claims(approved.json.value(u"token").toString()).value(u"sub").toString();
    }

private:
    QProcess m_process;
    QNetworkAccessManager m_nam;
    QByteArray m_err;
    QString m_base;
};

} // namespace

class tst_ServerPostgres : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void badDatabaseSettings_data();
    void badDatabaseSettings();
    void unusableDatabaseStopsTheStart_data();
    void unusableDatabaseStopsTheStart();
    void signsInWithAccountsInPostgres();
    void twoServersShareOneDatabase();
    void importsAccountsIntoPostgres();
    void aCheckIsOneStatement();
    void aStatementPastTheDeadlineIsEnded();

private:
    QProcessEnvironment environment(const QHash<QString, QString> &extra = {}) const;
    using Run = waotp::test::ProgramRun;
    Run run(const QStringList &args, const QHash<QString, QString> &env);
    QString passwordFile();

    std::unique_ptr<QTemporaryDir> m_dir;
    PostgresCluster *m_cluster = nullptr;
    QString m_database; ///< a fresh database owned by the password role
};

void tst_ServerPostgres::initTestCase()
{
    m_cluster = PostgresCluster::shared();
    QVERIFY(m_cluster);
    QVERIFY2(m_cluster->addPasswordRole(Role, RolePassword), qPrintable(m_cluster->errorString()));
}

void tst_ServerPostgres::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(m_cluster->isRunning() || m_cluster->start());
    const auto database = m_cluster->createDatabase(Role);
    QVERIFY2(database, qPrintable(m_cluster->errorString()));
    m_database = *database;
}

QProcessEnvironment tst_ServerPostgres::environment(const QHash<QString, QString> &extra) const
{
    return waotp::test::isolatedEnvironment(m_dir->path(), extra);
}

tst_ServerPostgres::Run tst_ServerPostgres::run(const QStringList &args,
                                                const QHash<QString, QString> &env)
{
    return waotp::test::runProgram(QStringLiteral(WAOTP_SERVER_BINARY), args, environment(env),
                                   std::chrono::seconds(30));
}

QString tst_ServerPostgres::passwordFile()
{
    const QString path = m_dir->filePath(QStringLiteral("db-password"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(RolePassword.toUtf8() + '\n') < 0)
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

void tst_ServerPostgres::badDatabaseSettings_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("why");
    QTest::newRow("password in URL") << "WAOTP_DATABASE"
                                     << "postgresql://waotp:fake-secret-77@127.0.0.1/waotp"
                                     << "must not hold a password";
    QTest::newRow("password option") << "WAOTP_DATABASE"
                                     << "postgresql://127.0.0.1/waotp?password=fake-secret-77"
                                     << "must not hold a password";
    QTest::newRow("other scheme") << "WAOTP_DATABASE"
                                  << "mysql://127.0.0.1/waotp"
                                  << "must be a URL like postgresql://";
    QTest::newRow("no database") << "WAOTP_DATABASE"
                                 << "postgresql://127.0.0.1:5432"
                                 << "must name one database";
    QTest::newRow("unknown option") << "WAOTP_DATABASE"
                                    << "postgresql://127.0.0.1/waotp?sslmod=require"
                                    << "'sslmod' is not an option";
    QTest::newRow("password file without database") << "WAOTP_DATABASE_PASSWORD_FILE"
                                                    << "/etc/waotp/db-password"
                                                    << "is for a PostgreSQL database";
}

void tst_ServerPostgres::badDatabaseSettings()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, why);
    for (const QStringList &args :
         {QStringList {QStringLiteral("--demo"), QStringLiteral("--data-dir"),
                       m_dir->filePath(QStringLiteral("d"))},
          QStringList {QStringLiteral("--demo"), QStringLiteral("--check-config")}}) {
        const Run r = run(args, {{key, value}});
        QCOMPARE(r.exitCode, 2);
        const QByteArray all = r.out + r.err;
        QVERIFY2(all.contains(QByteArray(key.toLatin1() + ": ")) && all.contains(why.toUtf8()),
                 all.constData());
        QVERIFY2(!all.contains("fake-secret-77"), all.constData()); // never repeated
    }
}

void tst_ServerPostgres::unusableDatabaseStopsTheStart_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("withPassword");
    QTest::addColumn<QString>("why"); // libpq's words
    QTest::newRow("unreachable") << "postgresql://postgres@127.0.0.1:1/waotp" << false
                                 << "Connection refused";
    QTest::newRow("no such database")
        << "postgresql://postgres@127.0.0.1:%1/no_such_db" << false << "does not exist";
    QTest::newRow("password asked")
        << "postgresql://waotp_server@127.0.0.1:%1/postgres" << false << "password";
    QTest::newRow("no such role") << "postgresql://nobody_here@127.0.0.1:%1/postgres" << true
                                  << "nobody_here";
}

void tst_ServerPostgres::unusableDatabaseStopsTheStart()
{
    QFETCH(QString, url);
    QFETCH(bool, withPassword);
    QFETCH(QString, why);
    if (url.contains(u"%1"))
        url = url.arg(m_cluster->port());
    QHash<QString, QString> env {{QStringLiteral("WAOTP_DATABASE"), url}};
    const QString pgpass = m_dir->filePath(QStringLiteral("no-pgpass"));
    env.insert(QStringLiteral("PGPASSFILE"), pgpass); // not the runner's ~/.pgpass
    if (withPassword)
        env.insert(QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile());
    const Run r =
        run({QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
             QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("d"))},
            env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QByteArray("waotp-server: cannot use the account database: cannot open "
                                       + url.toUtf8())),
             r.err.constData());
    QVERIFY2(r.err.contains(why.toUtf8()), r.err.constData());
    QVERIFY(!r.err.contains(RolePassword.toUtf8()));
    QVERIFY(!r.err.contains("listening on"));
}

void tst_ServerPostgres::signsInWithAccountsInPostgres()
{
    const QString url = m_cluster->url(m_database, Role);
    ServerProcess server;
    QVERIFY(
        server.start(environment({{QStringLiteral("WAOTP_DATABASE"), url},
                                  {QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile()},
                                  {QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")}}),
                     m_dir->filePath(QStringLiteral("data"))));
    QVERIFY2(server.log().contains(QByteArray("accounts in " + url.toUtf8())),
             server.log().constData());

    QCOMPARE(server.call("GET", QStringLiteral("/readyz")).status, 200);
    const QString sub = server.signIn(QStringLiteral("+919876543210"), "signup");
    QVERIFY(!sub.isEmpty());
    // The account and its id are in PostgreSQL, and no SQLite file was made.
    QCOMPARE(m_cluster->psql(m_database,
                             QStringLiteral("SELECT a.e164 || ' ' || i.account_id FROM accounts a "
                                            "JOIN server_account_ids i USING (e164)")),
             QStringLiteral("+919876543210 ") + sub);
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("data/accounts.sqlite"))));

    // The database goes away: not ready, naming it; it comes back: ready, same accounts.
    m_cluster->stop();
    const Answer down = server.call("GET", QStringLiteral("/readyz"));
    QCOMPARE(down.status, 503);
    QCOMPARE(down.json.value(u"not_ready").toArray(), QJsonArray {QStringLiteral("database")});
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    QCOMPARE(server.call("GET", QStringLiteral("/readyz")).status, 200);
    QCOMPARE(server.signIn(QStringLiteral("+919876543210"), "signin"), sub);

    QCOMPARE(server.stop(), 0);
}

void tst_ServerPostgres::twoServersShareOneDatabase()
{
    // Both start at once on an empty database: the schema is made once, without an error.
    const QProcessEnvironment env =
        environment({{QStringLiteral("WAOTP_DATABASE"), m_cluster->url(m_database, Role)},
                     {QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile()}});
    ServerProcess one, two;
    QVERIFY(one.launch(env, m_dir->filePath(QStringLiteral("one")))
            && two.launch(env, m_dir->filePath(QStringLiteral("two"))));
    QVERIFY2(one.waitUntilListening(), one.log().constData());
    QVERIFY2(two.waitUntilListening(), two.log().constData());
    QCOMPARE(m_cluster->psql(m_database, QStringLiteral("SELECT version FROM waotp_schema")),
             QStringLiteral("1\n2"));

    // A number that signs up through one signs in through the other, to the same account.
    const QString sub = one.signIn(QStringLiteral("+919812345678"), "signup");
    QVERIFY(!sub.isEmpty());
    QCOMPARE(two.signIn(QStringLiteral("+919812345678"), "signin"), sub);
    QCOMPARE(m_cluster->psql(m_database, QStringLiteral("SELECT count(*) FROM accounts")),
             QStringLiteral("1"));
    QCOMPARE(one.stop(), 0);
    QCOMPARE(two.stop(), 0);
}

// --import-accounts moves a desktop's SQLite accounts into the database the settings name, with
// an id each; the accounts then sign in through the server as existing ones.
void tst_ServerPostgres::importsAccountsIntoPostgres()
{
    const QString appDb = m_dir->filePath(QStringLiteral("app-accounts.sqlite"));
    {
        QString error;
        auto app = waotp::SqliteAccountStore::open(appDb, &error);
        QVERIFY2(app, qPrintable(error));
        for (const char *n : {"+919876543210", "+919812345678"})
            QCOMPARE(app->createAccount(
                         *waotp::PhoneNumber::parse(QString::fromLatin1(n), u"IN").number),
                     waotp::AccountStore::Result::Ok);
    }
    const QString url = m_cluster->url(m_database, Role);
    const QHash<QString, QString> env {
        {QStringLiteral("WAOTP_DATABASE"), url},
        {QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile()}};
    const QString data = m_dir->filePath(QStringLiteral("data"));
    Run r =
        run({QStringLiteral("--import-accounts"), appDb, QStringLiteral("--data-dir"), data}, env);
    QCOMPARE(r.exitCode, 0);
    const QByteArray expected = "Imported 2 accounts from " + appDb.toUtf8() + " into "
        + url.toUtf8() + ": 2 in the file, 0 already there.";
    QVERIFY2(r.out.contains(expected), r.out.constData());
    QCOMPARE(m_cluster->psql(m_database,
                             QStringLiteral("SELECT count(*) FROM accounts a "
                                            "JOIN server_account_ids i USING (e164)")),
             QStringLiteral("2"));
    QVERIFY(!QFile::exists(data + u"/accounts.sqlite"));
    r = run({QStringLiteral("--import-accounts"), appDb, QStringLiteral("--data-dir"), data}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Imported 0 accounts") && r.out.contains("2 already there"),
             r.out.constData());

    const std::optional<QString> id =
        m_cluster->psql(m_database,
                        QStringLiteral("SELECT account_id FROM server_account_ids "
                                       "WHERE e164 = '+919812345678'"));
    QVERIFY(id && id->size() == 22);
    ServerProcess server;
    QVERIFY(server.start(environment(env), data));
    QCOMPARE(server.signIn(QStringLiteral("+919812345678"), "signin"), *id);
    QCOMPARE(server.stop(), 0);
}

// Each check of a right code sends the database one statement, whatever it answers: the
// account, made or signed in to, and its id, or the refusal of an account that came meanwhile.
// Counted in PostgreSQL's own log of the server's statements (a BEGIN or a PREPARE would count).
void tst_ServerPostgres::aCheckIsOneStatement()
{
    QVERIFY(m_cluster->logStatements(m_database));
    ServerProcess server;
    QVERIFY(server.start(
        environment({{QStringLiteral("WAOTP_DATABASE"), m_cluster->url(m_database, Role)},
                     {QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile()}}),
        m_dir->filePath(QStringLiteral("data"))));
    const auto checked = [&](const Answer &created, int *statements) {
        const qint64 from = m_cluster->logSize();
        const Answer a = server.check(created);
        const QStringList sent = m_cluster->statementsSince(from, m_database);
        *statements = int(sent.size());
        if (sent.size() != 1)
            qWarning().noquote() << sent.join(u'\n');
        return a;
    };
    int statements = 0;
    const QString phone = QStringLiteral("+919876543210");
    const Answer signUp = checked(server.create(phone, "signup"), &statements);
    QCOMPARE(signUp.json.value(u"account").toString(), u"created"_qs);
    QCOMPARE(statements, 1);
    const Answer signIn = checked(server.create(phone, "signin"), &statements);
    QCOMPARE(signIn.json.value(u"account").toString(), u"existing"_qs);
    QCOMPARE(signIn.json.value(u"account_id"), signUp.json.value(u"account_id"));
    QCOMPARE(statements, 1);

    // An account made by another program after the code went out: the sign-up is refused.
    const QString other = QStringLiteral("+919812345678");
    const Answer created = server.create(other, "signup");
    QVERIFY(m_cluster->psql(
        m_database, QStringLiteral("INSERT INTO accounts VALUES ('%1', now(), now())").arg(other)));
    const Answer refused = checked(created, &statements);
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.json.value(u"error").toString(), u"account_exists"_qs);
    QCOMPARE(statements, 1);
    QCOMPARE(m_cluster->psql(m_database, QStringLiteral("SELECT count(*) FROM server_account_ids")),
             QStringLiteral("1"));
    QCOMPARE(server.stop(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerPostgres)
// A sign-up whose statement waits for a table lock another connection holds: the check gets
// 503 database_unavailable after WAOTP_DATABASE_TIMEOUT, and PostgreSQL itself ends the
// statement then (statement_timeout). Once the lock is gone, the same code signs up.
void tst_ServerPostgres::aStatementPastTheDeadlineIsEnded()
{
    ServerProcess server;
    QVERIFY(server.start(
        environment({{QStringLiteral("WAOTP_DATABASE"), m_cluster->url(m_database, Role)},
                     {QStringLiteral("WAOTP_DATABASE_PASSWORD_FILE"), passwordFile()},
                     {QStringLiteral("WAOTP_DATABASE_TIMEOUT"), QStringLiteral("300ms")}}),
        m_dir->filePath(QStringLiteral("data"))));
    const Answer created = server.create(QStringLiteral("+919876543210"), "signup");
    QCOMPARE(created.status, 201);
    const qint64 from = m_cluster->logSize();

    const QString name = QStringLiteral("locker");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(m_cluster->socketDirectory());
        db.setPort(m_cluster->port());
        db.setUserName(PostgresCluster::superuser());
        db.setDatabaseName(m_database);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("BEGIN")));
        QVERIFY(q.exec(QStringLiteral("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")));

        const Answer refused = server.check(created);
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.json.value(u"error").toString(), QStringLiteral("database_unavailable"));
        QCOMPARE(refused.json.value(u"retry_after").toInt(), 1);
        // PostgreSQL ended the server's statement, the lock still held (without
        // statement_timeout it would wait for the lock as long as it is held).
        const QByteArray cancelled = '<' + m_database.toUtf8()
            + "|waotp> ERROR:  canceling statement due to statement timeout";
        const auto logged = [&] {
            QFile log(m_cluster->socketDirectory() + QStringLiteral("/server.log"));
            return log.open(QIODevice::ReadOnly) && log.seek(from)
                && log.readAll().contains(cancelled);
        };
        QTRY_VERIFY_WITH_TIMEOUT(logged(), 5000);
        QVERIFY(q.exec(QStringLiteral("COMMIT")));
    }
    QSqlDatabase::removeDatabase(name);

    const Answer approved = server.check(created);
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.json.value(u"account").toString(), QStringLiteral("created"));
    QCOMPARE(m_cluster->psql(m_database, QStringLiteral("SELECT count(*) FROM accounts")),
             QStringLiteral("1"));
    QCOMPARE(server.stop(), 0);
}

#include "tst_serverpostgres.moc"
