#include "ExpiryLabel.h"

#include "Countdown.h"

#include <QAccessible>
#include <QAccessibleWidget>

namespace waotp {

namespace {

// The label's accessible name is its current text, read on demand. The label has a fixed
// accessibleName so QLabel::setText() sends no NameChanged event every second; the page
// announces the milestones itself.
class ExpiryLabelAccessible final : public QAccessibleWidget
{
public:
    explicit ExpiryLabelAccessible(QWidget *w) : QAccessibleWidget(w, QAccessible::StaticText) { }
    QString text(QAccessible::Text t) const override
    {
        if (t == QAccessible::Name)
            return static_cast<QLabel *>(widget())->text();
        return QAccessibleWidget::text(t);
    }
};

QAccessibleInterface *expiryFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String("waotp::ExpiryLabel") && object && object->isWidgetType())
        return new ExpiryLabelAccessible(static_cast<QWidget *>(object));
    return nullptr;
}

} // namespace

ExpiryLabel::ExpiryLabel(QWidget *parent) : QLabel(parent)
{
    static const bool factoryInstalled = [] {
        QAccessible::installFactory(expiryFactory);
        return true;
    }();
    Q_UNUSED(factoryInstalled);
    setObjectName(QStringLiteral("expiryLabel"));
    setAccessibleName(tr("Code expiry"));
    setAccessibleDescription(tr("Time left to enter the code"));
    setAlignment(Qt::AlignCenter);
    setTextFormat(Qt::PlainText);
}

QString ExpiryLabel::textFor(std::chrono::seconds left) const
{
    if (left.count() <= 0)
        return tr("Code expired");
    return tr("Code expires in %1").arg(formatDuration(left));
}

void ExpiryLabel::start(Clock::TimePoint deadline, Clock::TimePoint now)
{
    m_deadline = deadline;
    m_running = true;
    m_shown = secondsLeft(deadline, now) + std::chrono::seconds(1); // no milestone at start
    refresh(now);
}

void ExpiryLabel::expireNow()
{
    m_running = true;
    m_deadline = {};
    m_shown = std::chrono::seconds(0);
    setText(textFor(m_shown));
}

void ExpiryLabel::stop()
{
    m_running = false;
    m_shown = std::chrono::seconds(-1);
    clear();
}

void ExpiryLabel::refresh(Clock::TimePoint now)
{
    if (!m_running || m_shown.count() == 0)
        return;
    const std::chrono::seconds left = secondsLeft(m_deadline, now);
    if (left == m_shown)
        return;
    const std::chrono::seconds before = m_shown;
    m_shown = left;
    setText(textFor(left));
    // After a jump (the machine slept) only the lowest milestone crossed is announced.
    if (crossedAnnouncement(before, left))
        Q_EMIT announcementDue(text());
    if (left.count() == 0)
        Q_EMIT expired();
}

std::optional<std::chrono::milliseconds> ExpiryLabel::untilNextChange(Clock::TimePoint now) const
{
    if (!m_running || m_shown.count() == 0)
        return std::nullopt;
    return waotp::untilNextChange(m_deadline, now);
}

} // namespace waotp
