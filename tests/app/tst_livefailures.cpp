// Live mode when Twilio fails: no live code ever reaches a log, stderr, stdout or the window.
// The app runs in this process (AppRunFixture.h) with the network module it loads in
// production, against the loopback fake Twilio answering with errors, 5xx, answers that quote
// the request, a dropped connection, a dead port or an undelivered message. Everything it logs
// (debug included), writes or shows is scanned for the code the fake received, and for any
// six-digit number at all. Then the person closes the window: a cancel, exit 1.
#include "AppRunFixture.h"
#include "FakeTwilioServer.h"

#include <QRegularExpression>
#include <QTcpServer>

using namespace waotp;
using namespace waotp::test;

class tst_LiveFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void failureShowsNoCode_data();
    void failureShowsNoCode();
    void liveVerificationSaysLive();

private:
    QStringList arguments() const;
    void useTwilio(const QUrl &baseUrl, const QString &authToken);

    std::unique_ptr<FakeTwilioServer> m_twilio;
    std::unique_ptr<AppRunPlace> m_place;
};

namespace {

/// What the fake (or the network) does with the app's request.
enum class Failure {
    RejectedNumber, ///< 400, error 21211
    ErrorQuotingTheMessage, ///< 400 whose message quotes the form the app sent
    ServerError, ///< 500, error 20500
    PlainTextEcho, ///< 503 with a text body that is the request's body
    Unauthorized, ///< a wrong auth token: 401, error 20003
    Dropped, ///< the connection closes without a byte of answer
    DeadPort, ///< nothing listens on the Twilio port
    Undelivered, ///< accepted, then undelivered (63016)
};

/// The six-digit codes in the requests the fake received.
QStringList codesSent(const FakeTwilioServer &twilio)
{
    static const QRegularExpression sixDigits(QStringLiteral("(?<![0-9])[0-9]{6}(?![0-9])"));
    QStringList codes;
    for (const HttpRequest &r : twilio.messageCreates()) {
        for (const auto &[name, value] : r.form()) {
            for (auto it = sixDigits.globalMatch(value); it.hasNext();)
                codes << it.next().captured();
        }
    }
    return codes;
}

/// A loopback port that nothing listens on.
quint16 deadPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 9; // discard: closed on a test machine
    return server.serverPort(); // closed when the server goes
}

/// The lines of @p text with a six-digit number, for the failure message.
QString linesWithSixDigits(const QString &text)
{
    static const QRegularExpression sixDigits(QStringLiteral("(?<![0-9])[0-9]{6}(?![0-9])"));
    QStringList hits;
    for (const QString &line : text.split(u'\n')) {
        if (sixDigits.match(line).hasMatch())
            hits << line;
    }
    return hits.join(u'\n');
}

} // namespace

Q_DECLARE_METATYPE(Failure)

void tst_LiveFailures::init()
{
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    m_place = std::make_unique<AppRunPlace>();
    QVERIFY(m_place->isValid());
    useTwilio(m_twilio->baseUrl(), FakeTwilioServer::authToken());
}

void tst_LiveFailures::cleanup()
{
    for (const char *name :
         {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_API_BASE_URL"})
        qunsetenv(name);
}

void tst_LiveFailures::useTwilio(const QUrl &baseUrl, const QString &authToken)
{
    qputenv("TWILIO_ACCOUNT_SID", FakeTwilioServer::accountSid().toLatin1());
    qputenv("TWILIO_AUTH_TOKEN", authToken.toLatin1());
    qputenv("TWILIO_WHATSAPP_FROM", FakeTwilioServer::whatsappFrom().toLatin1());
    qputenv("TWILIO_API_BASE_URL", baseUrl.toString().toLatin1());
}

QStringList tst_LiveFailures::arguments() const
{
    return m_place->arguments({QStringLiteral("--print-result"), QStringLiteral("--phone"),
                               QStringLiteral("9876543210"), QStringLiteral("--country"),
                               QStringLiteral("IN")});
}

void tst_LiveFailures::failureShowsNoCode_data()
{
    QTest::addColumn<Failure>("failure");
    QTest::addColumn<QString>("shown"); // words of the error the window shows
    QTest::addColumn<bool>("codeReachedTwilio");
    QTest::newRow("rejected number")
        << Failure::RejectedNumber << QStringLiteral("This isn't a valid phone number") << true;
    QTest::newRow("error quoting the message")
        << Failure::ErrorQuotingTheMessage << QStringLiteral("The code couldn't be sent") << true;
    QTest::newRow("server error") << Failure::ServerError
                                  << QStringLiteral("The messaging service isn't responding")
                                  << true;
    QTest::newRow("plain text echo")
        << Failure::PlainTextEcho << QStringLiteral("The messaging service isn't responding")
        << true;
    QTest::newRow("unauthorized") << Failure::Unauthorized
                                  << QStringLiteral("Service misconfigured") << true;
    QTest::newRow("dropped") << Failure::Dropped << QStringLiteral("No connection") << true;
    QTest::newRow("dead port") << Failure::DeadPort << QStringLiteral("No connection") << false;
    QTest::newRow("undelivered") << Failure::Undelivered << QStringLiteral("Not delivered") << true;
}

void tst_LiveFailures::failureShowsNoCode()
{
    QFETCH(Failure, failure);
    QFETCH(QString, shown);
    QFETCH(bool, codeReachedTwilio);
    FakeTwilioServer &twilio = *m_twilio;
    const auto onCreate = [&twilio](std::function<HttpResponse(const HttpRequest &)> answer) {
        twilio.setOverride([answer](const HttpRequest &r) -> std::optional<HttpResponse> {
            if (r.method == "POST" && r.path().endsWith(u"/Messages.json"))
                return answer(r);
            return std::nullopt;
        });
    };
    switch (failure) {
    case Failure::RejectedNumber:
        twilio.setCreateError(400, 21211,
                              QStringLiteral("The 'To' number whatsapp:+919876543210 is not a "
                                             "valid phone number."));
        break;
    case Failure::ErrorQuotingTheMessage:
        onCreate([](const HttpRequest &r) {
            return FakeTwilioServer::error(
                400, 21619,
                QStringLiteral("Message rejected: Body '%1', To '%2'")
                    .arg(r.formValue(QStringLiteral("Body")), r.formValue(QStringLiteral("To"))));
        });
        break;
    case Failure::ServerError:
        twilio.setCreateError(500, 20500, QStringLiteral("Internal Server Error"));
        break;
    case Failure::PlainTextEcho:
        onCreate([](const HttpRequest &r) {
            return HttpResponse::raw(503, "Service Unavailable while handling: " + r.body);
        });
        break;
    case Failure::Unauthorized:
        useTwilio(twilio.baseUrl(), QStringLiteral("wrong-auth-token-0000"));
        break;
    case Failure::Dropped:
        onCreate([](const HttpRequest &) { return HttpResponse::drop(); });
        break;
    case Failure::DeadPort:
        useTwilio(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(deadPort())),
                  FakeTwilioServer::authToken());
        break;
    case Failure::Undelivered:
        twilio.setStatusScript({QStringLiteral("undelivered")}, 63016);
        break;
    }

    const AppRunOutcome outcome =
        AppRun::run(arguments(), [&shown](VerificationDialog &dialog, AppRunOutcome &o) {
            const bool appeared = waitForLabel(dialog, shown);
            o.shown << windowTexts(dialog); // what the window shows with the error
            QVERIFY2(appeared, qPrintable(windowTexts(dialog).join(u'\n')));
            pressEscape(dialog);
        });
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(outcome.out.isEmpty(), outcome.out.constData());

    const QString everything = outcome.everything();
    const QStringList codes = codesSent(twilio);
    QCOMPARE(!codes.isEmpty(), codeReachedTwilio);
    for (const QString &code : codes)
        QVERIFY2(!everything.contains(code), qPrintable(linesWithSixDigits(everything)));
    // Nor any other six-digit number (a code the fake never saw, as with the dead port).
    QVERIFY2(linesWithSixDigits(everything).isEmpty(), qPrintable(linesWithSixDigits(everything)));
    // The scan looked at something: the app logged its work, and the window its error.
    QVERIFY(!outcome.messages.isEmpty());
    QVERIFY(everything.contains(shown));
}

void tst_LiveFailures::liveVerificationSaysLive()
{
    // The person types the code WhatsApp brought: verified, and the line says it was live.
    // The code reached the window (typed) but no log.
    FakeTwilioServer &twilio = *m_twilio;
    const AppRunOutcome outcome =
        AppRun::run(arguments(), [&twilio](VerificationDialog &dialog, AppRunOutcome &) {
            QVERIFY(QTest::qWaitFor([&twilio] { return !codesSent(twilio).isEmpty(); }, 10000));
            QVERIFY(typeCode(dialog, codesSent(twilio).constFirst()));
            QVERIFY(waitForClose(dialog));
        });
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(outcome.out, signUpLine("live"));
    const QStringList codes = codesSent(twilio);
    QCOMPARE(codes.size(), 1);
    const QString logs = QString::fromLocal8Bit(outcome.err) + outcome.messages.join(u'\n');
    QVERIFY2(!logs.contains(codes.first()), qPrintable(logs));
}

QTEST_MAIN(tst_LiveFailures)
#include "tst_livefailures.moc"
