#include "ExpiryLabel.h"

#include "Countdown.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QEvent>

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
    reserveSpace();
    refresh(now);
}

void ExpiryLabel::reserveSpace()
{
    // QLabel::setText() asks its layout to run again unless the label's size is fixed: with a
    // fixed size each second costs a repaint of the label alone, not a layout of the dialog.
    // The countdown only shrinks, so the text for m_shown (digits at their widest) is the
    // widest it will show, next to "Code expired".
    ensurePolished();
    const QFontMetrics fm = fontMetrics();
    QChar widestDigit = u'0';
    for (char16_t d = u'1'; d <= u'9'; ++d) {
        if (fm.horizontalAdvance(QChar(d)) > fm.horizontalAdvance(widestDigit))
            widestDigit = QChar(d);
    }
    QString counting = textFor(std::max(m_shown, std::chrono::seconds(1)));
    for (QChar &c : counting) {
        if (c.isDigit())
            c = widestDigit;
    }
    const QRect bounds(0, 0, QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    QSize size = fm.boundingRect(bounds, int(alignment()), counting).size();
    size = size.expandedTo(fm.boundingRect(bounds, int(alignment()), textFor({})).size());
    const QMargins m = contentsMargins();
    setFixedSize(size
                 + QSize(m.left() + m.right() + 2 * margin(), m.top() + m.bottom() + 2 * margin()));
}

void ExpiryLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    const QEvent::Type type = event->type();
    if (m_running && (type == QEvent::FontChange || type == QEvent::StyleChange))
        reserveSpace();
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
