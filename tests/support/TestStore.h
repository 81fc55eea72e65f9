#pragma once

#include "engine/CodeHasher.h"
#include "engine/CodeStore.h"

#include <QString>

#include <memory>

namespace waotp::test {

/// The store the engine suite runs against, picked by the WAOTP_TEST_STORE environment
/// variable: unset or "memory" gives the in-memory store. One suite serves every store.
struct TestStore
{
    std::unique_ptr<CodeStore> store;
    CodeHasher hasher;
    QString name;
};

/// Makes a fresh, empty store of the kind WAOTP_TEST_STORE names.
TestStore makeTestStore();

} // namespace waotp::test
