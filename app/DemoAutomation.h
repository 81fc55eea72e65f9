#pragma once

#include "engine/PhoneNumber.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QString>
#include <QTimer>

namespace waotp {

class VerificationBackend;
class VerificationDialog;

/// A QA and demo feature: drives the dialog without a person, so `--print-result` can be shown
/// (and tested) end to end. Works only in demo mode asked for with --demo, or against a demo
/// verification server (server mode); without either (live mode, or no credentials) it is
/// refused.
///
/// - `WAOTP_DEMO_AUTOFILL=1`: presses "Send code" for the number given with --phone, then types
///   the demo code into the code boxes key by key, as a person would. If the code cannot be
///   sent, it cancels the dialog (`--print-result` then exits 1 and repeats the error).
/// - `WAOTP_DEMO_AUTOCANCEL=1`: cancels the dialog as soon as it is shown.
class DemoAutomation : public QObject
{
    Q_OBJECT
public:
    enum class Mode { None, AutoFill, AutoCancel };

    /// The mode the environment asks for (AUTOCANCEL wins if both are set).
    static Mode modeFromEnvironment(const QProcessEnvironment &environment);

    DemoAutomation(Mode mode, VerificationDialog &dialog, VerificationBackend &backend,
                   QObject *parent = nullptr);

    Mode mode() const { return m_mode; }
    /// Starts driving once the event loop runs. @p sendFirst: press "Send code" first (false
    /// when the app already sent the code for --phone).
    void start(bool sendFirst);

public Q_SLOTS:
    /// The demo sender's codeShown(): remembers the code and types it once the code page is up.
    void onCodeShown(const waotp::PhoneNumber &to, const QString &code);

private:
    void typePendingCode();
    void giveUp(const char *why);

    Mode m_mode;
    QPointer<VerificationDialog> m_dialog;
    QString m_pendingCode;
    QTimer m_typeTimer;
    QTimer m_watchdog;
    int m_typeAttempts = 0;
};

} // namespace waotp
