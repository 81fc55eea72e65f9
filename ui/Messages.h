#pragma once

#include "engine/CodeSender.h"
#include "engine/OtpEngine.h"
#include "engine/PhoneNumber.h"

#include <QCoreApplication>
#include <QString>

#include <chrono>

namespace waotp {

/// The plain words the UI shows for the engine's typed results. One place, so every page says
/// the same thing and translators see each sentence once (context "waotp::Messages").
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(waotp::Messages)
public:
    Messages() = delete;

    /// Why a code could not be sent, e.g. "No connection. Check your internet and try again."
    /// @p retryAfter is used by the rate-limit message when known.
    static QString sendError(SendError error,
                             std::chrono::seconds retryAfter = std::chrono::seconds(0));
    /// The message for a refused or failed requestCode(); empty for Status::Sent.
    static QString requestFailure(const CodeRequestResult &result);
    /// The message for a failed verifyCode(), e.g. "Wrong code — 4 attempts left"; empty for
    /// Verified.
    static QString verifyFailure(const VerifyResult &result);
    /// "Try again in 0:42".
    static QString tryAgainIn(std::chrono::seconds wait);
    /// "Wrong code — 4 attempts left" (correct plural in English even without a translation).
    static QString wrongCode(int attemptsLeft);
    /// "Code sent to +91 ••••• •3210 on WhatsApp, expires in 5 minutes" (or "by SMS"): where a
    /// code went, for screen readers. The number is masked and kept in one left-to-right piece.
    static QString codeSentTo(const PhoneNumber &number, Channel channel,
                              std::chrono::seconds lifetime);
    /// "Sent", "Delivered", "Read", "Not delivered" ... for the delivery ticks.
    static QString deliveryStatus(DeliveryStatus status);
    /// "✓", "✓✓", "✕" ... (the glyphs next to deliveryStatus()).
    static QString deliveryTicks(DeliveryStatus status);
};

} // namespace waotp
