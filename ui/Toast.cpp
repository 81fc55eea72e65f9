#include "Toast.h"

#include "Theme.h"
#include "WrapLabel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QStyle>
#include <QTimer>

namespace waotp {

Toast::Toast(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("toast"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 10, 16, 10);
    m_label = new WrapLabel(this);
    m_label->setObjectName(QStringLiteral("toastLabel"));
    m_label->setProperty("bold", true);
    m_label->setAlignment(Qt::AlignCenter);
    m_label->setTextFormat(Qt::PlainText);
    layout->addWidget(m_label);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &Toast::dismiss);

    parent->installEventFilter(this);
    hide();
}

Toast::~Toast() = default;

QString Toast::text() const
{
    return m_showing ? m_label->text() : QString();
}

void Toast::showMessage(const QString &text, Kind kind, std::chrono::milliseconds duration)
{
    if (m_showing && m_kind == Kind::Demo && kind != Kind::Demo)
        return;
    m_kind = kind;
    m_label->setText(text);
    setAccessibleName(text);
    setProperty("kind",
                kind == Kind::Error      ? QStringLiteral("error")
                    : kind == Kind::Demo ? QStringLiteral("demo")
                                         : QStringLiteral("info"));
    repolish(this);
    repolish(m_label); // its colour depends on the toast's kind
    m_showing = true;
    place();
    show();
    raise();
    m_timer->start(duration);
    Q_EMIT shown(text, kind);
}

void Toast::dismiss()
{
    m_timer->stop();
    m_showing = false;
    hide();
}

void Toast::place()
{
    // As wide as the text needs (up to the parent's width), as tall as the wrapped text.
    QWidget *p = parentWidget();
    const int margin = 16;
    const QMargins m = layout()->contentsMargins();
    const int maxWidth = std::max(120, p->width() - 2 * margin);
    const int textWidth = m_label->fontMetrics().horizontalAdvance(m_label->text()) + 4;
    const int w = std::min(maxWidth, textWidth + m.left() + m.right());
    const int labelHeight = m_label->heightForWidth(w - m.left() - m.right());
    const int h = std::max(labelHeight, m_label->fontMetrics().height()) + m.top() + m.bottom();
    setGeometry((p->width() - w) / 2, p->height() - h - 2 * margin, w, h);
}

bool Toast::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize && m_showing)
        place();
    return QFrame::eventFilter(watched, event);
}

} // namespace waotp
