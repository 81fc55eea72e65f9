#pragma once

// waotp-server as an operator runs it, for the client tests: the real binary (its path given
// by the test's build), on a free loopback port, in a data directory of its own.
#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <sys/prctl.h>

namespace waotp::test {

class WaotpServerProcess
{
public:
    /// @p binary: the waotp-server executable; @p dataDir: its data directory.
    WaotpServerProcess(QString binary, QString dataDir)
        : m_binary(std::move(binary)), m_dataDir(std::move(dataDir))
    { }
    ~WaotpServerProcess() { kill(); }

    /// Starts it with @p arguments (after --listen and --data-dir) and @p env added to a clean
    /// environment; @p listen "127.0.0.1:0" picks a free port. Waits until it listens.
    bool start(const QStringList &arguments, const QHash<QString, QString> &env = {},
               const QString &listen = QStringLiteral("127.0.0.1:0"))
    {
        kill();
        QProcessEnvironment e;
        e.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        e.insert(QStringLiteral("HOME"), m_dataDir); // no operator's settings leak in
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=false"));
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            e.insert(it.key(), it.value());
        m_process.setProcessEnvironment(e);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        // If the test dies, the server goes with it instead of holding its port.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_log.clear();
        m_process.start(m_binary,
                        QStringList {QStringLiteral("--listen"), listen,
                                     QStringLiteral("--data-dir"), m_dataDir}
                            + arguments);
        if (!m_process.waitForStarted(10000))
            return false;
        static const QRegularExpression listening(QStringLiteral("listening on (http://\\S+)"));
        QRegularExpressionMatch m;
        const bool up = QTest::qWaitFor(
            [&] {
                m_log += m_process.readAllStandardError();
                m = listening.match(QString::fromUtf8(m_log));
                return m.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            15000);
        if (!up || !m.hasMatch())
            return false;
        m_url = QUrl(m.captured(1));
        return true;
    }

    QUrl url() const { return m_url; }
    quint16 port() const { return quint16(m_url.port()); }
    /// "127.0.0.1:PORT", to start it again where it was.
    QString listenAddress() const { return QStringLiteral("127.0.0.1:%1").arg(m_url.port()); }
    /// What it logged so far.
    QByteArray log()
    {
        m_log += m_process.readAllStandardError();
        return m_log;
    }

    /// SIGTERM, as systemd stops it; true if it exited cleanly. The test's event loop runs
    /// meanwhile: a stopping server may still wait for the test's fake Twilio.
    bool stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return true;
        ::kill(pid_t(m_process.processId()), SIGTERM);
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 30000)
            && m_process.exitStatus() == QProcess::NormalExit;
    }
    /// SIGKILL: the server dies mid-flow.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(10000);
    }

private:
    QString m_binary;
    QString m_dataDir;
    QProcess m_process;
    QByteArray m_log;
    QUrl m_url;
};

} // namespace waotp::test
