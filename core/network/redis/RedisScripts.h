#pragma once

#include <QByteArray>

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
/// or an empty string to read the server's clock (redis TIME). Each answers an array of
/// integers ending with the number of active codes and of tracked subjects.
namespace RedisScripts {

/// KEYS[3] code hash, KEYS[4] send history; ARGV[3] subject, ARGV[4] code MAC (hex) or empty
/// to count the send only, ARGV[5..9] lifetime, first cooldown, longest cooldown (ms), sends per
/// window, window (ms). Answers {status 0 issued | 1 cooling down | 2 hourly limit, issued: code
/// lifetime / refused: retry after, sends in window, next send in}.
const RedisScript &issue();
/// KEYS[3] code hash; ARGV[3] subject, ARGV[4] code MAC (hex), ARGV[5] attempts allowed.
/// Answers {status 0 verified | 1 wrong | 2 expired | 3 no code | 4 too many attempts, left}.
const RedisScript &check();
/// KEYS[3] code hash; ARGV[3] subject. Deletes the code (the send history stays).
const RedisScript &cancel();
/// Forgets expired codes and subjects whose state has all expired.
const RedisScript &sweep();

} // namespace RedisScripts
} // namespace waotp
