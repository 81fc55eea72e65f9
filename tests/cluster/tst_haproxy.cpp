// The sample HAProxy configuration (packaging/haproxy/waotp.cfg) in front of three real
// waotp-server instances sharing Redis, PostgreSQL and a key directory: HAProxy accepts the
// file; requests are spread over every instance; an instance killed with SIGKILL leaves the
// rotation through the /readyz health check while clients keep being served, and comes back
// when it is started again; the client's address reaches the servers in X-Forwarded-For and the
// per-client limits count it (and nothing a client forges to its left); bodies over the server's
// limit stop at the proxy with the server's answer.
#include "ClusterHttp.h"
#include "HaproxyProcess.h"
#include "WaotpCluster.h"
#include "server/ServerSettings.h"
#include "server/api/ApiRequests.h"
#include "server/token/AccountsThread.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp::test;

namespace {

const QString Sample = QStringLiteral(WAOTP_HAPROXY_SAMPLE);

/// A "timeout NAME" of @p config, in seconds (-1 if absent).
int timeoutSeconds(const QString &config, const QString &name)
{
    const QRegularExpression re(QStringLiteral("^\\s*timeout\\s+")
                                    + QRegularExpression::escape(name)
                                    + QStringLiteral("\\s+(\\d+)(ms|s|m)?\\s*$"),
                                QRegularExpression::MultilineOption);
    const auto m = re.match(config);
    if (!m.hasMatch())
        return -1;
    const int n = m.captured(1).toInt();
    const QString unit = m.captured(2);
    return unit == u"m" ? n * 60 : unit == u"s" ? n : n / 1000;
}

QByteArray phone(int n)
{
    return "+9198765" + QByteArray::number(10000 + n);
}

} // namespace

class tst_Haproxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void sampleIsValid();
    void checkOutlastsTheReadinessWait();
    void spreadsOverEveryInstance();
    void killedInstanceLeavesTheRotation();
    void forwardedForNamesTheClient();
    void oversizedBodyStopsAtTheProxy();

private:
    void startCluster(const QHash<QString, QString> &settings = {});
    bool allUp();
    int get(const QByteArray &path = "/healthz")
    {
        return http(m_proxy->port(), "GET", path).status;
    }

    std::unique_ptr<WaotpCluster> m_cluster;
    std::unique_ptr<HaproxyProcess> m_proxy;
};

void tst_Haproxy::initTestCase()
{
    QVERIFY2(!HaproxyProcess::program().isEmpty(), "haproxy is not installed (Debian haproxy)");
}

void tst_Haproxy::cleanup()
{
    m_proxy.reset();
    m_cluster.reset();
}

void tst_Haproxy::startCluster(const QHash<QString, QString> &settings)
{
    m_cluster = std::make_unique<WaotpCluster>(QStringLiteral(WAOTP_SERVER_BINARY));
    QVERIFY2(m_cluster->start(3, settings), qPrintable(m_cluster->errorString()));
    m_proxy = std::make_unique<HaproxyProcess>(Sample);
    QVERIFY2(m_proxy->start(m_cluster->ports()), qPrintable(m_proxy->errorString()));
    QVERIFY2(QTest::qWaitFor([this] { return allUp(); }, 15000),
             qPrintable(QStringList(m_proxy->serverStates().values()).join(u' ')));
}

bool tst_Haproxy::allUp()
{
    const auto states = m_proxy->serverStates();
    return states.size() == 3
        && std::all_of(states.cbegin(), states.cend(), [](const QString &s) { return s == u"UP"; });
}

void tst_Haproxy::sampleIsValid()
{
    QByteArray output;
    QCOMPARE(HaproxyProcess::check(Sample, &output), 0);
    QVERIFY2(output.contains("Configuration file is valid"), output.constData());

    // What the tests run is the sample with their servers and ports, and valid too.
    QFile sample(Sample);
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(sample.readAll());
    const QString rewritten = HaproxyProcess::testConfig(text, {18001, 18002}, 18000, 18009);
    QVERIFY(
        rewritten.contains(u"server waotp1 127.0.0.1:18001\n    server waotp2 127.0.0.1:18002\n"));
    QVERIFY(!rewritten.contains(u":8470"));
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("test.cfg")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(rewritten.toUtf8()) > 0);
    file.close();
    QCOMPARE(HaproxyProcess::check(file.fileName(), &output), 0);

    // Health checks on /readyz, the client's address forwarded, round robin.
    QVERIFY(text.contains(u"option httpchk GET /readyz"));
    QVERIFY(text.contains(u"option forwardfor"));
    QVERIFY(text.contains(u"balance roundrobin"));
    // No answer is cut short: the longest long poll fits on both sides, with room for a send.
    const int longest = waotp::server::MaxWaitSeconds;
    QVERIFY2(timeoutSeconds(text, QStringLiteral("server")) >= longest + 10,
             "timeout server must outlast the longest ?wait=");
    QVERIFY2(timeoutSeconds(text, QStringLiteral("client")) >= longest + 10,
             "timeout client must outlast the longest ?wait=");
    // A request's head as slow as the server allows (its read_timeout, 10 s) still gets through.
    QCOMPARE(timeoutSeconds(text, QStringLiteral("http-request")), 10);
}

// /readyz waits for the database up to the server's readiness wait (its database_timeout) and
// then answers 503: HAProxy's check must wait longer, so that a slow database is heard as the
// 503 it is, not taken for a dead instance.
void tst_Haproxy::checkOutlastsTheReadinessWait()
{
    QFile sample(Sample);
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(sample.readAll());
    // The server as an instance runs it without database_timeout set, its limits as it makes
    // them.
    QTemporaryDir dir;
    waotp::server::ServerSettings settings;
    settings.dataDir = dir.path();
    waotp::server::DatabaseLimits limits;
    limits.deadline = settings.databaseTimeout;
    limits.queueLimit = settings.databaseQueueLimit;
    QString why;
    const auto accounts =
        waotp::server::AccountsThread::open(settings.accountDatabase(), limits, &why);
    QVERIFY2(accounts, qPrintable(why));
    const std::chrono::milliseconds wait = accounts->readinessWait();
    QVERIFY(wait >= std::chrono::seconds(1));
    const int check = timeoutSeconds(text, QStringLiteral("check"));
    QVERIFY2(check > 0, "the sample sets no timeout check");
    // With a second to spare for the answer itself.
    QVERIFY2(std::chrono::seconds(check) >= wait + std::chrono::seconds(1),
             qPrintable(QStringLiteral("timeout check %1s, /readyz may wait %2 ms")
                            .arg(check)
                            .arg(wait.count())));
}

void tst_Haproxy::spreadsOverEveryInstance()
{
    startCluster();
    const auto before = m_proxy->serverResponses();
    for (int i = 0; i < 30; ++i)
        QCOMPARE(get(), 200);
    const auto after = m_proxy->serverResponses();
    for (const QString &name :
         {QStringLiteral("waotp1"), QStringLiteral("waotp2"), QStringLiteral("waotp3")})
        QCOMPARE(after.value(name) - before.value(name), 10); // round robin: a third each
    // And each instance says so itself, in its access log.
    for (int i = 0; i < 3; ++i) {
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return m_cluster->instance(i).log().count("route=/healthz") >= 10; }, 5000),
            m_cluster->instance(i).log().right(800).constData());
    }
}

void tst_Haproxy::killedInstanceLeavesTheRotation()
{
    startCluster();
    QCOMPARE(get(), 200);
    m_cluster->instance(1).kill(); // SIGKILL: no goodbye

    // Before any check has noticed, a request sent to it finds the door shut and is sent to
    // another instance: every client is served.
    for (int i = 0; i < 12; ++i)
        QCOMPARE(get(), 200);
    // The health check takes it out (fall 2, inter 2 s).
    QVERIFY2(
        QTest::qWaitFor(
            [this] {
                return m_proxy->serverStates().value(QStringLiteral("waotp2")).startsWith(u"DOWN");
            },
            15000),
        qPrintable(m_proxy->serverStates().value(QStringLiteral("waotp2"))));
    const auto before = m_proxy->serverResponses();
    for (int i = 0; i < 20; ++i)
        QCOMPARE(get(), 200);
    const auto after = m_proxy->serverResponses();
    QCOMPARE(after.value(QStringLiteral("waotp2")), before.value(QStringLiteral("waotp2")));
    QCOMPARE(after.value(QStringLiteral("waotp1")) - before.value(QStringLiteral("waotp1")), 10);
    QCOMPARE(after.value(QStringLiteral("waotp3")) - before.value(QStringLiteral("waotp3")), 10);

    // Started again on its port, it comes back (rise 2) and gets its share.
    QVERIFY2(m_cluster->restart(1), qPrintable(m_cluster->errorString()));
    QVERIFY(QTest::qWaitFor([this] { return allUp(); }, 15000));
    const auto back = m_proxy->serverResponses();
    for (int i = 0; i < 30; ++i)
        QCOMPARE(get(), 200);
    QCOMPARE(m_proxy->serverResponses().value(QStringLiteral("waotp2"))
                 - back.value(QStringLiteral("waotp2")),
             10);
}

void tst_Haproxy::forwardedForNamesTheClient()
{
    // One send per client address per hour; the instances trust the proxy (127.0.0.1) only.
    startCluster({{QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("1/1h")}});
    const QHostAddress a(QStringLiteral("127.0.0.2")), b(QStringLiteral("127.0.0.3")),
        c(QStringLiteral("127.0.0.4"));
    const quint16 port = m_proxy->port();

    // Client A: once its limit is used up (on one instance, or on each of the three while the
    // instances count apart), every instance refuses it, by its address.
    int sent = 0;
    for (int i = 0; i < 9; ++i) {
        const HttpAnswer r = create(port, phone(i), "signup", a);
        if (r.status == 201) {
            ++sent;
            QVERIFY2(i < 3, "a client got more than its limit");
        } else {
            QCOMPARE(r.status, 429);
            QCOMPARE(r.value(u"scope"), QStringLiteral("ip"));
            QVERIFY(!r.header("Retry-After").isEmpty());
        }
    }
    QVERIFY(sent >= 1 && sent <= 3);
    // Client B behind the same proxy has a limit of its own: the proxy's address is not the one
    // counted.
    QCOMPARE(create(port, phone(20), "signup", b).status, 201);
    // A address that A writes itself is not believed: the servers read X-Forwarded-For from the
    // right and take the first address the proxy did not write, A's own.
    for (const QByteArray &forged :
         {QByteArray("127.0.0.9"), QByteArray("127.0.0.1"), QByteArray("127.0.0.9, 127.0.0.1")}) {
        const HttpAnswer r = create(port, phone(30), "signup", a, {{"X-Forwarded-For", forged}});
        QCOMPARE(r.status, 429);
        QCOMPARE(r.value(u"scope"), QStringLiteral("ip"));
    }
    // Nor can client C spend A's limit by claiming A's address.
    QCOMPARE(create(port, phone(40), "signup", c, {{"X-Forwarded-For", "127.0.0.2"}}).status, 201);
}

void tst_Haproxy::oversizedBodyStopsAtTheProxy()
{
    startCluster();
    const auto before = m_proxy->serverResponses();
    // Over the server's max_body_size: refused by the proxy, in the server's words.
    const HttpAnswer big =
        http(m_proxy->port(), "POST", "/v1/verifications", QByteArray(16385, 'x'));
    QCOMPARE(big.status, 413);
    QCOMPARE(big.value(u"error"), QStringLiteral("body_too_large"));
    const auto after = m_proxy->serverResponses();
    qint64 reached = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        reached += it.value() - before.value(it.key());
    QCOMPARE(reached, 0);
    // At the limit: the body reaches a server, which judges it (not JSON: 400).
    const HttpAnswer fits =
        http(m_proxy->port(), "POST", "/v1/verifications", QByteArray(16384, 'x'));
    QCOMPARE(fits.status, 400);
    QCOMPARE(fits.value(u"error"), QStringLiteral("malformed_json"));
    // A header over the server's max_header_size but within HAProxy's: the server's 431.
    const HttpAnswer header =
        http(m_proxy->port(), "GET", "/healthz", {}, {{"X-Padding", QByteArray(9000, 'p')}});
    QCOMPARE(header.status, 431);
    QCOMPARE(header.value(u"error"), QStringLiteral("headers_too_large"));
}

QTEST_GUILESS_MAIN(tst_Haproxy)
#include "tst_haproxy.moc"
