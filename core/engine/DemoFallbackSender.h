#pragma once

#include "engine/CodeSender.h"
#include "engine/DemoSender.h"

#include <QDeadlineTimer>
#include <QHash>

#include <memory>

namespace waotp {

/// The original system's behaviour, kept only behind the explicit allow_demo_fallback setting:
/// sends through a live sender and, when that fails, "delivers" the code like the demo sender
/// does (on screen and in the log). Every fallback emits demoFallbackUsed() so the UI shows a
/// visible "demo fallback" banner, and codeShown() so it can show the code.
///
/// No fallback for SendError::InvalidNumber: a number that cannot exist gets no account. When
/// the live sender owns the codes (Twilio Verify), a fallback code is generated here and
/// checked here, for that number only, until it is used, expires or a live send replaces it.
class DemoFallbackSender final : public CodeSender
{
    Q_OBJECT
public:
    DemoFallbackSender(std::unique_ptr<CodeSender> live, QObject *parent = nullptr);
    ~DemoFallbackSender() override;

    SendJob *send(const OutgoingCode &code) override;
    bool supportsChannel(Channel channel) const override
    {
        return m_live->supportsChannel(channel);
    }
    bool generatesCodes() const override { return m_live->generatesCodes(); }
    CheckJob *check(const PhoneNumber &to, const QString &code) override;
    /// False: this is live mode, the engine must not accept any code.
    bool isDemo() const override { return false; }

    CodeSender &liveSender() const { return *m_live; }
    DemoSender &demoSender() const { return *m_demo; }

    /// True if a failure of this kind falls back to showing the code.
    static bool fallsBackOn(SendError error);

Q_SIGNALS:
    /// The live send to @p to failed with @p liveError; the code is shown instead.
    void demoFallbackUsed(const waotp::PhoneNumber &to, const waotp::SendResult &liveError);
    /// Forwarded from the demo sender: the code to show for @p to.
    void codeShown(const waotp::PhoneNumber &to, const QString &code);

private:
    struct LocalCode
    {
        QString code;
        QDeadlineTimer expiry;
        int attemptsLeft = 0;
    };

    std::unique_ptr<CodeSender> m_live;
    std::unique_ptr<DemoSender> m_demo;
    QHash<QString, LocalCode> m_localCodes; // e164 -> fallback code (only with Verify)
};

} // namespace waotp
