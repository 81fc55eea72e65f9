#pragma once

#include "engine/Clock.h"

#include <QLabel>

#include <chrono>
#include <optional>

namespace waotp {

/// "Code expires in 4:59", computed from the engine's deadline and the clock at each refresh,
/// so it never drifts. It does not tick by itself: its page calls refresh() (see VerifyPage).
/// Screen readers read the live text on demand but are told about it only at 1:00, 0:30, 0:10
/// and expiry (announcementDue()), not every second. While it counts it keeps one size, that of
/// the widest text it will show, so a new second repaints the label and lays nothing out again
/// (its page should align it, e.g. Qt::AlignHCenter).
class ExpiryLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ExpiryLabel(QWidget *parent = nullptr);

    /// Counts down to @p deadline, starting from @p now.
    void start(Clock::TimePoint deadline, Clock::TimePoint now);
    /// Shows "Code expired" now (the engine said so before the clock did).
    void expireNow();
    /// Nothing to count down (and no text).
    void stop();
    /// Recomputes the text for @p now; emits expired() and announcementDue() as due.
    void refresh(Clock::TimePoint now);

    bool isRunning() const { return m_running; }
    bool isExpired() const { return m_running && m_shown.count() == 0; }
    Clock::TimePoint deadline() const { return m_deadline; }
    /// When the text changes next; std::nullopt if it will not.
    std::optional<std::chrono::milliseconds> untilNextChange(Clock::TimePoint now) const;

Q_SIGNALS:
    /// The deadline passed (once per start()).
    void expired();
    /// A milestone for screen readers: "Code expires in 1:00" ... "Code expired".
    void announcementDue(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    QString textFor(std::chrono::seconds left) const;
    void reserveSpace();

    Clock::TimePoint m_deadline;
    std::chrono::seconds m_shown {-1};
    bool m_running = false;
};

} // namespace waotp
