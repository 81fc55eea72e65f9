#pragma once

#include "server/monitor/Metrics.h"

#include "engine/SendGovernor.h"

namespace waotp::server {

/// The send-rate governor's part of /metrics: the queue's length and limit, how sends went
/// (at once or queued), the refusals by reason, the provider's slow-downs and the retries they
/// caused, and a histogram of the waits.
class SendQueueMetrics
{
public:
    /// @p governor must outlive this; its stats' onWaited is taken.
    explicit SendQueueMetrics(SendGovernor &governor);
    ~SendQueueMetrics();
    void render(QByteArray &out) const;

private:
    SendGovernor &m_governor;
    Histogram m_waits {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
};

} // namespace waotp::server
