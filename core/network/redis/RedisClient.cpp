#include "network/redis/RedisClient.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

Q_LOGGING_CATEGORY(lcRedis, "waotp.redis", QtInfoMsg)

namespace waotp {

using namespace std::chrono_literals;

namespace {

RedisReply convert(const redisReply *r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(convert(r->element[i]));
        break;
    case REDIS_REPLY_NIL:
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

const RedisReply &unavailable()
{
    static const RedisReply r;
    return r;
}

} // namespace

RedisClient::RedisClient(RedisEndpoint endpoint, RedisClientOptions options, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_options(options),
      m_backoff(options.reconnectMin)
{
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &RedisClient::checkTimeouts);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        m_state = State::Idle;
        open();
    });
    m_failSoonTimer.setSingleShot(true);
    m_failSoonTimer.setInterval(0);
    connect(&m_failSoonTimer, &QTimer::timeout, this, &RedisClient::deliverFailures);
}

RedisClient::~RedisClient()
{
    m_closing = true;
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    dropContext();
    failAllPending();
    deliverFailures();
}

void RedisClient::open()
{
    if (m_closing || m_state != State::Idle)
        return;
    m_connectDeadline = std::chrono::steady_clock::now() + m_options.connectTimeout;
    m_state = State::Resolving;
    armTimeout();
    QHostAddress literal;
    if (literal.setAddress(m_endpoint.host)) {
        connectTo(literal.toString());
        return;
    }
    // getaddrinfo() inside hiredis would block the event loop: resolve with Qt first.
    m_lookupId = QHostInfo::lookupHost(m_endpoint.host, this, [this](const QHostInfo &info) {
        m_lookupId = -1;
        if (m_state != State::Resolving)
            return;
        const QList<QHostAddress> addresses = info.addresses();
        if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
            fail(QStringLiteral("cannot resolve %1: %2").arg(m_endpoint.host, info.errorString()));
            return;
        }
        // Redis usually listens on IPv4 only: prefer it when the name has both.
        const auto v4 =
            std::find_if(addresses.cbegin(), addresses.cend(), [](const QHostAddress &a) {
                return a.protocol() == QAbstractSocket::IPv4Protocol;
            });
        connectTo((v4 != addresses.cend() ? *v4 : addresses.first()).toString());
    });
}

void RedisClient::connectTo(const QString &address)
{
    redisAsyncContext *ac = redisAsyncConnect(address.toLatin1().constData(), m_endpoint.port);
    if (!ac || ac->err) {
        const QString reason =
            ac ? QString::fromLocal8Bit(ac->errstr) : QStringLiteral("out of memory");
        if (ac)
            redisAsyncFree(ac);
        fail(QStringLiteral("cannot connect to %1: %2").arg(m_endpoint.displayName(), reason));
        return;
    }
    m_ctx = ac;
    ac->data = this;
    ac->ev.data = this;
    ac->ev.addRead = &RedisClient::addRead;
    ac->ev.delRead = &RedisClient::delRead;
    ac->ev.addWrite = &RedisClient::addWrite;
    ac->ev.delWrite = &RedisClient::delWrite;
    ac->ev.cleanup = &RedisClient::cleanup;
    // The notifiers live as long as the context; hiredis switches them on and off.
    m_read = new QSocketNotifier(ac->c.fd, QSocketNotifier::Read, this);
    m_read->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_ctx)
            redisAsyncHandleRead(m_ctx);
    });
    m_write = new QSocketNotifier(ac->c.fd, QSocketNotifier::Write, this);
    m_write->setEnabled(false);
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_ctx)
            redisAsyncHandleWrite(m_ctx);
    });
    m_state = State::Connecting;
    // Must come after the hooks: it waits for the first "writable" event to detect the connection.
    redisAsyncSetConnectCallback(ac, &RedisClient::onConnect);

    // hiredis queues commands until the socket is connected: log in first, then whatever
    // the callers asked for while we were resolving.
    sendLogin();
    for (auto &[id, p] : m_pending) {
        if (!p.sent && !send(id, p))
            break;
    }
}

void RedisClient::addSetupCommand(QList<QByteArray> args)
{
    m_setup.append(std::move(args));
}

void RedisClient::sendLogin()
{
    // The connection counts as up once all of these have answered: a wrong password or a
    // missing database is a failed connection, not a working one.
    m_setupLeft = 0;
    m_loginFailed = false;
    const auto login = [this](QList<QByteArray> args, const char *what, bool fatal) {
        const quint64 id = m_nextId++;
        ++m_setupLeft;
        Callback done = [this, what, fatal](const RedisReply &r) {
            if (r.isUnavailable() || m_loginFailed)
                return; // the connection is going anyway
            if (r.isError()) {
                const QString reason = QStringLiteral("Redis refused %1: %2")
                                           .arg(QLatin1String(what), QString::fromUtf8(r.string));
                if (fatal) {
                    m_loginFailed = true;
                    // Not from inside hiredis, which still uses the context after this returns.
                    QMetaObject::invokeMethod(
                        this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
                    return;
                }
                qCWarning(lcRedis).noquote() << reason;
            }
            if (--m_setupLeft == 0 && m_state == State::Connected)
                becameReady();
        };
        const auto deadline = std::chrono::steady_clock::now() + m_options.commandTimeout;
        auto [it, inserted] =
            m_pending.emplace(id, Pending {std::move(args), std::move(done), deadline});
        Q_UNUSED(inserted);
        send(id, it->second);
    };
    if (!m_endpoint.password.isEmpty()) {
        QList<QByteArray> auth {QByteArrayLiteral("AUTH")};
        if (!m_endpoint.username.isEmpty())
            auth.append(m_endpoint.username);
        auth.append(m_endpoint.password);
        login(std::move(auth), "AUTH", true);
    }
    if (m_endpoint.db != 0)
        login({QByteArrayLiteral("SELECT"), QByteArray::number(m_endpoint.db)}, "SELECT", true);
    for (const QList<QByteArray> &setup : std::as_const(m_setup))
        login(setup, setup.value(0).constData(), false);
}

void RedisClient::subscribe(const QByteArray &channel, Callback message)
{
    const quint64 id = m_nextId++;
    m_subscriptions.emplace(id, std::make_pair(channel, std::move(message)));
    if (m_ready)
        sendSubscriptions();
    else
        open();
}

void RedisClient::sendSubscriptions()
{
    for (const auto &[id, subscription] : m_subscriptions) {
        const char *argv[] = {"SUBSCRIBE", subscription.first.constData()};
        const size_t argvlen[] = {9, size_t(subscription.first.size())};
        redisAsyncCommandArgv(m_ctx, &RedisClient::onReply, reinterpret_cast<void *>(quintptr(id)),
                              2, argv, argvlen);
    }
}

void RedisClient::becameReady()
{
    m_ready = true;
    if (m_ctx)
        sendSubscriptions();
    m_backoff = m_options.reconnectMin;
    if (m_reportedDown)
        qCInfo(lcRedis).noquote() << "connected to Redis at" << m_endpoint.displayName();
    m_reportedDown = false;
    Q_EMIT connected();
}

bool RedisClient::send(quint64 id, Pending &p)
{
    std::vector<const char *> argv;
    std::vector<size_t> argvlen;
    argv.reserve(size_t(p.args.size()));
    argvlen.reserve(size_t(p.args.size()));
    for (const QByteArray &a : std::as_const(p.args)) {
        argv.push_back(a.constData());
        argvlen.push_back(size_t(a.size()));
    }
    const int rc =
        redisAsyncCommandArgv(m_ctx, &RedisClient::onReply, reinterpret_cast<void *>(quintptr(id)),
                              int(argv.size()), argv.data(), argvlen.data());
    if (rc != REDIS_OK)
        return false;
    p.sent = true;
    p.args.clear(); // no longer needed; may hold a password
    return true;
}

void RedisClient::command(const QList<QByteArray> &args, Callback done)
{
    if (m_closing) {
        done(unavailable());
        return;
    }
    if (m_state == State::Idle)
        open();
    if (m_state == State::WaitingToReconnect || m_state == State::Idle) {
        failSoon(std::move(done));
        return;
    }
    const quint64 id = m_nextId++;
    Pending p {args, std::move(done), std::chrono::steady_clock::now() + m_options.commandTimeout,
               false};
    if (m_ctx && !send(id, p)) {
        failSoon(std::move(p.done));
        return;
    }
    m_pending.emplace(id, std::move(p));
    if (!m_timeoutTimer.isActive())
        armTimeout();
}

void RedisClient::failSoon(Callback done)
{
    m_failed.push_back(std::move(done));
    m_failSoonTimer.start();
}

void RedisClient::deliverFailures()
{
    while (!m_failed.empty()) {
        std::vector<Callback> failed = std::exchange(m_failed, {});
        for (Callback &done : failed)
            done(unavailable());
    }
}

void RedisClient::onReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    auto *self = static_cast<RedisClient *>(ac->data);
    if (!self) // a context we already gave up on
        return;
    const auto id = quint64(reinterpret_cast<quintptr>(privdata));
    if (const auto it = self->m_subscriptions.find(id); it != self->m_subscriptions.end()) {
        // Called again for every message; with no reply when the connection goes.
        if (reply)
            it->second.second(convert(static_cast<const redisReply *>(reply)));
        return;
    }
    self->complete(id, reply ? convert(static_cast<const redisReply *>(reply)) : unavailable());
}

void RedisClient::complete(quint64 id, const RedisReply &reply)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // already failed by a timeout
    Callback done = std::move(it->second.done);
    m_pending.erase(it);
    done(reply);
}

void RedisClient::onConnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<RedisClient *>(ac->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context right after this: cleanup() takes it from there.
        self->m_lastError = QString::fromLocal8Bit(ac->errstr);
        return;
    }
    self->m_state = State::Connected;
    self->armTimeout();
    if (self->m_setupLeft == 0)
        self->becameReady();
}

void RedisClient::addRead(void *self)
{
    if (auto *n = static_cast<RedisClient *>(self)->m_read)
        n->setEnabled(true);
}

void RedisClient::delRead(void *self)
{
    if (auto *n = static_cast<RedisClient *>(self)->m_read)
        n->setEnabled(false);
}

void RedisClient::addWrite(void *self)
{
    if (auto *n = static_cast<RedisClient *>(self)->m_write)
        n->setEnabled(true);
}

void RedisClient::delWrite(void *self)
{
    if (auto *n = static_cast<RedisClient *>(self)->m_write)
        n->setEnabled(false);
}

void RedisClient::cleanup(void *self)
{
    static_cast<RedisClient *>(self)->contextGone();
}

void RedisClient::disposeNotifiers()
{
    // Possibly called from inside a notifier's own signal: let the event loop delete them.
    for (QSocketNotifier *n : {m_read, m_write}) {
        if (!n)
            continue;
        n->setEnabled(false);
        disconnect(n, nullptr, this, nullptr);
        n->deleteLater();
    }
    m_read = nullptr;
    m_write = nullptr;
}

void RedisClient::contextGone()
{
    // hiredis is freeing the current context (connection refused, closed by the server, or a
    // protocol error); the pending callbacks have just been called with no reply.
    QString reason =
        m_ctx && m_ctx->errstr[0] ? QString::fromLocal8Bit(m_ctx->errstr) : m_lastError;
    if (reason.isEmpty())
        reason = QStringLiteral("connection closed");
    m_ctx = nullptr;
    m_ready = false;
    disposeNotifiers();
    if (m_closing)
        return;
    m_state = State::WaitingToReconnect;
    // Defer: we are inside hiredis, which still uses the context after this returns.
    QMetaObject::invokeMethod(
        this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
}

void RedisClient::dropContext()
{
    m_ready = false;
    redisAsyncContext *ac = std::exchange(m_ctx, nullptr);
    disposeNotifiers();
    if (!ac)
        return;
    // Detach first so that freeing (now, or later if hiredis is inside a callback) calls
    // nothing of ours: the pending commands are failed by the caller.
    ac->data = nullptr;
    ac->ev.data = nullptr;
    ac->ev.addRead = nullptr;
    ac->ev.delRead = nullptr;
    ac->ev.addWrite = nullptr;
    ac->ev.delWrite = nullptr;
    ac->ev.cleanup = nullptr;
    redisAsyncFree(ac);
}

void RedisClient::failAllPending()
{
    while (!m_pending.empty()) {
        std::map<quint64, Pending> pending = std::exchange(m_pending, {});
        for (auto &[id, p] : pending) {
            Q_UNUSED(id);
            p.done(unavailable());
        }
    }
}

void RedisClient::fail(const QString &reason)
{
    if (m_closing)
        return;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    dropContext();
    m_state = State::WaitingToReconnect;
    m_timeoutTimer.stop();
    // Say it once per outage; every retry is only worth a debug line.
    if (!m_reportedDown) {
        qCWarning(lcRedis).noquote() << "Redis at" << m_endpoint.displayName()
                                     << "unavailable:" << reason << "- reconnecting";
        m_reportedDown = true;
    } else {
        qCDebug(lcRedis).noquote() << "Redis still unavailable:" << reason;
    }
    m_reconnectTimer.start(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_options.reconnectMax);
    failAllPending();
    Q_EMIT disconnected(reason);
}

void RedisClient::armTimeout()
{
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> next;
    if (m_state == State::Resolving || m_state == State::Connecting)
        next = m_connectDeadline;
    if (!m_pending.empty())
        next = next ? std::min(*next, m_pending.begin()->second.deadline)
                    : m_pending.begin()->second.deadline;
    if (!next) {
        m_timeoutTimer.stop();
        return;
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now());
    m_timeoutTimer.start(std::max(wait, 0ms));
}

void RedisClient::checkTimeouts()
{
    const auto now = std::chrono::steady_clock::now();
    if ((m_state == State::Resolving || m_state == State::Connecting) && now >= m_connectDeadline) {
        fail(QStringLiteral("no connection within %1 ms").arg(m_options.connectTimeout.count()));
        return;
    }
    if (!m_pending.empty() && now >= m_pending.begin()->second.deadline) {
        fail(QStringLiteral("no reply within %1 ms").arg(m_options.commandTimeout.count()));
        return;
    }
    armTimeout();
}

} // namespace waotp
