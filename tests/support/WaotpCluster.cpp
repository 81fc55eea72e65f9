#include "WaotpCluster.h"

#include <QDir>
#include <QFile>

namespace waotp::test {

WaotpCluster::WaotpCluster(QString serverBinary) : m_binary(std::move(serverBinary)) { }

WaotpCluster::~WaotpCluster()
{
    m_instances.clear(); // before the store and the database they use
}

QString WaotpCluster::keyDirectory() const
{
    return m_dir.filePath(QStringLiteral("keys"));
}

QList<quint16> WaotpCluster::ports() const
{
    QList<quint16> ports;
    for (const auto &instance : m_instances)
        ports.append(instance->port());
    return ports;
}

QStringList WaotpCluster::arguments() const
{
    return m_mode == Mode::Demo ? QStringList {QStringLiteral("--demo")} : QStringList {};
}

std::optional<QString> WaotpCluster::psql(const QString &sql)
{
    return m_postgres ? m_postgres->psql(m_database, sql) : std::nullopt;
}

bool WaotpCluster::start(int instances, const QHash<QString, QString> &settings, Mode mode)
{
    m_mode = mode;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory");
        return false;
    }
    m_redis = std::make_unique<RedisServer>();
    if (!m_redis->start()) {
        m_error = m_redis->errorString();
        return false;
    }
    m_postgres = PostgresCluster::shared();
    if (!m_postgres || !(m_postgres->isRunning() || m_postgres->start())) {
        m_error = QStringLiteral("no PostgreSQL cluster");
        return false;
    }
    const auto database = m_postgres->createDatabase();
    if (!database) {
        m_error = m_postgres->errorString();
        return false;
    }
    m_database = *database;
    // One key directory, private as the server demands; the first instance makes the key.
    if (!QDir().mkpath(keyDirectory())
        || !QFile::setPermissions(keyDirectory(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        m_error = QStringLiteral("cannot make %1").arg(keyDirectory());
        return false;
    }
    m_settings = {
        {QStringLiteral("WAOTP_STORE"), m_redis->url()},
        {QStringLiteral("WAOTP_STORE_SECRET"), storeSecret()},
        {QStringLiteral("WAOTP_DATABASE"), m_postgres->url(m_database)},
        {QStringLiteral("PGPASSFILE"), m_dir.filePath(QStringLiteral("no-pgpass"))},
        {QStringLiteral("WAOTP_SIGNING_KEY_DIR"), keyDirectory()},
        {QStringLiteral("WAOTP_TRUSTED_PROXIES"), QStringLiteral("127.0.0.1")},
    };
    if (mode == Mode::Live) {
        m_twilio = std::make_unique<FakeTwilioServer>();
        if (!m_twilio->listen()) {
            m_error = QStringLiteral("the fake Twilio cannot listen");
            return false;
        }
        const TwilioSettings t = m_twilio->settings();
        m_settings.insert({{QStringLiteral("TWILIO_ACCOUNT_SID"), t.accountSid},
                           {QStringLiteral("TWILIO_AUTH_TOKEN"), t.authToken},
                           {QStringLiteral("TWILIO_WHATSAPP_FROM"), t.whatsappFrom},
                           {QStringLiteral("TWILIO_API_BASE_URL"), t.apiBaseUrl.toString()}});
    }
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        m_settings.insert(it.key(), it.value());

    for (int i = 0; i < instances; ++i) {
        const QString dataDir = m_dir.filePath(QStringLiteral("data%1").arg(i + 1));
        auto server = std::make_unique<WaotpServerProcess>(m_binary, dataDir);
        const bool up = server->start(arguments(), m_settings);
        if (!up) {
            m_error = QStringLiteral("instance %1 did not start: %2")
                          .arg(i + 1)
                          .arg(QString::fromLocal8Bit(server->log().right(1500)));
            return false;
        }
        m_instances.push_back(std::move(server));
    }
    return true;
}

bool WaotpCluster::restart(int i)
{
    WaotpServerProcess &server = instance(i);
    const QString listen = server.listenAddress();
    server.kill();
    if (!server.start(arguments(), m_settings, listen)) {
        m_error = QStringLiteral("instance %1 did not start again: %2")
                      .arg(i + 1)
                      .arg(QString::fromLocal8Bit(server.log().right(1500)));
        return false;
    }
    return true;
}

} // namespace waotp::test
