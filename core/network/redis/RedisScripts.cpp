#include "network/redis/RedisScripts.h"

#include <QCryptographicHash>

namespace waotp::RedisScripts {

namespace {

// Helpers shared by every script. Times and durations are integer milliseconds; they are
// formatted with %d before they reach redis.call() because Redis turns Lua numbers into
// strings that PEXPIRE would not always accept as integers.
//
// Why two indexes: per-subject keys expire by themselves (PEXPIRE), but the store must also
// count active codes and tracked subjects without scanning the key space. The code index holds
// each code's deadline, the subject index the time when all of a subject's state is gone; both
// are trimmed at every call, and the subject index drives the deletion of leftovers (which
// matters when the caller's clock, not Redis', decides what has expired).
constexpr char Prelude[] = R"lua(
local prefix = ARGV[1]
local function now()
  if ARGV[2] ~= '' then return tonumber(ARGV[2]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(x) return string.format('%d', x) end
local function tidy(t, limit)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(t))
  local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', int(t), 'LIMIT', 0, limit)
  for _, s in ipairs(gone) do
    redis.call('DEL', prefix .. 'code:' .. s, prefix .. 'sends:' .. s, prefix .. 'fails:' .. s)
    redis.call('ZREM', KEYS[2], s)
  end
end
local function answer(t, r)
  local after = '(' .. int(t)
  r[#r + 1] = redis.call('ZCOUNT', KEYS[1], after, '+inf')
  r[#r + 1] = redis.call('ZCOUNT', KEYS[2], after, '+inf')
  return r
end
local t = now()

-- The subject keeps its place in the subject index (and the indexes their TTL) until keepUntil.
local function keep(subject, keepUntil)
  redis.call('ZADD', KEYS[2], 'GT', int(keepUntil), subject)
  -- The indexes expire too, should the whole fleet fall silent.
  for i = 1, 2 do
    if redis.call('PTTL', KEYS[i]) < keepUntil - t then redis.call('PEXPIRE', KEYS[i], int(keepUntil - t)) end
  end
end

-- The number's wrong codes (KEYS[5]): a sorted set of their times, trimmed to the window.
local function failuresIn(window)
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', int(t - window))
  return redis.call('ZCARD', KEYS[5])
end
local function failureAt(index)
  return tonumber(redis.call('ZRANGE', KEYS[5], index, index, 'WITHSCORES')[2])
end
-- Counts one at t; answers the member's number. Members stay unique even for two in the same
-- millisecond, and after one was given back (releaseGuess).
local function addFailure(subject, n, window)
  local k = n
  while redis.call('ZSCORE', KEYS[5], int(t) .. '-' .. k) do k = k + 1 end
  redis.call('ZADD', KEYS[5], int(t), int(t) .. '-' .. k)
  redis.call('PEXPIRE', KEYS[5], int(window))
  keep(subject, t + window)
  return k
end
)lua";

constexpr char IssueBody[] = R"lua(
tidy(t, 16)
local subject, mac = ARGV[3], ARGV[4]
local lifetime, first, longest = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local maxSends, window = tonumber(ARGV[8]), tonumber(ARGV[9])
local maxFailures, failureWindow = tonumber(ARGV[10]), tonumber(ARGV[11])
local backoffFrom, backoffStep, firstBackoff = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])

-- The same rule as resendCooldown() in OtpPolicy.cpp.
local function cooldown(n)
  if n <= 0 then return 0 end
  local c, i = first, 1
  while i < n and c < longest do c = c * 2; i = i + 1 end
  return math.min(c, longest)
end
-- The same rule as failureBackoff() in OtpPolicy.cpp.
local function backoff(f)
  if f < backoffFrom or firstBackoff <= 0 then return 0 end
  local b, i = firstBackoff, 0
  local doublings = math.floor((f - backoffFrom) / math.max(1, backoffStep))
  while i < doublings and b < failureWindow do b = b * 2; i = i + 1 end
  return math.min(b, failureWindow)
end
local function sendAt(index)
  return tonumber(redis.call('ZRANGE', KEYS[4], index, index, 'WITHSCORES')[2])
end

-- As MemoryCodeStore::issue(): the rule that asks for the longest wait answers; the hourly cap
-- if longer than the cooldown, the wrong codes' backoff if as long or longer.
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', int(t - window))
local n = redis.call('ZCARD', KEYS[4])
local refused, allowedAt = nil, 0
if n > 0 and sendAt(-1) + cooldown(n) > t then refused, allowedAt = 1, sendAt(-1) + cooldown(n) end
if n >= maxSends and (not refused or sendAt(0) + window > allowedAt) then
  refused, allowedAt = 2, sendAt(0) + window
end
-- The same rule as failureBackoffUntil() in OtpPolicy.cpp: between two departures from the
-- window the count is fixed; the first stretch that holds the wait its count asks for wins.
local f = failuresIn(failureWindow)
if f > 0 then
  local times = redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES')
  local function failure(i) return tonumber(times[2 * i + 2]) end
  local at = math.max(t, failure(f - 1) + failureWindow)
  for left = 0, f - 1 do
    local from = t
    if left > 0 then from = failure(left - 1) + failureWindow end
    if f - left < maxFailures then
      local candidate = math.max(from, failure(f - 1) + backoff(f - left))
      if candidate < failure(left) + failureWindow then at = candidate; break end
    end
  end
  if at > t and (not refused or at >= allowedAt) then refused, allowedAt = 3, at end
end
if refused then return answer(t, {refused, allowedAt - t, n, allowedAt - t}) end
-- A preview (ARGV[15] '1'): the send would go; nothing is stored.
if ARGV[15] == '1' then return answer(t, {0, 0, n, 0}) end

redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[1], subject)
-- Members must be unique even for two sends in the same millisecond: sends with equal times
-- are only ever trimmed together, so between them the count only grows.
redis.call('ZADD', KEYS[4], int(t), int(t) .. '-' .. n)
n = n + 1
redis.call('PEXPIRE', KEYS[4], int(window))
local keepUntil = t + window
if mac ~= '' then
  -- The key outlives the deadline by one lifetime so that a late attempt hears "expired"
  -- rather than "nothing requested"; the deadline itself is the 'exp' field.
  redis.call('HSET', KEYS[3], 'mac', mac, 'exp', int(t + lifetime), 'att', '0')
  redis.call('PEXPIRE', KEYS[3], int(2 * lifetime))
  redis.call('ZADD', KEYS[1], int(t + lifetime), subject)
  keepUntil = math.max(keepUntil, t + 2 * lifetime)
end
keep(subject, keepUntil)
local nextIn = cooldown(n)
if n >= maxSends then nextIn = math.max(nextIn, sendAt(0) + window - t) end
return answer(t, {0, lifetime, n, nextIn})
)lua";

// Comparing the MACs with Lua's == is not a timing leak: Lua interns strings, so equality is a
// pointer comparison whatever the content.
constexpr char CheckBody[] = R"lua(
tidy(t, 16)
local subject = ARGV[3]
local maxFailures, failureWindow = tonumber(ARGV[6]), tonumber(ARGV[7])
local h = redis.call('HMGET', KEYS[3], 'mac', 'exp', 'att')
if not h[2] then return answer(t, {3, 0, 0}) end
if t >= tonumber(h[2]) then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[1], subject)
  return answer(t, {2, 0, 0})
end
if h[1] == '' then return answer(t, {4, 0, 0}) end
-- The number's wrong codes across its codes: past the limit nothing is compared.
local f = failuresIn(failureWindow)
if f >= maxFailures then return answer(t, {5, 0, failureAt(0) + failureWindow - t}) end
if h[1] == ARGV[4] then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[1], subject)
  return answer(t, {0, 0, 0})
end
addFailure(subject, f, failureWindow)
local left = tonumber(ARGV[5]) - redis.call('HINCRBY', KEYS[3], 'att', 1)
if left <= 0 then
  -- Void the code but keep the key until the deadline: further guesses hear "too many".
  redis.call('HSET', KEYS[3], 'mac', '')
  return answer(t, {4, 0, 0})
end
return answer(t, {1, left, 0})
)lua";

// Counts a wrong code ahead of a provider's check (Twilio Verify), unless the limit is reached.
constexpr char ReserveGuessBody[] = R"lua(
tidy(t, 16)
local subject, maxFailures, failureWindow = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local f = failuresIn(failureWindow)
if f >= maxFailures then return answer(t, {1, failureAt(0) + failureWindow - t, 0, 0}) end
local k = addFailure(subject, f, failureWindow)
return answer(t, {0, 0, t, k})
)lua";

constexpr char ReleaseGuessBody[] = R"lua(
redis.call('ZREM', KEYS[5], ARGV[4])
tidy(t, 16)
return answer(t, {})
)lua";

constexpr char CancelBody[] = R"lua(
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[3])
tidy(t, 16)
return answer(t, {})
)lua";

constexpr char SweepBody[] = R"lua(
tidy(t, 1000)
return answer(t, {})
)lua";

RedisScript make(const char *body)
{
    RedisScript s;
    s.source = QByteArray(Prelude).append(body);
    s.sha1 = QCryptographicHash::hash(s.source, QCryptographicHash::Sha1).toHex();
    return s;
}

} // namespace

const RedisScript &issue()
{
    static const RedisScript s = make(IssueBody);
    return s;
}

const RedisScript &check()
{
    static const RedisScript s = make(CheckBody);
    return s;
}

const RedisScript &cancel()
{
    static const RedisScript s = make(CancelBody);
    return s;
}

const RedisScript &reserveGuess()
{
    static const RedisScript s = make(ReserveGuessBody);
    return s;
}

const RedisScript &releaseGuess()
{
    static const RedisScript s = make(ReleaseGuessBody);
    return s;
}

const RedisScript &sweep()
{
    static const RedisScript s = make(SweepBody);
    return s;
}

QList<QByteArray> subjectKeys(const QByteArray &prefix, const QByteArray &subjectHex)
{
    return {prefix + "index:codes", prefix + "index:subjects", prefix + "code:" + subjectHex,
            prefix + "sends:" + subjectHex, prefix + "fails:" + subjectHex};
}

QByteArray asLuaFunction(const RedisScript &script, const char *name)
{
    return QByteArray("local function ") + name + "(KEYS, ARGV)\n" + script.source + "\nend\n";
}

} // namespace waotp::RedisScripts
