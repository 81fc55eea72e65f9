#include "network/twilio/TwilioOnlineCheck.h"

#include "network/twilio/TwilioError.h"
#include "network/twilio/TwilioHttp.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace waotp {

struct OnlineCheck::Private
{
    AppConfig config;
    QNetworkAccessManager *nam = nullptr;
    TwilioTimings timings;
    std::unique_ptr<TwilioHttp> http;
    bool finished = false;
};

OnlineCheck::OnlineCheck(const AppConfig &config, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->config = config;
    d->nam = nam;
}

OnlineCheck::~OnlineCheck() = default;

void OnlineCheck::setTimings(const TwilioTimings &timings)
{
    d->timings = timings;
}

void OnlineCheck::start()
{
    if (d->config.mode() == AppConfig::Mode::Demo) {
        QTimer::singleShot(0, this, [this] {
            done(false,
                 tr("No Twilio credentials are configured, so there is nothing to check: "
                    "the app runs in demo mode."));
        });
        return;
    }
    d->http = std::make_unique<TwilioHttp>(d->config.twilio, d->nam, d->timings);
    checkAccount();
}

namespace {

QString failureWords(const SendResult &r, const QString &host, const QString &what)
{
    switch (r.error) {
    case SendError::Network:
        return OnlineCheck::tr("Could not reach Twilio at %1: %2.").arg(host, r.detail);
    case SendError::Timeout:
        return OnlineCheck::tr("Twilio (%1) did not answer in time.").arg(host);
    case SendError::Server:
        return OnlineCheck::tr("Twilio has a problem right now (HTTP %1); try again later.")
            .arg(r.httpStatus);
    case SendError::BadResponse:
        return OnlineCheck::tr("Twilio's answer could not be read: %1.").arg(r.detail);
    default:
        break;
    }
    return OnlineCheck::tr("Twilio refused to show %1 (HTTP %2, error %3): %4")
        .arg(what)
        .arg(r.httpStatus)
        .arg(r.providerCode)
        .arg(describeSendError(r));
}

} // namespace

void OnlineCheck::checkAccount()
{
    const TwilioSettings &t = d->config.twilio;
    const QString path = QStringLiteral("/2010-04-01/Accounts/%1.json")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(t.accountSid)));
    const QString host = d->http->url(TwilioService::Api, {}).host();
    d->http->get(TwilioService::Api, path, this, [this, host](const TwilioReply &reply) {
        const TwilioSettings &s = d->config.twilio;
        const QString credentials = s.usesApiKey()
            ? tr("TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET")
            : tr("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
        const SendResult &r = reply.result;
        if (!r.ok()) {
            if (r.httpStatus == 401 || r.providerCode == 20003) {
                done(false,
                     tr("Twilio rejected the credentials (HTTP %1, error %2). Check %3.")
                         .arg(r.httpStatus)
                         .arg(r.providerCode)
                         .arg(credentials));
            } else if (r.httpStatus == 404) {
                done(false,
                     tr("Twilio knows no account %1 for these credentials (HTTP 404). "
                        "Check %2.")
                         .arg(s.accountSid, credentials));
            } else {
                done(false, failureWords(r, host, tr("the account")));
            }
            return;
        }
        // The answer also holds the account's auth token: only these fields are read.
        const QString status = reply.json.value(u"status").toString();
        const QString name = reply.json.value(u"friendly_name").toString();
        const QString type = reply.json.value(u"type").toString();
        if (status != u"active") {
            done(false,
                 tr("Twilio accepted the credentials, but account %1 (\"%2\") is %3: it "
                    "cannot send messages.")
                     .arg(s.accountSid, name, status.isEmpty() ? tr("not active") : status));
            return;
        }
        QString words = tr("Twilio accepted the credentials: account %1 (\"%2\") is active.")
                            .arg(s.accountSid, name);
        if (type == u"Trial")
            words += QLatin1Char(' ')
                + tr("It is a trial account: it can only send to numbers verified in the Twilio "
                     "console.");
        if (s.verifyServiceSid.isEmpty())
            done(true, words);
        else
            checkVerifyService(words);
    });
}

void OnlineCheck::checkVerifyService(const QString &accountWords)
{
    const QString sid = d->config.twilio.verifyServiceSid;
    const QString path =
        QStringLiteral("/v2/Services/%1").arg(QString::fromLatin1(QUrl::toPercentEncoding(sid)));
    const QString host = d->http->url(TwilioService::Verify, {}).host();
    d->http->get(TwilioService::Verify, path, this,
                 [this, sid, host, accountWords](const TwilioReply &reply) {
                     const SendResult &r = reply.result;
                     if (r.ok()) {
                         done(true,
                              accountWords + QLatin1Char(' ')
                                  + tr("The Verify service %1 (\"%2\") exists.")
                                        .arg(sid, reply.json.value(u"friendly_name").toString()));
                     } else if (r.httpStatus == 404) {
                         done(false,
                              accountWords + QLatin1Char(' ')
                                  + tr("But Twilio Verify knows no service %1 (HTTP 404). Check "
                                       "TWILIO_VERIFY_SERVICE_SID.")
                                        .arg(sid));
                     } else {
                         done(false,
                              accountWords + QLatin1Char(' ')
                                  + failureWords(r, host, tr("the Verify service")));
                     }
                 });
}

void OnlineCheck::done(bool ok, const QString &words)
{
    if (d->finished)
        return;
    d->finished = true;
    Q_EMIT finished(ok, words);
}

} // namespace waotp
