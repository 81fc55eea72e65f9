// Fuzzes the way the Twilio senders read Twilio's answers, in place: the Messages create and
// status-poll answers (sid, status, error_code), Verify's verification and check answers, and
// error bodies, all through TwilioHttp. A network access manager answers every request from
// the fuzz input without a socket, so one input is one deterministic conversation.
//
// Input: byte 0 picks the conversation (WhatsApp send, SMS send, Verify send then check, two
// Verify checks); then, for each request in turn: one byte picks the HTTP status (or a network
// error), two bytes give the body length (little endian), then the body. When the input runs
// out, every further request gets 404 (which ends delivery tracking).
//
// Invariants: every job finishes exactly once; no secret (auth token, Basic credentials) and
// no plain code reaches a log line.
#include "FuzzSupport.h"
#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "engine/PhoneNumber.h"
#include "network/twilio/TwilioHttp.h"
#include "network/twilio/TwilioMessagesSender.h"
#include "network/twilio/TwilioVerifySender.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <iterator>

using namespace waotp;

namespace {

const QString AuthToken = QStringLiteral("fuzz-auth-token-0000");
const QString Code = QStringLiteral("739146");
// What must never be logged: the secrets, the plain code, the whole number. An answer may
// quote any text back (Twilio's error messages do), so a string the input itself contains is
// not watched for that input.
QStringList g_secrets;
QStringList g_watched;

/// One canned answer, delivered from the event loop like a real reply.
class CannedReply final : public QNetworkReply
{
public:
    CannedReply(QNetworkAccessManager::Operation op, const QNetworkRequest &request, int status,
                QByteArray body, QObject *parent)
        : QNetworkReply(parent), m_body(std::move(body))
    {
        setRequest(request);
        setOperation(op);
        setUrl(request.url());
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        QTimer::singleShot(0, this, [this, status] { deliver(status); });
    }

    void abort() override
    {
        if (isFinished())
            return;
        setError(OperationCanceledError, QStringLiteral("aborted"));
        finishNow();
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_body.size() - m_pos + QNetworkReply::bytesAvailable();
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, qint64(m_body.size()) - m_pos);
        if (n <= 0)
            return isFinished() ? -1 : 0;
        std::copy_n(m_body.constData() + m_pos, n, data);
        m_pos += n;
        return n;
    }

private:
    void deliver(int status)
    {
        if (isFinished())
            return;
        if (status == 0) {
            setError(ConnectionRefusedError, QStringLiteral("connection refused"));
            finishNow();
            return;
        }
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
        setRawHeader("Content-Type", "application/json");
        setHeader(QNetworkRequest::ContentLengthHeader, m_body.size());
        if (status == 429)
            setRawHeader("Retry-After", "1");
        Q_EMIT metaDataChanged();
        if (isFinished())
            return; // abandoned as too large
        if (!m_body.isEmpty())
            Q_EMIT readyRead();
        if (isFinished())
            return;
        if (status >= 400)
            setError(status >= 500 ? InternalServerError : ContentNotFoundError,
                     QStringLiteral("HTTP %1").arg(status));
        finishNow();
    }

    void finishNow()
    {
        setFinished(true);
        if (error() != NoError)
            Q_EMIT errorOccurred(error());
        Q_EMIT finished();
    }

    QByteArray m_body;
    qint64 m_pos = 0;
};

/// Hands out the answers of the fuzz input, in order.
class CannedNetwork final : public QNetworkAccessManager
{
public:
    CannedNetwork(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) { }

    int pending() const { return m_pending; }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request, QIODevice *) override
    {
        static const int statuses[] = {200, 201, 400, 401, 403, 404, 429, 500,
                                       503, 204, 302, 0,   200, 201, 200, 999};
        int status = 404;
        QByteArray body;
        if (m_pos < m_size) {
            status = statuses[m_data[m_pos++] % std::size(statuses)];
            std::size_t length = 0;
            if (m_pos + 2 <= m_size) {
                length = std::size_t(m_data[m_pos]) | std::size_t(m_data[m_pos + 1]) << 8;
                m_pos += 2;
            }
            length = std::min(length, m_size - m_pos);
            body = QByteArray(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(length));
            m_pos += length;
        }
        ++m_pending;
        auto *reply = new CannedReply(op, request, status, body, this);
        connect(reply, &QNetworkReply::finished, this, [this] { --m_pending; });
        return reply;
    }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    int m_pending = 0;
};

void checkLogLine(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    fuzz::logLine(type, message);
    for (const QString &secret : std::as_const(g_watched)) {
        if (message.contains(secret))
            fuzz::fail("a secret, a code or a whole phone number reached the log");
    }
}

TwilioSettings settings(bool verify)
{
    TwilioSettings s;
    s.accountSid = QStringLiteral("AC00000000000000000000000000000000");
    s.authToken = AuthToken;
    s.whatsappFrom = QStringLiteral("+14155238886");
    s.smsFrom = QStringLiteral("+15005550006");
    if (verify)
        s.verifyServiceSid = QStringLiteral("VA00000000000000000000000000000000");
    s.apiBaseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    return s;
}

TwilioTimings timings()
{
    TwilioTimings t;
    t.firstPollDelay = std::chrono::milliseconds(0);
    t.maxPollInterval = std::chrono::milliseconds(0);
    t.trackingLimit = std::chrono::hours(1); // polls end on a final status or on 404
    return t;
}

/// Counts a job's finished() signals.
struct FinishCounter
{
    int finished = 0;
};

void watch(SendJob *job, FinishCounter &counter)
{
    QObject::connect(job, &SendJob::finished, job, [&counter] { ++counter.finished; });
}

void watch(CheckJob *job, FinishCounter &counter)
{
    QObject::connect(job, &CheckJob::finished, job, [&counter] { ++counter.finished; });
}

// Delivers posted events (answers, zero-delay polls, deletions) until no request is in flight
// and nothing more happens. An answer that asks to wait (Retry-After) leaves a real timer
// behind and ends the conversation there.
void settle(const CannedNetwork &network)
{
    int quiet = 0;
    for (int round = 0; round < 100000 && quiet < 3; ++round) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        quiet = network.pending() == 0 ? quiet + 1 : 0;
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::ensureApplication();
    const QByteArray basic =
        (QStringLiteral("AC00000000000000000000000000000000:") + AuthToken).toUtf8().toBase64();
    g_secrets = {AuthToken, QString::fromLatin1(basic), Code, QStringLiteral("9876543210")};
    qInstallMessageHandler(checkLogLine);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    g_watched.clear();
    for (const QString &secret : std::as_const(g_secrets)) {
        if (!input.contains(secret.toUtf8()))
            g_watched.append(secret);
    }
    const int conversation = data[0] % 4;
    CannedNetwork network(data + 1, size - 1);
    static const PhoneNumber to = *PhoneNumber::parse(u"+919876543210", u"IN").number;

    OutgoingCode code;
    code.to = to;
    code.code = Code;
    code.channel = conversation == 1 ? Channel::Sms : Channel::WhatsApp;

    FinishCounter sends;
    FinishCounter checks;
    if (conversation <= 1) {
        TwilioMessagesSender sender(settings(false), QStringLiteral("waotp"), &network, timings());
        watch(sender.send(code), sends);
        settle(network);
    } else {
        TwilioVerifySender sender(settings(true), &network, timings());
        sender.setSmsEnabled(true);
        code.code.clear(); // Verify makes its own codes
        if (conversation == 2) {
            watch(sender.send(code), sends);
            settle(network);
        }
        for (int i = conversation == 2 ? 1 : 2; i > 0; --i) {
            if (CheckJob *job = sender.check(to, Code))
                watch(job, checks);
            settle(network);
        }
    }
    // The senders are gone: every job they still held was destroyed with them.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    if (sends.finished > 1 || checks.finished > 2)
        fuzz::fail("a job finished more than once");
    return 0;
}
