#include "PhoneEntryPage.h"

#include "CountryPicker.h"
#include "Theme.h"
#include "WrapLabel.h"

#include <QButtonGroup>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QStyle>
#include <QVBoxLayout>

namespace waotp {

namespace {

bool isSignificant(QChar c)
{
    return (c.isDigit() && c.digitValue() >= 0) || c == u'+';
}

// ASCII digits and a leading plus: what the formatter reads (Arabic-Indic digits typed on an
// Arabic keyboard count too).
QString significant(QStringView text)
{
    QString out;
    for (const QChar c : text) {
        if (c == u'+' && out.isEmpty())
            out.append(c);
        else if (c.isDigit() && c.digitValue() >= 0)
            out.append(QChar(u'0' + c.digitValue()));
    }
    return out;
}

int significantBefore(QStringView text, int cursor)
{
    int n = 0;
    for (int i = 0; i < cursor && i < text.size(); ++i)
        n += isSignificant(text.at(i)) ? 1 : 0;
    return n;
}

} // namespace

PhoneEntryPage::PhoneEntryPage(const QString &defaultRegion, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("phoneEntryPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(28, 20, 28, 20);
    layout->setSpacing(10);

    buildFlowToggle(layout);
    buildHeading(layout);
    buildPhoneField(layout, defaultRegion);
    buildSendButton(layout);
    buildOffers(layout);
    layout->addStretch(1);
    connectPhoneField();
    setTabOrders();

    m_flowGroup->button(int(m_flow))->setChecked(true);
    updateTexts();
    validate(false);
}

void PhoneEntryPage::buildFlowToggle(QVBoxLayout *layout)
{
    auto *segment = new QWidget(this);
    segment->setObjectName(QStringLiteral("segmentedToggle"));
    segment->setAttribute(Qt::WA_StyledBackground);
    segment->setAccessibleName(tr("Account"));
    auto *segmentLayout = new QHBoxLayout(segment);
    segmentLayout->setContentsMargins(3, 3, 3, 3);
    segmentLayout->setSpacing(0);
    m_flowGroup = new QButtonGroup(this);
    m_flowGroup->setExclusive(true);
    const struct
    {
        Purpose flow;
        const char *name;
        QString label;
        QString description;
    } segments[] = {
        {Purpose::SignUp, "signUpButton", tr("Sign &up"), tr("Create an account with this number")},
        {Purpose::SignIn, "signInButton", tr("Sign &in"),
         tr("Sign in to the account of this number")},
    };
    for (const auto &s : segments) {
        auto *button = new QPushButton(s.label, segment);
        button->setObjectName(QLatin1String(s.name));
        button->setCheckable(true);
        button->setAutoDefault(false);
        button->setProperty("segment", true);
        button->setAccessibleName(QString(s.label).remove(QLatin1Char('&')));
        button->setAccessibleDescription(s.description);
        m_flowGroup->addButton(button, int(s.flow));
        segmentLayout->addWidget(button);
    }
    connect(m_flowGroup, &QButtonGroup::idClicked, this, [this](int id) {
        const auto flow = Purpose(id);
        if (flow == m_flow)
            return;
        m_flow = flow;
        clearMessages();
        updateTexts();
        Q_EMIT flowChanged(flow);
    });
    layout->addWidget(segment);
    layout->addSpacing(6);
}

void PhoneEntryPage::buildHeading(QVBoxLayout *layout)
{
    m_titleLabel = new WrapLabel(tr("Enter your phone number"), this);
    m_titleLabel->setObjectName(QStringLiteral("phoneTitleLabel"));
    m_titleLabel->setProperty("role", QStringLiteral("title"));
    m_titleLabel->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_titleLabel);

    m_subtitleLabel = new WrapLabel(this);
    m_subtitleLabel->setObjectName(QStringLiteral("phoneSubtitleLabel"));
    m_subtitleLabel->setProperty("role", QStringLiteral("secondary"));
    m_subtitleLabel->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_subtitleLabel);
    layout->addSpacing(6);
}

void PhoneEntryPage::buildPhoneField(QVBoxLayout *layout, const QString &defaultRegion)
{
    auto *fieldLabel = new QLabel(tr("&Phone number"), this);
    fieldLabel->setObjectName(QStringLiteral("phoneFieldLabel"));
    fieldLabel->setProperty("role", QStringLiteral("fieldLabel"));
    layout->addWidget(fieldLabel);

    auto *row = new QHBoxLayout;
    row->setSpacing(8);
    m_picker = new CountryPicker(defaultRegion, this);
    row->addWidget(m_picker);
    m_phoneEdit = new QLineEdit(this);
    m_phoneEdit->setObjectName(QStringLiteral("phoneEdit"));
    m_phoneEdit->setInputMethodHints(Qt::ImhDialableCharactersOnly);
    m_phoneEdit->setAccessibleName(tr("Phone number"));
    m_phoneEdit->setAccessibleDescription(
        tr("Your mobile number. The code is sent to it on WhatsApp."));
    m_phoneEdit->setPlaceholderText(tr("Phone number"));
    m_phoneEdit->installEventFilter(this);
    fieldLabel->setBuddy(m_phoneEdit);
    row->addWidget(m_phoneEdit, 1);
    layout->addLayout(row);

    m_validationLabel = new WrapLabel(this);
    m_validationLabel->setObjectName(QStringLiteral("phoneErrorLabel"));
    m_validationLabel->setProperty("role", QStringLiteral("error"));
    m_validationLabel->setTextFormat(Qt::PlainText);
    m_validationLabel->hide();
    layout->addWidget(m_validationLabel);
    layout->addSpacing(8);
}

void PhoneEntryPage::buildSendButton(QVBoxLayout *layout)
{
    m_sendButton = new QPushButton(this);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setProperty("role", QStringLiteral("primary"));
    m_sendButton->setAccessibleDescription(tr("Sends a 6-digit code to this number on WhatsApp"));
    m_sendButton->setEnabled(false);
    connect(m_sendButton, &QPushButton::clicked, this, [this] {
        if (m_parsed.ok() && !m_busy)
            Q_EMIT sendRequested();
    });
    layout->addWidget(m_sendButton);

    m_messageLabel = new WrapLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("phoneMessageLabel"));
    m_messageLabel->setAlignment(Qt::AlignCenter);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->hide();
    layout->addWidget(m_messageLabel);
}

void PhoneEntryPage::buildOffers(QVBoxLayout *layout)
{
    auto *offers = new QHBoxLayout;
    offers->addStretch(1);
    m_switchButton = new QPushButton(this);
    m_switchButton->setObjectName(QStringLiteral("switchFlowButton"));
    m_switchButton->setProperty("role", QStringLiteral("link"));
    m_switchButton->setAccessibleDescription(
        tr("Switches between signing up and signing in, and sends the code"));
    m_switchButton->hide();
    connect(m_switchButton, &QPushButton::clicked, this, &PhoneEntryPage::switchFlowRequested);
    offers->addWidget(m_switchButton);
    m_smsButton = new QPushButton(tr("Send by SMS instead"), this);
    m_smsButton->setObjectName(QStringLiteral("phoneSmsButton"));
    m_smsButton->setProperty("role", QStringLiteral("link"));
    m_smsButton->setAccessibleDescription(tr("Sends the code as a text message instead"));
    m_smsButton->hide();
    connect(m_smsButton, &QPushButton::clicked, this, &PhoneEntryPage::smsRequested);
    offers->addWidget(m_smsButton);
    offers->addStretch(1);
    layout->addLayout(offers);
}

void PhoneEntryPage::connectPhoneField()
{
    // The formatter is made at the first keystroke (it needs libphonenumber's metadata, which
    // the window does not wait for).
    connect(m_picker, &CountryPicker::regionChanged, this, [this](const QString &) {
        m_formatter.reset();
        const QString text = m_phoneEdit->text();
        reformat(text, significantBefore(text, m_phoneEdit->cursorPosition()));
        m_phoneEdit->setFocus(Qt::OtherFocusReason);
    });
    // textChanged, not textEdited: an assistive technology sets the text through the
    // accessibility API (QLineEdit::setText(), no key press), and that number counts as typed.
    // The signal's argument can be stale (a slot before this one may have changed the text
    // again): the field is read as it is now.
    connect(m_phoneEdit, &QLineEdit::textChanged, this, [this] {
        if (m_reformatting)
            return; // the formatter's own change
        const QString text = m_phoneEdit->text();
        if (m_busy) { // read-only while the code is on its way: the number sent stays shown
            const QScopedValueRollback reformatting(m_reformatting, true);
            m_phoneEdit->setText(m_lastText);
            return;
        }
        if (text != m_lastText)
            reformat(text, significantBefore(text, m_phoneEdit->cursorPosition()));
    });
    connect(m_phoneEdit, &QLineEdit::editingFinished, this, [this] { validate(true); });
}

void PhoneEntryPage::setTabOrders()
{
    setTabOrder(m_flowGroup->button(int(Purpose::SignUp)),
                m_flowGroup->button(int(Purpose::SignIn)));
    setTabOrder(m_flowGroup->button(int(Purpose::SignIn)), m_picker);
    setTabOrder(m_picker, m_phoneEdit);
    setTabOrder(m_phoneEdit, m_sendButton);
    setTabOrder(m_sendButton, m_switchButton);
    setTabOrder(m_switchButton, m_smsButton);
}

PhoneEntryPage::~PhoneEntryPage()
{
    // The field loses focus while its parent is half destroyed: keep it from calling back.
    m_phoneEdit->removeEventFilter(this);
    m_phoneEdit->disconnect(this);
}

QAbstractButton *PhoneEntryPage::flowButton(Purpose flow) const
{
    return m_flowGroup->button(int(flow));
}

void PhoneEntryPage::setFlow(Purpose flow)
{
    m_flowGroup->button(int(flow))->setChecked(true);
    if (flow == m_flow)
        return;
    m_flow = flow;
    updateTexts();
    Q_EMIT flowChanged(flow);
}

QString PhoneEntryPage::region() const
{
    return m_picker->region();
}

void PhoneEntryPage::setRegion(const QString &region)
{
    m_picker->setRegion(region);
}

QString PhoneEntryPage::phoneText() const
{
    return m_phoneEdit->text();
}

void PhoneEntryPage::setPhoneText(const QString &text)
{
    reformat(text, int(significant(text).size()));
}

void PhoneEntryPage::reformat(const QString &raw, int digitsBeforeCursor)
{
    QString digits = significant(raw);
    // Backspace over a space or dash the formatter put in: remove the digit before it, or the
    // formatter would put the separator straight back and the key would do nothing.
    if (digits == significant(m_lastText) && raw.size() < m_lastText.size()
        && digitsBeforeCursor > 0) {
        digits.remove(digitsBeforeCursor - 1, 1);
        --digitsBeforeCursor;
    }
    if (!m_formatter)
        m_formatter = std::make_unique<PhoneInputFormatter>(m_picker->region());
    const QString formatted = m_formatter->format(digits);
    m_lastText = formatted;
    int cursor = 0;
    for (int seen = 0; cursor < formatted.size() && seen < digitsBeforeCursor; ++cursor)
        seen += isSignificant(formatted.at(cursor)) ? 1 : 0;
    {
        const QScopedValueRollback reformatting(m_reformatting, true);
        m_phoneEdit->setText(formatted);
        m_phoneEdit->setCursorPosition(cursor);
    }
    if (digits.isEmpty())
        m_showTooShort = false;
    validate(false);
    Q_EMIT numberChanged();
}

void PhoneEntryPage::validate(bool finished)
{
    const QString text = m_phoneEdit->text();
    m_parsed = PhoneNumber::parse(text, m_picker->region());
    if (finished && !text.trimmed().isEmpty())
        m_showTooShort = true;

    // A number typed with its own country code moves the picker to that country.
    if (m_parsed.ok() && text.startsWith(QLatin1Char('+')) && !m_parsed.number->region().isEmpty()
        && m_parsed.number->region() != m_picker->region()) {
        const QSignalBlocker block(m_picker);
        m_picker->setRegion(m_parsed.number->region());
        m_formatter.reset();
    }

    QString error;
    if (!text.trimmed().isEmpty() && !m_parsed.ok()
        && (m_parsed.error != PhoneError::TooShort || m_showTooShort))
        error = describe(m_parsed.error);
    if (error != m_validationLabel->text()) {
        m_validationLabel->setText(error);
        m_validationLabel->setVisible(!error.isEmpty());
        // The field says what is wrong with it when a screen reader reads it.
        m_phoneEdit->setAccessibleDescription(
            error.isEmpty() ? tr("Your mobile number. The code is sent to it on WhatsApp.")
                            : error);
    }
    if (finished && !error.isEmpty())
        Q_EMIT announcementDue(m_validationLabel, error); // not while typing: too chatty
    m_phoneEdit->setProperty("error", !error.isEmpty());
    repolish(m_phoneEdit);
    m_sendButton->setEnabled(m_parsed.ok() && !m_busy);
}

void PhoneEntryPage::setBusy(bool busy)
{
    m_busy = busy;
    m_phoneEdit->setReadOnly(busy);
    m_picker->setEnabled(!busy);
    for (QAbstractButton *b : m_flowGroup->buttons())
        b->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
    updateTexts();
    m_sendButton->setEnabled(m_parsed.ok() && !busy);
}

void PhoneEntryPage::showSendError(const QString &message)
{
    m_messageLabel->setText(message);
    m_messageLabel->setProperty("role", QStringLiteral("error"));
    repolish(m_messageLabel);
    m_messageLabel->setVisible(!message.isEmpty());
    m_switchButton->hide();
}

void PhoneEntryPage::showAccountHint(const QString &message, const QString &switchLabel)
{
    m_messageLabel->setText(message);
    m_messageLabel->setProperty("role", QStringLiteral("notice"));
    repolish(m_messageLabel);
    m_messageLabel->show();
    m_switchButton->setText(switchLabel);
    m_switchButton->setAccessibleName(QString(switchLabel).remove(QLatin1Char('&')));
    m_switchButton->show();
    m_smsButton->hide();
}

void PhoneEntryPage::showSmsOffer(bool show)
{
    m_smsButton->setVisible(show);
}

void PhoneEntryPage::clearMessages()
{
    m_messageLabel->clear();
    m_messageLabel->hide();
    m_switchButton->hide();
    m_smsButton->hide();
}

QString PhoneEntryPage::messageText() const
{
    return m_messageLabel->isVisibleTo(this) ? m_messageLabel->text() : QString();
}

QString PhoneEntryPage::validationText() const
{
    return m_validationLabel->isVisibleTo(this) ? m_validationLabel->text() : QString();
}

void PhoneEntryPage::reset(const QString &region, Purpose flow)
{
    setBusy(false);
    clearMessages();
    m_showTooShort = false;
    m_phoneEdit->clear();
    m_picker->setRegion(region);
    setFlow(flow);
    setPhoneText(QString());
}

void PhoneEntryPage::focusPhone()
{
    m_phoneEdit->setFocus(Qt::OtherFocusReason);
}

void PhoneEntryPage::typeDigit(QChar digit)
{
    if (m_busy || !(digit.isDigit() || digit == u'+'))
        return;
    QString text = m_phoneEdit->text();
    int cursor = m_phoneEdit->cursorPosition();
    if (m_phoneEdit->hasSelectedText()) {
        cursor = m_phoneEdit->selectionStart();
        text.remove(cursor, m_phoneEdit->selectedText().size());
    }
    text.insert(cursor, digit);
    reformat(text, significantBefore(text, cursor + 1));
}

void PhoneEntryPage::backspace()
{
    if (m_busy)
        return;
    QString text = m_phoneEdit->text();
    int cursor = m_phoneEdit->cursorPosition();
    if (m_phoneEdit->hasSelectedText()) {
        cursor = m_phoneEdit->selectionStart();
        text.remove(cursor, m_phoneEdit->selectedText().size());
    } else if (cursor > 0) {
        text.remove(--cursor, 1);
    } else {
        return;
    }
    reformat(text, significantBefore(text, cursor));
}

bool PhoneEntryPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_phoneEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            // Enter submits a valid number, and says what is wrong with any other.
            if (m_parsed.ok())
                m_sendButton->click();
            else
                validate(true);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PhoneEntryPage::updateTexts()
{
    m_subtitleLabel->setText(m_flow == Purpose::SignUp
                                 ? tr("Create your account with your phone number. We'll send "
                                      "you a 6-digit code on WhatsApp.")
                                 : tr("Sign in with your phone number. We'll send you a 6-digit "
                                      "code on WhatsApp."));
    m_sendButton->setText(m_busy ? tr("Sending…") : tr("Send code on WhatsApp"));
    m_sendButton->setAccessibleName(m_busy ? tr("Sending code") : tr("Send code on WhatsApp"));
}

} // namespace waotp
