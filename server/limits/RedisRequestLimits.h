#pragma once

#include "server/limits/RequestLimits.h"

#include "network/redis/RedisClient.h"
#include "network/redis/RedisScripts.h"

namespace waotp::server {

/// RequestLimits counted in Redis, shared by every instance on the same server and key prefix:
/// the same generic cell rate algorithm as RateLimiter, run in one Lua script per request on
/// Redis' clock (TIME). Keys: `<prefix>rl:s:<client>` and `<prefix>rl:c:<client>` (a client's
/// sends and checks; `<client>` is a keyed hash of its address, never the address) and
/// `<prefix>budget:minute`, `<prefix>budget:day`; each holds its theoretical arrival time in
/// microseconds and expires when its allowance is whole again.
class RedisRequestLimits final : public RequestLimits
{
public:
    /// @p secret keys the hash of client addresses (the store secret).
    RedisRequestLimits(RedisEndpoint endpoint, QByteArray keyPrefix, QByteArray secret,
                       const Settings &settings, RedisClientOptions options = {});
    ~RedisRequestLimits() override;

    void admitSend(const QByteArray &client, bool fromBudget, Done done) override;
    void admitCheck(const QByteArray &client, Done done) override;
    void giveBackSend() override;
    void sweep() override { }

    bool isAvailable() const override { return m_client.isConnected(); }
    /// The key under which @p client's sends are counted.
    QByteArray sendsKey(const QByteArray &client) const;

    /// The script that counts a request: as a step of another script, it is called with the
    /// ARGV of checkArgs(); it answers {0 allowed | 1 client refused | 2, 3 budget, wait in ms}.
    static const RedisScript &admitScript();
    /// What admitScript() takes to count a check of @p client.
    QList<QByteArray> checkArgs(const QByteArray &client) const;

private:
    QList<QByteArray> args(const QByteArray &clientKey, const RateLimit &limit,
                           bool fromBudget) const;
    void admit(const QByteArray &clientKey, const RateLimit &limit, Scope scope, bool fromBudget,
               Done done);

    QByteArray m_prefix;
    QByteArray m_secret;
    Settings m_settings;
    RedisClient m_client;
};

} // namespace waotp::server
