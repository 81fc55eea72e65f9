#include "network/twilio/TwilioMessagesSender.h"

#include "network/twilio/TwilioError.h"

#include "engine/Wipe.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcTwilioMessages, "waotp.twilio.messages", QtInfoMsg)

namespace waotp {

namespace {

// Twilio accepts a ValidityPeriod of 1 to 36000 seconds.
constexpr qint64 MinValidity = 1;
constexpr qint64 MaxValidity = 36000;

QString channelName(Channel channel)
{
    return channel == Channel::Sms ? QStringLiteral("SMS") : QStringLiteral("WhatsApp");
}

} // namespace

/// One Messages send: the POST, then delivery tracking.
class TwilioMessageJob final : public SendJob
{
public:
    TwilioMessageJob(TwilioMessagesSender *sender, Channel channel, QString masked)
        : SendJob(sender), m_sender(sender), m_channel(channel), m_masked(std::move(masked))
    { }

    void start(const FormFields &form)
    {
        m_sender->http().post(TwilioService::Api, m_sender->messagesPath(), form, this,
                              [this](const TwilioReply &reply) { onCreated(reply); });
    }

private:
    void onCreated(const TwilioReply &reply)
    {
        SendResult result = reply.result;
        if (result.ok()) {
            result.messageId = reply.json.value(u"sid").toString();
            if (result.messageId.isEmpty()) {
                result.error = SendError::BadResponse;
                result.detail = QStringLiteral("Twilio accepted the message but its answer has "
                                               "no sid");
            }
        }
        if (!result.ok()) {
            qCWarning(lcTwilioMessages).noquote()
                << channelName(m_channel) << "send to" << m_masked << "failed:" << result.detail;
            finish(result);
            return;
        }
        qCInfo(lcTwilioMessages).noquote() << channelName(m_channel) << "message"
                                           << result.messageId << "to" << m_masked << "accepted";
        finish(result);
        m_messageSid = result.messageId;
        const DeliveryStatus first =
            deliveryStatusFromTwilio(reply.json.value(u"status").toString());
        updateDeliveryStatus(first == DeliveryStatus::Unknown ? DeliveryStatus::Queued : first,
                             reply.json.value(u"error_code").toInt());
        const TwilioTimings &t = m_sender->http().timings();
        if (isFinalDeliveryStatus(deliveryStatus(), m_channel) || t.trackingLimit.count() <= 0
            || !m_sender->statusCallback().isEmpty()) {
            endTracking();
            return;
        }
        m_tracking.start();
        m_interval = t.firstPollDelay;
        scheduleNextPoll(m_interval);
    }

    void scheduleNextPoll(std::chrono::milliseconds after)
    {
        const TwilioTimings &t = m_sender->http().timings();
        if (std::chrono::milliseconds(m_tracking.elapsed()) + after > t.trackingLimit) {
            qCInfo(lcTwilioMessages).noquote()
                << "stopped tracking" << m_messageSid << "after" << t.trackingLimit.count() << "ms";
            endTracking();
            return;
        }
        m_sender->polls().callAfter(after, this, [this] { poll(); });
    }

    void poll()
    {
        m_sender->http().get(TwilioService::Api, m_sender->messagePath(m_messageSid), this,
                             [this](const TwilioReply &reply) { onPolled(reply); });
    }

    void onPolled(const TwilioReply &reply)
    {
        const TwilioTimings &t = m_sender->http().timings();
        std::chrono::milliseconds next = m_interval;
        m_interval = std::min(m_interval * 2, t.maxPollInterval);
        if (reply.result.ok()) {
            const DeliveryStatus status =
                deliveryStatusFromTwilio(reply.json.value(u"status").toString());
            const int code = reply.json.value(u"error_code").toInt();
            if (status != DeliveryStatus::Unknown) {
                if (status != deliveryStatus())
                    qCInfo(lcTwilioMessages).noquote()
                        << "message" << m_messageSid << "status"
                        << reply.json.value(u"status").toString()
                        << (code ? QStringLiteral("error %1").arg(code) : QString());
                updateDeliveryStatus(status, code);
            }
            if (isFinalDeliveryStatus(status, m_channel)) {
                endTracking();
                return;
            }
        } else if (reply.result.error == SendError::Misconfigured
                   || reply.result.httpStatus == 404) {
            endTracking(); // asking again will not help
            return;
        } else if (reply.result.error == SendError::RateLimited) {
            next = std::max<std::chrono::milliseconds>(next, reply.result.retryAfter);
        }
        scheduleNextPoll(next);
    }

    TwilioMessagesSender *m_sender;
    Channel m_channel;
    QString m_masked;
    QString m_messageSid;
    QElapsedTimer m_tracking;
    std::chrono::milliseconds m_interval {0};
};

TwilioMessagesSender::TwilioMessagesSender(const TwilioSettings &settings, const QString &brand,
                                           QNetworkAccessManager *nam, const TwilioTimings &timings,
                                           QObject *parent)
    : TwilioSender(settings, nam, timings, parent), m_brand(brand), m_polls(new TimerQueue(this))
{ }

TwilioMessagesSender::~TwilioMessagesSender() = default;

bool TwilioMessagesSender::supportsChannel(Channel channel) const
{
    return channel == Channel::WhatsApp || !http().settings().smsFrom.isEmpty();
}

QString TwilioMessagesSender::messagesPath() const
{
    return QStringLiteral("/2010-04-01/Accounts/%1/Messages.json")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(http().settings().accountSid)));
}

QString TwilioMessagesSender::messagePath(const QString &messageSid) const
{
    return QStringLiteral("/2010-04-01/Accounts/%1/Messages/%2.json")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(http().settings().accountSid)),
             QString::fromLatin1(QUrl::toPercentEncoding(messageSid)));
}

QString TwilioMessagesSender::messageText(const OutgoingCode &code, const QString &brand)
{
    const qint64 seconds = std::max<qint64>(code.validity.count(), 1);
    const int minutes = int((seconds + 59) / 60);
    // The text reaches the phone even when no translation is loaded: English plurals by hand.
    auto tr = [](const char *text) {
        return QCoreApplication::translate("waotp::TwilioMessagesSender", text);
    };
    const QString expiry = seconds < 60
        ? (seconds == 1 ? tr("It expires in 1 second.")
                        : tr("It expires in %1 seconds.").arg(seconds))
        : (minutes == 1 ? tr("It expires in 1 minute.")
                        : tr("It expires in %1 minutes.").arg(minutes));
    const QString intro = code.purpose == Purpose::SignUp ? tr("Your %1 sign-up code is %2.")
                                                          : tr("Your %1 sign-in code is %2.");
    // The text is made around a placeholder of the code's length, which the code then replaces
    // in place: the finished text is the only copy of the code made here (no intermediate string
    // holding it is freed unwiped).
    const QString placeholder(code.code.size(), QChar(0xE000)); // a private-use character
    QString text = intro.arg(brand, placeholder) + QLatin1Char(' ') + expiry + QLatin1Char(' ')
        + tr("Do not share it.");
    const qsizetype at = text.indexOf(placeholder);
    if (code.code.isEmpty() || at < 0 || text.indexOf(placeholder, at + 1) >= 0)
        return intro.arg(brand, code.code) + QLatin1Char(' ') + expiry + QLatin1Char(' ')
            + tr("Do not share it."); // a brand with private-use characters: the plain way
    std::copy(code.code.cbegin(), code.code.cend(), text.begin() + at);
    return text;
}

QString TwilioMessagesSender::contentVariables(const OutgoingCode &code)
{
    // {"1":"<code>"}, as QJsonDocument writes it, made in one allocation (a QJsonObject would keep
    // a copy of the code of its own).
    QString json;
    json.reserve(10 + 6 * code.code.size());
    json += QStringLiteral("{\"1\":\"");
    for (const QChar c : code.code) {
        if (c == u'"' || c == u'\\' || c.unicode() < 0x20)
            json += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            json += c;
    }
    json += QStringLiteral("\"}");
    return json;
}

FormFields TwilioMessagesSender::messageForm(const OutgoingCode &code) const
{
    const TwilioSettings &s = http().settings();
    FormFields form;
    if (code.channel == Channel::Sms) {
        form.append({QStringLiteral("To"), code.to.e164()});
        form.append({QStringLiteral("From"), s.smsFrom});
        form.append({QStringLiteral("Body"), messageText(code, m_brand)});
    } else {
        form.append({QStringLiteral("To"), QStringLiteral("whatsapp:") + code.to.e164()});
        // Twilio takes a sender (From) or a Messaging Service whose pool it picks one from.
        if (s.messagingServiceSid.isEmpty())
            form.append({QStringLiteral("From"), QStringLiteral("whatsapp:") + s.whatsappFrom});
        else
            form.append({QStringLiteral("MessagingServiceSid"), s.messagingServiceSid});
        if (!s.contentSid.isEmpty()) {
            // Outside WhatsApp's 24-hour window only an approved template may be sent (plain
            // text fails with 63016). The template's one variable is the code.
            form.append({QStringLiteral("ContentSid"), s.contentSid});
            form.append({QStringLiteral("ContentVariables"), contentVariables(code)});
        } else {
            form.append({QStringLiteral("Body"), messageText(code, m_brand)});
        }
    }
    const qint64 validity = std::clamp<qint64>(code.validity.count(), MinValidity, MaxValidity);
    form.append({QStringLiteral("ValidityPeriod"), QString::number(validity)});
    if (!m_statusCallback.isEmpty()) {
        // The server learns from the URL itself which send a callback is about.
        QString url = m_statusCallback.toString(QUrl::FullyEncoded);
        if (!code.statusTag.isEmpty())
            url += (m_statusCallback.hasQuery() ? u'&' : u'?') + QStringLiteral("v=")
                + QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(code.statusTag)));
        form.append({QStringLiteral("StatusCallback"), url});
    }
    return form;
}

QString TwilioMessagesSender::refusal(const OutgoingCode &code) const
{
    if (code.code.isEmpty())
        return QStringLiteral("no code to send");
    if (!supportsChannel(code.channel))
        return QStringLiteral("no SMS sender configured");
    return {};
}

SendJob *TwilioMessagesSender::start(const OutgoingCode &code)
{
    auto *job = new TwilioMessageJob(this, code.channel, code.to.masked());
    FormFields form = messageForm(code);
    job->start(form);
    // The body is encoded (and is wiped once written, see OneShotBody): the texts holding the
    // code go now.
    for (auto &field : form)
        wipe(field.second);
    return job;
}

} // namespace waotp
