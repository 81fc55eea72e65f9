#pragma once

#include "engine/AccountStore.h"
#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace waotp {

/// What a VerificationFlow needs from the service behind it: codes issued, delivered and checked,
/// and accounts kept. LocalVerificationBackend is this process' engine and account store; a client
/// of a verification server can take its place without the flow changing.
///
/// Codes work as in OtpEngine: requestCode() and checkCode() return an id at once, and the answer
/// comes later, from the event loop, as exactly one codeRequested() or codeChecked() with that id
/// (or, from a service that applies the account rules itself, accountMismatch()).
/// Account calls answer through a callback, called exactly once: at once by a local store, later
/// by a server.
class VerificationBackend : public QObject
{
    Q_OBJECT
public:
    using RegisteredAnswer = std::function<void(std::optional<bool> registered)>;
    using AccountAnswer = std::function<void(AccountStore::Result result)>;

    using QObject::QObject;
    ~VerificationBackend() override;

    /// Sends a new code to @p number, replacing any older one.
    virtual quint64 requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                                const QString &locale) = 0;
    /// Checks @p code for @p number; a verified code is used up.
    virtual quint64 checkCode(const PhoneNumber &number, const QString &code) = 0;
    /// Forgets the active code of @p number.
    virtual void cancel(const PhoneNumber &number) = 0;
    /// Wrong codes allowed per code (the last one voids it).
    virtual int attemptsPerCode() const = 0;

    /// Whether @p number has an account: std::nullopt if that can't be told now.
    virtual void findAccount(const PhoneNumber &number, RegisteredAnswer answer) = 0;
    /// Creates the account of @p number (after its code was verified).
    virtual void createAccount(const PhoneNumber &number, AccountAnswer answer) = 0;
    /// Records a sign-in of @p number (after its code was verified).
    virtual void recordSignIn(const PhoneNumber &number, AccountAnswer answer) = 0;

    /// Whether findAccount() can tell before a send. False for a verification server that does
    /// not reveal which numbers have accounts: the flow asks for the code at once, and the
    /// server either refuses it (accountMismatch()) or answers alike for every number.
    virtual bool findsAccounts() const { return true; }
    /// Whether a code sent means that the number fits the purpose (an account to sign in to,
    /// none yet to sign up). False for a server that answers alike for every number and sends
    /// nothing to one that doesn't fit: the person is then told that a code is on its way if
    /// the number fits.
    virtual bool sentCodeMeansAccount() const { return true; }

Q_SIGNALS:
    void codeRequested(quint64 requestId, const waotp::PhoneNumber &number,
                       const waotp::CodeRequestResult &result);
    void codeChecked(quint64 requestId, const waotp::PhoneNumber &number,
                     const waotp::VerifyResult &result);
    void deliveryStatusChanged(const waotp::PhoneNumber &number, waotp::DeliveryStatus status,
                               int providerErrorCode);
    /// In place of codeRequested() or codeChecked(): the service refused the code, or the
    /// approval of a right one, because @p number doesn't fit the purpose (sign in without an
    /// account, sign up with one). Only from a service that does not answer findAccount().
    void accountMismatch(quint64 requestId, const waotp::PhoneNumber &number);
};

/// The engine and the account store of this process.
class LocalVerificationBackend final : public VerificationBackend
{
    Q_OBJECT
public:
    LocalVerificationBackend(OtpEngine &engine, AccountStore &accounts, QObject *parent = nullptr);
    ~LocalVerificationBackend() override;

    quint64 requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                        const QString &locale) override;
    quint64 checkCode(const PhoneNumber &number, const QString &code) override;
    void cancel(const PhoneNumber &number) override;
    int attemptsPerCode() const override;

    void findAccount(const PhoneNumber &number, RegisteredAnswer answer) override;
    void createAccount(const PhoneNumber &number, AccountAnswer answer) override;
    void recordSignIn(const PhoneNumber &number, AccountAnswer answer) override;

private:
    OtpEngine &m_engine;
    AccountStore &m_accounts;
};

} // namespace waotp
