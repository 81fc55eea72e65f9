#pragma once

#include "CodeSender.h"
#include "Config.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include <chrono>
#include <functional>
#include <utility>

class QNetworkAccessManager;

namespace waotp {

/// The time and size limits of the Twilio clients. Tests make them short.
struct TwilioTimings
{
    /// The longest a request may take, from start to the last byte of the answer. A POST that
    /// times out is not sent again: the message may have gone out.
    std::chrono::milliseconds transferTimeout {15000};
    /// A larger answer is abandoned (no Twilio answer is anywhere near this).
    qint64 maxResponseBytes = 1024 * 1024;
    /// Delivery tracking: the first status poll comes this long after the send...
    std::chrono::milliseconds firstPollDelay {1000};
    /// ... and each next one twice as late, at most this late...
    std::chrono::milliseconds maxPollInterval {15000};
    /// ... until a final status or this long after the send. Zero: no tracking.
    std::chrono::milliseconds trackingLimit {std::chrono::minutes(2)};
};

/// The Twilio hosts the clients talk to.
enum class TwilioService {
    Api, ///< https://api.twilio.com: Accounts, Messages
    Verify, ///< https://verify.twilio.com
};

/// An application/x-www-form-urlencoded form, in order.
using FormFields = QList<std::pair<QString, QString>>;

/// Encodes @p fields as Twilio's official client does: UTF-8, every byte but A-Z a-z 0-9 - . _ ~
/// percent-encoded (so "+" travels as %2B, ":" as %3A, a space as %20), joined by "&".
QByteArray formEncode(const FormFields &fields);

/// True if credentials may be sent to @p url: https, or plain http to a loopback address (tests).
/// Otherwise false, with the reason in @p why.
bool isAllowedTwilioUrl(const QUrl &url, QString *why = nullptr);

/// The base URL of @p service: @p override when set, else Twilio's real host.
QUrl twilioBaseUrl(const QUrl &override, TwilioService service);

/// What came back from one request: result.ok() for a 2xx answer whose body is a JSON object
/// (in json); otherwise the error, already mapped (see twilioFailure()).
struct TwilioReply
{
    SendResult result;
    QJsonObject json;
};

/// Twilio's REST transport on a QNetworkAccessManager: pre-emptive HTTP Basic auth, form bodies,
/// HTTP/1.1 only, no redirects, TLS errors never ignored, a time limit and a size cap on every
/// request. A POST goes out exactly once: Qt may resend a request whose connection closed before
/// any answer arrived, so POST bodies are sent from a device that cannot be rewound; such a
/// request fails (as a network error) instead of creating a second message.
class TwilioHttp : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const TwilioReply &reply)>;

    TwilioHttp(TwilioSettings settings, QNetworkAccessManager *nam, TwilioTimings timings = {},
               QObject *parent = nullptr);
    ~TwilioHttp() override;

    /// POSTs @p form to @p path of @p service. @p done is called exactly once, always after
    /// post() has returned, unless @p context is destroyed first (which aborts the request).
    void post(TwilioService service, const QString &path, const FormFields &form, QObject *context,
              Callback done);
    /// GETs @p path of @p service; like post().
    void get(TwilioService service, const QString &path, QObject *context, Callback done);

    /// The full URL of @p path on @p service.
    QUrl url(TwilioService service, const QString &path) const;
    const TwilioSettings &settings() const { return m_settings; }
    const TwilioTimings &timings() const { return m_timings; }

private:
    void start(bool isPost, TwilioService service, const QString &path, const QByteArray &body,
               QObject *context, Callback done);

    TwilioSettings m_settings;
    QNetworkAccessManager *m_nam;
    TwilioTimings m_timings;
    QByteArray m_authorization;
};

} // namespace waotp
