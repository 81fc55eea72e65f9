#include "network/twilio/TwilioHttp.h"

#include "network/OneShotBody.h"
#include "network/twilio/TwilioError.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslError>
#include <QTimer>

Q_LOGGING_CATEGORY(lcTwilioHttp, "waotp.twilio.http", QtInfoMsg)

namespace waotp {

namespace {

QString networkErrorName(QNetworkReply::NetworkError error)
{
    const char *name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error);
    return name ? QString::fromLatin1(name) : QString::number(int(error));
}

/// One request in flight: owns the reply, the timer and the answer so far. A child of the
/// caller's context object, so that destroying the context aborts the request.
class TwilioCall final : public QObject
{
public:
    TwilioCall(QObject *context, QString what, bool isPost, const TwilioTimings &timings,
               TwilioHttp::Callback done)
        : QObject(context), m_what(std::move(what)), m_isPost(isPost),
          m_cap(timings.maxResponseBytes), m_done(std::move(done))
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(timings.transferTimeout);
        connect(&m_timer, &QTimer::timeout, this, &TwilioCall::onTimeout);
    }

    ~TwilioCall() override
    {
        if (m_reply) {
            m_reply->disconnect(this);
            m_reply->abort();
            m_reply->deleteLater();
        }
    }

    void watch(QNetworkReply *reply)
    {
        m_reply = reply;
        connect(reply, &QNetworkReply::metaDataChanged, this, &TwilioCall::onMetaData);
        connect(reply, &QNetworkReply::readyRead, this, &TwilioCall::onReadyRead);
        connect(reply, &QNetworkReply::sslErrors, this, &TwilioCall::onSslErrors);
        connect(reply, &QNetworkReply::finished, this, &TwilioCall::onFinished);
        m_timer.start();
    }

    /// Answers with @p result without a request (e.g. a refused URL), from the event loop.
    void failLater(const SendResult &result)
    {
        QTimer::singleShot(0, this, [this, result] { complete({result, {}}); });
    }

private:
    void onMetaData()
    {
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > m_cap)
            abandon(Abandoned::TooLarge);
    }

    void onReadyRead()
    {
        m_body += m_reply->readAll();
        if (m_body.size() > m_cap)
            abandon(Abandoned::TooLarge);
    }

    void onSslErrors(const QList<QSslError> &errors)
    {
        // Never ignored: the request fails with SslHandshakeFailedError. Kept for the log.
        for (const QSslError &e : errors)
            m_tlsErrors.append(e.errorString());
    }

    void onTimeout() { abandon(Abandoned::TimedOut); }

    enum class Abandoned { No, TimedOut, TooLarge };

    void abandon(Abandoned why)
    {
        if (m_abandoned != Abandoned::No || !m_reply)
            return;
        m_abandoned = why;
        m_reply->abort(); // emits finished()
    }

    void onFinished()
    {
        m_timer.stop();
        if (m_abandoned == Abandoned::No)
            m_body += m_reply->readAll();
        TwilioReply answer;
        answer.result = evaluate();
        if (answer.result.ok()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(m_body, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                // Qt 6.4 does not always report a body cut off mid-way: a 2xx answer that does
                // not parse is a failure, whatever the transport said.
                answer.result.error = SendError::BadResponse;
                answer.result.detail = QStringLiteral("%1: Twilio's answer (HTTP %2) is not valid "
                                                      "JSON (%3)%4")
                                           .arg(m_what)
                                           .arg(answer.result.httpStatus)
                                           .arg(error.errorString())
                                           .arg(m_isPost ? QStringLiteral("; the message may "
                                                                          "have been sent")
                                                         : QString());
            } else {
                answer.json = doc.object();
            }
        }
        m_reply->deleteLater();
        m_reply = nullptr;
        complete(answer);
    }

    SendResult evaluate() const
    {
        SendResult r;
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.httpStatus = status;
        const QNetworkReply::NetworkError error = m_reply->error();
        if (m_abandoned == Abandoned::TimedOut) {
            r.error = SendError::Timeout;
            r.detail = QStringLiteral("%1: no complete answer within %2 ms%3")
                           .arg(m_what)
                           .arg(m_timer.interval())
                           .arg(m_isPost ? QStringLiteral("; not sent again, because the message "
                                                          "may have gone out")
                                         : QString());
            return r;
        }
        if (m_abandoned == Abandoned::TooLarge) {
            r.error = SendError::BadResponse;
            r.detail =
                QStringLiteral("%1: answer larger than %2 bytes, abandoned").arg(m_what).arg(m_cap);
            return r;
        }
        if (status >= 200 && status < 300) {
            if (error != QNetworkReply::NoError) {
                r.error = SendError::BadResponse;
                r.detail = QStringLiteral("%1: answer (HTTP %2) cut off (%3)%4")
                               .arg(m_what)
                               .arg(status)
                               .arg(networkErrorName(error))
                               .arg(m_isPost ? QStringLiteral("; the message may have been sent")
                                             : QString());
            }
            return r;
        }
        if (status != 0) {
            const auto retryAfter =
                parseRetryAfter(m_reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
            r = twilioFailure(status, m_body, retryAfter);
            r.detail = m_what + QStringLiteral(": ") + r.detail;
            return r;
        }
        r.error = SendError::Network;
        QString why = m_reply->errorString();
        if (error == QNetworkReply::ContentReSendError)
            why = QStringLiteral("the connection closed before any answer; not sent again, "
                                 "because the message may have gone out");
        else if (!m_tlsErrors.isEmpty())
            why = QStringLiteral("TLS certificate refused: ") + m_tlsErrors.join(u"; ");
        r.detail = QStringLiteral("%1: %2 (%3)").arg(m_what, why, networkErrorName(error));
        return r;
    }

    void complete(const TwilioReply &answer)
    {
        if (!answer.result.ok())
            qCInfo(lcTwilioHttp).noquote() << answer.result.detail;
        else
            qCDebug(lcTwilioHttp).noquote()
                << m_what << "answered HTTP" << answer.result.httpStatus;
        TwilioHttp::Callback done = std::move(m_done);
        m_done = nullptr;
        deleteLater();
        // Last statement: the callback may destroy the context, and this object with it.
        if (done)
            done(answer);
    }

    QPointer<QNetworkReply> m_reply;
    QString m_what;
    bool m_isPost;
    qint64 m_cap;
    TwilioHttp::Callback m_done;
    QTimer m_timer;
    QByteArray m_body;
    QStringList m_tlsErrors;
    Abandoned m_abandoned = Abandoned::No;
};

} // namespace

TwilioHttp::TwilioHttp(TwilioSettings settings, QNetworkAccessManager *nam, TwilioTimings timings,
                       QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_nam(nam), m_timings(timings)
{
    const QByteArray credentials =
        (m_settings.basicUser() + QLatin1Char(':') + m_settings.basicPassword()).toUtf8();
    m_authorization = QByteArray("Basic ") + credentials.toBase64();
}

TwilioHttp::~TwilioHttp() = default;

QUrl TwilioHttp::url(TwilioService service, const QString &path) const
{
    QUrl url = twilioBaseUrl(m_settings.apiBaseUrl, service);
    QString prefix = url.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    url.setPath(prefix + path);
    return url;
}

void TwilioHttp::post(TwilioService service, const QString &path, const FormFields &form,
                      QObject *context, Callback done)
{
    start(true, service, path, formEncode(form), context, std::move(done));
}

void TwilioHttp::get(TwilioService service, const QString &path, QObject *context, Callback done)
{
    start(false, service, path, {}, context, std::move(done));
}

void TwilioHttp::start(bool isPost, TwilioService service, const QString &path, QByteArray body,
                       QObject *context, Callback done)
{
    const QUrl target = url(service, path);
    const QString what = (isPost ? QStringLiteral("POST ") : QStringLiteral("GET ")) + path;
    auto *call = new TwilioCall(context, what, isPost, m_timings, std::move(done));

    QString why;
    if (!isAllowedTwilioUrl(target, &why)) {
        SendResult r;
        r.error = SendError::Misconfigured;
        r.detail = QStringLiteral("%1: refused to send credentials to %2://%3: %4")
                       .arg(what, target.scheme(), target.host(), why);
        call->failLater(r);
        return;
    }
    if (!m_nam) {
        SendResult r;
        r.error = SendError::Misconfigured;
        r.detail = what + QStringLiteral(": no network access manager");
        call->failLater(r);
        return;
    }

    QNetworkRequest request(target);
    // Twilio's client sends the credentials with the first request; waiting for a 401
    // challenge costs a round trip per request.
    request.setRawHeader("Authorization", m_authorization);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QStringLiteral("waotp/%1 Qt/%2")
                          .arg(QStringLiteral(WAOTP_VERSION), QString::fromLatin1(qVersion())));
    // HTTP/1.1 without pipelining: the resend rules described in the class comment hold.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::HttpPipeliningAllowedAttribute, false);
    // A redirect could lead the credentials elsewhere: never followed.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);

    qCDebug(lcTwilioHttp).noquote() << what;
    QNetworkReply *reply = nullptr;
    if (isPost) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *device = new OneShotBody(std::move(body), nullptr);
        reply = m_nam->post(request, device);
        device->setParent(reply); // lives as long as Qt may read it
    } else {
        reply = m_nam->get(request);
    }
    call->watch(reply);
}

} // namespace waotp
