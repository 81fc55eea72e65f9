#pragma once

#include "engine/NetworkBackend.h"

#include <memory>

namespace waotp {

/// The network backend, in process: Twilio on a QNetworkAccessManager of its own, Redis through
/// hiredis. The app gets the same code from its network module (NetworkPlugin.cpp); tests and
/// applications that embed the core link it directly.
std::unique_ptr<NetworkBackend> makeNetworkBackend();

} // namespace waotp
