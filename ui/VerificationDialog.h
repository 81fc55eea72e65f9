#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QDialog>
#include <QString>

#include <chrono>

class QFrame;
class QSpacerItem;
class QLabel;
class QStackedWidget;
class QTimer;

namespace waotp {

class AccountStore;
class HeaderBar;
class VerificationBackend;
class Announcer;
class NumericKeypad;
class PhoneEntryPage;
class SuccessPage;
class Toast;
class VerificationFlow;
class VerifyPage;
struct SentCode;

/// How the app opens the verification dialog (from the command line and the configuration).
struct DialogOptions
{
    Purpose initialFlow = Purpose::SignUp; ///< --flow signup|signin preselects the toggle
    QString defaultRegion = QStringLiteral("IN"); ///< the country picker's first choice
    QString initialPhone; ///< --phone: prefilled; if valid the app may call sendCode() at once
    bool demoMode = false; ///< shows the always-visible "Demo mode" badge
    bool kiosk = false; ///< on-screen numeric keypad (touch targets >= 56 px), large type
    bool smsFallbackAvailable = false; ///< "Send by SMS instead" after a failed WhatsApp delivery
    QString locale; ///< message language passed to the engine
};

/// The WhatsApp-style verification modal: phone page, code page, success page. The view of a
/// VerificationFlow, which holds the state and the account rules and talks to the engine and the
/// account store; accepts after the success page.
class VerificationDialog : public QDialog
{
    Q_OBJECT
public:
    VerificationDialog(OtpEngine &engine, AccountStore &accounts, const Clock &clock,
                       DialogOptions options, QWidget *parent = nullptr);
    /// The view of a flow on @p backend (this process' engine, or a verification server),
    /// which must outlive the dialog.
    VerificationDialog(VerificationBackend &backend, const Clock &clock, DialogOptions options,
                       QWidget *parent = nullptr);
    ~VerificationDialog() override;

    /// The verified number; valid after accepted().
    PhoneNumber verifiedNumber() const { return m_verifiedNumber; }
    /// The flow chosen on the first page (sign up or sign in).
    Purpose flow() const;
    /// True for a sign-up that created the account.
    bool accountCreated() const { return m_accountCreated; }

    /// How long the success page stays before the dialog accepts (default 1.5 s; tests use 0).
    void setSuccessDelay(std::chrono::milliseconds delay) { m_successDelay = delay; }
    std::chrono::milliseconds successDelay() const { return m_successDelay; }

    const DialogOptions &options() const { return m_options; }

    // For tests and for the app's kiosk wiring.
    PhoneEntryPage *phonePage() const { return m_phonePage; }
    /// The code and success pages are built when first needed (or asked for).
    VerifyPage *verifyPage();
    SuccessPage *successPage();
    QWidget *currentPage() const;
    Toast *toast() const { return m_toast; }
    NumericKeypad *keypad() const { return m_keypad; }
    Announcer *announcer() const { return m_announcer; }

    /// Closing the dialog while a code is pending cancels that code in the engine.
    void done(int result) override;

public Q_SLOTS:
    /// As if "Send code on WhatsApp" were clicked (no-op if the number is invalid).
    void sendCode();
    /// Shows the toast "Demo code: 123456" (connected to DemoSender::codeShown by the app).
    void showDemoCode(const waotp::PhoneNumber &to, const QString &code);
    /// The service is a demo one (a demo verification server): the "Demo mode" badge shows,
    /// and showDemoCode() shows its codes.
    void setDemoMode();
    /// Back to the first page, every field and state cleared, pending code cancelled (kiosk).
    void reset();

Q_SIGNALS:
    /// The number was verified and the account created or signed in.
    void verified(const waotp::PhoneNumber &number, waotp::Purpose flow, bool accountCreated);

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    /// Escape on a kiosk starts over instead of closing.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void init(VerificationBackend &backend);
    void buildUi();
    void connectVerification();
    void applyFonts();
    void keepFocus(QWidget *focus);
    void fitHeight();
    void announce(QWidget *source, const QString &text);
    void offerOtherFlow(const PhoneNumber &number, Purpose flow);
    void showPhoneError(const QString &message);
    void requestFromPhonePage(Channel channel);
    void onRequestStarted();
    void onCodeSent(const SentCode &code);
    void onRequestRefused(const CodeRequestResult &result);
    void onDeliveryStatus(DeliveryStatus status);
    void verifyCode(const QString &code);
    void onCodeAccepted();
    void showCheckFailure(const VerifyResult &result);
    void showAccountNotSaved(Purpose flow);
    void finishVerified(const PhoneNumber &number, Purpose flow, bool created);
    void leaveCodePage();
    void returnToPhonePage();
    void editNumber(); ///< "Edit number": back to the phone page
    void showPage(QWidget *page);
    void routeKeypadDigit(QChar digit);
    void routeKeypadBackspace();

    const Clock &m_clock;
    DialogOptions m_options;
    VerificationFlow *m_verification = nullptr; ///< the state and the rules; this is the view

    QFrame *m_card = nullptr;
    HeaderBar *m_header = nullptr;
    QStackedWidget *m_stack = nullptr;
    PhoneEntryPage *m_phonePage = nullptr;
    VerifyPage *m_verifyPage = nullptr;
    SuccessPage *m_successPage = nullptr;
    Toast *m_toast = nullptr;
    QSpacerItem *m_toastLane = nullptr; ///< room at the bottom, so a toast covers nothing
    NumericKeypad *m_keypad = nullptr;
    Announcer *m_announcer = nullptr;
    QLabel *m_demoBadge = nullptr;
    QTimer *m_acceptTimer = nullptr;

    PhoneNumber m_verifiedNumber;
    QString m_checkedCode; ///< the code being checked, only to clear it from the clipboard
    bool m_checkedCodeWasPasted = false;
    bool m_accountCreated = false;
    bool m_accountUnknown = false; ///< a sign-in code sent only if the number has an account
    std::chrono::milliseconds m_successDelay {1500};
};

} // namespace waotp
