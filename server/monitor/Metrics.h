#pragma once

#include "server/api/Routes.h"

#include "engine/CodeSender.h"

#include <QByteArray>
#include <QHash>

#include <array>
#include <chrono>
#include <functional>

namespace waotp::server {

/// Prometheus text: a metric's HELP and TYPE lines, and one sample (@p labels without braces,
/// or empty). For Metrics::renderMore.
void metricHeader(QByteArray &out, QByteArrayView name, QByteArrayView type, QByteArrayView help);
void metricSample(QByteArray &out, QByteArrayView name, QByteArrayView labels, quint64 value);

/// A Prometheus histogram of durations in seconds, with fixed upper bounds.
class Histogram
{
public:
    /// The upper bounds, in seconds, in increasing order (the +Inf bucket is implied).
    explicit Histogram(std::initializer_list<double> bounds);
    void observe(std::chrono::nanoseconds duration);
    quint64 count() const { return m_count; }
    /// The bucket, sum and count lines of metric @p name with the labels @p labels
    /// ("route=\"/healthz\"", or empty).
    void render(QByteArray &out, QByteArrayView name, QByteArrayView labels) const;

private:
    std::vector<double> m_bounds;
    std::vector<quint64> m_buckets; // per bound, not cumulative
    double m_sum = 0;
    quint64 m_count = 0;
};

/// What waotp-server counts, for GET /metrics (Prometheus text format 0.0.4). Counters end in
/// `_total`; durations are histograms in seconds. No label ever holds a phone number, a code or
/// an address: the labels are routes (with `{id}`), statuses, channels, results and scopes.
class Metrics
{
public:
    /// Why a request was refused by a limit (the label "scope").
    enum class Limit {
        IpSends, ///< sends_per_ip
        IpChecks, ///< checks_per_ip
        Cooldown, ///< the number's resend cooldown
        HourlyLimit, ///< the number's hourly cap
        WrongCodes, ///< the number's recent wrong codes hold a send or a check back
        BudgetMinute, ///< max_sends_per_minute
        BudgetDay, ///< max_sends_per_day
        ClientConnections, ///< max_connections_per_client (a connection closed at once)
    };
    /// Which provider request a duration is of.
    enum class ProviderCall { Send, Check };

    Metrics();

    /// A verification was created (201), on @p channel.
    void verificationStarted(Channel channel);
    /// A verification got a new code (201).
    void codeResent(Channel channel);
    /// A send that went nowhere, its flow refusing the number (see SilentSender).
    void silentSend(Purpose flow);
    /// A check was answered with @p result: "approved" or the error code.
    void checked(QByteArrayView result);
    void limited(Limit limit);
    void providerCall(ProviderCall call, std::chrono::nanoseconds duration);
    void tokenIssued(bool accountCreated);
    /// Why a request was refused because of the account database (the label "reason").
    enum class DatabaseRefusal {
        Timeout, ///< no answer within database_timeout
        QueueFull, ///< database_queue_limit requests waited already
    };
    void databaseRefused(DatabaseRefusal reason);
    /// A Twilio status callback, @p accepted or refused for its signature.
    void statusCallback(bool accepted);
    /// A request to @p endpoint was answered with @p status after @p duration.
    void request(Endpoint endpoint, int status, std::chrono::nanoseconds duration);

    /// Gauges read when the metrics are rendered.
    std::function<qint64()> activeVerifications;
    std::function<qint64()> openConnections;
    /// Appends more metrics to render()'s text (e.g. the send queue's, SendQueueMetrics).
    std::function<void(QByteArray &out)> renderMore;

    /// Everything, in Prometheus' text format.
    QByteArray render() const;

private:
    static constexpr int Endpoints = int(Endpoint::TwilioStatus) + 1;
    static constexpr int Limits = int(Limit::ClientConnections) + 1;

    std::array<quint64, 2> m_started {}; // by Channel
    std::array<quint64, 2> m_resent {};
    std::array<quint64, 2> m_silent {}; // by Purpose
    QHash<QByteArray, quint64> m_checks; // by result
    std::array<quint64, Limits> m_limited {};
    std::array<Histogram, 2> m_provider; // by ProviderCall
    std::array<quint64, 2> m_tokens {}; // existing, created
    std::array<quint64, 2> m_callbacks {}; // refused, accepted
    std::array<quint64, 2> m_databaseRefused {}; // by DatabaseRefusal
    QHash<quint32, quint64> m_requests; // (endpoint << 16 | status) -> count
    std::vector<Histogram> m_durations; // by endpoint
};

} // namespace waotp::server
