#include "engine/VerificationFlow.h"

#include "engine/VerificationBackend.h"

#include <QPointer>

namespace waotp {

VerificationFlow::VerificationFlow(VerificationBackend &backend, QObject *parent)
    : QObject(parent), m_backend(backend)
{
    connect(&m_backend, &VerificationBackend::codeRequested, this,
            &VerificationFlow::onCodeRequested);
    connect(&m_backend, &VerificationBackend::codeChecked, this, &VerificationFlow::onCodeChecked);
    connect(&m_backend, &VerificationBackend::deliveryStatusChanged, this,
            &VerificationFlow::onDeliveryStatus);
    connect(&m_backend, &VerificationBackend::accountMismatch, this,
            &VerificationFlow::onAccountMismatch);
}

VerificationFlow::~VerificationFlow() = default;

bool VerificationFlow::request(const PhoneNumber &number, Purpose purpose, Channel channel)
{
    if (number.isNull() || m_step != Step::Number || isRequesting())
        return false;
    m_purpose = purpose;
    if (!m_backend.findsAccounts()) { // the service applies the account rules itself
        send(number, channel);
        return true;
    }
    const quint64 token = m_accountLookup = ++m_lastToken;
    m_backend.findAccount(number,
                          [self = QPointer<VerificationFlow>(this), token, number,
                           channel](std::optional<bool> registered) {
                              if (!self || self->m_accountLookup != token)
                                  return; // cancelled meanwhile
                              self->m_accountLookup = 0;
                              self->accountFound(number, channel, registered);
                          });
    return true;
}

void VerificationFlow::accountFound(const PhoneNumber &number, Channel channel,
                                    std::optional<bool> registered)
{
    if (!registered) {
        Q_EMIT accountCheckFailed(); // fail closed: nothing is sent
        return;
    }
    // Sign up needs a new number, sign in a registered one; otherwise nothing is sent.
    if (*registered != (m_purpose == Purpose::SignIn)) {
        Q_EMIT otherFlowOffered(number, m_purpose);
        return;
    }
    send(number, channel);
}

bool VerificationFlow::resend(Channel channel)
{
    if (m_step != Step::Code || isRequesting())
        return false;
    send(m_number, channel);
    return true;
}

void VerificationFlow::send(const PhoneNumber &number, Channel channel)
{
    Q_EMIT requestStarted();
    const quint64 id = m_backend.requestCode(number, m_purpose, channel, m_locale);
    m_abandoned.remove(id); // a send for the same number still on its way is ours again
    m_requestId = id;
}

void VerificationFlow::onCodeRequested(quint64 id, const PhoneNumber &number,
                                       const CodeRequestResult &result)
{
    if (id == 0 || id != m_requestId) {
        // An answer nobody waits for any more: don't leave a live code behind.
        if (m_abandoned.remove(id) && result.status == CodeRequestResult::Status::Sent
            && number != m_number)
            m_backend.cancel(number);
        return;
    }
    m_requestId = 0;
    if (result.status != CodeRequestResult::Status::Sent) {
        Q_EMIT requestRefused(result);
        return;
    }
    const bool resent = m_step == Step::Code;
    m_number = number;
    m_step = Step::Code;
    const bool accountUnknown = !m_backend.sentCodeMeansAccount();
    Q_EMIT codeSent({number, result.channel, result.expiresAt, result.nextSendAt,
                     m_backend.attemptsPerCode(), resent, accountUnknown});
}

void VerificationFlow::onAccountMismatch(quint64 id, const PhoneNumber &number)
{
    if (id != 0 && id == m_checkId) {
        // A right code, but the account came or went since it was sent: offer the other flow.
        m_checkId = 0;
        cancel();
        Q_EMIT otherFlowOffered(number, m_purpose);
        return;
    }
    if (id == 0 || id != m_requestId) {
        m_abandoned.remove(id); // nothing was sent: nothing to cancel
        return;
    }
    m_requestId = 0;
    if (m_step == Step::Code) {
        // A resend refused for the account: the code being entered is void as well.
        cancel();
    }
    Q_EMIT otherFlowOffered(number, m_purpose);
}

void VerificationFlow::onDeliveryStatus(const PhoneNumber &number, DeliveryStatus status,
                                        int providerErrorCode)
{
    if (m_step != Step::Code || number != m_number)
        return;
    Q_EMIT deliveryStatusChanged(status, providerErrorCode);
}

bool VerificationFlow::check(const QString &code)
{
    if (m_step != Step::Code || isChecking())
        return false;
    m_checkId = m_backend.checkCode(m_number, code);
    return true;
}

void VerificationFlow::onCodeChecked(quint64 id, const PhoneNumber &number,
                                     const VerifyResult &result)
{
    if (id == 0 || id != m_checkId)
        return;
    m_checkId = 0;
    using Status = VerifyResult::Status;
    switch (result.status) {
    case Status::Verified:
        Q_EMIT codeAccepted(number);
        if (m_step != Step::Code)
            return; // cancelled meanwhile
        if (m_purpose == Purpose::SignUp)
            m_backend.createAccount(number,
                                    accountAnswer(number, &VerificationFlow::accountCreated));
        else
            m_backend.recordSignIn(number, accountAnswer(number, &VerificationFlow::signedIn));
        return;
    case Status::WrongCode:
        Q_EMIT wrongCode(result.attemptsLeft);
        return;
    case Status::Expired:
        Q_EMIT codeExpired();
        return;
    case Status::TooManyAttempts:
        Q_EMIT tooManyAttempts(int(result.retryAfter.count()));
        return;
    case Status::NoCode:
    case Status::Malformed:
    case Status::Unavailable:
    case Status::GuessLimit:
        Q_EMIT checkFailed(result);
        return;
    }
}

std::function<void(AccountStore::Result)> VerificationFlow::accountAnswer(const PhoneNumber &number,
                                                                          AccountStep next)
{
    const quint64 token = m_accountSave = ++m_lastToken;
    return [self = QPointer<VerificationFlow>(this), token, number,
            next](AccountStore::Result result) {
        if (!self || self->m_accountSave != token)
            return; // cancelled meanwhile
        self->m_accountSave = 0;
        (self.data()->*next)(number, result);
    };
}

void VerificationFlow::accountCreated(const PhoneNumber &number, AccountStore::Result result)
{
    switch (result) {
    case AccountStore::Result::Ok:
        finish(number, true);
        return;
    case AccountStore::Result::AlreadyExists: // created meanwhile: the person owns it
        m_backend.recordSignIn(number,
                               accountAnswer(number, &VerificationFlow::existingAccountSignedIn));
        return;
    case AccountStore::Result::NotFound:
    case AccountStore::Result::StorageError:
        cancel();
        Q_EMIT accountNotSaved(Purpose::SignUp);
        return;
    }
}

void VerificationFlow::existingAccountSignedIn(const PhoneNumber &number, AccountStore::Result)
{
    // The number is verified and its account exists, whether or not the sign-in was recorded.
    finish(number, false);
}

void VerificationFlow::signedIn(const PhoneNumber &number, AccountStore::Result result)
{
    switch (result) {
    case AccountStore::Result::Ok:
    case AccountStore::Result::AlreadyExists:
        finish(number, false);
        return;
    case AccountStore::Result::NotFound: // removed since the code was sent
        cancel();
        Q_EMIT otherFlowOffered(number, Purpose::SignIn);
        return;
    case AccountStore::Result::StorageError:
        cancel();
        Q_EMIT accountNotSaved(Purpose::SignIn);
        return;
    }
}

void VerificationFlow::finish(const PhoneNumber &number, bool created)
{
    if (m_requestId != 0) // a resend still on its way: its code is cancelled when it comes
        m_abandoned.insert(m_requestId);
    m_requestId = 0;
    m_number = {};
    m_step = Step::Verified;
    Q_EMIT verified(number, m_purpose, created);
}

void VerificationFlow::cancel()
{
    abandon();
    if (m_step == Step::Code)
        m_step = Step::Number;
}

void VerificationFlow::reset()
{
    abandon();
    m_step = Step::Number;
}

void VerificationFlow::abandon()
{
    // A send still on its way: the code it brings is cancelled when it comes.
    if (m_requestId != 0)
        m_abandoned.insert(m_requestId);
    m_requestId = 0;
    m_checkId = 0;
    m_accountLookup = 0;
    m_accountSave = 0;
    if (!m_number.isNull())
        m_backend.cancel(m_number);
    m_number = {};
}

} // namespace waotp
