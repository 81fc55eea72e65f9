#include "network/redis/RedisCodeStore.h"

#include "network/redis/RedisScripts.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace waotp {

namespace {

using std::chrono::milliseconds;

QByteArray ms(milliseconds d)
{
    return QByteArray::number(qint64(d.count()));
}

QByteArray hex(const Digest &d)
{
    return CodeHasher::toHex(d);
}

/// The script's answer as @p n integers, or nothing if it is not that (an error, a timeout).
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
    return out;
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
    for (const RedisScript *s : {&RedisScripts::issue(), &RedisScripts::check(),
                                 &RedisScripts::cancel(), &RedisScripts::sweep()})
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
    return m_options.keyPrefix + "code:" + hex(subject);
}

QByteArray RedisCodeStore::sendsKey(const Digest &subject) const
{
    return m_options.keyPrefix + "sends:" + hex(subject);
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

void RedisCodeStore::run(const RedisScript &script, const Digest *subject, QList<QByteArray> args,
                         Reply done, bool retried)
{
    QList<QByteArray> cmd {retried ? QByteArrayLiteral("EVAL") : QByteArrayLiteral("EVALSHA"),
                           retried ? script.source : script.sha1};
    cmd.append(QByteArray::number(subject ? 4 : 2));
    cmd.append(m_options.keyPrefix + "index:codes");
    cmd.append(m_options.keyPrefix + "index:subjects");
    if (subject) {
        cmd.append(codeKey(*subject));
        cmd.append(sendsKey(*subject));
    }
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

bool RedisCodeStore::readCounts(const RedisReply &r, qsizetype expected)
{
    const auto v = integers(r, expected);
    if (!v)
        return false;
    m_activeCodes = std::size_t(std::max<qint64>(0, v->at(expected - 2)));
    m_trackedSubjects = std::size_t(std::max<qint64>(0, v->at(expected - 1)));
    return true;
}

void RedisCodeStore::issue(const Digest &subject, const std::optional<Digest> &codeMac,
                           TimePoint now, const OtpPolicy &policy,
                           std::function<void(IssueOutcome)> done)
{
    QList<QByteArray> args {nowArg(now),
                            hex(subject),
                            codeMac ? hex(*codeMac) : QByteArray(),
                            ms(policy.codeLifetime),
                            ms(policy.firstResendCooldown),
                            ms(policy.maxResendCooldown),
                            QByteArray::number(policy.maxSendsPerHour),
                            ms(policy.sendWindow)};
    run(RedisScripts::issue(), &subject, std::move(args),
        [this, now, done = std::move(done)](const RedisReply &r) {
            IssueOutcome out; // Unavailable unless the server answered
            if (readCounts(r, 6)) {
                const QList<qint64> v = *integers(r, 6);
                out.sendsInWindow = int(v[2]);
                out.nextSendAt = now + milliseconds(v[3]);
                switch (v[0]) {
                case 0:
                    out.status = IssueOutcome::Status::Issued;
                    out.expiresAt = now + milliseconds(v[1]);
                    break;
                case 1:
                    out.status = IssueOutcome::Status::CoolingDown;
                    out.retryAfter = milliseconds(v[1]);
                    break;
                case 2:
                    out.status = IssueOutcome::Status::HourlyLimit;
                    out.retryAfter = milliseconds(v[1]);
                    break;
                default:
                    break;
                }
            }
            done(out);
        });
}

void RedisCodeStore::check(const Digest &subject, const Digest &codeMac, TimePoint now,
                           const OtpPolicy &policy, std::function<void(CheckOutcome)> done)
{
    QList<QByteArray> args {nowArg(now), hex(subject), hex(codeMac),
                            QByteArray::number(policy.maxAttempts)};
    run(RedisScripts::check(), &subject, std::move(args),
        [this, done = std::move(done)](const RedisReply &r) {
            using Status = CheckOutcome::Status;
            CheckOutcome out {Status::Unavailable, 0};
            if (readCounts(r, 4)) {
                const QList<qint64> v = *integers(r, 4);
                static constexpr Status statuses[] = {Status::Verified, Status::WrongCode,
                                                      Status::Expired, Status::NoCode,
                                                      Status::TooManyAttempts};
                if (v[0] >= 0 && v[0] < qint64(std::size(statuses)))
                    out = {statuses[v[0]], int(v[1])};
            }
            done(out);
        });
}

void RedisCodeStore::cancel(const Digest &subject, std::function<void(bool ok)> done)
{
    // cancel() is not given the time; with the caller's clock, the last one seen will do for
    // trimming the indexes.
    const QByteArray now =
        m_options.time == TimeSource::Server ? QByteArray() : QByteArray::number(m_lastCallerNow);
    run(RedisScripts::cancel(), &subject, {now, hex(subject)},
        [this, done = std::move(done)](const RedisReply &r) { done(readCounts(r, 2)); });
}

void RedisCodeStore::sweep(TimePoint now, const OtpPolicy &policy)
{
    Q_UNUSED(policy); // every entry carries its own deadline
    run(RedisScripts::sweep(), nullptr, {nowArg(now)},
        [this](const RedisReply &r) { readCounts(r, 2); });
}

} // namespace waotp
