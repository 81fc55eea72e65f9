#pragma once

#include "engine/CodeHasher.h"
#include "engine/OtpEngine.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace waotp {

/// What the statistics count. Counts only: no number, no code, no time of a single event.
enum class StatsEvent {
    Sent, ///< the provider accepted a code
    Delivered, ///< the provider reported it delivered (or read)
    Verified, ///< a code was verified
    Failed, ///< a send was refused or could not be made, or the message was not delivered
    Expired, ///< someone typed a code after it had expired
    RateLimited, ///< a send was refused by our own cooldown or hourly cap, or by Twilio's limit
    HeldBack, ///< a send or a check was held back by the number's recent wrong codes
};

/// The running totals kept in the data directory and shown by `waotp --stats`.
struct StatsCounts
{
    quint64 sent = 0;
    quint64 delivered = 0;
    quint64 verified = 0;
    quint64 failed = 0;
    quint64 expired = 0;
    quint64 rateLimited = 0;
    quint64 heldBack = 0;
    QDateTime since; ///< UTC, when the first event was counted; invalid while nothing was

    /// Adds one @p event that happened at @p now.
    void add(StatsEvent event, const QDateTime &now);
    quint64 count(StatsEvent event) const;
    bool isEmpty() const { return !since.isValid(); }
    friend bool operator==(const StatsCounts &, const StatsCounts &) = default;
};

/// The event a request answer counts as (every answer counts as exactly one).
StatsEvent statsEventFor(const CodeRequestResult &result);
/// The event a delivery report counts as, if any (Queued and Sent count as nothing).
std::optional<StatsEvent> statsEventFor(DeliveryStatus status);
/// The event a verification answer counts as, if any (a wrong code counts as nothing).
std::optional<StatsEvent> statsEventFor(const VerifyResult &result);

/// The counts as JSON (`{"format":1,"sent":3,...}`) and back; std::nullopt if @p json is not a
/// statistics document.
QByteArray statsToJson(const StatsCounts &counts);
std::optional<StatsCounts> statsFromJson(const QByteArray &json, QString *error = nullptr);
/// The summary `waotp --stats` prints, one count a line.
QString formatStats(const StatsCounts &counts);

/// The statistics file (JSON) in the data directory. Several processes may add to it at once:
/// each add() takes a lock file, reads, adds and replaces the file atomically.
class StatsFile
{
public:
    explicit StatsFile(QString path);

    QString path() const { return m_path; }
    /// The counts on disk. A missing file is all zeros; a damaged one is std::nullopt.
    std::optional<StatsCounts> read(QString *error = nullptr) const;
    /// Counts one @p event at @p now. False (with @p error) if the file cannot be updated; a
    /// damaged file is left as it is for someone to look at.
    bool add(StatsEvent event, const QDateTime &now, QString *error = nullptr);

private:
    QString m_path;
};

/// Counts what an engine does into a StatsFile. Failing to write statistics is logged once and
/// never gets in the way of a sign-in.
class StatsRecorder : public QObject
{
    Q_OBJECT
public:
    using WallClock = std::function<QDateTime()>;

    StatsRecorder(OtpEngine &engine, StatsFile file, QObject *parent = nullptr,
                  WallClock wallClock = {});
    ~StatsRecorder() override;

    /// What this process counted (the file holds the totals of every run).
    const StatsCounts &sessionCounts() const { return m_session; }

Q_SIGNALS:
    void counted(waotp::StatsEvent event);

private:
    void count(StatsEvent event);
    void onDelivery(const PhoneNumber &number, DeliveryStatus status);

    StatsFile m_file;
    WallClock m_wallClock;
    StatsCounts m_session;
    bool m_warned = false;
    // A report of "read" counts as a delivery unless "delivered" was counted for the same
    // message. The numbers are held as keyed hashes, only until their message is settled.
    CodeHasher m_hasher;
    QSet<QByteArray> m_deliveredPending;
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::StatsEvent)
