// Rotating the signing key (waotp-server --rotate-key): a new key is published at once and
// signs only once every cached JWKS has it; the old one stays published until the last token it
// signed has expired. The clock is injected; PyJWT checks tokens signed before and after the
// switch against the JWK Set of that moment.
#include "PyJwt.h"
#include "server/ServerCommands.h"
#include "server/token/SigningKeys.h"
#include "server/token/TokenIssuer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    ::stat(QFile::encodeName(path).constData(), &st);
    return unsigned(st.st_mode) & 0777u;
}

QStringList kids(const QJsonObject &jwks)
{
    QStringList out;
    for (const QJsonValue &k : jwks.value(QStringLiteral("keys")).toArray())
        out.append(k.toObject().value(QStringLiteral("kid")).toString());
    return out;
}

constexpr qint64 Delay = SigningKeys::ActivationDelay.count();
constexpr qint64 Lifetime = SigningKeys::MaxTokenLifetime.count();

} // namespace

class tst_KeyRotation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void delayCoversTheJwksCache();
    void newKeyIsPublishedAtOnceAndSignsLater();
    void pyJwtAcceptsTokensFromBeforeAndAfterTheSwitch();
    void aTokenSignedLaterAtTheSwitchIsSignedByTheKeyItNames();
    void oldKeyStaysPublishedUntilItsTokensHaveExpired();
    void anotherInstanceSeesTheNewKey();
    void rotationsAtTheSameMomentEachAddAKey();
    void aKeyDeletedWhileReadingIsSkipped();
    void aBadSigningTimeIsRefused();
    void aReplacedFileIsReadAgain();
    void theCommandReports();

private:
    QString keyDir() const { return m_dir->filePath(QStringLiteral("keys")); }
    std::unique_ptr<SigningKeys> open()
    {
        QString error;
        auto keys =
            SigningKeys::open(keyDir(), &error, [this] { return m_ticking ? m_now++ : m_now; });
        if (!keys)
            qWarning() << error;
        return keys;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    qint64 m_now = 0;
    bool m_ticking = false; // each look at the keys' clock moves it a second on
};

void tst_KeyRotation::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Far enough in the past that tokens signed after the switch are not from the future for
    // PyJWT, which checks them against the real clock.
    m_now = QDateTime::currentSecsSinceEpoch() - Delay - 100;
}

void tst_KeyRotation::delayCoversTheJwksCache()
{
    QVERIFY(SigningKeys::ActivationDelay > SigningKeys::JwksMaxAge + SigningKeys::RescanInterval);
    QCOMPARE(SigningKeys::JwksMaxAge, 600s); // Cache-Control: public, max-age=600
    QCOMPARE(SigningKeys::MaxTokenLifetime, 1h); // token_lifetime is at most an hour
}

void tst_KeyRotation::newKeyIsPublishedAtOnceAndSignsLater()
{
    auto keys = open();
    QVERIFY(keys);
    const QByteArray first = keys->current().kid;
    const qint64 rotatedAt = m_now;
    QString error;
    const auto rotation = keys->rotate(&error);
    QVERIFY2(rotation, qPrintable(error));
    QCOMPARE(rotation->added.signsFrom, rotatedAt + Delay);
    QVERIFY(rotation->removed.isEmpty());
    const QString file = QDir(keyDir()).filePath(QStringLiteral("0002.pem"));
    QCOMPARE(rotation->added.path, file);
    QCOMPARE(modeOf(file), 0600u);
    QCOMPARE(QDir(keyDir()).entryList(QDir::Files | QDir::Hidden),
             (QStringList {QStringLiteral("0001.pem"), QStringLiteral("0002.pem")}));

    // Published at once, not signing yet.
    QCOMPARE(kids(keys->jwks()),
             (QStringList {QString::fromLatin1(first), QString::fromLatin1(rotation->added.kid)}));
    QCOMPARE(keys->current().kid, first);
    m_now = rotatedAt + Delay - 1;
    QCOMPARE(keys->current().kid, first);
    // Signing from its time on.
    m_now = rotatedAt + Delay;
    QCOMPARE(keys->current().kid, rotation->added.kid);
    QCOMPARE(keys->jwks().value(u"keys").toArray().size(), 2);

    // The time is in the file, where OpenSSL ignores it: reopening reads it back.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    QVERIFY(content.contains(
        QByteArray(QByteArray("Signs-From: ") + QByteArray::number(rotatedAt + Delay))));
    QVERIFY(content.indexOf("Signs-From:") < content.indexOf("-----BEGIN PRIVATE KEY-----"));
    m_now = rotatedAt;
    auto again = open();
    QVERIFY(again);
    QCOMPARE(again->current().kid, first);
    QCOMPARE(again->keys().last().signsFrom, rotatedAt + Delay);
}

void tst_KeyRotation::pyJwtAcceptsTokensFromBeforeAndAfterTheSwitch()
{
    auto keys = open();
    QVERIFY(keys);
    TokenSettings settings;
    settings.issuer = QStringLiteral("https://auth.example.com");
    settings.lifetime = SigningKeys::MaxTokenLifetime;
    TokenIssuer issuer(*keys, settings, [this] { return m_now; });
    const TokenClaims claims {QStringLiteral("acct-1"),
                              QStringLiteral("+919876543210"),
                              QStringLiteral("whatsapp"),
                              QStringLiteral("existing"),
                              {}};
    const QByteArray first = keys->current().kid;
    const QByteArray beforeRotation = issuer.issue(claims).token;
    QString error;
    const auto rotation = keys->rotate(&error);
    QVERIFY2(rotation, qPrintable(error));
    m_now += Delay / 2;
    const QByteArray beforeTheSwitch = issuer.issue(claims).token;
    m_now += Delay - Delay / 2;
    const QByteArray afterTheSwitch = issuer.issue(claims).token;

    const QJsonObject jwks = keys->jwks(); // as published after the switch
    const struct
    {
        const char *name;
        QByteArray token;
        QByteArray kid;
    } tokens[] = {{"signed before the rotation", beforeRotation, first},
                  {"signed between rotation and switch", beforeTheSwitch, first},
                  {"signed after the switch", afterTheSwitch, rotation->added.kid}};
    for (const auto &t : tokens) {
        const PyJwtResult r = verifyWithPyJwt(jwks, t.token, settings.audience, settings.issuer);
        QVERIFY2(r.accepted, qPrintable(QString::fromLatin1(t.name) + u": " + r.refusal));
        QCOMPARE(r.header.value(u"kid").toString().toLatin1(), t.kid);
    }
    // A platform that fetched the key set before the rotation (and cached it) knows only the
    // old key: every token it can be shown until its cache expires is one it can check.
    QJsonObject cachedBefore = jwks;
    QJsonArray onlyFirst;
    onlyFirst.append(jwks.value(u"keys").toArray().first());
    cachedBefore.insert(QStringLiteral("keys"), onlyFirst);
    QVERIFY(verifyWithPyJwt(cachedBefore, beforeTheSwitch, settings.audience, settings.issuer)
                .accepted);
}

// The second at which a rotated key starts signing may pass while a token is on its way to
// the signing thread: the key that signs it is still the one its header names.
void tst_KeyRotation::aTokenSignedLaterAtTheSwitchIsSignedByTheKeyItNames()
{
    auto keys = open();
    QVERIFY(keys);
    TokenSettings settings;
    settings.issuer = QStringLiteral("https://auth.example.com");
    TokenIssuer issuer(*keys, settings, [this] { return m_now; });
    const QByteArray first = keys->current().kid;
    QString error;
    const auto rotation = keys->rotate(&error);
    QVERIFY2(rotation, qPrintable(error));
    m_now = rotation->added.signsFrom - 1;
    const TokenClaims claims {QStringLiteral("acct-1"),
                              QStringLiteral("+919876543210"),
                              QStringLiteral("whatsapp"),
                              QStringLiteral("existing"),
                              {}};
    QObject context;
    QByteArray token;
    m_ticking = true; // the switch comes during the call
    issuer.issueLater(claims, &context, [&](const IssuedToken &t) { token = t.token; });
    m_ticking = false;
    QVERIFY(m_now >= rotation->added.signsFrom);
    QTRY_VERIFY(!token.isEmpty());
    const PyJwtResult r = verifyWithPyJwt(keys->jwks(), token, settings.audience, settings.issuer);
    QVERIFY2(r.accepted, qPrintable(r.refusal));
    QCOMPARE(r.header.value(u"kid").toString().toLatin1(), first);
}

void tst_KeyRotation::oldKeyStaysPublishedUntilItsTokensHaveExpired()
{
    auto keys = open();
    QVERIFY(keys);
    const QByteArray first = keys->current().kid;
    const QString firstPath = keys->current().path;
    QString error;
    const auto rotation = keys->rotate(&error);
    QVERIFY(rotation);
    const qint64 switchAt = rotation->added.signsFrom;
    QCOMPARE(keys->retiresAt(keys->keys().first()), std::optional(switchAt + Lifetime));
    QCOMPARE(keys->retiresAt(keys->keys().last()), std::nullopt);

    m_now = switchAt + Lifetime - 1; // a token signed by the old key just before the switch
    QCOMPARE(kids(keys->jwks()).size(), 2);
    QVERIFY(kids(keys->jwks()).contains(QString::fromLatin1(first)));
    m_now = switchAt + Lifetime; // ... has expired now
    QCOMPARE(kids(keys->jwks()), QStringList {QString::fromLatin1(rotation->added.kid)});
    QVERIFY(QFile::exists(firstPath)); // only hidden so far

    // The next rotation deletes its file.
    const auto next = keys->rotate(&error);
    QVERIFY2(next, qPrintable(error));
    QCOMPARE(next->removed, QStringList {firstPath});
    QCOMPARE(QDir(keyDir()).entryList(QDir::Files | QDir::Hidden),
             (QStringList {QStringLiteral("0002.pem"), QStringLiteral("0003.pem")}));
    QCOMPARE(keys->current().kid, rotation->added.kid);
    QCOMPARE(kids(keys->jwks()).size(), 2);
}

void tst_KeyRotation::anotherInstanceSeesTheNewKey()
{
    auto a = open();
    auto b = open();
    QVERIFY(a && b);
    QString error;
    const auto rotation = a->rotate(&error);
    QVERIFY(rotation);
    QCOMPARE(kids(b->jwks()).size(), 1);
    QVERIFY2(b->reload(&error), qPrintable(error));
    QCOMPARE(kids(b->jwks()), kids(a->jwks()));
    m_now = rotation->added.signsFrom;
    QCOMPARE(b->current().kid, rotation->added.kid);
    QCOMPARE(a->current().kid, rotation->added.kid);
}

void tst_KeyRotation::rotationsAtTheSameMomentEachAddAKey()
{
    QVERIFY(open());
    constexpr int Instances = 8;
    std::vector<QByteArray> added(Instances);
    std::vector<QString> errors(Instances);
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < Instances; ++i) {
            threads.emplace_back([&, i] {
                auto keys =
                    SigningKeys::open(keyDir(), &errors[std::size_t(i)], [this] { return m_now; });
                const auto r = keys ? keys->rotate(&errors[std::size_t(i)]) : std::nullopt;
                if (r)
                    added[std::size_t(i)] = r->added.kid;
            });
        }
    }
    QSet<QByteArray> distinct;
    for (int i = 0; i < Instances; ++i) {
        QVERIFY2(!added[std::size_t(i)].isEmpty(), qPrintable(errors[std::size_t(i)]));
        distinct.insert(added[std::size_t(i)]);
    }
    QCOMPARE(distinct.size(), Instances);
    const QStringList files = QDir(keyDir()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(files.size(), Instances + 1); // no temporary file left, no key lost
    auto keys = open();
    QVERIFY(keys);
    QCOMPARE(keys->keys().size(), Instances + 1);
}

// Another instance's rotation deletes a retired key while this one reads the directory (a
// server starting, or a rotation reading back its new key): the key that is gone is skipped.
void tst_KeyRotation::aKeyDeletedWhileReadingIsSkipped()
{
    auto keys = open();
    QVERIFY(keys);
    const QString first = keys->current().path;
    const QByteArray gone = QFile::encodeName(QDir(keyDir()).filePath(QStringLiteral("0002.pem")));
    std::atomic<bool> stop = false;
    std::jthread rotator([&] {
        while (!stop) {
            ::link(QFile::encodeName(first).constData(), gone.constData());
            ::unlink(gone.constData());
        }
    });
    int failed = 0;
    QString error;
    for (int i = 0; i < 3000 && failed == 0; ++i)
        failed += keys->reload(&error) ? 0 : 1;
    // --check-config reads the directory the same way.
    for (int i = 0; i < 3000 && failed == 0; ++i) {
        error = SigningKeys::directoryProblem(keyDir());
        failed += error.isEmpty() ? 0 : 1;
    }
    stop = true;
    QVERIFY2(failed == 0, qPrintable(error));
}

void tst_KeyRotation::aBadSigningTimeIsRefused()
{
    auto keys = open();
    QVERIFY(keys);
    const QString bad = QDir(keyDir()).filePath(QStringLiteral("0002.pem"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Signs-From: tomorrow\n" + generateSigningKeyPem());
    f.close();
    QVERIFY(QFile::setPermissions(bad, QFile::ReadOwner | QFile::WriteOwner));
    QString error;
    // A running server keeps the keys it has.
    QVERIFY(!keys->reload(&error));
    QVERIFY2(error.contains(u"Signs-From") && error.contains(bad), qPrintable(error));
    QCOMPARE(keys->keys().size(), 1);
    // A starting one refuses to start.
    QVERIFY(!SigningKeys::open(keyDir(), &error));
}

void tst_KeyRotation::aReplacedFileIsReadAgain()
{
    auto keys = open();
    QVERIFY(keys);
    QString error;
    const auto first = keys->rotate(&error);
    QVERIFY(first);
    // The pending key is deleted by hand, and the next rotation takes its number again.
    QVERIFY(QFile::remove(first->added.path));
    auto other = open();
    QVERIFY(other);
    const auto second = other->rotate(&error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->added.path, first->added.path);
    QVERIFY2(keys->reload(&error), qPrintable(error));
    QCOMPARE(kids(keys->jwks()), kids(other->jwks()));
    QVERIFY(kids(keys->jwks()).contains(QString::fromLatin1(second->added.kid)));
    QVERIFY(!kids(keys->jwks()).contains(QString::fromLatin1(first->added.kid)));
}

void tst_KeyRotation::theCommandReports()
{
    ServerSettings settings;
    settings.signingKeyDir = keyDir();
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    QCOMPARE(runRotateKey(settings, out, err, [this] { return m_now; }), 0);
    QVERIFY2(errText.isEmpty(), qPrintable(errText));
    auto keys = open();
    QVERIFY(keys);
    QCOMPARE(keys->keys().size(), 2);
    const SigningKey &added = keys->keys().last();
    const QString signsFrom =
        QDateTime::fromSecsSinceEpoch(added.signsFrom, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss");
    QVERIFY2(outText.contains(u"New signing key " + QString::fromLatin1(added.kid)),
             qPrintable(outText));
    QVERIFY2(outText.contains(u"published now, signs from " + signsFrom), qPrintable(outText));
    const QString retires = QDateTime::fromSecsSinceEpoch(added.signsFrom + Lifetime, Qt::UTC)
                                .toString(u"yyyy-MM-dd HH:mm:ss");
    QVERIFY2(outText.contains(u"published until " + retires), qPrintable(outText));

    // A key directory others can read is refused, as when the server starts.
    QVERIFY(QFile::setPermissions(keyDir(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                      | QFile::ReadOther | QFile::ExeOther));
    errText.clear();
    QCOMPARE(runRotateKey(settings, out, err, [this] { return m_now; }), 2);
    QVERIFY2(errText.contains(u"chmod 700"), qPrintable(errText));
}

QTEST_GUILESS_MAIN(tst_KeyRotation)
#include "tst_keyrotation.moc"
