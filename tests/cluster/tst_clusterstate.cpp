// Three real waotp-server instances that share one Redis (codes, verifications, limits), one
// PostgreSQL database (accounts) and one key directory, as README's "Several servers" runs
// them: any instance answers for a verification another created; the per-client limits and the
// send budget hold for the cluster, not per instance; two instances given the same right code at
// once approve it once; and an instance killed with SIGKILL in the middle of a run of sign-ins
// through HAProxy loses no verified account and no limit state, while the proxy's clients are
// served by the others.
#include "ClusterHttp.h"
#include "HaproxyProcess.h"
#include "WaotpCluster.h"

#include <QRegularExpression>
#include <QTest>

#include <vector>

using namespace waotp::test;

namespace {

QByteArray phone(int n)
{
    return "+9198766" + QByteArray::number(10000 + n);
}

/// The n-th client address (127.0.1.n): one test plays many clients.
QHostAddress client(int n)
{
    return QHostAddress(QStringLiteral("127.0.%1.%2").arg(1 + n / 250).arg(1 + n % 250));
}

} // namespace

class tst_ClusterState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();

    void anyInstanceAnswersForAVerification();
    void liveCodeSentByOneIsCheckedByAnother();
    void perClientLimitHoldsAcrossInstances();
    void sendBudgetHoldsAcrossInstances();
    void sameRightCodeAtOnceApprovesOnce();
    void killedInstanceLosesNothing();

private:
    void startCluster(const QHash<QString, QString> &settings,
                      WaotpCluster::Mode mode = WaotpCluster::Mode::Demo);
    quint16 port(int i) { return m_cluster->instance(i).port(); }
    /// The account id PostgreSQL holds for @p number ("" if none).
    QString accountId(const QByteArray &number);

    std::unique_ptr<WaotpCluster> m_cluster;
    std::unique_ptr<HaproxyProcess> m_proxy;
};

void tst_ClusterState::cleanup()
{
    m_proxy.reset();
    m_cluster.reset();
}

void tst_ClusterState::startCluster(const QHash<QString, QString> &settings,
                                    WaotpCluster::Mode mode)
{
    m_cluster = std::make_unique<WaotpCluster>(QStringLiteral(WAOTP_SERVER_BINARY));
    QVERIFY2(m_cluster->start(3, settings, mode), qPrintable(m_cluster->errorString()));
}

QString tst_ClusterState::accountId(const QByteArray &number)
{
    return m_cluster
        ->psql(QStringLiteral("SELECT account_id FROM server_account_ids WHERE e164 = '%1'")
                   .arg(QString::fromLatin1(number)))
        .value_or(QString());
}

void tst_ClusterState::anyInstanceAnswersForAVerification()
{
    startCluster({});
    const HttpAnswer created = create(port(0), phone(1));
    QCOMPARE(created.status, 201);
    const QString id = created.value(u"id");
    const QString code = created.value(u"demo_code");
    QCOMPARE(code.size(), 6);

    // The others know it.
    const HttpAnswer seen = http(port(2), "GET", "/v1/verifications/" + id.toLatin1());
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.value(u"status"), QStringLiteral("pending"));
    QCOMPARE(seen.value(u"phone"), QString::fromLatin1(phone(1)));
    // Wrong codes count once for all of them.
    const QString wrong = code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000");
    const HttpAnswer first = http(port(1), "POST", checkPath(id), codeBody(wrong));
    QCOMPARE(first.status, 422);
    QCOMPARE(first.json().value(u"attempts_left").toInt(), 4);
    const HttpAnswer second = http(port(2), "POST", checkPath(id), codeBody(wrong));
    QCOMPARE(second.status, 422);
    QCOMPARE(second.json().value(u"attempts_left").toInt(), 3);
    // The right code, at a third instance than the one that sent it.
    const HttpAnswer approved = http(port(2), "POST", checkPath(id), codeBody(code));
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.value(u"status"), QStringLiteral("approved"));
    const QString sub = tokenClaims(approved.value(u"token")).value(u"sub").toString();
    QVERIFY(!sub.isEmpty());
    QCOMPARE(accountId(phone(1)), sub);
    // Used: no instance takes it again.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(http(port(i), "POST", checkPath(id), codeBody(code)).status, 404);
}

void tst_ClusterState::liveCodeSentByOneIsCheckedByAnother()
{
    startCluster({}, WaotpCluster::Mode::Live);
    FakeTwilioServer *twilio = m_cluster->twilio();
    const HttpAnswer created = create(port(0), phone(2));
    QCOMPARE(created.status, 201);
    QVERIFY(!created.json().contains(u"demo_code"));
    QCOMPARE(twilio->messageCreates().size(), 1); // one message, sent by the instance asked
    const QString body = twilio->messageCreates().first().formValue(QStringLiteral("Body"));
    const QString code =
        QRegularExpression(QStringLiteral("\\b([0-9]{6})\\b")).match(body).captured(1);
    QCOMPARE(code.size(), 6);
    const HttpAnswer approved =
        http(port(1), "POST", checkPath(created.value(u"id")), codeBody(code));
    QCOMPARE(approved.status, 200);
    QCOMPARE(accountId(phone(2)), tokenClaims(approved.value(u"token")).value(u"sub").toString());
    QCOMPARE(twilio->messageCreates().size(), 1);
}

void tst_ClusterState::perClientLimitHoldsAcrossInstances()
{
    startCluster({{QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("3/1h")}});
    const QHostAddress a = client(0), b = client(1);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(create(port(i), phone(10 + i), "signup", a).status, 201);
    // The fourth is refused whichever instance it reaches.
    for (int i = 0; i < 3; ++i) {
        const HttpAnswer refused = create(port(i), phone(20 + i), "signup", a);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.value(u"scope"), QStringLiteral("ip"));
        QVERIFY(refused.json().value(u"retry_after").toInt() > 0);
    }
    // Another client is not.
    QCOMPARE(create(port(0), phone(30), "signup", b).status, 201);
}

void tst_ClusterState::sendBudgetHoldsAcrossInstances()
{
    startCluster({{QStringLiteral("WAOTP_MAX_SENDS_PER_MINUTE"), QStringLiteral("4")},
                  {QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("off")}});
    for (int i = 0; i < 4; ++i)
        QCOMPARE(create(port(i % 3), phone(40 + i), "signup", client(i)).status, 201);
    // The fifth send of the minute, at any instance and from any client, is over the budget.
    for (int i = 0; i < 3; ++i) {
        const HttpAnswer refused = create(port(i), phone(50 + i), "signup", client(10 + i));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.value(u"error"), QStringLiteral("send_budget_exhausted"));
        QCOMPARE(refused.value(u"scope"), QStringLiteral("minute"));
        QVERIFY(!refused.header("Retry-After").isEmpty());
    }
}

void tst_ClusterState::sameRightCodeAtOnceApprovesOnce()
{
    startCluster({{QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("off")}});
    for (int round = 0; round < 8; ++round) {
        const QByteArray number = phone(60 + round);
        const HttpAnswer created = create(port(round % 3), number);
        QCOMPARE(created.status, 201);
        const QByteArray path = checkPath(created.value(u"id"));
        const QByteArray body = codeBody(created.value(u"demo_code"));
        // Sent together to two other instances.
        HttpCall one(port((round + 1) % 3), "POST", path, body);
        HttpCall two(port((round + 2) % 3), "POST", path, body);
        const HttpAnswer answers[] = {one.wait(), two.wait()};
        int approved = 0;
        QString sub;
        for (const HttpAnswer &a : answers) {
            if (a.status == 200) {
                ++approved;
                QCOMPARE(a.value(u"status"), QStringLiteral("approved"));
                sub = tokenClaims(a.value(u"token")).value(u"sub").toString();
            } else {
                QVERIFY2(a.status == 404, a.body.constData()); // already used
            }
        }
        QCOMPARE(approved, 1);
        QCOMPARE(accountId(number), sub);
    }
    QCOMPARE(m_cluster->psql(QStringLiteral("SELECT count(*) FROM accounts")), QStringLiteral("8"));
}

void tst_ClusterState::killedInstanceLosesNothing()
{
    startCluster({{QStringLiteral("WAOTP_SENDS_PER_IP"), QStringLiteral("2/1h")},
                  {QStringLiteral("WAOTP_RESEND_COOLDOWN"), QStringLiteral("0")}});
    m_proxy = std::make_unique<HaproxyProcess>(QStringLiteral(WAOTP_HAPROXY_SAMPLE));
    QVERIFY2(m_proxy->start(m_cluster->ports()), qPrintable(m_proxy->errorString()));
    QVERIFY(QTest::qWaitFor(
        [this] {
            const auto states = m_proxy->serverStates();
            return states.size() == 3 && !QStringList(states.values()).join(u' ').contains(u"DOWN");
        },
        15000));
    const quint16 proxy = m_proxy->port();

    // Limit state made at the instance that will die: a client that used its sends there.
    const QHostAddress spent = client(200);
    QCOMPARE(create(port(1), phone(90), "signup", spent).status, 201);
    QCOMPARE(create(port(1), phone(91), "signup", spent).status, 201);

    // Sign-ups through the proxy, three at a time, each from its own client; the instance dies
    // while the third batch's checks are in flight.
    constexpr int Batches = 8, PerBatch = 3;
    QHash<QByteArray, QString> subs; // number -> the token's sub the client was given
    int failures = 0;
    for (int batch = 0; batch < Batches; ++batch) {
        std::vector<QByteArray> numbers;
        std::vector<std::unique_ptr<HttpCall>> creates;
        for (int k = 0; k < PerBatch; ++k) {
            const int n = batch * PerBatch + k;
            numbers.push_back(phone(100 + n));
            creates.push_back(std::make_unique<HttpCall>(proxy, "POST", "/v1/verifications",
                                                         "{\"phone\":\"" + numbers.back()
                                                             + "\",\"flow\":\"signup\"}",
                                                         HeaderPairs {}, client(n)));
        }
        std::vector<HttpAnswer> created;
        for (auto &c : creates)
            created.push_back(c->wait());
        std::vector<std::unique_ptr<HttpCall>> checks;
        for (int k = 0; k < PerBatch; ++k) {
            QCOMPARE(created[k].status, 201); // sends reach a live instance (or are redispatched)
            checks.push_back(
                std::make_unique<HttpCall>(proxy, "POST", checkPath(created[k].value(u"id")),
                                           codeBody(created[k].value(u"demo_code")), HeaderPairs {},
                                           client(batch * PerBatch + k)));
        }
        if (batch == 2)
            m_cluster->instance(1).kill();
        for (int k = 0; k < PerBatch; ++k) {
            HttpAnswer a = checks[k]->wait();
            // Cut by the kill: the client asks again; the verification is in Redis.
            for (int retry = 0; retry < 3 && a.status != 200 && a.status != 404; ++retry) {
                ++failures;
                a = http(proxy, "POST", checkPath(created[k].value(u"id")),
                         codeBody(created[k].value(u"demo_code")), {},
                         client(batch * PerBatch + k));
            }
            if (a.status == 200)
                subs.insert(numbers[k], tokenClaims(a.value(u"token")).value(u"sub").toString());
            else
                QCOMPARE(a.status, 404); // approved by the instance that died before it answered
        }
    }
    // Only requests the dead instance held were cut; everyone else was served.
    QVERIFY2(failures <= PerBatch, qPrintable(QString::number(failures)));
    QVERIFY(subs.size() >= Batches * PerBatch - PerBatch);
    // Every sign-up a client saw approved has its account, under the id its token names.
    for (auto it = subs.cbegin(); it != subs.cend(); ++it)
        QCOMPARE(accountId(it.key()), it.value());
    // The limit state the dead instance wrote lives on: the client is still over its limit.
    for (int i : {0, 2}) {
        const HttpAnswer refused = create(port(i), phone(92), "signup", spent);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.value(u"scope"), QStringLiteral("ip"));
    }
}

QTEST_GUILESS_MAIN(tst_ClusterState)
#include "tst_clusterstate.moc"
