#include "engine/FileSafety.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/xattr.h>
#endif

Q_LOGGING_CATEGORY(lcFiles, "waotp.files", QtInfoMsg)

namespace waotp {

namespace {

/// Closes a descriptor when it goes out of scope.
class Fd
{
public:
    explicit Fd(int fd) : m_fd(fd) { }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

QString octal(unsigned mode)
{
    return QStringLiteral("%1").arg(mode & 07777u, 4, 8, QLatin1Char('0'));
}

/// Who besides the owner, root and the user running the program may read or write an open file.
struct OthersAccess
{
    bool read = false;
    bool write = false;
};

#ifdef Q_OS_LINUX
// The kernel's representation of a POSIX ACL in the system.posix_acl_access attribute
// (linux/posix_acl_xattr.h): a version, then (tag, permissions, id) entries, little-endian.
constexpr quint32 AclVersion = 2;
enum AclTag : quint16 {
    AclUserObj = 0x01,
    AclUser = 0x02,
    AclGroupObj = 0x04,
    AclGroup = 0x08,
    AclMask = 0x10,
    AclOther = 0x20,
};
constexpr quint16 AclRead = 4;
constexpr quint16 AclWrite = 2;

/// The access the access ACL of @p fd grants to anyone but its owner, root and this user; false
/// if the file has no ACL beyond its mode (or the file system has none).
bool aclAccess(int fd, OthersAccess *out)
{
    std::array<unsigned char, 4096> buffer {};
    const ssize_t size = ::fgetxattr(fd, "system.posix_acl_access", buffer.data(), buffer.size());
    if (size < 4)
        return false;
    auto u16 = [&](qsizetype at) { return quint16(buffer[at] | buffer[at + 1] << 8); };
    auto u32 = [&](qsizetype at) { return quint32(u16(at) | quint32(u16(at + 2)) << 16); };
    if (u32(0) != AclVersion || (size - 4) % 8 != 0)
        return false;
    quint16 mask = AclRead | AclWrite | 1;
    for (qsizetype at = 4; at < size; at += 8) {
        if (u16(at) == AclMask)
            mask = u16(at + 2);
    }
    const uid_t me = ::geteuid();
    OthersAccess access;
    for (qsizetype at = 4; at < size; at += 8) {
        const quint16 tag = u16(at);
        quint16 perm = u16(at + 2);
        if (tag == AclUserObj || tag == AclMask)
            continue;
        if (tag == AclUser && (u32(at + 4) == me || u32(at + 4) == 0))
            continue;
        if (tag == AclUser || tag == AclGroupObj || tag == AclGroup)
            perm &= mask; // the mask bounds every entry but the owner's and other's
        access.read |= (perm & AclRead) != 0;
        access.write |= (perm & AclWrite) != 0;
    }
    *out = access;
    return true;
}
#endif

OthersAccess othersAccess(int fd, const struct stat &st)
{
    OthersAccess access;
#ifdef Q_OS_LINUX
    if (aclAccess(fd, &access))
        return access;
#else
    Q_UNUSED(fd);
#endif
    access.read = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
    access.write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    return access;
}

/// The command that gives a file to the user running the program.
QString chownCommand(const QString &path)
{
    const uid_t me = ::geteuid();
    return (me == 0 ? QStringLiteral("chown root ")
                    : QStringLiteral("sudo chown %1 ").arg(userName(me)))
        + shellQuoted(path);
}

QString symlinkError(const QString &path, const QString &what)
{
    const QString target = QFileInfo(path).canonicalFilePath();
    return QStringLiteral(
               "%1 '%2' is a symbolic link, which is not followed; it is ignored. Fix it "
               "with: cp --remove-destination %3 %4")
        .arg(what, path, shellQuoted(target.isEmpty() ? QStringLiteral("TARGET") : target),
             shellQuoted(path));
}

/// Why @p st (of the open file @p path) cannot be trusted, or an empty string.
QString ownershipProblem(const QString &path, const QString &what, int fd, const struct stat &st)
{
    if (!S_ISREG(st.st_mode))
        return QStringLiteral("%1 '%2' is not a regular file; it is ignored.").arg(what, path);
    const uid_t me = ::geteuid();
    if (st.st_uid != me && st.st_uid != 0)
        return QStringLiteral("%1 '%2' belongs to %3, not to %4: its owner could change the "
                              "settings; it is ignored. Fix it with: %5")
            .arg(what, path, userName(st.st_uid),
                 me == 0 ? QStringLiteral("root") : userName(me) + QStringLiteral(" or root"),
                 chownCommand(path));
    if (othersAccess(fd, st).write)
        return QStringLiteral("Permissions %1 for '%2' are too open: others could change the "
                              "settings; it is ignored. Fix it with: chmod go-w %3")
            .arg(octal(st.st_mode), path, shellQuoted(path));
    return {};
}

bool readAll(int fd, qint64 sizeHint, qint64 maxBytes, QByteArray *out)
{
    // Room for the whole file at once: no smaller copy of a secret is left behind by a growing
    // buffer.
    QByteArray data;
    data.reserve(qsizetype(std::clamp<qint64>(sizeHint + 1, 1, maxBytes + 1)));
    char chunk[4096];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        if (data.size() + n > maxBytes)
            return false;
        data.append(chunk, n);
    }
    std::memset(chunk, 0, sizeof chunk);
    *out = data;
    return true;
}

} // namespace

OwnedFile readOwnedFile(const QString &path, const QString &what, qint64 maxBytes)
{
    OwnedFile file;
    // O_NONBLOCK: a FIFO does not hang the open; it is refused below as no regular file.
    const Fd fd(::open(QFile::encodeName(path).constData(),
                       O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            file.status = OwnedFile::Status::Missing;
        } else if (errno == ELOOP) {
            file.error = symlinkError(path, what);
        } else {
            const int why = errno;
            file.error = QStringLiteral("%1 '%2' cannot be read (%3).")
                             .arg(what, path, QString::fromLocal8Bit(std::strerror(why)));
            // A file of root's that an earlier set-up let a service's user read: now systemd
            // reads it and hands it over.
            struct stat st = {};
            if (why == EACCES && ::geteuid() != 0
                && ::stat(QFile::encodeName(path).constData(), &st) == 0 && st.st_uid == 0)
                file.error += QStringLiteral(" It is root's: let systemd hand it to the service "
                                             "(LoadCredential=, see the README).");
        }
        return file;
    }
    struct stat st = {};
    if (::fstat(fd.get(), &st) != 0) {
        file.error = QStringLiteral("%1 '%2' cannot be read.").arg(what, path);
        return file;
    }
    file.mode = unsigned(st.st_mode) & 07777u;
    file.owner = unsigned(st.st_uid);
    file.error = ownershipProblem(path, what, fd.get(), st);
    if (!file.error.isEmpty())
        return file;
    file.othersCanRead = othersAccess(fd.get(), st).read;
    if (!readAll(fd.get(), qint64(st.st_size), maxBytes, &file.content)) {
        file.error = QStringLiteral("%1 '%2' cannot be read (larger than %3 bytes?).")
                         .arg(what, path)
                         .arg(maxBytes);
        return file;
    }
    file.status = OwnedFile::Status::Read;
    return file;
}

QString tooOpenForSecrets(const QString &path, const OwnedFile &file,
                          const QStringList &secretNames)
{
    const uid_t me = ::geteuid();
    // A file of root's that this user may read through its group or an ACL: made owner-only, it
    // would be root's alone. A service gets such a file from systemd instead (LoadCredential=).
    const QString fix = file.owner == me
        ? QStringLiteral("chmod 600 %1").arg(shellQuoted(path))
        : QStringLiteral("sudo chmod 600 %1, and let systemd hand it to the service "
                         "(LoadCredential=, see the README)")
              .arg(shellQuoted(path));
    return QStringLiteral("Permissions %1 for '%2' are too open. The file holds %3, so it must "
                          "be readable by its owner only; it is ignored. Fix it with: %4")
        .arg(octal(file.mode), path, secretNames.join(QStringLiteral(", ")), fix);
}

bool ensurePrivateFile(const QString &path, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    const int created =
        ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
               S_IRUSR | S_IWUSR);
    if (created >= 0) {
        ::close(created);
        return true;
    }
    if (errno != EEXIST) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    // An earlier version made its files with the umask's mode (0644): take group and others'
    // permissions away from the user's own files. A file of someone else's is SQLite's to refuse.
    for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
        const QByteArray file = name + suffix;
        const Fd fd(::open(file.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
        struct stat st = {};
        if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)
            || st.st_uid != ::geteuid() || (st.st_mode & 077) == 0)
            continue;
        if (::fchmod(fd.get(), st.st_mode & 0700) == 0)
            qCWarning(lcFiles).noquote()
                << QStringLiteral("%1 was readable by others (%2); it is now %3.")
                       .arg(QFile::decodeName(file), octal(st.st_mode), octal(st.st_mode & 0700));
    }
    return true;
}

QString userName(unsigned uid)
{
    struct passwd pw = {};
    struct passwd *found = nullptr;
    std::array<char, 1024> buffer {};
    if (::getpwuid_r(uid_t(uid), &pw, buffer.data(), buffer.size(), &found) == 0 && found)
        return QString::fromLocal8Bit(found->pw_name);
    return QStringLiteral("uid %1").arg(uid);
}

QString shellQuoted(const QString &path)
{
    QString quoted = path;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

} // namespace waotp
