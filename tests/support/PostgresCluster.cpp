#include "PostgresCluster.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>
#include <QThread>
#include <QVersionNumber>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace waotp::test {

namespace {

// The role whose members must give a password over TCP (pg_hba.conf's "+group").
constexpr char16_t PasswordGroup[] = u"password_login";

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

/// Debian's PostgreSQL programs (/usr/lib/postgresql/VERSION/bin), the newest version.
QString binDirectory()
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QString best;
    QVersionNumber bestVersion;
    const QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : versions) {
        const QVersionNumber v = QVersionNumber::fromString(name);
        if (QFile::exists(root.filePath(name + u"/bin/postgres")) && v > bestVersion) {
            bestVersion = v;
            best = root.filePath(name + u"/bin");
        }
    }
    return best;
}

/// Who runs the cluster: this user, or `postgres` when the test runs as root.
struct RunAs
{
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
    QString error;
};

RunAs runAs()
{
    RunAs r;
    if (::geteuid() != 0)
        return r;
    const passwd *pw = ::getpwnam("postgres");
    if (!pw) {
        r.error = QStringLiteral("PostgreSQL refuses to run as root, and there is no 'postgres' "
                                 "user to run it as (Debian's postgresql package makes one)");
        return r;
    }
    r.switchUser = true;
    r.uid = pw->pw_uid;
    r.gid = pw->pw_gid;
    return r;
}

QString sqlText(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', QStringLiteral("''"));
    return u'\'' + quoted + u'\'';
}

} // namespace

PostgresCluster::PostgresCluster() = default;

PostgresCluster::~PostgresCluster()
{
    stop();
}

QString PostgresCluster::url(const QString &database, const QString &user) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user).arg(m_port).arg(database);
}

bool PostgresCluster::isRunning() const
{
    return m_server && m_server->state() == QProcess::Running;
}

std::unique_ptr<QProcess> PostgresCluster::process(const QString &program) const
{
    auto p = std::make_unique<QProcess>();
    p->setProgram(QDir(binDirectory()).filePath(program));
    p->setWorkingDirectory(m_dir.path());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"PG") || key.startsWith(u"LC_"))
            env.remove(key);
    }
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    p->setProcessEnvironment(env);
    const RunAs as = runAs();
    p->setChildProcessModifier([as] {
        if (as.switchUser
            && (::setgroups(0, nullptr) != 0 || ::setgid(as.gid) != 0 || ::setuid(as.uid) != 0))
            ::_exit(126);
        // After the change of user, which would clear it: if the test dies, so does this.
        ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    });
    return p;
}

bool PostgresCluster::initdb()
{
    const RunAs as = runAs();
    if (!as.error.isEmpty()) {
        m_error = as.error;
        return false;
    }
    if (binDirectory().isEmpty()) {
        m_error = QStringLiteral("PostgreSQL is not installed (/usr/lib/postgresql/*/bin; "
                                 "Debian package postgresql)");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory");
        return false;
    }
    if (as.switchUser
        && ::chown(QFile::encodeName(m_dir.path()).constData(), as.uid, as.gid) != 0) {
        m_error = QStringLiteral("cannot give %1 to the postgres user").arg(m_dir.path());
        return false;
    }
    auto p = process(QStringLiteral("initdb"));
    p->setArguments({QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), superuser(),
                     QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
                     QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                     QStringLiteral("--no-sync")});
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->start();
    if (!p->waitForStarted(10000)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(p->program(), p->errorString());
        return false;
    }
    if (!p->waitForFinished(120000) || p->exitStatus() != QProcess::NormalExit
        || p->exitCode() != 0) {
        // 126: the child could not become the postgres user.
        m_error = QStringLiteral("initdb failed (exit %1): %2")
                      .arg(p->exitCode())
                      .arg(QString::fromLocal8Bit(p->readAll().right(800)));
        return false;
    }
    // Members of one role must give a password over TCP; everyone else is trusted.
    QFile hba(QDir(dataDirectory()).filePath(QStringLiteral("pg_hba.conf")));
    if (!hba.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read pg_hba.conf");
        return false;
    }
    const QByteArray rules = hba.readAll();
    hba.close();
    if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write pg_hba.conf");
        return false;
    }
    hba.write("host all +" + QString::fromUtf16(PasswordGroup).toLatin1()
              + " 127.0.0.1/32 scram-sha-256\n" + rules);
    hba.close();
    return true;
}

bool PostgresCluster::start()
{
    if (isRunning())
        return true;
    if (!m_made) {
        if (!initdb())
            return false;
        m_made = true;
        bool started = false;
        // Another process may take the probed port before the server binds it: try a few.
        for (int attempt = 0; attempt < 5 && !started; ++attempt) {
            const quint16 port = freePort();
            started = port != 0 && startOn(port);
        }
        return started
            && psql(QStringLiteral("postgres"),
                    QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(QString::fromUtf16(PasswordGroup)))
                   .has_value();
    }
    return startOn(m_port);
}

bool PostgresCluster::startOn(quint16 port)
{
    const QString logPath = m_dir.filePath(QStringLiteral("server.log"));
    QFile::remove(logPath);
    m_server = process(QStringLiteral("postgres"));
    m_server->setArguments({QStringLiteral("-D"), dataDirectory(), QStringLiteral("-p"),
                            QString::number(port), QStringLiteral("-k"), m_dir.path(),
                            QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                            QStringLiteral("-c"), QStringLiteral("fsync=off"), QStringLiteral("-c"),
                            QStringLiteral("full_page_writes=off"), QStringLiteral("-c"),
                            // Which database and program a session's lines are of.
                            QStringLiteral("log_line_prefix=%m [%p] %q<%d|%a> ")});
    // A file, not a pipe: nobody reads a pipe while a test runs, and a full one stops the server.
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->setStandardOutputFile(logPath);
    m_server->start();
    if (!m_server->waitForStarted(10000)) {
        m_error = QStringLiteral("postgres did not start: %1").arg(m_server->errorString());
        m_server.reset();
        return false;
    }
    QFile log(logPath);
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired() && m_server->state() == QProcess::Running) {
        if (!log.isOpen())
            log.open(QIODevice::ReadOnly);
        if (log.isOpen() && log.readAll().contains("ready to accept connections")) {
            m_port = port;
            return true;
        }
        log.seek(0);
        QThread::msleep(20);
    }
    log.close();
    log.open(QIODevice::ReadOnly);
    m_error = QStringLiteral("postgres on port %1 did not become ready: %2")
                  .arg(port)
                  .arg(QString::fromLocal8Bit(log.readAll().right(800)));
    stop();
    return false;
}

void PostgresCluster::stop()
{
    if (!m_server)
        return;
    if (m_server->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_server->processId()), SIGINT); // fast shutdown: sessions are ended
        if (!m_server->waitForFinished(30000)) {
            m_server->kill();
            m_server->waitForFinished(5000);
        }
    }
    m_server.reset();
}

std::optional<QString> PostgresCluster::psql(const QString &database, const QString &sql)
{
    QProcess p;
    p.setProgram(QDir(binDirectory()).filePath(QStringLiteral("psql")));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"PG"))
            env.remove(key);
    }
    p.setProcessEnvironment(env);
    p.setArguments({QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                    QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                    QStringLiteral("-h"), m_dir.path(), QStringLiteral("-p"),
                    QString::number(m_port), QStringLiteral("-U"), superuser(),
                    QStringLiteral("-d"), database, QStringLiteral("-c"), sql});
    p.start();
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("psql failed on '%1': %2")
                      .arg(sql.left(200), QString::fromLocal8Bit(p.readAllStandardError()));
        return std::nullopt;
    }
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    if (out.endsWith(u'\n'))
        out.chop(1);
    return out;
}

bool PostgresCluster::logStatements(const QString &database)
{
    return psql(QStringLiteral("postgres"),
                QStringLiteral("ALTER DATABASE %1 SET log_statement = 'all'").arg(database))
        .has_value();
}

qint64 PostgresCluster::logSize() const
{
    return QFileInfo(m_dir.filePath(QStringLiteral("server.log"))).size();
}

QStringList PostgresCluster::statementsSince(qint64 offset, const QString &database,
                                             const QString &application) const
{
    QFile log(m_dir.filePath(QStringLiteral("server.log")));
    if (!log.open(QIODevice::ReadOnly) || !log.seek(offset))
        return {};
    const QByteArray session = '<' + database.toUtf8() + '|' + application.toUtf8() + "> LOG:  ";
    QStringList statements;
    while (!log.atEnd()) {
        const QByteArray line = log.readLine().trimmed();
        const qsizetype at = line.indexOf(session);
        if (at < 0)
            continue;
        const QByteArray message = line.mid(at + session.size());
        if (message.startsWith("statement: ") || message.startsWith("execute "))
            statements.append(QString::fromUtf8(message));
    }
    return statements;
}

std::optional<QString> PostgresCluster::createDatabase(const QString &owner)
{
    const QString name = QStringLiteral("waotp_test_%1").arg(++m_databases);
    const QString sql = owner.isEmpty()
        ? QStringLiteral("CREATE DATABASE %1").arg(name)
        : QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(name, owner);
    if (!psql(QStringLiteral("postgres"), sql))
        return std::nullopt;
    return name;
}

bool PostgresCluster::addPasswordRole(const QString &role, const QString &password)
{
    return psql(QStringLiteral("postgres"),
                QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD %2 IN ROLE %3")
                    .arg(role, sqlText(password), QString::fromUtf16(PasswordGroup)))
        .has_value();
}

PostgresCluster *PostgresCluster::shared()
{
    static PostgresCluster *cluster = [] {
        auto *c = new PostgresCluster;
        if (!c->start()) {
            qWarning("cannot start a PostgreSQL cluster: %s", qPrintable(c->errorString()));
            delete c;
            return static_cast<PostgresCluster *>(nullptr);
        }
        // Stopped when the application object goes, while Qt can still reap the process.
        qAddPostRoutine([] { delete PostgresCluster::shared(); });
        return c;
    }();
    return cluster;
}

} // namespace waotp::test
