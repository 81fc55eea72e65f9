// SealedField: what a shared store keeps of a phone number. It opens under the same secret and
// record only; each seal of the same value differs (a fresh nonce); a changed byte, another
// record's seal, another secret or something never sealed opens to nothing.
#include "server/api/SealedField.h"

#include <QSet>
#include <QTest>

#include <cctype>

using namespace waotp::server;

class tst_SealedField : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensWhatItSealed();
    void freshNonceEachTime();
    void refusesWhatItDidNotSeal();
};

namespace {
const QByteArray Secret = "test-store-secret-0123456789abcdef";
const QByteArray Number = "+919876543210";
} // namespace

void tst_SealedField::opensWhatItSealed()
{
    const SealedField a(Secret);
    const SealedField b(Secret); // another instance with the same secret
    const QByteArray sealed = a.seal(Number, "id-1");
    QVERIFY(!sealed.isEmpty());
    QVERIFY(!sealed.contains("9876543210"));
    // URL-safe: it may be a verification id.
    for (char c : sealed)
        QVERIFY2(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_',
                 sealed.constData());
    QCOMPARE(b.open(sealed, "id-1"), std::optional<QByteArray>(Number));
    QCOMPARE(a.open(a.seal({}, "id-1"), "id-1"), std::optional<QByteArray>(QByteArray()));
}

void tst_SealedField::freshNonceEachTime()
{
    const SealedField a(Secret);
    QSet<QByteArray> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(a.seal(Number, "id-1"));
    QCOMPARE(seen.size(), 100);
}

void tst_SealedField::refusesWhatItDidNotSeal()
{
    const SealedField a(Secret);
    const QByteArray sealed = a.seal(Number, "id-1");
    QVERIFY(!a.open(sealed, "id-2")); // another record's
    QVERIFY(!SealedField("another-secret-0123456789abcdef!").open(sealed, "id-1"));
    QByteArray raw = QByteArray::fromBase64(sealed, QByteArray::Base64UrlEncoding);
    for (qsizetype i = 0; i < raw.size(); ++i) {
        QByteArray changed = raw;
        changed[i] = char(changed[i] ^ 0x01);
        QVERIFY(!a.open(
            changed.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            "id-1"));
    }
    QVERIFY(!a.open(sealed.left(sealed.size() - 1), "id-1"));
    QVERIFY(!a.open({}, "id-1"));
    QVERIFY(!a.open("not sealed!", "id-1"));
    QVERIFY(!a.open("aGVsbG8", "id-1"));
}

QTEST_GUILESS_MAIN(tst_SealedField)
#include "tst_sealedfield.moc"
