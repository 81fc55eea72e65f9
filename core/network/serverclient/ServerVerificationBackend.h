#pragma once

#include "network/serverclient/ServerAnswers.h"
#include "network/serverclient/ServerHttp.h"

#include "engine/RemoteVerificationBackend.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <memory>

class QEventLoop;
class QNetworkAccessManager;

namespace waotp {

/// The flow's backend on a verification server (waotp-server's /v1/verifications API):
/// requestCode() creates a verification (or resends its code), checkCode() checks it, cancel()
/// deletes it, and its delivery is followed by long polls (GET ...?wait=N). The countdowns
/// come from the server's expires_in and resend_in, measured from when each answer arrived.
///
/// The server keeps the accounts and does not say beforehand whether a number has one
/// (findsAccounts() is false): a sign-in code is on its way only if there is an account, unless
/// the server says it gives registration hints (it then refuses the code: accountMismatch()).
/// The account steps after an approved code answer from the approval itself.
///
/// Every failure (no connection, TLS, a timeout, a 5xx, an answer that is not the API's JSON or
/// is too large) comes back as a typed result with plain words in its detail; nothing throws,
/// nothing is retried behind the person's back except the delivery polls.
class ServerVerificationBackend final : public RemoteVerificationBackend
{
    Q_OBJECT
public:
    ServerVerificationBackend(const QUrl &serverUrl, const Clock &clock, QNetworkAccessManager *nam,
                              ServerTimings timings = {}, QObject *parent = nullptr);
    ~ServerVerificationBackend() override;

    quint64 requestCode(const PhoneNumber &number, Purpose purpose, Channel channel,
                        const QString &locale) override;
    quint64 checkCode(const PhoneNumber &number, const QString &code) override;
    void cancel(const PhoneNumber &number) override;
    int attemptsPerCode() const override { return m_attemptsPerCode; }

    void findAccount(const PhoneNumber &number, RegisteredAnswer answer) override;
    void createAccount(const PhoneNumber &number, AccountAnswer answer) override;
    void recordSignIn(const PhoneNumber &number, AccountAnswer answer) override;
    bool findsAccounts() const override { return false; }
    bool sentCodeMeansAccount() const override { return m_registrationHints; }

    void setNonce(const QString &nonce) override { m_nonce = nonce; }
    QUrl serverUrl() const override { return m_http.baseUrl(); }
    void probe() override;
    bool isDemoService() const override { return m_demo; }
    std::optional<VerificationToken> lastToken() const override { return m_lastToken; }
    void finishCancellations(std::chrono::milliseconds limit) override;

    /// The verification id of @p number's code, if one is open (for tests).
    QByteArray verificationId(const PhoneNumber &number) const;
    /// Delivery polls sent so far (for tests: no tight polling).
    int pollCount() const { return m_pollCount; }

private:
    // The verification of a number whose code is being entered.
    struct Open
    {
        QByteArray id;
        PhoneNumber number;
        Purpose purpose = Purpose::SignUp;
        DeliveryStatus delivery = DeliveryStatus::Unknown;
        quint64 poll = 0; ///< the poll on its way (ServerHttp handle)
        QTimer *pollTimer = nullptr; ///< the next poll
        std::chrono::milliseconds backoff {0}; ///< after failed polls
        Clock::TimePoint expiresAt;
    };
    // A create or resend on its way.
    struct Send
    {
        quint64 id;
        PhoneNumber number;
        Purpose purpose;
        Channel channel;
        QString locale;
    };

    void create(const Send &send);
    void resend(const Send &send, const QByteArray &verificationId);
    /// @p resent: the verification a resend was for; empty for a create.
    void sendAnswered(const Send &send, const ServerReply &reply, const QByteArray &resent);
    void checkAnswered(quint64 id, const PhoneNumber &number, const ServerReply &reply);
    void noticeAnswer(const ServerReply &reply);

    Open &open(const PhoneNumber &number, const ServerVerification &v, Purpose purpose);
    void close(const QString &e164);
    void schedulePoll(Open &o, std::chrono::milliseconds delay);
    void poll(const QString &e164);
    void pollAnswered(const QString &e164, const ServerReply &reply,
                      std::chrono::milliseconds took);
    void deleteVerification(const QByteArray &id);

    const Clock &m_clock;
    ServerHttp m_http;
    QHash<QString, Open> m_open; // by E.164
    QSet<quint64> m_cancels; // DELETEs on their way
    int m_sendsOnTheirWay = 0; // creates and resends not answered yet
    QEventLoop *m_cancelWait = nullptr; // finishCancellations() waiting for them
    /// Ends finishCancellations()' wait once nothing it waits for is on its way.
    void quitWaitIfDone();
    std::optional<VerificationToken> m_lastToken;
    quint64 m_nextId = 1;
    int m_attemptsPerCode = 5;
    int m_pollCount = 0;
    bool m_demo = false;
    bool m_known = false; ///< serviceKnown() was emitted
    bool m_registrationHints = false;
    QString m_nonce;
};

} // namespace waotp
