// A network module of another build of waotp, for tst_networkmodule: it declares the factory
// interface under an interface id that is not this build's, as an older module would.
#include <QObject>
#include <QtPlugin>

namespace waotp {
class NetworkBackendFactory
{
public:
    virtual ~NetworkBackendFactory() = default;
};
} // namespace waotp

Q_DECLARE_INTERFACE(waotp::NetworkBackendFactory, "io.waotp.NetworkBackendFactory/0.0.1/stale")

class StaleNetworkPlugin final : public QObject, public waotp::NetworkBackendFactory
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "io.waotp.NetworkBackendFactory")
    Q_INTERFACES(waotp::NetworkBackendFactory)
};

#include "StaleNetworkModule.moc"
