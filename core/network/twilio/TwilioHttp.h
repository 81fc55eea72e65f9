#pragma once

#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "engine/TwilioApi.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace waotp {

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
/// request fails (as a network error) instead of creating a second message. The device
/// overwrites the body once it has been read (OneShotBody.h).
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
    void start(bool isPost, TwilioService service, const QString &path, QByteArray body,
               QObject *context, Callback done);

    TwilioSettings m_settings;
    QNetworkAccessManager *m_nam;
    TwilioTimings m_timings;
    QByteArray m_authorization;
};

} // namespace waotp
