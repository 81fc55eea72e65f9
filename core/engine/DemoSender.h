#pragma once

#include "engine/CodeSender.h"
#include "engine/TimerQueue.h"

#include <QStringList>

#include <chrono>
#include <optional>

namespace waotp {

/// Sends nothing over the network: "delivers" a code by emitting codeShown() for the UI to show
/// and by logging it. Scenarios replay the answers Twilio can give, so every path of the UI can
/// be demonstrated offline.
class DemoSender final : public CodeSender
{
    Q_OBJECT
public:
    enum class Scenario {
        Delivered, ///< queued, sent, delivered
        Read, ///< ... and read
        Undelivered, ///< accepted, then undelivered (63024): offers SMS
        InvalidNumber, ///< refused with 21211
        NotWhatsApp, ///< refused with 63003
        OptedOut, ///< refused with 21610
        RateLimited, ///< refused with 20429, retry after 60 s
        NetworkDown, ///< no connection
        Slow, ///< like Delivered, 5 s late
    };

    explicit DemoSender(Scenario scenario = Scenario::Delivered, QObject *parent = nullptr);

    /// Every scenario's command-line name ("delivered", "read", ...).
    static QStringList scenarioNames();
    /// The scenario called @p name, or std::nullopt.
    static std::optional<Scenario> scenarioFromName(QStringView name);

    Scenario scenario() const { return m_scenario; }
    /// Delay between status steps (and, for Slow, before the answer). Default 700 ms.
    void setStepDelay(std::chrono::milliseconds delay) { m_stepDelay = delay; }
    /// How late the Slow scenario answers. Default 5 s.
    void setSlowDelay(std::chrono::milliseconds delay) { m_slowDelay = delay; }

    SendJob *send(const OutgoingCode &code) override;
    bool supportsChannel(Channel) const override { return true; }
    bool isDemo() const override { return true; }

Q_SIGNALS:
    /// The code "arrived": in demo mode the UI shows it in a toast.
    void codeShown(const waotp::PhoneNumber &to, const QString &code);

private:
    Scenario m_scenario;
    std::chrono::milliseconds m_stepDelay {700};
    std::chrono::milliseconds m_slowDelay {5000};
    TimerQueue *m_timers; // the delivery steps of every code in flight, on one timer
};

} // namespace waotp
