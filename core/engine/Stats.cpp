#include "engine/Stats.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSaveFile>

#include <array>

Q_LOGGING_CATEGORY(lcStats, "waotp.stats", QtInfoMsg)

namespace waotp {

namespace {

constexpr int FormatVersion = 1;
// Bounds the memory held for messages whose final report never comes.
constexpr qsizetype MaxPendingDeliveries = 1024;

struct Field
{
    StatsEvent event;
    quint64 StatsCounts::*member;
    QLatin1StringView key;
};

constexpr std::array<Field, 7> Fields {{
    {StatsEvent::Sent, &StatsCounts::sent, QLatin1StringView("sent")},
    {StatsEvent::Delivered, &StatsCounts::delivered, QLatin1StringView("delivered")},
    {StatsEvent::Verified, &StatsCounts::verified, QLatin1StringView("verified")},
    {StatsEvent::Failed, &StatsCounts::failed, QLatin1StringView("failed")},
    {StatsEvent::Expired, &StatsCounts::expired, QLatin1StringView("expired")},
    {StatsEvent::RateLimited, &StatsCounts::rateLimited, QLatin1StringView("rateLimited")},
    {StatsEvent::HeldBack, &StatsCounts::heldBack, QLatin1StringView("heldBack")},
}};

const Field &fieldOf(StatsEvent event)
{
    for (const Field &f : Fields) {
        if (f.event == event)
            return f;
    }
    Q_UNREACHABLE();
}

QString label(StatsEvent event)
{
    switch (event) {
    case StatsEvent::Sent:
        return QCoreApplication::translate("waotp::Stats", "codes sent");
    case StatsEvent::Delivered:
        return QCoreApplication::translate("waotp::Stats", "delivered");
    case StatsEvent::Verified:
        return QCoreApplication::translate("waotp::Stats", "verified");
    case StatsEvent::Failed:
        return QCoreApplication::translate("waotp::Stats", "failed");
    case StatsEvent::Expired:
        return QCoreApplication::translate("waotp::Stats", "expired");
    case StatsEvent::RateLimited:
        return QCoreApplication::translate("waotp::Stats", "rate-limited");
    case StatsEvent::HeldBack:
        return QCoreApplication::translate("waotp::Stats", "held back after wrong codes");
    }
    return {};
}

} // namespace

void StatsCounts::add(StatsEvent event, const QDateTime &now)
{
    ++(this->*fieldOf(event).member);
    if (!since.isValid())
        since = now.toUTC();
}

quint64 StatsCounts::count(StatsEvent event) const
{
    return this->*fieldOf(event).member;
}

StatsEvent statsEventFor(const CodeRequestResult &result)
{
    using S = CodeRequestResult::Status;
    switch (result.status) {
    case S::Sent:
        return StatsEvent::Sent;
    case S::CoolingDown:
    case S::HourlyLimit:
        return StatsEvent::RateLimited;
    case S::FailureBackoff:
        return StatsEvent::HeldBack;
    case S::SendFailed:
        return result.send.error == SendError::RateLimited ? StatsEvent::RateLimited
                                                           : StatsEvent::Failed;
    case S::Unavailable:
    case S::ChannelUnavailable:
        return StatsEvent::Failed;
    }
    return StatsEvent::Failed;
}

std::optional<StatsEvent> statsEventFor(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Delivered:
    case DeliveryStatus::Read:
        return StatsEvent::Delivered;
    case DeliveryStatus::Failed:
    case DeliveryStatus::Undelivered:
        return StatsEvent::Failed;
    case DeliveryStatus::Unknown:
    case DeliveryStatus::Queued:
    case DeliveryStatus::Sent:
        break;
    }
    return std::nullopt;
}

std::optional<StatsEvent> statsEventFor(const VerifyResult &result)
{
    switch (result.status) {
    case VerifyResult::Status::Verified:
        return StatsEvent::Verified;
    case VerifyResult::Status::Expired:
        return StatsEvent::Expired;
    case VerifyResult::Status::GuessLimit:
        return StatsEvent::HeldBack;
    default:
        return std::nullopt;
    }
}

QByteArray statsToJson(const StatsCounts &counts)
{
    QJsonObject o;
    o.insert(QLatin1StringView("format"), FormatVersion);
    if (counts.since.isValid())
        o.insert(QLatin1StringView("since"), counts.since.toString(Qt::ISODate));
    for (const Field &f : Fields)
        o.insert(f.key, qint64(counts.*f.member));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<StatsCounts> statsFromJson(const QByteArray &json, QString *error)
{
    auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return failed(parseError.error != QJsonParseError::NoError
                          ? parseError.errorString()
                          : QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1StringView("format")).toInt() != FormatVersion)
        return failed(QStringLiteral("unknown format %1")
                          .arg(o.value(QLatin1StringView("format")).toVariant().toString()));
    StatsCounts counts;
    for (const Field &f : Fields) {
        const QJsonValue v = o.value(f.key);
        if (v.isUndefined())
            continue;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d != double(qint64(d)))
            return failed(QStringLiteral("\"%1\" is not a count").arg(f.key));
        counts.*f.member = quint64(d);
    }
    const QJsonValue since = o.value(QLatin1StringView("since"));
    if (!since.isUndefined()) {
        counts.since = QDateTime::fromString(since.toString(), Qt::ISODate).toUTC();
        if (!counts.since.isValid())
            return failed(QStringLiteral("\"since\" is not a date"));
    }
    return counts;
}

QString formatStats(const StatsCounts &counts)
{
    QString out;
    if (counts.isEmpty())
        out += QCoreApplication::translate("waotp::Stats", "Nothing counted yet.") + u'\n';
    else
        out += QCoreApplication::translate("waotp::Stats", "Since %1")
                   .arg(counts.since.toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
            + u'\n';
    qsizetype width = 0;
    for (const Field &f : Fields)
        width = std::max(width, label(f.event).size());
    for (const Field &f : Fields)
        out +=
            QStringLiteral("  %1  %2\n").arg(label(f.event), -int(width)).arg(counts.*f.member, 8);
    return out;
}

StatsFile::StatsFile(QString path) : m_path(std::move(path)) { }

std::optional<StatsCounts> StatsFile::read(QString *error) const
{
    QFile f(m_path);
    if (!f.exists())
        return StatsCounts {};
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(m_path, f.errorString());
        return std::nullopt;
    }
    QString why;
    auto counts = statsFromJson(f.read(64 * 1024), &why);
    if (!counts && error)
        *error = QStringLiteral("%1 is damaged (%2); delete it to start counting again")
                     .arg(m_path, why);
    return counts;
}

bool StatsFile::add(StatsEvent event, const QDateTime &now, QString *error)
{
    QLockFile lock(m_path + u".lock");
    lock.setStaleLockTime(std::chrono::seconds(10));
    if (!lock.tryLock(std::chrono::seconds(2))) {
        if (error)
            *error = QStringLiteral("cannot lock %1").arg(m_path);
        return false;
    }
    auto counts = read(error);
    if (!counts)
        return false;
    counts->add(event, now);
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly) || out.write(statsToJson(*counts)) < 0 || !out.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(m_path, out.errorString());
        return false;
    }
    return true;
}

StatsRecorder::StatsRecorder(OtpEngine &engine, StatsFile file, QObject *parent,
                             WallClock wallClock)
    : QObject(parent), m_file(std::move(file)),
      m_wallClock(wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentDateTimeUtc))
{
    qRegisterMetaType<StatsEvent>();
    connect(&engine, &OtpEngine::codeRequested, this,
            [this](quint64, const PhoneNumber &number, const CodeRequestResult &result) {
                m_deliveredPending.remove(CodeHasher::toHex(m_hasher.subjectKey(number.e164())));
                count(statsEventFor(result));
            });
    connect(&engine, &OtpEngine::deliveryStatusChanged, this,
            [this](const PhoneNumber &number, DeliveryStatus status, int) {
                onDelivery(number, status);
            });
    connect(&engine, &OtpEngine::codeChecked, this,
            [this](quint64, const PhoneNumber &, const VerifyResult &result) {
                if (const auto event = statsEventFor(result))
                    count(*event);
            });
}

StatsRecorder::~StatsRecorder() = default;

void StatsRecorder::onDelivery(const PhoneNumber &number, DeliveryStatus status)
{
    const auto event = statsEventFor(status);
    if (!event)
        return;
    const QByteArray key = CodeHasher::toHex(m_hasher.subjectKey(number.e164()));
    if (status == DeliveryStatus::Delivered) {
        if (m_deliveredPending.size() >= MaxPendingDeliveries)
            m_deliveredPending.clear();
        m_deliveredPending.insert(key);
    } else if (m_deliveredPending.remove(key) && status == DeliveryStatus::Read) {
        return; // its delivery was counted already
    }
    count(*event);
}

void StatsRecorder::count(StatsEvent event)
{
    const QDateTime now = m_wallClock();
    m_session.add(event, now);
    QString error;
    if (!m_file.add(event, now, &error) && !m_warned) {
        m_warned = true;
        qCWarning(lcStats).noquote() << "statistics are not being saved:" << error;
    }
    Q_EMIT counted(event);
}

} // namespace waotp
