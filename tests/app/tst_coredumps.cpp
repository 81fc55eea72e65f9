// A process holding Twilio's credentials (live mode) leaves no core dump: waotp (its window and
// --check-config) and waotp-server run against the loopback fake Twilio are looked at from
// outside, through /proc, while they wait for Twilio's answer: not dumpable, core size limit 0.
// A control child shows the look would see a dumpable process.
#include "FakeTwilioServer.h"
#include "ProcessDumpability.h"
#include "ProgramRun.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>

using namespace waotp::test;

class tst_CoreDumps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void theLookSeesADumpableChild();
    void appCheckConfigInLiveMode();
    void appWindowInLiveMode();
    void serverInLiveMode();

private:
    QProcessEnvironment environment() const;
    void start(QProcess &process, const QString &program, const QStringList &args);
    /// Looks at @p process when its first request reaches the fake Twilio.
    void lookWhenTwilioIsCalled(const QProcess &process);
    void verifyNoCoreDump(const char *what);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeTwilioServer> m_twilio;
    std::optional<Dumpability> m_seen;
};

void tst_CoreDumps::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // The children run as nobody when the test runs as root: the directory is theirs.
    QVERIFY(::chown(QFile::encodeName(m_dir->path()).constData(), childUid(), gid_t(-1)) == 0);
    m_twilio = std::make_unique<FakeTwilioServer>();
    QVERIFY(m_twilio->listen());
    m_seen.reset();
}

void tst_CoreDumps::cleanup()
{
    m_twilio.reset();
    m_dir.reset();
}

QProcessEnvironment tst_CoreDumps::environment() const
{
    return isolatedEnvironment(
        m_dir->path(),
        {{QStringLiteral("TWILIO_ACCOUNT_SID"), FakeTwilioServer::accountSid()},
         {QStringLiteral("TWILIO_AUTH_TOKEN"), FakeTwilioServer::authToken()},
         {QStringLiteral("TWILIO_WHATSAPP_FROM"), FakeTwilioServer::whatsappFrom()},
         {QStringLiteral("TWILIO_API_BASE_URL"), m_twilio->baseUrl().toString()}});
}

void tst_CoreDumps::start(QProcess &process, const QString &program, const QStringList &args)
{
    process.setProcessEnvironment(environment());
    asNobodyIfRoot(process);
    process.start(program, args);
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
}

void tst_CoreDumps::lookWhenTwilioIsCalled(const QProcess &process)
{
    // The fake answers in this process: the child waits for it while /proc is read.
    const qint64 pid = process.processId();
    m_twilio->setOverride([this, pid](const HttpRequest &) -> std::optional<HttpResponse> {
        if (!m_seen)
            m_seen = dumpabilityOf(pid);
        return std::nullopt;
    });
}

void tst_CoreDumps::verifyNoCoreDump(const char *what)
{
    QVERIFY2(m_seen, what);
    QVERIFY2(!m_seen->dumpable, what);
    QCOMPARE(m_seen->coreSoft, QByteArray("0"));
    QCOMPARE(m_seen->coreHard, QByteArray("0"));
}

void tst_CoreDumps::theLookSeesADumpableChild()
{
    QProcess sleeper;
    start(sleeper, QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
    const std::optional<Dumpability> d = dumpabilityOf(sleeper.processId());
    sleeper.kill();
    sleeper.waitForFinished();
    QVERIFY(d);
    QVERIFY(d->dumpable);
}

void tst_CoreDumps::appCheckConfigInLiveMode()
{
    QProcess app;
    start(app, QStringLiteral(WAOTP_BINARY), {QStringLiteral("--check-config")});
    lookWhenTwilioIsCalled(app);
    QTRY_COMPARE_WITH_TIMEOUT(app.state(), QProcess::NotRunning, 60'000);
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    verifyNoCoreDump("waotp --check-config");
}

void tst_CoreDumps::appWindowInLiveMode()
{
    // A script's run sends at once: the window is up, live, and holds the code it sent.
    QProcess app;
    start(app, QStringLiteral(WAOTP_BINARY),
          {QStringLiteral("--print-result"), QStringLiteral("--phone"),
           QStringLiteral("+919876543210"), QStringLiteral("--data-dir"),
           m_dir->filePath(QStringLiteral("data"))});
    lookWhenTwilioIsCalled(app);
    QTRY_VERIFY_WITH_TIMEOUT(m_seen || app.state() == QProcess::NotRunning, 60'000);
    const QByteArray err = app.readAllStandardError();
    app.kill();
    app.waitForFinished();
    QVERIFY2(m_seen, err.constData());
    verifyNoCoreDump("waotp's window");
}

void tst_CoreDumps::serverInLiveMode()
{
    QProcess server;
    start(server, QStringLiteral(WAOTP_SERVER_BINARY),
          {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
           m_dir->filePath(QStringLiteral("data"))});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += server.readAllStandardError(),
                              err.contains("listening on") || server.state() != QProcess::Running),
                             30'000);
    QVERIFY2(err.contains("listening on"), err.constData());
    m_seen = dumpabilityOf(server.processId());
    ::kill(pid_t(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(10'000));
    verifyNoCoreDump("waotp-server");
}

QTEST_GUILESS_MAIN(tst_CoreDumps)
#include "tst_coredumps.moc"
