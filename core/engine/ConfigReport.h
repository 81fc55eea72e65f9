#pragma once

// The report of `waotp --check-config`.

#include "engine/Config.h"

#include <QString>

namespace waotp {

/// The report of `waotp --check-config`: effective settings with secrets masked and where
/// each came from, the mode the app will run in, then errors and warnings.
/// @p mode, when given, is said instead of the app's mode (waotp-server says its own).
QString describeConfig(const ConfigResult &result, const QString &mode = {});

} // namespace waotp
