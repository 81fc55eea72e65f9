#pragma once

#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "network/twilio/TwilioHttp.h"

#include <memory>

class QNetworkAccessManager;

namespace waotp {

/// The live sender for @p config: Twilio Verify when a Verify service SID is set, else the
/// Messages API (WhatsApp, plus SMS when an SMS sender is set). Returns nullptr (and logs why)
/// in demo mode or when the configuration has no way to send. @p nam must outlive the sender.
///
/// The caller owns the sender. @p parent only sets the QObject parent: when it is given, the
/// parent must not be destroyed while the unique_ptr still holds the sender (or release() it).
std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QNetworkAccessManager *nam,
                                           QObject *parent = nullptr);

/// As above, with the request and tracking time limits of @p timings (tests make them short).
std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QNetworkAccessManager *nam,
                                           const TwilioTimings &timings, QObject *parent = nullptr);

} // namespace waotp
