#pragma once

#include "HttpTestServer.h"
#include "engine/CodeSender.h"
#include "engine/Config.h"
#include "network/twilio/TwilioHttp.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace waotp::test {

/// A loopback stand-in for Twilio's REST API, shaped after twilio-oai (paths, fields, status
/// codes) and Twilio's error bodies: the Messages API (create, fetch with a scripted status
/// progression), the Account resource, and Verify (verifications and checks). Checks the Basic
/// credentials like Twilio does (401, error 20003).
class FakeTwilioServer : public QObject
{
    Q_OBJECT
public:
    /// Recognisable placeholders; the log scan looks for AuthToken.
    static QString accountSid() { return QStringLiteral("AC00000000000000000000000000000000"); }
    static QString authToken() { return QStringLiteral("test-auth-token-0000"); }
    static QString verifyServiceSid()
    {
        return QStringLiteral("VA00000000000000000000000000000000");
    }
    static QString contentSid() { return QStringLiteral("HX00000000000000000000000000000000"); }
    static QString messagingServiceSid()
    {
        return QStringLiteral("MG00000000000000000000000000000000");
    }
    static QString whatsappFrom() { return QStringLiteral("+14155238886"); }
    static QString smsFrom() { return QStringLiteral("+15005550006"); }
    static QString apiKeySid() { return QStringLiteral("SK00000000000000000000000000000000"); }
    static QString apiKeySecret() { return QStringLiteral("test-api-key-secret-0000"); }

    explicit FakeTwilioServer(QObject *parent = nullptr);
    ~FakeTwilioServer() override;

    bool listen() { return m_http.listen(); }
    QUrl baseUrl() const { return m_http.baseUrl(); }
    HttpTestServer &http() { return m_http; }

    /// Settings that point every Twilio host at this server (Messages; add verifyServiceSid
    /// for Verify).
    TwilioSettings settings() const;

    /// Answers every request with @p override's response when it returns one (a hang, a drop,
    /// a 500...); otherwise behaves like Twilio.
    void setOverride(std::function<std::optional<HttpResponse>(const HttpRequest &)> override)
    {
        m_override = std::move(override);
    }

    // Messages
    /// The next message creations fail with this Twilio error.
    void setCreateError(int httpStatus, int twilioCode, const QString &message = {},
                        HeaderList headers = {});
    void clearCreateError() { m_createError.reset(); }
    /// The statuses a new message reports on successive fetches (the last one repeats), and the
    /// error code it carries once failed or undelivered.
    void setStatusScript(const QStringList &statuses, int errorCode = 0);
    /// The status a created message starts with (default "queued").
    QString initialStatus = QStringLiteral("queued");
    QList<HttpRequest> messageCreates() const;
    int messageFetches() const;

    // Account
    QString accountStatus = QStringLiteral("active");
    QString accountType = QStringLiteral("Full");

    // Verify
    /// The code the fake "sends" with every verification.
    QString verifyCode = QStringLiteral("424242");
    int verifyMaxChecks = 5;
    /// How long the fake takes to answer a verification's creation (it is recorded at once).
    std::chrono::milliseconds verificationCreateDelay {0};
    /// Makes every pending verification expire (checks then answer 404 / 20404).
    void expireVerifications() { m_verifications.clear(); }
    /// The next verification creations fail with this Twilio error.
    void setVerifyError(int httpStatus, int twilioCode, const QString &message = {});
    void clearVerifyError() { m_verifyError.reset(); }
    QList<HttpRequest> verificationCreates() const;
    QList<HttpRequest> verificationChecks() const;
    /// POST .../Verifications/{Sid}: Status=canceled removes the verification (its code no
    /// longer verifies), Status=approved approves it.
    QList<HttpRequest> verificationUpdates() const;

    /// Twilio's error body.
    static HttpResponse error(int httpStatus, int code, const QString &message,
                              HeaderList headers = {});

private:
    struct Failure
    {
        int httpStatus;
        int code;
        QString message;
        HeaderList headers;
    };
    struct Message
    {
        QJsonObject resource;
        int fetches = 0;
        QStringList script;
        int errorCode = 0;
    };
    struct Verification
    {
        QString sid;
        int checks = 0;
    };

    HttpResponse handle(const HttpRequest &request);
    HttpResponse createMessage(const HttpRequest &request);
    HttpResponse fetchMessage(const QString &sid);
    HttpResponse fetchAccount();
    HttpResponse createVerification(const HttpRequest &request);
    HttpResponse checkVerification(const HttpRequest &request);
    HttpResponse updateVerification(const HttpRequest &request, const QString &sid);
    QList<HttpRequest> requestsTo(const QByteArray &method, const QString &suffix) const;

    HttpTestServer m_http;
    std::function<std::optional<HttpResponse>(const HttpRequest &)> m_override;
    std::optional<Failure> m_createError;
    std::optional<Failure> m_verifyError;
    QStringList m_script {QStringLiteral("sent"), QStringLiteral("delivered")};
    int m_scriptError = 0;
    QHash<QString, Message> m_messages;
    QHash<QString, Verification> m_verifications; // by To
    int m_serial = 0;
};

/// Records what a SendJob reports; the job deletes itself once tracking ends, the record stays.
class SendJobRecorder : public QObject
{
    Q_OBJECT
public:
    explicit SendJobRecorder(SendJob *job, QObject *parent = nullptr);

    bool waitFinished(int ms = 5000);
    bool waitTrackingEnded(int ms = 5000);
    QList<DeliveryStatus> statusList() const;

    int finishedCount = 0;
    SendResult result;
    QList<std::pair<DeliveryStatus, int>> statuses;
    bool trackingEnded = false;
};

/// Short limits, so that no test waits long.
TwilioTimings fastTimings();

} // namespace waotp::test
