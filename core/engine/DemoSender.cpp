#include "engine/DemoSender.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>

#include <array>

Q_LOGGING_CATEGORY(lcDemo, "waotp.demo", QtInfoMsg)

namespace waotp {

namespace {

struct ScenarioName
{
    DemoSender::Scenario scenario;
    const char16_t *name;
};

constexpr std::array<ScenarioName, 9> Names {{
    {DemoSender::Scenario::Delivered, u"delivered"},
    {DemoSender::Scenario::Read, u"read"},
    {DemoSender::Scenario::Undelivered, u"undelivered"},
    {DemoSender::Scenario::InvalidNumber, u"invalid-number"},
    {DemoSender::Scenario::NotWhatsApp, u"not-whatsapp"},
    {DemoSender::Scenario::OptedOut, u"opted-out"},
    {DemoSender::Scenario::RateLimited, u"rate-limited"},
    {DemoSender::Scenario::NetworkDown, u"network-down"},
    {DemoSender::Scenario::Slow, u"slow"},
}};

SendResult refusal(SendError error, int code, const char *detail)
{
    SendResult r;
    r.error = error;
    r.providerCode = code;
    r.httpStatus = code ? 400 : 0;
    r.detail = QString::fromLatin1(detail);
    if (code)
        r.moreInfo = QStringLiteral("https://www.twilio.com/docs/errors/%1").arg(code);
    return r;
}

// Shaped like Twilio's ("SM" and 32 hex digits, random), so that every message has an id of its
// own (a job's address is reused once the job is gone) that stores can keep as 16 bytes.
QString demoMessageSid()
{
    QString sid = QStringLiteral("SM");
    for (int i = 0; i < 2; ++i)
        sid += QStringLiteral("%1").arg(QRandomGenerator::global()->generate64(), 16, 16,
                                        QLatin1Char('0'));
    return sid;
}

class DemoSendJob final : public SendJob
{
public:
    using SendJob::endTracking;
    using SendJob::finish;
    using SendJob::finishLater;
    using SendJob::SendJob;
    using SendJob::updateDeliveryStatus;
};

} // namespace

DemoSender::DemoSender(Scenario scenario, QObject *parent)
    : CodeSender(parent), m_scenario(scenario), m_timers(new TimerQueue(this))
{ }

QStringList DemoSender::scenarioNames()
{
    QStringList out;
    for (const auto &n : Names)
        out.append(QString::fromUtf16(n.name));
    return out;
}

std::optional<DemoSender::Scenario> DemoSender::scenarioFromName(QStringView name)
{
    for (const auto &n : Names) {
        if (name == QStringView(n.name))
            return n.scenario;
    }
    return std::nullopt;
}

SendJob *DemoSender::send(const OutgoingCode &code)
{
    auto *job = new DemoSendJob(this);
    const PhoneNumber to = code.to;
    const QString plain = code.code;
    const Scenario scenario = m_scenario;
    const auto step = m_stepDelay;
    QPointer<DemoSender> self(this);

    QPointer<TimerQueue> timers(m_timers);

    auto deliver =
        [job, to, plain, scenario, step, self, timers] {
            SendResult ok;
            ok.messageId = demoMessageSid();
            ok.httpStatus = 201;
            qCInfo(lcDemo).noquote()
                << QStringLiteral("[demo] code for %1: %2").arg(to.masked(), plain);
            job->finish(ok);
            if (self)
                Q_EMIT self->codeShown(to, plain);
            job->updateDeliveryStatus(DeliveryStatus::Queued);
            if (!timers)
                return;
            timers->callAfter(step, job, [job, scenario, step, timers] {
                job->updateDeliveryStatus(DeliveryStatus::Sent);
                timers->callAfter(step, job, [job, scenario, step, timers] {
                    if (scenario == Scenario::Undelivered) {
                        job->updateDeliveryStatus(DeliveryStatus::Undelivered, 63024);
                        job->endTracking();
                        return;
                    }
                    job->updateDeliveryStatus(DeliveryStatus::Delivered);
                    if (scenario != Scenario::Read) {
                        job->endTracking();
                        return;
                    }
                    timers->callAfter(step, job, [job] {
                        job->updateDeliveryStatus(DeliveryStatus::Read);
                        job->endTracking();
                    });
                });
            });
        };

    switch (scenario) {
    case Scenario::Delivered:
    case Scenario::Read:
    case Scenario::Undelivered:
        // From the event loop's next pass, on the sender's timer queue: a zero-time
        // QTimer::singleShot is a posted event, and each wakes the loop through its
        // descriptor (a write, and a read to clear it).
        m_timers->callAfter(std::chrono::milliseconds(0), job, deliver);
        break;
    case Scenario::Slow:
        m_timers->callAfter(m_slowDelay, job, deliver);
        break;
    case Scenario::InvalidNumber:
        job->finishLater(refusal(SendError::InvalidNumber, 21211, "demo: invalid 'To' number"));
        break;
    case Scenario::NotWhatsApp:
        job->finishLater(refusal(SendError::NotWhatsAppUser, 63003, "demo: not a WhatsApp user"));
        break;
    case Scenario::OptedOut:
        job->finishLater(refusal(SendError::OptedOut, 21610, "demo: recipient opted out"));
        break;
    case Scenario::RateLimited: {
        SendResult r = refusal(SendError::RateLimited, 20429, "demo: too many requests");
        r.httpStatus = 429;
        r.retryAfter = std::chrono::seconds(60);
        job->finishLater(r);
        break;
    }
    case Scenario::NetworkDown:
        job->finishLater(refusal(SendError::Network, 0, "demo: network unreachable"));
        break;
    }
    return job;
}

} // namespace waotp
