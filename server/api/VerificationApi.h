#pragma once

#include "server/api/ApiRequests.h"
#include "server/api/Exchange.h"
#include "server/api/QueuedSends.h"
#include "server/api/RedisVerificationStore.h"
#include "server/api/VerificationStore.h"
#include "server/limits/RedisRequestLimits.h"
#include "server/limits/RequestLimits.h"
#include "server/token/AccountsThread.h"

#include "engine/OtpEngine.h"
#include "engine/TimerQueue.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <unordered_map>
#include <vector>

namespace waotp::server {

class Metrics;
struct TokenClaims;
class SilentSender;
class TokenIssuer;

/// The verification endpoints: each reads its request (ApiRequests), asks the engine, and
/// writes the answer (ApiError's table for errors) through the Outbox. No rule of codes lives
/// here: the engine and its store decide; this keeps the verifications the client sees, and the
/// limits in front of the engine (per client, the server's send budget, the flow's account rule).
class VerificationApi : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool demo = false; ///< reveal codes as "demo_code"
        QString defaultRegion = QStringLiteral("IN"); ///< for numbers without a country code
        /// How long a finished or expired verification stays visible to GET.
        std::chrono::milliseconds retention = std::chrono::minutes(10);
        RateLimit sendsPerIp; ///< creates and resends per client address
        RateLimit checksPerIp; ///< checks per client address
        /// The regions codes may be sent to; std::nullopt: every region.
        std::optional<QSet<QString>> allowedCountries;
        /// Answer no_account / account_exists instead of a silent send (registration_hints).
        bool registrationHints = false;
        int maxSendsPerMinute = 0; ///< the server's sends (silent ones too); 0: no limit
        int maxSendsPerDay = 0;
        /// The engine's code store: a check's code is checked there through the engine with its
        /// MAC kept, so that a right code whose account statement did not complete stays usable
        /// (see HeldApproval). Null: the engine checks by itself, and such a code is used up.
        CodeStore *codes = nullptr;
        /// Twilio is given a StatusCallback URL with each message: a send is named for it
        /// (statusRef()); without one, nothing is made for it.
        bool statusCallbacks = false;
    };
    /// Where the verifications and the limits live; null: in this process.
    struct SharedState
    {
        std::unique_ptr<VerificationStore> verifications;
        std::unique_ptr<RequestLimits> limits;
    };
    /// @p silent is the engine's sender. The references must outlive the API.
    VerificationApi(OtpEngine &engine, SilentSender &silent, AccountsThread &accounts,
                    const TokenIssuer &tokens, Outbox &outbox, Metrics &metrics, Options options,
                    SharedState shared = {}, QObject *parent = nullptr);
    ~VerificationApi() override;

    void create(Exchange &&exchange, const HttpRequest &request);
    void resend(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void check(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void show(Exchange &&exchange, const HttpRequest &request, const QByteArray &id);
    void cancel(Exchange &&exchange, const QByteArray &id);

    /// The provider reports (a status callback) that message @p messageSid is now @p status:
    /// the verification whose current code it carries moves on (never back) and its long polls
    /// are answered.
    void deliveryReported(const QString &messageSid, DeliveryStatus status, int errorCode);
    /// The same for the send named by @p statusRef (the status callback URL's `v`, see
    /// RedisVerificationStore::statusRef() and MemoryVerificationStore::statusRef()) about
    /// message @p messageSid: only the verification's current send moves it; false if
    /// @p statusRef names no send of this server's (the caller then tries deliveryReported()).
    bool deliveryReportedForSend(const QByteArray &statusRef, const QString &messageSid,
                                 DeliveryStatus status, int errorCode);
    /// A code that waited for its slot (the send-rate governor) went out as @p messageSid: its
    /// status callbacks find the number's current verification from now on.
    void queuedMessageSent(const PhoneNumber &number, const QString &messageSid);
    /// The code that waited for its slot as @p ticket was given up (the instance stops): the
    /// verification whose current send it was says its delivery failed, in a shared store that
    /// names its sends (elsewhere the verification goes with the instance, or keeps its state).
    void queuedSendGivenUp(quint64 ticket);

    /// The send-rate governor asks, when a code that waited in its queue gets its slot, whether
    /// it should still go (SendGovernor::setStillWanted(); see QueuedSends).
    void queuedSendDue(quint64 ticket, std::function<void(bool wanted)> answer);

    const VerificationStore &verifications() const { return *m_verifications; }
    /// False while the shared store of verifications or limits cannot be reached (/readyz).
    bool isAvailable() const { return m_verifications->isAvailable() && m_limits->isAvailable(); }
    /// True for a minute after Twilio refused the server's credentials or sender (/readyz): then
    /// ready again, so that a send can find out whether they were put right at Twilio's end.
    bool providerRefusesSettings() const;
    /// The server is stopping: every long poll (GET ...?wait=N) is answered now, and those
    /// that come later at once.
    void stopWaiting();
    /// Runs @p done once the delivery reports handed to the store so far are written, at once
    /// when none is on its way (a stopping instance's last reports must reach a shared store).
    void whenReportsWritten(std::function<void()> done);

private:
    // What the flow's rule on accounts makes of a send.
    /// Unavailable: the account database failed; Busy: it did not answer in time, or its queue
    /// is full.
    enum class Admission { Send, Silent, NoAccount, AccountExists, Unavailable, Busy };
    using SharedExchange = std::shared_ptr<Exchange>;

    // A create or resend waiting for the engine.
    struct PendingSend
    {
        SharedExchange exchange;
        CreateRequest request; ///< create: what was asked
        QByteArray verificationId; ///< resend: which verification
        PhoneNumber number;
        bool silent = false;
        /// A send counted and issued in one script of the shared store: the limits' answer,
        /// and whether the code store issued the code; when the verification is stored in the
        /// same script (sendCode()), the send's tag and what was stored.
        struct InStore
        {
            RequestLimits::Answer limits;
            bool issued = false;
            QByteArray tag;
            QByteArray budgetEntry; ///< the send's name in the budget's logs
            RedisVerificationStore::ResendRule resend; ///< a resend's
            std::optional<RedisVerificationStore::CodeSend> stored;
        };
        std::shared_ptr<InStore> inStore;
        /// create in the process's store: the new verification's id, chosen before the send
        /// so that its status callback URL names it
        QByteArray newId {};
    };
    // With the shared store, a create or resend of a number whose send is in flight here: it
    // waits for that send's end, then goes its own way (@p resume); @p counted: the limits
    // counted it already (admitSend()).
    struct ParkedSend
    {
        SharedExchange exchange;
        bool counted = false;
        std::function<void()> resume;
    };
    struct PendingCheck
    {
        SharedExchange exchange;
        Verification verification; ///< as it was when the check began
        /// A check made in one script of the shared store: what it found and stored.
        std::shared_ptr<RedisVerificationStore::CodeCheck> inStore;
        /// The MAC of the code checked, when it was checked through Options::codes.
        std::shared_ptr<std::optional<Digest>> mac;
    };
    /// A right code whose account statement did not complete in time (or failed): the
    /// verification stays open, unapproved, and the same code approves it later (compared by
    /// MAC, in constant time), with what a statement that finished late gave. Wrong codes
    /// against it count down the verification's attempts as any others do.
    struct HeldApproval
    {
        Digest mac {};
        int attemptsLeft = 0;
        bool running = false; ///< its statement still runs (past the deadline)
        std::optional<AccountOutcome> late; ///< what that statement gave once it finished
        Clock::TimePoint expiresAt; ///< of the verification's code
        /// A code sent since replaced it: checks go as any check, and only the statement's
        /// outcome is kept (running, late) for the approval
        bool replaced = false;
    };
    struct Wait
    {
        SharedExchange exchange;
        QByteArray verificationId;
        QMetaObject::Connection clientGone; // to the client's connection, which may go first
    };

    void reply(Exchange &exchange, HttpResponse response)
    {
        m_outbox.reply(exchange, std::move(response));
    }
    /// create() once the number is read.
    void createFor(const SharedExchange &shared, const CreateRequest &create,
                   const Parsed<PhoneNumber> &number);
    /// Finds the verification @p id and calls @p open with it if it can still be checked,
    /// resent or cancelled; otherwise answers 404 not_found (or 503) on @p exchange.
    void openVerification(const SharedExchange &exchange, const QByteArray &id,
                          std::function<void(const Verification &)> open);
    /// Calls @p then with what the flow's rule on accounts makes of a send of @p number (asked
    /// of the account database).
    void admit(const PhoneNumber &number, Purpose flow, std::function<void(Admission)> then);
    Admission admission(std::optional<bool> registered, Purpose flow) const;
    /// The answer to a send the flow's rule on accounts refuses.
    std::optional<HttpResponse> refuseAdmission(Admission admission) const;
    /// Counts a send against the client's and the server's limits, then calls @p go unless
    /// they (or the flow's rule) refuse it: then the refusal is answered.
    void admitSend(const SharedExchange &exchange, Admission admission, std::function<void()> go);
    /// Counts a check against the client's limit, then calls @p go unless it refuses: then the
    /// refusal is answered.
    void admitCheck(const SharedExchange &exchange, std::function<void()> go);
    /// The answer to what the limits refused, if they did. A send refused for its client
    /// (@p client) holds that client's sends here until its wait is over (heldSends()).
    std::optional<HttpResponse> limitRefusal(const RequestLimits::Answer &answer,
                                             const QByteArray &client = {});
    /// 429 for a client whose sends the limits refused a moment ago, until its wait is over:
    /// answered before the account database is asked, so that a client over its allowance
    /// costs no database call (and cannot fill its queue for the others).
    std::optional<HttpResponse> heldSends(const QByteArray &client);
    void startSend(PendingSend &&pending, Purpose flow, Channel channel, const QString &locale);
    /// With the shared store, parks @p parked while a send to @p number is in flight here
    /// (true), so that it gets an answer of its own rather than the send's it would join.
    bool parkWhileSending(const PhoneNumber &number, ParkedSend &&parked);
    /// The sends parked behind @p number's send, which ended with @p result: each goes its own
    /// way, or hears the same provider failure (one attempt, as a double click).
    void resumeParked(const PhoneNumber &number, const CodeRequestResult &result);
    void createAdmitted(const SharedExchange &shared, const CreateRequest &create,
                        const PhoneNumber &phone, Admission admission);
    void resendFor(const SharedExchange &shared, const QByteArray &id,
                   std::optional<Channel> asked);
    /// The number of verification @p id if its resend goes in one script of the shared store
    /// (resendInOneScript()), without looking the verification up first.
    std::optional<PhoneNumber> resendsInOneScript(const QByteArray &id,
                                                  std::optional<Channel> asked) const;
    void resendInOneScript(const SharedExchange &exchange, const QByteArray &id,
                           const PhoneNumber &number, std::optional<Channel> asked);
    /// Whether a send with @p admission of @p number on @p channel is counted and issued in one
    /// script of the shared store (startSend() with PendingSend::inStore) rather than counted
    /// by admitSend() first.
    bool sendsInOneScript(Admission admission, const PhoneNumber &number, Channel channel) const;
    /// With the process's store: what names @p pending's send in its status callback URL (a
    /// create's verification gets its id now, in PendingSend::newId). Empty otherwise.
    QByteArray memoryStatusRef(PendingSend &pending);

    void codeRequested(quint64 requestId, const PhoneNumber &number,
                       const CodeRequestResult &result);
    void codeChecked(quint64 requestId, const PhoneNumber &number, const VerifyResult &result);
    void deliveryChanged(const PhoneNumber &number, DeliveryStatus status, int providerCode);
    /// The store's answer to a delivery report: counted for whenReportsWritten().
    std::function<void(VerificationStore::Result, const Verification &, bool)> reportDone();
    void sent(PendingSend &pending, const CodeRequestResult &result, const QString &demoCode);
    /// The account, the token, and the store's one approval of @p v; @p approvedInStore: the
    /// store approved it already (a check in one script), and takes the approval back if no
    /// token goes out.
    void approve(const SharedExchange &exchange, const Verification &v,
                 bool approvedInStore = false, const std::optional<Digest> &mac = std::nullopt);
    /// approve() when the account database did not complete the sign-in: keeps the right code
    /// usable (a HeldApproval) when its @p mac is known, takes the store's approval back, and
    /// answers 503 database_unavailable (503 accounts_unavailable, the code used up, when the
    /// MAC is not known). @p running: the statement goes on past the deadline.
    void holdApproval(const SharedExchange &exchange, const Verification &v, bool approvedInStore,
                      const std::optional<Digest> &mac, bool running);
    /// A check of a verification with a HeldApproval: the code against the held MAC.
    /// A check of the verification's current code (in the store's check, or the engine's).
    void checkCode(const SharedExchange &exchange, const QByteArray &id, const QString &code);
    void checkHeld(const SharedExchange &exchange, const QByteArray &id, const QString &code);
    /// The answer when the account database did not answer in time, counted by @p wait.
    HttpResponse databaseBusy(DatabaseWait wait);
    /// Counts a database call not answered (/metrics: waotp_database_refused_total).
    void countDatabaseRefusal(DatabaseWait wait);
    /// approve() once the account database has answered with @p account.
    void approveAccount(const SharedExchange &exchange, const Verification &v, bool approvedInStore,
                        const std::optional<AccountOutcome> &account);
    /// approve() once the token is signed: the store's one approval, then the answer.
    void grant(const SharedExchange &exchange, const Verification &v, bool approvedInStore,
               const AccountOutcome &account, const TokenClaims &claims, const QByteArray &token);
    /// The number of verification @p id when its check and cancel are one script of the
    /// shared store (ids it made, codes of the engine's own); std::nullopt otherwise.
    std::optional<PhoneNumber> oneScriptNumber(const QByteArray &id) const;
    void checkInOneScript(const SharedExchange &exchange, const QByteArray &id,
                          const PhoneNumber &number, const QString &code);
    void checkedInStore(PendingCheck &pending, const VerifyResult &result);
    /// The answer with @p v's create shape; with the place of @p send in the send-rate
    /// governor's line when it waits there.
    HttpResponse shape(int status, const Verification &v, bool withDemoCode,
                       const SendResult *send = nullptr, Clock::TimePoint sendHeldUntil = {}) const;
    /// Answers GET: 200 with @p v's create shape to each of @p exchanges, its
    /// resend_in counting the code store's rules that outlast a cooldown too (the hourly cap,
    /// the backoff after wrong codes).
    void replyShown(std::vector<SharedExchange> exchanges, const Verification &v);
    /// Answers a check of @p v that found its attempts used up: 429 too_many_attempts, whose wait
    /// is until a resend is allowed: @p v's cooldown, or longer when the number's hourly cap or
    /// the backoff after its wrong codes holds the send back beyond it (the code store's rules).
    void replyTooManyAttempts(const SharedExchange &exchange, const Verification &v);
    /// Answers a check of @p v that the engine did not verify: checkRefusal(), or
    /// replyTooManyAttempts().
    void replyCheckRefusal(const SharedExchange &exchange, const VerifyResult &result,
                           const Verification &v);
    /// The answer when the shared store cannot be reached.
    static HttpResponse unavailable();
    /// The answer when the store did not find an open verification: 404, or 503 when it could
    /// not be asked.
    static HttpResponse notFound(VerificationStore::Result r);

    void changed(const QByteArray &verificationId);
    /// A long poll's lookup of @p verificationId is answered: the serial of the id's latest
    /// change heard during the lookups of it under way (0: none).
    quint64 lookupEnded(const QByteArray &verificationId);
    void startWait(const SharedExchange &exchange, const Verification &v,
                   std::chrono::seconds seconds);
    void finishWait(quint64 serial);
    void finishWaits(const QByteArray &verificationId, const QList<quint64> &serials);

    OtpEngine &m_engine;
    SilentSender &m_silent;
    AccountsThread &m_accounts;
    const TokenIssuer &m_tokens;
    Outbox &m_outbox;
    Metrics &m_metrics;
    Options m_options;
    std::unique_ptr<VerificationStore> m_verifications;
    std::unique_ptr<RequestLimits> m_limits;
    // Both in Redis: a check and a cancel are one script each.
    RedisVerificationStore *m_sharedStore = nullptr;
    MemoryVerificationStore *m_memoryStore = nullptr;
    RedisRequestLimits *m_sharedLimits = nullptr;
    QTimer m_sweepTimer;
    TimerQueue m_waitTimers; // the long polls' ends, however many clients wait
    QueuedSends m_queuedSends;
    PhoneParsing m_phones;
    QHash<QString, QString> m_demoCodes; // E.164 -> the code the demo sender just "sent"
    QSet<QString> m_sendingTo; // E.164 of numbers with a send in the engine
    QHash<QString, std::vector<ParkedSend>> m_parkedSends; // E.164 -> behind its send in flight
    std::unordered_map<quint64, std::vector<PendingSend>> m_pendingSends; // by engine request
    std::unordered_map<quint64, PendingCheck> m_pendingChecks; // by engine request
    QHash<QByteArray, Clock::TimePoint> m_sendsHeldUntil; // client -> see heldSends()
    static constexpr qsizetype MaxHeldClients = 10'000;
    std::unordered_map<quint64, Wait> m_waits; // by serial
    QMultiHash<QByteArray, quint64> m_waitsByVerification;
    bool m_waitingStopped = false; // see stopWaiting()
    int m_reportsInFlight = 0; // see whenReportsWritten()
    std::vector<std::function<void()>> m_reportsWritten;
    quint64 m_nextWait = 1;
    // The long polls whose verification is being looked up, so that one whose lookup crossed a
    // change is answered at once: by id, how many, and the serial of the id's latest change
    // since the first of them began. Only these ids are followed (not every change: a table of
    // every id changed lately grew with the traffic and stopped the event loop as it doubled).
    struct Lookup
    {
        int count = 0;
        quint64 lastChange = 0;
    };
    QHash<QByteArray, Lookup> m_lookups;
    quint64 m_changeSerial = 0; // counts every change
    QHash<QByteArray, HeldApproval> m_held; // by verification id
    bool m_closing = false;
};

} // namespace waotp::server
