#include "TestStore.h"

#include "MemoryCodeStore.h"

#include <QtGlobal>

namespace waotp::test {

TestStore makeTestStore()
{
    const QString kind = qEnvironmentVariable("WAOTP_TEST_STORE", QStringLiteral("memory"));
    if (kind == u"memory")
        return {std::make_unique<MemoryCodeStore>(), CodeHasher(), kind};
    qFatal("WAOTP_TEST_STORE=%s: unknown store", qPrintable(kind));
}

} // namespace waotp::test
