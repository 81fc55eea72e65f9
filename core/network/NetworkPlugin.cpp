// The network module (waotp-network.so) that the app loads when it first needs the network.
// Only this factory is defined here: the rest of the core it uses comes from the executable,
// which exports it (app/waotp.dynlist), so there is one copy of every class and its meta-object.
#include "engine/NetworkBackend.h"
#include "network/LiveNetworkBackend.h"

#include <QObject>

namespace waotp {

class NetworkPlugin final : public QObject, public NetworkBackendFactory
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "io.waotp.NetworkBackendFactory")
    Q_INTERFACES(waotp::NetworkBackendFactory)
public:
    std::unique_ptr<NetworkBackend> create() override { return makeNetworkBackend(); }
};

} // namespace waotp

#include "NetworkPlugin.moc"
