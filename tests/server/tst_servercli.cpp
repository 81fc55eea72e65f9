// The real waotp-server binary, run as an operator runs it: its options and their errors, the
// refusal to start without a way to send codes, --check-config, and a demo run answering HTTP
// until SIGTERM.
#include "ProgramRun.h"
#include "server/token/ServerAccounts.h"

#include "engine/SqliteAccountStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace {

using Run = waotp::test::ProgramRun;

} // namespace

class tst_ServerCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void version();
    void allocatesWithJemalloc();
    void help();
    void badOptions_data();
    void badOptions();
    void refusesToStartWithoutAWayToSend();
    void demoListensOnLoopbackOnly();
    void ignoresTheRetiredDemoFallback();
    void badSettingStops();
    void busyPortIsNamed();
    void checkConfig();
    void checkConfigFindsWhatTheStartRefuses_data();
    void checkConfigFindsWhatTheStartRefuses();
    void checkConfigWithAMessagingService();
    void checkConfigBoundsThePolicy();
    void serverKeysInTheConfigFileAreKnown();
    void demoRunAnswersUntilTerminated();
    void terminatedServerFinishesWhatBegan();
    void perSendLinesWhenAsked();
    void workerThreadsAreNamed();
    void rotateKeyIsPublishedByARunningServer();
    void importAccounts();
    void importThatStopsPartWayKeepsWhatItAdded();
    void importRefusesWhatIsNotAnAccountDatabase_data();
    void importRefusesWhatIsNotAnAccountDatabase();

private:
    QProcess *startDemoServer(const QString &dataDir, QString *base,
                              const QHash<QString, QString> &env = {});
    Run run(const QStringList &args, const QHash<QString, QString> &env = {});
    QProcessEnvironment environment(const QHash<QString, QString> &env = {}) const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ServerCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QProcessEnvironment tst_ServerCli::environment(const QHash<QString, QString> &extra) const
{
    return waotp::test::isolatedEnvironment(m_dir->path(), extra);
}

Run tst_ServerCli::run(const QStringList &args, const QHash<QString, QString> &env)
{
    return waotp::test::runProgram(QStringLiteral(WAOTP_SERVER_BINARY), args, environment(env),
                                   std::chrono::seconds(30));
}

void tst_ServerCli::version()
{
    const Run r = run({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("waotp-server " WAOTP_VERSION "\n"));
}

// The server's allocator is jemalloc (server/CMakeLists.txt): asked for its statistics at exit,
// it prints them.
void tst_ServerCli::allocatesWithJemalloc()
{
#ifndef WAOTP_SERVER_JEMALLOC
    QSKIP("built with the sanitizers' allocator");
#else
    const Run r = run({QStringLiteral("--version")},
                      {{QStringLiteral("MALLOC_CONF"), QStringLiteral("stats_print:true")}});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("Begin jemalloc statistics"), r.err.left(300).constData());
#endif
}

void tst_ServerCli::help()
{
    const Run r = run({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *word :
         {"--demo", "--listen", "--data-dir", "--config", "--public-url", "--check-config",
          "--rotate-key", "--import-accounts", "WAOTP_LISTEN", "server/read_timeout"})
        QVERIFY2(r.out.contains(word), word);
}

void tst_ServerCli::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown") << QStringList {QStringLiteral("--frobnicate")};
    QTest::newRow("no value") << QStringList {QStringLiteral("--demo"), QStringLiteral("--listen")};
    QTest::newRow("positional") << QStringList {QStringLiteral("start")};
    QTest::newRow("bad listen") << QStringList {
        QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("nowhere")};
    QTest::newRow("bad public url")
        << QStringList {QStringLiteral("--demo"), QStringLiteral("--public-url=ftp://x")};
    QTest::newRow("missing config file")
        << QStringList {QStringLiteral("--demo"), QStringLiteral("--config=/nonexistent.ini")};
    QTest::newRow("import without a file") << QStringList {QStringLiteral("--import-accounts=")};
    QTest::newRow("two commands") << QStringList {QStringLiteral("--rotate-key"),
                                                  QStringLiteral("--check-config")};
}

void tst_ServerCli::badOptions()
{
    QFETCH(QStringList, args);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("waotp-server: "), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void tst_ServerCli::refusesToStartWithoutAWayToSend()
{
    const Run r = run({QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("d"))});
    QCOMPARE(r.exitCode, 2);
    for (const char *name : {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY_SID",
                             "TWILIO_WHATSAPP_FROM", "--demo"})
        QVERIFY2(r.err.contains(name), r.err.constData());
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("d")))); // nothing made
}

void tst_ServerCli::demoListensOnLoopbackOnly()
{
    for (const QString &address : {QStringLiteral("0.0.0.0:0"), QStringLiteral("[::]:0")}) {
        const Run r = run({QStringLiteral("--demo"), QStringLiteral("--listen"), address,
                           QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("d"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("loopback only"), r.err.constData());
    }
}

void tst_ServerCli::ignoresTheRetiredDemoFallback()
{
    // A configuration that still turns the removed demo fallback on: the server starts, live,
    // and says the setting is ignored. The Twilio host is a closed local port.
    const QHash<QString, QString> live {
        {QStringLiteral("TWILIO_ACCOUNT_SID"),
         QStringLiteral("AC00000000000000000000000000000000")},
        {QStringLiteral("TWILIO_AUTH_TOKEN"), QStringLiteral("not-a-real-token")},
        {QStringLiteral("TWILIO_WHATSAPP_FROM"), QStringLiteral("+14155238886")},
        {QStringLiteral("TWILIO_API_BASE_URL"), QStringLiteral("http://127.0.0.1:9")},
        {QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK"), QStringLiteral("true")}};
    const QByteArray warning = "WAOTP_ALLOW_DEMO_FALLBACK is no longer supported and is ignored";

    const Run check = run({QStringLiteral("--check-config")}, live);
    QCOMPARE(check.exitCode, 0);
    QVERIFY2(check.out.contains(warning), check.out.constData());
    QVERIFY(check.out.contains("Server mode: live"));

    QProcess server;
    server.setProcessEnvironment(environment(live));
    server.start(QStringLiteral(WAOTP_SERVER_BINARY),
                 {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                  QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("data"))});
    QVERIFY(server.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += server.readAllStandardError(),
         err.contains("listening on") || server.state() == QProcess::NotRunning),
        10000);
    QVERIFY2(err.contains("listening on"), err.constData());
    QVERIFY2(err.contains(QByteArray("waotp-server: warning: " + warning)), err.constData());
    QVERIFY(!err.contains("not-a-real-token"));
    ::kill(pid_t(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 0);
}

void tst_ServerCli::badSettingStops()
{
    const Run r = run({QStringLiteral("--demo")},
                      {{QStringLiteral("WAOTP_MAX_BODY_SIZE"), QStringLiteral("lots")},
                       {QStringLiteral("WAOTP_CODE_LIFETIME"), QStringLiteral("forever")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("WAOTP_MAX_BODY_SIZE") && r.err.contains("WAOTP_CODE_LIFETIME"),
             r.err.constData());
}

void tst_ServerCli::busyPortIsNamed()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    const QString listen = QStringLiteral("127.0.0.1:%1").arg(taken.serverPort());
    const Run r = run({QStringLiteral("--demo"), QStringLiteral("--listen"), listen,
                       QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("data"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QByteArray("cannot listen on " + listen.toLatin1() + ": ")),
             r.err.constData());
}

void tst_ServerCli::checkConfigFindsWhatTheStartRefuses_data()
{
    QTest::addColumn<QString>("case_");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("demo off loopback") << "listen" << QByteArray("listens on loopback only");
    QTest::newRow("data directory a file") << "data" << QByteArray("is a file");
    QTest::newRow("key directory open") << "keys" << QByteArray("are too open");
    QTest::newRow("key directory under a file")
        << "keys-under-file" << QByteArray("cannot create the key directory");
}

// --check-config says what a start would refuse, and changes nothing: the start then refuses it
// with the same words.
void tst_ServerCli::checkConfigFindsWhatTheStartRefuses()
{
    QFETCH(QString, case_);
    QFETCH(QByteArray, message);
    QString data = m_dir->filePath(QStringLiteral("data"));
    QStringList args {QStringLiteral("--demo"), QStringLiteral("--listen"),
                      QStringLiteral("127.0.0.1:0")};
    QHash<QString, QString> env;
    if (case_ == u"listen") {
        args[2] = QStringLiteral("0.0.0.0:0");
    } else if (case_ == u"data") {
        data = m_dir->filePath(QStringLiteral("a-file"));
        QFile file(data);
        QVERIFY(file.open(QIODevice::WriteOnly));
    } else if (case_ == u"keys-under-file") {
        const QString file = m_dir->filePath(QStringLiteral("a-file"));
        QFile made(file);
        QVERIFY(made.open(QIODevice::WriteOnly));
        env.insert(QStringLiteral("WAOTP_SIGNING_KEY_DIR"), file + QStringLiteral("/keys"));
    } else {
        const QString keys = m_dir->filePath(QStringLiteral("keys"));
        QVERIFY(QDir().mkdir(keys));
        QVERIFY(QFile::setPermissions(keys,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                          | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                          | QFile::ExeOther));
        env.insert(QStringLiteral("WAOTP_SIGNING_KEY_DIR"), keys);
    }
    args << QStringLiteral("--data-dir") << data;
    const Run checked = run(QStringList {QStringLiteral("--check-config")} + args, env);
    QCOMPARE(checked.exitCode, 2);
    QVERIFY2(checked.out.contains(message), checked.out.constData());
    QVERIFY(checked.out.contains("Server mode: none"));
    if (case_ != u"data")
        QVERIFY(!QFileInfo::exists(data)); // nothing made
    const Run started = run(args, env);
    QCOMPARE(started.exitCode, 2);
    QVERIFY2(started.err.contains(message), started.err.constData());
}

void tst_ServerCli::checkConfigWithAMessagingService()
{
    // A messaging service instead of a WhatsApp sender is enough to run live, and is reported.
    const QHash<QString, QString> live {
        {QStringLiteral("TWILIO_ACCOUNT_SID"),
         QStringLiteral("AC00000000000000000000000000000000")},
        {QStringLiteral("TWILIO_AUTH_TOKEN"), QStringLiteral("not-a-real-token")},
        {QStringLiteral("TWILIO_MESSAGING_SERVICE_SID"),
         QStringLiteral("MG00000000000000000000000000000000")},
        {QStringLiteral("WAOTP_MAX_SENDS_PER_SECOND"), QStringLiteral("5")}};
    const Run check = run({QStringLiteral("--check-config")}, live);
    QCOMPARE(check.exitCode, 0);
    QVERIFY2(check.out.contains("messaging service MG00000000000000000000000000000000"),
             check.out.constData());
    QVERIFY2(check.out.contains("TWILIO_MESSAGING_SERVICE_SID"), check.out.constData());
    QVERIFY2(check.out.contains("WAOTP_MAX_SENDS_PER_SECOND"), check.out.constData());

    QHash<QString, QString> bad = live;
    bad.insert(QStringLiteral("TWILIO_MESSAGING_SERVICE_SID"), QStringLiteral("MG123"));
    const Run refused = run({QStringLiteral("--check-config")}, bad);
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.out.contains("TWILIO_MESSAGING_SERVICE_SID must be 'MG' followed by 32 "
                                  "hexadecimal digits")
                 || refused.err.contains("TWILIO_MESSAGING_SERVICE_SID must be 'MG' followed "
                                         "by 32 hexadecimal digits"),
             QByteArray(refused.out + refused.err).constData());
}

void tst_ServerCli::checkConfig()
{
    Run r = run({QStringLiteral("--check-config"), QStringLiteral("--demo"),
                 QStringLiteral("--listen=127.0.0.1:9999")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Server settings:"), r.out.constData());
    QVERIFY(QRegularExpression(QStringLiteral("WAOTP_LISTEN +127.0.0.1:9999 \\(command line\\)"))
                .match(QString::fromUtf8(r.out))
                .hasMatch());
    QVERIFY(r.out.contains("Server mode: demo"));
    QVERIFY2(r.out.contains("Mode: demo (--demo)"),
             r.out.constData()); // the server's, not the app's
    QVERIFY(r.out.contains("Result: OK"));
    r = run({QStringLiteral("--check-config")});
    QCOMPARE(r.exitCode, 2); // no way to send codes
    QVERIFY(r.out.contains("Server mode: none"));
    // One story from top to bottom: the error names what to set, as a start would.
    QVERIFY2(r.out.contains("Mode: none: the configuration has errors, the server will not start"),
             r.out.constData());
    QVERIFY(r.out.contains("no Twilio settings and no --demo"));
    QVERIFY(r.out.contains("Result: 1 error(s)"));
    QVERIFY(!r.out.contains("Result: OK"));
    QVERIFY(!r.out.contains("codes are shown on screen"));
    // Twilio settings with errors: not "live".
    r = run({QStringLiteral("--check-config")},
            {{QStringLiteral("TWILIO_ACCOUNT_SID"), QStringLiteral("AC") + QString(32, u'0')}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("Server mode: none"), r.out.constData());
    QVERIFY(!r.out.contains("Server mode: live"));
}

void tst_ServerCli::checkConfigBoundsThePolicy()
{
    Run r = run({QStringLiteral("--check-config"), QStringLiteral("--demo")},
                {{QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("5s")}});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("WAOTP_RESEND_COOLDOWN (5 s) is weaker than the default (30 s)"),
             r.out.constData());
    r = run({QStringLiteral("--check-config"), QStringLiteral("--demo")},
            {{QStringLiteral("WAOTP_MAX_ATTEMPTS"), QStringLiteral("20")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("WAOTP_MAX_ATTEMPTS must be a whole number from 1 to 10 (got '20')"),
             r.out.constData());
    r = run({QStringLiteral("--demo")},
            {{QStringLiteral("WAOTP_CODE_LIFETIME"), QStringLiteral("15m")}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("WAOTP_CODE_LIFETIME must be between 30 and 600 seconds"),
             r.err.constData());
}

void tst_ServerCli::serverKeysInTheConfigFileAreKnown()
{
    const QString ini = m_dir->filePath(QStringLiteral("server.ini"));
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[app]\ndefault_country = US\n[server]\nlisten = 127.0.0.1:9998\n"
            "token_audience = my-platform\nlisen = typo\n");
    f.close();
    const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--demo"),
                       QStringLiteral("--config"), ini});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("my-platform (file)"));
    QVERIFY(r.out.contains("127.0.0.1:9998 (file)"));
    QVERIFY(!r.out.contains("'server/listen'"));
    QVERIFY(r.out.contains("'server/lisen'")); // a typo is still reported
}

void tst_ServerCli::demoRunAnswersUntilTerminated()
{
    QProcess server;
    server.setProcessEnvironment(environment());
    server.start(QStringLiteral(WAOTP_SERVER_BINARY),
                 {QStringLiteral("--demo"), QStringLiteral("--listen"),
                  QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                  m_dir->filePath(QStringLiteral("data"))});
    QVERIFY(server.waitForStarted());
    QByteArray err;
    QRegularExpressionMatch m;
    QTRY_VERIFY_WITH_TIMEOUT((err += server.readAllStandardError(),
                              m = QRegularExpression(QStringLiteral("listening on (http://\\S+)"))
                                      .match(QString::fromUtf8(err)),
                              m.hasMatch()),
                             10000);
    const QString base = m.captured(1);

    QNetworkAccessManager nam;
    const auto post = [&](const QString &path, const QByteArray &body) {
        QNetworkRequest request(QUrl(base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = nam.post(request, body);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
            reply->abort();
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        return o;
    };
    const QJsonObject created =
        post(QStringLiteral("/v1/verifications"), R"({"phone":"+919876543210","flow":"signup"})");
    QCOMPARE(created.value(u"status").toString(), QStringLiteral("pending"));
    const QJsonObject approved =
        post(QStringLiteral("/v1/verifications/%1/check").arg(created.value(u"id").toString()),
             "{\"code\":\"" + created.value(u"demo_code").toString().toLatin1() + "\"}");
    QCOMPARE(approved.value(u"status").toString(), QStringLiteral("approved"));
    QVERIFY(!approved.value(u"token").toString().isEmpty());

    ::kill(pid_t(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    err += server.readAllStandardError();
    // One line per request, with the route's pattern (not the verification's id), the status,
    // the number masked and a request id; never the number itself, the code or the token.
    QVERIFY2(err.contains("method=POST route=/v1/verifications status=201 duration_ms="),
             err.constData());
    QVERIFY2(err.contains("method=POST route=/v1/verifications/{id}/check status=200"),
             err.constData());
    QVERIFY2(err.contains(QStringLiteral("phone=\"+91 \u2022\u2022\u2022\u2022\u2022 "
                                         "\u20223210\" request_id=")
                              .toUtf8()),
             err.constData());
    QVERIFY(!err.contains(created.value(u"id").toString().toLatin1()));
    QVERIFY(!err.contains("+919876543210"));
    QVERIFY(!err.contains(approved.value(u"token").toString().toLatin1()));
    // The request's line is the send's: the engine's line for each code sent and the demo
    // sender's are off unless asked for (perSendLinesWhenAsked).
    QVERIFY2(!err.contains("code sent to"), err.constData());
    QVERIFY2(!err.contains("[demo] code for"), err.constData());
    // The data directory is private, the keys in it too.
    QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("data"))).permissions()
                 & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("data/keys/0001.pem"))));
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("data/accounts.sqlite"))));
}

// SIGTERM: a long poll in progress is answered at once, then the server exits with status 0 and
// takes no more connections; a second SIGTERM is not needed.
void tst_ServerCli::terminatedServerFinishesWhatBegan()
{
    QString base;
    QProcess *server = startDemoServer(m_dir->filePath(QStringLiteral("data")), &base);
    QVERIFY(server);
    QNetworkAccessManager nam;
    QNetworkRequest create(QUrl(base + u"/v1/verifications"));
    create.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    std::unique_ptr<QNetworkReply> created(
        nam.post(create, R"({"phone":"+919876543210","flow":"signup"})"));
    QTRY_VERIFY_WITH_TIMEOUT(created->isFinished(), 10000);
    const QString id = QJsonDocument::fromJson(created->readAll()).object().value(u"id").toString();
    QVERIFY(!id.isEmpty());
    // Once the demo delivery is over nothing moves: the poll would wait its 30 s.
    const auto delivered = [&] {
        std::unique_ptr<QNetworkReply> shown(
            nam.get(QNetworkRequest(QUrl(base + u"/v1/verifications/" + id))));
        if (!QTest::qWaitFor([&shown] { return shown->isFinished(); }, 10000))
            return false;
        return QJsonDocument::fromJson(shown->readAll()).object().value(u"delivery")
            == QStringLiteral("delivered");
    };
    QTRY_VERIFY_WITH_TIMEOUT(delivered(), 10000);
    std::unique_ptr<QNetworkReply> poll(
        nam.get(QNetworkRequest(QUrl(base + u"/v1/verifications/" + id + u"?wait=30"))));
    QTest::qWait(1000); // the server has it, on a loaded machine too
    QVERIFY(!poll->isFinished());
    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(server->processId()), SIGTERM);
    QTRY_VERIFY_WITH_TIMEOUT(poll->isFinished(), 10000);
    QCOMPARE(poll->error(), QNetworkReply::NoError);
    QCOMPARE(poll->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(poll->readAll()).object().value(u"id").toString(), id);
    QTRY_COMPARE_WITH_TIMEOUT(server->state(), QProcess::NotRunning, 10000);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(server->exitStatus(), QProcess::NormalExit);
    QCOMPARE(server->exitCode(), 0);
    const QByteArray err = server->readAllStandardError();
    QVERIFY2(err.contains("stopping: no new connections"), err.constData());
    QVERIFY2(err.contains("method=GET route=/v1/verifications/{id} status=200"), err.constData());
}

void tst_ServerCli::perSendLinesWhenAsked()
{
    QString base;
    QProcess *server =
        startDemoServer(m_dir->filePath(QStringLiteral("data")), &base,
                        {{QStringLiteral("QT_LOGGING_RULES"),
                          QStringLiteral("waotp.engine.sends.info=true;waotp.demo.info=true")}});
    QVERIFY(server);
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(base + QStringLiteral("/v1/verifications")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    std::unique_ptr<QNetworkReply> reply(
        nam.post(request, R"({"phone":"+919876543210","flow":"signup"})"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += server->readAllStandardError(),
         err.contains("code sent to +91 \u2022") || err.contains("code sent to")),
        10000);
    QVERIFY2(err.contains("[demo] code for +91"), err.constData());
    QVERIFY(!err.contains("+919876543210"));
    server->terminate();
    QVERIFY(server->waitForFinished(10000));
}

void tst_ServerCli::workerThreadsAreNamed()
{
    QString base;
    QProcess *server = startDemoServer(m_dir->filePath(QStringLiteral("data")), &base);
    QVERIFY(server);
    QNetworkAccessManager nam;
    const auto post = [&](const QString &path, const QByteArray &body) {
        QNetworkRequest request(QUrl(base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
        if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 10000))
            reply->abort();
        return QJsonDocument::fromJson(reply->readAll()).object();
    };
    const QJsonObject created =
        post(QStringLiteral("/v1/verifications"), R"({"phone":"+919876543210","flow":"signup"})");
    const QJsonObject approved =
        post(QStringLiteral("/v1/verifications/%1/check").arg(created.value(u"id").toString()),
             "{\"code\":\"" + created.value(u"demo_code").toString().toLatin1() + "\"}");
    QCOMPARE(approved.value(u"status").toString(), QStringLiteral("approved"));
    // Each worker thread by its name in `top -H` and `ps -L`.
    QStringList names;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(server->processId()));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly))
            names.append(QString::fromUtf8(comm.readAll()).trimmed());
    }
    for (const char *name : {"waotp-accounts", "waotp-parse", "waotp-sign"})
        QVERIFY2(names.contains(QLatin1String(name)), qPrintable(names.join(u' ')));
    server->terminate();
    QVERIFY(server->waitForFinished(10000));
}

QProcess *tst_ServerCli::startDemoServer(const QString &dataDir, QString *base,
                                         const QHash<QString, QString> &env)
{
    auto *server = new QProcess(this);
    server->setProcessEnvironment(environment(env));
    server->start(QStringLiteral(WAOTP_SERVER_BINARY),
                  {QStringLiteral("--demo"), QStringLiteral("--listen"),
                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dataDir});
    QByteArray err;
    QRegularExpressionMatch m;
    const auto listening = [&] {
        err += server->readAllStandardError();
        m = QRegularExpression(QStringLiteral("listening on (http://\\S+)"))
                .match(QString::fromUtf8(err));
        return m.hasMatch();
    };
    if (!server->waitForStarted() || !QTest::qWaitFor(listening, 10000)) {
        server->kill();
        server->waitForFinished();
        qWarning() << err;
        return nullptr;
    }
    *base = m.captured(1);
    return server;
}

void tst_ServerCli::rotateKeyIsPublishedByARunningServer()
{
    const QString data = m_dir->filePath(QStringLiteral("data"));
    QString base;
    QProcess *server = startDemoServer(data, &base);
    QVERIFY(server);
    QNetworkAccessManager nam;
    const auto kids = [&] {
        QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(base + u"/.well-known/jwks.json")));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
            reply->abort();
        QStringList out;
        const QJsonArray keys =
            QJsonDocument::fromJson(reply->readAll()).object().value(u"keys").toArray();
        for (const QJsonValue &k : keys)
            out.append(k.toObject().value(u"kid").toString());
        delete reply;
        return out;
    };
    const QStringList before = kids();
    QCOMPARE(before.size(), 1);

    const Run r = run({QStringLiteral("--rotate-key"), QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("New signing key ") && r.out.contains("published now, signs from"),
             r.out.constData());
    QVERIFY2(r.out.contains(QByteArray(before.first().toLatin1() + " (")), r.out.constData());
    QVERIFY(QFileInfo::exists(data + u"/keys/0002.pem"));

    // The running server publishes it without a restart (it watches the key directory).
    QTRY_COMPARE_WITH_TIMEOUT(kids().size(), 2, 8000);
    QCOMPARE(kids().first(), before.first());
    ::kill(pid_t(server->processId()), SIGTERM);
    QVERIFY(server->waitForFinished(10000));
}

void tst_ServerCli::importAccounts()
{
    // A desktop app's account database, as the app writes it.
    const QString appDb = m_dir->filePath(QStringLiteral("app/accounts.sqlite"));
    QVERIFY(QDir().mkpath(QFileInfo(appDb).absolutePath()));
    const QStringList numbers {QStringLiteral("+919876543210"), QStringLiteral("+919812345678"),
                               QStringLiteral("+14155552671")};
    {
        QString error;
        auto app = waotp::SqliteAccountStore::open(appDb, &error);
        QVERIFY2(app, qPrintable(error));
        for (const QString &n : numbers)
            QCOMPARE(app->createAccount(*waotp::PhoneNumber::parse(n, u"IN").number),
                     waotp::AccountStore::Result::Ok);
    }
    const auto digest = [&] {
        QFile f(appDb);
        return f.open(QIODevice::ReadOnly)
            ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
            : QByteArray();
    };
    const QByteArray before = digest();
    const QString data = m_dir->filePath(QStringLiteral("server-data"));

    Run r = run({QStringLiteral("--import-accounts"), appDb, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Imported 3 accounts") && r.out.contains("3 in the file, 0 already"),
             r.out.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    // Importing again adds nothing.
    r = run({QStringLiteral("--import-accounts"), appDb, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Imported 0 accounts") && r.out.contains("3 already there"),
             r.out.constData());
    QCOMPARE(digest(), before); // the app's file is untouched, and nothing written beside it
    QCOMPARE(QDir(QFileInfo(appDb).absolutePath()).entryList(QDir::Files),
             QStringList {QStringLiteral("accounts.sqlite")});

    // Every account has a stable id of its own, and signs in as an existing account.
    QString error;
    auto accounts = waotp::server::ServerAccounts::open(data + u"/accounts.sqlite", &error);
    QVERIFY2(accounts, qPrintable(error));
    QSet<QString> ids;
    for (const QString &n : numbers) {
        const auto id = accounts->accountId(n);
        QVERIFY(id && id->size() == 22);
        ids.insert(*id);
        const auto signIn = accounts->signIn(*waotp::PhoneNumber::parse(n, u"IN").number);
        QVERIFY(signIn && !signIn->created);
        QCOMPARE(signIn->id, *id);
    }
    QCOMPARE(ids.size(), 3);
}

void tst_ServerCli::importThatStopsPartWayKeepsWhatItAdded()
{
    const auto appDatabase = [this](const QString &name, const QStringList &numbers) {
        const QString path = m_dir->filePath(name + u"/accounts.sqlite");
        QDir().mkpath(QFileInfo(path).absolutePath());
        QString error;
        auto app = waotp::SqliteAccountStore::open(path, &error);
        for (const QString &n : numbers)
            app->createAccount(*waotp::PhoneNumber::parse(n, u"IN").number);
        return path;
    };
    const QString data = m_dir->filePath(QStringLiteral("partial-data"));
    Run r = run({QStringLiteral("--import-accounts"),
                 appDatabase(QStringLiteral("one"), {QStringLiteral("+14155552671")}),
                 QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 0);

    // The server's store fails once it holds three accounts (as a full disk would).
    const QString serverDb = data + u"/accounts.sqlite";
    const auto execute = [&serverDb](const QString &sql) {
        const QString connection = QStringLiteral("trigger");
        bool ok = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(serverDb);
            ok = db.open() && QSqlQuery(db).exec(sql);
        }
        QSqlDatabase::removeDatabase(connection);
        return ok;
    };
    QVERIFY(execute(QStringLiteral(
        "CREATE TRIGGER full BEFORE INSERT ON accounts WHEN (SELECT count(*) FROM accounts) >= 3 "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")));

    // In the file's order: one already there, two added, then the failure.
    const QStringList numbers {QStringLiteral("+14155552671"), QStringLiteral("+919811111111"),
                               QStringLiteral("+919812345678"), QStringLiteral("+919876543210")};
    const QString four = appDatabase(QStringLiteral("four"), numbers);
    r = run({QStringLiteral("--import-accounts"), four, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("waotp-server: the import stopped after adding 2 accounts (they "
                            "stay; running it again adds the rest): the server's account "
                            "store failed: ")
                 && r.err.contains("database or disk is full"),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
    {
        QString error;
        auto accounts = waotp::server::ServerAccounts::open(serverDb, &error);
        QVERIFY2(accounts, qPrintable(error));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(accounts->accountId(numbers.at(i)), qPrintable(numbers.at(i)));
        QVERIFY(!accounts->accountId(numbers.at(3)));
    }

    // Once the store works again, the same import adds the rest.
    QVERIFY(execute(QStringLiteral("DROP TRIGGER full")));
    r = run({QStringLiteral("--import-accounts"), four, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Imported 1 account from")
                 && r.out.contains("4 in the file, 3 already"),
             r.out.constData());
}

void tst_ServerCli::importRefusesWhatIsNotAnAccountDatabase_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("missing") << QByteArray() << QByteArray("does not exist");
    QTest::newRow("text") << QByteArray("+919876543210\n") << QByteArray("not an SQLite database");
    QTest::newRow("other database")
        << QByteArray("sqlite") << QByteArray("not a waotp account database");
    QTest::newRow("newer schema") << QByteArray("newer") << QByteArray("newer waotp");
    // An account database whose accounts' pages are damaged is said to be so.
    QTest::newRow("damaged") << QByteArray("damaged") << QByteArray("malformed");
}

void tst_ServerCli::importRefusesWhatIsNotAnAccountDatabase()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, message);
    const QString file = m_dir->filePath(QStringLiteral("input.sqlite"));
    if (content == "sqlite" || content == "newer" || content == "damaged") {
        const QString connection = QStringLiteral("other");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_size=4096")));
            if (content == "damaged") {
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE accounts (e164 TEXT PRIMARY KEY)")));
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
                QVERIFY(q.exec(QStringLiteral("INSERT INTO accounts VALUES ('+919876543210')")));
            } else {
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE notes (text TEXT)")));
            }
            if (content == "newer")
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=99")));
        }
        QSqlDatabase::removeDatabase(connection);
        if (content == "damaged") { // every page after the schema's is garbage
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite) && f.size() >= 2 * 4096);
            QVERIFY(f.seek(4096));
            f.write(QByteArray(f.size() - 4096, '\xff'));
        }
    } else if (!content.isEmpty()) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const QString data = m_dir->filePath(QStringLiteral("server-data"));
    const Run r =
        run({QStringLiteral("--import-accounts"), file, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("waotp-server: nothing imported: ") && r.err.contains(message),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ServerCli)
#include "tst_servercli.moc"
