#pragma once

#include "server/api/ApiError.h"
#include "server/api/ApiRequests.h"
#include "server/api/Routes.h"
#include "server/api/Verifications.h"
#include "server/http/HttpServer.h"
#include "server/limits/ClientAddress.h"
#include "server/limits/RateLimiter.h"

#include "engine/OtpEngine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <unordered_map>
#include <vector>

namespace waotp::server {

class ServerAccounts;
class SigningKeys;
class TokenIssuer;

/// The routes of waotp-server: each reads its request (ApiRequests), asks the engine, and
/// writes the answer (ApiError's table for errors). No rule of codes or limits lives here:
/// the engine and its store decide; this keeps the verifications the client sees.
class VerificationApi : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool demo = false; ///< mark every answer "demo": true; reveal codes as "demo_code"
        QString defaultRegion = QStringLiteral("IN"); ///< for numbers without a country code
        /// How long a finished or expired verification stays visible to GET.
        std::chrono::milliseconds retention = std::chrono::minutes(10);
        RateLimit sendsPerIp; ///< creates and resends per client address
        RateLimit checksPerIp; ///< checks per client address
        QList<Subnet> trustedProxies; ///< whose X-Forwarded-For names the client
        /// The regions codes may be sent to; std::nullopt: every region.
        std::optional<QSet<QString>> allowedCountries;
    };
    VerificationApi(OtpEngine &engine, ServerAccounts &accounts, const SigningKeys &keys,
                    const TokenIssuer &tokens, Options options, QObject *parent = nullptr);
    ~VerificationApi() override;

    /// HttpServer's handler.
    void handle(HttpRequest &&request, HttpResponder &&responder);
    /// HttpServer's failure handler.
    HttpResponse failureResponse(HttpFailure failure) const;

    const VerificationRegistry &verifications() const { return m_verifications; }

private:
    // A request on its way to its answer, for the log line.
    struct Exchange
    {
        HttpResponder responder;
        QElapsedTimer started;
        Endpoint endpoint = Endpoint::None;
        QByteArray method;
        QByteArray client; ///< clientKey() of the client's address
    };
    // A create or resend waiting for the engine.
    struct PendingSend
    {
        Exchange exchange;
        CreateRequest request; ///< create: what was asked
        QByteArray verificationId; ///< resend: which verification
        PhoneNumber number;
    };
    struct PendingCheck
    {
        Exchange exchange;
        QByteArray verificationId;
    };
    struct Wait
    {
        Exchange exchange;
        QByteArray verificationId;
        QTimer *timer = nullptr;
    };

    void reply(Exchange &exchange, HttpResponse response) const;
    /// The verification @p id if it can still be checked, resent or cancelled; otherwise answers
    /// 404 not_found on @p exchange and returns null.
    Verification *openVerification(Exchange &exchange, const QByteArray &id);
    void create(Exchange &&exchange, const HttpRequest &request);
    void resend(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void check(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void show(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void cancel(Exchange &&exchange, const QByteArray &id);
    void ready(Exchange &&exchange);
    void startSend(PendingSend &&pending, Purpose flow, Channel channel, const QString &locale);

    void codeRequested(quint64 requestId, const PhoneNumber &number,
                       const CodeRequestResult &result);
    void codeChecked(quint64 requestId, const PhoneNumber &number, const VerifyResult &result);
    void deliveryChanged(const PhoneNumber &number, DeliveryStatus status, int providerCode);
    void sent(PendingSend &pending, const CodeRequestResult &result, const QString &demoCode);
    void approve(Exchange &exchange, Verification &v);
    HttpResponse shape(int status, const Verification &v, bool withDemoCode) const;
    std::optional<HttpResponse> clientLimit(RateLimiter &limiter, const Exchange &exchange);
    std::chrono::seconds untilResend(const Verification &v) const;

    void changed(const QByteArray &verificationId);
    void finishWait(quint64 serial);

    OtpEngine &m_engine;
    ServerAccounts &m_accounts;
    const SigningKeys &m_keys;
    const TokenIssuer &m_tokens;
    Options m_options;
    VerificationRegistry m_verifications;
    RateLimiter m_sendsPerIp;
    RateLimiter m_checksPerIp;
    QTimer m_sweepTimer;
    QHash<QString, QString> m_demoCodes; // E.164 -> the code the demo sender just "sent"
    std::unordered_map<quint64, std::vector<PendingSend>> m_pendingSends; // by engine request
    std::unordered_map<quint64, PendingCheck> m_pendingChecks; // by engine request
    std::unordered_map<quint64, Wait> m_waits; // by serial
    QMultiHash<QByteArray, quint64> m_waitsByVerification;
    quint64 m_nextWait = 1;
};

} // namespace waotp::server
