#pragma once

#include "FakeClock.h"
#include "FakeSender.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "SuccessPage.h"
#include "VerificationDialog.h"
#include "VerifyPage.h"
#include "engine/AccountStore.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include <memory>

namespace waotp::test {

/// A real engine and stores around a fake clock and a fake sender, and a dialog on top.
struct UiFixture
{
    FakeClock clock;
    MemoryCodeStore store;
    FakeSender sender;
    MemoryAccountStore accounts;
    std::unique_ptr<OtpEngine> engine;
    std::unique_ptr<VerificationDialog> dialog;

    explicit UiFixture(DialogOptions options = {}, OtpPolicy policy = {})
    {
        engine = std::make_unique<OtpEngine>(clock, store, CodeHasher(), sender, policy);
        makeDialog(std::move(options));
    }

    void makeDialog(DialogOptions options)
    {
        dialog.reset();
        dialog = std::make_unique<VerificationDialog>(*engine, accounts, clock, std::move(options));
        dialog->setSuccessDelay(std::chrono::milliseconds(0));
        dialog->verifyPage()->codeInput()->setShakeDuration(0);
    }

    /// makeDialog() and shows the new dialog.
    void openDialog(DialogOptions options)
    {
        makeDialog(std::move(options));
        dialog->show();
    }

    PhoneEntryPage *phonePage() const { return dialog->phonePage(); }
    VerifyPage *verifyPage() const { return dialog->verifyPage(); }
    OtpCodeInput *codeInput() const { return dialog->verifyPage()->codeInput(); }

    /// Types @p digits into the phone field and presses "Send code on WhatsApp"; waits for the
    /// code page (or returns false).
    bool sendTo(const QString &digits)
    {
        QLineEdit *edit = phonePage()->phoneEdit();
        edit->clear();
        QTest::keyClicks(edit, digits);
        if (!phonePage()->sendButton()->isEnabled())
            return false;
        QTest::mouseClick(phonePage()->sendButton(), Qt::LeftButton);
        return QTest::qWaitFor([this] { return dialog->currentPage() == verifyPage(); }, 2000);
    }

    /// The plain code of the last send (the fake sender saw it).
    QString lastCode() const { return sender.sent.isEmpty() ? QString() : sender.sent.last().code; }

    /// A code that is certainly wrong.
    QString wrongCode() const
    {
        return lastCode() == QLatin1String("000000") ? QStringLiteral("111111")
                                                     : QStringLiteral("000000");
    }

    /// Types @p code key by key into whichever box has the cursor.
    void typeCode(const QString &code)
    {
        for (const QChar c : code)
            QTest::keyClick(codeInput()->box(codeInput()->currentIndex()), c.toLatin1());
    }

    /// Types @p code and waits for the engine's answer to be shown.
    bool enterCode(const QString &code)
    {
        typeCode(code);
        return QTest::qWaitFor([this] { return !codeInput()->isReadOnly(); }, 2000);
    }
};

} // namespace waotp::test
