#include "server/limits/RedisRequestLimits.h"

#include "server/limits/RedisScriptCall.h"
#include "server/token/RandomId.h"

#include "network/redis/RedisCodeStore.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace waotp::server {

namespace {

using std::chrono::microseconds;

// ARGV[1] prefix, ARGV[2] the client's key ('' for none), ARGV[3..4] its interval and burst,
// ARGV[5] '1' to take from the budget, ARGV[6..9] the minute's and the day's count and window
// (intervals, bursts and windows in microseconds; an interval or a count of 0 is no limit),
// ARGV[10] the send's name in the budget's logs (for the give-back).
// Answers {0 allowed | 1 client refused | 2 minute's budget | 3 day's budget, wait in ms}. The
// client is counted even when the budget then refuses, as one process counts it.
//
// The client's limit is a bucket (the generic cell rate algorithm; RateLimiter); the budget is
// a log of the sends (a sorted set by time), as SendBudget keeps it: at most its count in any
// window.
constexpr char AdmitSource[] = R"lua(
local prefix = ARGV[1]
local tt = redis.call('TIME')
local t = tonumber(tt[1]) * 1000000 + tonumber(tt[2])
local function int(x) return string.format('%d', x) end
-- The generic cell rate algorithm: the key holds its theoretical arrival time.
local function wait(key, interval, burst)
  if interval <= 0 then return 0, nil end
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < t then tat = t end
  if tat - t > burst then return tat - t - burst, nil end
  return 0, tat + interval
end
local function take(key, tat)
  if tat then redis.call('SET', key, int(tat), 'PX', int(math.ceil((tat - t) / 1000))) end
end
-- The budget's log: the sends of the window that ends now.
local function logWait(key, count, window)
  if count <= 0 then return 0 end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', int(t - window))
  if redis.call('ZCARD', key) < count then return 0 end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - t
end
local function logSend(key, count, window)
  if count <= 0 then return end
  redis.call('ZADD', key, int(t), ARGV[10])
  redis.call('PEXPIRE', key, int(math.ceil(window / 1000)))
end
if ARGV[2] ~= '' then
  local key = prefix .. 'rl:' .. ARGV[2]
  local w, tat = wait(key, tonumber(ARGV[3]), tonumber(ARGV[4]))
  if w > 0 then return {1, math.ceil(w / 1000)} end
  take(key, tat)
end
if ARGV[5] == '1' then
  local mkey, mcount, mwindow = prefix .. 'budgetlog:minute', tonumber(ARGV[6]), tonumber(ARGV[7])
  local dkey, dcount, dwindow = prefix .. 'budgetlog:day', tonumber(ARGV[8]), tonumber(ARGV[9])
  local wm = logWait(mkey, mcount, mwindow)
  if wm > 0 then return {2, math.ceil(wm / 1000)} end
  local wd = logWait(dkey, dcount, dwindow)
  if wd > 0 then return {3, math.ceil(wd / 1000)} end
  logSend(mkey, mcount, mwindow)
  logSend(dkey, dcount, dwindow)
end
return {0, 0}
)lua";

// ARGV[1] prefix, ARGV[2] the send's name: that send is taken back from each budget's log.
constexpr char GiveBackSource[] = R"lua(
local prefix = ARGV[1]
for _, scope in ipairs({'minute', 'day'}) do
  redis.call('ZREM', prefix .. 'budgetlog:' .. scope, ARGV[2])
end
return 0
)lua";

const RedisScript &giveBackScript()
{
    static const RedisScript s = makeRedisScript(GiveBackSource);
    return s;
}

// Composed of steps, each the Lua of its own store as a function (RedisScripts::asLuaFunction):
// KEYS[1..5] the code store's keys of the number's subject; ARGV[1..10] the admit script's,
// ARGV[11...] the code store issue's. Answers {the admit script's refusal, its wait} or {0, 0,
// the code store issue's answer}.
constexpr char AdmitAndIssueBody[] = R"lua(
local function slice(from, to)
  local a = {}
  for i = from, to do a[#a + 1] = ARGV[i] end
  return a
end
local a = admit({}, slice(1, 10))
if a[1] ~= 0 then return a end
local r = issue(KEYS, slice(11, #ARGV))
-- A send the code store refuses does not spend the budget.
if r[1] ~= 0 and ARGV[5] == '1' then giveBack({}, {ARGV[1], ARGV[10]}) end
return {0, 0, r[1], r[2], r[3], r[4], r[5], r[6]}
)lua";

// The interval and the burst of @p limit, as RateLimiter has them.
std::pair<QByteArray, QByteArray> gcra(const RateLimit &limit)
{
    if (!limit.enabled())
        return {QByteArrayLiteral("0"), QByteArrayLiteral("0")};
    const microseconds window = limit.window;
    const microseconds interval = window / limit.count;
    return {QByteArray::number(qint64(interval.count())),
            QByteArray::number(qint64((window - interval).count()))};
}

// The count and the window (microseconds) of a budget's log.
std::pair<QByteArray, QByteArray> budgetLog(int count, std::chrono::microseconds window)
{
    return {QByteArray::number(std::max(count, 0)), QByteArray::number(qint64(window.count()))};
}

} // namespace

const RedisScript &RedisRequestLimits::admitScript()
{
    static const RedisScript s = makeRedisScript(AdmitSource);
    return s;
}

const RedisScript &RedisRequestLimits::admitAndIssueScript()
{
    static const RedisScript s = makeRedisScript(
        QByteArray(RedisScripts::asLuaFunction(RedisRequestLimits::admitScript(), "admit"))
            .append(RedisScripts::asLuaFunction(giveBackScript(), "giveBack"))
            .append(RedisScripts::asLuaFunction(RedisScripts::issue(), "issue"))
            .append(AdmitAndIssueBody)
            .constData());
    return s;
}

RedisRequestLimits::RedisRequestLimits(RedisEndpoint endpoint, QByteArray keyPrefix,
                                       QByteArray secret, const Settings &settings,
                                       RedisClientOptions options)
    : m_prefix(std::move(keyPrefix)), m_secret(std::move(secret)), m_settings(settings),
      m_client(std::move(endpoint), options)
{
    for (const RedisScript *s : {&admitScript(), &giveBackScript(), &admitAndIssueScript()})
        m_client.addSetupCommand(
            {QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), s->source});
    m_client.open();
}

RedisRequestLimits::~RedisRequestLimits() = default;

QByteArray RedisRequestLimits::sendsKey(const QByteArray &client) const
{
    return m_prefix + "rl:s:" + redisKeyHash(m_secret, client);
}

void RedisRequestLimits::admitSend(const QByteArray &client, bool fromBudget, Done done)
{
    admit("s:" + redisKeyHash(m_secret, client), m_settings.sendsPerIp, Scope::IpSends, fromBudget,
          std::move(done));
}

void RedisRequestLimits::admitCheck(const QByteArray &client, Done done)
{
    admit("c:" + redisKeyHash(m_secret, client), m_settings.checksPerIp, Scope::IpChecks, false,
          std::move(done));
}

QList<QByteArray> RedisRequestLimits::args(const QByteArray &clientKey, const RateLimit &limit,
                                           bool fromBudget, const QByteArray &budgetEntry) const
{
    const auto [interval, burst] = gcra(limit);
    const auto [minuteCount, minuteWindow] =
        budgetLog(m_settings.maxSendsPerMinute, std::chrono::minutes(1));
    const auto [dayCount, dayWindow] = budgetLog(m_settings.maxSendsPerDay, std::chrono::hours(24));
    return {m_prefix,
            limit.enabled() ? clientKey : QByteArray(),
            interval,
            burst,
            fromBudget ? QByteArrayLiteral("1") : QByteArrayLiteral("0"),
            minuteCount,
            minuteWindow,
            dayCount,
            dayWindow,
            budgetEntry};
}

QList<QByteArray> RedisRequestLimits::checkArgs(const QByteArray &client) const
{
    return args("c:" + redisKeyHash(m_secret, client), m_settings.checksPerIp, false, {});
}

void RedisRequestLimits::admit(const QByteArray &clientKey, const RateLimit &limit, Scope scope,
                               bool fromBudget, Done done)
{
    const bool budget = takesFromBudget(fromBudget);
    if (!limit.enabled() && !budget) {
        done({}); // nothing to count: no round trip
        return;
    }
    const QByteArray entry = newBudgetEntry(budget);
    runRedisScript(m_client, admitScript(), args(clientKey, limit, budget, entry),
                   [scope, entry, done = std::move(done)](const RedisReply &r) {
                       Answer a = answerOf(r, scope);
                       if (a.allowed())
                           a.budgetEntry = entry;
                       done(a);
                   });
}

RequestLimits::Answer RedisRequestLimits::answerOf(const RedisReply &r, Scope scope)
{
    Answer a;
    if (r.type != RedisReply::Type::Array || r.elements.size() < 2
        || r.elements[0].type != RedisReply::Type::Integer
        || r.elements[1].type != RedisReply::Type::Integer || r.elements[0].integer < 0
        || r.elements[0].integer > 3 || r.elements[1].integer < 0) {
        if (r.isError())
            qCWarning(lcRedis).noquote() << "Redis script failed:" << r.string;
        a.unavailable = true; // fails closed
        return a;
    }
    static const Scope scopes[] = {Scope::None, Scope::None, Scope::BudgetMinute, Scope::BudgetDay};
    const qint64 status = r.elements[0].integer;
    a.refused = status == 1 ? scope : scopes[status];
    a.wait = std::chrono::milliseconds(r.elements[1].integer);
    return a;
}

QList<QByteArray> RedisRequestLimits::admitAndIssueArgs(const QByteArray &client, bool fromBudget,
                                                        const Digest &subject,
                                                        const std::optional<Digest> &codeMac,
                                                        const OtpPolicy &policy,
                                                        const QByteArray &budgetEntry) const
{
    const bool budget = takesFromBudget(fromBudget);
    QList<QByteArray> argv =
        args("s:" + redisKeyHash(m_secret, client), m_settings.sendsPerIp, budget, budgetEntry);
    argv.append(m_prefix);
    argv.append(RedisCodeStore::issueArgs(subject, codeMac, policy));
    return argv;
}

std::pair<RequestLimits::Answer, IssueOutcome>
RedisRequestLimits::admitAndIssueOutcome(const RedisReply &r, Clock::TimePoint now,
                                         const OtpPolicy &policy)
{
    const Answer a = answerOf(r, Scope::IpSends);
    if (!a.allowed())
        return {a, {}};
    std::optional<QList<qint64>> issued;
    if (r.elements.size() == 8) {
        issued.emplace();
        for (qsizetype i = 2; i < 8; ++i) {
            if (r.elements[i].type != RedisReply::Type::Integer) {
                issued.reset();
                break;
            }
            issued->append(r.elements[i].integer);
        }
    }
    return {a, RedisCodeStore::issueOutcome(issued, now, policy)};
}

void RedisRequestLimits::admitAndIssue(
    const QByteArray &client, bool fromBudget, const Digest &subject,
    const std::optional<Digest> &codeMac, Clock::TimePoint now, const OtpPolicy &policy,
    std::function<void(const Answer &, const IssueOutcome &)> done)
{
    const QByteArray entry = newBudgetEntry(fromBudget);
    runRedisScript(m_client, admitAndIssueScript(),
                   RedisScripts::subjectKeys(m_prefix, CodeHasher::toHex(subject)),
                   admitAndIssueArgs(client, fromBudget, subject, codeMac, policy, entry),
                   [now, policy, entry, done = std::move(done)](const RedisReply &r) {
                       auto [a, o] = admitAndIssueOutcome(r, now, policy);
                       if (a.allowed())
                           a.budgetEntry = entry;
                       done(a, o);
                   });
}

void RedisRequestLimits::giveBackSend(const QByteArray &budgetEntry)
{
    if (budgetEntry.isEmpty())
        return;
    runRedisScript(m_client, giveBackScript(), {m_prefix, budgetEntry}, [](const RedisReply &) {});
}

QByteArray RedisRequestLimits::newBudgetEntry(bool fromBudget) const
{
    return takesFromBudget(fromBudget) ? randomId(12) : QByteArray();
}

bool RedisRequestLimits::takesFromBudget(bool fromBudget) const
{
    return fromBudget && (m_settings.maxSendsPerMinute > 0 || m_settings.maxSendsPerDay > 0);
}

} // namespace waotp::server
