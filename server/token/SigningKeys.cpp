#include "server/token/SigningKeys.h"

#include "server/token/RandomId.h"

#include <QCryptographicHash>
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
    if (!S_ISDIR(st.st_mode)) {
        *error = QStringLiteral("the key directory %1 is not a directory").arg(dir);
        return false;
    }
    if ((st.st_mode & 077u) != 0) {
        *error = QStringLiteral("permissions %1 for the key directory %2 are too open: it holds "
                                "private keys, so it must be private to its owner. Fix it with: "
                                "chmod 700 '%2'")
                     .arg(modeText(st.st_mode), dir);
        return false;
    }
    return true;
}

// Writes the first key: a temporary file, then a hard link to its final name, which fails if
// another process made one first. True if a key is at @p target afterwards (ours or theirs).
bool createFirstKey(const QString &dir, const QString &target, QString *error)
{
    QByteArray temp = QFile::encodeName(QDir(dir).filePath(QStringLiteral(".new-key-XXXXXX")));
    const int fd = ::mkstemp(temp.data()); // 0600
    if (fd < 0) {
        *error = QStringLiteral("cannot write a key in %1: %2").arg(dir, systemError());
        return false;
    }
    const QByteArray pem = generateSigningKeyPem();
    bool ok = !pem.isEmpty();
    for (qsizetype done = 0; ok && done < pem.size();) {
        const ssize_t n = ::write(fd, pem.constData() + done, std::size_t(pem.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (ok && ::link(temp.constData(), QFile::encodeName(target).constData()) != 0
        && errno != EEXIST)
        ok = false;
    const QString why = systemError();
    ::unlink(temp.constData());
    if (!ok) {
        *error = QStringLiteral("cannot write a key in %1: %2").arg(dir, why);
        return false;
    }
    // The new name must survive a crash too.
    const int dirFd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return true;
}

std::unique_ptr<SigningKey> readKeyFile(const QString &path, QString *error)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        *error = QStringLiteral("cannot read the key %1: %2").arg(path, systemError());
        return nullptr;
    }
    if ((st.st_mode & 077u) != 0) {
        *error = QStringLiteral("permissions %1 for the key %2 are too open: a private key must "
                                "be readable by its owner only. Fix it with: chmod 600 '%2'")
                     .arg(modeText(st.st_mode), path);
        return nullptr;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the key %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    QString why;
    auto key = readSigningKey(file.readAll(), &why);
    if (!key) {
        *error = QStringLiteral("the key %1 cannot be used: %2").arg(path, why);
        return nullptr;
    }
    key->path = path;
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
    out->x = base64Url(x);
    out->y = base64Url(y);
    // RFC 7638: SHA-256 of the required members in lexicographic order, no white space.
    const QByteArray canonical =
        R"({"crv":"P-256","kty":"EC","x":")" + out->x + R"(","y":")" + out->y + R"("})";
    out->kid = base64Url(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256));
    return out;
}

std::unique_ptr<SigningKeys> SigningKeys::open(const QString &dir, QString *error)
{
    if (!ensurePrivateDirectory(dir, error))
        return nullptr;
    static const QRegularExpression keyName(QStringLiteral("^[0-9]{4,}\\.pem$"));
    const auto list = [&] {
        QStringList names = QDir(dir).entryList({QStringLiteral("*.pem")}, QDir::Files, QDir::Name);
        names.removeIf([](const QString &n) { return !keyName.match(n).hasMatch(); });
        std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
        return names;
    };
    QStringList names = list();
    if (names.isEmpty()) {
        if (!createFirstKey(dir, QDir(dir).filePath(QStringLiteral("0001.pem")), error))
            return nullptr;
        names = list();
    }
    std::unique_ptr<SigningKeys> keys(new SigningKeys);
    keys->m_dir = dir;
    for (const QString &name : std::as_const(names)) {
        auto key = readKeyFile(QDir(dir).filePath(name), error);
        if (!key)
            return nullptr;
        keys->m_keys.append(std::move(*key));
    }
    if (keys->m_keys.isEmpty()) {
        *error = QStringLiteral("no signing key in %1").arg(dir);
        return nullptr;
    }
    return keys;
}

QJsonObject SigningKeys::jwks() const
{
    QJsonArray list;
    for (const SigningKey &k : m_keys)
        list.append(k.publicJwk());
    return {{QStringLiteral("keys"), list}};
}

} // namespace waotp::server
