// The flow on the real waotp-server (the binary, on a free loopback port): in demo mode, and
// live against the loopback fake Twilio. Sign up, sign in, a wrong code then the right one,
// resend and its cooldown, SMS after a failed WhatsApp delivery, cancel as the server sees it,
// and the server down at start and going down mid-flow.
#include "FakeTwilioServer.h"
#include "WaotpServerProcess.h"
#include "network/serverclient/ServerVerificationBackend.h"

#include "engine/VerificationFlow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

constexpr int Wait = 15000;

PhoneNumber number(const char *text = "+919876543210")
{
    return PhoneNumber::parse(QString::fromLatin1(text), QStringLiteral("IN"))
        .number.value_or(PhoneNumber());
}

} // namespace

class tst_ServerFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void demoSignUpThenSignIn();
    void registrationHintsAsToday();
    void resendWithCooldown();
    void cancelIsSeenByTheServer();
    void serverDownAtStart();
    void serverGoesDownMidFlow();
    void liveWithSmsFallback();

private:
    bool startServer(const QStringList &arguments = {QStringLiteral("--demo")},
                     const QHash<QString, QString> &env = {}, const QString &listen = {});
    void makeBackend();
    SentCode requestAndWait(Purpose purpose, QString *demoCode = nullptr,
                            const PhoneNumber &to = number());
    QJsonObject get(const QString &path);

    SteadyClock m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WaotpServerProcess> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ServerVerificationBackend> m_backend;
    std::unique_ptr<VerificationFlow> m_flow;
};

void tst_ServerFlow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<WaotpServerProcess>(QStringLiteral(WAOTP_SERVER_BINARY),
                                                    m_dir->filePath(QStringLiteral("data")));
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_ServerFlow::cleanup()
{
    m_flow.reset();
    m_backend.reset();
    m_nam.reset();
    m_server.reset();
    m_dir.reset();
}

bool tst_ServerFlow::startServer(const QStringList &arguments, const QHash<QString, QString> &env,
                                 const QString &listen)
{
    const bool up = listen.isEmpty() ? m_server->start(arguments, env)
                                     : m_server->start(arguments, env, listen);
    if (!up)
        qWarning("waotp-server did not start: %s", m_server->log().constData());
    return up;
}

void tst_ServerFlow::makeBackend()
{
    m_flow.reset();
    m_backend = std::make_unique<ServerVerificationBackend>(m_server->url(), m_clock, m_nam.get());
    m_flow = std::make_unique<VerificationFlow>(*m_backend);
}

SentCode tst_ServerFlow::requestAndWait(Purpose purpose, QString *demoCode, const PhoneNumber &to)
{
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    if (!m_flow->request(to, purpose) || !sent.wait(Wait)) {
        if (!refused.isEmpty())
            qWarning() << "refused:"
                       << refused.constFirst().constFirst().value<CodeRequestResult>().send.detail;
        return {};
    }
    if (demoCode && !shown.isEmpty())
        *demoCode = shown.constFirst().at(1).toString();
    return sent.constFirst().constFirst().value<SentCode>();
}

QJsonObject tst_ServerFlow::get(const QString &path)
{
    QNetworkReply *reply = m_nam->get(QNetworkRequest(QUrl(m_server->url().toString() + path)));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, Wait))
        reply->abort();
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return o;
}

void tst_ServerFlow::demoSignUpThenSignIn()
{
    // No resend cooldown: the sign-in follows the sign-up at once.
    QVERIFY(startServer({QStringLiteral("--demo")},
                        {{QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")}}));
    makeBackend();
    QString code;
    const SentCode sent = requestAndWait(Purpose::SignUp, &code);
    QCOMPARE(sent.number, number());
    QCOMPARE(code.size(), 6);
    QVERIFY(m_backend->isDemoService());
    QVERIFY(sent.expiresAt > m_clock.now() + 290s && sent.expiresAt <= m_clock.now() + 300s);

    // A wrong code, then the right one.
    QSignalSpy wrong(m_flow.get(), &VerificationFlow::wrongCode);
    QVERIFY(m_flow->check(code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000")));
    QVERIFY(wrong.wait(Wait));
    QCOMPARE(wrong.constFirst().constFirst().toInt(), 4);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(code));
    QVERIFY(verified.wait(Wait));
    QCOMPARE(verified.constFirst().at(2).toBool(), true);
    QVERIFY(m_backend->lastToken());
    QVERIFY(m_backend->lastToken()->demo);
    QVERIFY(m_backend->lastToken()->accountCreated);

    // Signing in: the server doesn't say beforehand whether the number has an account.
    m_flow->reset();
    const SentCode signIn = requestAndWait(Purpose::SignIn, &code);
    QVERIFY(signIn.accountUnknown);
    QSignalSpy verifiedAgain(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(code));
    QVERIFY(verifiedAgain.wait(Wait));
    QCOMPARE(verifiedAgain.constFirst().at(1).value<Purpose>(), Purpose::SignIn);
    QCOMPARE(verifiedAgain.constFirst().at(2).toBool(), false);
    QVERIFY(!m_backend->lastToken()->accountCreated);
}

void tst_ServerFlow::registrationHintsAsToday()
{
    // A server that tells which numbers have accounts: the pages behave as in direct mode.
    QVERIFY(startServer({QStringLiteral("--demo")},
                        {{QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")},
                         {QStringLiteral("WAOTP_REGISTRATION_HINTS"), QStringLiteral("on")}}));
    makeBackend();
    QSignalSpy offered(m_flow.get(), &VerificationFlow::otherFlowOffered);
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->request(number(), Purpose::SignIn));
    QVERIFY(offered.wait(Wait)); // no account: sign up instead, before any code
    QCOMPARE(offered.constFirst().at(1).value<Purpose>(), Purpose::SignIn);
    QVERIFY(sent.isEmpty());
    QVERIFY(m_backend->sentCodeMeansAccount());

    QString code;
    m_flow->reset();
    QVERIFY(!requestAndWait(Purpose::SignUp, &code).number.e164().isEmpty());
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(code));
    QVERIFY(verified.wait(Wait));

    // A fresh client learns it from the first answer: a sent code means an account.
    makeBackend();
    const SentCode signIn = requestAndWait(Purpose::SignIn, &code);
    QCOMPARE(signIn.number, number());
    QVERIFY(!signIn.accountUnknown);
    QVERIFY(m_backend->sentCodeMeansAccount());
}

void tst_ServerFlow::resendWithCooldown()
{
    QVERIFY(startServer());
    makeBackend();
    QString first;
    requestAndWait(Purpose::SignUp, &first);
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(refused.wait(Wait));
    const auto result = refused.constFirst().constFirst().value<CodeRequestResult>();
    QCOMPARE(result.status, CodeRequestResult::Status::CoolingDown);
    QVERIFY2(result.retryAfter > 20s && result.retryAfter <= 30s,
             qPrintable(QString::number(result.retryAfter.count())));
    QVERIFY(result.nextSendAt > m_clock.now() + 20s);
    // The code being entered still works.
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(first));
    QVERIFY(verified.wait(Wait));
}

void tst_ServerFlow::cancelIsSeenByTheServer()
{
    QVERIFY(startServer());
    makeBackend();
    QString code;
    requestAndWait(Purpose::SignUp, &code);
    const QString id = QString::fromLatin1(m_backend->verificationId(number()));
    QVERIFY(!id.isEmpty());
    m_flow->cancel(); // Edit number
    m_backend->finishCancellations(10s);
    QCOMPARE(get(QStringLiteral("/v1/verifications/") + id).value(u"status").toString(),
             QStringLiteral("canceled"));
    // The access log is written in blocks, a moment after the request.
    QTRY_VERIFY2(m_server->log().contains("method=DELETE route=/v1/verifications/{id} status=204"),
                 m_server->log().constData());
}

void tst_ServerFlow::serverDownAtStart()
{
    QVERIFY(startServer());
    const QString address = m_server->listenAddress();
    makeBackend();
    QVERIFY(m_server->stop());

    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->request(number(), Purpose::SignUp));
    QVERIFY(refused.wait(Wait));
    const auto result = refused.constFirst().constFirst().value<CodeRequestResult>();
    QCOMPARE(result.send.error, SendError::Network);
    QVERIFY(result.send.detail.contains(u"cannot be reached"));

    // Up again where it was: the person's retry goes through.
    QVERIFY(startServer({QStringLiteral("--demo")}, {}, address));
    QCOMPARE(requestAndWait(Purpose::SignUp).number, number());
}

void tst_ServerFlow::serverGoesDownMidFlow()
{
    QVERIFY(startServer());
    const QString address = m_server->listenAddress();
    makeBackend();
    QString code;
    requestAndWait(Purpose::SignUp, &code);
    m_server->kill();

    QSignalSpy failed(m_flow.get(), &VerificationFlow::checkFailed);
    QVERIFY(m_flow->check(code));
    QVERIFY(failed.wait(Wait));
    QCOMPARE(failed.constFirst().constFirst().value<VerifyResult>().status,
             VerifyResult::Status::Unavailable);
    QCOMPARE(failed.constFirst().constFirst().value<VerifyResult>().providerError.error,
             SendError::Network);

    // A new server (codes in memory: the old one's are gone): the code is no longer valid, and a
    // resend starts a new verification.
    QVERIFY(startServer({QStringLiteral("--demo")}, {}, address));
    QVERIFY(m_flow->check(code));
    QVERIFY(failed.wait(Wait));
    QCOMPARE(failed.constLast().constFirst().value<VerifyResult>().status,
             VerifyResult::Status::NoCode);
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(sent.wait(Wait));
    QCOMPARE(shown.size(), 1);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(shown.constFirst().at(1).toString()));
    QVERIFY(verified.wait(Wait));
}

void tst_ServerFlow::liveWithSmsFallback()
{
    FakeTwilioServer twilio;
    QVERIFY(twilio.listen());
    twilio.setStatusScript({QStringLiteral("sent"), QStringLiteral("undelivered")}, 63016);
    const TwilioSettings t = twilio.settings();
    QVERIFY(startServer({},
                        {{QStringLiteral("TWILIO_ACCOUNT_SID"), t.accountSid},
                         {QStringLiteral("TWILIO_AUTH_TOKEN"), t.authToken},
                         {QStringLiteral("TWILIO_WHATSAPP_FROM"), t.whatsappFrom},
                         {QStringLiteral("TWILIO_SMS_FROM"), FakeTwilioServer::smsFrom()},
                         {QStringLiteral("TWILIO_API_BASE_URL"), t.apiBaseUrl.toString()}}));
    makeBackend();
    QSignalSpy delivery(m_flow.get(), &VerificationFlow::deliveryStatusChanged);
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    requestAndWait(Purpose::SignUp);
    QVERIFY(!m_backend->isDemoService());
    QCOMPARE(twilio.messageCreates().size(), 1);
    QVERIFY(twilio.messageCreates()
                .constFirst()
                .formValue(QStringLiteral("To"))
                .startsWith(u"whatsapp:"));

    // WhatsApp could not deliver it: the flow hears it from the server's long poll.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return !delivery.isEmpty()
                && delivery.constLast().constFirst().value<DeliveryStatus>()
                == DeliveryStatus::Undelivered;
        },
        Wait));
    QCOMPARE(delivery.constLast().at(1).toInt(), 63016);

    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QVERIFY(m_flow->resend(Channel::Sms));
    QVERIFY(sent.wait(Wait));
    QCOMPARE(sent.constFirst().constFirst().value<SentCode>().channel, Channel::Sms);
    QCOMPARE(twilio.messageCreates().size(), 2);
    const HttpRequest sms = twilio.messageCreates().constLast();
    QCOMPARE(sms.formValue(QStringLiteral("To")), QStringLiteral("+919876543210"));
    const QString code = QRegularExpression(QStringLiteral("\\b([0-9]{6})\\b"))
                             .match(sms.formValue(QStringLiteral("Body")))
                             .captured(1);
    QCOMPARE(code.size(), 6);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(code));
    QVERIFY(verified.wait(Wait));
    QVERIFY(!m_backend->lastToken()->demo);
    QCOMPARE(shown.size(), 0); // a live server reveals no code
}

QTEST_GUILESS_MAIN(tst_ServerFlow)
#include "tst_serverflow.moc"
