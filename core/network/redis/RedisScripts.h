#pragma once

#include <QByteArray>
#include <QList>

namespace waotp {

/// A Lua script run with EVALSHA (and EVAL when the server does not know it yet).
struct RedisScript
{
    QByteArray source;
    QByteArray sha1; ///< lowercase hex, as SCRIPT LOAD returns it
};

/// The server-side halves of RedisCodeStore's operations. Each runs atomically on the server.
///
/// Every script takes KEYS[1] = the code index and KEYS[2] = the subject index (sorted sets,
/// members are subject hashes), ARGV[1] = the key prefix and ARGV[2] = "now" in milliseconds,
/// or an empty string to read the server's clock (redis TIME). The scripts about one subject
/// also take KEYS[3] = its code hash, KEYS[4] = its send history and KEYS[5] = its wrong codes
/// (sorted sets of times), and ARGV[3] = the subject. Each answers an array of integers ending
/// with the number of active codes and of tracked subjects.
namespace RedisScripts {

/// ARGV[4] code MAC (hex) or empty to count the send only, ARGV[5..9] lifetime, first
/// cooldown, longest cooldown (ms), sends per window, window (ms), ARGV[10..14] wrong codes per
/// failure window, failure window (ms), backoff from, backoff step, first backoff (ms). Answers
/// {status 0 issued | 1 cooling down | 2 hourly limit | 3 backoff after wrong codes, issued:
/// code lifetime / refused: retry after, sends in window, next send in}. With ARGV[15] '1', a
/// preview: a send that would go changes nothing and answers {0, 0, sends in window, 0}.
const RedisScript &issue();
/// ARGV[4] code MAC (hex), ARGV[5] attempts allowed, ARGV[6] wrong codes per failure window,
/// ARGV[7] failure window (ms). Answers {status 0 verified | 1 wrong | 2 expired | 3 no code |
/// 4 too many attempts | 5 guess limit, attempts left, guess limit: retry after}.
const RedisScript &check();
/// Deletes the code (the send history and the wrong codes stay).
const RedisScript &cancel();
/// ARGV[4] wrong codes per failure window, ARGV[5] failure window (ms). Answers {status
/// 0 reserved | 1 guess limit, retry after, reserved: the time and number of the member
/// counted (member "<time>-<number>")}.
const RedisScript &reserveGuess();
/// ARGV[4] the member reserveGuess() counted. Removes it.
const RedisScript &releaseGuess();
/// Forgets expired codes and subjects whose state has all expired.
const RedisScript &sweep();

/// KEYS[1..5] of a script about the subject whose keyed hash is @p subjectHex, keys named with
/// @p prefix (RedisStoreOptions::keyPrefix).
QList<QByteArray> subjectKeys(const QByteArray &prefix, const QByteArray &subjectHex);
/// @p script's source as the Lua function `local function <name>(KEYS, ARGV)`, which answers
/// what the script answers: a script of one atomic operation made of several steps runs the
/// very same rules as a piece, with KEYS and ARGV laid out for it.
QByteArray asLuaFunction(const RedisScript &script, const char *name);

} // namespace RedisScripts
} // namespace waotp
