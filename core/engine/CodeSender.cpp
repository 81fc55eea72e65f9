#include "engine/CodeSender.h"

#include <QTimer>

namespace waotp {

SendJob::SendJob(QObject *parent) : QObject(nullptr)
{
    m_sender = qobject_cast<CodeSender *>(parent);
    if (m_sender)
        m_sender->m_jobs.insert(this);
    else
        setParent(parent);
}

SendJob::~SendJob()
{
    if (m_sender)
        m_sender->m_jobs.erase(this);
}

void SendJob::finish(const SendResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = result;
    Q_EMIT finished();
    if (!result.ok())
        endTracking();
}

void SendJob::finishLater(const SendResult &result)
{
    QTimer::singleShot(0, this, [this, result] { finish(result); });
}

void SendJob::updateDeliveryStatus(DeliveryStatus status, int providerErrorCode)
{
    if (m_trackingEnded || status == m_status)
        return;
    m_status = status;
    Q_EMIT deliveryStatusChanged(status, providerErrorCode);
}

void SendJob::endTracking()
{
    if (m_trackingEnded)
        return;
    m_trackingEnded = true;
    Q_EMIT trackingFinished();
    deleteLater();
}

CheckJob::CheckJob(QObject *parent) : QObject(parent) { }

CheckJob::~CheckJob() = default;

void CheckJob::finish(const CheckOutcome &outcome, const SendResult &error)
{
    m_outcome = outcome;
    m_error = error;
    Q_EMIT finished();
    deleteLater();
}

void CheckJob::finishLater(const CheckOutcome &outcome, const SendResult &error)
{
    QTimer::singleShot(0, this, [this, outcome, error] { finish(outcome, error); });
}

CodeSender::~CodeSender()
{
    // Before the sender's children (its network access, its timers) go: a job being destroyed
    // may still use them.
    while (!m_jobs.empty())
        delete *m_jobs.begin();
}

CheckJob *CodeSender::check(const PhoneNumber &, const QString &)
{
    return nullptr;
}

void CodeSender::cancelCode(const QString &) { }

} // namespace waotp
