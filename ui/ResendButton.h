#pragma once

#include "engine/Clock.h"

#include <QPixmap>
#include <QPushButton>

#include <chrono>
#include <optional>

namespace waotp {

/// "Resend code in 0:30" while the engine's cooldown runs, then "Resend code". The cooldown
/// comes from the engine (CodeRequestResult::nextSendAt), so each resend shows the next, longer
/// wait. Like ExpiryLabel it is refreshed by its page. Its accessible name stays "Resend code"
/// (the countdown is drawn, not set as text) so screen readers are not told every second.
class ResendButton : public QPushButton
{
    Q_OBJECT
public:
    explicit ResendButton(QWidget *parent = nullptr);

    /// Waits until @p nextSendAt (on the engine's clock) before enabling itself.
    void setNextSendAt(Clock::TimePoint nextSendAt, Clock::TimePoint now);
    Clock::TimePoint nextSendAt() const { return m_nextSendAt; }
    /// "Sending…" and disabled while a resend is on its way.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    /// Recomputes the text and the enabled state for @p now.
    void refresh(Clock::TimePoint now);
    /// Stops counting (no code page).
    void stop();

    /// What the button shows: "Resend code in 0:30", "Resend code" or "Sending…".
    QString displayText() const { return m_display; }
    bool isCoolingDown() const { return m_left.count() > 0; }
    std::optional<std::chrono::milliseconds> untilNextChange(Clock::TimePoint now) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The cooldown is over: a new code can be requested.
    void cooldownFinished();

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    void updateState();

    // What the frame and background were drawn for: they change with the button's state and
    // look, not with the seconds.
    struct BevelKey
    {
        QSize size;
        qreal devicePixelRatio = 0;
        int state = 0;
        int features = 0;
        quint64 look = 0;
        bool operator==(const BevelKey &) const = default;
    };

    Clock::TimePoint m_nextSendAt;
    std::chrono::seconds m_left {0};
    QString m_display;
    bool m_busy = false;
    QPixmap m_bevel;
    BevelKey m_bevelKey;
    quint64 m_look = 0; ///< bumped when the style, palette or font changes
};

} // namespace waotp
