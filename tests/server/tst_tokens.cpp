// Signing keys (the key directory, the first key made once by instances starting together, the
// JWK Set) and tokens, checked by PyJWT: an implementation of JWT nobody here wrote.
#include "PyJwt.h"
#include "server/token/RandomId.h"
#include "server/token/SigningKeys.h"
#include "server/token/TokenIssuer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <set>
#include <sys/stat.h>
#include <thread>

using namespace waotp::server;
using namespace waotp::test;

namespace {

unsigned modeOf(const QString &path)
{
    struct stat st = {};
    ::stat(QFile::encodeName(path).constData(), &st);
    return unsigned(st.st_mode) & 0777u;
}

// Whether @p token's ES256 signature verifies with @p key, by OpenSSL; its 64 bytes in *raw.
bool signatureVerifies(EVP_PKEY *key, const QByteArray &token, QByteArray *raw)
{
    const qsizetype dot = token.lastIndexOf('.');
    if (dot <= 0)
        return false;
    *raw = QByteArray::fromBase64(token.mid(dot + 1),
                                  QByteArray::Base64UrlEncoding
                                      | QByteArray::AbortOnBase64DecodingErrors);
    if (raw->size() != 64)
        return false;
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw->constData());
    ECDSA_SIG *sig = ECDSA_SIG_new();
    if (ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr))
        != 1) {
        ECDSA_SIG_free(sig);
        return false;
    }
    unsigned char *der = nullptr;
    const int derSize = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const QByteArray input = token.first(dot);
    const bool verified = derSize > 0
        && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestVerify(ctx, der, std::size_t(derSize),
                            reinterpret_cast<const unsigned char *>(input.constData()),
                            std::size_t(input.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return verified;
}

} // namespace

class tst_Tokens : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void randomIds();
    void firstKeyIsMadePrivate();
    void keysSurviveReopening();
    void instancesStartingTogetherShareOneKey();
    void refusesAnOpenDirectory();
    void refusesAReadableKey();
    void refusesAKeyThatIsNotP256();
    void kidIsTheRfc7638Thumbprint();
    void jwks();
    void claims();
    void pyJwtAcceptsTheTokenAndEveryClaim();
    void pyJwtRefusesForgeries();
    void payloadIsWhatQJsonDocumentWrites_data();
    void payloadIsWhatQJsonDocumentWrites();
    void everySignatureVerifiesWithItsOwnNonce();
    void tokensSignedLaterComeInOrder();
    void tokensSignedLaterForNobody();

private:
    QString keyDir() const { return m_dir->filePath(QStringLiteral("keys")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Tokens::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Tokens::randomIds()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray id = randomId();
        QCOMPARE(id.size(), 22); // 128 bits
        for (char c : id)
            QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 1000);
    QCOMPARE(randomId(32).size(), 43);
}

void tst_Tokens::firstKeyIsMadePrivate()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY2(keys, qPrintable(error));
    QCOMPARE(keys->keys().size(), 1);
    QCOMPARE(modeOf(keyDir()), 0700u);
    const QString key = QDir(keyDir()).filePath(QStringLiteral("0001.pem"));
    QCOMPARE(keys->current().path, key);
    QCOMPARE(modeOf(key), 0600u);
    QCOMPARE(QDir(keyDir()).entryList(QDir::Files | QDir::Hidden),
             QStringList {QStringLiteral("0001.pem")}); // no temporary file left
}

void tst_Tokens::keysSurviveReopening()
{
    QString error;
    QByteArray kid;
    {
        auto keys = SigningKeys::open(keyDir(), &error);
        QVERIFY(keys);
        kid = keys->current().kid;
    }
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY(keys);
    QCOMPARE(keys->current().kid, kid);
}

void tst_Tokens::instancesStartingTogetherShareOneKey()
{
    constexpr int Instances = 8;
    for (int round = 0; round < 5; ++round) {
        const QString dir = m_dir->filePath(QStringLiteral("race-%1").arg(round));
        std::vector<QByteArray> kids(Instances);
        std::vector<QString> errors(Instances);
        {
            std::vector<std::jthread> threads;
            for (int i = 0; i < Instances; ++i) {
                threads.emplace_back([&, i] {
                    auto keys = SigningKeys::open(dir, &errors[std::size_t(i)]);
                    if (keys)
                        kids[std::size_t(i)] = keys->current().kid;
                });
            }
        }
        for (int i = 0; i < Instances; ++i) {
            QVERIFY2(!kids[std::size_t(i)].isEmpty(), qPrintable(errors[std::size_t(i)]));
            QCOMPARE(kids[std::size_t(i)], kids.front());
        }
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden),
                 QStringList {QStringLiteral("0001.pem")});
    }
}

void tst_Tokens::refusesAnOpenDirectory()
{
    QVERIFY(QDir().mkpath(keyDir()));
    QVERIFY(QFile::setPermissions(keyDir(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                      | QFile::ReadOther | QFile::ExeOther));
    QString error;
    QVERIFY(!SigningKeys::open(keyDir(), &error));
    QVERIFY2(error.contains(u"too open") && error.contains(u"chmod 700"), qPrintable(error));
}

void tst_Tokens::refusesAReadableKey()
{
    QString error;
    QVERIFY(SigningKeys::open(keyDir(), &error));
    const QString key = QDir(keyDir()).filePath(QStringLiteral("0001.pem"));
    QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    QVERIFY(!SigningKeys::open(keyDir(), &error));
    QVERIFY2(error.contains(u"chmod 600"), qPrintable(error));
}

void tst_Tokens::refusesAKeyThatIsNotP256()
{
    // An RSA key where an ES256 key belongs.
    const QByteArray rsa = "-----BEGIN PRIVATE KEY-----\n"
                           "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEAq7BFUpkGp3+LQmlQ\n"
                           "Yx2eqzDV+xeG8kx/sQFV18S5JhzGeIJNA72wSeukEPojtqUyX2J0CciPBh7eqclQ\n"
                           "2zpAswIDAQABAkAgisq4+zRdrzkwH1ITV1vpytnkO/NiHcnePQiOW0VUybPyHoGM\n"
                           "/jf75C5xET7ZQpBe5kx5VHsPZj0CBb3b+wSRAiEA2mPWCBytosIU/ODRfq6EiV04\n"
                           "lt6waE7I2uSPqIC20LcCIQDJQYIHQII+3YaPqyhGgqMexuuuGx+lDKD6/Fu/JwPb\n"
                           "5QIhAKthiYcYKlL9h8bjDsQhZDUACPasjzdsDEdq8inMs1dpAiAO4tUmoVT2AS8n\n"
                           "stIXcKl2qpeTqcZt3N0gCDHuTGCMNQIgGr3ExDJ27m6FpXiKZLdXdvb6lyMeqFKU\n"
                           "DfHeTU55vXM=\n"
                           "-----END PRIVATE KEY-----\n";
    QString error;
    QVERIFY(!readSigningKey(rsa, &error));
    QVERIFY2(error.contains(u"P-256") || error.contains(u"PEM"), qPrintable(error));
    QVERIFY(!readSigningKey("garbage", &error));
}

void tst_Tokens::kidIsTheRfc7638Thumbprint()
{
    const QByteArray pem = generateSigningKeyPem();
    QString error;
    const auto key = readSigningKey(pem, &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(QByteArray::fromBase64(key->x, QByteArray::Base64UrlEncoding).size(), 32);
    QCOMPARE(QByteArray::fromBase64(key->y, QByteArray::Base64UrlEncoding).size(), 32);
    const QByteArray members =
        R"({"crv":"P-256","kty":"EC","x":")" + key->x + R"(","y":")" + key->y + R"("})";
    QCOMPARE(key->kid, base64Url(QCryptographicHash::hash(members, QCryptographicHash::Sha256)));
    // Another key, another kid.
    QVERIFY(readSigningKey(generateSigningKeyPem(), &error)->kid != key->kid);
}

void tst_Tokens::jwks()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY(keys);
    const QJsonArray list = keys->jwks().value(QStringLiteral("keys")).toArray();
    QCOMPARE(list.size(), 1);
    const QJsonObject k = list.first().toObject();
    QCOMPARE(k.value(u"kty").toString(), QStringLiteral("EC"));
    QCOMPARE(k.value(u"crv").toString(), QStringLiteral("P-256"));
    QCOMPARE(k.value(u"alg").toString(), QStringLiteral("ES256"));
    QCOMPARE(k.value(u"use").toString(), QStringLiteral("sig"));
    QCOMPARE(k.value(u"kid").toString().toLatin1(), keys->current().kid);
    QVERIFY(!k.contains(u"d")); // never the private part
    QCOMPARE(k.size(), 7);
}

void tst_Tokens::claims()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY(keys);
    TokenSettings settings;
    settings.issuer = QStringLiteral("https://auth.example.com");
    settings.lifetime = std::chrono::seconds(600);
    TokenIssuer issuer(*keys, settings, [] { return qint64(1'800'000'000); });
    TokenClaims claims {QStringLiteral("acct"),
                        QStringLiteral("+919876543210"),
                        QStringLiteral("sms"),
                        QStringLiteral("existing"),
                        {}};
    const IssuedToken a = issuer.issue(claims);
    const IssuedToken b = issuer.issue(claims);
    QVERIFY(!a.token.isEmpty());
    QCOMPARE(a.expiresAt, 1'800'000'600);
    QVERIFY(a.id != b.id); // jti is unique
    const QJsonObject p = payloadOf(a.token);
    QCOMPARE(p.value(u"iat").toInteger(), 1'800'000'000);
    QCOMPARE(p.value(u"auth_time").toInteger(), 1'800'000'000);
    QCOMPARE(p.value(u"exp").toInteger(), 1'800'000'600);
    QCOMPARE(p.value(u"jti").toString().toLatin1(), a.id);
    QVERIFY(!p.contains(u"nonce")); // none given
    QVERIFY(!p.contains(u"demo")); // not a demo server
}

void tst_Tokens::pyJwtAcceptsTheTokenAndEveryClaim()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY(keys);
    TokenSettings settings;
    settings.issuer = QStringLiteral("https://auth.example.com");
    settings.audience = QStringLiteral("my-platform");
    settings.demo = true;
    TokenIssuer issuer(*keys, settings);
    const QString nonce = QStringLiteral("n-0S6_WzA2Mj \u00e9\U0001F600");
    const IssuedToken t =
        issuer.issue({QStringLiteral("acct-1"), QStringLiteral("+14155552671"),
                      QStringLiteral("whatsapp"), QStringLiteral("created"), nonce});
    const PyJwtResult r =
        verifyWithPyJwt(keys->jwks(), t.token, settings.audience, settings.issuer);
    QVERIFY2(r.accepted, qPrintable(r.refusal));
    QCOMPARE(r.header.value(u"alg").toString(), QStringLiteral("ES256"));
    QCOMPARE(r.header.value(u"kid").toString().toLatin1(), keys->current().kid);
    const QJsonObject &c = r.claims;
    QCOMPARE(c.value(u"iss").toString(), settings.issuer);
    QCOMPARE(c.value(u"aud").toString(), settings.audience);
    QCOMPARE(c.value(u"sub").toString(), QStringLiteral("acct-1"));
    QCOMPARE(c.value(u"phone_number").toString(), QStringLiteral("+14155552671"));
    QCOMPARE(c.value(u"phone_number_verified"), QJsonValue(true));
    QCOMPARE(c.value(u"amr").toArray(), QJsonArray {QStringLiteral("otp")});
    QCOMPARE(c.value(u"channel").toString(), QStringLiteral("whatsapp"));
    QCOMPARE(c.value(u"account").toString(), QStringLiteral("created"));
    QCOMPARE(c.value(u"nonce").toString(), nonce);
    QCOMPARE(c.value(u"demo"), QJsonValue(true));
    QCOMPARE(c.value(u"jti").toString().toLatin1(), t.id);
    const qint64 iat = c.value(u"iat").toInteger();
    QCOMPARE(c.value(u"auth_time").toInteger(), iat);
    QCOMPARE(c.value(u"exp").toInteger(), iat + 300);
    QVERIFY(qAbs(iat - QDateTime::currentSecsSinceEpoch()) < 60);
    QCOMPARE(c.size(), 14);
}

void tst_Tokens::pyJwtRefusesForgeries()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY(keys);
    TokenSettings settings;
    settings.issuer = QStringLiteral("https://auth.example.com");
    TokenIssuer issuer(*keys, settings);
    const IssuedToken t = issuer.issue({QStringLiteral("acct-1"),
                                        QStringLiteral("+14155552671"),
                                        QStringLiteral("whatsapp"),
                                        QStringLiteral("created"),
                                        {}});
    QVERIFY(verifyWithPyJwt(keys->jwks(), t.token, settings.audience, settings.issuer).accepted);

    // Another number under the same signature.
    QJsonObject payload = payloadOf(t.token);
    payload.insert(QStringLiteral("phone_number"), QStringLiteral("+14155550000"));
    PyJwtResult r = verifyWithPyJwt(keys->jwks(), withPayload(t.token, payload), settings.audience,
                                    settings.issuer);
    QVERIFY(!r.accepted);
    QVERIFY2(r.refusal.contains(u"InvalidSignatureError"), qPrintable(r.refusal));

    // A flipped bit in the signature.
    QByteArray flipped = t.token;
    flipped[flipped.size() - 5] = flipped.at(flipped.size() - 5) == 'A' ? 'B' : 'A';
    QVERIFY(!verifyWithPyJwt(keys->jwks(), flipped, settings.audience, settings.issuer).accepted);

    // Signed by a key that is not published, under the published kid.
    QTemporaryDir other;
    auto otherKeys = SigningKeys::open(other.filePath(QStringLiteral("keys")), &error);
    QVERIFY(otherKeys);
    TokenIssuer impostor(*otherKeys, settings);
    const QByteArray foreign = impostor
                                   .issue({QStringLiteral("acct-1"),
                                           QStringLiteral("+14155552671"),
                                           QStringLiteral("whatsapp"),
                                           QStringLiteral("created"),
                                           {}})
                                   .token;
    // Unknown kid: refused.
    QVERIFY(!verifyWithPyJwt(keys->jwks(), foreign, settings.audience, settings.issuer).accepted);
    // Presented under our kid (our header): the signature is not ours.
    const QList<QByteArray> parts = foreign.split('.');
    const QByteArray underOurKid =
        t.token.split('.').value(0) + '.' + parts.value(1) + '.' + parts.value(2);
    r = verifyWithPyJwt(keys->jwks(), underOurKid, settings.audience, settings.issuer);
    QVERIFY(!r.accepted);
    QVERIFY2(r.refusal.contains(u"InvalidSignatureError"), qPrintable(r.refusal));

    // "alg": "none".
    const QByteArray none =
        QByteArray(R"({"alg":"none","typ":"JWT"})")
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
        + '.' + t.token.split('.').value(1) + '.';
    QVERIFY(!verifyWithPyJwt(keys->jwks(), none, settings.audience, settings.issuer).accepted);

    // Another audience or issuer.
    QVERIFY(
        !verifyWithPyJwt(keys->jwks(), t.token, QStringLiteral("other"), settings.issuer).accepted);
    QVERIFY(!verifyWithPyJwt(keys->jwks(), t.token, settings.audience,
                             QStringLiteral("https://evil.example.com"))
                 .accepted);
}

void tst_Tokens::payloadIsWhatQJsonDocumentWrites_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("demo");
    QTest::newRow("plain") << QStringLiteral("n-0S6_WzA2Mj") << false;
    QTest::newRow("demo") << QStringLiteral("abc") << true;
    QTest::newRow("quotes and backslashes") << QStringLiteral("a\"b\\c/d") << false;
    QTest::newRow("control characters")
        << QStringLiteral("tab\there\nnew\rline\u0001\u001f\b\f\u007f") << true;
    QTest::newRow("accents and emoji")
        << QStringLiteral("\u00e9t\u00e9 \U0001F600 \u2028") << false;
    QTest::newRow("right to left") << QStringLiteral("\u05e9\u05dc\u05d5\u05dd \u202e") << false;
    QTest::newRow("empty nonce") << QString() << false;
}

// The payload is written by hand (QJsonObject costs more than the signature): the same bytes as
// QJsonDocument's compact form of the same members, whatever the strings hold.
void tst_Tokens::payloadIsWhatQJsonDocumentWrites()
{
    QFETCH(QString, text);
    QFETCH(bool, demo);
    TokenSettings settings;
    settings.issuer = u"https://auth.example.com/" + text;
    settings.audience = u"aud " + text;
    settings.demo = demo;
    const TokenClaims claims {u"sub" + text, QStringLiteral("+919876543210"),
                              QStringLiteral("whatsapp"), QStringLiteral("created"), text};
    const QByteArray id = "jti-" + QByteArray::number(42);
    QJsonObject expected {
        {QStringLiteral("iss"), settings.issuer},
        {QStringLiteral("aud"), settings.audience},
        {QStringLiteral("sub"), claims.subject},
        {QStringLiteral("phone_number"), claims.phoneNumber},
        {QStringLiteral("phone_number_verified"), true},
        {QStringLiteral("amr"), QJsonArray {QStringLiteral("otp")}},
        {QStringLiteral("channel"), claims.channel},
        {QStringLiteral("account"), claims.account},
        {QStringLiteral("auth_time"), 1'800'000'000},
        {QStringLiteral("iat"), 1'800'000'000},
        {QStringLiteral("exp"), 1'800'000'300},
        {QStringLiteral("jti"), QString::fromLatin1(id)},
    };
    if (!text.isEmpty())
        expected.insert(QStringLiteral("nonce"), text);
    if (demo)
        expected.insert(QStringLiteral("demo"), true);
    const QByteArray written =
        TokenIssuer::payloadJson(settings, claims, 1'800'000'000, 1'800'000'300, id);
    QCOMPARE(written, QJsonDocument(expected).toJson(QJsonDocument::Compact));
}

// Every token's signature verifies with OpenSSL (the signing context is reused from token to
// token), 32-byte numbers that DER writes shorter included, and no two signatures share their
// r: every one drew its own nonce.
void tst_Tokens::everySignatureVerifiesWithItsOwnNonce()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY2(keys, qPrintable(error));
    TokenIssuer issuer(*keys, TokenSettings {}, [] { return qint64(1'800'000'000); });
    const TokenClaims claims {QStringLiteral("acct"),
                              QStringLiteral("+919876543210"),
                              QStringLiteral("whatsapp"),
                              QStringLiteral("created"),
                              {}};
    EVP_PKEY *key = keys->current().privateKey.get();
    QVERIFY(key);
    std::set<QByteArray> rs;
    int shortNumbers = 0;
    constexpr int Tokens = 2000; // a leading zero byte in r or s: about 15 of them
    for (int i = 0; i < Tokens; ++i) {
        const QByteArray token = issuer.issue(claims).token;
        QByteArray raw;
        QVERIFY2(signatureVerifies(key, token, &raw), token.constData());
        rs.insert(raw.first(32));
        shortNumbers += (raw.at(0) == 0 ? 1 : 0) + (raw.at(32) == 0 ? 1 : 0);
    }
    QCOMPARE(int(rs.size()), Tokens);
    QVERIFY(shortNumbers > 0);
}

// issueLater(): signed on the signing thread, handed over by the event loop, in order, each
// one a valid token of its own claims.
void tst_Tokens::tokensSignedLaterComeInOrder()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY2(keys, qPrintable(error));
    TokenIssuer issuer(*keys, TokenSettings {});
    QObject context;
    std::vector<IssuedToken> got;
    constexpr int Tokens = 50;
    for (int i = 0; i < Tokens; ++i) {
        const TokenClaims claims {u"acct-" + QString::number(i),
                                  QStringLiteral("+919876543210"),
                                  QStringLiteral("whatsapp"),
                                  QStringLiteral("created"),
                                  {}};
        issuer.issueLater(claims, &context, [&](const IssuedToken &t) { got.push_back(t); });
    }
    QVERIFY(got.empty()); // never from inside the call
    QTRY_COMPARE(int(got.size()), Tokens);
    std::set<QByteArray> ids;
    for (int i = 0; i < Tokens; ++i) {
        QByteArray raw;
        QVERIFY(signatureVerifies(keys->current().privateKey.get(), got[i].token, &raw));
        const QJsonObject p = payloadOf(got[i].token);
        QCOMPARE(p.value(u"sub").toString(), u"acct-" + QString::number(i));
        QCOMPARE(p.value(u"jti").toString().toLatin1(), got[i].id);
        QCOMPARE(p.value(u"exp").toInteger(), got[i].expiresAt);
        ids.insert(got[i].id);
    }
    QCOMPARE(int(ids.size()), Tokens);
    // And PyJWT takes one as it takes a token signed at once.
    const PyJwtResult r = verifyWithPyJwt(keys->jwks(), got.back().token,
                                          issuer.settings().audience, issuer.settings().issuer);
    QVERIFY2(r.accepted, qPrintable(r.refusal));
}

// A token whose asker is gone is given to nobody, and an issuer that goes with tokens still
// being signed stops its thread and calls nobody.
void tst_Tokens::tokensSignedLaterForNobody()
{
    QString error;
    auto keys = SigningKeys::open(keyDir(), &error);
    QVERIFY2(keys, qPrintable(error));
    const TokenClaims claims {QStringLiteral("acct"),
                              QStringLiteral("+919876543210"),
                              QStringLiteral("whatsapp"),
                              QStringLiteral("created"),
                              {}};
    int calls = 0;
    {
        TokenIssuer issuer(*keys, TokenSettings {});
        auto gone = std::make_unique<QObject>();
        issuer.issueLater(claims, gone.get(), [&](const IssuedToken &) { ++calls; });
        gone.reset();
        QObject here;
        bool after = false;
        issuer.issueLater(claims, &here, [&](const IssuedToken &) { after = true; });
        QTRY_VERIFY(after); // the one before it has been handled by then
        QCOMPARE(calls, 0);
    }
    {
        auto issuer = std::make_unique<TokenIssuer>(*keys, TokenSettings {});
        QObject context;
        for (int i = 0; i < 200; ++i)
            issuer->issueLater(claims, &context, [&](const IssuedToken &) { ++calls; });
        QTest::qWait(5); // some are signed and given, some posted, most still waiting
        const int given = calls;
        issuer.reset();
        QTest::qWait(50); // what was posted would be delivered now
        QCOMPARE(calls, given);
    }
}

QTEST_GUILESS_MAIN(tst_Tokens)
#include "tst_tokens.moc"
