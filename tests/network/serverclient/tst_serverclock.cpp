// The client against waotp-server's own code in this process, both on one fake clock: the
// expiry and the resend cooldown as the server counts them, shown as the client shows them,
// without waiting for minutes.
#include "FakeClock.h"
#include "network/serverclient/ServerVerificationBackend.h"
#include "server/Server.h"

#include "engine/VerificationFlow.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

constexpr int Wait = 15000;

PhoneNumber number()
{
    return PhoneNumber::parse(QStringLiteral("+919876543210"), QStringLiteral("IN"))
        .number.value_or(PhoneNumber());
}

} // namespace

class tst_ServerClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void expiryAsTheServerCounts();
    void resendCooldownAsTheServerCounts();

private:
    /// Asks for a code; the demo code the server revealed, or an empty string.
    QString request(Purpose purpose);
    /// The server's status of verification @p id (default: the number's open one).
    QString serverStatus(QByteArray id = {});

    FakeClock m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<ServerVerificationBackend> m_backend;
    std::unique_ptr<VerificationFlow> m_flow;
};

void tst_ServerClock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    ServerSetup setup;
    setup.demo = true;
    setup.settings.listenPort = 0;
    setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
    setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
    QString error;
    m_server = Server::create(setup, m_clock, &error);
    QVERIFY2(m_server, qPrintable(error));
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_backend = std::make_unique<ServerVerificationBackend>(m_server->url(), m_clock, m_nam.get());
    m_flow = std::make_unique<VerificationFlow>(*m_backend);
}

void tst_ServerClock::cleanup()
{
    m_flow.reset();
    m_backend.reset();
    m_nam.reset();
    m_server.reset();
    m_dir.reset();
}

QString tst_ServerClock::request(Purpose purpose)
{
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    if (!m_flow->request(number(), purpose) || !sent.wait(Wait) || shown.isEmpty())
        return {};
    return shown.constFirst().at(1).toString();
}

QString tst_ServerClock::serverStatus(QByteArray id)
{
    if (id.isEmpty())
        id = m_backend->verificationId(number());
    QNetworkReply *reply = m_nam->get(QNetworkRequest(
        QUrl(m_server->url().toString() + u"/v1/verifications/" + QString::fromLatin1(id))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, Wait))
        reply->abort();
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return o.value(u"status").toString();
}

void tst_ServerClock::expiryAsTheServerCounts()
{
    // Five minutes on the server's clock: a second past them, the right code is refused.
    const QString first = request(Purpose::SignUp);
    QCOMPARE(first.size(), 6);
    QCOMPARE(serverStatus(), QStringLiteral("pending"));
    m_clock.advance(301s);
    QCOMPARE(serverStatus(), QStringLiteral("expired"));
    QSignalSpy expired(m_flow.get(), &VerificationFlow::codeExpired);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    m_flow->check(first);
    QVERIFY(expired.wait(Wait) || !expired.isEmpty());
    QVERIFY(verified.isEmpty());

    // A second before them, it is accepted.
    m_flow->reset();
    const QString second = request(Purpose::SignUp);
    QCOMPARE(second.size(), 6);
    const QByteArray id = m_backend->verificationId(number());
    m_clock.advance(299s);
    QSignalSpy verifiedNow(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(second));
    QVERIFY(verifiedNow.wait(Wait));
    QCOMPARE(serverStatus(id), QStringLiteral("approved"));
}

void tst_ServerClock::resendCooldownAsTheServerCounts()
{
    QVERIFY(!request(Purpose::SignUp).isEmpty());
    QSignalSpy refused(m_flow.get(), &VerificationFlow::requestRefused);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(refused.wait(Wait));
    const auto result = refused.constFirst().constFirst().value<CodeRequestResult>();
    QCOMPARE(result.status, CodeRequestResult::Status::CoolingDown);
    QVERIFY2(result.retryAfter > 25s && result.retryAfter <= 30s,
             qPrintable(QString::number(result.retryAfter.count())));

    // Once the server's cooldown has passed, the resend goes out: a new code, the old one void.
    m_clock.advance(result.retryAfter + 1s);
    QSignalSpy sent(m_flow.get(), &VerificationFlow::codeSent);
    QSignalSpy shown(m_backend.get(), &RemoteVerificationBackend::codeShown);
    QVERIFY(m_flow->resend(Channel::WhatsApp));
    QVERIFY(sent.wait(Wait));
    QCOMPARE(shown.size(), 1);
    QSignalSpy verified(m_flow.get(), &VerificationFlow::verified);
    QVERIFY(m_flow->check(shown.constFirst().at(1).toString()));
    QVERIFY(verified.wait(Wait));
}

QTEST_GUILESS_MAIN(tst_ServerClock)
#include "tst_serverclock.moc"
