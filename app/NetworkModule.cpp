#include "NetworkModule.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QPluginLoader>

Q_LOGGING_CATEGORY(lcNetworkModule, "waotp.app.network", QtInfoMsg)

namespace waotp {

QString networkModulePath()
{
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + u'/'
                           + QStringLiteral(WAOTP_NETWORK_MODULE_RELPATH));
}

std::unique_ptr<NetworkBackend> loadNetworkBackend(QString *error)
{
    return loadNetworkBackend(networkModulePath(), error);
}

std::unique_ptr<NetworkBackend> loadNetworkBackend(const QString &path, QString *error)
{
    // Loaded once; never unloaded (the objects it makes use its code until the process ends).
    static QHash<QString, NetworkBackendFactory *> factories;
    NetworkBackendFactory *&factory = factories[path];
    if (!factory) {
        if (!QFileInfo(path).isFile()) {
            *error = QStringLiteral("the network module %1 is missing: reinstall waotp").arg(path);
            return nullptr;
        }
        QPluginLoader loader(path);
        // Every symbol bound now: one the executable fails to export stops the load with its
        // name, instead of the process at the first call that needs it.
        loader.setLoadHints(QLibrary::ResolveAllSymbolsHint);
        QObject *instance = loader.instance();
        if (!instance) {
            *error = QStringLiteral("cannot load the network module: %1").arg(loader.errorString());
            return nullptr;
        }
        factory = qobject_cast<NetworkBackendFactory *>(instance);
        if (!factory) {
            *error = QStringLiteral("the network module %1 belongs to another version or build "
                                    "of waotp (this is %2): reinstall waotp")
                         .arg(path, QStringLiteral(WAOTP_ENGINE_VERSION));
            return nullptr;
        }
        qCDebug(lcNetworkModule) << "network module loaded from" << path;
    }
    return factory->create();
}

} // namespace waotp
