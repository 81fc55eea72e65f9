#pragma once

#include <QHash>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace waotp::test {

/// HAProxy (Debian's `haproxy`) as a test's load balancer: the sample configuration
/// (packaging/haproxy/waotp.cfg) as it is, with its backend's servers replaced by the test's, its
/// listeners moved to free loopback ports, and what needs root (chroot, user, daemon, the admin
/// socket, syslog) left out. It runs in the foreground as a child of the test, which stops it;
/// if the test dies first it is told to stop (the parent-death signal).
class HaproxyProcess
{
public:
    /// @p sampleConfig: the configuration to start from.
    explicit HaproxyProcess(QString sampleConfig);
    ~HaproxyProcess();
    HaproxyProcess(const HaproxyProcess &) = delete;
    HaproxyProcess &operator=(const HaproxyProcess &) = delete;

    /// Starts it with one server per port of @p backendPorts (on 127.0.0.1, named waotp1, waotp2,
    /// ...), and waits until it accepts connections. False, with errorString(), if it did not.
    bool start(const QList<quint16> &backendPorts);
    void stop();
    bool isRunning() const;

    /// The front end, where clients connect.
    quint16 port() const { return m_port; }
    /// The stats page (`/stats`).
    quint16 statsPort() const { return m_statsPort; }
    /// The configuration it runs with.
    QString config() const { return m_config; }
    /// What it printed.
    QByteArray log();
    QString errorString() const { return m_error; }

    /// Each server's state from the stats page ("UP", "DOWN", "UP 1/2", ...), by name; empty if
    /// the page could not be read.
    QHash<QString, QString> serverStates();
    /// The responses each server gave (the stats page's hrsp_2xx + ... columns), by name.
    QHash<QString, qint64> serverResponses();

    /// The haproxy program, or empty if it is not installed.
    static QString program();
    /// `haproxy -c -f @p file`: its exit status (0: valid) and, in @p output, what it said.
    static int check(const QString &file, QByteArray *output);

    /// @p sample rewritten for a test: servers, ports, no root (what start() runs).
    static QString testConfig(const QString &sample, const QList<quint16> &backendPorts,
                              quint16 port, quint16 statsPort);

private:
    QList<QHash<QString, QString>> statsRows();

    QString m_sample;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    QString m_config;
    quint16 m_port = 0;
    quint16 m_statsPort = 0;
    QString m_error;
};

} // namespace waotp::test
