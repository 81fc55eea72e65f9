#pragma once

// Whether a running child process could leave a core dump, read from outside through /proc:
// the limits it runs with, and whether it is dumpable. A process that is not dumpable
// (PR_SET_DUMPABLE 0) has its /proc/PID files owned by root instead of by its user; that tells
// only for a child that does not run as root, so a test running as root starts its children as
// nobody (asNobodyIfRoot()).

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <grp.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace waotp::test {

/// The user the children of a test run as: nobody when the test runs as root, else the test's.
inline uid_t childUid()
{
    return ::geteuid() == 0 ? uid_t(65534) : ::geteuid();
}

/// Makes @p process start as nobody when the test runs as root (see childUid()); the files it
/// needs must be nobody's or readable by all.
inline void asNobodyIfRoot(QProcess &process)
{
    if (::geteuid() != 0)
        return;
    process.setChildProcessModifier([] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(127);
    });
}

/// What /proc says about the core dumps of process @p pid.
struct Dumpability
{
    bool dumpable = true; ///< its /proc files belong to its user, not to root
    QByteArray coreSoft; ///< "Max core file size" of /proc/PID/limits: "0", "unlimited", ...
    QByteArray coreHard;
};

/// Reads the dumpability of the running process @p pid, a child started as childUid().
inline std::optional<Dumpability> dumpabilityOf(qint64 pid)
{
    const QByteArray dir = "/proc/" + QByteArray::number(pid);
    struct stat st = {};
    if (::stat(QByteArray(dir + "/status").constData(), &st) != 0)
        return std::nullopt;
    QFile limits(QString::fromLatin1(QByteArray(dir + "/limits")));
    if (!limits.open(QIODevice::ReadOnly))
        return std::nullopt;
    Dumpability d;
    d.dumpable = st.st_uid == childUid();
    const QByteArray text = limits.readAll();
    static const QRegularExpression core(QStringLiteral("Max core file size\\s+(\\S+)\\s+(\\S+)"));
    const QRegularExpressionMatch m = core.match(QString::fromLatin1(text));
    if (!m.hasMatch())
        return std::nullopt;
    d.coreSoft = m.captured(1).toLatin1();
    d.coreHard = m.captured(2).toLatin1();
    return d;
}

} // namespace waotp::test
