#include "SuccessPage.h"

#include "Icons.h"
#include "WrapLabel.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace waotp {

SuccessPage::SuccessPage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("successPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(28, 28, 28, 20);
    layout->setSpacing(12);
    layout->addStretch(1);

    m_icon = new QLabel(this);
    m_icon->setObjectName(QStringLiteral("successIcon"));
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setAccessibleName(tr("Verified"));
    layout->addWidget(m_icon);

    m_title = new WrapLabel(this);
    m_title->setObjectName(QStringLiteral("successTitleLabel"));
    m_title->setProperty("role", QStringLiteral("title"));
    m_title->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_title);

    m_number = new QLabel(this);
    m_number->setObjectName(QStringLiteral("successNumberLabel"));
    m_number->setProperty("role", QStringLiteral("number"));
    m_number->setAlignment(Qt::AlignCenter);
    m_number->setTextFormat(Qt::PlainText);
    layout->addWidget(m_number);

    m_detail = new WrapLabel(this);
    m_detail->setObjectName(QStringLiteral("successDetailLabel"));
    m_detail->setProperty("role", QStringLiteral("secondary"));
    m_detail->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_detail);
    layout->addStretch(1);

    m_continue = new QPushButton(tr("Continue"), this);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setProperty("role", QStringLiteral("primary"));
    m_continue->setAccessibleDescription(tr("Closes this window"));
    connect(m_continue, &QPushButton::clicked, this, &SuccessPage::continueRequested);
    layout->addWidget(m_continue);

    updateIcon();
}

void SuccessPage::showResult(const PhoneNumber &number, bool accountCreated)
{
    m_title->setText(accountCreated ? tr("Account created") : tr("Welcome back"));
    // Alone on its line, but inside a right-to-left page: still one left-to-right piece.
    m_number->setText(phoneNumberInText(number.international()));
    m_number->setAccessibleName(m_number->text());
    updateIcon(); // at the device pixel ratio of the screen it is about to be shown on
    m_detail->setText(accountCreated ? tr("Your number is verified and your account is ready.")
                                     : tr("Your number is verified. You're signed in."));
}

QString SuccessPage::title() const
{
    return m_title->text();
}

void SuccessPage::updateIcon()
{
    const int size = std::max(72, fontMetrics().height() * 4);
    m_icon->setPixmap(
        renderIcon(QStringLiteral(":/icons/success.svg"), QSize(size, size), devicePixelRatioF()));
}

void SuccessPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateIcon();
}

} // namespace waotp
