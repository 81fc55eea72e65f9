#pragma once

#include "network/redis/RedisEndpoint.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <map>
#include <vector>

struct redisAsyncContext;
class QSocketNotifier;

namespace waotp {

/// One reply from the server, or the reason there is none.
struct RedisReply
{
    enum class Type {
        Nil,
        Integer,
        String, ///< a bulk string
        Status, ///< a simple string such as OK
        Error, ///< the server answered with an error (text in `string`)
        Array,
        Unavailable, ///< no answer: not connected, connection lost or timed out
    };
    Type type = Type::Unavailable;
    qint64 integer = 0;
    QByteArray string;
    QList<RedisReply> elements;

    bool isUnavailable() const { return type == Type::Unavailable; }
    bool isError() const { return type == Type::Error; }
};

/// Timeouts and reconnection pacing of a RedisClient.
struct RedisClientOptions
{
    /// How long resolving and connecting may take before the attempt is given up.
    std::chrono::milliseconds connectTimeout {2000};
    /// How long a command may wait for its reply; past that the connection is considered dead,
    /// every pending command fails with Unavailable and the client reconnects.
    std::chrono::milliseconds commandTimeout {2000};
    /// First wait before reconnecting after a failure; doubles on each failure up to the maximum.
    std::chrono::milliseconds reconnectMin {100};
    std::chrono::milliseconds reconnectMax {2000};
};

/// A non-blocking Redis connection on the Qt event loop (hiredis' asynchronous API, driven by
/// socket notifiers). Commands are pipelined; each callback is called exactly once, always from
/// the event loop, never before command() returns. While the server cannot be reached, commands
/// fail fast with RedisReply::Type::Unavailable and the client keeps reconnecting by itself.
class RedisClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisClient(RedisEndpoint endpoint, RedisClientOptions options = {},
                         QObject *parent = nullptr);
    /// Pending commands fail with Unavailable before this returns.
    ~RedisClient() override;

    /// Adds a command sent first on every new connection, right after logging in, e.g.
    /// SCRIPT LOAD (so that later commands keep their order even after a server restart).
    void addSetupCommand(QList<QByteArray> args);
    /// Connects (if not already connected or connecting). Also called by command().
    void open();
    /// Sends @p args (command name first) and calls @p done with the reply.
    void command(const QList<QByteArray> &args, Callback done);
    /// Puts the connection in subscribe mode (it takes no other command then) on @p channel:
    /// @p message is called with each reply Redis pushes for it (the SUBSCRIBE confirmation
    /// and every message, as arrays), from now on and again after every reconnection, which
    /// subscribes anew. Messages published while disconnected are lost: watch connected().
    void subscribe(const QByteArray &channel, Callback message);
    /// Connected and logged in (AUTH, SELECT and the setup commands have answered).
    bool isConnected() const { return m_ready; }
    const RedisEndpoint &endpoint() const { return m_endpoint; }
    const RedisClientOptions &options() const { return m_options; }

Q_SIGNALS:
    /// The connection is up and logged in.
    void connected();
    /// The connection was lost or could not be made; @p reason is for logs (no credentials).
    void disconnected(const QString &reason);

private:
    enum class State { Idle, Resolving, Connecting, Connected, WaitingToReconnect };
    struct Pending
    {
        QList<QByteArray> args;
        Callback done;
        std::chrono::steady_clock::time_point deadline;
        bool sent = false;
    };

    static void onReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *ac, int status);
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);

    void connectTo(const QString &address);
    void sendSubscriptions();
    bool send(quint64 id, Pending &p);
    void sendLogin();
    void becameReady();
    void complete(quint64 id, const RedisReply &reply);
    void failSoon(Callback done);
    void deliverFailures();
    void failAllPending();
    void fail(const QString &reason);
    void contextGone();
    void dropContext();
    void disposeNotifiers();
    void armTimeout();
    void checkTimeouts();

    RedisEndpoint m_endpoint;
    RedisClientOptions m_options;
    QList<QList<QByteArray>> m_setup;
    State m_state = State::Idle;
    redisAsyncContext *m_ctx = nullptr;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    std::map<quint64, Pending> m_pending; // by id: the first one has the earliest deadline
    std::map<quint64, std::pair<QByteArray, Callback>> m_subscriptions; // by id: channel, callback
    std::vector<Callback> m_failed; // refused while disconnected, answered from the event loop
    quint64 m_nextId = 1;
    int m_lookupId = -1;
    bool m_closing = false;
    bool m_reportedDown = false;
    bool m_ready = false; // connected and logged in
    bool m_loginFailed = false;
    int m_setupLeft = 0;
    QString m_lastError;
    std::chrono::steady_clock::time_point m_connectDeadline;
    std::chrono::milliseconds m_backoff;
    QTimer m_timeoutTimer;
    QTimer m_reconnectTimer;
    QTimer m_failSoonTimer;
};

} // namespace waotp
