#include "server/limits/RedisScriptCall.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace waotp::server {

RedisScript makeRedisScript(const char *source)
{
    RedisScript s;
    s.source = QByteArray(source);
    s.sha1 = QCryptographicHash::hash(s.source, QCryptographicHash::Sha1).toHex();
    return s;
}

namespace {

void run(RedisClient &client, const RedisScript &script, const QList<QByteArray> &keys,
         const QList<QByteArray> &args, RedisClient::Callback done, bool whole)
{
    QList<QByteArray> command {whole ? QByteArrayLiteral("EVAL") : QByteArrayLiteral("EVALSHA"),
                               whole ? script.source : script.sha1,
                               QByteArray::number(keys.size())};
    command.append(keys);
    command.append(args);
    client.command(
        command,
        [&client, &script, keys, args, done = std::move(done), whole](const RedisReply &r) {
            // A server that restarted (or ran SCRIPT FLUSH) has forgotten the script: send it
            // whole.
            if (!whole && r.isError() && r.string.startsWith("NOSCRIPT")) {
                run(client, script, keys, args, done, true);
                return;
            }
            done(r);
        });
}

} // namespace

void runRedisScript(RedisClient &client, const RedisScript &script, const QList<QByteArray> &args,
                    RedisClient::Callback done)
{
    run(client, script, {}, args, std::move(done), false);
}

void runRedisScript(RedisClient &client, const RedisScript &script, const QList<QByteArray> &keys,
                    const QList<QByteArray> &args, RedisClient::Callback done)
{
    run(client, script, keys, args, std::move(done), false);
}

QByteArray redisKeyHash(const QByteArray &secret, const QByteArray &what)
{
    return QMessageAuthenticationCode::hash(what, secret, QCryptographicHash::Sha256)
        .toHex()
        .left(32);
}

} // namespace waotp::server
