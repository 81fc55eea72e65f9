#include "server/token/SigningKeys.h"

#include "server/token/RandomId.h"

#include "engine/DataDirectory.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace waotp::server {

namespace {

struct BioDeleter
{
    void operator()(BIO *b) const { BIO_free(b); }
};
struct PkeyDeleter
{
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct BnDeleter
{
    void operator()(BIGNUM *b) const { BN_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Bignum = std::unique_ptr<BIGNUM, BnDeleter>;

constexpr int CoordinateBytes = 32; // P-256

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// The public coordinate @p name of @p key, 32 bytes big-endian.
QByteArray coordinate(EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        return {};
    Bignum bn(raw);
    QByteArray out(CoordinateBytes, '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char *>(out.data()), CoordinateBytes)
        != CoordinateBytes)
        return {};
    return out;
}

QString modeText(unsigned mode)
{
    return QStringLiteral("%1").arg(mode & 07777u, 4, 8, QLatin1Char('0'));
}

// Why the key directory @p dir, as stat() tells in @p st, cannot be used; or an empty string.
QString privateDirectoryProblem(const struct stat &st, const QString &dir)
{
    if (!S_ISDIR(st.st_mode))
        return QStringLiteral("the key directory %1 is not a directory").arg(dir);
    if ((st.st_mode & 077u) != 0)
        return QStringLiteral("permissions %1 for the key directory %2 are too open: it holds "
                              "private keys, so it must be private to its owner. Fix it with: "
                              "chmod 700 '%2'")
            .arg(modeText(st.st_mode), dir);
    return {};
}

// Creates @p dir private, or checks that it is.
bool ensurePrivateDirectory(const QString &dir, QString *error)
{
    const QByteArray path = QFile::encodeName(dir);
    struct stat st = {};
    if (::stat(path.constData(), &st) != 0) {
        if (errno != ENOENT || !QDir().mkpath(QFileInfo(dir).absolutePath())
            || (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST)) {
            *error =
                QStringLiteral("cannot create the key directory %1: %2").arg(dir, systemError());
            return false;
        }
        if (::stat(path.constData(), &st) != 0) {
            *error = QStringLiteral("cannot read the key directory %1: %2").arg(dir, systemError());
            return false;
        }
    }
    *error = privateDirectoryProblem(st, dir);
    return error->isEmpty();
}

enum class Written { Yes, NameTaken, Failed };

// Writes @p content to @p target atomically: a temporary file (0600), then a hard link to its
// final name, which fails if another process made one first (NameTaken).
Written writeKeyFile(const QString &dir, const QString &target, const QByteArray &content,
                     QString *error)
{
    QByteArray temp = QFile::encodeName(QDir(dir).filePath(QStringLiteral(".new-key-XXXXXX")));
    const int fd = ::mkstemp(temp.data()); // 0600
    if (fd < 0) {
        *error = QStringLiteral("cannot write a key in %1: %2").arg(dir, systemError());
        return Written::Failed;
    }
    bool ok = !content.isEmpty();
    for (qsizetype done = 0; ok && done < content.size();) {
        const ssize_t n =
            ::write(fd, content.constData() + done, std::size_t(content.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    bool taken = false;
    if (ok && ::link(temp.constData(), QFile::encodeName(target).constData()) != 0) {
        taken = errno == EEXIST;
        ok = taken;
    }
    const QString why = systemError();
    ::unlink(temp.constData());
    if (!ok) {
        *error = QStringLiteral("cannot write a key in %1: %2").arg(dir, why);
        return Written::Failed;
    }
    // The new name must survive a crash too.
    const int dirFd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return taken ? Written::NameTaken : Written::Yes;
}

QString keyFileName(int sequence)
{
    return QStringLiteral("%1.pem").arg(sequence, 4, 10, QLatin1Char('0'));
}

// The key files of @p dir, by sequence number.
QStringList keyFileNames(const QString &dir)
{
    static const QRegularExpression keyName(QStringLiteral("^[0-9]{4,9}\\.pem$"));
    QStringList names = QDir(dir).entryList({QStringLiteral("*.pem")}, QDir::Files, QDir::Name);
    names.removeIf([](const QString &n) { return !keyName.match(n).hasMatch(); });
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return names;
}

// "Signs-From: 1796000000" in the text before the PEM block; 0 without one.
std::optional<qint64> signsFromOf(const QByteArray &file)
{
    const qsizetype pem = file.indexOf("-----BEGIN");
    static const QRegularExpression line(QStringLiteral("^Signs-From: *([0-9]{1,12})\\b"),
                                         QRegularExpression::MultilineOption);
    const QString preamble = QString::fromLatin1(file.left(pem < 0 ? 0 : pem));
    if (!preamble.contains(u"Signs-From:"))
        return 0;
    const QRegularExpressionMatch m = line.match(preamble);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toLongLong();
}

// The file of a key that signs from @p signsFrom.
QByteArray rotatedKeyFile(qint64 signsFrom, const QByteArray &pem)
{
    return "waotp-server signing key: published at once, signs from the time below.\n"
           "Signs-From: "
        + QByteArray::number(signsFrom) + " ("
        + QDateTime::fromSecsSinceEpoch(signsFrom, Qt::UTC).toString(Qt::ISODate).toLatin1() + ")\n"
        + pem;
}

// Device, inode and modification time of @p path; empty if it cannot be read.
QByteArray fileIdentity(const struct stat &st)
{
    return QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino))
        + ':' + QByteArray::number(qint64(st.st_mtim.tv_sec)) + '.'
        + QByteArray::number(qint64(st.st_mtim.tv_nsec));
}

QByteArray fileIdentity(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return fileIdentity(st);
}

// @p gone, when given, says whether the file was not there (deleted since it was listed).
std::unique_ptr<SigningKey> readKeyFile(const QString &path, QString *error, bool *gone = nullptr)
{
    // Opened once and looked at through the descriptor: what is read is what was checked.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st = {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (gone)
            *gone = fd < 0 && errno == ENOENT;
        *error = QStringLiteral("cannot read the key %1: %2").arg(path, systemError());
        if (fd >= 0)
            ::close(fd);
        return nullptr;
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        *error = QStringLiteral("cannot read the key %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    if ((st.st_mode & 077u) != 0) {
        *error = QStringLiteral("permissions %1 for the key %2 are too open: a private key must "
                                "be readable by its owner only. Fix it with: chmod 600 '%2'")
                     .arg(modeText(st.st_mode), path);
        return nullptr;
    }
    const QByteArray content = file.readAll();
    QString why;
    auto key = readSigningKey(content, &why);
    const auto signsFrom = signsFromOf(content);
    if (key && !signsFrom)
        why = QStringLiteral("its Signs-From line is not a time in seconds since the epoch");
    if (!key || !signsFrom) {
        *error = QStringLiteral("the key %1 cannot be used: %2").arg(path, why);
        return nullptr;
    }
    key->path = path;
    key->fileIdentity = fileIdentity(st); // of the file read, not of what the name is now
    key->sequence = QFileInfo(path).completeBaseName().toInt();
    key->signsFrom = *signsFrom;
    return key;
}

} // namespace

QJsonObject SigningKey::publicJwk() const
{
    return {
        {QStringLiteral("kty"), QStringLiteral("EC")},
        {QStringLiteral("crv"), QStringLiteral("P-256")},
        {QStringLiteral("x"), QString::fromLatin1(x)},
        {QStringLiteral("y"), QString::fromLatin1(y)},
        {QStringLiteral("kid"), QString::fromLatin1(kid)},
        {QStringLiteral("alg"), QStringLiteral("ES256")},
        {QStringLiteral("use"), QStringLiteral("sig")},
    };
}

QByteArray generateSigningKeyPem()
{
    Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    Bio bio(BIO_new(BIO_s_mem()));
    if (!key || !bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

std::unique_ptr<SigningKey> readSigningKey(const QByteArray &pem, QString *error)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) {
        *error = QStringLiteral("not a PEM private key");
        return nullptr;
    }
    char group[64] = {};
    if (!EVP_PKEY_is_a(key.get(), "EC")
        || EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                          sizeof group, nullptr)
            != 1
        || std::strcmp(group, "prime256v1") != 0) {
        *error = QStringLiteral("not an ECDSA key on P-256 (ES256)");
        return nullptr;
    }
    const QByteArray x = coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_X);
    const QByteArray y = coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
    if (x.isEmpty() || y.isEmpty()) {
        *error = QStringLiteral("the public key cannot be read");
        return nullptr;
    }
    auto out = std::make_unique<SigningKey>();
    out->privatePem = pem;
    out->privateKey = std::shared_ptr<EVP_PKEY>(key.release(), PkeyDeleter());
    out->x = base64Url(x);
    out->y = base64Url(y);
    // RFC 7638: SHA-256 of the required members in lexicographic order, no white space.
    const QByteArray canonical =
        R"({"crv":"P-256","kty":"EC","x":")" + out->x + R"(","y":")" + out->y + R"("})";
    out->kid = base64Url(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256));
    return out;
}

QString SigningKeys::directoryProblem(const QString &dir)
{
    const QByteArray path = QFile::encodeName(dir);
    struct stat st = {};
    if (::stat(path.constData(), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR
            ? creationProblem(dir, u"key directory") // made at start, with the first key
            : QStringLiteral("cannot read the key directory %1: %2").arg(dir, systemError());
    if (QString problem = privateDirectoryProblem(st, dir); !problem.isEmpty())
        return problem;
    if (::faccessat(AT_FDCWD, path.constData(), R_OK | X_OK, AT_EACCESS) != 0)
        return QStringLiteral("cannot read the key directory %1: %2").arg(dir, systemError());
    const QStringList names = keyFileNames(dir);
    if (names.isEmpty() && ::faccessat(AT_FDCWD, path.constData(), W_OK, AT_EACCESS) != 0)
        return QStringLiteral("cannot write a key in %1: %2").arg(dir, systemError());
    QString error;
    for (const QString &name : names) {
        bool gone = false;
        if (!readKeyFile(QDir(dir).filePath(name), &error, &gone) && !gone)
            return error; // (one that is gone was retired by another instance's rotation)
    }
    return {};
}

std::unique_ptr<SigningKeys> SigningKeys::open(const QString &dir, QString *error,
                                               WallClock wallClock)
{
    if (!ensurePrivateDirectory(dir, error))
        return nullptr;
    if (keyFileNames(dir).isEmpty()) {
        const QString first = QDir(dir).filePath(keyFileName(1));
        if (writeKeyFile(dir, first, generateSigningKeyPem(), error) == Written::Failed)
            return nullptr;
    }
    std::unique_ptr<SigningKeys> keys(new SigningKeys);
    keys->m_dir = dir;
    keys->m_wallClock =
        wallClock ? std::move(wallClock) : WallClock(&QDateTime::currentSecsSinceEpoch);
    if (!keys->reload(error))
        return nullptr;
    return keys;
}

bool SigningKeys::reload(QString *error)
{
    const QStringList names = keyFileNames(m_dir);
    QList<SigningKey> keys;
    for (const QString &name : names) {
        const QString path = QDir(m_dir).filePath(name);
        const QByteArray identity = fileIdentity(path);
        const auto known = std::find_if(m_keys.cbegin(), m_keys.cend(), [&](const SigningKey &k) {
            return k.path == path && k.fileIdentity == identity;
        });
        if (known != m_keys.cend()) { // read already
            keys.append(*known);
            continue;
        }
        bool gone = false;
        auto key = readKeyFile(path, error, &gone);
        if (!key && gone)
            continue; // listed, then deleted: another instance's rotation retired it
        if (!key)
            return false;
        keys.append(std::move(*key));
    }
    if (keys.isEmpty()) {
        *error = QStringLiteral("no signing key in %1").arg(m_dir);
        return false;
    }
    std::stable_sort(keys.begin(), keys.end(), [](const SigningKey &a, const SigningKey &b) {
        return a.signsFrom != b.signsFrom ? a.signsFrom < b.signsFrom : a.sequence < b.sequence;
    });
    m_keys = std::move(keys);
    return true;
}

const SigningKey &SigningKeys::current() const
{
    const qint64 t = now();
    // The latest key whose time has come; if none has (keys removed by hand), the earliest.
    for (qsizetype i = m_keys.size() - 1; i > 0; --i) {
        if (m_keys.at(i).signsFrom <= t)
            return m_keys.at(i);
    }
    return m_keys.first();
}

std::optional<qint64> SigningKeys::retiresAt(const SigningKey &key) const
{
    for (qsizetype i = 0; i + 1 < m_keys.size(); ++i) {
        if (m_keys.at(i).path == key.path)
            return m_keys.at(i + 1).signsFrom + MaxTokenLifetime.count();
    }
    return std::nullopt;
}

QList<SigningKey> SigningKeys::published() const
{
    const qint64 t = now();
    QList<SigningKey> out;
    for (const SigningKey &k : m_keys) {
        const auto retires = retiresAt(k);
        if (!retires || t < *retires)
            out.append(k);
    }
    return out;
}

QJsonObject SigningKeys::jwks() const
{
    QJsonArray list;
    const QList<SigningKey> keys = published();
    for (const SigningKey &k : keys)
        list.append(k.publicJwk());
    return {{QStringLiteral("keys"), list}};
}

std::optional<SigningKeys::Rotation> SigningKeys::rotate(QString *error)
{
    if (!reload(error))
        return std::nullopt;
    Rotation rotation;
    const qint64 signsFrom = now() + ActivationDelay.count();
    const QByteArray content = rotatedKeyFile(signsFrom, generateSigningKeyPem());
    int sequence = 0;
    for (const SigningKey &k : std::as_const(m_keys))
        sequence = std::max(sequence, k.sequence);
    // Another rotation at the same moment may take the next number: then the one after it.
    for (int attempt = 0;; ++attempt) {
        ++sequence;
        const QString target = QDir(m_dir).filePath(keyFileName(sequence));
        const Written written = writeKeyFile(m_dir, target, content, error);
        if (written == Written::Failed)
            return std::nullopt;
        if (written == Written::Yes)
            break;
        if (attempt == 100) {
            *error = QStringLiteral("cannot find a free key number in %1").arg(m_dir);
            return std::nullopt;
        }
    }
    if (!reload(error))
        return std::nullopt;
    for (const SigningKey &k : std::as_const(m_keys)) {
        if (k.sequence == sequence)
            rotation.added = k;
    }
    // The keys whose every token has expired.
    const qint64 t = now();
    for (const SigningKey &k : std::as_const(m_keys)) {
        const auto retires = retiresAt(k);
        if (retires && t >= *retires && QFile::remove(k.path))
            rotation.removed.append(k.path);
    }
    if (!rotation.removed.isEmpty() && !reload(error))
        return std::nullopt;
    return rotation;
}

} // namespace waotp::server
