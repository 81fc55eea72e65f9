#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QWidget>

#include <chrono>
#include <optional>

class QLabel;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace waotp {

class ExpiryLabel;
class OtpCodeInput;
class ResendButton;

/// The code page: "Enter the 6-digit code we sent to +91 98765 43210 on WhatsApp", an "Edit
/// number" link, the six boxes, the expiry countdown, the resend button with its cooldown,
/// delivery ticks and, after a failed delivery, "Send by SMS instead".
///
/// The countdowns are computed from the engine's deadlines and the injected clock. One
/// single-shot timer wakes the page exactly when a shown value changes, and only while the page
/// is visible and something is counting; tests call tick() after moving a fake clock.
class VerifyPage : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyPage(const Clock &clock, QWidget *parent = nullptr);
    ~VerifyPage() override;

    /// A code was sent to @p number: fresh boxes, countdowns from @p result.
    void start(const PhoneNumber &number, Channel channel, const CodeRequestResult &result);
    /// A new code was sent (resend or SMS): new deadlines, boxes cleared.
    void codeResent(Channel channel, const CodeRequestResult &result);
    /// Stops everything (the page is being left).
    void stop();

    /// Shows the words for a failed check and puts the boxes in the matching state.
    void showVerifyFailure(const VerifyResult &result);
    /// An error or notice under the boxes (announced by the dialog).
    void showMessage(const QString &message, bool error = true);
    QString messageText() const;
    /// The boxes are read-only and "Checking…" is shown while the engine checks the code.
    void setChecking(bool checking);
    /// A resend is on its way.
    void setResending(bool resending);
    /// A resend was refused: wait until @p nextSendAt.
    void setNextSendAt(Clock::TimePoint nextSendAt);
    /// Delivery ticks; a failed WhatsApp delivery offers SMS if @p smsAvailable.
    void setDeliveryStatus(DeliveryStatus status, bool smsAvailable);

    /// Recomputes the countdowns from the clock and re-arms the timer.
    void tick();
    /// True while the wake-up timer is armed.
    bool isTicking() const;
    /// When the timer fires next, if armed.
    std::optional<std::chrono::milliseconds> nextTickIn() const;

    OtpCodeInput *codeInput() const { return m_codeInput; }
    ExpiryLabel *expiryLabel() const { return m_expiry; }
    ResendButton *resendButton() const { return m_resend; }
    QPushButton *editNumberButton() const { return m_editButton; }
    QPushButton *smsButton() const { return m_smsButton; }
    QLabel *instructionLabel() const { return m_instruction; }
    QLabel *deliveryLabel() const { return m_delivery; }
    QLabel *messageLabel() const { return m_message; }
    PhoneNumber number() const { return m_number; }
    Channel channel() const { return m_channel; }
    DeliveryStatus deliveryStatus() const { return m_deliveryStatus; }
    /// The code can no longer be used (expired, too many attempts, no code): boxes disabled.
    bool isCodeDead() const { return m_dead; }

Q_SIGNALS:
    void codeEntered(const QString &code);
    void resendRequested();
    void smsRequested();
    void editNumberRequested();
    /// Text for screen readers (countdown milestones, delivery failures), from @p source.
    void announcementDue(QWidget *source, const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    // The page from top to bottom, as the constructor builds it.
    void buildHeading(QVBoxLayout *layout); ///< title, instruction, "Edit number"
    /// The part that changes while the page waits, on a background that repaints alone.
    void buildCodeArea(QVBoxLayout *layout);
    void buildCodeInput(QVBoxLayout *layout); ///< the six boxes and the message under them
    void buildStatus(QVBoxLayout *layout); ///< the expiry countdown and the delivery ticks
    void buildActions(QVBoxLayout *layout); ///< resend and "Send by SMS instead"

    void setInstruction();
    void setCodeDead(const QString &message);
    void armTimer();

    const Clock &m_clock;
    QLabel *m_titleLabel = nullptr;
    QLabel *m_instruction = nullptr;
    QPushButton *m_editButton = nullptr;
    OtpCodeInput *m_codeInput = nullptr;
    QLabel *m_message = nullptr;
    ExpiryLabel *m_expiry = nullptr;
    ResendButton *m_resend = nullptr;
    QLabel *m_delivery = nullptr;
    QPushButton *m_smsButton = nullptr;
    QTimer *m_timer = nullptr;
    PhoneNumber m_number;
    Channel m_channel = Channel::WhatsApp;
    DeliveryStatus m_deliveryStatus = DeliveryStatus::Unknown;
    bool m_dead = false;
    bool m_checking = false;
};

} // namespace waotp
