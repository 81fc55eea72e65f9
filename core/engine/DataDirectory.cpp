#include "engine/DataDirectory.h"

#include "engine/FileSafety.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcDataDirectory, "waotp.data", QtInfoMsg)

namespace waotp {

namespace {

int openDirectory(const QByteArray &name)
{
    return ::open(name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

/// Creates @p dir (0700) and its missing parents; an error sentence, or an empty one.
QString create(const QString &dir)
{
    const QString absolute = QDir(dir).absolutePath();
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath()))
        return QStringLiteral("cannot create the parent directories of the data directory %1")
            .arg(dir);
    if (::mkdir(QFile::encodeName(absolute).constData(), S_IRWXU) != 0 && errno != EEXIST)
        return QStringLiteral("cannot create the data directory %1 (%2)").arg(dir, systemError());
    return {};
}

/// Why a directory owned as @p st says cannot be the data directory @p dir; or an empty string.
QString ownerProblem(const struct stat &st, const QString &dir)
{
    const uid_t me = ::geteuid();
    if (st.st_uid == me)
        return {};
    return QStringLiteral("the data directory %1 belongs to %2, not to %3: whoever owns it "
                          "could read or change the accounts. Fix it with: %4 %5")
        .arg(dir, userName(st.st_uid), userName(me),
             me == 0 ? QStringLiteral("chown root")
                     : QStringLiteral("sudo chown %1").arg(userName(me)),
             shellQuoted(dir));
}

/// Why @p dir, which is not a directory as lstat() tells in @p st, cannot be the data directory.
QString notADirectory(const struct stat &st, const QString &dir)
{
    if (S_ISLNK(st.st_mode)) {
        const QString target = QFileInfo(dir).canonicalFilePath();
        return QStringLiteral("the data directory %1 is a symbolic link%2, which is not "
                              "followed: use the directory itself")
            .arg(dir, target.isEmpty() ? QString() : QStringLiteral(" to ") + target);
    }
    return QStringLiteral("the data directory %1 is a file").arg(dir);
}

/// Why the open directory @p fd cannot be the data directory, after making it private; or an
/// empty string.
QString check(int fd, const QString &dir)
{
    struct stat st = {};
    if (::fstat(fd, &st) != 0)
        return QStringLiteral("cannot examine the data directory %1 (%2)").arg(dir, systemError());
    if (QString owner = ownerProblem(st, dir); !owner.isEmpty())
        return owner;
    const unsigned mode = unsigned(st.st_mode) & 07777u;
    if ((mode & 077u) != 0) {
        if (::fchmod(fd, S_IRWXU) != 0)
            return QStringLiteral("the data directory %1 is open to others (%2) and cannot be "
                                  "made private (%3). Fix it with: chmod 700 %4")
                .arg(dir, QString::number(mode, 8), systemError(), shellQuoted(dir));
        qCWarning(lcDataDirectory).noquote()
            << QStringLiteral("The data directory %1 was open to others (%2); it is now 0700.")
                   .arg(dir, QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0')));
    }
    return {};
}

} // namespace

bool ensureDataDirectory(const QString &dir, QString *error)
{
    const QByteArray name = QFile::encodeName(dir);
    int fd = openDirectory(name);
    if (fd < 0 && errno == ENOENT) {
        *error = create(dir);
        if (!error->isEmpty())
            return false;
        fd = openDirectory(name);
    }
    if (fd < 0) {
        // With O_DIRECTORY, a symbolic link fails as ENOTDIR (or ELOOP): lstat() tells.
        struct stat st = {};
        if ((errno == ELOOP || errno == ENOTDIR) && ::lstat(name.constData(), &st) == 0) {
            *error = notADirectory(st, dir);
        } else {
            *error =
                QStringLiteral("cannot open the data directory %1 (%2)").arg(dir, systemError());
        }
        return false;
    }
    *error = check(fd, dir);
    ::close(fd);
    return error->isEmpty();
}

QString dataDirectoryProblem(const QString &dir)
{
    const QString absolute = QDir(dir).absolutePath();
    struct stat st = {};
    if (::lstat(QFile::encodeName(absolute).constData(), &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return notADirectory(st, dir);
        return ownerProblem(st, dir); // one open to others is made private at start
    }
    if (errno != ENOENT)
        return QStringLiteral("cannot open the data directory %1 (%2)").arg(dir, systemError());
    return creationProblem(dir, u"data directory");
}

QString creationProblem(const QString &dir, QStringView what)
{
    // Made in the nearest directory that exists, which must let us.
    QString existing = QFileInfo(QDir(dir).absolutePath()).absolutePath();
    struct stat st = {};
    int found = 0;
    while ((found = ::stat(QFile::encodeName(existing).constData(), &st)) != 0 && errno == ENOENT
           && existing != QFileInfo(existing).absolutePath())
        existing = QFileInfo(existing).absolutePath();
    if (found != 0)
        return QStringLiteral("cannot create the %1 %2 (%3: %4)")
            .arg(what, dir, existing, systemError());
    if (!S_ISDIR(st.st_mode))
        return QStringLiteral("cannot create the %1 %2: %3 is not a directory")
            .arg(what, dir, existing);
    if (::faccessat(AT_FDCWD, QFile::encodeName(existing).constData(), W_OK | X_OK, AT_EACCESS)
        != 0)
        return QStringLiteral("cannot create the %1 %2 (%3: %4)")
            .arg(what, dir, existing, systemError());
    return {};
}

} // namespace waotp
