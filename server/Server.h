#pragma once

#include "server/ServerSettings.h"
#include "server/api/VerificationApi.h"

#include "engine/Clock.h"
#include "engine/Config.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace waotp {
class CodeSender;
class CodeStore;
class NetworkBackend;
class OtpEngine;
class SendGovernor;
class SendRateBucket;
} // namespace waotp

namespace waotp::server {

class AccessLog;
class ApiGateway;
class HttpServer;
class Metrics;
class Outbox;
class AccountsThread;
class SigningKeys;
class SendQueueMetrics;
class SilentSender;
class TokenIssuer;
class VerificationApi;

/// What the server is built from.
struct ServerSetup
{
    ServerSettings settings;
    AppConfig config; ///< Twilio, the code store, the policy, the default region
    bool demo = false; ///< --demo: the demo sender, whatever the Twilio settings say
};

/// Owns and wires waotp-server: the code store and the sender (as the app makes them), the
/// engine, the accounts, the signing keys and tokens, the API with its metrics and access log,
/// and the HTTP layer.
class Server : public QObject
{
    Q_OBJECT
public:
    /// Builds everything for @p setup, the engine on @p clock (which must outlive the server).
    /// nullptr and a sentence for stderr in @p error when something cannot be built.
    static std::unique_ptr<Server> create(const ServerSetup &setup, const Clock &clock,
                                          QString *error);
    ~Server() override;
    /// What create() would refuse in @p settings before it builds anything (a demo server on
    /// an address other than loopback, a data directory or key directory it cannot use), found
    /// without creating or changing anything: for --check-config.
    static QStringList startProblems(const ServerSettings &settings, bool demo);

    /// Starts listening. False and why in @p error.
    bool start(QString *error);
    /// http://HOST:PORT of the listening socket.
    QUrl url() const;
    /// How long stop() lets the requests in progress take (a send waits for Twilio's answer).
    static constexpr std::chrono::seconds StopDeadline {15};
    /// Stops gracefully (SIGTERM): takes no more connections, answers long polls now, closes
    /// idle connections, and lets the requests in progress finish, each answered with
    /// "Connection: close". With a shared store, sends answered as queued go while @p deadline
    /// lasts, and those still waiting then are given up (their verifications say failed); in
    /// memory they are given up at once. @p stopped runs once all that is done and the store
    /// has the delivery reports, or after @p deadline and at most 2 * ReportGrace more.
    void stop(std::function<void()> stopped, std::chrono::milliseconds deadline = StopDeadline);

    bool isDemo() const { return m_setup.demo; }
    OtpEngine &engine() const { return *m_engine; }
    /// The sender that delivers codes (demo or Twilio); the engine reaches it through
    /// silentSender().
    CodeSender &sender() const { return *m_sender; }
    SilentSender &silentSender() const { return *m_silent; }
    /// The send-rate governor between the engine and the sender; null when
    /// max_sends_per_second is 0 (or in demo mode).
    SendGovernor *governor() const { return m_governor.get(); }
    VerificationApi &api() const { return *m_api; }
    AccountsThread &accounts() const { return *m_accounts; }
    HttpServer &http() const { return *m_http; }
    const SigningKeys &keys() const { return *m_keys; }
    Metrics &metrics() const { return *m_metrics; }
    /// Null when the access log is off.
    AccessLog *accessLog() const { return m_accessLog.get(); }
    /// The URL Twilio's status callbacks go to; empty when they are not used (no public URL or
    /// no auth token, or not the Messages API): delivery is polled then.
    QString statusCallbackUrl() const { return m_statusCallbackUrl; }

private:
    Server(const ServerSetup &setup, const Clock &clock);
    bool build(QString *error);
    bool buildStore(QString *error);
    bool buildSender(QString *error);
    bool buildGovernor(QString *error);
    void buildApi();
    VerificationApi::SharedState sharedState(const VerificationApi::Options &options) const;
    void watchSigningKeys();
    NetworkBackend *network(QString *error);

    ServerSetup m_setup;
    void connectionRefused(const QHostAddress &client);
    void logRefusals();
    void timerEvent(QTimerEvent *event) override;
    void finishSends(QDeadlineTimer until, std::function<void()> stopped);
    /// True when verifications live in a shared store (Redis), beyond this process.
    bool isShared() const;

    /// How long a stop waits for sends on their way to Twilio, and for the store to take the
    /// last delivery reports.
    static constexpr std::chrono::seconds ReportGrace {3};

    static constexpr std::chrono::seconds RefusalLogInterval {10};
    /// How often refusals not yet said look whether the interval has passed.
    static constexpr std::chrono::milliseconds RefusalLogCheck {500};

    const Clock &m_clock;
    std::unique_ptr<NetworkBackend> m_network; // outlives the store and the sender
    std::unique_ptr<CodeStore> m_store;
    std::unique_ptr<CodeSender> m_sender;
    std::unique_ptr<SendRateBucket> m_bucket;
    std::unique_ptr<SendGovernor> m_governor;
    std::unique_ptr<SilentSender> m_silent;
    std::unique_ptr<OtpEngine> m_engine;
    std::unique_ptr<AccountsThread> m_accounts;
    std::unique_ptr<SigningKeys> m_keys;
    std::unique_ptr<TokenIssuer> m_tokens;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<SendQueueMetrics> m_queueMetrics;
    std::unique_ptr<AccessLog> m_accessLog;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<VerificationApi> m_api;
    std::unique_ptr<ApiGateway> m_gateway;
    std::unique_ptr<HttpServer> m_http;
    QString m_statusCallbackUrl;
    int m_refusedConnections = 0; // since the last log line that said so
    QHostAddress m_lastRefused;
    QBasicTimer m_refusalLogCheck; // runs while refusals wait to be said
    std::optional<Clock::TimePoint> m_refusalLoggedAt;
};

} // namespace waotp::server
