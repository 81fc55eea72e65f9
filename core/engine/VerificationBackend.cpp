#include "engine/VerificationBackend.h"

namespace waotp {

VerificationBackend::~VerificationBackend() = default;

LocalVerificationBackend::LocalVerificationBackend(OtpEngine &engine, AccountStore &accounts,
                                                   QObject *parent)
    : VerificationBackend(parent), m_engine(engine), m_accounts(accounts)
{
    connect(&m_engine, &OtpEngine::codeRequested, this, &VerificationBackend::codeRequested);
    connect(&m_engine, &OtpEngine::codeChecked, this, &VerificationBackend::codeChecked);
    connect(&m_engine, &OtpEngine::deliveryStatusChanged, this,
            &VerificationBackend::deliveryStatusChanged);
}

LocalVerificationBackend::~LocalVerificationBackend() = default;

quint64 LocalVerificationBackend::requestCode(const PhoneNumber &number, Purpose purpose,
                                              Channel channel, const QString &locale)
{
    return m_engine.requestCode(number, purpose, channel, locale);
}

quint64 LocalVerificationBackend::checkCode(const PhoneNumber &number, const QString &code)
{
    return m_engine.verifyCode(number, code);
}

void LocalVerificationBackend::cancel(const PhoneNumber &number)
{
    m_engine.cancel(number);
}

int LocalVerificationBackend::attemptsPerCode() const
{
    return m_engine.policy().maxAttempts;
}

void LocalVerificationBackend::findAccount(const PhoneNumber &number, RegisteredAnswer answer)
{
    answer(m_accounts.isRegistered(number));
}

void LocalVerificationBackend::createAccount(const PhoneNumber &number, AccountAnswer answer)
{
    answer(m_accounts.createAccount(number));
}

void LocalVerificationBackend::recordSignIn(const PhoneNumber &number, AccountAnswer answer)
{
    answer(m_accounts.recordSignIn(number));
}

} // namespace waotp
