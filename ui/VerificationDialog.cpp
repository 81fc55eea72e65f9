#include "VerificationDialog.h"

#include "Announcer.h"
#include "CountryPicker.h"
#include "HeaderBar.h"
#include "Icons.h"
#include "NumericKeypad.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "SuccessPage.h"
#include "Theme.h"
#include "Toast.h"
#include "VerifyPage.h"
#include "engine/VerificationBackend.h"
#include "engine/VerificationFlow.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcDialog, "waotp.ui", QtInfoMsg)

namespace waotp {

namespace {

constexpr auto DemoCodeToastDuration = std::chrono::seconds(30);
constexpr double KioskFontScale = 1.35;

} // namespace

VerificationDialog::VerificationDialog(OtpEngine &engine, AccountStore &accounts,
                                       const Clock &clock, DialogOptions options, QWidget *parent)
    : QDialog(parent), m_clock(clock), m_options(std::move(options))
{
    auto *backend = new LocalVerificationBackend(engine, accounts);
    init(*backend);
    backend->setParent(m_verification); // goes with the flow, not before it
}

VerificationDialog::VerificationDialog(VerificationBackend &backend, const Clock &clock,
                                       DialogOptions options, QWidget *parent)
    : QDialog(parent), m_clock(clock), m_options(std::move(options))
{
    init(backend);
}

void VerificationDialog::init(VerificationBackend &backend)
{
    initUiResources();
    m_verification = new VerificationFlow(backend, this);
    m_verification->setLocale(m_options.locale);
    setObjectName(QStringLiteral("verificationDialog"));
    setWindowTitle(tr("Verify your phone number"));
    setModal(true);
    if (m_options.kiosk) {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * KioskFontScale);
        setFont(f);
    }
    // The country button's flag (the emoji font's first glyph takes milliseconds): drawn on
    // another thread while the rest of the window is built.
    prefetchFlag(m_options.defaultRegion, textPixelSize(font(), this), devicePixelRatioF());
    buildUi();
    connectVerification();

    if (!m_options.initialPhone.isEmpty())
        m_phonePage->setPhoneText(m_options.initialPhone);
    showPage(m_phonePage);
}

VerificationDialog::~VerificationDialog()
{
    // The pages outlive this part of the dialog for a moment, and focus moves as they go
    // (a field reports editingFinished): no calls back into it.
    const QList<QObject *> children {m_verification, m_phonePage, m_verifyPage,
                                     m_successPage,  m_toast,     m_keypad};
    for (QObject *child : children) {
        if (child)
            child->disconnect(this);
    }
}

void VerificationDialog::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(16, 16, 16, 16);
    // Never smaller than the contents need, whatever the font size.
    outer->setSizeConstraint(QLayout::SetMinimumSize);

    m_card = new QFrame(this);
    QFrame *card = m_card;
    card->setObjectName(QStringLiteral("card"));
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(1, 1, 1, 12);
    cardLayout->setSpacing(0);
    outer->addWidget(card);

    m_header = new HeaderBar(m_options.demoMode, card);
    m_demoBadge = m_header->demoBadge();
    cardLayout->addWidget(m_header);

    m_stack = new QStackedWidget(card);
    m_stack->setObjectName(QStringLiteral("pages"));
    m_phonePage = new PhoneEntryPage(m_options.defaultRegion, m_stack);
    m_phonePage->setFlow(m_options.initialFlow);
    cardLayout->addWidget(m_stack, 1);

    if (m_options.kiosk) {
        m_keypad = new NumericKeypad(card);
        auto *keypadBox = new QHBoxLayout;
        keypadBox->setContentsMargins(28, 0, 28, 8);
        keypadBox->addWidget(m_keypad);
        cardLayout->addLayout(keypadBox);
        connect(m_keypad, &NumericKeypad::digitPressed, this,
                &VerificationDialog::routeKeypadDigit);
        connect(m_keypad, &NumericKeypad::backspacePressed, this,
                &VerificationDialog::routeKeypadBackspace);
    }

    // Toasts float over the bottom of the card: keep that strip free of controls, or the demo
    // code would hide the resend button in a window sized to its contents.
    m_toastLane = new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Fixed);
    cardLayout->addItem(m_toastLane);
    m_toast = new Toast(this);
    m_announcer = new Announcer(this);
    connect(m_toast, &Toast::shown, this,
            [this](const QString &text) { m_announcer->announce(m_toast, text); });

    m_acceptTimer = new QTimer(this);
    m_acceptTimer->setSingleShot(true);
    connect(m_acceptTimer, &QTimer::timeout, this, &QDialog::accept);

    connect(m_phonePage, &PhoneEntryPage::sendRequested, this, &VerificationDialog::sendCode);
    connect(m_phonePage, &PhoneEntryPage::switchFlowRequested, this, [this] {
        m_phonePage->setFlow(m_phonePage->flow() == Purpose::SignUp ? Purpose::SignIn
                                                                    : Purpose::SignUp);
        sendCode();
    });
    connect(m_phonePage, &PhoneEntryPage::smsRequested, this,
            [this] { requestFromPhonePage(Channel::Sms); });
    connect(m_phonePage, &PhoneEntryPage::announcementDue, this, &VerificationDialog::announce);

    applyFonts();
    // Added (and so shown, polished and laid out) with its final fonts, not once before them.
    m_stack->addWidget(m_phonePage);
    // Enter anywhere on the phone page sends.
    m_phonePage->sendButton()->setDefault(true);
}

VerifyPage *VerificationDialog::verifyPage()
{
    if (m_verifyPage)
        return m_verifyPage;
    // Built when first needed (a code is being requested), not before the first frame: the
    // window opens on the phone page.
    QWidget *focus = focusWidget();
    m_verifyPage = new VerifyPage(m_clock, m_stack);
    m_stack->addWidget(m_verifyPage);
    applyRoleFonts(m_verifyPage);
    keepFocus(focus);
    connect(m_verifyPage, &VerifyPage::codeEntered, this, &VerificationDialog::verifyCode);
    connect(m_verifyPage, &VerifyPage::resendRequested, this,
            [this] { m_verification->resend(m_verifyPage->channel()); });
    connect(m_verifyPage, &VerifyPage::smsRequested, this,
            [this] { m_verification->resend(Channel::Sms); });
    connect(m_verifyPage, &VerifyPage::editNumberRequested, this, &VerificationDialog::editNumber);
    connect(m_verifyPage, &VerifyPage::announcementDue, this, &VerificationDialog::announce);
    return m_verifyPage;
}

SuccessPage *VerificationDialog::successPage()
{
    if (m_successPage)
        return m_successPage;
    // Built when a code is first checked, as the code page.
    QWidget *focus = focusWidget();
    m_successPage = new SuccessPage(m_stack);
    m_stack->addWidget(m_successPage);
    applyRoleFonts(m_successPage);
    keepFocus(focus);
    connect(m_successPage, &SuccessPage::continueRequested, this, &QDialog::accept);
    return m_successPage;
}

void VerificationDialog::keepFocus(QWidget *focus)
{
    // A page added to the stack is hidden at once; if it took the focus on the way, the focus
    // would move on along the tab chain instead of staying where the person left it.
    if (focus && focusWidget() != focus)
        focus->setFocus(Qt::OtherFocusReason);
}

void VerificationDialog::applyFonts()
{
    applyRoleFonts(this);
    // Wide enough for the titles on one line: the card grows with the text size. (On the
    // header, not the card: an explicit minimum would hide the pages' own minimum widths.)
    const int width = QFontMetrics(font()).averageCharWidth() * 48;
    m_header->setMinimumWidth(std::max(m_options.kiosk ? 480 : 390, width));
    // One line of toast text and its padding (see Toast::place()), plus a gap.
    m_toastLane->changeSize(0, m_toast->sizeHint().height() + 12, QSizePolicy::Minimum,
                            QSizePolicy::Fixed);
    m_card->layout()->invalidate();
}

void VerificationDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::FontChange && m_stack)
        applyFonts();
}

bool VerificationDialog::event(QEvent *event)
{
    const bool handled = QDialog::event(event);
    if (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Show)
        fitHeight();
    return handled;
}

void VerificationDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    fitHeight();
}

void VerificationDialog::fitHeight()
{
    // A top-level window's minimum size ignores wrapped text (height-for-width): grow to fit
    // it, so large fonts and long translations are never cut off.
    QLayout *l = layout();
    if (!l || !l->hasHeightForWidth())
        return;
    const int need = l->totalHeightForWidth(width());
    if (need > height())
        resize(width(), need);
}

void VerificationDialog::keyPressEvent(QKeyEvent *event)
{
    if (m_options.kiosk && event->key() == Qt::Key_Escape) {
        reset();
        return;
    }
    QDialog::keyPressEvent(event);
}

void VerificationDialog::done(int result)
{
    m_acceptTimer->stop();
    leaveCodePage();
    QDialog::done(result);
}

Purpose VerificationDialog::flow() const
{
    return m_stack->currentWidget() == m_phonePage ? m_phonePage->flow()
                                                   : m_verification->purpose();
}

QWidget *VerificationDialog::currentPage() const
{
    return m_stack->currentWidget();
}

void VerificationDialog::showPage(QWidget *page)
{
    m_stack->setCurrentWidget(page);
    if (page == m_phonePage)
        m_phonePage->focusPhone();
    else if (page == m_verifyPage)
        m_verifyPage->codeInput()->setFocus(Qt::OtherFocusReason);
    else if (page == m_successPage)
        m_successPage->continueButton()->setFocus(Qt::OtherFocusReason);
    if (m_keypad)
        m_keypad->setVisible(page != m_successPage);
}

void VerificationDialog::announce(QWidget *source, const QString &text)
{
    m_announcer->announce(source, text);
}

void VerificationDialog::showDemoCode(const PhoneNumber &to, const QString &code)
{
    Q_UNUSED(to);
    if (!m_options.demoMode) {
        qCWarning(lcDialog) << "a code display was asked for outside demo mode; not shown";
        return;
    }
    m_toast->showMessage(tr("Demo code: %1").arg(code), Toast::Kind::Demo, DemoCodeToastDuration);
}

void VerificationDialog::setDemoMode()
{
    m_options.demoMode = true;
    m_demoBadge->show();
}

void VerificationDialog::reset()
{
    m_acceptTimer->stop();
    leaveCodePage();
    m_verification->reset();
    m_toast->dismiss();
    m_verifiedNumber = {};
    m_accountCreated = false;
    m_phonePage->reset(m_options.defaultRegion, m_options.initialFlow);
    showPage(m_phonePage);
}

void VerificationDialog::routeKeypadDigit(QChar digit)
{
    if (m_stack->currentWidget() == m_phonePage)
        m_phonePage->typeDigit(digit);
    else if (m_stack->currentWidget() == m_verifyPage)
        m_verifyPage->codeInput()->typeDigit(digit);
}

void VerificationDialog::routeKeypadBackspace()
{
    if (m_stack->currentWidget() == m_phonePage)
        m_phonePage->backspace();
    else if (m_stack->currentWidget() == m_verifyPage)
        m_verifyPage->codeInput()->backspace();
}

} // namespace waotp
