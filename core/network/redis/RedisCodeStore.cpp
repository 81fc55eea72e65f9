#include "network/redis/RedisCodeStore.h"

#include "network/redis/RedisScripts.h"

#include <QLoggingCategory>

#include <algorithm>
#include <climits>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace waotp {

namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

QByteArray ms(milliseconds d)
{
    return QByteArray::number(qint64(d.count()));
}

QByteArray hex(const Digest &d)
{
    return CodeHasher::toHex(d);
}

// The largest count of codes or subjects believed; beyond it a reply is nonsense.
constexpr qint64 MaxCount = qint64(1) << 40;
// The largest time in milliseconds believed (2^53: Lua's numbers are exact up to there).
constexpr qint64 MaxTime = qint64(1) << 53;

bool within(qint64 value, qint64 min, qint64 max)
{
    return value >= min && value <= max;
}

bool within(qint64 value, milliseconds min, milliseconds max)
{
    return within(value, qint64(min.count()), qint64(max.count()));
}

/// The script's answer as @p n integers, the last two the store's counts, or nothing if it is
/// not that (an error, a timeout, another shape, or a count out of range).
std::optional<QList<qint64>> integers(const RedisReply &r, qsizetype n)
{
    if (r.type != RedisReply::Type::Array || r.elements.size() != n)
        return std::nullopt;
    QList<qint64> out;
    out.reserve(n);
    for (const RedisReply &e : r.elements) {
        if (e.type != RedisReply::Type::Integer)
            return std::nullopt;
        out.append(e.integer);
    }
    if (!within(out[n - 2], 0, MaxCount) || !within(out[n - 1], 0, MaxCount))
        return std::nullopt;
    return out;
}

// Whether each script's answer holds only what that script can answer under @p p. Every
// duration is checked before it is added to a time point: nothing from the server can make the
// clock arithmetic overflow, and anything else fails closed.

milliseconds longestWait(const OtpPolicy &p)
{
    return std::max({p.maxResendCooldown, p.sendWindow, p.failureWindow});
}

bool validIssue(const QList<qint64> &v, const OtpPolicy &p)
{
    const qint64 sends = v[2];
    switch (v[0]) {
    case 0: // issued: the lifetime asked for, this send counted
        return v[1] == p.codeLifetime.count() && within(sends, 1, MaxCount)
            && within(v[3], 0ms, longestWait(p));
    case 1: // refused: a wait that has not passed
    case 2:
    case 3:
        return within(v[1], 1ms, longestWait(p)) && v[3] == v[1] && within(sends, 0, MaxCount);
    default:
        return false;
    }
}

// A preview's answer: as an issue's, but a send that would go is neither counted nor stored.
bool validPreview(const QList<qint64> &v, const OtpPolicy &p)
{
    if (v[0] == 0)
        return v[1] == 0 && within(v[2], 0, MaxCount) && v[3] == 0;
    return validIssue(v, p);
}

bool validCheck(const QList<qint64> &v, const OtpPolicy &p)
{
    switch (v[0]) {
    case 1: // wrong: attempts left, and the last wrong attempt answers 4
        return within(v[1], 1, p.maxAttempts - 1) && v[2] == 0;
    case 5: // guess limit: when the oldest wrong code leaves the window
        return v[1] == 0 && within(v[2], 1ms, p.failureWindow);
    case 0:
    case 2:
    case 3:
    case 4:
        return v[1] == 0 && v[2] == 0;
    default:
        return false;
    }
}

bool validReservation(const QList<qint64> &v, const OtpPolicy &p)
{
    switch (v[0]) {
    case 0: // the member counted: its time and number (past the count after gaps)
        return v[1] == 0 && within(v[2], 0, MaxTime) && within(v[3], 0, 2 * qint64(p.maxFailures));
    case 1:
        return within(v[1], 1ms, p.failureWindow) && v[2] == 0 && v[3] == 0;
    default:
        return false;
    }
}

} // namespace

RedisCodeStore::RedisCodeStore(RedisEndpoint endpoint, RedisStoreOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_client(std::move(endpoint), m_options.connection)
{
    connect(&m_client, &RedisClient::connected, this, [this] { setAvailable(true); });
    connect(&m_client, &RedisClient::disconnected, this, [this] { setAvailable(false); });
    // Loaded ahead of everything else on each connection: a NOSCRIPT retry would overtake
    // commands sent after it (e.g. a check right after a cancel).
    for (const RedisScript *s :
         {&RedisScripts::issue(), &RedisScripts::check(), &RedisScripts::cancel(),
          &RedisScripts::reserveGuess(), &RedisScripts::releaseGuess(), &RedisScripts::sweep()})
        m_client.addSetupCommand(
            {QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), s->source});
    m_client.open();
}

RedisCodeStore::~RedisCodeStore() = default;

std::variant<std::unique_ptr<RedisCodeStore>, QString>
RedisCodeStore::create(const QString &url, RedisStoreOptions options)
{
    auto endpoint = RedisEndpoint::fromUrl(url);
    if (auto *error = std::get_if<QString>(&endpoint))
        return *error;
    return std::make_unique<RedisCodeStore>(std::get<RedisEndpoint>(std::move(endpoint)),
                                            std::move(options));
}

QByteArray RedisCodeStore::codeKey(const Digest &subject) const
{
    return RedisScripts::subjectKeys(m_options.keyPrefix, hex(subject)).at(2);
}

QByteArray RedisCodeStore::sendsKey(const Digest &subject) const
{
    return RedisScripts::subjectKeys(m_options.keyPrefix, hex(subject)).at(3);
}

QByteArray RedisCodeStore::failuresKey(const Digest &subject) const
{
    return RedisScripts::subjectKeys(m_options.keyPrefix, hex(subject)).at(4);
}

void RedisCodeStore::setAvailable(bool available)
{
    if (m_available == available)
        return;
    m_available = available;
    Q_EMIT availabilityChanged(available);
}

QByteArray RedisCodeStore::nowArg(TimePoint now)
{
    if (m_options.time == TimeSource::Server)
        return {};
    m_lastCallerNow = std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count();
    return QByteArray::number(m_lastCallerNow);
}

QByteArray RedisCodeStore::lastNowArg() const
{
    // cancel() and releaseGuess() are not given the time; with the caller's clock, the last one
    // seen will do for trimming the indexes.
    return m_options.time == TimeSource::Server ? QByteArray()
                                                : QByteArray::number(m_lastCallerNow);
}

void RedisCodeStore::run(const RedisScript &script, const Digest *subject, QList<QByteArray> args,
                         Reply done, bool retried)
{
    QList<QByteArray> cmd {retried ? QByteArrayLiteral("EVAL") : QByteArrayLiteral("EVALSHA"),
                           retried ? script.source : script.sha1};
    const QList<QByteArray> keys =
        RedisScripts::subjectKeys(m_options.keyPrefix, subject ? hex(*subject) : QByteArray());
    cmd.append(QByteArray::number(subject ? 5 : 2));
    cmd.append(keys.mid(0, subject ? 5 : 2));
    cmd.append(m_options.keyPrefix);
    cmd.append(args);
    m_client.command(cmd,
                     [this, &script, subject = subject ? std::optional(*subject) : std::nullopt,
                      args, done = std::move(done), retried](const RedisReply &r) mutable {
                         // A server that restarted (or ran SCRIPT FLUSH) has forgotten the script:
                         // send it whole.
                         if (r.isError() && r.string.startsWith("NOSCRIPT") && !retried) {
                             run(script, subject ? &*subject : nullptr, std::move(args),
                                 std::move(done), true);
                             return;
                         }
                         if (r.isError())
                             qCWarning(lcRedis).noquote() << "Redis script failed:" << r.string;
                         done(r);
                     });
}

std::optional<QList<qint64>>
RedisCodeStore::answer(const RedisReply &r, qsizetype expected, const OtpPolicy *policy,
                       bool (*valid)(const QList<qint64> &, const OtpPolicy &))
{
    auto v = integers(r, expected);
    if (v && valid && !valid(*v, *policy))
        v.reset();
    if (!v) {
        // A timeout or an error was logged already: only a reply that should not exist is news.
        if (!r.isUnavailable() && !r.isError())
            qCWarning(lcRedis).noquote() << "Redis answered something the store's scripts cannot "
                                            "answer: refused";
        return std::nullopt;
    }
    m_activeCodes = std::size_t(v->at(expected - 2));
    m_trackedSubjects = std::size_t(v->at(expected - 1));
    return v;
}

QList<QByteArray> RedisCodeStore::issueArgs(const Digest &subject,
                                            const std::optional<Digest> &codeMac,
                                            const OtpPolicy &policy)
{
    return {QByteArray(),
            hex(subject),
            codeMac ? hex(*codeMac) : QByteArray(),
            ms(policy.codeLifetime),
            ms(policy.firstResendCooldown),
            ms(policy.maxResendCooldown),
            QByteArray::number(policy.maxSendsPerHour),
            ms(policy.sendWindow),
            QByteArray::number(policy.maxFailures),
            ms(policy.failureWindow),
            QByteArray::number(policy.failureBackoffFrom),
            QByteArray::number(policy.failureBackoffStep),
            ms(policy.firstFailureBackoff)};
}

IssueOutcome RedisCodeStore::issueOutcome(const std::optional<QList<qint64>> &v, TimePoint now,
                                          const OtpPolicy &policy)
{
    using Status = IssueOutcome::Status;
    IssueOutcome out; // Unavailable unless the server answered sensibly
    if (!v || v->size() != 6 || !validIssue(*v, policy))
        return out;
    static constexpr Status statuses[] = {Status::Issued, Status::CoolingDown, Status::HourlyLimit,
                                          Status::FailureBackoff};
    out.status = statuses[v->at(0)];
    out.sendsInWindow = int(std::min<qint64>(v->at(2), INT_MAX));
    out.nextSendAt = now + milliseconds(v->at(3));
    if (out.status == Status::Issued)
        out.expiresAt = now + milliseconds(v->at(1));
    else
        out.retryAfter = milliseconds(v->at(1));
    return out;
}

QList<QByteArray> RedisCodeStore::checkArgs(const Digest &subject, const Digest &codeMac,
                                            const OtpPolicy &policy)
{
    return {QByteArray(),
            hex(subject),
            hex(codeMac),
            QByteArray::number(policy.maxAttempts),
            QByteArray::number(policy.maxFailures),
            ms(policy.failureWindow)};
}

CheckOutcome RedisCodeStore::checkOutcome(const std::optional<QList<qint64>> &v,
                                          const OtpPolicy &policy)
{
    using Status = CheckOutcome::Status;
    if (!v || v->size() != 5 || !validCheck(*v, policy))
        return {Status::Unavailable, 0};
    static constexpr Status statuses[] = {Status::Verified,        Status::WrongCode,
                                          Status::Expired,         Status::NoCode,
                                          Status::TooManyAttempts, Status::GuessLimit};
    return {statuses[v->at(0)], int(v->at(1)), milliseconds(v->at(2))};
}

void RedisCodeStore::issue(const Digest &subject, const std::optional<Digest> &codeMac,
                           TimePoint now, const OtpPolicy &policy,
                           std::function<void(IssueOutcome)> done)
{
    QList<QByteArray> args = issueArgs(subject, codeMac, policy);
    args[0] = nowArg(now);
    run(RedisScripts::issue(), &subject, std::move(args),
        [this, now, policy, done = std::move(done)](const RedisReply &r) {
            done(issueOutcome(answer(r, 6, &policy, validIssue), now, policy));
        });
}

void RedisCodeStore::previewIssue(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                                  std::function<void(IssueOutcome)> done)
{
    QList<QByteArray> args = issueArgs(subject, std::nullopt, policy);
    args[0] = nowArg(now);
    args.append(QByteArrayLiteral("1")); // only the rules: see the issue script
    run(RedisScripts::issue(), &subject, std::move(args),
        [this, now, policy, done = std::move(done)](const RedisReply &r) {
            IssueOutcome out; // Unavailable unless the server answered sensibly
            const auto v = answer(r, 6, &policy, validPreview);
            if (v && v->at(0) == 0) {
                out.status = IssueOutcome::Status::Issued;
                out.sendsInWindow = int(std::min<qint64>(v->at(2), INT_MAX));
                out.nextSendAt = now;
            } else if (v) {
                out = issueOutcome(v, now, policy);
            }
            done(out);
        });
}

void RedisCodeStore::check(const Digest &subject, const Digest &codeMac, TimePoint now,
                           const OtpPolicy &policy, std::function<void(CheckOutcome)> done)
{
    QList<QByteArray> args = checkArgs(subject, codeMac, policy);
    args[0] = nowArg(now);
    run(RedisScripts::check(), &subject, std::move(args),
        [this, policy, done = std::move(done)](const RedisReply &r) {
            done(checkOutcome(answer(r, 5, &policy, validCheck), policy));
        });
}

void RedisCodeStore::reserveGuess(const Digest &subject, TimePoint now, const OtpPolicy &policy,
                                  std::function<void(GuessReservation)> done)
{
    QList<QByteArray> args {nowArg(now), hex(subject), QByteArray::number(policy.maxFailures),
                            ms(policy.failureWindow)};
    run(RedisScripts::reserveGuess(), &subject, std::move(args),
        [this, policy, done = std::move(done)](const RedisReply &r) {
            GuessReservation out;
            if (const auto v = answer(r, 6, &policy, validReservation)) {
                if (v->at(0) == 0) {
                    out.status = GuessReservation::Status::Reserved;
                    out.ticket = QByteArray::number(v->at(2))
                                     .append('-')
                                     .append(QByteArray::number(v->at(3)))
                                     .toStdString();
                } else {
                    out.status = GuessReservation::Status::GuessLimit;
                    out.retryAfter = milliseconds(v->at(1));
                }
            }
            done(out);
        });
}

void RedisCodeStore::releaseGuess(const Digest &subject, const std::string &ticket,
                                  std::function<void(bool ok)> done)
{
    run(RedisScripts::releaseGuess(), &subject,
        {lastNowArg(), hex(subject), QByteArray::fromStdString(ticket)},
        [this, done = std::move(done)](const RedisReply &r) { done(answer(r, 2).has_value()); });
}

void RedisCodeStore::cancel(const Digest &subject, std::function<void(bool ok)> done)
{
    run(RedisScripts::cancel(), &subject, {lastNowArg(), hex(subject)},
        [this, done = std::move(done)](const RedisReply &r) { done(answer(r, 2).has_value()); });
}

void RedisCodeStore::sweep(TimePoint now, const OtpPolicy &policy)
{
    Q_UNUSED(policy); // every entry carries its own deadline
    run(RedisScripts::sweep(), nullptr, {nowArg(now)},
        [this](const RedisReply &r) { answer(r, 2); });
}

} // namespace waotp
