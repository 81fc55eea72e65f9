// The dialog's side of its VerificationFlow: what the pages show as the verification goes on.
// The window itself (card, pages, fonts, keys) is in VerificationDialog.cpp.
#include "VerificationDialog.h"

#include "Announcer.h"
#include "CodeExtraction.h"
#include "Messages.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "SuccessPage.h"
#include "Toast.h"
#include "VerifyPage.h"
#include "engine/VerificationFlow.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLoggingCategory>
#include <QStackedWidget>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcDialog)

namespace waotp {

void VerificationDialog::showPhoneError(const QString &message)
{
    m_phonePage->showSendError(message);
    announce(m_phonePage->messageLabel(), message);
}

void VerificationDialog::connectVerification()
{
    using Flow = VerificationFlow;
    connect(m_verification, &Flow::requestStarted, this, &VerificationDialog::onRequestStarted);
    connect(m_verification, &Flow::codeSent, this, &VerificationDialog::onCodeSent);
    connect(m_verification, &Flow::requestRefused, this, &VerificationDialog::onRequestRefused);
    connect(m_verification, &Flow::accountCheckFailed, this, [this] {
        showPhoneError(tr("Your account can't be checked right now. Try again in a moment."));
    });
    connect(m_verification, &Flow::otherFlowOffered, this, &VerificationDialog::offerOtherFlow);
    connect(m_verification, &Flow::deliveryStatusChanged, this,
            &VerificationDialog::onDeliveryStatus);
    connect(m_verification, &Flow::wrongCode, this, [this](int attemptsLeft) {
        showCheckFailure({VerifyResult::Status::WrongCode, attemptsLeft, {}});
    });
    connect(m_verification, &Flow::codeExpired, this, [this] {
        showCheckFailure({VerifyResult::Status::Expired, 0, {}});
    });
    connect(m_verification, &Flow::tooManyAttempts, this, [this](int resendIn) {
        showCheckFailure(
            {VerifyResult::Status::TooManyAttempts, 0, {}, std::chrono::seconds(resendIn)});
    });
    connect(m_verification, &Flow::checkFailed, this, &VerificationDialog::showCheckFailure);
    connect(m_verification, &Flow::codeAccepted, this, &VerificationDialog::onCodeAccepted);
    connect(m_verification, &Flow::accountNotSaved, this, &VerificationDialog::showAccountNotSaved);
    connect(m_verification, &Flow::verified, this, &VerificationDialog::finishVerified);
}

void VerificationDialog::offerOtherFlow(const PhoneNumber &number, Purpose flow)
{
    // The flow chosen does not fit the number: say so and offer the other one, on the phone page
    // (where a sign-in ends up whose account went missing while its code was being checked).
    if (m_stack->currentWidget() != m_phonePage)
        returnToPhonePage();
    m_phonePage->setBusy(false); // a service that refused the code after being asked for it
    const QString shown = phoneNumberInText(number.international());
    const QString message = flow == Purpose::SignIn
        ? tr("There's no account for %1 yet.").arg(shown)
        : tr("%1 already has an account.").arg(shown);
    m_phonePage->showAccountHint(
        message, flow == Purpose::SignIn ? tr("Sign up instead") : tr("Sign in instead"));
    announce(m_phonePage->messageLabel(), message);
}

void VerificationDialog::sendCode()
{
    requestFromPhonePage(Channel::WhatsApp);
}

void VerificationDialog::requestFromPhonePage(Channel channel)
{
    if (m_stack->currentWidget() != m_phonePage || m_phonePage->isBusy())
        return;
    const std::optional<PhoneNumber> number = m_phonePage->number();
    if (!number)
        return;
    m_phonePage->clearMessages();
    m_verification->request(*number, m_phonePage->flow(), channel);
}

void VerificationDialog::onRequestStarted()
{
    VerifyPage *page = verifyPage(); // built now if needed: ready by the time the answer comes
    if (m_verification->step() == VerificationFlow::Step::Number) {
        m_phonePage->clearMessages();
        m_phonePage->setBusy(true);
    } else {
        page->setResending(true);
    }
}

void VerificationDialog::onCodeSent(const SentCode &code)
{
    m_phonePage->setBusy(false);
    verifyPage()->setResending(false);
    CodeRequestResult deadlines;
    deadlines.status = CodeRequestResult::Status::Sent;
    deadlines.channel = code.channel;
    deadlines.expiresAt = code.expiresAt;
    deadlines.nextSendAt = code.nextSendAt;
    if (code.resent) {
        m_verifyPage->codeResent(code.channel, deadlines);
    } else {
        m_verifyPage->start(code.number, code.channel, deadlines);
        showPage(m_verifyPage);
    }
    m_accountUnknown = code.accountUnknown;
    if (code.accountUnknown) {
        // The service doesn't say whether the number has an account: it sends a code only if
        // the number fits the purpose. Say so, and don't claim a code was sent.
        const QString number = phoneNumberInText(code.number.international());
        const QString notice = m_verification->purpose() == Purpose::SignIn
            ? tr("If %1 has an account, a code is on its way.").arg(number)
            : tr("If %1 has no account yet, a code is on its way.").arg(number);
        m_verifyPage->showMessage(notice, false);
        announce(m_verifyPage->messageLabel(), notice);
        return;
    }
    const QString sent = code.channel == Channel::Sms
        ? (code.resent ? tr("New code sent by SMS") : tr("Code sent by SMS"))
        : (code.resent ? tr("New code sent on WhatsApp") : tr("Code sent on WhatsApp"));
    m_toast->showMessage(sent);
}

void VerificationDialog::onRequestRefused(const CodeRequestResult &result)
{
    m_phonePage->setBusy(false);
    verifyPage()->setResending(false);
    const QString message = Messages::requestFailure(result);
    if (m_verification->step() == VerificationFlow::Step::Number) {
        showPhoneError(message);
        m_phonePage->showSmsOffer(m_options.smsFallbackAvailable
                                  && result.channel == Channel::WhatsApp
                                  && result.status == CodeRequestResult::Status::SendFailed
                                  && result.send.error == SendError::NotWhatsAppUser);
    } else {
        if (result.status == CodeRequestResult::Status::CoolingDown
            || result.status == CodeRequestResult::Status::HourlyLimit
            || result.status == CodeRequestResult::Status::FailureBackoff)
            m_verifyPage->setNextSendAt(result.nextSendAt);
        m_verifyPage->showMessage(message);
        announce(m_verifyPage->messageLabel(), message);
    }
}

void VerificationDialog::onDeliveryStatus(DeliveryStatus status)
{
    if (m_stack->currentWidget() != m_verifyPage)
        return;
    m_verifyPage->setDeliveryStatus(status, m_options.smsFallbackAvailable);
}

void VerificationDialog::verifyCode(const QString &code)
{
    if (m_verification->step() != VerificationFlow::Step::Code || m_verification->isChecking()
        || m_verifyPage->isCodeDead())
        return;
    successPage(); // ready by the time the answer comes
    m_checkedCode = code;
    m_checkedCodeWasPasted = m_verifyPage->codeInput()->codeWasPasted();
    m_verifyPage->setChecking(true);
    m_verification->check(code);
}

void VerificationDialog::showCheckFailure(const VerifyResult &result)
{
    m_verifyPage->setChecking(false);
    m_checkedCode.clear();
    m_verifyPage->showVerifyFailure(result);
    announce(m_verifyPage->messageLabel(), m_verifyPage->messageText());
}

void VerificationDialog::onCodeAccepted()
{
    m_verifyPage->setChecking(false);
    const QString code = std::exchange(m_checkedCode, QString());
    // A pasted code has done its job: don't leave it on the clipboard.
    if (m_checkedCodeWasPasted) {
        QClipboard *clipboard = QGuiApplication::clipboard();
        if (extractCode(clipboard->text()) == code)
            clipboard->clear();
    }
}

void VerificationDialog::showAccountNotSaved(Purpose flow)
{
    returnToPhonePage();
    showPhoneError(flow == Purpose::SignUp
                       ? tr("Your account couldn't be saved. Please try again.")
                       : tr("You couldn't be signed in right now. Please try again."));
}

void VerificationDialog::finishVerified(const PhoneNumber &number, Purpose flow, bool created)
{
    m_verifiedNumber = number;
    m_accountCreated = created;
    m_verifyPage->stop();
    successPage()->showResult(number, created);
    showPage(m_successPage);
    announce(m_successPage->titleLabel(), m_successPage->title());
    qCInfo(lcDialog).noquote() << (created ? "account created for" : "signed in:")
                               << number.masked();
    Q_EMIT verified(number, flow, created);
    m_acceptTimer->start(m_successDelay);
}

void VerificationDialog::leaveCodePage()
{
    m_verification->cancel(); // also a send still on its way: its code is cancelled when it comes
    m_checkedCode.clear();
    m_accountUnknown = false;
    if (m_verifyPage)
        m_verifyPage->stop();
    m_phonePage->setBusy(false);
}

void VerificationDialog::returnToPhonePage()
{
    leaveCodePage();
    showPage(m_phonePage);
}

void VerificationDialog::editNumber()
{
    const PhoneNumber number = m_verification->number();
    const bool offerOther = m_accountUnknown && !number.isNull();
    const bool signIn = m_verification->purpose() == Purpose::SignIn;
    returnToPhonePage();
    if (!offerOther)
        return;
    // No code came, perhaps because the number doesn't fit: the other flow is one press away.
    const QString message = signIn ? tr("No code? %1 may not have an account yet.")
                                         .arg(phoneNumberInText(number.international()))
                                   : tr("No code? %1 may already have an account.")
                                         .arg(phoneNumberInText(number.international()));
    m_phonePage->showAccountHint(message, signIn ? tr("Sign up instead") : tr("Sign in instead"));
    announce(m_phonePage->messageLabel(), message);
}

} // namespace waotp
