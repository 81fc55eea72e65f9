#pragma once

#include "engine/AccountStore.h"
#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace waotp {

class VerificationBackend;

/// A code on its way, as the code page needs it.
struct SentCode
{
    PhoneNumber number;
    Channel channel = Channel::WhatsApp;
    Clock::TimePoint expiresAt; ///< the code can't be used after this
    Clock::TimePoint nextSendAt; ///< resend() is refused before this (the cooldown)
    int attempts = 0; ///< wrong codes allowed
    bool resent = false; ///< a new code replacing the one being entered (resend, SMS)
    /// Sent by a service that doesn't say whether the number has an account: the code is on
    /// its way only if the number fits the purpose (an account to sign in to, none yet to sign
    /// up), and the other purpose is still open to the person.
    bool accountUnknown = false;
};

/// One verification of a phone number, without any view: the number and purpose asked for, the
/// code sent, the checks, and the account rules of sign up and sign in.
///
/// - Sign in is refused before anything is sent when the number has no account, sign up when it
///   has one; either way otherFlowOffered() suggests the other. A service that doesn't tell
///   (VerificationBackend::findsAccounts()) is asked for the code at once: it refuses it the
///   same way, or sends it only if the number fits (SentCode::accountUnknown); it may also
///   refuse to approve a right code whose number no longer fits (otherFlowOffered()).
/// - A verified code creates the account (sign up) or records the sign-in (sign in), then
///   verified() reports the number.
/// - cancel() forgets the code being entered (the person went back, or closed the window); an
///   answer still on its way is then ignored, and a code it brings is cancelled as well.
///
/// Every call answers through the signals: request() and resend() with codeSent() or
/// requestRefused() (and before sending, possibly accountCheckFailed() or otherFlowOffered());
/// check() with wrongCode(), codeExpired(), tooManyAttempts(), checkFailed() or codeAccepted()
/// and then verified(), accountNotSaved() or otherFlowOffered(). Codes and accounts live behind a
/// VerificationBackend: the local engine and account store, or a verification server.
class VerificationFlow : public QObject
{
    Q_OBJECT
public:
    enum class Step {
        Number, ///< no code yet: request() sends one
        Code, ///< a code was sent to number(): check() it, or resend()
        Verified, ///< done; reset() starts over
    };
    Q_ENUM(Step)

    explicit VerificationFlow(VerificationBackend &backend, QObject *parent = nullptr);
    ~VerificationFlow() override;

    /// The language of the messages that carry the codes (BCP 47, e.g. "pt-BR").
    void setLocale(const QString &locale) { m_locale = locale; }
    QString locale() const { return m_locale; }

    Step step() const { return m_step; }
    /// The number the code was sent to (empty outside Step::Code).
    PhoneNumber number() const { return m_number; }
    /// Sign up or sign in, as last asked for.
    Purpose purpose() const { return m_purpose; }
    /// A request (the account look-up or the send) is on its way.
    bool isRequesting() const { return m_requestId != 0 || m_accountLookup != 0; }
    /// A code check (or the account step after it) is on its way.
    bool isChecking() const { return m_checkId != 0 || m_accountSave != 0; }

    /// Sends a code to @p number on @p channel once the account rules allow @p purpose.
    /// Returns false (and does nothing) outside Step::Number or while a request is on its way.
    bool request(const PhoneNumber &number, Purpose purpose, Channel channel = Channel::WhatsApp);
    /// Sends a new code to number() on @p channel. Returns false outside Step::Code or while a
    /// request is on its way.
    bool resend(Channel channel);
    /// Checks @p code. Returns false outside Step::Code or while a check is on its way.
    bool check(const QString &code);
    /// Forgets the code being entered (cancelled in the backend) and every answer on its way:
    /// back to Step::Number. Nothing to do once verified.
    void cancel();
    /// As cancel(), and from Step::Verified too: a fresh start.
    void reset();

Q_SIGNALS:
    /// The account rules allowed the request: the backend is asked for a code now.
    void requestStarted();
    /// A code is on its way.
    void codeSent(const waotp::SentCode &code);
    /// No code was sent: why (status, send error) and how long to wait (retryAfter, nextSendAt).
    void requestRefused(const waotp::CodeRequestResult &result);
    /// Whether the number has an account can't be told now: nothing was sent.
    void accountCheckFailed();
    /// @p chosen doesn't fit @p number (sign in without an account, sign up with one): the
    /// other is worth offering. Before a send nothing was sent; after a check the flow is back
    /// at Step::Number.
    void otherFlowOffered(const waotp::PhoneNumber &number, waotp::Purpose chosen);

    /// The code was wrong; @p attemptsLeft more may be tried.
    void wrongCode(int attemptsLeft);
    void codeExpired();
    /// The last attempt was used up: the code is void.
    /// @p resendIn: seconds until a resend is allowed, when the backend says (a server's
    /// Retry-After); 0 otherwise.
    void tooManyAttempts(int resendIn);
    /// The code could not be checked, or there is none (status NoCode, Malformed, Unavailable).
    void checkFailed(const waotp::VerifyResult &result);
    /// The code was right and is used up; the account step follows.
    void codeAccepted(const waotp::PhoneNumber &number);
    /// The code was right but the account could not be created or signed in: back at
    /// Step::Number.
    void accountNotSaved(waotp::Purpose purpose);
    /// The number is verified and its account created (@p accountCreated) or signed in.
    void verified(const waotp::PhoneNumber &number, waotp::Purpose purpose, bool accountCreated);

    /// Where the message with the code is, as far as the provider knows.
    void deliveryStatusChanged(waotp::DeliveryStatus status, int providerErrorCode);

private:
    void accountFound(const PhoneNumber &number, Channel channel, std::optional<bool> registered);
    void send(const PhoneNumber &number, Channel channel);
    void onCodeRequested(quint64 id, const PhoneNumber &number, const CodeRequestResult &result);
    void onCodeChecked(quint64 id, const PhoneNumber &number, const VerifyResult &result);
    void onDeliveryStatus(const PhoneNumber &number, DeliveryStatus status, int providerErrorCode);
    void onAccountMismatch(quint64 id, const PhoneNumber &number);
    using AccountStep = void (VerificationFlow::*)(const PhoneNumber &, AccountStore::Result);
    std::function<void(AccountStore::Result)> accountAnswer(const PhoneNumber &number,
                                                            AccountStep next);
    void accountCreated(const PhoneNumber &number, AccountStore::Result result);
    void existingAccountSignedIn(const PhoneNumber &number, AccountStore::Result result);
    void signedIn(const PhoneNumber &number, AccountStore::Result result);
    void finish(const PhoneNumber &number, bool created);
    void abandon();

    VerificationBackend &m_backend;
    QString m_locale;
    Step m_step = Step::Number;
    PhoneNumber m_number; ///< the number of the code being entered
    Purpose m_purpose = Purpose::SignUp;
    quint64 m_requestId = 0; ///< the send being waited for
    quint64 m_checkId = 0; ///< the check being waited for
    quint64 m_accountLookup = 0; ///< the account look-up being waited for (a token)
    quint64 m_accountSave = 0; ///< the account creation or sign-in being waited for (a token)
    quint64 m_lastToken = 0;
    QSet<quint64> m_abandoned; ///< sends cancelled before their answer came
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::SentCode)
