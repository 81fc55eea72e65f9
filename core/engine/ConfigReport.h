#pragma once

// The report of `waotp --check-config`.

#include "engine/Config.h"

#include <QString>

namespace waotp {

/// The report of `waotp --check-config`: effective settings with secrets masked and where
/// each came from, the mode the app will run in, then errors and warnings.
QString describeConfig(const ConfigResult &result);

} // namespace waotp
