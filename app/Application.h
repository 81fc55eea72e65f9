#pragma once

#include <functional>

class QApplication;

namespace waotp {

struct Options;

/// Opens the verification dialog as the command line and the configuration ask (window, kiosk
/// or `--print-result`), runs the event loop and returns the process exit code.
/// @p beforeWindow runs just before the window is built (main() waits there for its warm-up).
int runApplication(QApplication &app, const Options &options,
                   const std::function<void()> &beforeWindow = {});

} // namespace waotp
