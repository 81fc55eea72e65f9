#pragma once

#include "FakeTwilioServer.h"
#include "PostgresCluster.h"
#include "RedisServer.h"
#include "WaotpServerProcess.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>
#include <vector>

namespace waotp::test {

/// Several real waotp-server processes as an operator runs them side by side: one Redis code
/// store (WAOTP_STORE, one WAOTP_STORE_SECRET), one PostgreSQL database of accounts (a fresh
/// database in the test process' shared cluster), one signing-key directory, each instance its
/// own data directory and a free loopback port. In demo mode, or live against a loopback fake
/// Twilio (in this process: the test's event loop must run for it to answer).
class WaotpCluster
{
public:
    /// @p serverBinary: the waotp-server executable.
    explicit WaotpCluster(QString serverBinary);
    ~WaotpCluster();
    WaotpCluster(const WaotpCluster &) = delete;
    WaotpCluster &operator=(const WaotpCluster &) = delete;

    enum class Mode { Demo, Live };
    /// Starts Redis, a database and @p instances servers with the shared settings and
    /// @p settings (environment variables) added. False, with errorString(), on failure.
    bool start(int instances, const QHash<QString, QString> &settings = {}, Mode mode = Mode::Demo);
    /// Starts instance @p i again, on its port, with its data directory and the same settings.
    bool restart(int i);

    int size() const { return int(m_instances.size()); }
    WaotpServerProcess &instance(int i) { return *m_instances.at(std::size_t(i)); }
    QList<quint16> ports() const;

    /// The environment every instance shares (store, secret, database, keys, trusted proxies).
    QHash<QString, QString> settings() const { return m_settings; }
    RedisServer &redis() { return *m_redis; }
    /// The fake Twilio of a live cluster (nullptr in demo mode).
    FakeTwilioServer *twilio() { return m_twilio.get(); }
    QString database() const { return m_database; }
    QString keyDirectory() const;
    /// @p sql in the cluster's database (PostgresCluster::psql).
    std::optional<QString> psql(const QString &sql);

    QString errorString() const { return m_error; }

    /// The store secret the instances share (obviously not a real one).
    static QString storeSecret()
    {
        return QStringLiteral("test-store-secret-0000000000000000000000");
    }

private:
    QStringList arguments() const;

    QString m_binary;
    QTemporaryDir m_dir;
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    PostgresCluster *m_postgres = nullptr;
    QString m_database;
    QHash<QString, QString> m_settings;
    Mode m_mode = Mode::Demo;
    std::vector<std::unique_ptr<WaotpServerProcess>> m_instances;
    QString m_error;
};

} // namespace waotp::test
