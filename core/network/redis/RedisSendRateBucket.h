#pragma once

#include "engine/SendGovernor.h"
#include "network/redis/RedisClient.h"
#include "network/redis/RedisScripts.h"

#include <QByteArray>
#include <QObject>

#include <map>
#include <memory>
#include <variant>

namespace waotp {

/// A SendRateBucket shared by every instance that points at the same Redis server (and key
/// prefix): one line of send slots for all of them, so that together they stay under the rate.
/// Each reservation and each slow-down is one Lua script on the server's clock (redis TIME), so
/// instances on different machines agree on time and never hand out the same slot twice. The
/// state is one hash, `<prefix>sendrate` (next free slot, rate share, end of the last pause),
/// and the sorted set `<prefix>sendrate:slots` of the slots still to come, both with a TTL.
///
/// When Redis cannot be asked, reserve() answers Unavailable at once (the governor then sends
/// without waiting: the code store, on the same server, refuses new codes in that case anyway).
class RedisSendRateBucket final : public QObject, public SendRateBucket
{
    Q_OBJECT
public:
    RedisSendRateBucket(RedisEndpoint endpoint, int sendsPerSecond,
                        QByteArray keyPrefix = QByteArrayLiteral("waotp:"),
                        RedisClientOptions options = {}, QObject *parent = nullptr);
    ~RedisSendRateBucket() override;

    /// A bucket on the Redis server of @p url (`redis://...`, as for the code store), or why not.
    static std::variant<std::unique_ptr<RedisSendRateBucket>, QString>
    create(const QString &url, int sendsPerSecond,
           QByteArray keyPrefix = QByteArrayLiteral("waotp:"));

    void reserve(Clock::TimePoint now, std::chrono::milliseconds maxWait,
                 std::function<void(SendSlot)> done) override;
    void slowDown(Clock::TimePoint now, std::chrono::milliseconds pause) override;
    void adopt(Clock::TimePoint due, const SendSlot &slot) override;
    /// Takes back a slot this bucket reserved (named by its due time, the reserve()'s now plus
    /// its wait), for every instance.
    void giveBack(Clock::TimePoint slot) override;
    int rate() const override { return m_rate; }
    std::chrono::milliseconds interval() const override { return m_interval; }

    QByteArray key() const { return m_key; }
    /// The bucket's script, its keys, and its ARGV for @p operation ("reserve", "slow" or
    /// "give") with @p last (the longest wait, the pause, the slot): as a step of another script,
    /// a reservation is the same Lua on the same keys.
    static const RedisScript &script();
    QList<QByteArray> keys() const;
    QList<QByteArray> args(const QByteArray &operation, const QByteArray &last) const;
    RedisClient &client() { return m_client; }

private:
    void run(QList<QByteArray> args, std::function<void(const RedisReply &)> done);

    int m_rate;
    QByteArray m_key;
    std::chrono::milliseconds m_interval;
    std::map<Clock::TimePoint, QByteArray> m_slots; // the later slots reserved here, by due time
    RedisClient m_client; // last: destroyed first, answering what is pending while we live
};

} // namespace waotp
