#pragma once

#include "CommandLine.h"
#include "VerificationDialog.h"
#include "engine/Clock.h"
#include "engine/Config.h"

#include <QObject>

#include <memory>

namespace waotp {

class AccountStore;
class CodeSender;
class CodeStore;
class LazyAccountStore;
class LocalVerificationBackend;
class NetworkBackend;
class OtpEngine;
class RemoteVerificationBackend;
class StatsRecorder;
class VerificationBackend;

/// Where the configuration comes from: --config FILE (else the default file), the environment,
/// and --country as an override of WAOTP_DEFAULT_COUNTRY.
ConfigSource configSource(const Options &options);

/// True for a demo run: --demo, or a configuration without Twilio credentials. Nothing is sent;
/// codes are shown on screen.
bool isDemoRun(const Options &options, const AppConfig &config);

/// Where the account database and the statistics live: --data-dir, else the platform's data
/// directory (QStandardPaths::AppDataLocation, e.g. ~/.local/share/waotp).
QString dataDirectory(const Options &options);
/// The account database in @p dir. Demo runs keep their own, so a demonstration never
/// registers a number in the real one.
QString accountsPath(const QString &dir, bool demo);
/// The statistics file in @p dir (demo runs count separately too).
QString statsPath(const QString &dir, bool demo);

/// Owns and wires everything the dialog talks to: the clock, the code store, the sender, the
/// engine, the account store and the statistics, and the network backend when live mode or a
/// shared store needs one (loaded from the network module; demo mode never loads it). Built
/// from the command line and the configuration by create(); main() only adds the dialog.
///
/// In server mode (WAOTP_SERVER_URL) it holds only the clock and the client of the verification
/// server (from the network module): no engine, store, sender, account database or statistics,
/// and no secret.
class AppContext : public QObject
{
    Q_OBJECT
public:
    /// Builds the objects for @p options and @p config. Returns nullptr and sets @p error (a
    /// sentence for stderr) when something cannot be built: the data directory, the code store
    /// or the sender. The account database is opened when first used (or by openAccounts()).
    static std::unique_ptr<AppContext> create(const Options &options, const AppConfig &config,
                                              QString *error);
    ~AppContext() override;

    /// True in demo mode (--demo or no Twilio credentials): nothing is sent, codes are shown.
    bool isDemo() const { return m_demo; }
    const Options &options() const { return m_options; }
    const AppConfig &config() const { return m_config; }
    QString dataDir() const { return m_dataDir; }

    const Clock &clock() const { return m_clock; }
    /// True in server mode: a verification server sends and checks the codes and keeps the
    /// accounts. engine(), sender(), accounts() and stats() are then not there.
    bool isServerMode() const { return m_remote != nullptr; }
    /// What the dialog's flow runs on: this process' engine and accounts, or the server.
    VerificationBackend &backend() const;
    /// The client of the verification server in server mode, else nullptr.
    RemoteVerificationBackend *remote() const { return m_remote.get(); }
    OtpEngine &engine() const { return *m_engine; }
    CodeSender &sender() const { return *m_sender; }
    /// The accounts; the database opens on first use. If it cannot be opened, every call
    /// answers "cannot read" (std::nullopt, StorageError) and accountsFailed() is emitted once.
    AccountStore &accounts() const;
    /// Opens the account database now if it is not open yet. False, and @p error (a sentence
    /// for stderr), if it cannot be opened.
    bool openAccounts(QString *error);
    StatsRecorder &stats() const { return *m_stats; }

    /// The dialog's options for @p locale (the language of the messages, BCP 47).
    DialogOptions dialogOptions(const QString &locale) const;
    /// Shows demo codes in @p dialog's toast (demo mode only: a live code is never shown); in
    /// server mode, a demo server's codes and its Demo badge.
    void attach(VerificationDialog &dialog);

Q_SIGNALS:
    /// A code to show on screen: the demo sender's (demo mode only).
    void codeShown(const waotp::PhoneNumber &to, const QString &code);
    /// The account database could not be opened when first used; @p error is a sentence for
    /// stderr.
    void accountsFailed(const QString &error);

private:
    AppContext(const Options &options, const AppConfig &config);
    bool build(QString *error);
    bool buildStore(QString *error);
    bool buildSender(QString *error);
    bool buildServerClient(QString *error);
    NetworkBackend *network(QString *error);

    Options m_options;
    AppConfig m_config;
    bool m_demo = false;
    QString m_dataDir;

    SteadyClock m_clock;
    std::unique_ptr<NetworkBackend> m_network; // before the store and sender: it outlives them
    std::unique_ptr<RemoteVerificationBackend> m_remote; // server mode
    std::unique_ptr<CodeStore> m_store;
    std::unique_ptr<CodeSender> m_sender;
    std::unique_ptr<OtpEngine> m_engine;
    std::unique_ptr<LazyAccountStore> m_accounts;
    std::unique_ptr<StatsRecorder> m_stats;
    std::unique_ptr<LocalVerificationBackend> m_local; // the engine and the accounts, for the flow
};

} // namespace waotp
