#pragma once

#include "engine/CodeStore.h"
#include "network/redis/RedisClient.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>
#include <variant>

namespace waotp {

struct RedisScript;

/// Whose clock decides expiry, cooldowns and the send window.
enum class RedisTimeSource {
    /// Redis' own clock (TIME inside the scripts): the one clock every machine of a fleet
    /// shares, since each machine's steady clock has its own epoch. For production.
    Server,
    /// The `now` the engine passes. Only coherent when every instance reads the same clock,
    /// e.g. tests that move one FakeClock by hours.
    Caller,
};

/// How a RedisCodeStore names its keys, reads time and talks to the server.
struct RedisStoreOptions
{
    /// Every key starts with this, so several deployments can share one server.
    QByteArray keyPrefix = QByteArrayLiteral("waotp:");
    RedisTimeSource time = RedisTimeSource::Server;
    RedisClientOptions connection;
};

/// A CodeStore shared by every machine that points at the same Redis server (and prefix): a
/// code sent from one kiosk verifies at another, and attempts, cooldowns and hourly caps count
/// across all of them.
///
/// Each operation is one Lua script, so the rules hold atomically on the server even when
/// instances race (a code verifies exactly once). Keys are `<prefix>code:<subject>` (hash:
/// code MAC, deadline, attempts), `<prefix>sends:<subject>` and `<prefix>fails:<subject>`
/// (sorted sets of the times of sends and of wrong codes) and two indexes
/// (`<prefix>index:codes`, `<prefix>index:subjects`); `<subject>` is the hex of the
/// keyed hash of the number, so neither a number nor a code is ever stored. Subject keys carry
/// a Redis TTL. Needs Redis 6.2 or later; a single server (or Sentinel), not Cluster.
///
/// Fails closed: if Redis cannot be reached or does not answer within the command timeout, or
/// answers anything its scripts cannot answer (a wrong type, a status, count or duration out of
/// range), the operation answers Unavailable (nothing is sent, nothing verifies); the store
/// reconnects by itself.
/// Callbacks run from the event loop, never before the call returns.
class RedisCodeStore final : public QObject, public CodeStore
{
    Q_OBJECT
public:
    using TimeSource = RedisTimeSource;

    /// Starts connecting at once (in the background).
    explicit RedisCodeStore(RedisEndpoint endpoint, RedisStoreOptions options = {},
                            QObject *parent = nullptr);
    /// Pending operations answer Unavailable before this returns.
    ~RedisCodeStore() override;

    /// Makes a store from a `redis://[[user]:password@]host[:port][/db]` URL, or says why it
    /// cannot (bad URL, a server beyond loopback without a password, or `rediss://`, which this
    /// build cannot do: no TLS in hiredis 0.14).
    static std::variant<std::unique_ptr<RedisCodeStore>, QString>
    create(const QString &url, RedisStoreOptions options = {});

    void issue(const Digest &subject, const std::optional<Digest> &codeMac, TimePoint now,
               const OtpPolicy &policy, std::function<void(IssueOutcome)> done) override;
    void previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(IssueOutcome)> done) override;
    void check(const Digest &subject, const Digest &codeMac, TimePoint now, const OtpPolicy &policy,
               std::function<void(CheckOutcome)> done) override;
    void reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                      std::function<void(GuessReservation)> done) override;
    void releaseGuess(const Digest &subject, const std::string &ticket,
                      std::function<void(bool ok)> done) override;
    void cancel(const Digest &subject, std::function<void(bool ok)> done) override;
    /// Asynchronous here: trims the server's indexes and deletes leftovers; the counts below
    /// follow when the answer arrives.
    void sweep(TimePoint now, const OtpPolicy &policy) override;
    /// Fleet-wide, as of the latest answer from the server.
    std::size_t activeCodes() const override { return m_activeCodes; }
    /// Fleet-wide, as of the latest answer from the server.
    std::size_t trackedSubjects() const override { return m_trackedSubjects; }
    bool isLocal() const override { return false; }

    /// True while connected to the server (operations may still time out).
    bool isConnected() const { return m_client.isConnected(); }
    const RedisStoreOptions &options() const { return m_options; }
    /// The connection, e.g. to inspect the server in tests.
    RedisClient &client() { return m_client; }

    /// For a script that runs RedisScripts::issue() or check() as one of its steps
    /// (RedisScripts::asLuaFunction()), on Redis' clock: the ARGV they take after the key
    /// prefix, and what their answer (its integers) means; Unavailable for an answer they cannot
    /// give.
    static QList<QByteArray> issueArgs(const Digest &subject, const std::optional<Digest> &codeMac,
                                       const OtpPolicy &policy);
    static IssueOutcome issueOutcome(const std::optional<QList<qint64>> &answer, TimePoint now,
                                     const OtpPolicy &policy);
    static QList<QByteArray> checkArgs(const Digest &subject, const Digest &codeMac,
                                       const OtpPolicy &policy);
    static CheckOutcome checkOutcome(const std::optional<QList<qint64>> &answer,
                                     const OtpPolicy &policy);

    /// The key of @p subject's active code, of its send history and of its wrong codes.
    QByteArray codeKey(const Digest &subject) const;
    QByteArray sendsKey(const Digest &subject) const;
    QByteArray failuresKey(const Digest &subject) const;

Q_SIGNALS:
    /// The connection to the server came up (true) or went down (false).
    void availabilityChanged(bool available);

private:
    using Reply = std::function<void(const RedisReply &)>;
    void run(const RedisScript &script, const Digest *subject, QList<QByteArray> args, Reply done,
             bool retried = false);
    QByteArray nowArg(TimePoint now);
    QByteArray lastNowArg() const;
    /// The integers of a script's answer, if it has @p expected of them and, with @p valid,
    /// they are what the script can answer under @p policy; takes the counts from it.
    /// Otherwise std::nullopt: the caller fails closed.
    std::optional<QList<qint64>>
    answer(const RedisReply &r, qsizetype expected, const OtpPolicy *policy = nullptr,
           bool (*valid)(const QList<qint64> &, const OtpPolicy &) = nullptr);
    void setAvailable(bool available);

    RedisStoreOptions m_options;
    std::size_t m_activeCodes = 0;
    std::size_t m_trackedSubjects = 0;
    qint64 m_lastCallerNow = 0;
    bool m_available = false;
    RedisClient m_client; // last: destroyed first, answering what is pending while we live
};

} // namespace waotp
