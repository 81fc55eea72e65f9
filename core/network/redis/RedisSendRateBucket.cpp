#include "network/redis/RedisSendRateBucket.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRedisRate, "waotp.redis.sendrate", QtInfoMsg)

namespace waotp {

namespace {

using std::chrono::milliseconds;

// KEYS[1] the bucket, KEYS[2] the slots handed out and still to come (a sorted set of their
// times, for the place in line). ARGV[1] "reserve", "slow" or "give", ARGV[2] sends per second,
// ARGV[3] recovery time (ms), ARGV[4] the least share of the rate, ARGV[5] reserve: the longest
// wait (ms) / slow: the pause (ms) / give: the slot given back, as reserve named it. The rate's
// share climbs back linearly from the end of the last pause. reserve answers {0 granted, wait,
// interval, position, the slot's name} or {1 too far, wait, interval}; slow and give answer
// {0, 0, interval}. Times in ms on the server's clock; a slot is named by its time in µs. A slot
// given back no longer counts in later places; if it is the last one handed out and there was no
// slow-down since, the next reservation takes it (as LocalSendRateBucket::giveBack()).
constexpr char Script[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[2])
local recovery = tonumber(ARGV[3])
local least = tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'next', 'share', 'slowed', 'nafter')
if ARGV[1] == 'give' then
  local last = redis.call('ZRANGE', KEYS[2], -1, -1)[1]
  if redis.call('ZREM', KEYS[2], ARGV[5]) == 1 and last == ARGV[5] and h[1] and h[1] == h[4] then
    local given = tostring(tonumber(ARGV[5]) / 1000)
    redis.call('HSET', KEYS[1], 'next', given, 'nafter', given)
  end
  return {0, 0, 0}
end
local nxt = tonumber(h[1]) or 0
local share = tonumber(h[2]) or 1
local slowed = tonumber(h[3]) or 0
if now > slowed then share = share + (now - slowed) / recovery end
if share > 1 then share = 1 end
if share < least then share = least end
local interval = 1000 / (rate * share)
if ARGV[1] == 'slow' then
  local pause = tonumber(ARGV[5])
  share = math.max(least, share / 2)
  if now + pause > nxt then nxt = now + pause end
  redis.call('HSET', KEYS[1], 'share', tostring(share), 'slowed', tostring(now + pause),
             'next', tostring(nxt), 'nafter', '-1')
  redis.call('PEXPIRE', KEYS[1], math.ceil(nxt - now) + recovery + 60000)
  return {0, 0, math.ceil(1000 / (rate * share))}
end
local slot = math.max(now, nxt)
local wait = slot - now
if wait > tonumber(ARGV[5]) then return {1, math.ceil(wait), math.ceil(interval)} end
redis.call('HSET', KEYS[1], 'next', tostring(slot + interval), 'nafter', tostring(slot + interval))
redis.call('PEXPIRE', KEYS[1], math.ceil(wait + interval) + recovery + 60000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local position = 0
if wait > 0 then position = redis.call('ZCARD', KEYS[2]) + 1 end
local name = math.floor(slot * 1000)
redis.call('ZADD', KEYS[2], slot, string.format('%d', name))
redis.call('PEXPIRE', KEYS[2], math.ceil(wait) + 60000)
return {0, math.ceil(wait), math.ceil(interval), position, name}
)lua";

} // namespace

const RedisScript &RedisSendRateBucket::script()
{
    static const RedisScript s {Script,
                                QCryptographicHash::hash(Script, QCryptographicHash::Sha1).toHex()};
    return s;
}

QList<QByteArray> RedisSendRateBucket::keys() const
{
    return {m_key, m_key + ":slots"};
}

QList<QByteArray> RedisSendRateBucket::args(const QByteArray &operation,
                                            const QByteArray &last) const
{
    return {operation, QByteArray::number(m_rate), QByteArray::number(qint64(RecoveryTime.count())),
            QByteArray::number(MinRateShare), last};
}

RedisSendRateBucket::RedisSendRateBucket(RedisEndpoint endpoint, int sendsPerSecond,
                                         QByteArray keyPrefix, RedisClientOptions options,
                                         QObject *parent)
    : QObject(parent), m_rate(std::max(1, sendsPerSecond)),
      m_key(std::move(keyPrefix) + "sendrate"), m_interval((1000 + m_rate - 1) / m_rate),
      m_client(std::move(endpoint), options)
{
    m_client.open();
}

RedisSendRateBucket::~RedisSendRateBucket() = default;

std::variant<std::unique_ptr<RedisSendRateBucket>, QString>
RedisSendRateBucket::create(const QString &url, int sendsPerSecond, QByteArray keyPrefix)
{
    auto endpoint = RedisEndpoint::fromUrl(url);
    if (auto *error = std::get_if<QString>(&endpoint))
        return *error;
    return std::make_unique<RedisSendRateBucket>(std::get<RedisEndpoint>(std::move(endpoint)),
                                                 sendsPerSecond, std::move(keyPrefix));
}

void RedisSendRateBucket::run(QList<QByteArray> args, std::function<void(const RedisReply &)> done)
{
    QList<QByteArray> cmd {QByteArrayLiteral("EVAL"), script().source, QByteArrayLiteral("2")};
    cmd.append(keys());
    cmd.append(this->args(args.front(), args.back()));
    m_client.command(cmd, std::move(done));
}

void RedisSendRateBucket::reserve(Clock::TimePoint now, milliseconds maxWait,
                                  std::function<void(SendSlot)> done)
{
    if (maxWait.count() < 0) {
        SendSlot s;
        s.status = SendSlot::Status::TooFar;
        done(s);
        return;
    }
    run({QByteArrayLiteral("reserve"), QByteArray::number(qint64(maxWait.count()))},
        [this, now, done = std::move(done)](const RedisReply &r) {
            SendSlot s;
            const auto integer = [&r](qsizetype i) {
                return r.elements.size() > i && r.elements.at(i).type == RedisReply::Type::Integer
                    ? r.elements.at(i).integer
                    : qint64(-1);
            };
            if (r.type != RedisReply::Type::Array || integer(0) < 0 || integer(1) < 0
                || integer(2) <= 0) {
                if (!r.isUnavailable())
                    qCWarning(lcRedisRate).noquote() << "unexpected answer from the send-rate "
                                                        "script:"
                                                     << r.string;
                done(s); // Unavailable
                return;
            }
            m_interval = milliseconds(integer(2));
            s.wait = milliseconds(integer(1));
            if (integer(0) == 1) {
                s.status = SendSlot::Status::TooFar;
            } else {
                s.status = SendSlot::Status::Granted;
                s.position = int(std::max<qint64>(0, integer(3)));
                // The governor gives a slot back by its due time on its own clock.
                if (integer(4) > 0)
                    s.name = QByteArray::number(integer(4));
                adopt(now + s.wait, s);
            }
            done(s);
        });
}

void RedisSendRateBucket::adopt(Clock::TimePoint due, const SendSlot &slot)
{
    // The governor gives a slot back by its due time on its own clock; those past go.
    std::erase_if(m_slots, [due, &slot](const auto &e) { return e.first <= due - slot.wait; });
    if (slot.status == SendSlot::Status::Granted && slot.wait > milliseconds::zero()
        && !slot.name.isEmpty())
        m_slots.insert({due, slot.name});
}

void RedisSendRateBucket::giveBack(Clock::TimePoint slot)
{
    const auto it = m_slots.find(slot);
    if (it == m_slots.end())
        return;
    const QByteArray name = it->second;
    m_slots.erase(it);
    run({QByteArrayLiteral("give"), name}, [](const RedisReply &r) {
        if (r.type != RedisReply::Type::Array)
            qCWarning(lcRedisRate) << "a send slot could not be given back";
    });
}

void RedisSendRateBucket::slowDown(Clock::TimePoint, milliseconds pause)
{
    run({QByteArrayLiteral("slow"), QByteArray::number(qint64(pause.count()))},
        [this](const RedisReply &r) {
            if (r.type == RedisReply::Type::Array && r.elements.size() == 3
                && r.elements.at(2).integer > 0)
                m_interval = milliseconds(r.elements.at(2).integer);
            else
                qCWarning(lcRedisRate) << "the send-rate bucket could not be slowed down";
        });
}

} // namespace waotp
