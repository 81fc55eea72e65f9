#pragma once

#include "server/api/VerificationStore.h"

#include "network/redis/RedisClient.h"

namespace waotp {
struct RedisScript;
} // namespace waotp

namespace waotp::server {

/// The verifications in Redis, beside the codes, so that any instance answers for any of them.
///
/// Keys (`<prefix>` as the code store's): `<prefix>v:<id>` a hash of the verification (its
/// number in E.164, for GET's "phone" and the engine; the flow, channel, delivery, attempts,
/// approval, cancellation, message SID; its code's expiry and next send on Redis' clock, in
/// ms); `<prefix>vn:<number>` the number's current verification (`<number>` a keyed hash of
/// it); `<prefix>vm:<message SID>` the verification whose current code the message carries.
/// All of them expire with the code's lifetime plus the retention. Every change is one Lua
/// script, which also publishes the id on `<prefix>changes`; each instance subscribes to it on
/// a connection of its own, and hears every change, its own included. Times are Redis' (TIME)
/// inside the scripts and the engine clock outside: a time goes in as "so long from now" and
/// comes out the same way.
class RedisVerificationStore final : public VerificationStore
{
public:
    /// @p secret keys the hash of numbers (the store secret); @p clock is the engine's.
    RedisVerificationStore(RedisEndpoint endpoint, QByteArray keyPrefix, QByteArray secret,
                           std::chrono::milliseconds retention, const Clock &clock,
                           RedisClientOptions options = {});
    ~RedisVerificationStore() override;

    void find(const QByteArray &id, Done done) override;
    void add(const Verification &v, Done done) override;
    void codeSent(const QByteArray &id, const Verification &code, Done done) override;
    void attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done) override;
    void approve(const QByteArray &id, Done done) override;
    void cancel(const QByteArray &id, Done done) override;
    void deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status, int error,
                          Done done) override;
    void messageOfNumber(const PhoneNumber &number, const QString &messageSid, Done done) override;
    void deliveryOfMessage(const QString &messageSid, DeliveryStatus status, int error,
                           Done done) override;
    void sweep(Clock::TimePoint) override { }
    qsizetype size() const override { return -1; }
    /// Both connections up: the commands' and the subscription's.
    bool isAvailable() const override;

    /// The key of verification @p id, and of @p number's current one.
    QByteArray verificationKey(const QByteArray &id) const;
    QByteArray numberKey(const PhoneNumber &number) const;
    /// The connection that runs the scripts (e.g. to inspect the server in tests).
    RedisClient &client() { return m_commands; }

private:
    void run(const RedisScript &script, QList<QByteArray> args, Done done);
    std::optional<Verification> parse(const RedisReply &hash, qint64 redisNow) const;
    QByteArray msFromNow(Clock::TimePoint when) const;
    void message(const RedisReply &r);

    QByteArray m_prefix;
    QByteArray m_secret;
    std::chrono::milliseconds m_retention;
    const Clock &m_clock;
    RedisClient m_commands;
    RedisClient m_subscriber;
};

} // namespace waotp::server
