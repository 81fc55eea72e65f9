#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace waotp::server {

/// SQLite's WAL checkpoints for a database that one connection writes at a high rate, on a
/// thread and a connection of their own: the pages a commit appended to the WAL are copied into
/// the database file, and both files synced, here, while the writer goes on committing.
/// Left to the writer (SQLite's automatic checkpoint, every 1,000 pages), that copy and its two
/// syncs stop every commit queued behind the one that crossed the mark.
///
/// A checkpoint follows the first commit reported by written() within the gather time, and
/// takes every commit made until it starts; so with the writer's `synchronous=NORMAL` a commit
/// is on disk about that long after it was made. The checkpoints are PASSIVE: they never wait
/// for the writer nor stop it.
///
/// A WAL restarts from its start only when a write begins after a checkpoint that left nothing
/// to copy, which a writer that never pauses does not give this thread: its WAL would grow to
/// the writer's own automatic checkpoint (WriterCheckpointPages), whose copy and syncs of all
/// that the thread had not reached stop the writer for 10 ms and more. So when a checkpoint
/// here finds the WAL at CatchUpPages or more, the writer is asked (takeCatchUp(), after its
/// next commit) to checkpoint what was appended while this one ran: a few pages, synced at
/// once, after which its next write restarts the WAL. The pages this thread copied before are
/// synced here first, so that the writer's sync of the database file is of its few pages.
class WalCheckpointer
{
public:
    /// Opens a connection to the SQLite database @p file and starts the thread. nullptr and a
    /// sentence in @p error if the database cannot be opened.
    static std::unique_ptr<WalCheckpointer> start(const QString &file,
                                                  std::chrono::milliseconds gather, QString *error);
    /// A last checkpoint if a commit was reported since the last one; then the connection is
    /// closed and the thread joined.
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    /// From the writer, after a commit: a checkpoint follows within the gather time.
    void written();
    /// From the writer, after a commit: true (once) when it should checkpoint now, on its own
    /// connection, so that its WAL restarts (see above).
    bool takeCatchUp() { return m_catchUp.exchange(false, std::memory_order_relaxed); }
    /// Checkpoints run so far (tests).
    quint64 checkpoints() const { return m_checkpoints.load(std::memory_order_relaxed); }

    /// The writer's automatic checkpoint mark, in pages, while this runs.
    static constexpr int WriterCheckpointPages = 10000;
    /// The WAL's size, in pages, from which the writer is asked to catch up. Each catch-up
    /// costs the writer's thread three syncs (the WAL, the database file, and the WAL's header
    /// when it restarts). Under bench/server's sign-ins, a mark of 1,000 pages had the writer
    /// catch up after nearly every checkpoint: 24 syncs a second, 360 to 420 ms of every 15 s;
    /// at 4,000, 8 a second, 110 to 170 ms, and the WAL stays under about 5,800 pages.
    static constexpr int CatchUpPages = 4000;

private:
    WalCheckpointer(const QString &file, std::chrono::milliseconds gather);
    /// The thread: opens the connection (reporting to @p opened), checkpoints when asked.
    void run(std::promise<QString> *opened);

    const QString m_file;
    const QString m_connection; // the QtSql connection's name, unique
    const std::chrono::milliseconds m_gather;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_written = false; // a commit since the last checkpoint started
    bool m_stopping = false;
    std::atomic<quint64> m_checkpoints {0};
    std::atomic<bool> m_catchUp {false};
    std::thread m_thread;
};

} // namespace waotp::server
