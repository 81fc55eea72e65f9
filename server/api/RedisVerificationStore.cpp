#include "server/api/RedisVerificationStore.h"

#include "server/limits/RedisRequestLimits.h"
#include "server/limits/RedisScriptCall.h"

#include "network/redis/RedisCodeStore.h"
#include "network/redis/RedisScripts.h"
#include "network/redis/RedisSendRateBucket.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace waotp::server {

namespace {

using namespace std::chrono_literals;
using RedisScripts::asLuaFunction;
using std::chrono::milliseconds;

// Every script: ARGV[1] the key prefix, ARGV[2] the retention (ms), ARGV[3...] its own. Each
// answers {0, now} when there is nothing to do (no such verification, or no longer open), or
// {1, now, current, fields}: current is 1 when the verification is its number's current one,
// fields its hash as HGETALL gives it, now Redis' clock in ms.
constexpr char Prelude[] = R"lua(
local prefix = ARGV[1]
local retention = tonumber(ARGV[2])
local tt = redis.call('TIME')
local t = tonumber(tt[1]) * 1000 + math.floor(tonumber(tt[2]) / 1000)
local function int(x) return string.format('%d', x) end
local function vkey(id) return prefix .. 'v:' .. id end
local function nkey(n) return prefix .. 'vn:' .. n end
local function mkey(sid) return prefix .. 'vm:' .. sid end
local function changed(id) redis.call('PUBLISH', prefix .. 'changes', id) end
local function exists(id) return id and redis.call('EXISTS', vkey(id)) == 1 end
local function isOpen(id)
  if not exists(id) then return false end
  local h = redis.call('HMGET', vkey(id), 'ok', 'can')
  return h[1] ~= '1' and h[1] ~= '2' and h[2] ~= '1'
end
-- A verification's keys live until its code's end plus the retention.
local function keep(id)
  local h = redis.call('HMGET', vkey(id), 'exp', 'nk', 'sid')
  local ttl = tonumber(h[1]) + retention - t
  if ttl < 1 then ttl = 1 end
  redis.call('PEXPIRE', vkey(id), int(ttl))
  if h[2] and redis.call('GET', nkey(h[2])) == id then redis.call('PEXPIRE', nkey(h[2]), int(ttl)) end
  if h[3] and h[3] ~= '' then redis.call('PEXPIRE', mkey(h[3]), int(ttl)) end
end
local function answer(id)
  if not exists(id) then return {0, t} end
  local nk = redis.call('HGET', vkey(id), 'nk')
  local current = 0
  if nk and redis.call('GET', nkey(nk)) == id then current = 1 end
  return {1, t, current, redis.call('HGETALL', vkey(id))}
end
local function done(id)
  keep(id)
  changed(id)
  return answer(id)
end
-- Deliveries only move on (callbacks may arrive out of order), and a failure (5, 6) ends them.
local function deliveryMoves(id, next, err)
  local current = tonumber(redis.call('HGET', vkey(id), 'del'))
  local nx = tonumber(next)
  local function failure(s) return s == 5 or s == 6 end
  if nx == 0 or failure(current) or not (failure(nx) or nx > current) then return {0, t} end
  if not failure(nx) then err = '0' end
  redis.call('HSET', vkey(id), 'del', next, 'derr', err)
  return done(id)
end
)lua";

// ARGV[3] id.
constexpr char FindBody[] = R"lua(
return answer(ARGV[3])
)lua";

// ARGV[3] id, ARGV[4] the number's key, ARGV[5] code lifetime (ms), ARGV[6] next send in (ms),
// ARGV[7] message SID or '', ARGV[8...] more fields and values.
constexpr char AddBody[] = R"lua(
local id, nk, sid = ARGV[3], ARGV[4], ARGV[7]
local previous = redis.call('GET', nkey(nk))
if previous and previous ~= id and isOpen(previous) then
  redis.call('HSET', vkey(previous), 'can', '1')
  changed(previous)
end
redis.call('DEL', vkey(id))
local f = {'nk', nk, 'exp', int(t + tonumber(ARGV[5])), 'next', int(t + tonumber(ARGV[6])),
           'sid', sid, 'del', '1', 'derr', '0', 'ok', '0', 'can', '0', 'used', '0'}
for i = 8, #ARGV do f[#f + 1] = ARGV[i] end
redis.call('HSET', vkey(id), unpack(f))
redis.call('SET', nkey(nk), id)
if sid ~= '' then redis.call('SET', mkey(sid), id) end
return done(id)
)lua";

// ARGV[3] id, ARGV[4] code lifetime, ARGV[5] next send in (ms), ARGV[6] message SID or '',
// ARGV[7] channel, ARGV[8] attempts, ARGV[9] silent.
constexpr char CodeSentBody[] = R"lua(
local id, sid = ARGV[3], ARGV[6]
if not isOpen(id) then return {0, t} end
local old = redis.call('HGET', vkey(id), 'sid')
if old and old ~= '' and redis.call('GET', mkey(old)) == id then redis.call('DEL', mkey(old)) end
redis.call('HSET', vkey(id), 'exp', int(t + tonumber(ARGV[4])), 'next', int(t + tonumber(ARGV[5])),
           'sid', sid, 'chan', ARGV[7], 'att', ARGV[8], 'sil', ARGV[9], 'used', '0', 'del', '1',
           'derr', '0', 'st', '')
if sid ~= '' then redis.call('SET', mkey(sid), id) end
return done(id)
)lua";

// ARGV[3] id, ARGV[4] field, ARGV[5] value, ARGV[6] field, ARGV[7] value...: set on an open one.
constexpr char UpdateBody[] = R"lua(
local id = ARGV[3]
if not isOpen(id) then return {0, t} end
local f = {}
for i = 4, #ARGV do f[#f + 1] = ARGV[i] end
redis.call('HSET', vkey(id), unpack(f))
return done(id)
)lua";

// ARGV[3] id, ARGV[4] the attempts the provider leaves (Twilio Verify counts the wrong codes
// one instance checked): one wrong code more, counted on the verification as it is now, so that
// wrong codes at several instances at once each take one attempt. None left: used up.
constexpr char WrongCodeBody[] = R"lua(
local id = ARGV[3]
if not isOpen(id) then return {0, t} end
local h = redis.call('HMGET', vkey(id), 'att', 'used')
local left = 0
if h[2] ~= '1' then left = math.max(0, math.min(tonumber(ARGV[4]), tonumber(h[1]) - 1)) end
if left > 0 then
  redis.call('HSET', vkey(id), 'att', int(left))
else
  redis.call('HSET', vkey(id), 'att', '0', 'used', '1')
end
return done(id)
)lua";

// ARGV[3] the number's key, ARGV[4] delivery, ARGV[5] error, ARGV[6] '1': only if it is open.
constexpr char DeliveryOfNumberBody[] = R"lua(
local id = redis.call('GET', nkey(ARGV[3]))
if not exists(id) or (ARGV[6] == '1' and not isOpen(id)) then return {0, t} end
redis.call('HSET', vkey(id), 'del', ARGV[4], 'derr', ARGV[5])
return done(id)
)lua";

// ARGV[3] the number's key, ARGV[4] message SID: the open current verification's code went out
// as that message.
constexpr char MessageOfNumberBody[] = R"lua(
local id, sid = redis.call('GET', nkey(ARGV[3])), ARGV[4]
if not isOpen(id) then return {0, t} end
local old = redis.call('HGET', vkey(id), 'sid')
if old and old ~= '' and redis.call('GET', mkey(old)) == id then redis.call('DEL', mkey(old)) end
redis.call('HSET', vkey(id), 'sid', sid)
redis.call('SET', mkey(sid), id)
return done(id)
)lua";

// ARGV[3] message SID, ARGV[4] delivery, ARGV[5] error: a message named by its SID (a status
// callback of a message sent before the callbacks named their send).
constexpr char DeliveryOfMessageBody[] = R"lua(
local id = redis.call('GET', mkey(ARGV[3]))
if not exists(id) then return {0, t} end
return deliveryMoves(id, ARGV[4], ARGV[5])
)lua";

// ARGV[3] id, ARGV[4] send tag, ARGV[5] delivery, ARGV[6] error: only the verification's
// current send moves it.
constexpr char DeliveryOfSendBody[] = R"lua(
local id = ARGV[3]
if not exists(id) or redis.call('HGET', vkey(id), 'st') ~= ARGV[4] then return {0, t} end
return deliveryMoves(id, ARGV[5], ARGV[6])
)lua";

// Composed of steps (RedisScripts::asLuaFunction): KEYS[1..5] the code store's keys of the
// number's subject; ARGV[3] '1' a new verification or '0' a resend, ARGV[4] id, ARGV[5] the
// number's key, ARGV[6] the send's tag, ARGV[7..8] the policy's first and longest cooldown
// (ms), ARGV[9] how many of the ARGV after it are RedisRequestLimits::admitAndIssueScript()'s
// (the first 9 of them the admit script's), then those, then how many of the ARGV after it name
// the send-rate bucket (0, or its two keys and the five ARGV of its reservation, see
// RedisSendRateBucket::args()), then those, then: for a new verification, its fields
// and values; for a resend, the channel asked for ('' for the verification's), the attempts, and
// what the flow's rule on accounts makes of a send of each flow (sign-up, sign-in: 0 send, 1
// silent send, 2 and up refused). A resend needs an open verification; its flow's rule applies
// (a refusal counts the client's send only, as VerificationApi does), and its first cooldown is
// waived if and only if its last send or delivery failed (as the store has it). The limits count
// the send and the code store issues the code; then a new verification is added as add() adds it
// and a resend's is updated as codeSent() updates it, both without a message SID: the send's tag
// names it to status callbacks. Answers {0, now} for a resend of no open verification, {2, now, the
// admit-and-issue answer} when the limits or the code store refused, {3, now, the rule's answer,
// the admit script's answer} when the rule refused, or as the others followed by the
// admit-and-issue answer and, with a bucket, the reservation's answer (padded to 5 integers).
constexpr char SendCodeBody[] = R"lua(
local fresh, id, nk, tag = ARGV[3] == '1', ARGV[4], ARGV[5], ARGV[6]
local first, longest, n = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local function slice(from, to)
  local a = {}
  for i = from, to do a[#a + 1] = ARGV[i] end
  return a
end
local function with(r, a)
  for i = 1, #a do r[#r + 1] = a[i] end
  return r
end
local m = tonumber(ARGV[10 + n])
local f = slice(11 + n + m, #ARGV)
local waive = false
if not fresh then
  if not isOpen(id) then return {0, t} end
  local h = redis.call('HMGET', vkey(id), 'flow', 'chan', 'del')
  local rule = tonumber(f[3 + tonumber(h[1])])
  if rule > 1 then
    local limits = slice(10, 19)
    limits[5] = '0'
    return with({3, t, rule}, admit({}, limits))
  end
  local silent = '0'
  if rule == 1 then silent = '1' end
  local chan = f[1]
  if chan == '' then chan = h[2] end
  f = {'chan', chan, 'att', f[2], 'sil', silent}
  -- The store, not the memory of the instance that heard it, knows whether the last send or
  -- delivery failed (5, 6): then the person may try again at once (the code store's first
  -- cooldown, the ARGV after the admit script's and 5 of the issue's, is waived); otherwise the
  -- policy's cooldown holds, whatever an instance remembers (OtpEngine's waiver).
  waive = h[3] == '5' or h[3] == '6'
end
if fresh then
  -- The same for a new verification of a number whose last send failed (see SendFailedBody), or
  -- whose last verification failed its delivery or was approved (a sign-in again at once), its
  -- approval final or not: an instance that stopped between a right code and its token leaves
  -- it not final for good, and the person who typed that code starts anew at once.
  local previous = redis.call('GET', nkey(nk))
  if previous == 'failed' then
    waive = true
  elseif exists(previous) then
    local p = redis.call('HMGET', vkey(previous), 'del', 'ok')
    waive = p[1] == '5' or p[1] == '6' or p[2] == '1' or p[2] == '2'
  end
end
local issue = slice(10, 9 + n)
issue[16] = ARGV[7]
if waive then issue[16] = '0' end
local a = admitAndIssue(KEYS, issue)
if a[1] ~= 0 or a[3] ~= 0 then return with({2, t}, a) end
-- The same rule as resendCooldown() in OtpPolicy.cpp: the wait after this send, even when the
-- engine waived this one's (after a failure or an approval).
local function cooldown(k)
  if k <= 0 then return 0 end
  local c, i = first, 1
  while i < k and c < longest do c = c * 2; i = i + 1 end
  return math.min(c, longest)
end
local lifetime, sends, nextIn = a[4], a[5], a[6]
local nextAt = int(t + math.max(nextIn, cooldown(sends)))
-- The send's slot of the shared send rate (RedisSendRateBucket's script on its keys), taken with
-- the code: it must come while the code keeps the part of its life a send must leave
-- (SendGovernor::reserveOfLife()).
local slot = {}
if m > 0 then
  local s = slice(11 + n, 10 + n + m)
  s[7] = int(lifetime - math.min(30000, math.floor(lifetime / 2)))
  slot = sendRate({s[1], s[2]}, {s[3], s[4], s[5], s[6], s[7]})
  for i = #slot + 1, 5 do slot[i] = 0 end
end
if fresh then
  local previous = redis.call('GET', nkey(nk))
  if previous and previous ~= id and isOpen(previous) then
    redis.call('HSET', vkey(previous), 'can', '1')
    changed(previous)
  end
  redis.call('DEL', vkey(id))
  redis.call('HSET', vkey(id), 'nk', nk, 'ok', '0', 'can', '0')
  redis.call('SET', nkey(nk), id)
else
  local old = redis.call('HGET', vkey(id), 'sid')
  if old and old ~= '' and redis.call('GET', mkey(old)) == id then redis.call('DEL', mkey(old)) end
end
redis.call('HSET', vkey(id), 'exp', int(t + lifetime), 'next', nextAt, 'sid', '', 'st', tag,
           'del', '1', 'derr', '0', 'used', '0', unpack(f))
return with(with(done(id), a), slot)
)lua";

// ARGV[3] id, ARGV[4] send tag, ARGV[5] '1' if the send was to start the verification: the send
// failed. A new verification is forgotten (nobody learned its id), and its number's key says
// 'failed' instead, so that a new one may be sent at once; a resend's shows the failed delivery
// and may be sent again at once (SendCodeBody waives the cooldown). ARGV[6] how many ARGV after
// it name a slot of the shared send rate that no message used (0, or the bucket's two keys and
// the five ARGV of its "give", see RedisSendRateBucket::args()): given back first, whatever
// became of the verification.
constexpr char SendFailedBody[] = R"lua(
local id, m = ARGV[3], tonumber(ARGV[6])
if m > 0 then sendRate({ARGV[7], ARGV[8]}, {ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13]}) end
if not exists(id) or redis.call('HGET', vkey(id), 'st') ~= ARGV[4] then return {0, t} end
if ARGV[5] == '1' then
  local nk = redis.call('HGET', vkey(id), 'nk')
  redis.call('DEL', vkey(id))
  if nk and redis.call('GET', nkey(nk)) == id then redis.call('SET', nkey(nk), 'failed', 'KEEPTTL') end
  changed(id)
  return {0, t}
end
redis.call('HSET', vkey(id), 'del', '5', 'derr', '0', 'next', int(t))
return done(id)
)lua";

// ARGV[3] id, ARGV[4] send tag, ARGV[5] the provider's id of the code (Twilio Verify's
// verification SID): the send went out. Stored if the send is still the verification's current
// one; answers {0, now} if the verification is no longer open. Nothing a client sees changes:
// nothing is published.
constexpr char SendAcceptedBody[] = R"lua(
local id = ARGV[3]
if not isOpen(id) then return {0, t} end
if redis.call('HGET', vkey(id), 'st') == ARGV[4] then redis.call('HSET', vkey(id), 'sid', ARGV[5]) end
return answer(id)
)lua";

// Composed of steps, each the Lua of its own store as a function (RedisScripts::asLuaFunction):
// KEYS[1..5] the code store's keys of the number's subject; ARGV[3] id, ARGV[4] how many of the
// ARGV after it are the client limit's (RedisRequestLimits::admitScript()), then those, then the
// code store check's. Answers as the others, followed by {step 0 attempts used up | 1 expired |
// 2 client refused | 3 checked, the client's wait, then the code store check's answer}. It stops
// at the first step that refuses.
constexpr char CheckCodeBody[] = R"lua(
local id, n = ARGV[3], tonumber(ARGV[4])
local function slice(from, to)
  local a = {}
  for i = from, to do a[#a + 1] = ARGV[i] end
  return a
end
local function stop(r, step, a, c)
  r[5], r[6] = step, a or 0
  for i = 1, 5 do r[6 + i] = (c or {})[i] or 0 end
  return r
end
if not isOpen(id) then return {0, t} end
local h = redis.call('HMGET', vkey(id), 'used', 'del', 'exp', 'sil', 'att')
if h[1] == '1' then return stop(answer(id), 0) end
if h[2] ~= '5' and h[2] ~= '6' and t >= tonumber(h[3]) then return stop(answer(id), 1) end
local limit = admit({}, slice(5, 4 + n))
if limit[1] ~= 0 then return stop(answer(id), 2, limit[2]) end
local c = check(KEYS, slice(5 + n, #ARGV))
local status, left = c[1], c[2]
-- Nobody was sent a silent send's code: a match can only be a guess (and used the code up). It
-- is answered as the wrong code it is to everyone else, down to the last attempt; once a failed
-- send voided it, there is no code, as for a real verification (not_found for both).
if h[4] == '1' and h[2] ~= '5' and (status == 0 or status == 3) then
  left = math.max(0, tonumber(h[5]) - 1)
  if left > 0 then status = 1 else status = 4 end
end
if status == 0 then
  -- Approved, not yet final: shown pending until the token is out (confirmApproval()).
  redis.call('HSET', vkey(id), 'ok', '2')
elseif status == 1 then
  redis.call('HSET', vkey(id), 'att', int(left))
elseif status == 4 then
  redis.call('HSET', vkey(id), 'att', '0', 'used', '1')
else
  return stop(answer(id), 3, 0, c)
end
c[1], c[2] = status, left
if status == 0 then
  -- Nothing shows until the approval is final: its change is published then.
  keep(id)
  return stop(answer(id), 3, 0, c)
end
return stop(done(id), 3, 0, c)
)lua";

// KEYS[1..5] the code store's keys of the number's subject; ARGV[3] id, ARGV[4...] the code
// store cancel's ARGV.
constexpr char CancelWithCodeBody[] = R"lua(
local id = ARGV[3]
if not isOpen(id) then return {0, t} end
redis.call('HSET', vkey(id), 'can', '1')
local nk = redis.call('HGET', vkey(id), 'nk')
if nk and redis.call('GET', nkey(nk)) == id then
  local a = {}
  for i = 4, #ARGV do a[#a + 1] = ARGV[i] end
  cancelCode(KEYS, a)
end
return done(id)
)lua";

// ARGV[3] id, ARGV[4] '1' to cancel it too.
constexpr char WithdrawApprovalBody[] = R"lua(
local id = ARGV[3]
if not exists(id) then return {0, t} end
local ok = redis.call('HGET', vkey(id), 'ok')
if ok ~= '1' and ok ~= '2' then return {0, t} end
redis.call('HSET', vkey(id), 'ok', '0')
if ARGV[4] == '1' then redis.call('HSET', vkey(id), 'can', '1') end
return done(id)
)lua";

// ARGV[3] id: checkCode()'s approval is final.
constexpr char ConfirmApprovalBody[] = R"lua(
local id = ARGV[3]
if not exists(id) or redis.call('HGET', vkey(id), 'ok') ~= '2' then return {0, t} end
redis.call('HSET', vkey(id), 'ok', '1')
return done(id)
)lua";

// What one pass of the event loop asked of the store, as one call (see
// RedisVerificationStore::MaxPerCall): ARGV[3] how many steps; then each step's kind (its place
// in Steps), how many KEYS and how many ARGV its own script takes, then those (its KEYS, then its
// ARGV from ARGV[3] on). Each runs as its own script would, in the order asked, on Redis' one
// clock reading; the answer has one element per step, its own script's answer, or the error of a
// step that failed (the others stand).
constexpr char PassBody[] = R"lua(
local out, at = {}, 4
for k = 1, tonumber(ARGV[3]) do
  local step, nk, m = steps[tonumber(ARGV[at])], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local keys, a = {}, {ARGV[1], ARGV[2]}
  for j = 1, nk do keys[j] = ARGV[at + 2 + j] end
  for j = 1, m do a[2 + j] = ARGV[at + 2 + nk + j] end
  at = at + 3 + nk + m
  local ok, r = pcall(step, keys, a)
  if ok then
    out[k] = r
  elseif type(r) == 'table' and r.err then
    out[k] = r
  else
    out[k] = {err = tostring(r)}
  end
end
return out
)lua";

// Every step a script of the store takes, in the order of RedisVerificationStore::Step: its Lua,
// its name as a function of the pass script, and whether it has a script of its own (the
// delivery reports and confirmApproval(), which answer no request of their own, always go in
// the pass script).
struct StepLua
{
    const char *body;
    const char *name;
    bool own;
};
constexpr StepLua Steps[] = {
    {FindBody, "find", true},
    {AddBody, "add", true},
    {CodeSentBody, "codeSent", true},
    {UpdateBody, "update", true},
    {WrongCodeBody, "wrongCode", true},
    {MessageOfNumberBody, "messageOfNumber", true},
    {SendCodeBody, "sendCode", true},
    {SendFailedBody, "sendFailed", true},
    {SendAcceptedBody, "sendAccepted", true},
    {CheckCodeBody, "checkCode", true},
    {CancelWithCodeBody, "cancelWithCode", true},
    {WithdrawApprovalBody, "withdrawApproval", true},
    {DeliveryOfNumberBody, "deliveryOfNumber", false},
    {DeliveryOfMessageBody, "deliveryOfMessage", false},
    {DeliveryOfSendBody, "deliveryOfSend", false},
    {ConfirmApprovalBody, "confirmApproval", false},
};

QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

QByteArray flag(bool b)
{
    return b ? QByteArrayLiteral("1") : QByteArrayLiteral("0");
}

// Every script of the store: each step's own, and the pass script that runs several steps.
struct Scripts
{
    std::vector<std::optional<RedisScript>> own; // by the step's place in Steps
    RedisScript pass;
};

const Scripts &scripts()
{
    static const Scripts s = [] {
        // Every script starts with the prelude, then the scripts of the code store, the limits
        // and the send rate that steps call, each as a local Lua function of the name the steps
        // call it by (RedisScripts::asLuaFunction()).
        QByteArray start(Prelude);
        for (const auto &[function, name] :
             std::initializer_list<std::pair<const RedisScript &, const char *>> {
                 {RedisRequestLimits::admitScript(), "admit"},
                 {RedisRequestLimits::admitAndIssueScript(), "admitAndIssue"},
                 {RedisSendRateBucket::script(), "sendRate"},
                 {RedisScripts::check(), "check"},
                 {RedisScripts::cancel(), "cancelCode"}})
            start.append(asLuaFunction(function, name));
        Scripts all;
        QByteArray pass = start;
        QByteArray list("local steps = {");
        for (const StepLua &step : Steps) {
            if (step.own)
                all.own.push_back(makeRedisScript(QByteArray(start).append(step.body).constData()));
            else
                all.own.push_back(std::nullopt);
            pass.append(QByteArray("local function step_") + step.name + "(KEYS, ARGV)\n"
                        + step.body + "\nend\n");
            list.append(QByteArray("step_") + step.name + ", ");
        }
        all.pass = makeRedisScript(pass.append(list).append("}\n").append(PassBody).constData());
        return all;
    }();
    return s;
}

/// Step @p step's own script (1 the first of Steps); nullptr for one that has none.
const RedisScript *ownScript(int step)
{
    const auto &own = scripts().own;
    return step >= 1 && step <= int(own.size()) && own[size_t(step - 1)] ? &*own[size_t(step - 1)]
                                                                         : nullptr;
}

// The largest time in milliseconds believed (2^53: Lua's numbers are exact up to there).
constexpr qint64 MaxTime = qint64(1) << 53;

} // namespace

RedisVerificationStore::RedisVerificationStore(RedisEndpoint endpoint, QByteArray keyPrefix,
                                               QByteArray secret,
                                               std::chrono::milliseconds retention,
                                               const Clock &clock, RedisClientOptions options)
    : m_prefix(std::move(keyPrefix)), m_secret(std::move(secret)), m_seal(m_secret),
      m_retention(retention), m_clock(clock), m_commands(endpoint, options),
      m_subscriber(endpoint, options)
{
    static_assert(std::size(Steps) == size_t(Step::ConfirmApproval), "a step for each kind");
    const auto load = [this](const RedisScript &s) {
        m_commands.addSetupCommand(
            {QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), s.source});
    };
    for (int step = 1; step <= int(std::size(Steps)); ++step) {
        if (const RedisScript *s = ownScript(step))
            load(*s);
    }
    load(scripts().pass);
    m_commands.open();
    // Every change, this instance's own included, arrives here.
    m_subscriber.subscribe(m_prefix + "changes", [this](const RedisReply &r) { message(r); });
}

RedisVerificationStore::~RedisVerificationStore()
{
    // As the connection fails the calls it has not answered yet.
    // A caller answered here may ask for more: answered too, until none is left.
    while (!m_pass.empty()) {
        for (Queued &q : std::exchange(m_pass, {}))
            q.done(Result::Unavailable, {}, false, {});
    }
}

bool RedisVerificationStore::isAvailable() const
{
    return m_commands.isConnected() && m_subscriber.isConnected();
}

QByteArray RedisVerificationStore::verificationKey(const QByteArray &id) const
{
    return m_prefix + "v:" + id;
}

QByteArray RedisVerificationStore::numberKey(const PhoneNumber &n) const
{
    return m_prefix + "vn:" + redisKeyHash(m_secret, "number:" + n.e164().toLatin1());
}

void RedisVerificationStore::message(const RedisReply &r)
{
    if (r.type != RedisReply::Type::Array || r.elements.size() != 3)
        return;
    const QByteArray kind = r.elements[0].string;
    if (kind == "message") {
        reportChanged(r.elements[2].string);
    } else if (kind == "subscribe") {
        // Subscribed, at start or again after the connection was lost: changes made meanwhile
        // were not heard, so whoever waits looks again now.
        reportResync();
    }
}

QByteArray RedisVerificationStore::msFromNow(Clock::TimePoint when) const
{
    return number(std::chrono::ceil<milliseconds>(when - m_clock.now()).count());
}

void RedisVerificationStore::run(Step step, QList<QByteArray> args, Done done)
{
    run(step, {}, std::move(args),
        [done = std::move(done)](Result r, const Verification &v, bool current,
                                 const QList<qint64> &) { done(r, v, current); });
}

void RedisVerificationStore::run(Step step, QList<QByteArray> keys, QList<QByteArray> args,
                                 Extra done)
{
    m_pass.push_back({step, std::move(keys), std::move(args), std::move(done)});
    if (m_pass.size() > 1)
        return;
    // Sent once the loop has run what is ready in this pass. A posted event, not a zero-interval
    // timer: Qt's GLib dispatcher runs a timer that fired lately only once the loop is idle or
    // has posted events to send, which a busy server may not be for a while.
    QMetaObject::invokeMethod(
        &m_passEnd, [this] { sendPass(); }, Qt::QueuedConnection);
}

void RedisVerificationStore::sendPass()
{
    std::vector<Queued> all = std::exchange(m_pass, {});
    if (all.size() == 1 && ownScript(int(all.front().step))) {
        Queued &q = all.front();
        q.args.prepend(number(m_retention.count()));
        q.args.prepend(m_prefix);
        runRedisScript(m_commands, *ownScript(int(q.step)), q.keys, q.args,
                       [this, done = std::move(q.done)](const RedisReply &r) { answer(r, done); });
        return;
    }
    for (size_t from = 0; from < all.size(); from += size_t(MaxPerCall)) {
        const size_t to = std::min(all.size(), from + size_t(MaxPerCall));
        QList<QByteArray> args {m_prefix, number(m_retention.count()), number(qint64(to - from))};
        auto dones = std::make_shared<std::vector<Extra>>();
        dones->reserve(to - from);
        for (size_t i = from; i < to; ++i) {
            Queued &q = all[i];
            args.append({number(int(q.step)), number(q.keys.size()), number(q.args.size())});
            args.append(q.keys);
            args.append(q.args);
            dones->push_back(std::move(q.done));
        }
        runRedisScript(m_commands, scripts().pass, args, [this, dones](const RedisReply &r) {
            if (r.type != RedisReply::Type::Array || size_t(r.elements.size()) != dones->size()) {
                if (r.isError())
                    qCWarning(lcRedis).noquote() << "Redis script failed:" << r.string;
                for (const Extra &done : *dones)
                    done(Result::Unavailable, {}, false, {}); // fails closed, each as alone
                return;
            }
            for (size_t i = 0; i < dones->size(); ++i)
                answer(r.elements[qsizetype(i)], (*dones)[i]);
        });
    }
}

void RedisVerificationStore::answer(const RedisReply &r, const Extra &done) const
{
    const auto fail = [&done] { done(Result::Unavailable, {}, false, {}); };
    if (r.type != RedisReply::Type::Array || r.elements.size() < 2
        || r.elements[0].type != RedisReply::Type::Integer
        || r.elements[1].type != RedisReply::Type::Integer || r.elements[1].integer <= 0
        || r.elements[1].integer > MaxTime) {
        if (r.isError())
            qCWarning(lcRedis).noquote() << "Redis script failed:" << r.string;
        fail(); // fails closed
        return;
    }
    if (r.elements[0].integer == 0 || r.elements[0].integer == 2 || r.elements[0].integer == 3) {
        // 2, 3: nothing stored, that status and the integers after the time say why
        // (sendCode())
        QList<qint64> why;
        if (r.elements[0].integer != 0)
            why.append(r.elements[0].integer);
        for (qsizetype i = 2; r.elements[0].integer != 0 && i < r.elements.size(); ++i) {
            if (r.elements[i].type != RedisReply::Type::Integer) {
                fail();
                return;
            }
            why.append(r.elements[i].integer);
        }
        done(Result::NotFound, {}, false, why);
        return;
    }
    if (r.elements.size() < 4 || r.elements[2].type != RedisReply::Type::Integer) {
        fail();
        return;
    }
    QList<qint64> extra;
    for (qsizetype i = 4; i < r.elements.size(); ++i) {
        if (r.elements[i].type != RedisReply::Type::Integer) {
            fail();
            return;
        }
        extra.append(r.elements[i].integer);
    }
    const std::optional<Verification> v = parse(r.elements[3], r.elements[1].integer);
    if (!v) {
        fail();
        return;
    }
    done(Result::Ok, *v, r.elements[2].integer == 1, extra);
}

std::optional<Verification> RedisVerificationStore::parse(const RedisReply &hash,
                                                          qint64 redisNow) const
{
    if (hash.type != RedisReply::Type::Array || hash.elements.size() % 2 != 0)
        return std::nullopt;
    QHash<QByteArray, QByteArray> f;
    for (qsizetype i = 0; i < hash.elements.size(); i += 2)
        f.insert(hash.elements[i].string, hash.elements[i + 1].string);
    bool ok = true;
    const auto integer = [&f, &ok](const char *name, qint64 min, qint64 max) {
        bool valid = false;
        const qint64 n = f.value(name).toLongLong(&valid);
        if (!valid || n < min || n > max)
            ok = false;
        return n;
    };
    const std::optional<QByteArray> e164 = m_seal.open(f.value("pn"), f.value("id"));
    if (!e164)
        return std::nullopt;
    const auto parsed = PhoneNumber::parse(QString::fromLatin1(*e164), u"");
    if (!parsed.ok())
        return std::nullopt;
    Verification v;
    v.id = f.value("id");
    v.number = *parsed.number;
    v.flow = Purpose(integer("flow", 0, 1));
    v.channel = Channel(integer("chan", 0, 1));
    v.locale = QString::fromUtf8(f.value("loc"));
    v.nonce = QString::fromUtf8(f.value("nonce"));
    v.delivery = DeliveryStatus(integer("del", 0, 6));
    v.deliveryError = int(integer("derr", 0, std::numeric_limits<int>::max()));
    v.attemptsLeft = int(integer("att", 0, 1000));
    v.approved = integer("ok", 0, 2) == 1; // 2: checkCode()'s, not yet final (shown pending)
    v.canceled = integer("can", 0, 1) == 1;
    v.attemptsUsedUp = integer("used", 0, 1) == 1;
    v.silent = integer("sil", 0, 1) == 1;
    v.messageSid = QString::fromLatin1(f.value("sid"));
    v.sendTag = f.value("st");
    // Redis' times as the engine's: so long from now.
    const auto now = m_clock.now();
    v.expiresAt = now + milliseconds(integer("exp", 0, MaxTime) - redisNow);
    v.nextSendAt = now + milliseconds(integer("next", 0, MaxTime) - redisNow);
    if (!ok || v.id.isEmpty())
        return std::nullopt;
    return v;
}

void RedisVerificationStore::find(const QByteArray &id, Done done)
{
    run(Step::Find, {id}, std::move(done));
}

void RedisVerificationStore::add(const Verification &v, Done done)
{
    const QByteArray nk = redisKeyHash(m_secret, "number:" + v.number.e164().toLatin1());
    const QByteArray sealed = m_seal.seal(v.number.e164().toLatin1(), v.id);
    if (sealed.isEmpty()) {
        done(Result::Unavailable, {}, false);
        return;
    }
    run(Step::Add,
        {v.id,
         nk,
         msFromNow(v.expiresAt),
         msFromNow(v.nextSendAt),
         v.messageSid.toLatin1(),
         "id",
         v.id,
         "pn",
         sealed,
         "flow",
         number(int(v.flow)),
         "chan",
         number(int(v.channel)),
         "loc",
         v.locale.toUtf8(),
         "nonce",
         v.nonce.toUtf8(),
         "att",
         number(v.attemptsLeft),
         "sil",
         flag(v.silent)},
        std::move(done));
}

void RedisVerificationStore::codeSent(const QByteArray &id, const Verification &code, Done done)
{
    run(Step::CodeSent,
        {id, msFromNow(code.expiresAt), msFromNow(code.nextSendAt), code.messageSid.toLatin1(),
         number(int(code.channel)), number(code.attemptsLeft), flag(code.silent)},
        std::move(done));
}

void RedisVerificationStore::attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done)
{
    run(Step::Update, {id, "att", number(left), "used", flag(usedUp)}, std::move(done));
}

void RedisVerificationStore::wrongCode(const QByteArray &id, int providerLeft, Done done)
{
    run(Step::WrongCode, {id, number(std::max(0, providerLeft))}, std::move(done));
}

void RedisVerificationStore::approve(const QByteArray &id, Done done)
{
    run(Step::Update, {id, "ok", "1"}, std::move(done));
}

void RedisVerificationStore::cancel(const QByteArray &id, Done done)
{
    run(Step::Update, {id, "can", "1"}, std::move(done));
}

void RedisVerificationStore::deliveryOfNumber(const PhoneNumber &n, DeliveryStatus status,
                                              int error, Done done)
{
    run(Step::DeliveryOfNumber,
        {redisKeyHash(m_secret, "number:" + n.e164().toLatin1()), number(int(status)),
         number(error)},
        std::move(done));
}

void RedisVerificationStore::sendVoided(const PhoneNumber &n, int error, Done done)
{
    run(Step::DeliveryOfNumber,
        {redisKeyHash(m_secret, "number:" + n.e164().toLatin1()),
         number(int(DeliveryStatus::Failed)), number(error), QByteArrayLiteral("1")},
        std::move(done));
}

void RedisVerificationStore::messageOfNumber(const PhoneNumber &n, const QString &messageSid,
                                             Done done)
{
    run(Step::MessageOfNumber,
        {redisKeyHash(m_secret, "number:" + n.e164().toLatin1()), messageSid.toLatin1()},
        std::move(done));
}

void RedisVerificationStore::deliveryOfMessage(const QString &messageSid, DeliveryStatus status,
                                               int error, Done done)
{
    run(Step::DeliveryOfMessage, {messageSid.toLatin1(), number(int(status)), number(error)},
        std::move(done));
}

void RedisVerificationStore::deliveryOfSend(const QByteArray &id, const QByteArray &tag,
                                            DeliveryStatus status, int error, Done done)
{
    run(Step::DeliveryOfSend, {id, tag, number(int(status)), number(error)}, std::move(done));
}

void RedisVerificationStore::sendCode(const Verification &v, bool fresh, const QByteArray &tag,
                                      const Digest &subject, const QList<QByteArray> &admitAndIssue,
                                      const OtpPolicy &policy, const OtpPolicy &issuePolicy,
                                      Clock::TimePoint now, const ResendRule &resend,
                                      std::function<void(const CodeSend &)> done)
{
    QList<QByteArray> args {fresh ? QByteArrayLiteral("1") : QByteArrayLiteral("0"),
                            v.id,
                            redisKeyHash(m_secret, "number:" + v.number.e164().toLatin1()),
                            tag,
                            number(policy.firstResendCooldown.count()),
                            number(policy.maxResendCooldown.count()),
                            number(admitAndIssue.size())};
    args.append(admitAndIssue);
    args.append(number(m_sendSlots.size()));
    args.append(m_sendSlots);
    if (fresh) {
        const QByteArray sealed = m_seal.seal(v.number.e164().toLatin1(), v.id);
        if (sealed.isEmpty()) {
            done({});
            return;
        }
        args.append({"id", v.id, "pn", sealed, "flow", number(int(v.flow)), "loc",
                     v.locale.toUtf8(), "nonce", v.nonce.toUtf8(), "chan", number(int(v.channel)),
                     "att", number(v.attemptsLeft), "sil", flag(v.silent)});
    } else {
        args.append({resend.channel ? number(int(*resend.channel)) : QByteArray(),
                     number(v.attemptsLeft), number(resend.rule[int(Purpose::SignUp)]),
                     number(resend.rule[int(Purpose::SignIn)])});
    }
    run(Step::SendCode, RedisScripts::subjectKeys(m_prefix, CodeHasher::toHex(subject)),
        std::move(args),
        [issuePolicy, now, done = std::move(done)](Result r, const Verification &stored,
                                                   bool current, const QList<qint64> &extra) {
            CodeSend c;
            c.result = r;
            if (r == Result::Unavailable || extra.isEmpty()) {
                done(c); // unavailable, or a resend of no open verification
                return;
            }
            QList<qint64> answer = extra;
            if (r == Result::Ok && extra.size() == 13) {
                // then the send's slot: {status 0 granted | 1 too far, wait, interval, position,
                // name}
                SendSlot slot;
                slot.status = extra[8] == 0 ? SendSlot::Status::Granted : SendSlot::Status::TooFar;
                slot.wait = milliseconds(std::clamp<qint64>(extra[9], 0, MaxTime));
                slot.position = int(std::clamp<qint64>(extra[11], 0, 1 << 30));
                if (extra[12] > 0)
                    slot.name = number(extra[12]);
                c.slot = slot;
                answer = extra.first(8);
            } else if (r == Result::NotFound && extra.first() == 3) {
                // {3, the rule's answer, the admit script's}
                if (extra.size() != 4 || extra[1] < 2 || extra[1] > 255) {
                    done({});
                    return;
                }
                c.refusedBy = int(extra[1]);
                answer = extra.mid(2);
            } else if (r == Result::NotFound) {
                answer = extra.mid(1);
            }
            RedisReply reply;
            reply.type = RedisReply::Type::Array;
            for (qint64 n : std::as_const(answer)) {
                RedisReply e;
                e.type = RedisReply::Type::Integer;
                e.integer = n;
                reply.elements.append(e);
            }
            std::tie(c.limits, c.issued) =
                RedisRequestLimits::admitAndIssueOutcome(reply, now, issuePolicy);
            const bool issued =
                c.limits.allowed() && c.issued.status == IssueOutcome::Status::Issued;
            if (issued != (r == Result::Ok)) {
                c = {}; // fails closed
                c.limits.unavailable = true;
            }
            c.v = stored;
            c.current = current;
            done(c);
        });
}

QByteArray RedisVerificationStore::statusRef(const QByteArray &id, const QByteArray &tag) const
{
    return m_seal.sealSend(id, tag);
}

std::optional<std::pair<QByteArray, QByteArray>>
RedisVerificationStore::openStatusRef(const QByteArray &ref) const
{
    return m_seal.openSend(ref);
}

void RedisVerificationStore::takeSendSlots(const RedisSendRateBucket &bucket)
{
    m_sendSlots = bucket.keys();
    m_sendSlots.append(bucket.args(QByteArrayLiteral("reserve"), QByteArray()));
}

void RedisVerificationStore::sendFailed(const QByteArray &id, const QByteArray &tag, bool fresh,
                                        Done done, const std::optional<SendSlot> &unusedSlot)
{
    QList<QByteArray> args {id, tag, flag(fresh)};
    if (unusedSlot && unusedSlot->status == SendSlot::Status::Granted && !unusedSlot->name.isEmpty()
        && m_sendSlots.size() == 7) {
        QList<QByteArray> give = m_sendSlots;
        give[2] = QByteArrayLiteral("give");
        give[6] = unusedSlot->name;
        args.append(number(give.size()));
        args.append(give);
    } else {
        args.append(number(0));
    }
    run(Step::SendFailed, std::move(args), std::move(done));
}

void RedisVerificationStore::sendAccepted(const QByteArray &id, const QByteArray &tag,
                                          const QString &providerId, Done done)
{
    run(Step::SendAccepted, {id, tag, providerId.toLatin1()}, std::move(done));
}

namespace {

// What a Redis-mode id seals: 12 random bytes of its own (with the seal's random 96-bit nonce,
// an id is unguessable by far more than 128 bits), then the number's digits packed two to a
// byte and padded to its longest form, so that every id has the same length (64 characters,
// the longest id clients accept) and none tells how long its number is.
constexpr qsizetype IdRandomBytes = 12;
constexpr qsizetype PackedDigits = 8; // E.164: at most 15 digits, then 0xF nibbles

QByteArray packedDigits(const QString &e164)
{
    QByteArray packed(PackedDigits, char(0xff));
    const QStringView digits = QStringView(e164).sliced(1); // after the "+"
    if (digits.size() > 2 * PackedDigits - 1)
        return {};
    for (qsizetype i = 0; i < digits.size(); ++i) {
        const int d = digits[i].unicode() - '0';
        if (d < 0 || d > 9)
            return {};
        char &byte = packed[i / 2];
        byte = char(i % 2 == 0 ? (d << 4) | (byte & 0x0f) : (byte & 0xf0) | d);
    }
    return packed;
}

QString unpackedDigits(QByteArrayView packed)
{
    QString e164 = QStringLiteral("+");
    for (qsizetype i = 0; i < 2 * packed.size(); ++i) {
        const int d = i % 2 == 0 ? (uchar(packed[i / 2]) >> 4) : (uchar(packed[i / 2]) & 0x0f);
        if (d == 0x0f)
            break;
        if (d > 9)
            return {};
        e164 += QChar(u'0' + d);
    }
    return e164;
}

} // namespace

QByteArray RedisVerificationStore::newId(const Verification &v) const
{
    quint32 words[IdRandomBytes / 4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray digits = packedDigits(v.number.e164());
    const QByteArray id = digits.isEmpty()
        ? QByteArray()
        : m_seal.seal(QByteArray(reinterpret_cast<const char *>(words), IdRandomBytes) + digits,
                      QByteArrayLiteral("id"));
    return id.isEmpty() ? VerificationStore::newId(v) : id;
}

std::optional<PhoneNumber> RedisVerificationStore::numberOfId(const QByteArray &id) const
{
    const std::optional<QByteArray> plain = m_seal.open(id, QByteArrayLiteral("id"));
    if (!plain || plain->size() != IdRandomBytes + PackedDigits)
        return std::nullopt;
    const QString e164 = unpackedDigits(QByteArrayView(*plain).sliced(IdRandomBytes));
    const auto parsed = PhoneNumber::parse(e164, u"");
    if (!parsed.ok())
        return std::nullopt;
    return *parsed.number;
}

void RedisVerificationStore::checkCode(const QByteArray &id, const QList<QByteArray> &clientLimit,
                                       const Digest &subject, const Digest &codeMac,
                                       const OtpPolicy &policy,
                                       std::function<void(const CodeCheck &)> done)
{
    const QByteArray subjectHex = CodeHasher::toHex(subject);
    QList<QByteArray> args {id, number(clientLimit.size())};
    args.append(clientLimit);
    args.append(m_prefix);
    args.append(RedisCodeStore::checkArgs(subject, codeMac, policy));
    run(Step::CheckCode, RedisScripts::subjectKeys(m_prefix, subjectHex), std::move(args),
        [policy, done = std::move(done)](Result r, const Verification &v, bool current,
                                         const QList<qint64> &extra) {
            using Step = CodeCheck::Step;
            CodeCheck c;
            c.result = r;
            if (r == Result::Ok) {
                // {step, the client's wait, the code store check's answer}
                if (extra.size() != 7 || extra[0] < 0 || extra[0] > 3 || extra[1] < 0
                    || extra[1] > MaxTime) {
                    c.result = Result::Unavailable; // fails closed
                    done(c);
                    return;
                }
                static constexpr Step steps[] = {Step::UsedUp, Step::Expired, Step::ClientLimited,
                                                 Step::Checked};
                c.v = v;
                c.current = current;
                c.step = steps[extra[0]];
                c.clientWait = milliseconds(extra[1]);
                if (c.step == Step::Checked)
                    c.outcome = RedisCodeStore::checkOutcome(extra.mid(2), policy);
            }
            done(c);
        });
}

void RedisVerificationStore::cancelWithCode(const QByteArray &id, const Digest &subject, Done done)
{
    const QByteArray subjectHex = CodeHasher::toHex(subject);
    // The code store's cancel, as RedisCodeStore::cancel() calls it on Redis' clock.
    run(Step::CancelWithCode, RedisScripts::subjectKeys(m_prefix, subjectHex),
        {id, m_prefix, QByteArray(), subjectHex},
        [done = std::move(done)](Result r, const Verification &v, bool current,
                                 const QList<qint64> &) { done(r, v, current); });
}

void RedisVerificationStore::confirmApproval(const QByteArray &id, Done done)
{
    run(Step::ConfirmApproval, {id}, std::move(done));
}

void RedisVerificationStore::withdrawApproval(const QByteArray &id, bool cancel, Done done)
{
    run(Step::WithdrawApproval, {id, flag(cancel)}, std::move(done));
}

} // namespace waotp::server
