#include "server/monitor/SendQueueMetrics.h"

namespace waotp::server {

namespace {

void metric(QByteArray &out, QByteArrayView name, QByteArrayView type, QByteArrayView help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray &out, QByteArrayView name, QByteArrayView labels, quint64 value)
{
    out += name;
    if (!labels.isEmpty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += QByteArray::number(value);
    out += '\n';
}

} // namespace

SendQueueMetrics::SendQueueMetrics(SendGovernor &governor) : m_governor(governor)
{
    m_governor.stats().onWaited = [this](std::chrono::milliseconds waited) {
        m_waits.observe(waited);
    };
}

SendQueueMetrics::~SendQueueMetrics()
{
    m_governor.stats().onWaited = nullptr;
}

void SendQueueMetrics::render(QByteArray &out) const
{
    const SendGovernorStats &s = m_governor.stats();
    metric(out, "waotp_send_queue_length", "gauge",
           "Sends waiting in this instance for the send rate (max_sends_per_second).");
    sample(out, "waotp_send_queue_length", {}, quint64(std::max<qint64>(0, s.waiting)));
    metric(out, "waotp_send_queue_limit", "gauge",
           "The sends that may wait at once (send_queue_limit).");
    sample(out, "waotp_send_queue_limit", {}, quint64(m_governor.queueLimit()));
    metric(out, "waotp_send_queue_sends_total", "counter",
           "Sends under the send rate, by whether they went at once or waited.");
    sample(out, "waotp_send_queue_sends_total", "result=\"at_once\"", s.sentAtOnce);
    sample(out, "waotp_send_queue_sends_total", "result=\"queued\"", s.queued);
    metric(out, "waotp_send_queue_refused_total", "counter",
           "Sends refused by the send-rate governor: the queue was full, the wait would have "
           "outlived the code, or a send already queued could not be retried in time.");
    sample(out, "waotp_send_queue_refused_total", "reason=\"full\"", s.refusedFull);
    sample(out, "waotp_send_queue_refused_total", "reason=\"too_long\"", s.refusedTooLong);
    sample(out, "waotp_send_queue_refused_total", "reason=\"expired\"", s.expiredInQueue);
    metric(out, "waotp_send_queue_slowdowns_total", "counter",
           "The provider asked to slow down (HTTP 429 or error 20429).");
    sample(out, "waotp_send_queue_slowdowns_total", {}, s.slowDowns);
    metric(out, "waotp_send_queue_retries_total", "counter",
           "Sends that took a new slot after the provider asked to slow down.");
    sample(out, "waotp_send_queue_retries_total", {}, s.retried);
    metric(out, "waotp_send_queue_wait_seconds", "histogram",
           "How long the queued sends waited for their slot.");
    m_waits.render(out, "waotp_send_queue_wait_seconds", {});
}

} // namespace waotp::server
