#pragma once

#include "engine/PhoneNumber.h"

#include <QDateTime>
#include <QHash>

#include <optional>

namespace waotp {

/// Decides whether a number is registered: sign up creates an account, sign in needs one.
/// Accounts are keyed by E.164 number and hold nothing else about a person (never a code).
class AccountStore
{
public:
    enum class Result {
        Ok,
        AlreadyExists, ///< sign up with a registered number
        NotFound, ///< sign in with an unregistered number
        StorageError, ///< the database cannot be read or written
    };

    virtual ~AccountStore() = default;

    /// True if @p number has an account; std::nullopt if the store cannot answer.
    virtual std::optional<bool> isRegistered(const PhoneNumber &number) const = 0;
    /// Creates the account of @p number (after its code was verified).
    virtual Result createAccount(const PhoneNumber &number) = 0;
    /// Records a sign-in of @p number (after its code was verified).
    virtual Result recordSignIn(const PhoneNumber &number) = 0;
};

/// Accounts in memory, for tests and for demo runs that must not touch the disk.
class MemoryAccountStore final : public AccountStore
{
public:
    std::optional<bool> isRegistered(const PhoneNumber &number) const override
    {
        return m_lastSignIn.contains(number.e164());
    }
    Result createAccount(const PhoneNumber &number) override
    {
        if (m_lastSignIn.contains(number.e164()))
            return Result::AlreadyExists;
        m_lastSignIn.insert(number.e164(), QDateTime::currentDateTimeUtc());
        return Result::Ok;
    }
    Result recordSignIn(const PhoneNumber &number) override
    {
        const auto it = m_lastSignIn.find(number.e164());
        if (it == m_lastSignIn.end())
            return Result::NotFound;
        *it = QDateTime::currentDateTimeUtc();
        return Result::Ok;
    }

private:
    QHash<QString, QDateTime> m_lastSignIn;
};

} // namespace waotp
