#include "server/monitor/SendQueueMetrics.h"

namespace waotp::server {

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
    metricHeader(out, "waotp_send_queue_length", "gauge",
                 "Sends waiting in this instance for the send rate (max_sends_per_second).");
    metricSample(out, "waotp_send_queue_length", {}, quint64(std::max<qint64>(0, s.waiting)));
    metricHeader(out, "waotp_send_queue_limit", "gauge",
                 "The sends that may wait at once (send_queue_limit).");
    metricSample(out, "waotp_send_queue_limit", {}, quint64(m_governor.queueLimit()));
    metricHeader(out, "waotp_send_queue_sends_total", "counter",
                 "Sends under the send rate, by whether they went at once or waited.");
    metricSample(out, "waotp_send_queue_sends_total", "result=\"at_once\"", s.sentAtOnce);
    metricSample(out, "waotp_send_queue_sends_total", "result=\"queued\"", s.queued);
    metricHeader(out, "waotp_send_queue_refused_total", "counter",
                 "Sends refused by the send-rate governor: the queue was full, the wait would have "
                 "outlived the code, or a send already queued could not be retried in time.");
    metricSample(out, "waotp_send_queue_refused_total", "reason=\"full\"", s.refusedFull);
    metricSample(out, "waotp_send_queue_refused_total", "reason=\"too_long\"", s.refusedTooLong);
    metricSample(out, "waotp_send_queue_refused_total", "reason=\"expired\"", s.expiredInQueue);
    metricHeader(out, "waotp_send_queue_slowdowns_total", "counter",
                 "The provider asked to slow down (HTTP 429 or error 20429).");
    metricSample(out, "waotp_send_queue_slowdowns_total", {}, s.slowDowns);
    metricHeader(out, "waotp_send_queue_retries_total", "counter",
                 "Sends that took a new slot after the provider asked to slow down.");
    metricSample(out, "waotp_send_queue_retries_total", {}, s.retried);
    metricHeader(out, "waotp_send_queue_dropped_total", "counter",
                 "Queued sends not sent when their slot came: their code was no longer its "
                 "verification's current one (cancelled, replaced, approved or expired).");
    metricSample(out, "waotp_send_queue_dropped_total", {}, s.droppedInQueue);
    metricHeader(out, "waotp_send_queue_wait_seconds", "histogram",
                 "How long the queued sends waited for their slot.");
    m_waits.render(out, "waotp_send_queue_wait_seconds", {});
}

} // namespace waotp::server
