#include "AppContext.h"

#include "NetworkModule.h"
#include "engine/CodeHasher.h"
#include "engine/DataDirectory.h"
#include "engine/DemoSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "engine/SqliteAccountStore.h"
#include "engine/Stats.h"
#include "engine/VerificationBackend.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <functional>

Q_LOGGING_CATEGORY(lcApp, "waotp.app", QtInfoMsg)

namespace waotp {

/// The account database, opened on first use: opening it (the SQLite driver, the schema check)
/// is not needed to show the window, only when a code is requested or verified.
class LazyAccountStore final : public AccountStore
{
public:
    using FailureHandler = std::function<void(const QString &error)>;

    LazyAccountStore(QString path, FailureHandler onFailure)
        : m_path(std::move(path)), m_onFailure(std::move(onFailure))
    { }

    bool open(QString *error)
    {
        if (!tryOpen() && error)
            *error = m_error;
        return m_store != nullptr;
    }

    std::optional<bool> isRegistered(const PhoneNumber &number) const override
    {
        return store() ? m_store->isRegistered(number) : std::nullopt;
    }
    Result createAccount(const PhoneNumber &number) override
    {
        return store() ? m_store->createAccount(number) : Result::StorageError;
    }
    Result recordSignIn(const PhoneNumber &number) override
    {
        return store() ? m_store->recordSignIn(number) : Result::StorageError;
    }

private:
    // Opens the database once; false if it cannot be opened (now or before).
    bool tryOpen() const
    {
        if (!m_tried) {
            m_tried = true;
            QString why;
            m_store = SqliteAccountStore::open(m_path, &why);
            if (!m_store)
                m_error = QStringLiteral("cannot use the account database: %1").arg(why);
        }
        return m_store != nullptr;
    }

    // The open store for a call of the interface; the first failure is reported.
    SqliteAccountStore *store() const
    {
        const bool first = !m_tried;
        if (!tryOpen() && first && m_onFailure)
            m_onFailure(m_error);
        return m_store.get();
    }

    QString m_path;
    FailureHandler m_onFailure;
    mutable std::unique_ptr<SqliteAccountStore> m_store;
    mutable QString m_error;
    mutable bool m_tried = false;
};

ConfigSource configSource(const Options &options)
{
    ConfigSource source;
    source.filePath = options.configFile;
    if (!options.country.isEmpty())
        source.overrides.insert(QStringLiteral("WAOTP_DEFAULT_COUNTRY"), options.country);
    if (!options.serverUrl.isEmpty())
        source.overrides.insert(QStringLiteral("WAOTP_SERVER_URL"), options.serverUrl);
    return source;
}

bool isDemoRun(const Options &options, const AppConfig &config)
{
    return options.demo || config.mode() == AppConfig::Mode::Demo;
}

QString dataDirectory(const Options &options)
{
    if (!options.dataDir.isEmpty())
        return QDir::cleanPath(QDir::current().absoluteFilePath(options.dataDir));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString accountsPath(const QString &dir, bool demo)
{
    return QDir(dir).filePath(demo ? QStringLiteral("demo-accounts.sqlite")
                                   : QStringLiteral("accounts.sqlite"));
}

QString statsPath(const QString &dir, bool demo)
{
    return QDir(dir).filePath(demo ? QStringLiteral("demo-stats.json")
                                   : QStringLiteral("stats.json"));
}

AppContext::AppContext(const Options &options, const AppConfig &config)
    : m_options(options), m_config(config), m_demo(isDemoRun(options, config)),
      m_dataDir(dataDirectory(options))
{ }

AppContext::~AppContext()
{
    // The engine refers to the sender and the store; the recorder and the flow's backend to
    // the engine; the server's client to the network backend.
    m_remote.reset();
    m_local.reset();
    m_stats.reset();
    m_engine.reset();
    m_sender.reset();
    m_store.reset();
}

std::unique_ptr<AppContext> AppContext::create(const Options &options, const AppConfig &config,
                                               QString *error)
{
    std::unique_ptr<AppContext> context(new AppContext(options, config));
    if (!context->build(error))
        return nullptr;
    return context;
}

AccountStore &AppContext::accounts() const
{
    return *m_accounts;
}

bool AppContext::openAccounts(QString *error)
{
    return !m_accounts || m_accounts->open(error); // none in server mode
}

VerificationBackend &AppContext::backend() const
{
    if (m_remote)
        return *m_remote;
    return *m_local;
}

bool AppContext::build(QString *error)
{
    if (!m_demo && m_config.mode() == AppConfig::Mode::Server)
        return buildServerClient(error);
    if (!ensureDataDirectory(m_dataDir, error))
        return false;
    m_accounts = std::make_unique<LazyAccountStore>(
        accountsPath(m_dataDir, m_demo),
        [this](const QString &why) { Q_EMIT accountsFailed(why); });
    if (!buildStore(error) || !buildSender(error))
        return false;

    // A shared store needs the same key on every machine; a local one gets a fresh key.
    CodeHasher hasher =
        m_config.storeSecret.isEmpty() ? CodeHasher() : CodeHasher(m_config.storeSecret);
    m_engine = std::make_unique<OtpEngine>(m_clock, *m_store, std::move(hasher), *m_sender,
                                           m_config.policy);
    if (m_options.demoAcceptAnyCode && !m_engine->setAcceptAnyCode(true)) {
        *error = QStringLiteral("--demo-accept-any-code works only in demo mode");
        return false;
    }
    m_stats = std::make_unique<StatsRecorder>(*m_engine, StatsFile(statsPath(m_dataDir, m_demo)));
    m_local = std::make_unique<LocalVerificationBackend>(*m_engine, *m_accounts);
    return true;
}

bool AppContext::buildServerClient(QString *error)
{
    NetworkBackend *network = this->network(error);
    if (!network)
        return false;
    m_remote = network->makeServerBackend(m_config.serverUrl, m_clock);
    m_remote->setNonce(m_options.nonce);
    // Only a demo server reveals codes, and it says so in every answer.
    connect(m_remote.get(), &RemoteVerificationBackend::codeShown, this, &AppContext::codeShown);
    qCInfo(lcApp).noquote() << "server mode: the verification server at"
                            << m_config.serverUrl.toDisplayString() << "sends and checks the codes";
    return true;
}

bool AppContext::buildStore(QString *error)
{
    const QString url = m_config.store;
    if (url.isEmpty() || url == u"memory") {
        m_store = std::make_unique<MemoryCodeStore>();
        return true;
    }
    if (!url.startsWith(u"redis://") && !url.startsWith(u"rediss://")) {
        *error = QStringLiteral("unknown code store '%1' (memory or redis://...)").arg(url);
        return false;
    }
    if (m_config.storeSecret.isEmpty()) {
        *error = QStringLiteral("a shared code store needs WAOTP_STORE_SECRET, the same on every "
                                "machine");
        return false;
    }
    NetworkBackend *network = this->network(error);
    if (!network)
        return false;
    auto made = network->makeRedisStore(url);
    if (auto *why = std::get_if<QString>(&made)) {
        *error = QStringLiteral("cannot use the code store: %1").arg(*why);
        return false;
    }
    m_store = std::move(std::get<std::unique_ptr<CodeStore>>(made));
    return true;
}

bool AppContext::buildSender(QString *error)
{
    if (m_demo) {
        auto demo = std::make_unique<DemoSender>(
            m_options.demoScenario.value_or(DemoSender::Scenario::Delivered));
        connect(demo.get(), &DemoSender::codeShown, this, &AppContext::codeShown);
        m_sender = std::move(demo);
        qCInfo(lcApp) << "demo mode: nothing is sent; codes are shown on screen";
        return true;
    }
    NetworkBackend *network = this->network(error);
    if (!network)
        return false;
    m_sender = network->makeLiveSender(m_config, error);
    return m_sender != nullptr;
}

NetworkBackend *AppContext::network(QString *error)
{
    if (!m_network)
        m_network = loadNetworkBackend(error);
    return m_network.get();
}

DialogOptions AppContext::dialogOptions(const QString &locale) const
{
    DialogOptions o;
    o.initialFlow = m_options.flow;
    o.defaultRegion = m_config.defaultRegion; // --country is an override of the configuration
    o.initialPhone = m_options.phone;
    o.demoMode = m_demo;
    o.kiosk = m_options.kiosk;
    // A server says whether it can send by SMS when asked to.
    o.smsFallbackAvailable = !m_sender || m_sender->supportsChannel(Channel::Sms);
    o.locale = locale;
    return o;
}

void AppContext::attach(VerificationDialog &dialog)
{
    connect(this, &AppContext::codeShown, &dialog, &VerificationDialog::showDemoCode);
    if (!m_remote)
        return;
    connect(m_remote.get(), &RemoteVerificationBackend::serviceKnown, &dialog,
            [&dialog](bool demo) {
                if (demo)
                    dialog.setDemoMode();
            });
    if (m_remote->isDemoService())
        dialog.setDemoMode();
}

} // namespace waotp
