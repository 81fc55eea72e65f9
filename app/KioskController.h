#pragma once

#include "engine/Clock.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

namespace waotp {

class PhoneNumber;
class VerificationDialog;

/// Runs the verification dialog as a kiosk: fullscreen and frameless; closing, Escape and
/// Alt+F4 do nothing; and it resets to a clean first page a few seconds after a success and
/// after a while without input, so nothing of one person is left for the next.
///
/// Time is read from a Clock (a fake one in tests): a coarse timer only decides when to look.
class KioskController : public QObject
{
    Q_OBJECT
public:
    struct Timings
    {
        /// Reset after this long without a key press or touch; 0: never (the configuration's
        /// kiosk idle timeout, default 60 s).
        std::chrono::milliseconds idleTimeout = std::chrono::seconds(60);
        /// Reset this long after a verification (long enough to read the success page).
        std::chrono::milliseconds successResetDelay = std::chrono::seconds(5);
        /// How often the clock is looked at.
        std::chrono::milliseconds tickInterval = std::chrono::milliseconds(500);
    };
    enum class ResetReason { Success, Idle, Closed };
    Q_ENUM(ResetReason)

    KioskController(VerificationDialog &dialog, const Clock &clock, Timings timings,
                    QObject *parent = nullptr);
    ~KioskController() override;

    /// Shows the dialog fullscreen and frameless and starts watching input and time.
    void start();
    const Timings &timings() const { return m_timings; }

public Q_SLOTS:
    /// Resets the dialog if the idle time or the success delay has run out (the timer calls it;
    /// tests call it after moving their clock).
    void checkTimers();

Q_SIGNALS:
    /// The dialog was put back to its first page.
    void resetDone(waotp::KioskController::ResetReason reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void resetDialog(ResetReason reason);
    void onVerified();
    void onFinished();
    bool belongsToDialog(QObject *object) const;

    QPointer<VerificationDialog> m_dialog;
    const Clock &m_clock;
    Timings m_timings;
    QTimer m_tick;
    Clock::TimePoint m_lastActivity;
    std::optional<Clock::TimePoint> m_successAt;
    bool m_resetting = false;
};

} // namespace waotp
