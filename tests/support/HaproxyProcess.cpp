#include "HaproxyProcess.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>

namespace waotp::test {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

/// GET @p path on 127.0.0.1:@p port, one request per connection; the body, or empty. Waits by
/// running the event loop.
QByteArray get(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor(
            [&] {
                return socket.state() == QAbstractSocket::ConnectedState
                    || socket.state() == QAbstractSocket::UnconnectedState;
            },
            5000)
        || socket.state() != QAbstractSocket::ConnectedState)
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    if (!QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            5000))
        return {};
    answer += socket.readAll();
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (!answer.startsWith("HTTP/1.") || answer.mid(9, 3) != "200" || end < 0)
        return {};
    const QByteArray head = answer.left(end).toLower();
    QByteArray body = answer.mid(end + 4);
    if (!head.contains("transfer-encoding: chunked"))
        return body;
    // The stats page comes in chunks: size in hex, CRLF, data, CRLF; a size of 0 ends it.
    QByteArray whole;
    qsizetype at = 0;
    for (;;) {
        const qsizetype eol = body.indexOf("\r\n", at);
        bool ok = false;
        const qsizetype size = eol < 0 ? 0 : body.mid(at, eol - at).trimmed().toLongLong(&ok, 16);
        if (!ok || size <= 0)
            break;
        whole += body.mid(eol + 2, size);
        at = eol + 2 + size + 2;
    }
    return whole;
}

} // namespace

HaproxyProcess::HaproxyProcess(QString sampleConfig) : m_sample(std::move(sampleConfig)) { }

HaproxyProcess::~HaproxyProcess()
{
    stop();
}

QString HaproxyProcess::program()
{
    return QStandardPaths::findExecutable(QStringLiteral("haproxy"),
                                          {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                           QStringLiteral("/usr/local/sbin"),
                                           QStringLiteral("/usr/bin")});
}

int HaproxyProcess::check(const QString &file, QByteArray *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program(), {QStringLiteral("-c"), QStringLiteral("-f"), file});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (output)
        *output = p.readAll();
    return p.exitCode();
}

QString HaproxyProcess::testConfig(const QString &sample, const QList<quint16> &backendPorts,
                                   quint16 port, quint16 statsPort)
{
    // Keywords of the global section that need root or a system's syslog.
    static const QRegularExpression rootOnly(
        QStringLiteral("^\\s+(chroot|user|group|daemon|log|stats socket)\\b"));
    QStringList out;
    QString section;
    bool serversWritten = false;
    const QStringList lines = sample.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!line.isEmpty() && !line.front().isSpace() && !trimmed.startsWith(u'#'))
            section = trimmed;
        if (section == u"global" && rootOnly.match(line).hasMatch())
            continue;
        if (trimmed.startsWith(u"bind ")) {
            const quint16 p = section.startsWith(u"listen stats") ? statsPort : port;
            out.append(QStringLiteral("    bind 127.0.0.1:%1").arg(p));
            continue;
        }
        if (section.startsWith(u"backend ") && trimmed.startsWith(u"server ")) {
            if (!serversWritten) {
                for (int i = 0; i < backendPorts.size(); ++i)
                    out.append(QStringLiteral("    server waotp%1 127.0.0.1:%2")
                                   .arg(i + 1)
                                   .arg(backendPorts.at(i)));
                serversWritten = true;
            }
            continue;
        }
        out.append(line);
    }
    return out.join(u'\n');
}

bool HaproxyProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

bool HaproxyProcess::start(const QList<quint16> &backendPorts)
{
    stop();
    if (program().isEmpty()) {
        m_error = QStringLiteral("haproxy is not installed (Debian package haproxy)");
        return false;
    }
    QFile sample(m_sample);
    if (!m_dir.isValid() || !sample.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1").arg(m_sample);
        return false;
    }
    const QString text = QString::fromUtf8(sample.readAll());
    // Another process may take a probed port before HAProxy binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = freePort();
        m_statsPort = freePort();
        if (m_port == 0 || m_statsPort == 0 || m_port == m_statsPort)
            continue;
        m_config = testConfig(text, backendPorts, m_port, m_statsPort);
        const QString path = m_dir.filePath(QStringLiteral("haproxy.cfg"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(m_config.toUtf8()) < 0) {
            m_error = QStringLiteral("cannot write %1").arg(path);
            return false;
        }
        file.close();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setWorkingDirectory(m_dir.path());
        // If the test dies, HAProxy stops at once instead of lingering on its ports.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_log.clear();
        // -db: in the foreground, whatever the configuration says.
        m_process->start(program(), {QStringLiteral("-db"), QStringLiteral("-f"), path});
        if (!m_process->waitForStarted(10000)) {
            m_error = QStringLiteral("haproxy did not start: %1").arg(m_process->errorString());
            m_process.reset();
            return false;
        }
        const bool up = QTest::qWaitFor(
            [this] { return !isRunning() || !get(m_statsPort, "/stats;csv").isEmpty(); }, 10000);
        if (up && isRunning())
            return true;
        m_error = QStringLiteral("haproxy did not come up: %1").arg(QString::fromLocal8Bit(log()));
        stop();
    }
    return false;
}

void HaproxyProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

QByteArray HaproxyProcess::log()
{
    if (m_process)
        m_log += m_process->readAll();
    return m_log;
}

QList<QHash<QString, QString>> HaproxyProcess::statsRows()
{
    const QList<QByteArray> lines = get(m_statsPort, "/stats;csv").split('\n');
    if (lines.isEmpty() || !lines.first().startsWith("# "))
        return {};
    const QList<QByteArray> columns = lines.first().mid(2).split(',');
    QList<QHash<QString, QString>> rows;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> cells = lines.at(i).split(',');
        if (cells.size() < 2)
            continue;
        QHash<QString, QString> row;
        for (qsizetype c = 0; c < columns.size() && c < cells.size(); ++c)
            row.insert(QString::fromLatin1(columns.at(c)), QString::fromLatin1(cells.at(c)));
        rows.append(row);
    }
    return rows;
}

QHash<QString, QString> HaproxyProcess::serverStates()
{
    QHash<QString, QString> states;
    const auto rows = statsRows();
    for (const auto &row : rows) {
        if (row.value(QStringLiteral("pxname")) == u"waotp_servers"
            && row.value(QStringLiteral("svname")).startsWith(u"waotp"))
            states.insert(row.value(QStringLiteral("svname")), row.value(QStringLiteral("status")));
    }
    return states;
}

QHash<QString, qint64> HaproxyProcess::serverResponses()
{
    QHash<QString, qint64> responses;
    const auto rows = statsRows();
    for (const auto &row : rows) {
        if (row.value(QStringLiteral("pxname")) != u"waotp_servers"
            || !row.value(QStringLiteral("svname")).startsWith(u"waotp"))
            continue;
        qint64 total = 0;
        for (const char *column : {"hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx"})
            total += row.value(QString::fromLatin1(column)).toLongLong();
        responses.insert(row.value(QStringLiteral("svname")), total);
    }
    return responses;
}

} // namespace waotp::test
