#include "server/token/WalCheckpointer.h"

#include "server/JobThread.h"
#include "server/token/RandomId.h"

#include "engine/SqlAccountStore.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcCheckpoints, "waotp.server.checkpoints", QtInfoMsg)

namespace waotp::server {

std::unique_ptr<WalCheckpointer>
WalCheckpointer::start(const QString &file, std::chrono::milliseconds gather, QString *error)
{
    std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(file, gather));
    std::promise<QString> opened;
    std::future<QString> why = opened.get_future();
    checkpointer->m_thread =
        std::thread([self = checkpointer.get(), &opened] { self->run(&opened); });
    const QString failure = why.get();
    if (failure.isEmpty())
        return checkpointer;
    checkpointer->m_thread.join(); // the thread ends after a failed open
    if (error)
        *error = failure;
    return nullptr;
}

WalCheckpointer::WalCheckpointer(const QString &file, std::chrono::milliseconds gather)
    : m_file(file),
      m_connection(QStringLiteral("waotp-checkpoints-") + QString::fromLatin1(randomId())),
      m_gather(gather)
{ }

WalCheckpointer::~WalCheckpointer()
{
    if (!m_thread.joinable())
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void WalCheckpointer::written()
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_written)
            return; // a checkpoint is coming already
        m_written = true;
    }
    m_wake.notify_one();
}

void WalCheckpointer::run(std::promise<QString> *opened)
{
    becomeWorkerThread("waotp-checkpts");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(m_file);
        // A checkpoint waits for the writer only to start (PASSIVE copies what it can).
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        QSqlQuery q(db);
        // SQLite opens what it can read (a directory too) and fails at the first statement.
        QString failure;
        if (!db.open())
            failure = databaseErrorText(db.lastError());
        else if (!q.exec(QStringLiteral("PRAGMA journal_mode")) || !q.next())
            failure = databaseErrorText(q.lastError());
        else if (q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
            failure = QStringLiteral("journal mode is %1, not WAL").arg(q.value(0).toString());
        q.finish();
        if (!failure.isEmpty()) {
            opened->set_value(
                QStringLiteral("cannot open %1 for its checkpoints: %2").arg(m_file, failure));
            q = QSqlQuery();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connection);
            return;
        }
        opened->set_value(QString());
        // The database file, to sync what the checkpoints copied into it before the writer's
        // catch-up (below); -1 if it cannot be opened (the writer's sync then does it).
        const int dbFile = ::open(QFile::encodeName(m_file).constData(), O_RDONLY | O_CLOEXEC);
        QString lastFailure; // said once until it changes
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_written || m_stopping; });
            // The commits of the gather time go in this checkpoint; when stopping, at once.
            m_wake.wait_for(lock, m_gather, [this] { return m_stopping; });
            const bool last = m_stopping;
            if (!m_written) // stopping with nothing written since the last checkpoint
                break;
            m_written = false;
            bool owed = false;
            lock.unlock();
            if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"))) {
                const QString why = databaseErrorText(q.lastError());
                if (why != lastFailure)
                    qCWarning(lcCheckpoints).noquote()
                        << QStringLiteral("checkpoint of %1 failed: %2").arg(m_file, why);
                lastFailure = why;
            } else {
                lastFailure.clear();
                // 1: another connection's checkpoint was running (a second server on the same
                // file); this one is owed, after another gather time.
                // The row: busy, the WAL's pages, the pages copied.
                const bool answered = q.next();
                owed = answered && q.value(0).toInt() == 1;
                if (answered && q.value(1).toInt() >= CatchUpPages) {
                    // A PASSIVE checkpoint that leaves pages to copy does not sync the database
                    // file: the writer's catch-up, which leaves none, would sync every page
                    // these checkpoints copied since the last sync (18 ms and more, stopping
                    // every commit behind it). Synced here, its sync is of its own few pages.
                    if (dbFile >= 0 && ::fdatasync(dbFile) != 0)
                        qCWarning(lcCheckpoints).noquote()
                            << QStringLiteral("sync of %1 failed: %2")
                                   .arg(m_file, QString::fromLocal8Bit(strerror(errno)));
                    m_catchUp.store(true, std::memory_order_relaxed);
                }
            }
            q.finish();
            m_checkpoints.fetch_add(1, std::memory_order_relaxed);
            lock.lock();
            if (last)
                break;
            m_written = m_written || owed;
        }
        if (dbFile >= 0)
            ::close(dbFile);
    }
    QSqlDatabase::removeDatabase(m_connection);
}

} // namespace waotp::server
