#include "server/monitor/Metrics.h"

#include <QList>

#include <algorithm>

namespace waotp::server {

namespace {

// HTTP answers: from well under a millisecond (/healthz) to a held long poll (30 s).
const std::initializer_list<double> RequestBounds {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
// Twilio's answers: tens of milliseconds to its time limit.
const std::initializer_list<double> ProviderBounds {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

void number(QByteArray &out, double v)
{
    out += QByteArray::number(v, 'g', 12);
}

void header(QByteArray &out, QByteArrayView name, QByteArrayView type, QByteArrayView help)
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

QByteArray label(QByteArrayView name, QByteArrayView value)
{
    // Every value here is ours (a route pattern, an error code): nothing to escape but quotes
    // and backslashes, which none of them holds; escaped anyway.
    QByteArray v = value.toByteArray();
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return name.toByteArray() + "=\"" + v + '"';
}

constexpr std::array<const char *, 2> ChannelNames {"whatsapp", "sms"};
constexpr std::array<const char *, 2> FlowNames {"signup", "signin"};
constexpr std::array<const char *, 8> LimitNames {
    "ip_sends",    "ip_checks",     "cooldown",   "hourly_limit",
    "wrong_codes", "budget_minute", "budget_day", "client_connections"};

// One sample per value of the label @p key, the i-th of @p counts named by the i-th of @p names.
template<std::size_t N>
void samples(QByteArray &out, QByteArrayView name, QByteArrayView key,
             const std::array<const char *, N> &names, const std::array<quint64, N> &counts)
{
    for (std::size_t i = 0; i < N; ++i)
        sample(out, name, label(key, names[i]), counts[i]);
}

} // namespace

void metricHeader(QByteArray &out, QByteArrayView name, QByteArrayView type, QByteArrayView help)
{
    header(out, name, type, help);
}

void metricSample(QByteArray &out, QByteArrayView name, QByteArrayView labels, quint64 value)
{
    sample(out, name, labels, value);
}

Histogram::Histogram(std::initializer_list<double> bounds)
    : m_bounds(bounds), m_buckets(bounds.size(), 0)
{ }

void Histogram::observe(std::chrono::nanoseconds duration)
{
    const double seconds = std::chrono::duration<double>(duration).count();
    const auto it = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), seconds);
    if (it != m_bounds.cend())
        ++m_buckets[std::size_t(it - m_bounds.cbegin())];
    m_sum += seconds;
    ++m_count;
}

void Histogram::render(QByteArray &out, QByteArrayView name, QByteArrayView labels) const
{
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels.toByteArray() + ',';
    const QByteArray bucket = name.toByteArray() + "_bucket";
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_buckets[i];
        QByteArray le = prefix + "le=\"";
        number(le, m_bounds[i]);
        le += '"';
        sample(out, bucket, le, cumulative);
    }
    sample(out, bucket, QByteArray(prefix + "le=\"+Inf\""), m_count);
    out += name;
    out += "_sum";
    if (!labels.isEmpty())
        out += QByteArray('{' + labels.toByteArray() + '}');
    out += ' ';
    number(out, m_sum);
    out += '\n';
    sample(out, QByteArray(name.toByteArray() + "_count"), labels, m_count);
}

Metrics::Metrics() : m_provider {Histogram(ProviderBounds), Histogram(ProviderBounds)}
{
    m_durations.reserve(Endpoints);
    for (int i = 0; i < Endpoints; ++i)
        m_durations.emplace_back(RequestBounds);
}

void Metrics::verificationStarted(Channel channel)
{
    ++m_started[std::size_t(channel)];
}

void Metrics::codeResent(Channel channel)
{
    ++m_resent[std::size_t(channel)];
}

void Metrics::silentSend(Purpose flow)
{
    ++m_silent[std::size_t(flow)];
}

void Metrics::checked(QByteArrayView result)
{
    ++m_checks[result.toByteArray()];
}

void Metrics::limited(Limit limit)
{
    ++m_limited[std::size_t(limit)];
}

void Metrics::providerCall(ProviderCall call, std::chrono::nanoseconds duration)
{
    m_provider[std::size_t(call)].observe(duration);
}

void Metrics::tokenIssued(bool accountCreated)
{
    ++m_tokens[accountCreated ? 1 : 0];
}

void Metrics::databaseRefused(DatabaseRefusal reason)
{
    ++m_databaseRefused[std::size_t(reason)];
}

void Metrics::statusCallback(bool accepted)
{
    ++m_callbacks[accepted ? 1 : 0];
}

void Metrics::request(Endpoint endpoint, int status, std::chrono::nanoseconds duration)
{
    ++m_requests[quint32(endpoint) << 16 | quint32(status & 0xffff)];
    m_durations[std::size_t(endpoint)].observe(duration);
}

QByteArray Metrics::render() const
{
    QByteArray out;
    out.reserve(16 * 1024);

    header(out, "waotp_verifications_started_total", "counter",
           "Verifications created (answered 201), by channel.");
    samples(out, "waotp_verifications_started_total", "channel", ChannelNames, m_started);
    header(out, "waotp_codes_resent_total", "counter",
           "New codes for an existing verification (answered 201), by channel.");
    samples(out, "waotp_codes_resent_total", "channel", ChannelNames, m_resent);
    header(out, "waotp_silent_sends_total", "counter",
           "Sends answered like real ones that sent nothing, as the flow refuses the number "
           "(a sign-in without an account, a sign-up with one), by flow.");
    samples(out, "waotp_silent_sends_total", "flow", FlowNames, m_silent);

    header(out, "waotp_checks_total", "counter",
           "Code checks, by result (approved, or the error answered).");
    QList<QByteArray> results = m_checks.keys();
    std::sort(results.begin(), results.end());
    for (const QByteArray &result : std::as_const(results))
        sample(out, "waotp_checks_total", label("result", result), m_checks.value(result));

    header(out, "waotp_rate_limited_total", "counter",
           "Requests refused by a limit, by scope (ip_sends, ip_checks, cooldown, hourly_limit, "
           "wrong_codes, budget_minute, budget_day; client_connections: a connection closed at "
           "once).");
    samples(out, "waotp_rate_limited_total", "scope", LimitNames, m_limited);

    header(out, "waotp_provider_request_duration_seconds", "histogram",
           "How long the provider (Twilio, or the demo sender) took to accept a send or answer "
           "a check.");
    m_provider[0].render(out, "waotp_provider_request_duration_seconds", label("call", "send"));
    m_provider[1].render(out, "waotp_provider_request_duration_seconds", label("call", "check"));

    header(out, "waotp_tokens_issued_total", "counter",
           "Tokens signed, by account (created or existing).");
    sample(out, "waotp_tokens_issued_total", label("account", "existing"), m_tokens[0]);
    sample(out, "waotp_tokens_issued_total", label("account", "created"), m_tokens[1]);

    header(out, "waotp_database_refused_total", "counter",
           "Requests answered 503 database_unavailable, by reason (timeout: no answer within "
           "database_timeout; queue_full: database_queue_limit requests waited already).");
    sample(out, "waotp_database_refused_total", label("reason", "timeout"), m_databaseRefused[0]);
    sample(out, "waotp_database_refused_total", label("reason", "queue_full"),
           m_databaseRefused[1]);

    header(out, "waotp_twilio_status_callbacks_total", "counter",
           "Twilio status callbacks, by result (accepted, or refused for their signature).");
    sample(out, "waotp_twilio_status_callbacks_total", label("result", "accepted"), m_callbacks[1]);
    sample(out, "waotp_twilio_status_callbacks_total", label("result", "refused"), m_callbacks[0]);

    header(out, "waotp_http_requests_total", "counter",
           "HTTP requests answered, by route and status.");
    QList<quint32> keys = m_requests.keys();
    std::sort(keys.begin(), keys.end());
    for (quint32 key : std::as_const(keys)) {
        const QByteArray labels = label("route", endpointPattern(Endpoint(key >> 16))) + ','
            + label("status", QByteArray::number(key & 0xffff));
        sample(out, "waotp_http_requests_total", labels, m_requests.value(key));
    }
    header(out, "waotp_http_request_duration_seconds", "histogram",
           "From a request's arrival to its answer (a held long poll included), by route.");
    for (int e = 0; e < Endpoints; ++e) {
        if (m_durations[std::size_t(e)].count() > 0)
            m_durations[std::size_t(e)].render(out, "waotp_http_request_duration_seconds",
                                               label("route", endpointPattern(Endpoint(e))));
    }

    if (activeVerifications) {
        header(out, "waotp_verifications", "gauge",
               "Verifications the server keeps (pending, and ended ones still shown).");
        sample(out, "waotp_verifications", {}, quint64(std::max<qint64>(0, activeVerifications())));
    }
    if (openConnections) {
        header(out, "waotp_http_connections", "gauge", "Open client connections.");
        sample(out, "waotp_http_connections", {}, quint64(std::max<qint64>(0, openConnections())));
    }
    if (renderMore)
        renderMore(out);
    return out;
}

} // namespace waotp::server
