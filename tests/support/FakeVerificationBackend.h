#pragma once

#include "engine/VerificationBackend.h"

#include <QTimer>

#include <functional>
#include <utility>
#include <vector>

namespace waotp::test {

/// The local engine and accounts (LocalVerificationBackend). With holdAccounts set, account
/// answers wait for release(), as those of a verification server would.
class FakeVerificationBackend final : public VerificationBackend
{
public:
    FakeVerificationBackend(OtpEngine &engine, AccountStore &accounts) : m_local(engine, accounts)
    {
        connect(&m_local, &VerificationBackend::codeRequested, this,
                &VerificationBackend::codeRequested);
        connect(&m_local, &VerificationBackend::codeChecked, this,
                &VerificationBackend::codeChecked);
        connect(&m_local, &VerificationBackend::deliveryStatusChanged, this,
                &VerificationBackend::deliveryStatusChanged);
    }

    quint64 requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                        const QString &locale) override
    {
        if (refuseForAccount) {
            // As a server with registration hints: accountMismatch(), from the event loop.
            const quint64 id = ++m_lastMismatch;
            QTimer::singleShot(0, this, [this, id, number] { Q_EMIT accountMismatch(id, number); });
            return id;
        }
        return m_local.requestCode(number, purpose, channel, locale);
    }
    quint64 checkCode(const PhoneNumber &number, const QString &code) override
    {
        if (refuseApproval) {
            const quint64 id = ++m_lastMismatch;
            QTimer::singleShot(0, this, [this, id, number] { Q_EMIT accountMismatch(id, number); });
            return id;
        }
        return m_local.checkCode(number, code);
    }
    void cancel(const PhoneNumber &number) override { m_local.cancel(number); }
    int attemptsPerCode() const override { return m_local.attemptsPerCode(); }
    void findAccount(const PhoneNumber &number, RegisteredAnswer answer) override
    {
        hold([=, this] { m_local.findAccount(number, answer); });
    }
    void createAccount(const PhoneNumber &number, AccountAnswer answer) override
    {
        hold([=, this] { m_local.createAccount(number, answer); });
    }
    void recordSignIn(const PhoneNumber &number, AccountAnswer answer) override
    {
        hold([=, this] { m_local.recordSignIn(number, answer); });
    }
    bool findsAccounts() const override { return tellsAccounts; }
    bool sentCodeMeansAccount() const override { return codeMeansAccount; }

    /// Gives the account answers held so far, in order.
    void release()
    {
        for (const auto &answer : std::exchange(held, {}))
            answer();
    }

    bool holdAccounts = false;
    /// As a verification server: false, and the flow doesn't ask findAccount() before sending.
    bool tellsAccounts = true;
    /// As a server without registration hints: false.
    bool codeMeansAccount = true;
    /// Every requestCode() is refused for the account (a server's no_account / account_exists).
    bool refuseForAccount = false;
    /// Every checkCode() is refused for the account (it came or went since the code was sent).
    bool refuseApproval = false;
    std::vector<std::function<void()>> held;

private:
    void hold(std::function<void()> answer)
    {
        if (holdAccounts)
            held.push_back(std::move(answer));
        else
            answer();
    }

    LocalVerificationBackend m_local;
    quint64 m_lastMismatch = 1'000'000; // ids of their own, apart from the engine's
};

} // namespace waotp::test
