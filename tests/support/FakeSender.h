#pragma once

#include "engine/CodeSender.h"

#include <QList>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace waotp::test {

/// A sender that records what it is asked to send and answers as told, from the event loop.
class FakeSender final : public CodeSender
{
    Q_OBJECT
public:
    class Job final : public SendJob
    {
    public:
        using SendJob::endTracking;
        using SendJob::finish;
        using SendJob::SendJob;
        using SendJob::updateDeliveryStatus;
    };
    class Check final : public CheckJob
    {
    public:
        using CheckJob::CheckJob;
        using CheckJob::finish;
    };

    using CodeSender::CodeSender;

    QList<OutgoingCode> sent;
    QList<Job *> jobs;
    /// The answer to the next sends (default: accepted).
    SendResult nextResult;
    bool demo = false;
    bool ownsCodes = false; ///< behave like Twilio Verify
    bool smsSupported = true;
    /// For ownsCodes: how check() answers, and the codes it was asked about.
    std::function<CheckOutcome(const QString &code)> checker = [](const QString &) {
        return CheckOutcome {CheckOutcome::Status::Verified, 0};
    };
    QStringList checked;
    /// The messageIds cancelCode() was asked to cancel.
    QStringList cancelled;

    SendJob *send(const OutgoingCode &code) override
    {
        sent.append(code);
        auto *job = new Job(this);
        jobs.append(job);
        const SendResult r = nextResult;
        QTimer::singleShot(0, job, [job, r] { job->finish(r); });
        return job;
    }
    bool supportsChannel(Channel c) const override
    {
        return c == Channel::WhatsApp || smsSupported;
    }
    bool generatesCodes() const override { return ownsCodes; }
    bool isDemo() const override { return demo; }
    CheckJob *check(const PhoneNumber &, const QString &code) override
    {
        if (!ownsCodes)
            return nullptr;
        checked.append(code);
        auto *job = new Check(this);
        const CheckOutcome o = checker(code);
        QTimer::singleShot(0, job, [job, o] { job->finish(o); });
        return job;
    }
    void cancelCode(const QString &messageId) override { cancelled.append(messageId); }
};

} // namespace waotp::test
