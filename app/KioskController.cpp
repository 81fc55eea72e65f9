#include "KioskController.h"

#include "VerificationDialog.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKiosk, "waotp.kiosk", QtInfoMsg)

namespace waotp {

namespace {

bool isInput(QEvent::Type type)
{
    switch (type) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::InputMethod:
        return true;
    default:
        return false;
    }
}

// Keys that close a window on a desktop. A kiosk has no window manager shortcut for Alt+F4, but
// some compositors pass it on as a key.
bool isClosingKey(const QKeyEvent *key)
{
    return key->key() == Qt::Key_Escape
        || (key->key() == Qt::Key_F4 && key->modifiers().testFlag(Qt::AltModifier));
}

} // namespace

KioskController::KioskController(VerificationDialog &dialog, const Clock &clock, Timings timings,
                                 QObject *parent)
    : QObject(parent), m_dialog(&dialog), m_clock(clock), m_timings(timings)
{
    m_lastActivity = m_clock.now();
    m_tick.setInterval(m_timings.tickInterval);
    connect(&m_tick, &QTimer::timeout, this, &KioskController::checkTimers);
    connect(&dialog, &VerificationDialog::verified, this, &KioskController::onVerified);
    connect(&dialog, &QDialog::finished, this, &KioskController::onFinished);
}

KioskController::~KioskController()
{
    if (qApp)
        qApp->removeEventFilter(this);
}

void KioskController::start()
{
    if (!m_dialog)
        return;
    // The dialog accepts (and so closes) after its own short success delay. A kiosk keeps the
    // success page up for successResetDelay and then resets, which stops the dialog's timer.
    if (m_dialog->successDelay() <= m_timings.successResetDelay)
        m_dialog->setSuccessDelay(m_timings.successResetDelay * 2);
    m_dialog->setWindowFlags(Qt::Window | Qt::FramelessWindowHint);
    m_dialog->setWindowState(Qt::WindowFullScreen);
    // Input anywhere in the application (a keypad button, a code box) counts as activity.
    qApp->installEventFilter(this);
    m_lastActivity = m_clock.now();
    m_dialog->showFullScreen();
    m_tick.start();
}

bool KioskController::belongsToDialog(QObject *object) const
{
    for (QObject *o = object; o; o = o->parent()) {
        if (o == m_dialog)
            return true;
    }
    // Top-level popups (a country picker's list) have no parent but a transient parent.
    if (auto *w = qobject_cast<QWidget *>(object))
        return m_dialog && w->window() && w->window()->parentWidget()
            && w->window()->parentWidget()->window() == m_dialog;
    return false;
}

bool KioskController::eventFilter(QObject *watched, QEvent *event)
{
    if (isInput(event->type()))
        m_lastActivity = m_clock.now();

    if (!m_dialog || !belongsToDialog(watched))
        return false;
    switch (event->type()) {
    case QEvent::Close:
        if (watched == m_dialog && !m_resetting) {
            event->ignore();
            return true;
        }
        break;
    case QEvent::KeyPress:
    case QEvent::ShortcutOverride:
        if (isClosingKey(static_cast<QKeyEvent *>(event))) {
            event->accept(); // swallowed: the dialog never sees it
            return true;
        }
        break;
    default:
        break;
    }
    return false;
}

void KioskController::checkTimers()
{
    if (!m_dialog)
        return;
    const auto now = m_clock.now();
    if (m_successAt && now - *m_successAt >= m_timings.successResetDelay) {
        resetDialog(ResetReason::Success);
        return;
    }
    if (!m_successAt && m_timings.idleTimeout.count() > 0
        && now - m_lastActivity >= m_timings.idleTimeout)
        resetDialog(ResetReason::Idle);
}

void KioskController::onVerified()
{
    m_successAt = m_clock.now();
}

void KioskController::onFinished()
{
    // The dialog accepted after its success page, or something rejected it: a kiosk never
    // closes, it starts over.
    if (!m_resetting)
        resetDialog(ResetReason::Closed);
}

void KioskController::resetDialog(ResetReason reason)
{
    m_resetting = true;
    m_successAt.reset();
    m_dialog->reset();
    if (!m_dialog->isVisible())
        m_dialog->showFullScreen();
    m_lastActivity = m_clock.now();
    m_resetting = false;
    qCInfo(lcKiosk) << "reset:" << reason;
    Q_EMIT resetDone(reason);
}

} // namespace waotp
