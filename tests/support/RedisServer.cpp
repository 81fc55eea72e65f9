#include "RedisServer.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>

#include <csignal>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace waotp::test {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

RedisServer::RedisServer(QStringList extraArgs) : m_extraArgs(std::move(extraArgs)) { }

RedisServer::~RedisServer()
{
    stop();
}

QString RedisServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

bool RedisServer::start()
{
    if (isRunning())
        return true;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory");
        return false;
    }
    if (m_port != 0)
        return startOn(m_port);
    // Another process may take the probed port before redis-server binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = freePort();
        if (port != 0 && startOn(port)) {
            m_port = port;
            return true;
        }
    }
    return false;
}

bool RedisServer::startOn(quint16 port)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(m_dir.path());
#ifdef Q_OS_LINUX
    // If the test crashes, the server goes with it instead of lingering.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    QStringList args {QStringLiteral("--port"),       QString::number(port),
                      QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                      QStringLiteral("--save"),       QString(),
                      QStringLiteral("--appendonly"), QStringLiteral("no"),
                      QStringLiteral("--dir"),        m_dir.path(),
                      QStringLiteral("--logfile"),    QString(),
                      QStringLiteral("--daemonize"),  QStringLiteral("no")};
    args += m_extraArgs;
    m_process->start(QStringLiteral("redis-server"), args);
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process->errorString());
        m_process.reset();
        return false;
    }
    QByteArray log;
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running)
            break;
        m_process->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        log += m_process->readAll();
        if (log.contains("Ready to accept connections"))
            return true;
    }
    m_error = QStringLiteral("redis-server on port %1 did not become ready: %2")
                  .arg(port)
                  .arg(QString::fromLocal8Bit(log.right(500)));
    stop();
    return false;
}

void RedisServer::stop()
{
    if (!m_process)
        return;
    resume();
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

void RedisServer::pause()
{
    if (isRunning() && !m_paused) {
        ::kill(pid_t(m_process->processId()), SIGSTOP);
        m_paused = true;
    }
}

void RedisServer::resume()
{
    if (m_process && m_paused) {
        ::kill(pid_t(m_process->processId()), SIGCONT);
        m_paused = false;
    }
}

RedisServer *RedisServer::shared()
{
    static RedisServer *server = [] {
        auto *s = new RedisServer;
        if (!s->start()) {
            qWarning("cannot start redis-server: %s", qPrintable(s->errorString()));
            delete s;
            return static_cast<RedisServer *>(nullptr);
        }
        // Stopped when the application object goes, while Qt can still reap the process.
        qAddPostRoutine([] { delete RedisServer::shared(); });
        return s;
    }();
    return server;
}

QList<QByteArray> readmeAclLine(const QString &readme, const QByteArray &user,
                                const QByteArray &password)
{
    QFile file(readme);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QByteArray start = "ACL SETUSER " + user + ' ';
    QList<QByteArray> acl;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.trimmed().startsWith(start))
            acl = line.trimmed().split(' ');
    }
    for (QByteArray &word : acl) {
        if (word == ">PASSWORD")
            word = QByteArray(">") + password;
    }
    return acl;
}

} // namespace waotp::test
