#pragma once

#include <QBasicTimer>
#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace waotp::server {

/// One line of the access log.
struct AccessLogEntry
{
    QByteArrayView method;
    QByteArrayView route; ///< the path pattern, the id as {id}
    int status = 0;
    std::chrono::nanoseconds duration {0};
    QString maskedPhone; ///< PhoneNumber::masked(), or empty when the request named none
    QByteArrayView requestId;
};

/// The access log of waotp-server: one line per request, in logfmt,
///
///     time=2026-12-06T08:49:37.123Z method=POST route=/v1/verifications/{id}/check status=422
///     duration_ms=0.412 phone="+91 ••••• •3210" request_id=Jx2f9Qk1-7
///
/// (one line). It holds nothing else: never a code, a token, a body or a secret; the number only
/// masked. Written past Qt's message handler (whose formatting and locking cost tens of
/// microseconds a line), in blocks: lines are gathered and written to stderr (or the sink) when
/// 32 KiB are waiting, 200 ms after the first waiting line, and when the log is destroyed.
class AccessLog : public QObject
{
    Q_OBJECT
public:
    /// Where the blocks go; the default writes them to stderr.
    using Sink = std::function<void(QByteArrayView block)>;

    explicit AccessLog(QObject *parent = nullptr);
    ~AccessLog() override;

    void setSink(Sink sink);
    void write(const AccessLogEntry &entry);
    /// Writes what is waiting now.
    void flush();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void appendTime();

    Sink m_sink;
    QByteArray m_buffer;
    QBasicTimer m_flushTimer;
    qint64 m_second = -1; // the second m_stamp was made for
    QByteArray m_stamp; // "2026-12-06T08:49:37"
};

/// The request id of a request: its X-Request-Id when that is 1 to 128 characters of letters,
/// digits and "-_.:/+=", else std::nullopt (a new one is made: nextRequestId()).
std::optional<QByteArray> acceptedRequestId(QByteArrayView header);
/// A new request id, unique in this process and unlikely to repeat across processes: a random
/// prefix chosen at start and a counter ("Jx2f9Qk1-7").
QByteArray nextRequestId();

} // namespace waotp::server
