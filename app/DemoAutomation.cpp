#include "DemoAutomation.h"

#include "OtpCodeInput.h"
#include "VerificationDialog.h"
#include "engine/VerificationBackend.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAutomation, "waotp.demo.automation", QtInfoMsg)

namespace waotp {

namespace {
constexpr auto TypeRetryInterval = std::chrono::milliseconds(50);
constexpr int MaxTypeAttempts = 200; // 10 s for the code page to come up
constexpr auto Watchdog = std::chrono::seconds(60); // never leave a script hanging

bool isSet(const QProcessEnvironment &environment, const QString &name)
{
    const QString v = environment.value(name);
    return !v.isEmpty() && v != u"0";
}
} // namespace

DemoAutomation::Mode DemoAutomation::modeFromEnvironment(const QProcessEnvironment &environment)
{
    if (isSet(environment, QStringLiteral("WAOTP_DEMO_AUTOCANCEL")))
        return Mode::AutoCancel;
    if (isSet(environment, QStringLiteral("WAOTP_DEMO_AUTOFILL")))
        return Mode::AutoFill;
    return Mode::None;
}

DemoAutomation::DemoAutomation(Mode mode, VerificationDialog &dialog, VerificationBackend &backend,
                               QObject *parent)
    : QObject(parent), m_mode(mode), m_dialog(&dialog)
{
    m_typeTimer.setInterval(TypeRetryInterval);
    connect(&m_typeTimer, &QTimer::timeout, this, &DemoAutomation::typePendingCode);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(Watchdog);
    connect(&m_watchdog, &QTimer::timeout, this, [this] { giveUp("nothing happened for 60 s"); });
    connect(&dialog, &QDialog::finished, &m_watchdog, &QTimer::stop);
    if (m_mode == Mode::AutoFill) {
        connect(&backend, &VerificationBackend::codeRequested, this,
                [this](quint64, const PhoneNumber &, const CodeRequestResult &result) {
                    if (result.status != CodeRequestResult::Status::Sent)
                        giveUp("the code could not be sent");
                });
        connect(&backend, &VerificationBackend::accountMismatch, this,
                [this] { giveUp("the number does not fit the flow"); });
    }
}

void DemoAutomation::start(bool sendFirst)
{
    if (m_mode == Mode::None || !m_dialog)
        return;
    qCInfo(lcAutomation) << "demo automation:"
                         << (m_mode == Mode::AutoFill ? "autofill" : "autocancel");
    m_watchdog.start();
    QTimer::singleShot(0, this, [this, sendFirst] {
        if (!m_dialog)
            return;
        if (m_mode == Mode::AutoCancel) {
            m_dialog->reject();
            return;
        }
        if (sendFirst)
            m_dialog->sendCode();
    });
}

void DemoAutomation::onCodeShown(const PhoneNumber &, const QString &code)
{
    if (m_mode != Mode::AutoFill)
        return;
    m_pendingCode = code;
    m_typeAttempts = 0;
    m_typeTimer.start();
}

void DemoAutomation::typePendingCode()
{
    if (!m_dialog || m_pendingCode.isEmpty()) {
        m_typeTimer.stop();
        return;
    }
    auto *input = m_dialog->findChild<OtpCodeInput *>();
    if (!input || !input->isVisible() || input->isReadOnly()
        || !input->box(input->currentIndex())) {
        if (++m_typeAttempts >= MaxTypeAttempts) {
            m_typeTimer.stop();
            giveUp("the code page did not come up");
        }
        return;
    }
    m_typeTimer.stop();
    const QString code = std::exchange(m_pendingCode, QString());
    // Key by key into whichever box has the cursor, exactly the path a keyboard takes.
    for (const QChar digit : code) {
        QLineEdit *box = input->box(input->currentIndex());
        const int key = Qt::Key_0 + digit.digitValue();
        QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, QString(digit));
        QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, QString(digit));
        QApplication::sendEvent(box, &press);
        QApplication::sendEvent(box, &release);
    }
}

void DemoAutomation::giveUp(const char *why)
{
    m_typeTimer.stop();
    m_watchdog.stop();
    qCWarning(lcAutomation) << "demo automation gives up:" << why;
    if (m_dialog && m_dialog->isVisible())
        QTimer::singleShot(0, m_dialog.data(), &QDialog::reject);
}

} // namespace waotp
