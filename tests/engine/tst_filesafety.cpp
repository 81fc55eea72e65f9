// The files the app trusts: a file read through readOwnedFile() (a regular file of the user's or
// root's that no one else may change; who else may read it, ACLs included, as systemd's
// credentials make them), the data directory (created 0700, tightened, refused when it is
// someone else's or a link) and the private files of SQLite.
//
// Ownership by someone else can be set up only as root: those cases chown to nobody (65534) and
// are skipped otherwise. The CI runs as root.
#include "engine/DataDirectory.h"
#include "engine/FileSafety.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace waotp;

namespace {

constexpr uid_t Nobody = 65534;
const QString What = QStringLiteral("The file");

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0xffff;
    return unsigned(st.st_mode) & 07777u;
}

bool chmodPath(const QString &path, unsigned mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

bool chownPath(const QString &path, uid_t uid)
{
    return ::lchown(QFile::encodeName(path).constData(), uid, gid_t(-1)) == 0;
}

/// One entry of a POSIX ACL: tag, permissions, id (for named users and groups).
struct AclEntry
{
    quint16 tag;
    quint16 perm;
    quint32 id = quint32(-1);
};
enum : quint16 { UserObj = 1, User = 2, GroupObj = 4, Group = 8, Mask = 0x10, Other = 0x20 };
enum : quint16 { R = 4, W = 2 };

/// Sets the access ACL of @p path (as setfacl does: the kernel's xattr form). False if the file
/// system has no ACLs.
bool setAcl(const QString &path, const QList<AclEntry> &entries)
{
    QByteArray value;
    auto put16 = [&](quint16 v) { value.append(char(v & 0xff)).append(char(v >> 8)); };
    auto put32 = [&](quint32 v) {
        put16(quint16(v & 0xffff));
        put16(quint16(v >> 16));
    };
    put32(2);
    for (const AclEntry &e : entries) {
        put16(e.tag);
        put16(e.perm);
        put32(e.id);
    }
    return ::setxattr(QFile::encodeName(path).constData(), "system.posix_acl_access",
                      value.constData(), size_t(value.size()), 0)
        == 0;
}

/// Runs @p body with the effective user id @p uid (root only), then goes back to root.
template<class F> void asUser(uid_t uid, F body)
{
    QVERIFY(::seteuid(uid) == 0);
    // Back to root even when a check in the body fails and returns early.
    const auto restore = qScopeGuard([] { QVERIFY(::seteuid(0) == 0); });
    body();
}

} // namespace

class tst_FileSafety : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void readsAPrivateFile();
    void missingFile();
    void refusesASymbolicLink();
    void refusesWhatIsNotARegularFile();
    void refusesAFileOthersCanChange_data();
    void refusesAFileOthersCanChange();
    void refusesAFileOfSomeoneElse();
    void readableByOthers_data();
    void readableByOthers();
    void aclEntriesCount();
    void systemdCredentials();
    void tooOpenNamesTheCommand();

    void dataDirectoryIsCreatedPrivate();
    void widerDataDirectoryIsTightened();
    void dataDirectoryOfSomeoneElseIsRefused();
    void dataDirectoryThatIsALinkIsRefused();
    void dataDirectoryThatIsAFileIsRefused();

    void privateFileIsCreated0600();
    void privateFileOfAnEarlierVersionIsTightened();

private:
    QString write(const QString &name, const QByteArray &content, unsigned mode);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_FileSafety::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_FileSafety::write(const QString &name, const QByteArray &content, unsigned mode)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    if (!chmodPath(path, mode))
        qFatal("cannot chmod %s", qPrintable(path));
    return path;
}

void tst_FileSafety::readsAPrivateFile()
{
    const QString path = write(QStringLiteral("a.ini"), "secret=1\n", 0600);
    const OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Read);
    QCOMPARE(file.content, QByteArray("secret=1\n"));
    QVERIFY(!file.othersCanRead);
    QCOMPARE(file.mode, 0600u);
    QCOMPARE(file.owner, unsigned(::geteuid()));

    // Too large: refused rather than cut.
    const OwnedFile big = readOwnedFile(path, What, 4);
    QCOMPARE(big.status, OwnedFile::Status::Refused);
}

void tst_FileSafety::missingFile()
{
    const OwnedFile file = readOwnedFile(m_dir->filePath(QStringLiteral("none")), What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Missing);
}

void tst_FileSafety::refusesASymbolicLink()
{
    const QString target = write(QStringLiteral("real.ini"), "a=1\n", 0600);
    const QString link = m_dir->filePath(QStringLiteral("link.ini"));
    QVERIFY(QFile::link(target, link));
    const OwnedFile file = readOwnedFile(link, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QCOMPARE(file.error,
             QStringLiteral("The file '%1' is a symbolic link, which is not followed; it is "
                            "ignored. Fix it with: cp --remove-destination '%2' '%1'")
                 .arg(link, QFileInfo(target).canonicalFilePath()));
    QVERIFY(file.content.isEmpty());
}

void tst_FileSafety::refusesWhatIsNotARegularFile()
{
    const QString fifo = m_dir->filePath(QStringLiteral("fifo"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    // A FIFO without a writer would block an open for reading: refused at once instead.
    OwnedFile file = readOwnedFile(fifo, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QCOMPARE(file.error,
             QStringLiteral("The file '%1' is not a regular file; it is ignored.").arg(fifo));
    file = readOwnedFile(m_dir->path(), What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QVERIFY(file.error.contains(u"not a regular file"));
}

void tst_FileSafety::refusesAFileOthersCanChange_data()
{
    QTest::addColumn<unsigned>("mode");
    QTest::newRow("group-writable 0664") << 0664u;
    QTest::newRow("world-writable 0602") << 0602u;
    QTest::newRow("group-writable only 0620") << 0620u;
}

void tst_FileSafety::refusesAFileOthersCanChange()
{
    QFETCH(unsigned, mode);
    const QString path = write(QStringLiteral("w.ini"), "a=1\n", mode);
    const OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QCOMPARE(file.error,
             QStringLiteral("Permissions %1 for '%2' are too open: others could change the "
                            "settings; it is ignored. Fix it with: chmod go-w '%2'")
                 .arg(QStringLiteral("0%1").arg(mode, 3, 8), path));
    QVERIFY(file.content.isEmpty());
    // The command it names is the fix.
    QVERIFY(chmodPath(path, mode & ~0022u));
    QCOMPARE(readOwnedFile(path, What, 1024).status, OwnedFile::Status::Read);
}

void tst_FileSafety::refusesAFileOfSomeoneElse()
{
    if (::geteuid() != 0)
        QSKIP("only root can give a file to someone else");
    const QString path = write(QStringLiteral("nobody.ini"), "a=1\n", 0600);
    QVERIFY(chownPath(path, Nobody));
    const OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QCOMPARE(file.error,
             QStringLiteral("The file '%1' belongs to %2, not to root: its owner "
                            "could change the settings; it is ignored. Fix it with: "
                            "chown root '%1'")
                 .arg(path, userName(Nobody)));
    QVERIFY(chownPath(path, 0));
    QCOMPARE(readOwnedFile(path, What, 1024).status, OwnedFile::Status::Read);
}

void tst_FileSafety::readableByOthers_data()
{
    QTest::addColumn<unsigned>("mode");
    QTest::addColumn<bool>("others");
    QTest::newRow("0600") << 0600u << false;
    QTest::newRow("0400") << 0400u << false;
    QTest::newRow("0640") << 0640u << true;
    QTest::newRow("0604") << 0604u << true;
    QTest::newRow("0644") << 0644u << true;
}

void tst_FileSafety::readableByOthers()
{
    QFETCH(unsigned, mode);
    QFETCH(bool, others);
    const QString path = write(QStringLiteral("r.ini"), "a=1\n", mode);
    const OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Read);
    QCOMPARE(file.othersCanRead, others);
}

void tst_FileSafety::aclEntriesCount()
{
    // Mode 0640 on the outside, but the group bits are an ACL's mask.
    const QString path = write(QStringLiteral("acl.ini"), "a=1\n", 0600);
    const quint32 someoneElse = ::geteuid() == Nobody ? Nobody - 1 : Nobody;
    if (!setAcl(path,
                {{UserObj, R | W}, {User, R, someoneElse}, {GroupObj, 0}, {Mask, R}, {Other, 0}}))
        QSKIP("no POSIX ACLs on this file system");
    QCOMPARE(modeOf(path), 0640u);
    OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Read);
    QVERIFY(file.othersCanRead); // a named user other than this one

    // The mask bounds the named entries: a mask of --- leaves the named user nothing.
    QVERIFY(setAcl(
        path,
        {{UserObj, R | W}, {User, R | W, someoneElse}, {GroupObj, 0}, {Mask, 0}, {Other, 0}}));
    file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Read);
    QVERIFY(!file.othersCanRead);

    // A named user who may write: refused like a group-writable file.
    QVERIFY(setAcl(
        path,
        {{UserObj, R | W}, {User, R | W, someoneElse}, {GroupObj, 0}, {Mask, R | W}, {Other, 0}}));
    file = readOwnedFile(path, What, 1024);
    QCOMPARE(file.status, OwnedFile::Status::Refused);
    QVERIFY2(file.error.contains(u"others could change the settings"), qPrintable(file.error));
}

void tst_FileSafety::systemdCredentials()
{
    // systemd hands a service its credentials in a directory of its own: on ramfs, the file is
    // chown'ed to the service's user with mode 0400; where ACLs work, it stays root's with an
    // ACL entry for that user (ls shows -r--r-----+). Both are readable by the service's user
    // only, and are accepted when the program runs as that user.
    if (::geteuid() != 0)
        QSKIP("only root can make a file of root's for another user");
    QVERIFY(chmodPath(m_dir->path(), 0711)); // the service's user walks into it
    asUser(Nobody, [&] {
        QVERIFY2(
            ::faccessat(AT_FDCWD, QFile::encodeName(m_dir->path()).constData(), X_OK, AT_EACCESS)
                == 0,
            "the service's user cannot reach the temporary directory: a directory above "
            "it does not let others through (chmod o+x)");
    });
    const QString ramfs = write(QStringLiteral("ramfs.ini"), "a=1\n", 0400);
    QVERIFY(chownPath(ramfs, Nobody));
    const QString tmpfs = write(QStringLiteral("tmpfs.ini"), "a=1\n", 0400);
    if (!setAcl(tmpfs, {{UserObj, R}, {User, R, Nobody}, {GroupObj, 0}, {Mask, R}, {Other, 0}}))
        QSKIP("no POSIX ACLs on this file system");
    QCOMPARE(modeOf(tmpfs), 0440u);

    asUser(Nobody, [&] {
        for (const QString &path : {ramfs, tmpfs}) {
            const OwnedFile file = readOwnedFile(path, What, 1024);
            QCOMPARE(file.status, OwnedFile::Status::Read);
            QCOMPARE(file.content, QByteArray("a=1\n"));
            QVERIFY2(!file.othersCanRead, qPrintable(path));
        }
    });
    // Anyone else (here root) sees a file another user may read.
    QVERIFY(readOwnedFile(tmpfs, What, 1024).othersCanRead);

    // The configuration an earlier kiosk set-up let the service's user read through its group,
    // made root's alone by the package: the message says where it goes now.
    const QString rootOnly = write(QStringLiteral("kiosk.conf"), "a=1\n", 0600);
    asUser(Nobody, [&] {
        const OwnedFile file = readOwnedFile(rootOnly, What, 1024);
        QCOMPARE(file.status, OwnedFile::Status::Refused);
        QCOMPARE(file.error,
                 QStringLiteral("The file '%1' cannot be read (Permission denied). It "
                                "is root's: let systemd hand it to the service "
                                "(LoadCredential=, see the README).")
                     .arg(rootOnly));
    });
}

void tst_FileSafety::tooOpenNamesTheCommand()
{
    const QString path = write(QStringLiteral("it's.ini"), "a=1\n", 0640);
    const OwnedFile file = readOwnedFile(path, What, 1024);
    QCOMPARE(tooOpenForSecrets(path, file, {QStringLiteral("A"), QStringLiteral("B")}),
             QStringLiteral("Permissions 0640 for '%1' are too open. The file holds A, B, so it "
                            "must be readable by its owner only; it is ignored. Fix it with: "
                            "chmod 600 %2")
                 .arg(path, shellQuoted(path)));
    QVERIFY(shellQuoted(path).endsWith(u"it'\\''s.ini'"));

    if (::geteuid() != 0)
        return;
    // A file of root's that the user reads through its group: chmod 600 would make it root's
    // alone, so the message says how a service gets it.
    asUser(Nobody, [&] {
        OwnedFile rootsFile = file;
        rootsFile.owner = 0;
        QVERIFY(tooOpenForSecrets(path, rootsFile, {QStringLiteral("A")})
                    .endsWith(QStringLiteral("Fix it with: sudo chmod 600 %1, and let systemd "
                                             "hand it to the service (LoadCredential=, see the "
                                             "README)")
                                  .arg(shellQuoted(path))));
    });
}

void tst_FileSafety::dataDirectoryIsCreatedPrivate()
{
    ::umask(022);
    const QString dir = m_dir->filePath(QStringLiteral("a/b/data"));
    QString error;
    QVERIFY2(ensureDataDirectory(dir, &error), qPrintable(error));
    QCOMPARE(modeOf(dir), 0700u);
    // Again: nothing to do, nothing said.
    QVERIFY2(ensureDataDirectory(dir, &error), qPrintable(error));
    QCOMPARE(modeOf(dir), 0700u);
}

void tst_FileSafety::widerDataDirectoryIsTightened()
{
    const QString dir = m_dir->filePath(QStringLiteral("data"));
    QVERIFY(QDir().mkdir(dir));
    QVERIFY(chmodPath(dir, 0755));
    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(QStringLiteral("The data directory %1 was open to others "
                                                   "(0755); it is now 0700.")
                                        .arg(dir)));
    QString error;
    QVERIFY2(ensureDataDirectory(dir, &error), qPrintable(error));
    QCOMPARE(modeOf(dir), 0700u);
}

void tst_FileSafety::dataDirectoryOfSomeoneElseIsRefused()
{
    if (::geteuid() != 0)
        QSKIP("only root can give a directory to someone else");
    const QString dir = m_dir->filePath(QStringLiteral("data"));
    QVERIFY(QDir().mkdir(dir));
    QVERIFY(chmodPath(dir, 0755));
    QVERIFY(chownPath(dir, Nobody));
    QString error;
    QVERIFY(!ensureDataDirectory(dir, &error));
    QCOMPARE(error,
             QStringLiteral("the data directory %1 belongs to %2, not to root: whoever "
                            "owns it could read or change the accounts. Fix it with: "
                            "chown root '%1'")
                 .arg(dir, userName(Nobody)));
    QCOMPARE(modeOf(dir), 0755u); // left alone
}

void tst_FileSafety::dataDirectoryThatIsALinkIsRefused()
{
    const QString real = m_dir->filePath(QStringLiteral("real"));
    QVERIFY(QDir().mkdir(real));
    const QString link = m_dir->filePath(QStringLiteral("data"));
    QVERIFY(QFile::link(real, link));
    QString error;
    QVERIFY(!ensureDataDirectory(link, &error));
    QCOMPARE(error,
             QStringLiteral("the data directory %1 is a symbolic link to %2, which is not "
                            "followed: use the directory itself")
                 .arg(link, QFileInfo(real).canonicalFilePath()));
}

void tst_FileSafety::dataDirectoryThatIsAFileIsRefused()
{
    const QString path = write(QStringLiteral("data"), "x", 0600);
    QString error;
    QVERIFY(!ensureDataDirectory(path, &error));
    QCOMPARE(error, QStringLiteral("the data directory %1 is a file").arg(path));
}

void tst_FileSafety::privateFileIsCreated0600()
{
    ::umask(022);
    const QString path = m_dir->filePath(QStringLiteral("accounts.sqlite"));
    QString error;
    QVERIFY2(ensurePrivateFile(path, &error), qPrintable(error));
    QCOMPARE(modeOf(path), 0600u);
    QCOMPARE(QFileInfo(path).size(), 0);
    // A link is not followed to create a file elsewhere.
    const QString link = m_dir->filePath(QStringLiteral("link.sqlite"));
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("elsewhere")), link));
    QVERIFY2(ensurePrivateFile(link, &error), qPrintable(error)); // exists (as a link)
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("elsewhere"))));
    QVERIFY(!ensurePrivateFile(m_dir->filePath(QStringLiteral("no/dir/a.sqlite")), &error));
    QCOMPARE(error, QStringLiteral("No such file or directory"));
}

void tst_FileSafety::privateFileOfAnEarlierVersionIsTightened()
{
    const QString path = write(QStringLiteral("accounts.sqlite"), "", 0644);
    const QString wal = write(QStringLiteral("accounts.sqlite-wal"), "", 0664);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("accounts.sqlite was "
                                                           "readable by others "
                                                           "\\(0644\\); it is now "
                                                           "0600")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("-wal was readable")));
    QString error;
    QVERIFY2(ensurePrivateFile(path, &error), qPrintable(error));
    QCOMPARE(modeOf(path), 0600u);
    QCOMPARE(modeOf(wal), 0600u);
}

QTEST_GUILESS_MAIN(tst_FileSafety)
#include "tst_filesafety.moc"
