#include "FakeTwilioServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace waotp::test {

namespace {

const QRegularExpression &e164()
{
    static const QRegularExpression re(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
    return re;
}

// The request fields of POST .../Messages.json in twilio_api_v2010.json.
const QSet<QString> &messageFields()
{
    static const QSet<QString> fields {QStringLiteral("To"),
                                       QStringLiteral("StatusCallback"),
                                       QStringLiteral("ApplicationSid"),
                                       QStringLiteral("MaxPrice"),
                                       QStringLiteral("ProvideFeedback"),
                                       QStringLiteral("Attempt"),
                                       QStringLiteral("ValidityPeriod"),
                                       QStringLiteral("ForceDelivery"),
                                       QStringLiteral("ContentRetention"),
                                       QStringLiteral("AddressRetention"),
                                       QStringLiteral("SmartEncoded"),
                                       QStringLiteral("PersistentAction"),
                                       QStringLiteral("TrafficType"),
                                       QStringLiteral("ShortenUrls"),
                                       QStringLiteral("ScheduleType"),
                                       QStringLiteral("SendAt"),
                                       QStringLiteral("SendAsMms"),
                                       QStringLiteral("ContentVariables"),
                                       QStringLiteral("RiskCheck"),
                                       QStringLiteral("From"),
                                       QStringLiteral("FallbackFrom"),
                                       QStringLiteral("MessagingServiceSid"),
                                       QStringLiteral("Body"),
                                       QStringLiteral("MediaUrl"),
                                       QStringLiteral("ContentSid")};
    return fields;
}

QJsonValue nullable(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

FakeTwilioServer::FakeTwilioServer(QObject *parent) : QObject(parent)
{
    m_http.setHandler([this](const HttpRequest &r) { return handle(r); });
}

FakeTwilioServer::~FakeTwilioServer() = default;

TwilioSettings FakeTwilioServer::settings() const
{
    TwilioSettings s;
    s.accountSid = accountSid();
    s.authToken = authToken();
    s.whatsappFrom = whatsappFrom();
    s.apiBaseUrl = baseUrl();
    return s;
}

void FakeTwilioServer::setCreateError(int httpStatus, int twilioCode, const QString &message,
                                      HeaderList headers)
{
    m_createError = Failure {httpStatus, twilioCode, message, std::move(headers)};
}

void FakeTwilioServer::setVerifyError(int httpStatus, int twilioCode, const QString &message)
{
    m_verifyError = Failure {httpStatus, twilioCode, message, {}};
}

void FakeTwilioServer::setStatusScript(const QStringList &statuses, int errorCode)
{
    m_script = statuses;
    m_scriptError = errorCode;
}

HttpResponse FakeTwilioServer::error(int httpStatus, int code, const QString &message,
                                     HeaderList headers)
{
    QJsonObject body;
    body.insert(QStringLiteral("code"), code);
    body.insert(QStringLiteral("message"),
                message.isEmpty() ? QStringLiteral("Error %1").arg(code) : message);
    body.insert(QStringLiteral("more_info"),
                QStringLiteral("https://www.twilio.com/docs/errors/%1").arg(code));
    body.insert(QStringLiteral("status"), httpStatus);
    return HttpResponse::json(httpStatus, body, std::move(headers));
}

QList<HttpRequest> FakeTwilioServer::requestsTo(const QByteArray &method,
                                                const QString &suffix) const
{
    QList<HttpRequest> out;
    for (const HttpRequest &r : m_http.requests()) {
        if (r.method == method && r.path().endsWith(suffix))
            out.append(r);
    }
    return out;
}

QList<HttpRequest> FakeTwilioServer::messageCreates() const
{
    return requestsTo("POST", QStringLiteral("/Messages.json"));
}

int FakeTwilioServer::messageFetches() const
{
    int n = 0;
    for (const HttpRequest &r : m_http.requests()) {
        if (r.method == "GET" && r.path().contains(u"/Messages/"))
            ++n;
    }
    return n;
}

QList<HttpRequest> FakeTwilioServer::verificationCreates() const
{
    return requestsTo("POST", QStringLiteral("/Verifications"));
}

QList<HttpRequest> FakeTwilioServer::verificationChecks() const
{
    return requestsTo("POST", QStringLiteral("/VerificationCheck"));
}

QList<HttpRequest> FakeTwilioServer::verificationUpdates() const
{
    QList<HttpRequest> out;
    for (const HttpRequest &r : m_http.requests()) {
        if (r.method == "POST" && r.path().contains(u"/Verifications/"))
            out.append(r);
    }
    return out;
}

HttpResponse FakeTwilioServer::handle(const HttpRequest &request)
{
    if (m_override) {
        if (std::optional<HttpResponse> r = m_override(request))
            return *r;
    }
    const QByteArray token = "Basic " + (accountSid() + u':' + authToken()).toUtf8().toBase64();
    const QByteArray key = "Basic " + (apiKeySid() + u':' + apiKeySecret()).toUtf8().toBase64();
    const QByteArray given = request.header("Authorization");
    if (given != token && given != key)
        return error(401, 20003, QStringLiteral("Authenticate"),
                     {{"WWW-Authenticate", "Basic realm=\"Twilio API\""}});

    static const QRegularExpression messages(
        QStringLiteral("^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\\.json$"));
    static const QRegularExpression message(
        QStringLiteral("^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages/(SM[0-9a-f]{32})\\.json$"));
    static const QRegularExpression account(
        QStringLiteral("^/2010-04-01/Accounts/(AC[0-9a-f]{32})\\.json$"));
    static const QRegularExpression verifications(
        QStringLiteral("^/v2/Services/(VA[0-9a-f]{32})/Verifications$"));
    static const QRegularExpression verification(
        QStringLiteral("^/v2/Services/(VA[0-9a-f]{32})/Verifications/([^/]+)$"));
    static const QRegularExpression check(
        QStringLiteral("^/v2/Services/(VA[0-9a-f]{32})/VerificationCheck$"));
    static const QRegularExpression service(QStringLiteral("^/v2/Services/(VA[0-9a-f]{32})$"));

    const QString path = request.path();
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    if (post && request.header("Content-Type") != "application/x-www-form-urlencoded")
        return error(400, 20001, QStringLiteral("Content-Type must be form-urlencoded"));
    QRegularExpressionMatch m;
    if ((m = messages.match(path)).hasMatch() && post && m.captured(1) == accountSid())
        return createMessage(request);
    if ((m = message.match(path)).hasMatch() && get && m.captured(1) == accountSid())
        return fetchMessage(m.captured(2));
    if ((m = account.match(path)).hasMatch() && get && m.captured(1) == accountSid())
        return fetchAccount();
    if ((m = verifications.match(path)).hasMatch() && post && m.captured(1) == verifyServiceSid()) {
        HttpResponse created = createVerification(request);
        created.delay = verificationCreateDelay;
        return created;
    }
    if ((m = verification.match(path)).hasMatch() && post && m.captured(1) == verifyServiceSid())
        return updateVerification(request, m.captured(2));
    if ((m = check.match(path)).hasMatch() && post && m.captured(1) == verifyServiceSid())
        return checkVerification(request);
    if ((m = service.match(path)).hasMatch() && get && m.captured(1) == verifyServiceSid()) {
        QJsonObject o;
        o.insert(QStringLiteral("sid"), verifyServiceSid());
        o.insert(QStringLiteral("account_sid"), accountSid());
        o.insert(QStringLiteral("friendly_name"), QStringLiteral("waotp test"));
        return HttpResponse::json(200, o);
    }
    return error(404, 20404, QStringLiteral("The requested resource %1 was not found").arg(path));
}

HttpResponse FakeTwilioServer::createMessage(const HttpRequest &request)
{
    for (const auto &[name, value] : request.form()) {
        if (!messageFields().contains(name))
            return error(400, 20001, QStringLiteral("Invalid parameter %1").arg(name));
    }
    if (m_createError)
        return error(m_createError->httpStatus, m_createError->code, m_createError->message,
                     m_createError->headers);
    const QString to = request.formValue(QStringLiteral("To"));
    QString from = request.formValue(QStringLiteral("From"));
    const QString service = request.formValue(QStringLiteral("MessagingServiceSid"));
    const QString body = request.formValue(QStringLiteral("Body"));
    const QString contentSid = request.formValue(QStringLiteral("ContentSid"));
    if (to.isEmpty())
        return error(400, 21604, QStringLiteral("A 'To' phone number is required."));
    // waotp sends exactly one of From and MessagingServiceSid (Twilio would take both, the
    // service then checking that From is in its pool).
    if (!from.isEmpty() && !service.isEmpty())
        return error(400, 20001, QStringLiteral("Give From or MessagingServiceSid, not both."));
    if (from.isEmpty() && service.isEmpty())
        return error(400, 21603, QStringLiteral("A 'From' phone number is required."));
    const bool whatsapp = to.startsWith(u"whatsapp:");
    if (!service.isEmpty()) {
        static const QRegularExpression sid(QStringLiteral("^MG[0-9a-fA-F]{32}$"));
        if (!sid.match(service).hasMatch() || service != messagingServiceSid())
            return error(400, 21701,
                         QStringLiteral("The Messaging Service Sid %1 is invalid.").arg(service));
        // The service picks a sender of its pool for the channel of To.
        from = whatsapp ? QStringLiteral("whatsapp:") + whatsappFrom() : smsFrom();
    }
    if (!e164().match(whatsapp ? to.mid(9) : to).hasMatch())
        return error(400, 21211,
                     QStringLiteral("The 'To' number %1 is not a valid phone number.").arg(to));
    if (whatsapp != from.startsWith(u"whatsapp:"))
        return error(400, 21910, QStringLiteral("Invalid From and To pair."));
    if (body.isEmpty() && contentSid.isEmpty())
        return error(400, 21619,
                     QStringLiteral("A text message body or media urls must be "
                                    "specified."));
    const QString validity = request.formValue(QStringLiteral("ValidityPeriod"));
    if (!validity.isEmpty() && (validity.toInt() < 1 || validity.toInt() > 36000))
        return error(400, 21623, QStringLiteral("ValidityPeriod must be 1 to 36000."));

    const QString sid = QStringLiteral("SM%1").arg(++m_serial, 32, 16, QLatin1Char('0'));
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date);
    QJsonObject o;
    o.insert(QStringLiteral("account_sid"), accountSid());
    o.insert(QStringLiteral("api_version"), QStringLiteral("2010-04-01"));
    o.insert(QStringLiteral("body"), body.isEmpty() ? QStringLiteral("(template)") : body);
    o.insert(QStringLiteral("date_created"), now);
    o.insert(QStringLiteral("date_updated"), now);
    o.insert(QStringLiteral("date_sent"), QJsonValue::Null);
    o.insert(QStringLiteral("direction"), QStringLiteral("outbound-api"));
    o.insert(QStringLiteral("error_code"), QJsonValue::Null);
    o.insert(QStringLiteral("error_message"), QJsonValue::Null);
    o.insert(QStringLiteral("from"), from);
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("messaging_service_sid"), nullable(service));
    o.insert(QStringLiteral("num_media"), QStringLiteral("0"));
    o.insert(QStringLiteral("num_segments"), QStringLiteral("1"));
    o.insert(QStringLiteral("price"), QJsonValue::Null);
    o.insert(QStringLiteral("price_unit"), QStringLiteral("USD"));
    o.insert(QStringLiteral("sid"), sid);
    o.insert(QStringLiteral("status"), initialStatus);
    o.insert(QStringLiteral("uri"),
             QStringLiteral("/2010-04-01/Accounts/%1/Messages/%2.json").arg(accountSid(), sid));
    m_messages.insert(sid, Message {o, 0, m_script, m_scriptError});
    return HttpResponse::json(201, o);
}

HttpResponse FakeTwilioServer::fetchMessage(const QString &sid)
{
    const auto it = m_messages.find(sid);
    if (it == m_messages.end())
        return error(404, 20404, QStringLiteral("The requested resource was not found"));
    Message &msg = *it;
    ++msg.fetches;
    if (!msg.script.isEmpty()) {
        const QString status =
            msg.script.at(std::min<qsizetype>(msg.fetches, msg.script.size()) - 1);
        msg.resource.insert(QStringLiteral("status"), status);
        const bool failed = status == u"failed" || status == u"undelivered";
        msg.resource.insert(QStringLiteral("error_code"),
                            failed && msg.errorCode ? QJsonValue(msg.errorCode)
                                                    : QJsonValue(QJsonValue::Null));
        msg.resource.insert(QStringLiteral("error_message"),
                            nullable(failed ? QStringLiteral("failed") : QString()));
    }
    return HttpResponse::json(200, msg.resource);
}

HttpResponse FakeTwilioServer::fetchAccount()
{
    QJsonObject o;
    // Like Twilio's: the Account resource carries the auth token. Clients must never log it.
    o.insert(QStringLiteral("auth_token"), authToken());
    o.insert(QStringLiteral("friendly_name"), QStringLiteral("waotp test account"));
    o.insert(QStringLiteral("owner_account_sid"), accountSid());
    o.insert(QStringLiteral("sid"), accountSid());
    o.insert(QStringLiteral("status"), accountStatus);
    o.insert(QStringLiteral("type"), accountType);
    o.insert(QStringLiteral("uri"),
             QStringLiteral("/2010-04-01/Accounts/%1.json").arg(accountSid()));
    return HttpResponse::json(200, o);
}

HttpResponse FakeTwilioServer::createVerification(const HttpRequest &request)
{
    if (m_verifyError)
        return error(m_verifyError->httpStatus, m_verifyError->code, m_verifyError->message);
    const QString to = request.formValue(QStringLiteral("To"));
    const QString channel = request.formValue(QStringLiteral("Channel"));
    if (!e164().match(to).hasMatch())
        return error(400, 60200, QStringLiteral("Invalid parameter `To`: %1").arg(to));
    if (channel != u"whatsapp" && channel != u"sms")
        return error(400, 60200, QStringLiteral("Invalid parameter: Channel"));
    const QString sid = QStringLiteral("VE%1").arg(++m_serial, 32, 16, QLatin1Char('0'));
    m_verifications.insert(to, Verification {sid, 0});
    QJsonObject o;
    o.insert(QStringLiteral("sid"), sid);
    o.insert(QStringLiteral("service_sid"), verifyServiceSid());
    o.insert(QStringLiteral("account_sid"), accountSid());
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("channel"), channel);
    o.insert(QStringLiteral("status"), QStringLiteral("pending"));
    o.insert(QStringLiteral("valid"), false);
    o.insert(QStringLiteral("date_created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    return HttpResponse::json(201, o);
}

HttpResponse FakeTwilioServer::checkVerification(const HttpRequest &request)
{
    const QString to = request.formValue(QStringLiteral("To"));
    const QString code = request.formValue(QStringLiteral("Code"));
    if (code.isEmpty())
        return error(400, 60200, QStringLiteral("Invalid parameter: Code"));
    const auto it = m_verifications.find(to);
    if (it == m_verifications.end())
        return error(404, 20404,
                     QStringLiteral("The requested resource /Services/%1/VerificationCheck was "
                                    "not found")
                         .arg(verifyServiceSid()));
    if (it->checks >= verifyMaxChecks)
        return error(429, 60202, QStringLiteral("Max check attempts reached"));
    QJsonObject o;
    o.insert(QStringLiteral("sid"), it->sid);
    o.insert(QStringLiteral("service_sid"), verifyServiceSid());
    o.insert(QStringLiteral("account_sid"), accountSid());
    o.insert(QStringLiteral("to"), to);
    o.insert(QStringLiteral("channel"), QStringLiteral("whatsapp"));
    if (code == verifyCode) {
        o.insert(QStringLiteral("status"), QStringLiteral("approved"));
        o.insert(QStringLiteral("valid"), true);
        m_verifications.erase(it);
    } else {
        ++it->checks;
        o.insert(QStringLiteral("status"), QStringLiteral("pending"));
        o.insert(QStringLiteral("valid"), false);
    }
    return HttpResponse::json(200, o);
}

HttpResponse FakeTwilioServer::updateVerification(const HttpRequest &request, const QString &sid)
{
    const QString status = request.formValue(QStringLiteral("Status"));
    if (status != u"canceled" && status != u"approved")
        return error(400, 60200, QStringLiteral("Invalid parameter: Status"));
    auto it = m_verifications.begin();
    while (it != m_verifications.end() && it->sid != sid)
        ++it;
    // Like Verify: an approved, expired or cancelled verification is gone.
    if (it == m_verifications.end())
        return error(404, 20404,
                     QStringLiteral("The requested resource /Services/%1/Verifications/%2 was not "
                                    "found")
                         .arg(verifyServiceSid(), sid));
    QJsonObject o;
    o.insert(QStringLiteral("sid"), sid);
    o.insert(QStringLiteral("service_sid"), verifyServiceSid());
    o.insert(QStringLiteral("account_sid"), accountSid());
    o.insert(QStringLiteral("to"), it.key());
    o.insert(QStringLiteral("channel"), QStringLiteral("whatsapp"));
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("valid"), status == u"approved");
    m_verifications.erase(it);
    return HttpResponse::json(200, o);
}

SendJobRecorder::SendJobRecorder(SendJob *job, QObject *parent) : QObject(parent)
{
    connect(job, &SendJob::finished, this, [this, job] {
        ++finishedCount;
        result = job->result();
    });
    connect(job, &SendJob::deliveryStatusChanged, this, [this](DeliveryStatus status, int code) {
        statuses.append({status, code});
    });
    connect(job, &SendJob::trackingFinished, this, [this] { trackingEnded = true; });
}

bool SendJobRecorder::waitFinished(int ms)
{
    return QTest::qWaitFor([this] { return finishedCount > 0; }, ms);
}

bool SendJobRecorder::waitTrackingEnded(int ms)
{
    return QTest::qWaitFor([this] { return trackingEnded; }, ms);
}

QList<DeliveryStatus> SendJobRecorder::statusList() const
{
    QList<DeliveryStatus> out;
    for (const auto &s : statuses)
        out.append(s.first);
    return out;
}

TwilioTimings fastTimings()
{
    TwilioTimings t;
    t.transferTimeout = std::chrono::milliseconds(3000);
    t.firstPollDelay = std::chrono::milliseconds(5);
    t.maxPollInterval = std::chrono::milliseconds(20);
    t.trackingLimit = std::chrono::milliseconds(3000);
    return t;
}

} // namespace waotp::test
