#pragma once

class QApplication;

namespace waotp {

struct Options;

/// Opens the verification dialog as the command line and the configuration ask (window, kiosk
/// or `--print-result`), runs the event loop and returns the process exit code.
int runApplication(QApplication &app, const Options &options);

} // namespace waotp
