#include "ResendButton.h"

#include "Countdown.h"

#include <QEvent>
#include <QPainter>
#include <QStyleOptionButton>
#include <QStylePainter>

namespace waotp {

ResendButton::ResendButton(QWidget *parent) : QPushButton(parent)
{
    setObjectName(QStringLiteral("resendButton"));
    setText(tr("Resend code"));
    setAccessibleDescription(tr("Sends a new code. Available when the wait is over."));
    updateState();
}

void ResendButton::setNextSendAt(Clock::TimePoint nextSendAt, Clock::TimePoint now)
{
    m_nextSendAt = nextSendAt;
    m_left = std::chrono::seconds(-1); // force an update
    refresh(now);
}

void ResendButton::setBusy(bool busy)
{
    m_busy = busy;
    updateState();
}

void ResendButton::refresh(Clock::TimePoint now)
{
    const std::chrono::seconds left = secondsLeft(m_nextSendAt, now);
    if (left == m_left)
        return;
    const bool wasCoolingDown = m_left.count() > 0;
    m_left = left;
    updateState();
    if (wasCoolingDown && left.count() == 0)
        Q_EMIT cooldownFinished();
}

void ResendButton::stop()
{
    m_nextSendAt = {};
    m_left = std::chrono::seconds(0);
    m_busy = false;
    updateState();
}

std::optional<std::chrono::milliseconds> ResendButton::untilNextChange(Clock::TimePoint now) const
{
    if (m_left.count() <= 0)
        return std::nullopt;
    return waotp::untilNextChange(m_nextSendAt, now);
}

void ResendButton::updateState()
{
    if (m_busy)
        m_display = tr("Sending…");
    else if (m_left.count() > 0)
        m_display = tr("Resend code in %1").arg(formatDuration(m_left));
    else
        m_display = tr("Resend code");
    setEnabled(!m_busy && m_left.count() <= 0);
    update();
}

QSize ResendButton::sizeHint() const
{
    // Wide enough for the longest text, so the layout does not move as the seconds change.
    QStyleOptionButton opt;
    initStyleOption(&opt);
    const QFontMetrics fm = fontMetrics();
    int w = fm.horizontalAdvance(tr("Resend code in %1").arg(QStringLiteral("00:00")));
    w = std::max(w, fm.horizontalAdvance(m_display));
    const QSize contents(w, fm.height());
    return style()->sizeFromContents(QStyle::CT_PushButton, &opt, contents, this);
}

QSize ResendButton::minimumSizeHint() const
{
    return sizeHint();
}

void ResendButton::paintEvent(QPaintEvent *)
{
    // What QStyle::CE_PushButton draws (bevel, label, focus rectangle), with the bevel kept in
    // a pixmap: the text changes every second while the cooldown runs, and the style sheet's
    // rounded border costs several times what the text does.
    QStylePainter p(this);
    QStyleOptionButton opt;
    initStyleOption(&opt);
    opt.text = m_display;
    const BevelKey key {opt.rect.size(), devicePixelRatioF(), int(opt.state), int(opt.features),
                        m_look};
    if (m_bevel.isNull() || key != m_bevelKey) {
        m_bevel = QPixmap(opt.rect.size() * key.devicePixelRatio);
        m_bevel.setDevicePixelRatio(key.devicePixelRatio);
        m_bevel.fill(Qt::transparent);
        QPainter bevel(&m_bevel);
        style()->drawControl(QStyle::CE_PushButtonBevel, &opt, &bevel, this);
        m_bevelKey = key;
    }
    p.drawPixmap(opt.rect.topLeft(), m_bevel);
    QStyleOptionButton label = opt;
    label.rect = style()->subElementRect(QStyle::SE_PushButtonContents, &opt, this);
    p.drawControl(QStyle::CE_PushButtonLabel, label);
    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = style()->subElementRect(QStyle::SE_PushButtonFocusRect, &opt, this);
        p.drawPrimitive(QStyle::PE_FrameFocusRect, focus);
    }
}

bool ResendButton::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::StyleChange:
    case QEvent::PaletteChange:
    case QEvent::FontChange:
    case QEvent::LayoutDirectionChange:
    case QEvent::DynamicPropertyChange: // the style sheet styles by property
        ++m_look; // the bevel is drawn again
        break;
    default:
        break;
    }
    return QPushButton::event(event);
}

} // namespace waotp
