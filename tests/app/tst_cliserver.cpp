// waotp in server mode, the binary as scripts and operators run it, against the real
// waotp-server: --print-result prints the server's token (checked with PyJWT against the
// server's JWKS), the demo automation works against a demo server only, a server URL and
// Twilio credentials are refused together, --check-config asks the server, and nothing secret
// is in the app's environment or its logs.
#include "FakeTwilioServer.h"
#include "ProgramRun.h"
#include "PyJwt.h"
#include "WaotpServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace waotp::test;

namespace {

using Run = ProgramRun;

constexpr int RunLimit = 60000;

} // namespace

class tst_CliServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void printResultCarriesTheToken();
    void nonceIsInTheToken();
    void nonceNeedsAServer();
    void signInPrintsTheExistingAccount();
    void cancelledAgainstADemoServer();
    void automationRefusedAgainstALiveServer();
    void automationRefusedWithoutAServer();
    void serverAndTwilioCredentialsRefused();
    void serverUrlRules_data();
    void serverUrlRules();
    void checkConfigAsksTheServer();
    void checkConfigWithTheServerDown();
    void noSecretInTheAppInServerMode();

private:
    Run run(const QStringList &args, const QHash<QString, QString> &env = {},
            const std::function<void(QProcess &)> &whileRunning = {});
    QProcessEnvironment environment(const QHash<QString, QString> &env) const;
    Run printResult(const QStringList &more, const char *automation = "WAOTP_DEMO_AUTOFILL");
    QJsonObject fetchJson(const QString &path);
    QString closedPortUrl() const;
    bool startLiveServer(const FakeTwilioServer &twilio);
    void keepForTheSecretScan(const QByteArray &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WaotpServerProcess> m_server;
};

void tst_CliServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<WaotpServerProcess>(QStringLiteral(WAOTP_SERVER_BINARY),
                                                    m_dir->filePath(QStringLiteral("server")));
}

void tst_CliServer::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

QProcessEnvironment tst_CliServer::environment(const QHash<QString, QString> &env) const
{
    return isolatedEnvironment(m_dir->path(), env);
}

Run tst_CliServer::run(const QStringList &args, const QHash<QString, QString> &env,
                       const std::function<void(QProcess &)> &whileRunning)
{
    return runProgram(QStringLiteral(WAOTP_BINARY), args, environment(env),
                      std::chrono::milliseconds(RunLimit), whileRunning);
}

Run tst_CliServer::printResult(const QStringList &more, const char *automation)
{
    return run(QStringList {QStringLiteral("--server"), m_server->url().toString(),
                            QStringLiteral("--print-result"), QStringLiteral("--phone"),
                            QStringLiteral("9876543210"), QStringLiteral("--country"),
                            QStringLiteral("IN")}
                   + more,
               {{QString::fromLatin1(automation), QStringLiteral("1")}});
}

QJsonObject tst_CliServer::fetchJson(const QString &path)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(m_server->url().toString() + path)));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return o;
}

QString tst_CliServer::closedPortUrl() const
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost))
        return {};
    return QStringLiteral("http://127.0.0.1:%1").arg(s.serverPort()); // closed when s goes
}

bool tst_CliServer::startLiveServer(const FakeTwilioServer &twilio)
{
    return m_server->start(
        {},
        {{QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid()},
         {QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken()},
         {QStringLiteral("TWILIO_WHATSAPP_FROM"), FakeTwilioServer::whatsappFrom()},
         {QStringLiteral("TWILIO_API_BASE_URL"), twilio.baseUrl().toString()}});
}

void tst_CliServer::keepForTheSecretScan(const QByteArray &text)
{
    const QString dir = qEnvironmentVariable("WAOTP_TEST_LOG_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QFile f(QDir(dir).filePath(QStringLiteral("tst_cliserver.log")));
    if (f.open(QIODevice::Append))
        f.write(text + '\n');
}

void tst_CliServer::printResultCarriesTheToken()
{
    QVERIFY(m_server->start({QStringLiteral("--demo")}));
    const Run r = printResult({QStringLiteral("--flow"), QStringLiteral("signup")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.endsWith('\n'));
    QCOMPARE(r.out.count('\n'), 1);
    const QJsonObject line = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(line.keys(),
             (QStringList {QStringLiteral("account"), QStringLiteral("demo"),
                           QStringLiteral("expires_in"), QStringLiteral("flow"),
                           QStringLiteral("mode"), QStringLiteral("phone"), QStringLiteral("token"),
                           QStringLiteral("verified")}));
    QVERIFY(r.out.startsWith(R"({"verified":true,"phone":"+919876543210","flow":"signup",)"
                             R"("account":"created","mode":"demo","token":")"));
    QCOMPARE(line.value(u"demo").toBool(), true);
    const int expiresIn = line.value(u"expires_in").toInt();
    QVERIFY2(expiresIn > 250 && expiresIn <= 300, qPrintable(QString::number(expiresIn)));

    // The token is the server's: PyJWT checks it against the published keys.
    const QByteArray token = line.value(u"token").toString().toLatin1();
    const PyJwtResult checked =
        verifyWithPyJwt(fetchJson(QStringLiteral("/.well-known/jwks.json")), token,
                        QStringLiteral("waotp"), m_server->url().toString());
    QVERIFY2(checked.accepted, qPrintable(checked.refusal));
    QCOMPARE(checked.claims.value(u"phone_number").toString(), QStringLiteral("+919876543210"));
    QCOMPARE(checked.claims.value(u"phone_number_verified").toBool(), true);
    QCOMPARE(checked.claims.value(u"account").toString(), QStringLiteral("created"));
    QCOMPARE(checked.claims.value(u"demo").toBool(), true);
    QCOMPARE(checked.claims.value(u"amr").toArray(), QJsonArray {QStringLiteral("otp")});
    // ... and refuses it once tampered with.
    QJsonObject forged = payloadOf(token);
    forged.insert(QStringLiteral("phone_number"), QStringLiteral("+911111111111"));
    QVERIFY(!verifyWithPyJwt(fetchJson(QStringLiteral("/.well-known/jwks.json")),
                             withPayload(token, forged), QStringLiteral("waotp"),
                             m_server->url().toString())
                 .accepted);
    // The app kept nothing: no account database of its own in server mode.
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("share/waotp/accounts.sqlite"))));
    QVERIFY(
        !QFileInfo::exists(m_dir->filePath(QStringLiteral("share/waotp/demo-accounts.sqlite"))));
}

void tst_CliServer::nonceIsInTheToken()
{
    QVERIFY(m_server->start({QStringLiteral("--demo")}));
    const QString nonce = QStringLiteral("login-session-7f3a");
    const Run r = printResult(
        {QStringLiteral("--flow"), QStringLiteral("signup"), QStringLiteral("--nonce"), nonce});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray token =
        QJsonDocument::fromJson(r.out).object().value(u"token").toString().toLatin1();
    const PyJwtResult checked =
        verifyWithPyJwt(fetchJson(QStringLiteral("/.well-known/jwks.json")), token,
                        QStringLiteral("waotp"), m_server->url().toString());
    QVERIFY2(checked.accepted, qPrintable(checked.refusal));
    QCOMPARE(checked.claims.value(u"nonce").toString(), nonce);
    // The platform's check as README.md prints it refuses a demo server's token, right nonce
    // and all.
    const QList<ReadmeCheck> readme =
        readmeBackendCheck(m_server->url().toString(), {{token, nonce}});
    QCOMPARE(readme.size(), 1);
    QVERIFY(!readme.constFirst().ok);
    QVERIFY2(readme.constFirst().error.contains(u"demo"), qPrintable(readme.constFirst().error));
}

void tst_CliServer::nonceNeedsAServer()
{
    const Run r =
        run({QStringLiteral("--print-result"), QStringLiteral("--phone"),
             QStringLiteral("9876543210"), QStringLiteral("--nonce"), QStringLiteral("s1")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--nonce goes into the token of a verification server; it needs "
                            "--server"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void tst_CliServer::signInPrintsTheExistingAccount()
{
    // No resend cooldown: the sign-in follows the sign-up at once.
    QVERIFY(m_server->start({QStringLiteral("--demo")},
                            {{QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")}}));
    QCOMPARE(printResult({QStringLiteral("--flow"), QStringLiteral("signup")}).exitCode, 0);
    const Run r = printResult({QStringLiteral("--flow"), QStringLiteral("signin")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject line = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(line.value(u"flow").toString(), QStringLiteral("signin"));
    QCOMPARE(line.value(u"account").toString(), QStringLiteral("existing"));
}

void tst_CliServer::cancelledAgainstADemoServer()
{
    QVERIFY(m_server->start({QStringLiteral("--demo")}));
    const Run r = printResult({}, "WAOTP_DEMO_AUTOCANCEL");
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
}

void tst_CliServer::automationRefusedAgainstALiveServer()
{
    FakeTwilioServer twilio;
    QVERIFY(twilio.listen());
    QVERIFY(startLiveServer(twilio));
    for (const char *automation : {"WAOTP_DEMO_AUTOFILL", "WAOTP_DEMO_AUTOCANCEL"}) {
        const Run r = printResult({}, automation);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("work only in demo mode or against a demo server"),
                 r.err.constData());
        QVERIFY2(r.err.contains("it is a live server"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
    QCOMPARE(twilio.messageCreates().size(), 0); // nothing was sent
}

void tst_CliServer::automationRefusedWithoutAServer()
{
    const Run r =
        run({QStringLiteral("--server"), closedPortUrl(), QStringLiteral("--print-result"),
             QStringLiteral("--phone"), QStringLiteral("9876543210")},
            {{QStringLiteral("WAOTP_DEMO_AUTOFILL"), QStringLiteral("1")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("cannot be reached: the connection was refused"), r.err.constData());
}

void tst_CliServer::serverAndTwilioCredentialsRefused()
{
    const Run r = run({QStringLiteral("--server"), QStringLiteral("https://auth.example.com")},
                      {{QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid()},
                       {QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken()}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("WAOTP_SERVER_URL and Twilio credentials can't go together: the "
                            "server holds the Twilio credentials. Drop TWILIO_ACCOUNT_SID, "
                            "TWILIO_AUTH_TOKEN from this machine's settings"),
             r.err.constData());
    QVERIFY(!r.err.contains(FakeTwilioServer::authToken().toLatin1()));
}

void tst_CliServer::serverUrlRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("refusal");
    QTest::newRow("localhost by name") << QStringLiteral("http://localhost:8470")
                                       << QByteArray("plain http is allowed only to a loopback "
                                                     "address written as one");
    QTest::newRow("http elsewhere") << QStringLiteral("http://10.0.0.5:8470")
                                    << QByteArray("plain http is allowed only to a loopback");
    QTest::newRow("other scheme") << QStringLiteral("ftp://auth.example.com")
                                  << QByteArray("the scheme must be https");
    QTest::newRow("user info") << QStringLiteral("https://me:pw@auth.example.com")
                               << QByteArray("credentials do not belong in the URL");
    QTest::newRow("not a url") << QStringLiteral("auth.example.com") << QByteArray("not a URL");
    QTest::newRow("loopback v4") << QStringLiteral("http://127.0.0.2:1") << QByteArray();
    QTest::newRow("loopback v6") << QStringLiteral("http://[::1]:1") << QByteArray();
}

void tst_CliServer::serverUrlRules()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, refusal);
    const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--server"), url});
    if (refusal.isEmpty()) {
        // Accepted; nothing answers there, which the check then says.
        QVERIFY2(r.out.contains("Result: OK"), r.out.constData());
        QVERIFY2(r.out.contains("Mode: server: the verification server at"), r.out.constData());
        QVERIFY2(r.out.contains("Server: the verification server cannot be reached"),
                 r.out.constData());
        QCOMPARE(r.exitCode, 2);
        return;
    }
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QByteArray(QByteArray("WAOTP_SERVER_URL: ") + refusal)),
             r.out.constData());
}

void tst_CliServer::checkConfigAsksTheServer()
{
    QVERIFY(m_server->start({QStringLiteral("--demo")}));
    const Run r = run({QStringLiteral("--check-config")},
                      {{QStringLiteral("WAOTP_SERVER_URL"), m_server->url().toString()}});
    QVERIFY2(r.exitCode == 0, r.out.constData());
    QVERIFY2(r.out.contains("WAOTP_SERVER_URL"), r.out.constData());
    QVERIFY(r.out.contains("(environment)"));
    QVERIFY2(r.out.contains("is ready and publishes 1 signing key(s) at /.well-known/jwks.json; "
                            "it is a demo server"),
             r.out.constData());
    // The access log is written in blocks, a moment after the requests.
    QTRY_VERIFY2(
        m_server->log().contains("method=GET route=/readyz status=200")
            && m_server->log().contains("method=GET route=/.well-known/jwks.json status=200"),
        m_server->log().constData());
}

void tst_CliServer::checkConfigWithTheServerDown()
{
    const Run r =
        run({QStringLiteral("--check-config"), QStringLiteral("--server"), closedPortUrl()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("Server: the verification server cannot be reached: the connection "
                            "was refused"),
             r.out.constData());
}

void tst_CliServer::noSecretInTheAppInServerMode()
{
    // A live server with its Twilio credentials; the app next to it holds none of them.
    FakeTwilioServer twilio;
    QVERIFY(twilio.listen());
    QVERIFY(startLiveServer(twilio));
    QByteArray environ;
    const Run r = run(
        {QStringLiteral("--server"), m_server->url().toString(), QStringLiteral("--print-result"),
         QStringLiteral("--phone"), QStringLiteral("9876543210"), QStringLiteral("--country"),
         QStringLiteral("IN")},
        {{QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("waotp.*.debug=true")}},
        [&](QProcess &p) {
            // The code goes out at once (--phone with --print-result); a person would type it.
            QVERIFY(QTest::qWaitFor([&] { return twilio.messageCreates().size() == 1; }, 15000));
            QFile env(QStringLiteral("/proc/%1/environ").arg(p.processId()));
            if (env.open(QIODevice::ReadOnly))
                environ = env.readAll();
            p.terminate();
        });
    QVERIFY(!environ.isEmpty());
    const QList<QByteArray> secrets {
        FakeTwilioServer::authToken().toLatin1(), FakeTwilioServer::accountSid().toLatin1(),
        (FakeTwilioServer::accountSid() + u':' + FakeTwilioServer::authToken())
            .toUtf8()
            .toBase64()};
    for (const QByteArray &secret : secrets) {
        QVERIFY(!environ.contains(secret));
        QVERIFY(!r.err.contains(secret));
        QVERIFY(!r.out.contains(secret));
    }
    QVERIFY(!environ.contains("TWILIO_"));
    QVERIFY2(r.err.contains("server mode"), r.err.constData());
    keepForTheSecretScan(r.err + r.out + environ.replace('\0', '\n'));
    keepForTheSecretScan(m_server->log());
}

QTEST_MAIN(tst_CliServer)
#include "tst_cliserver.moc"
