// The whole dialog in server mode, offscreen, driven as a person drives it, on the real
// waotp-server in demo mode: the Demo badge and the code in the toast come from the server, a
// wrong code then the right one, a sign-in the server doesn't confirm beforehand (with the way
// back to signing up), closing the window and a kiosk reset cancel on the server, and a server
// that is not there is said in plain words, and the wait the server gives after too many wrong
// codes holds the resend button.
#include "HeaderBar.h"
#include "OtpCodeInput.h"
#include "PhoneEntryPage.h"
#include "ResendButton.h"
#include "SuccessPage.h"
#include "Toast.h"
#include "VerificationDialog.h"
#include "VerifyPage.h"
#include "WaotpServerProcess.h"
#include "network/serverclient/ServerVerificationBackend.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

constexpr int Wait = 15000;

QString codeFromToast(const VerificationDialog &dialog)
{
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("Demo code: (\\d{6})")).match(dialog.toast()->text());
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class tst_DialogServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void signUpAgainstADemoServer();
    void signInTheServerDoesNotConfirm();
    void closingTheWindowCancelsOnTheServer();
    void kioskResetCancelsOnTheServer();
    void noServerInPlainWords();
    void tooManyAttemptsHoldsTheResendAsTheServerSays();

private:
    void openDialog(const QUrl &url, DialogOptions options = {});
    void send(const char *digits);
    void typeCode(const QString &code);
    QString status(const QByteArray &verificationId);
    QByteArray verificationOf(const char *digits) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WaotpServerProcess> m_server;
    SteadyClock m_clock;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ServerVerificationBackend> m_backend;
    std::unique_ptr<VerificationDialog> m_dialog;
};

void tst_DialogServer::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<WaotpServerProcess>(QStringLiteral(WAOTP_SERVER_BINARY),
                                                    m_dir->filePath(QStringLiteral("data")));
    // No resend cooldown: "Sign up instead" may follow a sign-in to the same number at once (with
    // one, the person is told how long to wait, as for any number the server just sent to).
    QVERIFY2(m_server->start({QStringLiteral("--demo")},
                             {{QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")}}),
             m_server->log().constData());
}

void tst_DialogServer::cleanupTestCase()
{
    m_server.reset();
}

void tst_DialogServer::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_DialogServer::cleanup()
{
    m_dialog.reset();
    m_backend.reset();
    m_nam.reset();
}

void tst_DialogServer::openDialog(const QUrl &url, DialogOptions options)
{
    m_dialog.reset();
    m_backend = std::make_unique<ServerVerificationBackend>(url, m_clock, m_nam.get());
    m_dialog = std::make_unique<VerificationDialog>(*m_backend, m_clock, std::move(options));
    m_dialog->setSuccessDelay(0ms);
    m_dialog->verifyPage()->codeInput()->setShakeDuration(0);
    // As the app wires it (AppContext::attach()).
    connect(m_backend.get(), &RemoteVerificationBackend::codeShown, m_dialog.get(),
            &VerificationDialog::showDemoCode);
    connect(m_backend.get(), &RemoteVerificationBackend::serviceKnown, m_dialog.get(),
            [this](bool demo) {
                if (demo)
                    m_dialog->setDemoMode();
            });
    m_backend->probe();
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowActive(m_dialog.get()));
}

void tst_DialogServer::send(const char *digits)
{
    QLineEdit *edit = m_dialog->phonePage()->phoneEdit();
    edit->clear();
    QTest::keyClicks(edit, QString::fromLatin1(digits));
    QTest::keyClick(edit, Qt::Key_Return);
}

void tst_DialogServer::typeCode(const QString &code)
{
    OtpCodeInput *input = m_dialog->verifyPage()->codeInput();
    for (const QChar c : code)
        QTest::keyClick(input->box(input->currentIndex()), c.toLatin1());
}

QString tst_DialogServer::status(const QByteArray &verificationId)
{
    QNetworkReply *reply = m_nam->get(
        QNetworkRequest(QUrl(m_server->url().toString() + QStringLiteral("/v1/verifications/")
                             + QString::fromLatin1(verificationId))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, Wait))
        reply->abort();
    const QString s =
        QJsonDocument::fromJson(reply->readAll()).object().value(u"status").toString();
    delete reply;
    return s;
}

QByteArray tst_DialogServer::verificationOf(const char *digits) const
{
    const auto number =
        PhoneNumber::parse(QString::fromLatin1(digits), QStringLiteral("IN")).number;
    return number ? m_backend->verificationId(*number) : QByteArray();
}

void tst_DialogServer::signUpAgainstADemoServer()
{
    openDialog(m_server->url());
    // The server says it is a demo one: the badge shows, as in the app's own demo mode.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_dialog->findChild<QLabel *>(QStringLiteral("demoBadge"))->isVisible(), Wait);
    QSignalSpy verified(m_dialog.get(), &VerificationDialog::verified);
    send("9876543210");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    QTRY_VERIFY_WITH_TIMEOUT(!codeFromToast(*m_dialog).isEmpty(), Wait);
    const QString code = codeFromToast(*m_dialog);

    typeCode(code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000"));
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->verifyPage()->messageText(),
                              QStringLiteral("Wrong code — 4 attempts left"), Wait);
    QTRY_VERIFY(!m_dialog->verifyPage()->codeInput()->isReadOnly());
    typeCode(code);
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->successPage()), Wait);
    QCOMPARE(verified.size(), 1);
    QCOMPARE(verified.constFirst().at(2).toBool(), true); // created on the server
    QVERIFY(m_backend->lastToken());
}

void tst_DialogServer::signInTheServerDoesNotConfirm()
{
    DialogOptions options;
    options.initialFlow = Purpose::SignIn;
    openDialog(m_server->url(), options);
    send("9812345678");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    // Not "Code sent": the server sends a sign-in code only to a number with an account.
    const QString shown = phoneNumberInText(u"+91 98123 45678"); // one left-to-right run
    QTRY_COMPARE_WITH_TIMEOUT(
        m_dialog->verifyPage()->messageText(),
        QStringLiteral("If %1 has an account, a code is on its way.").arg(shown), Wait);
    const QByteArray id = verificationOf("9812345678");

    // No code came: back, and signing up is one press away.
    QTest::mouseClick(m_dialog->verifyPage()->editNumberButton(), Qt::LeftButton);
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->phonePage()));
    QCOMPARE(m_dialog->phonePage()->messageText(),
             QStringLiteral("No code? %1 may not have an account yet.").arg(shown));
    QPushButton *signUp = m_dialog->phonePage()->switchFlowButton();
    QVERIFY(signUp->isVisible());
    QCOMPARE(signUp->text(), QStringLiteral("Sign up instead"));
    m_backend->finishCancellations(10s);
    QCOMPARE(status(id), QStringLiteral("canceled")); // Edit number cancelled it on the server

    QTest::mouseClick(signUp, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    QCOMPARE(m_dialog->flow(), Purpose::SignUp);
    QTRY_VERIFY_WITH_TIMEOUT(!codeFromToast(*m_dialog).isEmpty(), Wait);
    QCOMPARE(m_dialog->verifyPage()->messageText(),
             QStringLiteral("If %1 has no account yet, a code is on its way.").arg(shown));
}

void tst_DialogServer::closingTheWindowCancelsOnTheServer()
{
    openDialog(m_server->url());
    send("9811111111");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    const QByteArray id = verificationOf("9811111111");
    QVERIFY(!id.isEmpty());
    QCOMPARE(status(id), QStringLiteral("pending"));
    m_dialog->reject(); // Escape, the close button
    m_backend->finishCancellations(10s);
    QCOMPARE(status(id), QStringLiteral("canceled"));
}

void tst_DialogServer::kioskResetCancelsOnTheServer()
{
    DialogOptions options;
    options.kiosk = true;
    openDialog(m_server->url(), options);
    send("9822222222");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    const QByteArray id = verificationOf("9822222222");
    m_dialog->reset(); // the next person
    QCOMPARE(m_dialog->currentPage(), static_cast<QWidget *>(m_dialog->phonePage()));
    m_backend->finishCancellations(10s);
    QCOMPARE(status(id), QStringLiteral("canceled"));
}

void tst_DialogServer::noServerInPlainWords()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort()));
    closed.close();
    openDialog(url);
    send("9876543210");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->phonePage()->messageText(),
                              QStringLiteral("No connection. Check your internet and try again."),
                              Wait);
    QVERIFY(!m_dialog->phonePage()->sendButton()->isHidden());
    QVERIFY(m_dialog->phonePage()->sendButton()->isEnabled()); // the person can try again
    QVERIFY(!m_dialog->findChild<QLabel *>(QStringLiteral("demoBadge"))->isVisible());
}

void tst_DialogServer::tooManyAttemptsHoldsTheResendAsTheServerSays()
{
    // This server has no resend cooldown, so only the server's own answer can hold the button:
    // the 10th wrong code of a number makes its next code wait a minute (README), and the check
    // that uses up a code's attempts says so in its Retry-After.
    openDialog(m_server->url());
    send("9833333333");
    QTRY_COMPARE_WITH_TIMEOUT(m_dialog->currentPage(),
                              static_cast<QWidget *>(m_dialog->verifyPage()), Wait);
    VerifyPage *page = m_dialog->verifyPage();
    for (int code = 0; code < 2; ++code) {
        QTRY_VERIFY_WITH_TIMEOUT(!codeFromToast(*m_dialog).isEmpty(), Wait);
        const QString right = codeFromToast(*m_dialog);
        const QString wrong =
            right == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000");
        for (int attempt = 1; attempt <= 5; ++attempt) {
            QTRY_VERIFY_WITH_TIMEOUT(!page->codeInput()->isReadOnly(), Wait);
            typeCode(wrong);
            const QString expected = attempt < 5
                ? QStringLiteral("Wrong code — %1 attempt%2 left")
                      .arg(5 - attempt)
                      .arg(attempt == 4 ? QString() : QStringLiteral("s"))
                : QStringLiteral("Too many attempts. Request a new code.");
            QTRY_COMPARE_WITH_TIMEOUT(page->messageText(), expected, Wait);
        }
        QTRY_VERIFY_WITH_TIMEOUT(page->isCodeDead(), Wait);
        if (code == 0) {
            // Five wrong codes hold nothing back yet: a new code at once.
            QTRY_VERIFY_WITH_TIMEOUT(page->resendButton()->isEnabled(), Wait);
            QSignalSpy shown(m_dialog->toast(), &Toast::shown);
            QTest::mouseClick(page->resendButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!page->isCodeDead(), Wait);
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(shown.cbegin(), shown.cend(),
                                                 [](const QList<QVariant> &s) {
                                                     return s.at(0).toString().startsWith(
                                                         u"Demo code");
                                                 }),
                                     Wait);
        }
    }
    // The tenth: the button waits the server's minute, whatever the page's own cooldown says.
    const auto held = page->resendButton()->nextSendAt() - m_clock.now();
    QVERIFY2(held > 50s && held <= 60s,
             qPrintable(
                 QString::number(std::chrono::duration_cast<std::chrono::seconds>(held).count())));
    page->tick();
    QVERIFY(!page->resendButton()->isEnabled());
}

QTEST_MAIN(tst_DialogServer)
#include "tst_dialogserver.moc"
