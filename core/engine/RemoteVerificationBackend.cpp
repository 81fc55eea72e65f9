#include "engine/RemoteVerificationBackend.h"

namespace waotp {

RemoteVerificationBackend::~RemoteVerificationBackend() = default;

} // namespace waotp
