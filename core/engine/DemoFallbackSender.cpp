#include "engine/DemoFallbackSender.h"

#include "engine/CodeGenerator.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcFallback, "waotp.fallback", QtInfoMsg)

namespace waotp {

namespace {

constexpr int LocalMaxAttempts = 5;

class ForwardJob final : public SendJob
{
public:
    using SendJob::endTracking;
    using SendJob::finish;
    using SendJob::SendJob;
    using SendJob::updateDeliveryStatus;

    /// Reports what @p inner reports.
    void mirror(SendJob *inner)
    {
        connect(inner, &SendJob::finished, this, [this, inner] { finish(inner->result()); });
        connect(inner, &SendJob::deliveryStatusChanged, this,
                [this](DeliveryStatus s, int code) { updateDeliveryStatus(s, code); });
        connect(inner, &SendJob::trackingFinished, this, [this] { endTracking(); });
    }
};

class LocalCheckJob final : public CheckJob
{
public:
    using CheckJob::CheckJob;
    using CheckJob::finishLater;
};

bool constantTimeEqual(QStringView a, QStringView b)
{
    if (a.size() != b.size())
        return false;
    char16_t diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= a[i].unicode() ^ b[i].unicode();
    return diff == 0;
}

} // namespace

DemoFallbackSender::DemoFallbackSender(std::unique_ptr<CodeSender> live, QObject *parent)
    : CodeSender(parent), m_live(std::move(live)),
      m_demo(std::make_unique<DemoSender>(DemoSender::Scenario::Delivered))
{
    qRegisterMetaType<SendResult>();
    connect(m_demo.get(), &DemoSender::codeShown, this, &DemoFallbackSender::codeShown);
}

DemoFallbackSender::~DemoFallbackSender() = default;

bool DemoFallbackSender::fallsBackOn(SendError error)
{
    return error != SendError::None && error != SendError::InvalidNumber;
}

SendJob *DemoFallbackSender::send(const OutgoingCode &code)
{
    auto *outer = new ForwardJob(this);
    m_localCodes.remove(code.to.e164());
    SendJob *live = m_live->send(code);
    connect(live, &SendJob::finished, outer, [this, outer, live, code] {
        const SendResult result = live->result();
        if (result.ok() || !fallsBackOn(result.error)) {
            outer->finish(result);
            connect(live, &SendJob::deliveryStatusChanged, outer,
                    [outer](DeliveryStatus s, int c) { outer->updateDeliveryStatus(s, c); });
            connect(live, &SendJob::trackingFinished, outer, [outer] { outer->endTracking(); });
            return;
        }
        qCWarning(lcFallback).noquote()
            << "live send to" << code.to.masked() << "failed (" << result.detail
            << "): demo fallback, the code is shown on screen";
        OutgoingCode shown = code;
        if (shown.code.isEmpty()) {
            // The live provider owns the codes (Verify): make one here and check it here.
            shown.code = generateCode();
            m_localCodes.insert(code.to.e164(),
                                {shown.code, QDeadlineTimer(shown.validity), LocalMaxAttempts});
        }
        Q_EMIT demoFallbackUsed(code.to, result);
        outer->mirror(m_demo->send(shown));
    });
    return outer;
}

CheckJob *DemoFallbackSender::check(const PhoneNumber &to, const QString &code)
{
    const auto it = m_localCodes.find(to.e164());
    if (it == m_localCodes.end())
        return m_live->check(to, code);

    using S = CheckOutcome::Status;
    CheckOutcome outcome;
    if (it->expiry.hasExpired()) {
        outcome.status = S::Expired;
        m_localCodes.erase(it);
    } else if (constantTimeEqual(it->code, code)) {
        outcome.status = S::Verified;
        m_localCodes.erase(it);
    } else if (it->attemptsLeft <= 0) {
        outcome.status = S::TooManyAttempts;
    } else if (--it->attemptsLeft > 0) {
        outcome = {S::WrongCode, it->attemptsLeft};
    } else {
        outcome.status = S::TooManyAttempts; // kept, so that the right code is refused too
    }
    auto *job = new LocalCheckJob(this);
    job->finishLater(outcome);
    return job;
}

} // namespace waotp
