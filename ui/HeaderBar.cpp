#include "HeaderBar.h"

#include "Icons.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace waotp {

HeaderBar::HeaderBar(bool demoMode, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("header"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(18, 12, 18, 12);
    layout->setSpacing(10);

    m_logo = new QLabel(this);
    m_logo->setObjectName(QStringLiteral("logoLabel"));
    m_logo->setAccessibleName(tr("waotp"));
    layout->addWidget(m_logo);

    auto *title = new QLabel(tr("Phone verification"), this);
    title->setObjectName(QStringLiteral("headerTitleLabel"));
    title->setProperty("role", QStringLiteral("headerTitle"));
    layout->addWidget(title, 1);

    m_badge = new QLabel(tr("Demo mode"), this);
    m_badge->setObjectName(QStringLiteral("demoBadge"));
    m_badge->setProperty("bold", true);
    m_badge->setAccessibleName(tr("Demo mode"));
    m_badge->setAccessibleDescription(tr("Nothing is sent: the code is shown on screen"));
    m_badge->setVisible(demoMode);
    layout->addWidget(m_badge);

    updateLogo();
}

void HeaderBar::updateLogo()
{
    // Two lines of text high, drawn from the SVG at the screen's pixel ratio.
    const int size = fontMetrics().height() * 2;
    m_logo->setPixmap(
        renderIcon(QStringLiteral(":/icons/waotp.svg"), QSize(size, size), devicePixelRatioF()));
    m_logo->setFixedSize(size, size);
}

void HeaderBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateLogo();
}

} // namespace waotp
