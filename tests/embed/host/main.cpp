// A host application: opens waotp's verification dialog in demo mode and prints the verified
// number. Built against the installed package by the embed_find_package test.
#include <OtpCodeInput.h>
#include <VerificationDialog.h>
#include <engine/AccountStore.h>
#include <engine/DemoSender.h>
#include <engine/MemoryCodeStore.h>
#include <engine/OtpEngine.h>

#include <QApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    waotp::SteadyClock clock;
    waotp::MemoryCodeStore codes;
    waotp::MemoryAccountStore accounts;
    waotp::DemoSender sender;
    sender.setStepDelay(std::chrono::milliseconds(10));
    waotp::OtpEngine engine(clock, codes, waotp::CodeHasher(), sender);

    waotp::DialogOptions options;
    options.demoMode = true;
    options.initialPhone = QStringLiteral("+91 98765 43210");
    waotp::VerificationDialog dialog(engine, accounts, clock, options);
    dialog.setSuccessDelay(std::chrono::milliseconds(0));

    // A person reads the demo code from the toast and types it. The host types it instead, once
    // the dialog has handled the engine's answer and shows the code page.
    QString code;
    QObject::connect(&sender, &waotp::DemoSender::codeShown, &dialog,
                     [&code](const waotp::PhoneNumber &, const QString &shown) { code = shown; });
    QObject::connect(&engine, &waotp::OtpEngine::codeRequested, &dialog, [&dialog, &code] {
        dialog.findChild<waotp::OtpCodeInput *>()->setCode(code);
    });
    QTimer::singleShot(0, &dialog, &waotp::VerificationDialog::sendCode);
    QTimer::singleShot(30000, &dialog, &QDialog::reject); // never hang the test

    if (dialog.exec() != QDialog::Accepted)
        return 1;
    // The library's compiled resources reach the host too: translations, icons, style sheet.
    const bool resources = QFile::exists(QStringLiteral(":/i18n/waotp_hi.qm"))
        && QFile::exists(QStringLiteral(":/icons/waotp.svg"))
        && QFile::exists(QStringLiteral(":/styles/app.qss"));
    std::printf("verified %s\nresources %s\n", qPrintable(dialog.verifiedNumber().e164()),
                resources ? "yes" : "no");
    return 0;
}
