// The exit status of a run the person ends: closing the window (Escape, the close button) is a
// cancel, exit 1 with nothing on stdout, whatever error the window showed before (a rejected
// number, an undelivered message, a wrong code): the person could still have corrected it.
// Exit 2 is only for runs the app itself ends. The app runs in this process (AppRunFixture.h),
// in demo mode, its window driven like a person would.
#include "AppRunFixture.h"
#include "EngineSpy.h"
#include "Toast.h"

#include <QRegularExpression>

using namespace waotp;
using namespace waotp::test;

class tst_CancelExit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void closedAfterAnError_data();
    void closedAfterAnError();
    void closedAfterADemoCodeIsShown();
    void verifiedAfterAWrongCode();
    void withoutCredentialsTheWindowIsADemo();
    void theAppEndsABrokenRunItself();

private:
    QStringList arguments(const QStringList &extra) const;
    std::unique_ptr<AppRunPlace> m_place;
};

namespace {

/// How the person closes the window.
enum class Close { Escape, CloseButton };

void closeWindow(VerificationDialog &dialog, Close how)
{
    if (how == Close::Escape)
        pressEscape(dialog);
    else
        dialog.close(); // what the window manager's close button asks for
}

/// The demo code, once the window has shown it in its toast.
QString shownDemoCode(VerificationDialog &dialog)
{
    static const QRegularExpression demoCode(QStringLiteral("Demo code: ([0-9]{6})"));
    QString code;
    [[maybe_unused]] const bool shown = QTest::qWaitFor(
        [&] {
            code = demoCode.match(dialog.toast()->text()).captured(1);
            return !code.isEmpty();
        },
        10000);
    return code;
}

} // namespace

Q_DECLARE_METATYPE(Close)

void tst_CancelExit::init()
{
    m_place = std::make_unique<AppRunPlace>();
    QVERIFY(m_place->isValid());
}

QStringList tst_CancelExit::arguments(const QStringList &extra) const
{
    return m_place->arguments(extra);
}

void tst_CancelExit::closedAfterAnError_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("shown"); // words of the error the window shows
    QTest::addColumn<bool>("typeAWrongCode");
    QTest::addColumn<Close>("how");
    struct Row
    {
        const char *name;
        const char *scenario;
        const char *shown;
        bool wrongCode;
    };
    for (const Row &row : {
             Row {"invalid number", "invalid-number", "This isn't a valid phone number", false},
             Row {"undelivered", "undelivered", "Not delivered", false},
             Row {"opted out", "opted-out", "This number has opted out", false},
             Row {"network down", "network-down", "No connection", false},
             Row {"wrong code", "delivered", "Wrong code", true},
         }) {
        QTest::addRow("%s, Escape", row.name)
            << QString::fromLatin1(row.scenario) << QString::fromLatin1(row.shown) << row.wrongCode
            << Close::Escape;
        QTest::addRow("%s, close button", row.name)
            << QString::fromLatin1(row.scenario) << QString::fromLatin1(row.shown) << row.wrongCode
            << Close::CloseButton;
    }
}

void tst_CancelExit::closedAfterAnError()
{
    QFETCH(QString, scenario);
    QFETCH(QString, shown);
    QFETCH(bool, typeAWrongCode);
    QFETCH(Close, how);
    const AppRunOutcome outcome = AppRun::run(
        arguments({QStringLiteral("--demo"), QStringLiteral("--demo-scenario"), scenario,
                   QStringLiteral("--print-result"), QStringLiteral("--phone"),
                   QStringLiteral("9876543210"), QStringLiteral("--country"),
                   QStringLiteral("IN")}),
        [&](VerificationDialog &dialog, AppRunOutcome &) {
            if (typeAWrongCode) {
                const QString code = shownDemoCode(dialog);
                QVERIFY(!code.isEmpty());
                QVERIFY(typeCode(dialog, wrongCode(code)));
            }
            QVERIFY2(waitForLabel(dialog, shown), qPrintable(windowTexts(dialog).join(u'\n')));
            closeWindow(dialog, how);
        });
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(outcome.out.isEmpty(), outcome.out.constData());
    QVERIFY2(!outcome.err.contains("waotp: ") || outcome.err.contains("cancelled after an error"),
             outcome.err.constData());
}

void tst_CancelExit::closedAfterADemoCodeIsShown()
{
    // No error at all: closing the window is the same cancel.
    const AppRunOutcome outcome =
        AppRun::run(arguments({QStringLiteral("--demo"), QStringLiteral("--print-result"),
                               QStringLiteral("--phone"), QStringLiteral("9876543210")}),
                    [](VerificationDialog &dialog, AppRunOutcome &) {
                        QVERIFY(!shownDemoCode(dialog).isEmpty());
                        pressEscape(dialog);
                    });
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY(outcome.out.isEmpty());
    QVERIFY2(outcome.err.isEmpty(), outcome.err.constData());
}

void tst_CancelExit::verifiedAfterAWrongCode()
{
    // The person corrects the wrong code: verified, exit 0, and the line says it was a demo.
    const AppRunOutcome outcome =
        AppRun::run(arguments({QStringLiteral("--demo"), QStringLiteral("--print-result"),
                               QStringLiteral("--phone"), QStringLiteral("9876543210")}),
                    [](VerificationDialog &dialog, AppRunOutcome &) {
                        const QString code = shownDemoCode(dialog);
                        QVERIFY(!code.isEmpty());
                        QVERIFY(typeCode(dialog, wrongCode(code)));
                        QVERIFY(waitForLabel(dialog, u"Wrong code"));
                        QVERIFY(typeCode(dialog, code));
                        QVERIFY(waitForClose(dialog));
                    });
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(outcome.out, signUpLine("demo"));
}

void tst_CancelExit::withoutCredentialsTheWindowIsADemo()
{
    // A person starting the app without credentials still gets the demo, marked as one.
    const AppRunOutcome outcome =
        AppRun::run(arguments({}), [](VerificationDialog &dialog, AppRunOutcome &) {
            auto *badge = dialog.findChild<QLabel *>(QStringLiteral("demoBadge"));
            QVERIFY(badge);
            QVERIFY(badge->isVisible());
            pressEscape(dialog);
        });
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY(outcome.out.isEmpty());
}

void tst_CancelExit::theAppEndsABrokenRunItself()
{
    // The account database cannot be used (its path is a directory): the app ends the run
    // with status 2 and the reason, the window having shown nothing that could be corrected.
    QVERIFY(QDir().mkpath(m_place->dataDir() + QStringLiteral("/demo-accounts.sqlite")));
    const AppRunOutcome outcome = AppRun::run(
        arguments({QStringLiteral("--demo")}), [](VerificationDialog &dialog, AppRunOutcome &) {
            auto *phone = dialog.findChild<QLineEdit *>(QStringLiteral("phoneEdit"));
            QVERIFY(phone);
            QTest::keyClicks(phone, QStringLiteral("9876543210"));
            dialog.sendCode(); // the database is needed now
        });
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains("waotp: cannot use the account database"),
             outcome.err.constData());
    QVERIFY(outcome.out.isEmpty());
}

QTEST_MAIN(tst_CancelExit)
#include "tst_cancelexit.moc"
