// Network overhead of the Twilio Messages sender (issue 6): the time one send takes against a
// loopback server that answers at once, next to the bare round trip of the same request and to
// curl making the same POST, in the same run.
//
// The server runs on a thread of its own and answers every request with a canned 201 Message
// resource (keep-alive). Rows:
//   raw socket       the same request bytes written on a kept-alive socket, answer read back:
//                    the floor any client pays
//   sender           TwilioMessagesSender::send() until its job finishes (form, auth header,
//                    QNetworkAccessManager, JSON parse), connection kept alive, no tracking
//   engine+sender    OtpEngine::requestCode() until codeRequested (adds the code, its MAC, the
//                    store and the queued signal)
//   curl (in-proc)   one curl process making N POSTs on one connection: (T(N) - T(1)) / (N - 1)
//   curl (process)   one curl process per POST, as a shell script would
//
// usage: bench_network [--sends N] [--rounds R] [--curl-runs C]
#include "engine/CodeHasher.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"
#include "network/twilio/TwilioHttp.h"
#include "network/twilio/TwilioMessagesSender.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace waotp;

namespace {

const QString AccountSid = QStringLiteral("AC00000000000000000000000000000000");
const QString AuthToken = QStringLiteral("test-auth-token-0000");

// A Message resource as Twilio returns it on creation (fields from twilio-oai, values made up).
const QByteArray MessageJson = R"({"account_sid": "AC00000000000000000000000000000000",
"api_version": "2010-04-01", "body": "Your waotp sign-in code is 123456. It expires in 5 minutes.",
"date_created": "Thu, 15 Jan 2026 12:00:00 +0000", "date_sent": null,
"date_updated": "Thu, 15 Jan 2026 12:00:00 +0000", "direction": "outbound-api",
"error_code": null, "error_message": null, "from": "whatsapp:+14155238886",
"messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null,
"price_unit": null, "sid": "SM00000000000000000000000000000000", "status": "queued",
"subresource_uris": {"media": "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM00000000000000000000000000000000/Media.json"},
"to": "whatsapp:+919876543210",
"uri": "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM00000000000000000000000000000000.json"})";

QByteArray cannedResponse()
{
    return "HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\n"
           "Content-Length: "
        + QByteArray::number(MessageJson.size()) + "\r\n\r\n" + MessageJson;
}

/// Answers every HTTP/1.1 request at once with the canned Message resource. Lives on its own
/// thread, so its cost is not charged to the client being measured.
class InstantServer final : public QTcpServer
{
public:
protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            *buffer += socket->readAll();
            for (;;) {
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                qsizetype length = 0;
                const QByteArray head = buffer->left(end).toLower();
                if (const qsizetype at = head.indexOf("content-length:"); at >= 0)
                    length =
                        head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                if (buffer->size() < end + 4 + length)
                    return;
                buffer->remove(0, end + 4 + length);
                socket->write(m_response);
            }
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    const QByteArray m_response = cannedResponse();
};

struct Stats
{
    double median = 0, min = 0, max = 0;
    std::size_t n = 0;
};

Stats stats(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    s.n = v.size();
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    return s;
}

double elapsedUs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1000.0;
}

OutgoingCode outgoing(const PhoneNumber &to, int i)
{
    OutgoingCode c;
    c.to = to;
    c.code = QStringLiteral("%1").arg(i % 1000000, 6, 10, QLatin1Char('0'));
    c.purpose = Purpose::SignIn;
    c.channel = Channel::WhatsApp;
    return c;
}

TwilioSettings settings(quint16 port)
{
    TwilioSettings s;
    s.accountSid = AccountSid;
    s.authToken = AuthToken;
    s.whatsappFrom = QStringLiteral("+14155238886");
    s.apiBaseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    return s;
}

TwilioTimings noTracking()
{
    TwilioTimings t;
    t.trackingLimit = std::chrono::milliseconds(0);
    return t;
}

std::vector<double> measureSender(quint16 port, const PhoneNumber &to, int sends)
{
    QNetworkAccessManager nam;
    TwilioMessagesSender sender(settings(port), QStringLiteral("waotp"), &nam, noTracking());
    std::vector<double> out;
    for (int i = -5; i < sends; ++i) { // the first sends open the connection: warm-up
        QEventLoop loop;
        QElapsedTimer t;
        t.start();
        SendJob *job = sender.send(outgoing(to, i + 5));
        QObject::connect(job, &SendJob::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const double us = elapsedUs(t);
        if (!job->result().ok())
            qFatal("send failed: %s", qPrintable(job->result().detail));
        if (i >= 0)
            out.push_back(us);
    }
    return out;
}

class BenchClock final : public Clock
{
public:
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }

private:
    TimePoint m_now {std::chrono::hours(1000)};
};

std::vector<double> measureEngine(quint16 port, const PhoneNumber &to, int sends)
{
    QNetworkAccessManager nam;
    TwilioMessagesSender sender(settings(port), QStringLiteral("waotp"), &nam, noTracking());
    BenchClock clock;
    MemoryCodeStore store;
    OtpEngine engine(clock, store, CodeHasher(), sender);
    std::vector<double> out;
    for (int i = -5; i < sends; ++i) {
        clock.advance(std::chrono::hours(2)); // past every cooldown and the hourly window
        QEventLoop loop;
        CodeRequestResult result;
        QObject::connect(&engine, &OtpEngine::codeRequested, &loop,
                         [&](quint64, const PhoneNumber &, const CodeRequestResult &r) {
                             result = r;
                             loop.quit();
                         });
        QElapsedTimer t;
        t.start();
        engine.requestCode(to, Purpose::SignIn);
        loop.exec();
        const double us = elapsedUs(t);
        if (result.status != CodeRequestResult::Status::Sent)
            qFatal("engine send failed: %s", qPrintable(result.send.detail));
        if (i >= 0)
            out.push_back(us);
    }
    return out;
}

QByteArray requestBytes(quint16 port, const QByteArray &path, const QByteArray &body)
{
    const QByteArray auth = (AccountSid + u':' + AuthToken).toUtf8().toBase64();
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nAuthorization: Basic " + auth
        + "\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded"
          "\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

std::vector<double> measureRawSocket(quint16 port, const QByteArray &request, int sends)
{
    QTcpSocket socket;
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        qFatal("raw socket: cannot connect");
    const qsizetype responseSize = cannedResponse().size();
    std::vector<double> out;
    for (int i = -5; i < sends; ++i) {
        QElapsedTimer t;
        t.start();
        socket.write(request);
        QByteArray got;
        while (got.size() < responseSize) {
            if (!socket.waitForReadyRead(5000))
                qFatal("raw socket: no answer");
            got += socket.readAll();
        }
        const double us = elapsedUs(t);
        if (i >= 0)
            out.push_back(us);
    }
    return out;
}

QStringList curlArgs(const QString &url, const QByteArray &body)
{
    return {QStringLiteral("-s"),
            QStringLiteral("-o"),
            QStringLiteral("/dev/null"),
            QStringLiteral("-u"),
            AccountSid + u':' + AuthToken,
            QStringLiteral("-H"),
            QStringLiteral("Accept: application/json"),
            QStringLiteral("--data-raw"),
            QString::fromLatin1(body),
            url};
}

// Wall time of one curl run, the event loop kept running so the server thread is not starved
// of nothing but its own work.
double runCurl(const QString &curl, const QStringList &args)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(curl, args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("curl failed: %s", p.readAllStandardError().constData());
    return elapsedUs(t);
}

std::vector<double> measureCurlPerProcess(const QString &curl, const QString &url,
                                          const QByteArray &body, int runs)
{
    std::vector<double> out;
    for (int i = -2; i < runs; ++i) {
        const double us = runCurl(curl, curlArgs(url, body));
        if (i >= 0)
            out.push_back(us);
    }
    return out;
}

// One curl process making @p n POSTs on one kept-alive connection (a config file with "next").
double curlBatch(const QString &curl, const QString &url, const QByteArray &body, int n)
{
    QTemporaryFile config;
    if (!config.open())
        qFatal("cannot write a curl config file");
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            config.write("next\n");
        config.write("url = \"" + url.toUtf8() + "\"\n");
        config.write("silent\noutput = \"/dev/null\"\n");
        config.write("user = \"" + (AccountSid + u':' + AuthToken).toUtf8() + "\"\n");
        config.write("header = \"Accept: application/json\"\n");
        config.write("data-raw = \"" + body + "\"\n");
    }
    config.flush();
    return runCurl(curl, {QStringLiteral("-K"), config.fileName()});
}

std::vector<double> measureCurlInProcess(const QString &curl, const QString &url,
                                         const QByteArray &body, int n, int rounds)
{
    std::vector<double> out;
    for (int r = 0; r < rounds; ++r) {
        const double one = curlBatch(curl, url, body, 1);
        const double many = curlBatch(curl, url, body, n);
        out.push_back((many - one) / double(n - 1));
    }
    return out;
}

void row(const char *name, const Stats &s, double floorUs)
{
    std::printf("| %-38s | %9.1f | %9.1f | %9.1f | %9.1f | %6zu |\n", name, s.median, s.min, s.max,
                s.median - floorUs, s.n);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("waotp.*.info=false"));
    int sends = 500;
    int rounds = 5;
    int curlRuns = 50;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--sends")
            sends = args[i + 1].toInt();
        else if (args[i] == u"--rounds")
            rounds = args[i + 1].toInt();
        else if (args[i] == u"--curl-runs")
            curlRuns = args[i + 1].toInt();
    }

    QThread serverThread;
    InstantServer *server = new InstantServer;
    server->moveToThread(&serverThread);
    serverThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        server,
        [server, &port] {
            if (!server->listen(QHostAddress::LocalHost, 0))
                qFatal("cannot listen on 127.0.0.1");
            port = server->serverPort();
        },
        Qt::BlockingQueuedConnection);

    const PhoneNumber to = *PhoneNumber::parse(u"+919876543210", u"IN").number;
    QNetworkAccessManager formNam;
    const TwilioMessagesSender formSender(settings(port), QStringLiteral("waotp"), &formNam);
    const QByteArray body = formEncode(formSender.messageForm(outgoing(to, 123456)));
    const QString path = formSender.messagesPath();
    const QString url = QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);

    std::vector<double> raw, sender, engine, curlIn;
    for (int r = 0; r < rounds; ++r) { // interleaved, so that load changes hit every row alike
        const auto a = measureRawSocket(port, requestBytes(port, path.toUtf8(), body), sends);
        raw.insert(raw.end(), a.begin(), a.end());
        const auto b = measureSender(port, to, sends);
        sender.insert(sender.end(), b.begin(), b.end());
        const auto c = measureEngine(port, to, sends);
        engine.insert(engine.end(), c.begin(), c.end());
    }
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    std::vector<double> curlProc;
    if (!curl.isEmpty()) {
        curlIn = measureCurlInProcess(curl, url, body, std::max(2, sends), rounds);
        curlProc = measureCurlPerProcess(curl, url, body, curlRuns);
    }

    const Stats floorStats = stats(raw);
    std::printf("Network overhead per send, loopback server answering at once (microseconds; "
                "%d rounds of %d sends)\n\n",
                rounds, sends);
    std::printf("| %-38s | %9s | %9s | %9s | %9s | %6s |\n", "client", "median", "min", "max",
                "- floor", "n");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------", "-----------",
                "-----------", "-----------", "-----------", "--------");
    row("raw socket, kept alive (floor)", floorStats, floorStats.median);
    row("TwilioMessagesSender, kept alive", stats(sender), floorStats.median);
    row("OtpEngine + TwilioMessagesSender", stats(engine), floorStats.median);
    if (curl.isEmpty()) {
        std::printf("| curl not found: its rows are missing    |\n");
    } else {
        row("curl, N POSTs in one process", stats(curlIn), floorStats.median);
        row("curl, one process per POST", stats(curlProc), floorStats.median);
    }
    std::printf("\nsender overhead over the floor: %.1f us per send (median); curl in one "
                "process: %.1f us\n",
                stats(sender).median - floorStats.median, stats(curlIn).median - floorStats.median);

    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return 0;
}
