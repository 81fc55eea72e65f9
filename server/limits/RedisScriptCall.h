#pragma once

#include "network/redis/RedisClient.h"
#include "network/redis/RedisScripts.h"

#include <QByteArray>
#include <QList>

namespace waotp::server {

/// @p source as a script: its SHA-1 for EVALSHA.
RedisScript makeRedisScript(const char *source);

/// Runs @p script on @p client with no KEYS and @p args as ARGV (EVALSHA; the whole script with
/// EVAL when the server has forgotten it). @p done gets the reply, or Unavailable. Load the
/// script on each connection first (RedisClient::addSetupCommand with SCRIPT LOAD).
void runRedisScript(RedisClient &client, const RedisScript &script, const QList<QByteArray> &args,
                    RedisClient::Callback done);
/// The same with @p keys as KEYS.
void runRedisScript(RedisClient &client, const RedisScript &script, const QList<QByteArray> &keys,
                    const QList<QByteArray> &args, RedisClient::Callback done);

/// The hex of HMAC-SHA256(@p secret, @p what), 32 digits: how a phone number or a client's
/// address is named in a Redis key, never in clear.
QByteArray redisKeyHash(const QByteArray &secret, const QByteArray &what);

} // namespace waotp::server
