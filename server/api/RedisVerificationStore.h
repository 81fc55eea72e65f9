#pragma once

#include "server/api/SealedField.h"
#include "server/api/VerificationStore.h"
#include "server/limits/RequestLimits.h"

#include "network/redis/RedisClient.h"

#include "engine/CodeStore.h"

#include <QObject>

#include <vector>

namespace waotp {
struct RedisScript;
class RedisSendRateBucket;
} // namespace waotp

namespace waotp::server {

/// The verifications in Redis, beside the codes, so that any instance answers for any of them.
///
/// Keys (`<prefix>` as the code store's): `<prefix>v:<id>` a hash of the verification (its
/// number in E.164 sealed with AES-256-GCM under a key derived from the store secret, see
/// SealedField, for GET's "phone" and the engine: no number is ever in clear in Redis; the flow,
/// channel, delivery, attempts, approval, cancellation, message SID; its code's expiry and next
/// send on Redis' clock, in ms); `<prefix>vn:<number>` the number's current verification (or
/// 'failed' after a new verification's send failed)
/// (`<number>` a keyed hash of it); `<prefix>vm:<message SID>` the verification whose current code
/// the message carries. All of them expire with the code's lifetime plus the retention. Every
/// change is one Lua script, which also publishes the id on `<prefix>changes`: each instance
/// subscribes to it on a connection of its own, and hears every change, its own included. The
/// scripts asked for in one pass of the event loop go out as one call (MaxPerCall). Times are
/// Redis' (TIME) inside the scripts and the engine clock outside: a time goes in as "so long from
/// now" and comes out the same way.
class RedisVerificationStore final : public VerificationStore
{
public:
    /// @p secret keys the hash of numbers (the store secret); @p clock is the engine's.
    RedisVerificationStore(RedisEndpoint endpoint, QByteArray keyPrefix, QByteArray secret,
                           std::chrono::milliseconds retention, const Clock &clock,
                           RedisClientOptions options = {});
    ~RedisVerificationStore() override;

    void find(const QByteArray &id, Done done) override;
    void add(const Verification &v, Done done) override;
    void codeSent(const QByteArray &id, const Verification &code, Done done) override;
    void attemptsLeft(const QByteArray &id, int left, bool usedUp, Done done) override;
    void approve(const QByteArray &id, Done done) override;
    /// A wrong code checked by the provider (Twilio Verify), which leaves @p providerLeft
    /// attempts: the verification's attempts left become the fewer of those and one less than
    /// it has now, in one script (used up at none), so that wrong codes at several instances at
    /// once each count. NotFound if it is no longer open.
    void wrongCode(const QByteArray &id, int providerLeft, Done done) override;
    void cancel(const QByteArray &id, Done done) override;
    void sendVoided(const PhoneNumber &number, int error, Done done) override;
    void deliveryOfNumber(const PhoneNumber &number, DeliveryStatus status, int error,
                          Done done) override;
    void messageOfNumber(const PhoneNumber &number, const QString &messageSid, Done done) override;
    void deliveryOfMessage(const QString &messageSid, DeliveryStatus status, int error,
                           Done done) override;
    void sweep(Clock::TimePoint) override { }
    qsizetype size() const override { return -1; }
    /// Both connections up: the commands' and the subscription's.
    bool isAvailable() const override;

    /// A verification id that names @p v's number sealed (SealedField): any instance learns
    /// the number of a request's verification from its id alone, without asking Redis first.
    QByteArray newId(const Verification &v) const override;
    /// The number named by @p id, one of newId()'s; std::nullopt for any other id.
    std::optional<PhoneNumber> numberOfId(const QByteArray &id) const;

    /// What checkCode() found, and where it stopped.
    struct CodeCheck
    {
        enum class Step {
            NotRun, ///< Result says why: NotFound (not open), Unavailable
            UsedUp, ///< the verification's attempts are used up: nothing counted
            Expired, ///< its code's lifetime is over: nothing counted
            ClientLimited, ///< the client is over its checks: clientWait says how long
            Checked, ///< the code was checked: outcome; an approval or the attempts are stored
        };
        Result result = Result::Unavailable;
        Verification v; ///< as it is after the operation (when Ok)
        bool current = false;
        Step step = Step::NotRun;
        std::chrono::milliseconds clientWait {0};
        CheckOutcome outcome; ///< Unavailable unless Checked
    };
    /// A check of a code, whole, in one script: the verification @p id must be open, its
    /// attempts not used up and its code not expired; then the client's checks are counted
    /// (@p clientLimit: RedisRequestLimits::checkArgs()); then the code store's check of
    /// @p codeMac for @p subject (the same Lua as RedisCodeStore::check(), on its keys: attempts,
    /// single use, the number's wrong codes across codes); a silent send's code never matches;
    /// then a right code approves the verification, exactly once (final with confirmApproval()),
    /// and a wrong one stores the attempts left.
    void checkCode(const QByteArray &id, const QList<QByteArray> &clientLimit,
                   const Digest &subject, const Digest &codeMac, const OtpPolicy &policy,
                   std::function<void(const CodeCheck &)> done);
    /// cancel() and, if @p id is its number's current verification, the code store's cancel()
    /// of @p subject's code, in one script.
    void cancelWithCode(const QByteArray &id, const Digest &subject, Done done);
    /// What sendCode() found and stored.
    struct CodeSend
    {
        /// Ok: issued and stored; NotFound: a resend of no open verification, or the limits
        /// or the code store refused (limits, issued say which); Unavailable: nothing changed
        Result result = Result::Unavailable;
        Verification v; ///< as stored (when Ok)
        bool current = false;
        RequestLimits::Answer limits; ///< unavailable unless the script ran
        IssueOutcome issued; ///< the code store's answer, when the limits allowed the send
        /// A resend the flow's rule refused: that rule's answer (ResendRule::rule); -1 if none
        int refusedBy = -1;
        /// With takeSendSlots(), when issued: the send's slot of the shared send rate.
        std::optional<SendSlot> slot;
    };
    /// Each sendCode() takes the send's slot of @p bucket (the send rate shared by every
    /// instance) in the same script, once the code is issued (CodeSend::slot).
    void takeSendSlots(const RedisSendRateBucket &bucket);
    /// What a resend takes besides the verification's id and number.
    struct ResendRule
    {
        std::optional<Channel> channel; ///< asked for; unset: the verification's
        /// What the flow's rule on accounts makes of a send, for each flow (by Purpose): 0 a
        /// send, 1 a silent send, 2 and up a refusal (then only the client's send is counted).
        int rule[2] = {0, 0};
    };
    /// A send, whole, in one script, before the message goes out: for a resend (!@p fresh) the
    /// verification @p v.id must be open, and @p resend's rule for its flow not refuse (a
    /// resend's flow, channel, language and silence are the verification's, see CodeSend::v);
    /// then the limits count the send and the code store
    /// issues the code (RedisRequestLimits::admitAndIssueScript() with @p admitAndIssue, its
    /// ARGV, on @p subject's keys; @p issuePolicy and @p now read its answer as the engine's);
    /// the next send is stored after @p policy's cooldown (the engine's, even when it waived
    /// this send's);
    /// then @p v is added as add() adds it (@p fresh) or takes the new code as codeSent() does,
    /// with @p tag naming the send: status callbacks name the verification and the tag
    /// (deliveryOfSend()), so no message SID is stored.
    void sendCode(const Verification &v, bool fresh, const QByteArray &tag, const Digest &subject,
                  const QList<QByteArray> &admitAndIssue, const OtpPolicy &policy,
                  const OtpPolicy &issuePolicy, Clock::TimePoint now, const ResendRule &resend,
                  std::function<void(const CodeSend &)> done);
    /// sendCode()'s send @p tag of @p id failed: a new verification is forgotten, a resend's
    /// shows the failure; either way the number's next send, at any instance, may go at once.
    /// NotFound unless @p tag is still its send. @p unusedSlot: the send's slot of the shared
    /// send rate (CodeSend::slot), when no message used it: given back in the same script.
    void sendFailed(const QByteArray &id, const QByteArray &tag, bool fresh, Done done,
                    const std::optional<SendSlot> &unusedSlot = std::nullopt);
    /// sendCode()'s send @p tag of @p id went out and the provider named its code @p providerId
    /// (Twilio Verify's verification SID): stored with the verification (as its message SID),
    /// so that a cancel at any instance voids the code at the provider. Stored only while @p tag
    /// is the verification's current send; NotFound if the verification is no longer open.
    void sendAccepted(const QByteArray &id, const QByteArray &tag, const QString &providerId,
                      Done done);
    /// A status callback about send @p tag of @p id (sendCode()): as deliveryOfMessage(), and
    /// NotFound unless @p tag is the verification's current send.
    void deliveryOfSend(const QByteArray &id, const QByteArray &tag, DeliveryStatus status,
                        int error, Done done);

    /// What names send @p tag of verification @p id in its status callback URL (`?v=`):
    /// sealed (SealedField, a purpose of its own) so that the URL, which Twilio's message logs
    /// keep, tells nothing and works against nothing but the callback; base64url.
    QByteArray statusRef(const QByteArray &id, const QByteArray &tag) const;
    /// The verification id and send tag that @p ref names, or std::nullopt.
    std::optional<std::pair<QByteArray, QByteArray>> openStatusRef(const QByteArray &ref) const;

    /// checkCode()'s approval of @p id is final: its token went out. Until then the
    /// verification is closed to other checks, resends and cancels but shown pending (GET at
    /// any instance), so that no approval shows before its token exists or after it was
    /// taken back. NotFound unless checkCode() approved it.
    void confirmApproval(const QByteArray &id, Done done);
    /// Takes back checkCode()'s approval of @p id when no token could go out (@p cancel: and
    /// cancels it). NotFound unless it was approved.
    void withdrawApproval(const QByteArray &id, bool cancel, Done done);

    /// The key of verification @p id, and of @p number's current one.
    QByteArray verificationKey(const QByteArray &id) const;
    QByteArray numberKey(const PhoneNumber &number) const;
    /// The connection that runs the scripts (e.g. to inspect the server in tests).
    RedisClient &client() { return m_commands; }

    /// Every script the store runs in one pass of the event loop waits for the pass to end (an
    /// event posted by the first), then goes to Redis as one call of at most this many (more go
    /// in further calls): a request's script, the delivery reports and the approvals made final
    /// that other requests of the pass asked for, all together. Each has the effect its own script
    /// has, in the order asked, and each caller its own answer; a call that fails fails each of
    /// its steps (Unavailable). A pass that asked for one request's script sends that script
    /// alone.
    static constexpr qsizetype MaxPerCall = 256;

private:
    /// The kinds of scripts, in the order of the pass script's steps.
    enum class Step {
        Find = 1,
        Add,
        CodeSent,
        Update,
        WrongCode,
        MessageOfNumber,
        SendCode,
        SendFailed,
        SendAccepted,
        CheckCode,
        CancelWithCode,
        WithdrawApproval,
        DeliveryOfNumber,
        DeliveryOfMessage,
        DeliveryOfSend,
        ConfirmApproval,
    };
    using Extra =
        std::function<void(Result, const Verification &, bool current, const QList<qint64> &extra)>;
    /// Queues a script of kind @p step with @p args, its ARGV from ARGV[3] on, for the end of
    /// the pass.
    void run(Step step, QList<QByteArray> args, Done done);
    /// run() with @p keys, and the integers a script answers after the verification.
    void run(Step step, QList<QByteArray> keys, QList<QByteArray> args, Extra done);
    /// The answer @p r of one script (or of one step of a pass) to @p done.
    void answer(const RedisReply &r, const Extra &done) const;
    /// Sends what the pass asked for.
    void sendPass();
    std::optional<Verification> parse(const RedisReply &hash, qint64 redisNow) const;
    QByteArray msFromNow(Clock::TimePoint when) const;
    void message(const RedisReply &r);

    QByteArray m_prefix;
    QByteArray m_secret;
    SealedField m_seal;
    std::chrono::milliseconds m_retention;
    const Clock &m_clock;
    QList<QByteArray> m_sendSlots; // the send-rate bucket's keys and reservation ARGV
    struct Queued
    {
        Step step;
        QList<QByteArray> keys;
        QList<QByteArray> args; // from ARGV[3] on
        Extra done;
    };
    std::vector<Queued> m_pass; // waiting for the end of the pass
    QObject m_passEnd; // receives the event that sends them
    RedisClient m_commands;
    RedisClient m_subscriber;
};

} // namespace waotp::server
