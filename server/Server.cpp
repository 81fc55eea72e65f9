#include "server/Server.h"

#include "server/api/ApiGateway.h"
#include "server/api/RedisVerificationStore.h"
#include "server/api/SilentSender.h"
#include "server/api/VerificationApi.h"
#include "server/http/HttpServer.h"
#include "server/limits/RedisRequestLimits.h"
#include "server/monitor/AccessLog.h"
#include "server/monitor/Metrics.h"
#include "server/monitor/SendQueueMetrics.h"
#include "server/token/AccountsThread.h"
#include "server/token/SigningKeys.h"
#include "server/token/TokenIssuer.h"

#include "engine/CodeHasher.h"
#include "engine/DataDirectory.h"
#include "engine/DemoSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/NetworkBackend.h"
#include "engine/OtpEngine.h"
#include "engine/SendGovernor.h"
#include "network/LiveNetworkBackend.h"
#include "network/redis/RedisEndpoint.h"
#include "network/redis/RedisSendRateBucket.h"
#include "network/twilio/TwilioMessagesSender.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QTimerEvent>

Q_LOGGING_CATEGORY(lcServer, "waotp.server", QtInfoMsg)

namespace waotp::server {

Server::Server(const ServerSetup &setup, const Clock &clock) : m_setup(setup), m_clock(clock) { }

Server::~Server()
{
    if (m_refusedConnections > 0) // the last refusals, not said yet
        logRefusals();
    // Outside in: the connections, then what answers them, then what that uses.
    m_http.reset();
    m_gateway.reset();
    m_api.reset();
    m_accounts.reset(); // the statement running ends, those not yet run are dropped
    m_queueMetrics.reset();
    m_engine.reset();
    m_silent.reset();
    m_governor.reset();
    m_bucket.reset();
    m_sender.reset();
    m_store.reset();
}

std::unique_ptr<Server> Server::create(const ServerSetup &setup, const Clock &clock, QString *error)
{
    std::unique_ptr<Server> server(new Server(setup, clock));
    if (!server->build(error))
        return nullptr;
    return server;
}

namespace {

QString listenProblem(const ServerSettings &s, bool demo)
{
    if (!demo || s.listenAddress.isLoopback())
        return {};
    return QStringLiteral("a demo server listens on loopback only, not on %1 (it reveals "
                          "codes): use --listen 127.0.0.1:PORT, or run live")
        .arg(s.listenAddress.toString());
}

} // namespace

QStringList Server::startProblems(const ServerSettings &settings, bool demo)
{
    QStringList problems {listenProblem(settings, demo), dataDirectoryProblem(settings.dataDir)};
    // Keys in a data directory the start refuses are not looked at: it stops before them.
    const bool keysInData = !QDir(settings.dataDir)
                                 .relativeFilePath(settings.signingKeyDir)
                                 .startsWith(QStringLiteral(".."));
    if (problems.last().isEmpty() || !keysInData)
        problems.append(SigningKeys::directoryProblem(settings.signingKeyDir));
    problems.removeAll(QString());
    return problems;
}

bool Server::build(QString *error)
{
    const ServerSettings &s = m_setup.settings;
    if (QString problem = listenProblem(s, m_setup.demo); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    if (!ensureDataDirectory(s.dataDir, error) || !buildStore(error) || !buildSender(error)
        || !buildGovernor(error))
        return false;

    CodeHasher hasher = m_setup.config.storeSecret.isEmpty()
        ? CodeHasher()
        : CodeHasher(m_setup.config.storeSecret);
    // The governor sits under the silent sender, which hands it silent sends too: they take
    // their slots and places in the queue as real ones do, and send nothing when their turn
    // comes (an answer's queue_position tells nothing about the number).
    CodeSender &sender = m_governor ? static_cast<CodeSender &>(*m_governor) : *m_sender;
    m_silent = std::make_unique<SilentSender>(sender, m_setup.config.policy.maxAttempts);
    m_engine = std::make_unique<OtpEngine>(m_clock, *m_store, std::move(hasher), *m_silent,
                                           m_setup.config.policy);

    QString why;
    DatabaseLimits limits;
    limits.deadline = s.databaseTimeout;
    limits.queueLimit = s.databaseQueueLimit;
    m_accounts = AccountsThread::open(s.accountDatabase(), limits, &why);
    if (!m_accounts) {
        *error = QStringLiteral("cannot use the account database: %1").arg(why);
        return false;
    }
    qCInfo(lcServer).noquote()
        << QStringLiteral("accounts in %1").arg(s.accountDatabase().display());
    m_keys = SigningKeys::open(s.signingKeyDir, &why);
    if (!m_keys) {
        *error = QStringLiteral("cannot use the signing keys: %1").arg(why);
        return false;
    }
    watchSigningKeys();
    TokenSettings tokens;
    tokens.issuer = s.issuer();
    tokens.audience = s.tokenAudience;
    tokens.lifetime = s.tokenLifetime;
    tokens.demo = m_setup.demo;
    m_tokens = std::make_unique<TokenIssuer>(*m_keys, tokens);

    buildApi();
    return true;
}

void Server::buildApi()
{
    const ServerSettings &s = m_setup.settings;
    m_metrics = std::make_unique<Metrics>();
    m_silent->onProviderRequest = [metrics = m_metrics.get()](bool check, auto took) {
        metrics->providerCall(check ? Metrics::ProviderCall::Check : Metrics::ProviderCall::Send,
                              took);
    };
    if (m_setup.demo) {
        // Until it has seen real ones, a silent send moves like the demo sender's.
        SilentSender::Sample demo;
        demo.steps = {{DeliveryStatus::Queued, std::chrono::milliseconds(0)},
                      {DeliveryStatus::Sent, std::chrono::milliseconds(700)},
                      {DeliveryStatus::Delivered, std::chrono::milliseconds(1400)}};
        m_silent->setDefaultSample(demo, std::chrono::milliseconds(0));
    } else if (m_sender->generatesCodes()) {
        SilentSender::Sample verify; // Verify reports no delivery
        verify.accepted = std::chrono::milliseconds(300);
        m_silent->setDefaultSample(verify, std::chrono::milliseconds(300));
    }
    if (s.accessLog)
        m_accessLog = std::make_unique<AccessLog>();
    m_outbox = std::make_unique<Outbox>(m_setup.demo, *m_metrics, m_accessLog.get());

    VerificationApi::Options options;
    options.demo = m_setup.demo;
    options.defaultRegion = m_setup.config.defaultRegion;
    options.sendsPerIp = s.sendsPerIp;
    options.checksPerIp = s.checksPerIp;
    if (!s.allCountries) {
        const QStringList allowed =
            s.allowedCountries.isEmpty() ? QStringList {options.defaultRegion} : s.allowedCountries;
        options.allowedCountries = QSet<QString>(allowed.cbegin(), allowed.cend());
    }
    options.registrationHints = s.registrationHints;
    options.maxSendsPerMinute = s.maxSendsPerMinute;
    options.maxSendsPerDay = s.maxSendsPerDay;
    options.codes = m_store.get();
    // Twilio signs its callbacks with the account's auth token (even for requests made with an
    // API key), and must be given a URL it can reach.
    auto *messages = qobject_cast<TwilioMessagesSender *>(m_sender.get());
    options.statusCallbacks =
        messages && !s.publicUrl.isEmpty() && !m_setup.config.twilio.authToken.isEmpty();
    m_api = std::make_unique<VerificationApi>(*m_engine, *m_silent, *m_accounts, *m_tokens,
                                              *m_outbox, *m_metrics, options, sharedState(options));

    m_silent->setDeliveryReportedByCallback(options.statusCallbacks);
    if (options.statusCallbacks) {
        m_statusCallbackUrl = s.publicUrl.toString(QUrl::FullyEncoded) + u"/v1/twilio/status";
        messages->setStatusCallback(QUrl(m_statusCallbackUrl, QUrl::StrictMode));
    }
    ApiGateway::Options gateway;
    gateway.trustedProxies = s.trustedProxies;
    gateway.metricsAllow = s.metricsAllow;
    gateway.cors = CorsPolicy(s.allowedOrigins);
    gateway.statusCallbackUrl = m_statusCallbackUrl;
    gateway.authToken = m_setup.config.twilio.authToken;
    m_gateway =
        std::make_unique<ApiGateway>(*m_api, *m_accounts, *m_keys, *m_outbox, *m_metrics, gateway);
    ApiGateway *api = m_gateway.get();
    HttpServerLimits http = s.http;
    http.uncappedClients = s.trustedProxies;
    m_http = std::make_unique<HttpServer>(
        http,
        [api](HttpRequest &&request, HttpResponder &&responder) {
            api->handle(std::move(request), std::move(responder));
        },
        [api](HttpFailure failure) { return api->failureResponse(failure); });
    if (m_governor) {
        connect(m_governor.get(), &SendGovernor::messageAccepted, m_api.get(),
                &VerificationApi::queuedMessageSent);
        connect(m_governor.get(), &SendGovernor::gaveUp, m_api.get(),
                &VerificationApi::queuedSendGivenUp);
        // A queued code whose verification was cancelled or replaced meanwhile is dropped.
        m_governor->setStillWanted([api = QPointer<VerificationApi>(m_api.get())](
                                       quint64 ticket, std::function<void(bool)> answer) {
            if (api)
                api->queuedSendDue(ticket, std::move(answer));
        });
        m_queueMetrics = std::make_unique<SendQueueMetrics>(*m_governor);
        m_metrics->renderMore = [q = m_queueMetrics.get()](QByteArray &out) { q->render(out); };
    }
    // A shared store cannot count its verifications without a scan: the gauge is left out.
    if (m_api->verifications().size() >= 0)
        m_metrics->activeVerifications = [this] { return qint64(m_api->verifications().size()); };
    m_metrics->openConnections = [this] { return qint64(m_http->connectionCount()); };
    connect(m_http.get(), &HttpServer::connectionRefused, this,
            [this](const QHostAddress &client) { connectionRefused(client); });
}

// A client at max_connections_per_client: counted, and said at most every RefusalLogInterval
// (one client opening connections in a loop must not fill the log). Refusals within the
// interval are said once it has passed, with the count, even if no other comes.
void Server::connectionRefused(const QHostAddress &client)
{
    m_metrics->limited(Metrics::Limit::ClientConnections);
    ++m_refusedConnections;
    m_lastRefused = client;
    if (!m_refusalLoggedAt || m_clock.now() - *m_refusalLoggedAt >= RefusalLogInterval) {
        logRefusals();
        return;
    }
    if (!m_refusalLogCheck.isActive())
        m_refusalLogCheck.start(int(RefusalLogCheck.count()), this);
}

void Server::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_refusalLogCheck.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    // Against the engine's clock (the interval is), looked at every RefusalLogCheck.
    if (m_clock.now() - *m_refusalLoggedAt >= RefusalLogInterval)
        logRefusals();
}

void Server::logRefusals()
{
    m_refusalLogCheck.stop();
    m_refusalLoggedAt = m_clock.now();
    qCWarning(lcServer).noquote()
        << QStringLiteral("refused %1 connection(s) over max_connections_per_client (%2), the "
                          "last from %3")
               .arg(std::exchange(m_refusedConnections, 0))
               .arg(m_http->limits().maxConnectionsPerClient)
               .arg(m_lastRefused.toString());
}

// With the codes in Redis, the verifications and the limits are there too, so that every
// instance answers for every verification and counts against the same allowances.
VerificationApi::SharedState Server::sharedState(const VerificationApi::Options &options) const
{
    VerificationApi::SharedState shared;
    const QString url = m_setup.config.store;
    if (url.isEmpty() || url == u"memory")
        return shared;
    auto endpoint = RedisEndpoint::fromUrl(url);
    if (!std::holds_alternative<RedisEndpoint>(endpoint))
        return shared; // buildStore() refused it already
    const RedisEndpoint &redis = std::get<RedisEndpoint>(endpoint);
    const QByteArray prefix = QByteArrayLiteral("waotp:");
    const QByteArray secret = m_setup.config.storeSecret;
    auto verifications =
        std::make_unique<RedisVerificationStore>(redis, prefix, secret, options.retention, m_clock);
    // A send takes its slot of the shared send rate in the script that issues its code.
    if (const auto *bucket = dynamic_cast<const RedisSendRateBucket *>(m_bucket.get()))
        verifications->takeSendSlots(*bucket);
    shared.verifications = std::move(verifications);
    RequestLimits::Settings limits {options.sendsPerIp, options.checksPerIp,
                                    options.maxSendsPerMinute, options.maxSendsPerDay};
    shared.limits = std::make_unique<RedisRequestLimits>(redis, prefix, secret, limits);
    return shared;
}

// Keys added by `waotp-server --rotate-key` (here or on another instance sharing the directory)
// are published at once: the directory is read again when it changes, and every
// RescanInterval in case no change notice comes (a network file system).
void Server::watchSigningKeys()
{
    // A key that cannot be used is reported once, not at every look.
    const auto reload = [this, reported = std::make_shared<QString>()] {
        QString why;
        if (m_keys->reload(&why))
            reported->clear();
        else if (why != *reported)
            qCWarning(lcServer).noquote()
                << QStringLiteral("signing keys not reloaded: %1").arg(*reported = why);
    };
    auto *watcher = new QFileSystemWatcher({m_keys->directory()}, this);
    connect(watcher, &QFileSystemWatcher::directoryChanged, this, reload);
    auto *timer = new QTimer(this);
    timer->setTimerType(Qt::VeryCoarseTimer);
    connect(timer, &QTimer::timeout, this, reload);
    timer->start(SigningKeys::RescanInterval);
}

bool Server::buildStore(QString *error)
{
    const QString url = m_setup.config.store;
    if (url.isEmpty() || url == u"memory") {
        m_store = std::make_unique<MemoryCodeStore>();
        return true;
    }
    if (m_setup.config.storeSecret.isEmpty()) {
        *error = QStringLiteral("a shared code store needs WAOTP_STORE_SECRET, the same on every "
                                "server");
        return false;
    }
    NetworkBackend *backend = network(error);
    if (!backend)
        return false;
    auto made = backend->makeRedisStore(url);
    if (auto *why = std::get_if<QString>(&made)) {
        *error = QStringLiteral("cannot use the code store: %1").arg(*why);
        return false;
    }
    m_store = std::move(std::get<std::unique_ptr<CodeStore>>(made));
    return true;
}

bool Server::buildSender(QString *error)
{
    if (m_setup.demo) {
        m_sender = std::make_unique<DemoSender>(DemoSender::Scenario::Delivered);
        return true;
    }
    NetworkBackend *backend = network(error);
    if (!backend)
        return false;
    m_sender = backend->makeLiveSender(m_setup.config, error);
    return m_sender != nullptr;
}

bool Server::buildGovernor(QString *error)
{
    const ServerSettings &s = m_setup.settings;
    if (m_setup.demo || s.maxSendsPerSecond <= 0)
        return true;
    const QString url = m_setup.config.store;
    if (url.startsWith(u"redis://")) {
        // Every instance on this Redis server shares one line of send slots.
        auto made = RedisSendRateBucket::create(url, s.maxSendsPerSecond);
        if (auto *why = std::get_if<QString>(&made)) {
            *error = QStringLiteral("cannot use the send-rate bucket: %1").arg(*why);
            return false;
        }
        m_bucket = std::move(std::get<std::unique_ptr<RedisSendRateBucket>>(made));
    } else {
        m_bucket = std::make_unique<LocalSendRateBucket>(s.maxSendsPerSecond);
    }
    m_governor = std::make_unique<SendGovernor>(*m_sender, *m_bucket, m_clock, s.sendQueueLimit);
    qCInfo(lcServer).noquote() << QStringLiteral("at most %1 sends per second%2, %3 may wait")
                                      .arg(s.maxSendsPerSecond)
                                      .arg(url.startsWith(u"redis://")
                                               ? QStringLiteral(" (all instances together)")
                                               : QString())
                                      .arg(s.sendQueueLimit);
    return true;
}

NetworkBackend *Server::network(QString *)
{
    if (!m_network)
        m_network = makeNetworkBackend();
    return m_network.get();
}

void Server::stop(std::function<void()> stopped, std::chrono::milliseconds deadline)
{
    qCInfo(lcServer).noquote()
        << QStringLiteral("stopping: no new connections; the %1 open finish what "
                          "they began (at most %2 s)")
               .arg(m_http->connectionCount())
               .arg(std::chrono::ceil<std::chrono::seconds>(deadline).count());
    // Draining first: the long polls answered now are answered with "Connection: close".
    const QDeadlineTimer until(deadline);
    m_http->drain(deadline, [this, until, stopped = std::move(stopped)]() mutable {
        finishSends(until, std::move(stopped));
    });
    m_api->stopWaiting();
}

// Sends answered as queued go while the stop's deadline lasts, when their verifications
// outlive this instance (a shared store; in memory they go with it); those still waiting then
// are given up, and their verifications say failed, so that the instances that stay answer
// for them and a resend may go at once. Then the delivery reports are written.
void Server::finishSends(QDeadlineTimer until, std::function<void()> stopped)
{
    auto once = std::make_shared<std::function<void()>>(std::move(stopped));
    const auto finish = [once] {
        if (auto f = std::exchange(*once, {}))
            f();
    };
    const auto written = [this, finish] {
        m_api->whenReportsWritten(finish);
        QTimer::singleShot(ReportGrace, this, finish); // a store that does not answer
    };
    if (!m_governor || m_governor->owed() == 0) {
        written();
        return;
    }
    const auto giveUp = [this, written] {
        const qint64 waiting = m_governor->stats().waiting;
        if (waiting > 0)
            qCWarning(lcServer).noquote()
                << QStringLiteral("gave up %1 queued send(s): %2")
                       .arg(waiting)
                       .arg(isShared() ? QStringLiteral("their verifications say failed")
                                       : QStringLiteral("their verifications end with this "
                                                        "instance"));
        m_governor->abandonQueue();
        if (m_governor->owed() == 0) {
            written();
            return;
        }
        // Sends on their way to Twilio: their answers are waited for, a while.
        connect(m_governor.get(), &SendGovernor::settled, this, written, Qt::SingleShotConnection);
        QTimer::singleShot(ReportGrace, this, written);
    };
    if (!isShared() || until.hasExpired()) {
        giveUp();
        return;
    }
    qCInfo(lcServer).noquote() << QStringLiteral("waiting for %1 queued send(s) (at most %2 s)")
                                      .arg(m_governor->owed())
                                      .arg(std::chrono::ceil<std::chrono::seconds>(
                                               std::chrono::milliseconds(until.remainingTime()))
                                               .count());
    connect(m_governor.get(), &SendGovernor::settled, this, written, Qt::SingleShotConnection);
    QTimer::singleShot(std::chrono::milliseconds(until.remainingTime()), this, [this, giveUp] {
        if (m_governor->owed() > 0)
            giveUp();
    });
}

bool Server::isShared() const
{
    const QString url = m_setup.config.store;
    return !url.isEmpty() && url != u"memory";
}

bool Server::start(QString *error)
{
    const ServerSettings &s = m_setup.settings;
    if (!m_http->listen(s.listenAddress, s.listenPort, error))
        return false;
    if (s.publicUrl.isEmpty())
        m_tokens->setIssuer(url().toString());
    qCInfo(lcServer).noquote() << QStringLiteral("listening on %1%2")
                                      .arg(url().toString(),
                                           m_setup.demo ? QStringLiteral(" (demo: nothing is "
                                                                         "sent, codes are in the "
                                                                         "answers)")
                                                        : QString());
    return true;
}

QUrl Server::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(m_http->serverAddress().toString());
    u.setPort(m_http->serverPort());
    return u;
}

} // namespace waotp::server
