#pragma once

#include "WaotpVersion.h"
#include "engine/CodeSender.h"
#include "engine/CodeStore.h"
#include "engine/Config.h"
#include "engine/RemoteVerificationBackend.h"

#include <QObject>
#include <QString>
#include <QtPlugin>

#include <functional>
#include <memory>
#include <variant>

namespace waotp {

/// Everything that talks to the network: the Twilio senders, the Redis code store, the client
/// of a verification server and the online checks of the configuration. The app reaches it through
/// this interface only, so that QtNetwork (and hiredis) are loaded when live mode or a shared store
/// first needs them, not at every start: demo mode never loads them.
///
/// Everything a backend makes must be destroyed before the backend (it owns the
/// QNetworkAccessManager they use). One thread: the one the backend was made on.
class NetworkBackend
{
public:
    virtual ~NetworkBackend() = default;

    /// The live sender for @p config (see makeLiveSender()); nullptr, and the reason in
    /// @p error, when the configuration has no way to send.
    virtual std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QString *error) = 0;

    /// A code store shared through the Redis server of @p url (`redis://...`), or why not.
    virtual std::variant<std::unique_ptr<CodeStore>, QString>
    makeRedisStore(const QString &url) = 0;

    /// Asks Twilio whether @p config's credentials work (see OnlineCheck). @p done is called
    /// once, later, from the event loop, unless @p context is destroyed first.
    virtual void checkOnline(const AppConfig &config, QObject *context,
                             std::function<void(bool ok, const QString &plainWords)> done) = 0;

    /// The client of the verification server at @p serverUrl (waotp-server), its countdowns on
    /// @p clock (which must outlive it).
    virtual std::unique_ptr<RemoteVerificationBackend> makeServerBackend(const QUrl &serverUrl,
                                                                         const Clock &clock) = 0;

    /// Asks the verification server at @p serverUrl whether it is ready and publishes its
    /// signing keys (see ServerCheck). @p done as for checkOnline().
    virtual void checkServer(const QUrl &serverUrl, QObject *context,
                             std::function<void(bool ok, const QString &plainWords)> done) = 0;

protected:
    NetworkBackend() = default;
    Q_DISABLE_COPY_MOVE(NetworkBackend)
};

/// What the network module exports: a factory of backends. Its interface id carries the version
/// and the build's id, so a module of another version or build of waotp is refused, not used.
class NetworkBackendFactory
{
public:
    virtual ~NetworkBackendFactory() = default;
    virtual std::unique_ptr<NetworkBackend> create() = 0;

protected:
    NetworkBackendFactory() = default;
    Q_DISABLE_COPY_MOVE(NetworkBackendFactory)
};

} // namespace waotp

#define WAOTP_NETWORK_BACKEND_FACTORY_IID \
    "io.waotp.NetworkBackendFactory/" WAOTP_ENGINE_VERSION "/" WAOTP_ENGINE_BUILD_ID
Q_DECLARE_INTERFACE(waotp::NetworkBackendFactory, WAOTP_NETWORK_BACKEND_FACTORY_IID)
