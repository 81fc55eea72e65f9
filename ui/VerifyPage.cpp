#include "VerifyPage.h"

#include "ExpiryLabel.h"
#include "Messages.h"
#include "OtpCodeInput.h"
#include "ResendButton.h"
#include "Theme.h"
#include "WrapLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPaintEvent>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace waotp {

namespace {

QString statusName(DeliveryStatus s)
{
    switch (s) {
    case DeliveryStatus::Read:
        return QStringLiteral("read");
    case DeliveryStatus::Failed:
    case DeliveryStatus::Undelivered:
        return QStringLiteral("failed");
    default:
        return QStringLiteral("pending");
    }
}

// The part of the page that changes while it waits: the code boxes (a blinking cursor), the
// countdown and the resend button (once a second). The card beneath draws a rounded, bordered
// background, a path fill and four arcs on every repaint, clipped or not. This part lies well
// inside the card's flat middle and paints itself, a plain rectangle of the card's colour, so
// a tick or a blink repaints nothing beneath it.
class CardArea final : public QWidget
{
public:
    explicit CardArea(QWidget *parent) : QWidget(parent) { setAttribute(Qt::WA_OpaquePaintEvent); }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QPainter(this).fillRect(event->rect(), currentThemeColors().card);
    }
};

} // namespace

VerifyPage::VerifyPage(const Clock &clock, QWidget *parent) : QWidget(parent), m_clock(clock)
{
    setObjectName(QStringLiteral("verifyPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(28, 20, 28, 20);
    layout->setSpacing(10);

    buildHeading(layout);
    buildCodeArea(layout);
    layout->addStretch(1);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &VerifyPage::tick);

    setTabOrder(m_editButton, m_codeInput);
    setTabOrder(m_codeInput, m_resend);
    setTabOrder(m_resend, m_smsButton);
}

void VerifyPage::buildHeading(QVBoxLayout *layout)
{
    m_titleLabel = new WrapLabel(tr("Verify your number"), this);
    m_titleLabel->setObjectName(QStringLiteral("verifyTitleLabel"));
    m_titleLabel->setProperty("role", QStringLiteral("title"));
    m_titleLabel->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_titleLabel);

    m_instruction = new WrapLabel(this);
    m_instruction->setObjectName(QStringLiteral("instructionLabel"));
    m_instruction->setProperty("role", QStringLiteral("secondary"));
    m_instruction->setAlignment(Qt::AlignCenter);
    m_instruction->setTextFormat(Qt::RichText);
    layout->addWidget(m_instruction);

    m_editButton = new QPushButton(tr("&Edit number"), this);
    m_editButton->setObjectName(QStringLiteral("editNumberButton"));
    m_editButton->setProperty("role", QStringLiteral("link"));
    m_editButton->setAccessibleName(tr("Edit number"));
    m_editButton->setAccessibleDescription(tr("Go back and change the phone number"));
    connect(m_editButton, &QPushButton::clicked, this, &VerifyPage::editNumberRequested);
    auto *editRow = new QHBoxLayout;
    editRow->addStretch(1);
    editRow->addWidget(m_editButton);
    editRow->addStretch(1);
    layout->addLayout(editRow);
    layout->addSpacing(8);
}

void VerifyPage::buildCodeArea(QVBoxLayout *layout)
{
    auto *area = new CardArea(this);
    area->setObjectName(QStringLiteral("codeArea"));
    auto *areaLayout = new QVBoxLayout(area);
    areaLayout->setContentsMargins(0, 0, 0, 0);
    areaLayout->setSpacing(layout->spacing());
    buildCodeInput(areaLayout);
    buildStatus(areaLayout);
    buildActions(areaLayout);
    layout->addWidget(area);
}

void VerifyPage::buildCodeInput(QVBoxLayout *layout)
{
    m_codeInput = new OtpCodeInput(this);
    connect(m_codeInput, &OtpCodeInput::completed, this, &VerifyPage::codeEntered);
    connect(m_codeInput, &OtpCodeInput::pasteIgnored, this, [this] {
        showMessage(tr("No 6-digit code in the pasted text"), false);
        Q_EMIT announcementDue(m_message, m_message->text());
    });
    connect(m_codeInput, &OtpCodeInput::codeChanged, this, [this](const QString &code) {
        // The first digit after an error starts over: the old message no longer applies.
        if (!code.isEmpty() && !m_dead && !m_checking)
            showMessage(QString());
    });
    layout->addWidget(m_codeInput);

    m_message = new WrapLabel(this);
    m_message->setObjectName(QStringLiteral("codeMessageLabel"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextFormat(Qt::PlainText);
    m_message->hide();
    layout->addWidget(m_message);
}

void VerifyPage::buildStatus(QVBoxLayout *layout)
{
    m_expiry = new ExpiryLabel(this);
    m_expiry->setProperty("role", QStringLiteral("secondary"));
    connect(m_expiry, &ExpiryLabel::announcementDue, this, [this](const QString &text) {
        if (!m_expiry->isExpired()) // expiry itself is announced with its message, below
            Q_EMIT announcementDue(m_expiry, text);
    });
    connect(m_expiry, &ExpiryLabel::expired, this, [this] {
        setCodeDead(Messages::verifyFailure({VerifyResult::Status::Expired, 0, {}}));
        Q_EMIT announcementDue(m_message, m_message->text());
    });
    layout->addWidget(m_expiry, 0, Qt::AlignHCenter); // fixed size while it counts

    m_delivery = new QLabel(this);
    m_delivery->setObjectName(QStringLiteral("deliveryLabel"));
    m_delivery->setAlignment(Qt::AlignCenter);
    m_delivery->setTextFormat(Qt::PlainText);
    layout->addWidget(m_delivery);
    layout->addSpacing(6);
}

void VerifyPage::buildActions(QVBoxLayout *layout)
{
    auto *actions = new QHBoxLayout;
    actions->addStretch(1);
    m_resend = new ResendButton(this);
    m_resend->setProperty("role", QStringLiteral("secondary"));
    connect(m_resend, &ResendButton::clicked, this, &VerifyPage::resendRequested);
    connect(m_resend, &ResendButton::cooldownFinished, this, [this] {
        if (m_dead)
            m_resend->setFocus(Qt::OtherFocusReason);
        // The button counts down silently for screen readers; say when it can be used.
        Q_EMIT announcementDue(m_resend, m_resend->text());
    });
    actions->addWidget(m_resend);
    actions->addStretch(1);
    layout->addLayout(actions);

    m_smsButton = new QPushButton(tr("Send by &SMS instead"), this);
    m_smsButton->setObjectName(QStringLiteral("smsButton"));
    m_smsButton->setProperty("role", QStringLiteral("link"));
    m_smsButton->setAccessibleName(tr("Send by SMS instead"));
    m_smsButton->setAccessibleDescription(tr("Sends the code as a text message"));
    m_smsButton->hide();
    connect(m_smsButton, &QPushButton::clicked, this, &VerifyPage::smsRequested);
    auto *smsRow = new QHBoxLayout;
    smsRow->addStretch(1);
    smsRow->addWidget(m_smsButton);
    smsRow->addStretch(1);
    layout->addLayout(smsRow);
}

VerifyPage::~VerifyPage() = default;

void VerifyPage::start(const PhoneNumber &number, Channel channel, const CodeRequestResult &result)
{
    m_number = number;
    codeResent(channel, result);
}

void VerifyPage::codeResent(Channel channel, const CodeRequestResult &result)
{
    const Clock::TimePoint now = m_clock.now();
    m_channel = channel;
    m_dead = false;
    m_checking = false;
    setInstruction();
    m_codeInput->setFirstBoxDescription(Messages::codeSentTo(
        m_number, channel, std::chrono::ceil<std::chrono::seconds>(result.expiresAt - now)));
    m_codeInput->setEnabled(true);
    m_codeInput->setReadOnly(false);
    m_codeInput->setError(false);
    m_codeInput->clear();
    showMessage(QString());
    m_expiry->show();
    m_expiry->start(result.expiresAt, now);
    m_resend->setBusy(false);
    m_resend->setNextSendAt(result.nextSendAt, now);
    m_smsButton->hide();
    setDeliveryStatus(DeliveryStatus::Queued, false);
    tick();
    m_codeInput->setFocus(Qt::OtherFocusReason);
}

void VerifyPage::stop()
{
    m_timer->stop();
    m_expiry->stop();
    m_resend->stop();
    m_codeInput->setError(false);
    m_codeInput->clear();
    m_codeInput->setEnabled(true);
    m_codeInput->setReadOnly(false);
    m_codeInput->setFirstBoxDescription(QString());
    showMessage(QString());
    m_smsButton->hide();
    m_delivery->clear();
    m_number = {};
    m_dead = false;
    m_checking = false;
}

void VerifyPage::setInstruction()
{
    const QString sentence = m_channel == Channel::Sms
        ? tr("Enter the 6-digit code we sent to %1 by SMS")
        : tr("Enter the 6-digit code we sent to %1 on WhatsApp");
    const QString number = phoneNumberInText(m_number.international());
    m_instruction->setText(sentence.arg(QStringLiteral("<b>%1</b>").arg(number)));
    m_instruction->setAccessibleName(sentence.arg(number));
}

void VerifyPage::showVerifyFailure(const VerifyResult &result)
{
    using Status = VerifyResult::Status;
    const QString text = Messages::verifyFailure(result);
    switch (result.status) {
    case Status::Verified:
        return;
    case Status::WrongCode:
        m_codeInput->clear();
        m_codeInput->setError(true);
        showMessage(text);
        return;
    case Status::TooManyAttempts:
        // A server says when a resend is allowed (its cooldown, or the backoff after the
        // number's wrong codes): the button counts down to it rather than offer a resend that
        // would be refused.
        if (result.retryAfter.count() > 0) {
            const Clock::TimePoint at = m_clock.now() + result.retryAfter;
            if (at > m_resend->nextSendAt())
                m_resend->setNextSendAt(at, m_clock.now());
        }
        setCodeDead(text);
        return;
    case Status::Expired:
    case Status::NoCode:
    case Status::GuessLimit:
        setCodeDead(text);
        return;
    case Status::Malformed:
        showMessage(text);
        return;
    case Status::Unavailable:
        m_codeInput->allowResubmit();
        showMessage(text);
        return;
    }
}

void VerifyPage::setCodeDead(const QString &message)
{
    m_dead = true;
    m_codeInput->clear(); // the code is void: nothing in the boxes can be used any more
    m_codeInput->setError(true);
    m_codeInput->setEnabled(false);
    m_expiry->stop();
    m_expiry->hide();
    showMessage(message);
    if (m_resend->isEnabled())
        m_resend->setFocus(Qt::OtherFocusReason);
    tick();
}

void VerifyPage::showMessage(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setProperty("role", error ? QStringLiteral("error") : QStringLiteral("notice"));
    repolish(m_message);
    m_message->setVisible(!message.isEmpty());
}

QString VerifyPage::messageText() const
{
    return m_message->isVisibleTo(this) ? m_message->text() : QString();
}

void VerifyPage::setChecking(bool checking)
{
    m_checking = checking;
    m_codeInput->setReadOnly(checking);
    if (checking)
        showMessage(tr("Checking…"), false);
    else if (m_message->text() == tr("Checking…"))
        showMessage(QString());
}

void VerifyPage::setResending(bool resending)
{
    m_resend->setBusy(resending);
}

void VerifyPage::setNextSendAt(Clock::TimePoint nextSendAt)
{
    m_resend->setNextSendAt(nextSendAt, m_clock.now());
    tick();
}

void VerifyPage::setDeliveryStatus(DeliveryStatus status, bool smsAvailable)
{
    m_deliveryStatus = status;
    const QString words = Messages::deliveryStatus(status);
    m_delivery->setText(Messages::deliveryTicks(status) + QLatin1Char(' ') + words);
    m_delivery->setAccessibleName(tr("Message status: %1").arg(words));
    m_delivery->setProperty("status", statusName(status));
    repolish(m_delivery);
    const bool failed = status == DeliveryStatus::Failed || status == DeliveryStatus::Undelivered;
    if (!failed)
        return;
    // The engine lets a failed delivery be retried at once.
    m_resend->setNextSendAt(m_clock.now(), m_clock.now());
    const bool offerSms = smsAvailable && m_channel == Channel::WhatsApp;
    m_smsButton->setVisible(offerSms);
    showMessage(offerSms ? tr("The code wasn't delivered on WhatsApp. Resend it, or get it by SMS.")
                         : tr("The code wasn't delivered. Check the number, or resend the code."));
    Q_EMIT announcementDue(m_message, m_message->text());
    tick();
}

void VerifyPage::tick()
{
    const Clock::TimePoint now = m_clock.now();
    m_expiry->refresh(now);
    m_resend->refresh(now);
    armTimer();
}

void VerifyPage::armTimer()
{
    if (!isVisible()) {
        m_timer->stop();
        return;
    }
    const Clock::TimePoint now = m_clock.now();
    std::optional<std::chrono::milliseconds> next = m_expiry->untilNextChange(now);
    if (const auto r = m_resend->untilNextChange(now); r && (!next || *r < *next))
        next = r;
    if (!next) {
        m_timer->stop(); // nothing counts down: nothing wakes the CPU
        return;
    }
    m_timer->start(*next);
}

bool VerifyPage::isTicking() const
{
    return m_timer->isActive();
}

std::optional<std::chrono::milliseconds> VerifyPage::nextTickIn() const
{
    if (!m_timer->isActive())
        return std::nullopt;
    return std::chrono::milliseconds(m_timer->interval());
}

void VerifyPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    tick();
}

void VerifyPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

} // namespace waotp
