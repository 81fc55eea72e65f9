#pragma once

// The files the app trusts: how a configuration file is opened, checked and read in one go, and
// how the files of the data directory are kept private. Every check is made with fstat() on the
// opened file, so what was checked is what is read (no check-then-open race).

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace waotp {

/// A file read with readOwnedFile().
struct OwnedFile
{
    enum class Status {
        Read, ///< content holds the file
        Missing, ///< there is no such file
        Refused, ///< error says why, and names the command that fixes it where there is one
    };
    Status status = Status::Refused;
    QByteArray content;
    QString error;
    /// Someone besides its owner, root and the user running the program may read it: the
    /// permission bits of group and others, and the named entries of a POSIX access ACL.
    bool othersCanRead = false;
    unsigned mode = 0; ///< the permission bits (07777)
    unsigned owner = 0; ///< the owner's user id
};

/// Opens @p path without following a symbolic link in its last component (O_NOFOLLOW) and
/// checks, on the opened file: a regular file, owned by the user running the program or by root,
/// and that no one else can change it (neither group nor others may write it, nor anyone a POSIX
/// ACL names). Then reads at most @p maxBytes from the same descriptor. @p what names the file
/// in errors ("The configuration file").
///
/// A file that systemd hands a service as a credential (LoadCredential=) passes: it is owned by
/// the service's user with mode 0400, or by root with mode 0440 where the group bits are the mask
/// of an ACL entry for the service's user only.
OwnedFile readOwnedFile(const QString &path, const QString &what, qint64 maxBytes);

/// The error for @p file (read from @p path) that holds the settings @p secretNames while others
/// can read it, with the command that makes it owner-only.
QString tooOpenForSecrets(const QString &path, const OwnedFile &file,
                          const QStringList &secretNames);

/// Makes sure the file @p path is private to the user (0600): creates it empty with mode 0600
/// (O_CREAT|O_EXCL) if it does not exist, and takes group and others' permissions away from an
/// existing one of the user's (with a warning). Meant for a SQLite database: SQLite gives its
/// -wal, -shm and -journal files the database's mode. Those that exist already are tightened too.
/// False with the system's reason in @p error if the file cannot be created.
bool ensurePrivateFile(const QString &path, QString *error);

/// The name of the user with id @p uid, or the number when it has none.
QString userName(unsigned uid);

/// A file or directory name quoted for a shell command in a message: 'name'.
QString shellQuoted(const QString &path);

} // namespace waotp
