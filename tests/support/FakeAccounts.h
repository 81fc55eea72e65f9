#pragma once

#include "engine/AccountStore.h"

#include <optional>

namespace waotp::test {

/// Accounts that answer as told and count what they were asked.
class FakeAccounts final : public AccountStore
{
public:
    std::optional<bool> registered = false; ///< std::nullopt: the store can't answer
    Result createResult = Result::Ok;
    Result signInResult = Result::Ok;
    int creates = 0;
    int signIns = 0;

    std::optional<bool> isRegistered(const PhoneNumber &) const override { return registered; }
    Result createAccount(const PhoneNumber &) override
    {
        ++creates;
        return createResult;
    }
    Result recordSignIn(const PhoneNumber &) override
    {
        ++signIns;
        return signInResult;
    }
};

} // namespace waotp::test
