#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace waotp::test {

/// A throw-away redis-server on 127.0.0.1 for tests: a free port, no persistence, its own
/// temporary directory. It can be stopped and started again on the same port, or frozen
/// (SIGSTOP) to play a server that no longer answers.
class RedisServer
{
public:
    /// @p extraArgs go to redis-server as they are (e.g. "--requirepass", "secret").
    explicit RedisServer(QStringList extraArgs = {});
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    /// Starts the server (on the port it had before, if any) and waits until it accepts
    /// connections. False, with errorString(), if it did not come up.
    bool start();
    /// Stops it (its data is gone: nothing is saved).
    void stop();
    /// Freezes / thaws the process: connections stay open but nothing is answered.
    void pause();
    void resume();

    bool isRunning() const;
    quint16 port() const { return m_port; }
    /// `redis://127.0.0.1:<port>`
    QString url() const;
    QString errorString() const { return m_error; }

    /// A server shared by the whole test process, started on first use (nullptr, with a
    /// warning, if redis-server cannot run here).
    static RedisServer *shared();

private:
    bool startOn(quint16 port);

    QStringList m_extraArgs;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    bool m_paused = false;
    QString m_error;
};

/// The words of README's `ACL SETUSER USER …` line (file @p readme), its `>PASSWORD` replaced
/// by `>` + @p password; empty if there is no such line.
QList<QByteArray> readmeAclLine(const QString &readme, const QByteArray &user,
                                const QByteArray &password);

} // namespace waotp::test
