// The access log: one logfmt line per request (method, route pattern, status, duration, masked
// number, request id), written in blocks (at 32 KiB, 200 ms after the first waiting line, at the
// end), and the request ids (X-Request-Id echoed when it is sensible, made otherwise). Through
// the API: the line of each request, and nothing in it that must not be there.
#include "ServerApiFixture.h"
#include "server/monitor/AccessLog.h"

#include <QRegularExpression>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_AccessLog : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void lineFormat();
    void writtenInBlocks();
    void requestIds_data();
    void requestIds();
    void newRequestIds();
    void throughTheApi();

private:
    QStringList m_lines;
};

void tst_AccessLog::lineFormat()
{
    QByteArray written;
    {
        AccessLog log;
        log.setSink([&written](QByteArrayView block) { written += block; });
        log.write({"POST", "/v1/verifications/{id}/check", 422, 1'234'567ns,
                   QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210"), "Ab-1"});
        log.write({"GET", "/healthz", 200, 30us, {}, "x"});
    }
    const QList<QByteArray> lines = written.split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.last().isEmpty());
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
                                "method=POST route=/v1/verifications/\\{id\\}/check "
                                "status=422 duration_ms=1\\.234 phone=\"\\+91 \u2022{5} "
                                "\u20223210\" request_id=Ab-1$"))
                 .match(QString::fromUtf8(lines.at(0)))
                 .hasMatch(),
             lines.at(0).constData());
    QVERIFY2(lines.at(1).endsWith(
                 " method=GET route=/healthz status=200 duration_ms=0.030 request_id=x"),
             lines.at(1).constData());
}

void tst_AccessLog::writtenInBlocks()
{
    QList<QByteArray> blocks;
    auto log = std::make_unique<AccessLog>();
    log->setSink([&blocks](QByteArrayView block) { blocks.append(block.toByteArray()); });
    log->write({"GET", "/healthz", 200, 1us, {}, "a"});
    log->write({"GET", "/healthz", 200, 1us, {}, "b"});
    QVERIFY(blocks.isEmpty()); // gathered...
    QTRY_COMPARE_WITH_TIMEOUT(blocks.size(), 1, 2000); // ...and written soon after
    QCOMPARE(blocks.first().count('\n'), 2);

    // A full block goes at once.
    blocks.clear();
    int lines = 0;
    while (blocks.isEmpty()) {
        log->write({"GET", "/healthz", 200, 1us, {}, "c"});
        ++lines;
    }
    QVERIFY(blocks.first().size() >= 32 * 1024);
    QCOMPARE(blocks.first().count('\n'), lines);
    // What waits is written when the log goes.
    log->write({"GET", "/healthz", 200, 1us, {}, "last"});
    log.reset();
    QCOMPARE(blocks.size(), 2);
    QVERIFY(blocks.last().endsWith("request_id=last\n"));
}

void tst_AccessLog::requestIds_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("uuid") << QByteArray("0f8fad5b-d9cb-469f-a165-70867728950e") << true;
    QTest::newRow("base64") << QByteArray("Xk3P9aQ2/x+y=") << true;
    QTest::newRow("trace") << QByteArray("Root=1-67891233-abcdef012345678912345678") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("a space") << QByteArray("a b") << false;
    QTest::newRow("a quote") << QByteArray("a\"b") << false;
    QTest::newRow("a newline") << QByteArray("a\nmethod=GET") << false;
    QTest::newRow("not ASCII") << QByteArray("caf\xc3\xa9") << false;
    QTest::newRow("too long") << QByteArray(129, 'a') << false;
    QTest::newRow("just long enough") << QByteArray(128, 'a') << true;
}

void tst_AccessLog::requestIds()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, accepted);
    const auto id = acceptedRequestId(header);
    QCOMPARE(id.has_value(), accepted);
    if (accepted)
        QCOMPARE(*id, header);
}

void tst_AccessLog::newRequestIds()
{
    QSet<QByteArray> seen;
    static const QRegularExpression form(QStringLiteral("^[A-Za-z0-9_-]{8}-[0-9a-z]+$"));
    for (int i = 0; i < 1000; ++i) {
        const QByteArray id = nextRequestId();
        QVERIFY2(form.match(QString::fromLatin1(id)).hasMatch(), id.constData());
        QVERIFY(acceptedRequestId(id));
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 1000);
}

void tst_AccessLog::throughTheApi()
{
    setUpServer();
    QVERIFY(m_server->accessLog());
    m_server->accessLog()->setSink([this](QByteArrayView block) {
        m_lines += QString::fromUtf8(block).split(u'\n', Qt::SkipEmptyParts);
    });
    const Reply created = call("POST", QStringLiteral("/v1/verifications"),
                               R"({"phone":"+919876543210","flow":"signup"})", "application/json",
                               {{"X-Request-Id", "client-chosen-42"}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("X-Request-Id"), QByteArray("client-chosen-42"));
    const QString id = created.string(u"id");
    const QString code = created.string(u"demo_code");
    const Reply approved = call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id),
                                "{\"code\":\"" + code.toLatin1() + "\"}", "application/json",
                                {{"X-Request-Id", "bad id with spaces"}});
    QCOMPARE(approved.status, 200);
    const QByteArray made = approved.header("X-Request-Id");
    QVERIFY(!made.isEmpty() && !made.contains(' '));
    QCOMPARE(call("GET", QStringLiteral("/nowhere")).status, 404);
    // What the HTTP layer refuses by itself has its line too.
    const Reply tooLarge =
        call("POST", QStringLiteral("/v1/verifications"), QByteArray(64 * 1024, '{'));
    QCOMPARE(tooLarge.status, 413);
    QVERIFY(!tooLarge.header("X-Request-Id").isEmpty());
    m_server->accessLog()->flush();
    tearDownServer();

    QCOMPARE(m_lines.size(), 4);
    QVERIFY2(m_lines.at(0).contains(
                 QStringLiteral(" method=POST route=/v1/verifications status=201 duration_ms=")),
             qPrintable(m_lines.at(0)));
    QVERIFY2(m_lines.at(0).endsWith(
                 QStringLiteral(" phone=\"+91 \u2022\u2022\u2022\u2022\u2022 \u20223210\" "
                                "request_id=client-chosen-42")),
             qPrintable(m_lines.at(0)));
    QVERIFY2(m_lines.at(1).contains(
                 QStringLiteral(" method=POST route=/v1/verifications/{id}/check status=200 ")),
             qPrintable(m_lines.at(1)));
    QVERIFY2(m_lines.at(1).endsWith(u" request_id=" + QString::fromLatin1(made)),
             qPrintable(m_lines.at(1)));
    QVERIFY2(m_lines.at(2).contains(QStringLiteral(" method=GET route=unmatched status=404 ")),
             qPrintable(m_lines.at(2)));
    QVERIFY2(m_lines.at(3).contains(QStringLiteral(" method=- route=unmatched status=413 ")),
             qPrintable(m_lines.at(3)));
    for (const QString &line : std::as_const(m_lines)) {
        QVERIFY(!line.contains(id));
        QVERIFY(!line.contains(code));
        QVERIFY(!line.contains(u"+919876543210"));
        QVERIFY(!line.contains(approved.string(u"token")));
    }
}

QTEST_GUILESS_MAIN(tst_AccessLog)
#include "tst_accesslog.moc"
