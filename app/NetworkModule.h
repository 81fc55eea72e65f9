#pragma once

#include "engine/NetworkBackend.h"

#include <QString>

#include <memory>

namespace waotp {

/// The path of the network module: next to the executable's directory, where it is installed
/// (e.g. /usr/bin/../lib/waotp/waotp-network.so). Never a search path: only that file is loaded.
QString networkModulePath();

/// A network backend from the network module, loaded on the first call (and kept loaded).
/// nullptr, and a sentence for stderr in @p error, when the module is missing, cannot be
/// loaded or belongs to another version of waotp.
std::unique_ptr<NetworkBackend> loadNetworkBackend(QString *error);
/// As above, from the module at @p path.
std::unique_ptr<NetworkBackend> loadNetworkBackend(const QString &path, QString *error);

} // namespace waotp
