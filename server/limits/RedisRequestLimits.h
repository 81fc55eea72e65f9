#pragma once

#include "server/limits/RequestLimits.h"

#include "network/redis/RedisClient.h"
#include "network/redis/RedisScripts.h"

#include "engine/CodeStore.h"

namespace waotp::server {

/// RequestLimits counted in Redis, shared by every instance on the same server and key prefix,
/// as one process counts them, in one Lua script per request on Redis' clock (TIME). Keys:
/// `<prefix>rl:s:<client>` and `<prefix>rl:c:<client>` (a client's sends and checks; `<client>`
/// is a keyed hash of its address, never the address) hold the theoretical arrival time of
/// RateLimiter's algorithm in microseconds and expire when the allowance is whole again;
/// `<prefix>budgetlog:minute` and `<prefix>budgetlog:day` are SendBudget's logs, sorted sets of
/// the sends by time, which expire a window after the latest send.
class RedisRequestLimits final : public RequestLimits
{
public:
    /// @p secret keys the hash of client addresses (the store secret).
    RedisRequestLimits(RedisEndpoint endpoint, QByteArray keyPrefix, QByteArray secret,
                       const Settings &settings, RedisClientOptions options = {});
    ~RedisRequestLimits() override;

    void admitSend(const QByteArray &client, bool fromBudget, Done done) override;
    void admitCheck(const QByteArray &client, Done done) override;
    void giveBackSend(const QByteArray &budgetEntry) override;
    /// A new name for a send in the budget's logs (an Answer's budgetEntry), or none when
    /// nothing is taken from the budget; for admitAndIssueArgs().
    QByteArray newBudgetEntry(bool fromBudget) const;
    void sweep() override { }

    bool isAvailable() const override { return m_client.isConnected(); }
    /// The key under which @p client's sends are counted.
    QByteArray sendsKey(const QByteArray &client) const;

    /// The script that counts a request: as a step of another script, it is called with the
    /// ARGV of checkArgs(); it answers {0 allowed | 1 client refused | 2, 3 budget, wait in ms}.
    static const RedisScript &admitScript();
    /// What admitScript() takes to count a check of @p client.
    QList<QByteArray> checkArgs(const QByteArray &client) const;

    /// A send counted and its code issued in one script: admitSend() for @p client, then, if
    /// the limits allow it, the code store's issue() of @p codeMac for @p subject (the same Lua
    /// as RedisCodeStore::issue(), on its keys). A send the code store refuses gives back what
    /// it took from the budget. @p done gets the limits' answer and, if they allowed the send,
    /// the code store's (otherwise Unavailable).
    void admitAndIssue(const QByteArray &client, bool fromBudget, const Digest &subject,
                       const std::optional<Digest> &codeMac, Clock::TimePoint now,
                       const OtpPolicy &policy,
                       std::function<void(const Answer &, const IssueOutcome &)> done);
    /// admitAndIssue() as a step of another script: called with its keys
    /// (RedisScripts::subjectKeys()) and the ARGV of admitAndIssueArgs(); it answers {the admit
    /// script's refusal, its wait} or {0, 0, the code store issue's answer}.
    static const RedisScript &admitAndIssueScript();
    /// @p budgetEntry: newBudgetEntry(), the send's name in the budget's logs.
    QList<QByteArray> admitAndIssueArgs(const QByteArray &client, bool fromBudget,
                                        const Digest &subject, const std::optional<Digest> &codeMac,
                                        const OtpPolicy &policy,
                                        const QByteArray &budgetEntry) const;
    /// The answer of admitAndIssueScript() (@p r: its elements), as admitAndIssue() gives it.
    static std::pair<Answer, IssueOutcome>
    admitAndIssueOutcome(const RedisReply &r, Clock::TimePoint now, const OtpPolicy &policy);

private:
    /// A send asked to take from the budget takes from it: there is one.
    bool takesFromBudget(bool fromBudget) const;
    static Answer answerOf(const RedisReply &r, Scope scope);
    QList<QByteArray> args(const QByteArray &clientKey, const RateLimit &limit, bool fromBudget,
                           const QByteArray &budgetEntry) const;
    void admit(const QByteArray &clientKey, const RateLimit &limit, Scope scope, bool fromBudget,
               Done done);

    QByteArray m_prefix;
    QByteArray m_secret;
    Settings m_settings;
    RedisClient m_client;
};

} // namespace waotp::server
