#include "TestStore.h"

#include "RedisServer.h"
#include "engine/MemoryCodeStore.h"
#include "network/redis/RedisCodeStore.h"

#include <QtGlobal>

namespace waotp::test {

namespace {

/// The engine suite moves one FakeClock by hours, so the Redis store reads that clock; each
/// store gets its own key prefix on the process' server, so tests cannot see each other.
TestStore makeRedisStore()
{
    RedisServer *server = RedisServer::shared();
    if (!server)
        qFatal("WAOTP_TEST_STORE=redis: redis-server is not available");
    static int serial = 0;
    RedisStoreOptions options;
    options.keyPrefix = "waotp-test:" + QByteArray::number(++serial) + ':';
    options.time = RedisTimeSource::Caller;
    auto endpoint = RedisEndpoint::fromUrl(server->url());
    auto store =
        std::make_unique<RedisCodeStore>(std::get<RedisEndpoint>(std::move(endpoint)), options);
    // Instances sharing a store share the secret behind the number hashes.
    return {std::move(store), CodeHasher(QByteArrayLiteral("test-store-secret-0000")),
            QStringLiteral("redis")};
}

} // namespace

TestStore makeTestStore()
{
    const QString kind = qEnvironmentVariable("WAOTP_TEST_STORE", QStringLiteral("memory"));
    if (kind == u"memory")
        return {std::make_unique<MemoryCodeStore>(), CodeHasher(), kind};
    if (kind == u"redis")
        return makeRedisStore();
    qFatal("WAOTP_TEST_STORE=%s: unknown store", qPrintable(kind));
}

} // namespace waotp::test
