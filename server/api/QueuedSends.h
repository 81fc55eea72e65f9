#pragma once

#include "server/api/VerificationStore.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>
#include <utility>

namespace waotp::server {

/// The codes that wait in the send-rate governor's queue, by their SendResult::queueTicket, and
/// whether each is still wanted when its slot comes: a code goes out only while it is the
/// current code of an open verification. Cancelled (DELETE, here or on another instance),
/// replaced (a new verification of the number), approved, used up or expired: it is dropped.
///
/// A newer code of the same number sent through this instance replaces the older at once; one
/// sent through another instance shows in the store: the verification is cancelled (a new
/// create) or, for a resend, the shared store names another send (Verification::sendTag),
/// however soon after the first it came. A store without send names shows a resend by its
/// code's expiry moved later (at least a resend cooldown later): one less than ReplacedAfter
/// after the first send is not told apart there. When the store cannot be asked, the code goes
/// (as the governor sends without its bucket when that cannot be asked).
class QueuedSends
{
public:
    using Clock = std::chrono::steady_clock;
    /// How much later the verification's code must expire to be another code (a store
    /// without send names).
    static constexpr std::chrono::milliseconds ReplacedAfter {1000};

    /// The send @p ticket (0: it went at once) of the verification @p v was stored: a newer code
    /// of its number, which replaces any that waits.
    void stored(quint64 ticket, const Verification &v);
    /// The send @p ticket was not stored at @p now (its verification went meanwhile): its code
    /// must not go.
    void notStored(quint64 ticket, Clock::time_point now);
    /// Answers whether the code of send @p ticket should still go, asking @p store if needed.
    void ask(quint64 ticket, VerificationStore &store, Clock::time_point now,
             std::function<void(bool wanted)> answer);
    /// The send @p ticket will not go (given up): its verification's id and the store's name
    /// of the send, when it was still wanted; forgotten.
    std::optional<std::pair<QByteArray, QByteArray>> giveUp(quint64 ticket);
    /// Sends remembered (for tests).
    qsizetype size() const { return m_sends.size(); }

private:
    struct Send
    {
        QByteArray id; ///< the verification's; empty: not wanted
        QString e164;
        Clock::time_point expiresAt;
        QByteArray tag; ///< the store's name of the send (Verification::sendTag), if any
    };
    void forgetOld(Clock::time_point now);

    QHash<quint64, Send> m_sends;
    QHash<QString, quint64> m_latest; // E.164 -> its latest queued send's ticket
    qsizetype m_forgetAt = 1024;
};

} // namespace waotp::server
