// The HTTP layer against real sockets: keep-alive, pipelining, answers given later, and every
// limit: body and header size, read and idle timeouts, the connection cap.
#include "RawHttpClient.h"
#include "server/http/HttpServer.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace waotp::server;
using waotp::test::RawHttpClient;
using namespace std::chrono_literals;

class tst_HttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void answersAndKeepsAlive();
    void closesWhenAsked();
    void pipelinedRequestsAreAnsweredInOrder();
    void answersLargerThanTheKernelTakesArriveWhole();
    void answersLaterWithoutBlockingOthers();
    void clientGoneWhileWaiting();
    void droppedResponderAnswers500();
    void bodyOverTheCapGets413BeforeTheBody();
    void bodyOverTheCapGets413WhileSending();
    void headerFloodGets431();
    void endlessChunkFramingGets431();
    void malformedRequestGets400();
    void halfRequestTimesOut();
    void slowClientTimesOut();
    void aLoneCarriageReturnTimesOutButAnEmptyLineDoesNot();
    void idleConnectionIsClosed();
    void connectionCap();
    void oneConnectionLeavesPerClientWaiting();
    void aConnectionJustComeIsNotTakenAtTheCap();
    void idleConnectionsMakeRoomAtTheCap();
    void connectionsPerClientAreCapped();
    void uncappedClientsHaveNoCap();
    void aRefusedConnectionMakesNoRoomAtTheCap();
    void expectContinue();
    void drainFinishesWhatBegan();
    void headHasNoBody();
    void http10KeepAliveIsSaid();
    void drainEndsAtItsDeadline();

private:
    void start(HttpServerLimits limits = {});
    void waitAtTheCap(RawHttpClient &a, const QByteArray &aHeaders, RawHttpClient &b,
                      RawHttpClient &c);

    std::unique_ptr<HttpServer> m_server;
    QList<HttpRequest> m_received;
    std::vector<HttpResponder> m_held; // answers the test gives later
    bool m_hold = false;
};

void tst_HttpServer::init()
{
    m_received.clear();
    m_held.clear();
    m_hold = false;
}

void tst_HttpServer::cleanup()
{
    m_held.clear();
    m_server.reset();
}

void tst_HttpServer::start(HttpServerLimits limits)
{
    m_server = std::make_unique<HttpServer>(
        limits,
        [this](HttpRequest &&request, HttpResponder &&responder) {
            m_received.append(request);
            if (m_hold || request.path == "/hold") {
                m_held.push_back(std::move(responder));
                return;
            }
            if (request.path == "/drop")
                return; // the responder goes out of scope unanswered
            if (request.path.startsWith("/big/")) {
                // Bytes that differ from one answer to the next and along each one.
                const char seed = request.path.back();
                QByteArray big(8 * 1024 * 1024, Qt::Uninitialized);
                for (qsizetype i = 0; i < big.size(); ++i)
                    big[i] = char('a' + (i / 7 + seed) % 26);
                responder.respond({200, "text/plain", {}, big});
                return;
            }
            HttpResponse r;
            r.body = "{\"path\":\"" + request.path
                + "\",\"body\":" + QByteArray::number(request.body.size()) + '}';
            responder.respond(r);
        },
        [](HttpFailure failure) {
            HttpResponse r;
            r.status = failure == HttpFailure::BodyTooLarge ? 413
                : failure == HttpFailure::HeaderTooLarge    ? 431
                : failure == HttpFailure::Timeout           ? 408
                : failure == HttpFailure::Unanswered        ? 500
                                                            : 400;
            r.body = "{\"error\":" + QByteArray::number(int(failure)) + '}';
            return r;
        });
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void tst_HttpServer::answersAndKeepsAlive()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    for (int i = 0; i < 3; ++i) {
        client.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        const auto r = client.read();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray(R"({"path":"/a","body":2})"));
        QVERIFY(!r->header("Date").isEmpty());
        QVERIFY(r->header("Connection").isEmpty());
    }
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(m_received.first().peer, QHostAddress(QHostAddress::LocalHost));
}

void tst_HttpServer::closesWhenAsked()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->header("Connection"), QByteArray("close"));
    QVERIFY(client.closedByServer());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void tst_HttpServer::pipelinedRequestsAreAnsweredInOrder()
{
    start();
    m_hold = true;
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 "
                "HTTP/1.1\r\nHost: x\r\n\r\n");
    // One at a time: the second is read only once the first is answered.
    QTRY_COMPARE(m_received.size(), 1);
    QTest::qWait(50);
    QCOMPARE(m_received.size(), 1);
    m_hold = false;
    std::exchange(m_held, {}).front().respond({200, "text/plain", {}, "one"});
    QTRY_COMPARE(m_received.size(), 3);
    const QByteArray expected[] = {"one", R"({"path":"/2","body":0})", R"({"path":"/3","body":0})"};
    for (const QByteArray &body : expected) {
        const auto r = client.read();
        QVERIFY(r);
        QCOMPARE(r->body, body);
    }
}

void tst_HttpServer::answersLargerThanTheKernelTakesArriveWhole()
{
    // A client that does not read: the kernel takes part of the first answer, the rest waits
    // in the server's buffer, and the answers that follow queue behind it, never before.
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.socket().setReadBufferSize(1024);
    client.send("GET /big/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET "
                "/big/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY(!m_received.isEmpty());
    QTest::qWait(200);
    client.socket().setReadBufferSize(0);
    auto expected = [](char seed) {
        QByteArray big(8 * 1024 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char('a' + (i / 7 + seed) % 26);
        return big;
    };
    const auto first = client.read(20000);
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QVERIFY(first->body == expected('1'));
    const auto second = client.read();
    QVERIFY(second);
    QCOMPARE(second->body, QByteArray(R"({"path":"/a","body":0})"));
    const auto third = client.read(20000);
    QVERIFY(third);
    QVERIFY(third->body == expected('2'));
    QCOMPARE(m_received.size(), 3);
}

void tst_HttpServer::answersLaterWithoutBlockingOthers()
{
    start();
    RawHttpClient waiting, other;
    QVERIFY(waiting.connectTo(m_server->serverPort()));
    QVERIFY(other.connectTo(m_server->serverPort()));
    waiting.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), std::size_t(1));
    other.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(other.read());
    QVERIFY(!waiting.read(100));
    m_held.front().respond({201, "application/json", {{"Retry-After", "3"}}, "{}"});
    const auto r = waiting.read();
    QVERIFY(r);
    QCOMPARE(r->status, 201);
    QCOMPARE(r->header("Retry-After"), QByteArray("3"));
}

void tst_HttpServer::clientGoneWhileWaiting()
{
    start();
    auto client = std::make_unique<RawHttpClient>();
    QVERIFY(client->connectTo(m_server->serverPort()));
    client->send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), std::size_t(1));
    QPointer<QObject> connection = m_held.front().connection();
    QVERIFY(connection);
    client.reset();
    QTRY_VERIFY(!m_held.front().isOpen());
    QVERIFY(!connection);
    m_held.front().respond({}); // dropped
    QCOMPARE(m_server->connectionCount(), 0);
}

void tst_HttpServer::droppedResponderAnswers500()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 500);
    client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n"); // still usable
    QVERIFY(client.read());
}

void tst_HttpServer::bodyOverTheCapGets413BeforeTheBody()
{
    HttpServerLimits limits;
    limits.parse.maxBodyBytes = 16 * 1024;
    start(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 1048576\r\n\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QCOMPARE(r->header("Connection"), QByteArray("close"));
    QVERIFY(client.closedByServer());
    QVERIFY(m_received.isEmpty());
}

void tst_HttpServer::bodyOverTheCapGets413WhileSending()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    // The whole megabyte at once, as a client that does not wait would send it: the answer
    // must still reach it (not a reset because of unread bytes).
    client.send("POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"
                + QByteArray(1024 * 1024, 'x'));
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QVERIFY(client.closedByServer());
}

void tst_HttpServer::headerFloodGets431()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    QByteArray flood = "GET /a HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 2000; ++i)
        flood += "X-Flood-" + QByteArray::number(i) + ": yes\r\n";
    client.send(flood + "\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 431);
    QVERIFY(client.closedByServer());
    QVERIFY(m_received.isEmpty());
}

void tst_HttpServer::endlessChunkFramingGets431()
{
    // A chunk extension that never ends: refused at the header's limit, not buffered on.
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;");
    for (int i = 0; i < 64 && client.socket().state() == QAbstractSocket::ConnectedState; ++i)
        client.send(QByteArray(4096, 'x'));
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 431);
    QVERIFY(client.closedByServer());
    QVERIFY(m_received.isEmpty());
}

void tst_HttpServer::malformedRequestGets400()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("HELLO THERE\r\n\r\n");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 400);
    QVERIFY(client.closedByServer());
}

void tst_HttpServer::halfRequestTimesOut()
{
    HttpServerLimits limits;
    limits.readTimeout = 300ms;
    start(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    QElapsedTimer timer;
    timer.start();
    client.send("POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"pho");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QVERIFY(client.closedByServer());
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(m_received.isEmpty());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void tst_HttpServer::slowClientTimesOut()
{
    HttpServerLimits limits;
    limits.readTimeout = 400ms;
    start(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    // A byte every 50 ms keeps the connection busy, never idle: the whole request counts.
    const QByteArray request =
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Slow: " + QByteArray(40, 'z') + "\r\n\r\n";
    QElapsedTimer timer;
    timer.start();
    for (char c : request) {
        if (client.socket().state() != QAbstractSocket::ConnectedState)
            break;
        client.send(QByteArray(1, c));
        QTest::qWait(50);
    }
    QVERIFY(timer.elapsed() < 3000);
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QVERIFY(m_received.isEmpty());
}

// A CR alone holds a byte of a request: the read timeout runs (else a client could hold a
// connection, unevictable, for the whole idle timeout). Its LF makes it an empty line before a
// request after all: the connection is idle again, and the next request is answered.
void tst_HttpServer::aLoneCarriageReturnTimesOutButAnEmptyLineDoesNot()
{
    HttpServerLimits limits;
    limits.readTimeout = 300ms;
    start(limits);
    RawHttpClient held;
    QVERIFY(held.connectTo(m_server->serverPort()));
    held.send("\r");
    const auto r = held.read();
    QVERIFY(r);
    QCOMPARE(r->status, 408);

    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("\r");
    QTest::qWait(100);
    client.send("\n");
    QTest::qWait(500); // past the read timeout
    QVERIFY(client.socket().state() == QAbstractSocket::ConnectedState);
    client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto answered = client.read();
    QVERIFY(answered);
    QCOMPARE(answered->status, 200);
}

void tst_HttpServer::idleConnectionIsClosed()
{
    HttpServerLimits limits;
    limits.idleTimeout = 200ms;
    start(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.read());
    QVERIFY(client.closedByServer(3000));
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

// A cap of two, both connections (a, then b) handling a held request, and c waiting for a
// place. @p aHeaders: more header fields of a's request.
void tst_HttpServer::waitAtTheCap(RawHttpClient &a, const QByteArray &aHeaders, RawHttpClient &b,
                                  RawHttpClient &c)
{
    HttpServerLimits limits;
    limits.maxConnections = 2;
    start(limits);
    m_hold = true;
    QVERIFY(a.connectTo(m_server->serverPort()));
    a.send("GET /held HTTP/1.1\r\nHost: x\r\n" + aHeaders + "\r\n");
    QTRY_COMPARE(m_received.size(), 1); // a's responder is the first held
    QVERIFY(b.connectTo(m_server->serverPort()));
    b.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_received.size(), 2);
    QVERIFY(c.connectTo(m_server->serverPort())); // the kernel accepts it
    c.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(!c.read(200)); // both connections are busy: c waits
    QCOMPARE(m_server->connectionCount(), 2);
    QCOMPARE(m_received.size(), 2);
}

void tst_HttpServer::connectionCap()
{
    RawHttpClient a, b, c;
    waitAtTheCap(a, "", b, c);
    if (QTest::currentTestFailed())
        return;
    // None has been idle: a, answered while c waits, closes after its answer to make room.
    m_hold = false;
    m_held.front().respond({});
    QVERIFY(a.read());
    QVERIFY(a.closedByServer(3000));
    const auto r = c.read();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray(R"({"path":"/c","body":0})"));
    QVERIFY(b.socket().state() == QAbstractSocket::ConnectedState); // still waiting, untouched
}

void tst_HttpServer::oneConnectionLeavesPerClientWaiting()
{
    RawHttpClient a, b, c;
    waitAtTheCap(a, "Connection: close\r\n", b, c);
    if (QTest::currentTestFailed())
        return;
    // a leaves after its answer of its own accord: that is room enough for c, and b, answered
    // meanwhile, stays.
    m_hold = false;
    m_held.at(0).respond({});
    m_held.at(1).respond({});
    QVERIFY(a.read());
    QVERIFY(b.read());
    const auto r = c.read();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray(R"({"path":"/c","body":0})"));
    QVERIFY(!b.closedByServer(300));
    b.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(b.read());
}

void tst_HttpServer::aConnectionJustComeIsNotTakenAtTheCap()
{
    HttpServerLimits limits;
    limits.maxConnections = 1;
    start(limits);
    RawHttpClient a, c;
    QVERIFY(a.connectTo(m_server->serverPort()));
    QTRY_COMPARE(m_server->connectionCount(), 1);
    QVERIFY(c.connectTo(m_server->serverPort()));
    c.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(!c.read(200)); // c waits; a, idle only a moment, keeps its place
    a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto ra = a.read();
    QVERIFY(ra);
    QCOMPARE(ra->body, QByteArray(R"({"path":"/a","body":0})"));
    QVERIFY(a.closedByServer(3000)); // its answer made room for c
    const auto rc = c.read();
    QVERIFY(rc);
    QCOMPARE(rc->body, QByteArray(R"({"path":"/c","body":0})"));
}

void tst_HttpServer::idleConnectionsMakeRoomAtTheCap()
{
    HttpServerLimits limits;
    limits.maxConnections = 2;
    start(limits); // the idle timeout (a minute) plays no part
    RawHttpClient a, b, c;
    QVERIFY(a.connectTo(m_server->serverPort()));
    a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(a.read()); // idle since its answer
    QVERIFY(b.connectTo(m_server->serverPort())); // idle since it came: later than a
    QTRY_COMPARE(m_server->connectionCount(), 2);
    // Connections opened and left idle do not keep a client out: the one idle longest goes.
    QVERIFY(c.connectTo(m_server->serverPort()));
    c.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = c.read();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray(R"({"path":"/c","body":0})"));
    QVERIFY(a.closedByServer(3000));
    QVERIFY(b.socket().state() == QAbstractSocket::ConnectedState);
    QCOMPARE(m_server->connectionCount(), 2);
}

void tst_HttpServer::connectionsPerClientAreCapped()
{
    HttpServerLimits limits;
    limits.maxConnectionsPerClient = 2;
    start(limits);
    QSignalSpy refused(m_server.get(), &HttpServer::connectionRefused);
    RawHttpClient a, b, c;
    QVERIFY(a.connectTo(m_server->serverPort()));
    QVERIFY(b.connectTo(m_server->serverPort()));
    QTRY_COMPARE(m_server->connectionCount(), 2);
    // One client's third connection is closed at once, unanswered; the global cap is far.
    QVERIFY(c.connectTo(m_server->serverPort()));
    QVERIFY(c.closedByServer(3000));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(0).value<QHostAddress>(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(m_server->connectionCount(), 2);
    for (RawHttpClient *open : {&a, &b}) { // the two it has are untouched
        open->send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(open->read());
    }
    // A connection that ends gives its place back.
    b.socket().disconnectFromHost();
    QTRY_COMPARE(m_server->connectionCount(), 1);
    RawHttpClient d;
    QVERIFY(d.connectTo(m_server->serverPort()));
    d.send("GET /d HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = d.read();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray(R"({"path":"/d","body":0})"));
    QCOMPARE(refused.size(), 1);
}

void tst_HttpServer::uncappedClientsHaveNoCap()
{
    // A trusted proxy carries many clients' connections.
    HttpServerLimits limits;
    limits.maxConnectionsPerClient = 1;
    limits.uncappedClients = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8"))};
    start(limits);
    QSignalSpy refused(m_server.get(), &HttpServer::connectionRefused);
    RawHttpClient a, b, c;
    for (RawHttpClient *client : {&a, &b, &c}) {
        QVERIFY(client->connectTo(m_server->serverPort()));
        client->send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client->read());
    }
    QCOMPARE(m_server->connectionCount(), 3);
    QCOMPARE(refused.size(), 0);
}

void tst_HttpServer::aRefusedConnectionMakesNoRoomAtTheCap()
{
    HttpServerLimits limits;
    limits.maxConnections = 2;
    limits.maxConnectionsPerClient = 1;
    start(limits);
    QSignalSpy refused(m_server.get(), &HttpServer::connectionRefused);
    RawHttpClient a, b, a2;
    QVERIFY(a.connectTo(m_server->serverPort())); // from 127.0.0.1
    QVERIFY(b.socket().bind(QHostAddress(QStringLiteral("127.0.0.2"))));
    QVERIFY(b.connectTo(m_server->serverPort()));
    QTRY_COMPARE(m_server->connectionCount(), 2);
    QTest::qWait(1100); // both idle long enough to make room for a client waiting at the cap
    // a's second connection is over its client's cap: closed, and nobody's place is taken.
    QVERIFY(a2.connectTo(m_server->serverPort()));
    QVERIFY(a2.closedByServer(3000));
    QCOMPARE(refused.size(), 1);
    QVERIFY(!a.closedByServer(300) && !b.closedByServer(0));
    QCOMPARE(m_server->connectionCount(), 2);
}

void tst_HttpServer::expectContinue()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    const auto interim = client.read();
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    client.send("abcd");
    const auto r = client.read();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->body, QByteArray(R"({"path":"/e","body":4})"));
}

// A drain (the server stopping): no new connections, an idle one closed at once, a request
// being handled answered with "Connection: close", then the connection closed, and the drain
// done only then.
void tst_HttpServer::drainFinishesWhatBegan()
{
    start();
    RawHttpClient idle;
    QVERIFY(idle.connectTo(m_server->serverPort()));
    idle.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(idle.read());
    RawHttpClient busy;
    QVERIFY(busy.connectTo(m_server->serverPort()));
    busy.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), std::size_t(1));

    auto drainedFlag = std::make_shared<bool>(false); // the server may outlive a failed test
    bool &drained = *drainedFlag;
    m_server->drain(10s, [drainedFlag] { *drainedFlag = true; });
    QVERIFY(idle.closedByServer(2000));
    QVERIFY(m_server->isDraining());
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(!late.waitForConnected(1000));
    QTest::qWait(100);
    QVERIFY(!drained); // the held request is still being handled

    m_held.front().respond({200, "application/json", {}, "{}"});
    const auto r = busy.read();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("Connection"), QByteArray("close"));
    QVERIFY(busy.closedByServer(2000));
    QTRY_VERIFY(drained);
    QCOMPARE(m_server->connectionCount(), 0);
}

// A request that is never answered does not hold the drain past its deadline.
void tst_HttpServer::drainEndsAtItsDeadline()
{
    start();
    RawHttpClient busy;
    QVERIFY(busy.connectTo(m_server->serverPort()));
    busy.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_held.size(), std::size_t(1));
    auto drainedCount = std::make_shared<int>(0); // the server may outlive a failed test
    const int &drained = *drainedCount;
    QElapsedTimer timer;
    timer.start();
    m_server->drain(300ms, [drainedCount] { ++*drainedCount; });
    QTRY_COMPARE(drained, 1);
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_server->connectionCount(), 1);
    QTest::qWait(100);
    QCOMPARE(drained, 1); // once
}

// HEAD: GET's header fields, Content-Length included, and no body (RFC 9110 9.3.2): the next
// answer on the connection follows the header directly.
void tst_HttpServer::headHasNoBody()
{
    start();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray second = R"({"path":"/b","body":0})";
    QByteArray wire;
    QTRY_VERIFY((wire += client.socket().readAll(), wire.endsWith(second)));
    const qsizetype firstEnd = wire.indexOf("\r\n\r\n");
    QVERIFY(firstEnd > 0);
    const QByteArray head = wire.left(firstEnd);
    QVERIFY2(head.startsWith("HTTP/1.1 200 OK\r\n"), head.constData());
    // The length of the body GET would have had, which is not sent.
    QVERIFY2(head.contains("\r\nContent-Length: 22"), head.constData());
    QVERIFY2(wire.mid(firstEnd + 4).startsWith("HTTP/1.1 200 OK\r\n"), wire.constData());
    QCOMPARE(m_received.size(), 2);
    QCOMPARE(m_received.first().method, QByteArray("HEAD"));
}

// An HTTP/1.0 client that asks to keep the connection is told that it is kept; one that does not
// ask has it closed.
void tst_HttpServer::http10KeepAliveIsSaid()
{
    start();
    RawHttpClient kept;
    QVERIFY(kept.connectTo(m_server->serverPort()));
    for (int i = 0; i < 2; ++i) {
        kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto r = kept.read();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Connection"), QByteArray("keep-alive"));
    }
    RawHttpClient closed;
    QVERIFY(closed.connectTo(m_server->serverPort()));
    closed.send("GET /a HTTP/1.0\r\n\r\n");
    const auto r = closed.read();
    QVERIFY(r);
    QCOMPARE(r->header("Connection"), QByteArray("close"));
    QVERIFY(closed.closedByServer());
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
