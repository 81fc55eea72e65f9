#include "server/monitor/AccessLog.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimerEvent>

#include <cerrno>
#include <charconv>
#include <unistd.h>

namespace waotp::server {

namespace {

constexpr qsizetype FlushAt = 32 * 1024;
constexpr auto FlushAfter = std::chrono::milliseconds(200);

void writeToStderr(QByteArrayView block)
{
    const char *p = block.data();
    qsizetype left = block.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, std::size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // stderr is gone or full: the log gives way, the server goes on
        p += n;
        left -= n;
    }
}

bool isIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
}

void appendNumber(QByteArray &out, qint64 value, int width = 0)
{
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    for (auto n = end - digits; n < width; ++n)
        out += '0';
    out.append(digits, end - digits);
}

} // namespace

AccessLog::AccessLog(QObject *parent) : QObject(parent), m_sink(writeToStderr)
{
    m_buffer.reserve(FlushAt + 1024);
}

AccessLog::~AccessLog()
{
    flush();
}

void AccessLog::setSink(Sink sink)
{
    flush();
    m_sink = sink ? std::move(sink) : Sink(writeToStderr);
}

void AccessLog::appendTime()
{
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 second = ms / 1000;
    if (second != m_second) {
        m_second = second;
        m_stamp = QDateTime::fromSecsSinceEpoch(second, Qt::UTC)
                      .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                      .toLatin1();
    }
    m_buffer += "time=";
    m_buffer += m_stamp;
    m_buffer += '.';
    appendNumber(m_buffer, ms % 1000, 3);
    m_buffer += 'Z';
}

void AccessLog::write(const AccessLogEntry &e)
{
    appendTime();
    m_buffer += " method=";
    m_buffer += e.method;
    m_buffer += " route=";
    m_buffer += e.route;
    m_buffer += " status=";
    appendNumber(m_buffer, e.status);
    m_buffer += " duration_ms=";
    const qint64 us = std::chrono::duration_cast<std::chrono::microseconds>(e.duration).count();
    appendNumber(m_buffer, us / 1000);
    m_buffer += '.';
    appendNumber(m_buffer, us % 1000, 3);
    if (!e.maskedPhone.isEmpty()) {
        m_buffer += " phone=\"";
        m_buffer += e.maskedPhone.toUtf8();
        m_buffer += '"';
    }
    m_buffer += " request_id=";
    m_buffer += e.requestId;
    m_buffer += '\n';
    if (m_buffer.size() >= FlushAt)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start(int(FlushAfter.count()), Qt::CoarseTimer, this);
}

void AccessLog::flush()
{
    m_flushTimer.stop();
    if (m_buffer.isEmpty())
        return;
    m_sink(m_buffer);
    m_buffer.clear(); // keeps the capacity
}

void AccessLog::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_flushTimer.timerId())
        flush();
    else
        QObject::timerEvent(event);
}

std::optional<QByteArray> acceptedRequestId(QByteArrayView header)
{
    if (header.isEmpty() || header.size() > 128)
        return std::nullopt;
    for (char c : header) {
        if (!isIdChar(c))
            return std::nullopt;
    }
    return header.toByteArray();
}

QByteArray nextRequestId()
{
    static const QByteArray prefix = []() -> QByteArray {
        const quint64 r = QRandomGenerator::system()->generate64();
        return QByteArray::fromRawData(reinterpret_cast<const char *>(&r), 6)
                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
            + '-';
    }();
    static quint64 counter = 0;
    return prefix + QByteArray::number(++counter, 36);
}

} // namespace waotp::server
