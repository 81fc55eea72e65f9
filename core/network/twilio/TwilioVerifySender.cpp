#include "network/twilio/TwilioVerifySender.h"

#include "network/twilio/TwilioError.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcTwilioVerify, "waotp.twilio.verify", QtInfoMsg)

namespace waotp {

namespace {
constexpr qsizetype MaxKnownNumbers = 10000;
} // namespace

/// One Verify send.
class TwilioVerificationJob final : public SendJob
{
public:
    TwilioVerificationJob(TwilioVerifySender *sender, QString masked, QByteArray numberKey)
        : SendJob(sender), m_sender(sender), m_masked(std::move(masked)),
          m_numberKey(std::move(numberKey))
    { }

    void start(const FormFields &form)
    {
        m_sender->http().post(TwilioService::Verify, m_sender->verificationsPath(), form, this,
                              [this](const TwilioReply &reply) { onCreated(reply); });
    }

private:
    void onCreated(const TwilioReply &reply)
    {
        SendResult r = reply.result;
        if (r.ok()) {
            r.messageId = reply.json.value(u"sid").toString();
            m_sender->m_wrongChecks.remove(m_numberKey);
            qCInfo(lcTwilioVerify).noquote()
                << "verification" << r.messageId << "for" << m_masked << "started, status"
                << reply.json.value(u"status").toString();
        } else {
            qCWarning(lcTwilioVerify).noquote()
                << "verification for" << m_masked << "failed:" << r.detail;
        }
        finish(r);
        // Verify reports no delivery status the app could poll cheaply.
        endTracking();
    }

    TwilioVerifySender *m_sender;
    QString m_masked;
    QByteArray m_numberKey;
};

/// One VerificationCheck.
class TwilioVerifyCheckJob final : public CheckJob
{
public:
    TwilioVerifyCheckJob(TwilioVerifySender *sender, const PhoneNumber &to)
        : CheckJob(sender), m_sender(sender), m_numberKey(sender->numberKey(to)),
          m_masked(to.masked())
    { }

    void start(const FormFields &form)
    {
        m_sender->http().post(TwilioService::Verify, m_sender->verificationCheckPath(), form, this,
                              [this](const TwilioReply &reply) { onChecked(reply); });
    }

private:
    void onChecked(const TwilioReply &reply)
    {
        using S = CheckOutcome::Status;
        CheckOutcome outcome;
        SendResult error;
        if (reply.result.ok()) {
            const QString status = reply.json.value(u"status").toString();
            if (status == u"approved") {
                outcome.status = S::Verified;
                m_sender->m_wrongChecks.remove(m_numberKey);
                m_sender->m_knownNumbers.remove(m_numberKey);
            } else if (status == u"pending") {
                const int wrong = ++m_sender->m_wrongChecks[m_numberKey];
                const int left = m_sender->m_maxCheckAttempts - wrong;
                outcome.status = left > 0 ? S::WrongCode : S::TooManyAttempts;
                outcome.attemptsLeft = std::max(left, 0);
            } else if (status == u"max_attempts_reached") {
                outcome.status = S::TooManyAttempts;
            } else if (status == u"expired" || status == u"canceled" || status == u"deleted") {
                outcome.status = S::Expired;
            } else {
                outcome.status = S::NoCode;
            }
        } else {
            switch (reply.result.providerCode) {
            case 20404:
                // Verify forgets a verification once it is approved, expired or cancelled.
                outcome.status = m_sender->m_wrongChecks.contains(m_numberKey)
                        || m_sender->m_knownNumbers.contains(m_numberKey)
                    ? S::Expired
                    : S::NoCode;
                break;
            case 60202:
                outcome.status = S::TooManyAttempts;
                break;
            default:
                outcome.status = S::Unavailable;
                error = reply.result;
                break;
            }
        }
        qCInfo(lcTwilioVerify).noquote() << "check for" << m_masked << "->" << int(outcome.status)
                                         << (reply.result.ok() ? QString() : reply.result.detail);
        finish(outcome, error);
    }

    TwilioVerifySender *m_sender;
    QByteArray m_numberKey;
    QString m_masked;
};

TwilioVerifySender::TwilioVerifySender(const TwilioSettings &settings, QNetworkAccessManager *nam,
                                       const TwilioTimings &timings, QObject *parent)
    : TwilioSender(settings, nam, timings, parent)
{ }

TwilioVerifySender::~TwilioVerifySender() = default;

bool TwilioVerifySender::supportsChannel(Channel channel) const
{
    return channel == Channel::WhatsApp || m_smsEnabled;
}

QString TwilioVerifySender::verificationsPath() const
{
    return QStringLiteral("/v2/Services/%1/Verifications")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(http().settings().verifyServiceSid)));
}

QString TwilioVerifySender::verificationPath(const QString &verificationSid) const
{
    return verificationsPath() + u'/'
        + QString::fromLatin1(QUrl::toPercentEncoding(verificationSid));
}

QString TwilioVerifySender::verificationCheckPath() const
{
    return QStringLiteral("/v2/Services/%1/VerificationCheck")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(http().settings().verifyServiceSid)));
}

FormFields TwilioVerifySender::verificationForm(const OutgoingCode &code) const
{
    FormFields form;
    form.append({QStringLiteral("To"), code.to.e164()});
    form.append(
        {QStringLiteral("Channel"),
         code.channel == Channel::Sms ? QStringLiteral("sms") : QStringLiteral("whatsapp")});
    if (!code.locale.isEmpty())
        form.append({QStringLiteral("Locale"), code.locale});
    return form;
}

FormFields TwilioVerifySender::checkForm(const PhoneNumber &to, const QString &code)
{
    // The order of Twilio's official client.
    return {{QStringLiteral("Code"), code}, {QStringLiteral("To"), to.e164()}};
}

FormFields TwilioVerifySender::cancelForm()
{
    return {{QStringLiteral("Status"), QStringLiteral("canceled")}};
}

QString TwilioVerifySender::refusal(const OutgoingCode &code) const
{
    return supportsChannel(code.channel) ? QString()
                                         : QStringLiteral("SMS is not enabled for Verify");
}

SendJob *TwilioVerifySender::start(const OutgoingCode &code)
{
    // Only to tell "expired" from "never requested" when Verify answers 20404; bounded.
    if (m_knownNumbers.size() >= MaxKnownNumbers)
        m_knownNumbers.clear();
    const QByteArray key = numberKey(code.to);
    m_knownNumbers.insert(key);
    auto *job = new TwilioVerificationJob(this, code.to.masked(), key);
    job->start(verificationForm(code));
    return job;
}

QByteArray TwilioVerifySender::numberKey(const PhoneNumber &to) const
{
    const Digest d = m_numberHasher.subjectKey(to.e164());
    return QByteArray(reinterpret_cast<const char *>(d.data()), qsizetype(d.size()));
}

CheckJob *TwilioVerifySender::check(const PhoneNumber &to, const QString &code)
{
    auto *job = new TwilioVerifyCheckJob(this, to);
    job->start(checkForm(to, code));
    return job;
}

void TwilioVerifySender::cancelCode(const QString &messageId)
{
    if (messageId.isEmpty())
        return;
    // Only the log hears the answer; the request is aborted if the sender goes first.
    auto *request = new QObject(this);
    http().post(TwilioService::Verify, verificationPath(messageId), cancelForm(), request,
                [request, messageId](const TwilioReply &reply) {
                    request->deleteLater();
                    if (reply.result.ok())
                        qCInfo(lcTwilioVerify).noquote()
                            << "verification" << messageId << "canceled";
                    else if (reply.result.providerCode == 20404)
                        qCInfo(lcTwilioVerify).noquote()
                            << "verification" << messageId << "was already gone";
                    else
                        qCWarning(lcTwilioVerify).noquote()
                            << "verification" << messageId
                            << "could not be canceled:" << reply.result.detail;
                });
}

} // namespace waotp
