// The server's in-process verification store: its packed form (ids, numbers, message SIDs as
// bytes, open-addressing indexes) must give back every verification exactly, and find it by id,
// by its number and by its message.
#include "server/api/CompactVerifications.h"
#include "server/api/VerificationStore.h"
#include "server/token/RandomId.h"

#include <QRandomGenerator>
#include <QTest>

#include <cctype>

#include <map>

using namespace waotp;
using namespace waotp::server;
using namespace std::chrono_literals;

namespace {

using Result = VerificationStore::Result;
const Clock::TimePoint T0 = Clock::TimePoint {} + 1000h;

PhoneNumber number(QStringView text)
{
    const auto parsed = PhoneNumber::parse(text, u"");
    if (!parsed.number)
        qFatal("not a number: %s", qPrintable(text.toString()));
    return *parsed.number;
}

Verification sample(const PhoneNumber &n)
{
    Verification v;
    v.id = randomId();
    v.number = n;
    v.flow = Purpose::SignUp;
    v.channel = Channel::Sms;
    v.delivery = DeliveryStatus::Sent;
    v.deliveryError = 63024;
    v.attemptsLeft = 4;
    v.attemptsUsedUp = true;
    v.silent = true;
    v.expiresAt = T0 + 10min;
    v.nextSendAt = T0 + 31s + 7ms;
    v.messageSid = QStringLiteral("SM0123456789abcdef0123456789abcdef");
    return v;
}

// What a store answered, and whether it answered before returning.
struct Answer
{
    Result result = Result::Unavailable;
    Verification v;
    bool current = false;
    bool answered = false;
};

VerificationStore::Done into(Answer &a)
{
    return [&a](Result r, const Verification &v, bool current) { a = {r, v, current, true}; };
}

void compareVerifications(const Verification &a, const Verification &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.number.e164(), b.number.e164());
    QCOMPARE(a.number.international(), b.number.international());
    QCOMPARE(a.number.region(), b.number.region());
    QCOMPARE(a.number.callingCode(), b.number.callingCode());
    QCOMPARE(a.number.masked(), b.number.masked());
    QCOMPARE(a.flow, b.flow);
    QCOMPARE(a.channel, b.channel);
    QCOMPARE(a.locale, b.locale);
    QCOMPARE(a.nonce, b.nonce);
    QCOMPARE(a.delivery, b.delivery);
    QCOMPARE(a.deliveryError, b.deliveryError);
    QCOMPARE(a.attemptsLeft, b.attemptsLeft);
    QCOMPARE(a.approved, b.approved);
    QCOMPARE(a.canceled, b.canceled);
    QCOMPARE(a.attemptsUsedUp, b.attemptsUsedUp);
    QVERIFY(a.expiresAt == b.expiresAt);
    QVERIFY(a.nextSendAt == b.nextSendAt);
    QCOMPARE(a.demoCode, b.demoCode);
    QCOMPARE(a.silent, b.silent);
    QCOMPARE(a.messageSid, b.messageSid);
}

} // namespace

class tst_MemoryVerificationStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idsRoundTrip();
    void idsOfOtherShapes_data();
    void idsOfOtherShapes();
    void numbersRoundTrip_data();
    void numbersRoundTrip();
    void numbersOfOtherShapes();
    void sidsRoundTrip();
    void recordIndex();
    void everyFieldBack_data();
    void everyFieldBack();
    void newVerificationOfANumber();
    void wrongCodesTakeFromTheCurrentCount();
    void messageAfterResend();
    void messageOfNumber();
    void statusRefs();
    void messageTakenOver();
    void changesOnlyWhileOpen();
    void sweep();
    void compact();
};

void tst_MemoryVerificationStore::idsRoundTrip()
{
    for (int i = 0; i < 1000; ++i) {
        const QByteArray id = randomId();
        const auto packed = compact::packId(id);
        QVERIFY2(packed, id.constData());
        QCOMPARE(compact::unpackId(*packed), id);
    }
    std::array<std::uint8_t, 16> ones;
    ones.fill(0xff);
    QCOMPARE(compact::unpackId(ones), QByteArray("_____________________w"));
    QCOMPARE(compact::unpackId({}), QByteArray("AAAAAAAAAAAAAAAAAAAAAA"));
}

void tst_MemoryVerificationStore::idsOfOtherShapes_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("short") << QByteArray("v1");
    QTest::newRow("21 characters") << QByteArray("AAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("23 characters") << QByteArray("AAAAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("padding") << QByteArray("AAAAAAAAAAAAAAAAAAAA==");
    QTest::newRow("standard base64") << QByteArray("AAAAAAAAAAAAAAAAAAAA+w");
    // The last character holds two bits: the other four must be zero.
    QTest::newRow("non-canonical") << QByteArray("AAAAAAAAAAAAAAAAAAAAAB");
}

void tst_MemoryVerificationStore::idsOfOtherShapes()
{
    QFETCH(QByteArray, id);
    QVERIFY(!compact::packId(id));
    // The store keeps them all the same.
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+919876543210"));
    v.id = id;
    Answer a;
    store.add(v, into(a));
    QCOMPARE(a.result, Result::Ok);
    store.find(id, into(a));
    QCOMPARE(a.result, Result::Ok);
    compareVerifications(a.v, v);
    // The canonical id of the same bits is another one.
    store.find(QByteArray("AAAAAAAAAAAAAAAAAAAAAA"), into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.approve(id, into(a));
    QCOMPARE(a.result, Result::Ok);
    store.sweep(T0 + 2h);
    store.find(id, into(a));
    QCOMPARE(a.result, Result::NotFound);
    QCOMPARE(store.size(), 0);
}

void tst_MemoryVerificationStore::numbersRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("India") << QStringLiteral("+919876543210");
    QTest::newRow("United States (dashes)") << QStringLiteral("+12015550123");
    QTest::newRow("United Kingdom") << QStringLiteral("+447400123456");
    QTest::newRow("Germany") << QStringLiteral("+4915123456789");
    QTest::newRow("Brazil") << QStringLiteral("+5511961234567");
    QTest::newRow("Austria (13 digits)") << QStringLiteral("+436641234567890");
}

void tst_MemoryVerificationStore::numbersRoundTrip()
{
    QFETCH(QString, text);
    const PhoneNumber n = number(text);
    const auto packed = compact::packNumber(n);
    QVERIFY2(packed, qPrintable(n.international()));
    const PhoneNumber back = compact::unpackNumber(*packed);
    QCOMPARE(back.e164(), n.e164());
    QCOMPARE(back.international(), n.international());
    QCOMPARE(back.region(), n.region());
    QCOMPARE(back.callingCode(), n.callingCode());
    QVERIFY(back == n);
}

void tst_MemoryVerificationStore::numbersOfOtherShapes()
{
    // The longest E.164 number (15 digits), with every separator: packed.
    const PhoneNumber longest = PhoneNumber::fromParsedParts(
        QStringLiteral("+999123456789012"), QStringLiteral("+999 12-3 456-789 012"), {}, 999);
    const auto packed = compact::packNumber(longest);
    QVERIFY(packed);
    QCOMPARE(packed->count, 15);
    QCOMPARE(compact::unpackNumber(*packed).international(), longest.international());
    QCOMPARE(compact::unpackNumber(*packed).region(), QString());
    // What the packed form cannot say: kept whole by the store.
    const QList<PhoneNumber> odd {
        PhoneNumber::fromParsedParts(QStringLiteral("+9991234567890123"),
                                     QStringLiteral("+999 1234567890123"), {}, 999), // 16 digits
        PhoneNumber::fromParsedParts(QStringLiteral("+12015550123"),
                                     QStringLiteral("+1 (201) 555-0123"), QStringLiteral("US"),
                                     1), // brackets
        PhoneNumber::fromParsedParts(QStringLiteral("+12015550123"),
                                     QStringLiteral("+1 201 555 0124"), QStringLiteral("US"),
                                     1), // other digits
        PhoneNumber::fromParsedParts(QStringLiteral("+12015550123"), {}, QStringLiteral("USA"), 1),
        PhoneNumber::fromParsedParts(QStringLiteral("12015550123"),
                                     QStringLiteral("+1 201-555-0123"), QStringLiteral("US"), 1),
        PhoneNumber::fromParsedParts(QStringLiteral("+1201555012a"),
                                     QStringLiteral("+1 201-555-012a"), QStringLiteral("US"), 1),
    };
    MemoryVerificationStore store(1h);
    QList<Verification> added;
    for (const PhoneNumber &n : odd) {
        QVERIFY2(!compact::packNumber(n), qPrintable(n.international()));
        Verification v = sample(n);
        v.messageSid.clear();
        Answer a;
        store.add(v, into(a));
        QVERIFY(a.current);
        added.append(v);
    }
    added[1].canceled = true; // replaced by the next one of the same E.164 form
    added[2].canceled = true;
    for (const Verification &v : added) {
        Answer a;
        store.find(v.id, into(a));
        QCOMPARE(a.result, Result::Ok);
        compareVerifications(a.v, v);
    }
    // Three of them share an E.164 form: the last one added is its current verification.
    Answer a;
    store.deliveryOfNumber(odd[3], DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.id, added[3].id);
    store.deliveryOfNumber(odd[0], DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.v.id, added[0].id);
    store.deliveryOfNumber(odd[4], DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.v.id, added[4].id);
    store.sweep(T0 + 2h);
    QCOMPARE(store.size(), 0);
    store.deliveryOfNumber(odd[4], DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
}

void tst_MemoryVerificationStore::sidsRoundTrip()
{
    for (const QString &sid : {QStringLiteral("SM0123456789abcdef0123456789abcdef"),
                               QStringLiteral("MMffffffffffffffffffffffffffffffff"),
                               QStringLiteral("SM00000000000000000000000000000000")}) {
        const auto packed = compact::packSid(sid);
        QVERIFY2(packed, qPrintable(sid));
        QCOMPARE(compact::unpackSid(*packed), sid);
    }
    for (const QString &sid : {QString(), QStringLiteral("SMdemo1"),
                               QStringLiteral("SM0123456789ABCDEF0123456789abcdef"),
                               QStringLiteral("XX0123456789abcdef0123456789abcdef"),
                               QStringLiteral("SM0123456789abcdef0123456789abcdef0"),
                               QStringLiteral("SM0123456789abcdef0123456789abcde")})
        QVERIFY2(!compact::packSid(sid), qPrintable(sid));
}

void tst_MemoryVerificationStore::recordIndex()
{
    // Against a map, with few hashes (long runs, runs that wrap around the end of the table)
    // and many erasures (backward shifts).
    compact::RecordIndex index;
    std::multimap<std::uint32_t, std::uint32_t> model; // hash -> record
    QRandomGenerator random(7);
    const auto hashOf = [](std::uint32_t record) {
        return std::uint32_t(record % 5 == 0 ? 0xffffffffu - record % 3 : record % 37);
    };
    for (int round = 0; round < 20000; ++round) {
        const std::uint32_t record = random.bounded(400u);
        const std::uint32_t hash = hashOf(record);
        const bool present = index.contains(hash, record);
        bool inModel = false;
        for (auto [it, end] = model.equal_range(hash); it != end; ++it)
            inModel = inModel || it->second == record;
        QCOMPARE(present, inModel);
        if (present) {
            QVERIFY(index.erase(hash, record));
            for (auto it = model.lower_bound(hash); it->first == hash; ++it) {
                if (it->second == record) {
                    model.erase(it);
                    break;
                }
            }
        } else {
            index.insert(hash, record);
            model.emplace(hash, record);
        }
        QCOMPARE(index.size(), model.size());
        if (round % 1000 == 0)
            index.shrink();
    }
    for (auto [hash, record] : model) {
        const std::uint32_t wanted = record;
        QCOMPARE(index.find(hash, [&](std::uint32_t r) { return r == wanted; }), record);
    }
    QCOMPARE(index.find(12345, [](std::uint32_t) { return true; }), compact::RecordIndex::None);
    QVERIFY(!index.erase(12345, 1));
    QVERIFY(!index.replace(12345, 1, 2));
    QVERIFY(index.capacity() * 7 >= index.size() * 8);
}

void tst_MemoryVerificationStore::everyFieldBack_data()
{
    QTest::addColumn<bool>("extras");
    QTest::newRow("packed") << false;
    QTest::newRow("with locale, nonce, demo code, other message SID") << true;
}

void tst_MemoryVerificationStore::everyFieldBack()
{
    QFETCH(bool, extras);
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+12015550123"));
    if (extras) {
        v.locale = QStringLiteral("hi-IN");
        v.nonce = QStringLiteral("n-0123");
        v.demoCode = QStringLiteral("123456");
        v.messageSid = QStringLiteral("SMdemo1f");
        v.approved = true;
        v.flow = Purpose::SignIn;
        v.channel = Channel::WhatsApp;
    }
    Answer a;
    store.add(v, into(a));
    QVERIFY(a.answered);
    QCOMPARE(a.result, Result::Ok);
    QVERIFY(a.current);
    compareVerifications(a.v, v);
    store.find(v.id, into(a));
    compareVerifications(a.v, v);
    store.deliveryOfMessage(v.messageSid, DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.delivery, DeliveryStatus::Delivered);
    QCOMPARE(a.v.deliveryError, 0);
    QCOMPARE(store.size(), 1);
    // The JSON of the create shape is the same as the one of the verification handed in.
    QCOMPARE(verificationJson(a.v, T0, {.demoCode = true}), [&] {
        Verification expected = v;
        expected.delivery = DeliveryStatus::Delivered;
        expected.deliveryError = 0;
        return verificationJson(expected, T0, {.demoCode = true});
    }());
}

void tst_MemoryVerificationStore::newVerificationOfANumber()
{
    MemoryVerificationStore store(1h);
    QList<QByteArray> changed;
    store.setChangedHandler([&](const QByteArray &id) { changed.append(id); });
    const PhoneNumber n = number(u"+919876543210");
    Verification first = sample(n);
    first.attemptsUsedUp = false;
    Answer a;
    store.add(first, into(a));
    Verification second = sample(n);
    second.messageSid = QStringLiteral("SMffffffffffffffffffffffffffffffff");
    store.add(second, into(a));
    QVERIFY(a.current);
    QCOMPARE(changed, (QList<QByteArray> {first.id, first.id, second.id}));
    store.find(first.id, into(a));
    QVERIFY(a.v.canceled);
    QVERIFY(!a.current);
    store.deliveryOfNumber(n, DeliveryStatus::Read, 0, into(a));
    QCOMPARE(a.v.id, second.id);
    QVERIFY(a.current);
    // Another number is apart.
    store.deliveryOfNumber(number(u"+919876543211"), DeliveryStatus::Read, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
    // A finished current verification is replaced without a change to it.
    store.approve(second.id, into(a));
    changed.clear();
    Verification third = sample(n);
    store.add(third, into(a));
    QCOMPARE(changed, QList<QByteArray> {third.id});
    store.find(second.id, into(a));
    QVERIFY(a.v.approved);
    QVERIFY(!a.v.canceled);
}

void tst_MemoryVerificationStore::messageAfterResend()
{
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+919876543210"));
    v.delivery = DeliveryStatus::Queued;
    v.deliveryError = 0;
    Answer a;
    store.add(v, into(a));
    Verification code;
    code.messageSid = QStringLiteral("MM00000000000000000000000000000001");
    code.channel = Channel::WhatsApp;
    code.expiresAt = T0 + 20min;
    code.nextSendAt = T0 + 21min;
    code.attemptsLeft = 5;
    store.codeSent(v.id, code, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.messageSid, code.messageSid);
    QVERIFY(a.v.expiresAt == code.expiresAt);
    QVERIFY(!a.v.attemptsUsedUp);
    // The first message's callbacks no longer move it; the new one's do.
    store.deliveryOfMessage(v.messageSid, DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.deliveryOfMessage(code.messageSid, DeliveryStatus::Undelivered, 63016, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.delivery, DeliveryStatus::Undelivered);
    QCOMPARE(a.v.deliveryError, 63016);
    QCOMPARE(statusOf(a.v, T0), VerificationStatus::Failed);
    // Never back.
    store.deliveryOfMessage(code.messageSid, DeliveryStatus::Sent, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
    // A resend with an SID of another shape, then one of Twilio's shape again.
    code.messageSid = QStringLiteral("SMdemo2");
    store.codeSent(v.id, code, into(a));
    store.deliveryOfMessage(QStringLiteral("SMdemo2"), DeliveryStatus::Sent, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    code.messageSid = QStringLiteral("SM00000000000000000000000000000002");
    store.codeSent(v.id, code, into(a));
    store.deliveryOfMessage(QStringLiteral("SMdemo2"), DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.deliveryOfMessage(code.messageSid, DeliveryStatus::Read, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.id, v.id);
    // A silent resend has no message.
    code.messageSid.clear();
    store.codeSent(v.id, code, into(a));
    QCOMPARE(a.v.messageSid, QString());
    store.deliveryOfMessage(QStringLiteral("SM00000000000000000000000000000002"),
                            DeliveryStatus::Failed, 1, into(a));
    QCOMPARE(a.result, Result::NotFound);
}

// A status callback's `v`: it names the verification to this store only (sealed under a key of
// its own), and moves it only while the callback's message is its current code's.
void tst_MemoryVerificationStore::statusRefs()
{
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+919876543210"));
    v.delivery = DeliveryStatus::Queued;
    v.deliveryError = 0;
    Answer a;
    store.add(v, into(a));
    const QByteArray tag = "0123456789abcdef";
    QVERIFY(store.statusRef(v.id, "short").isEmpty());
    const QByteArray ref = store.statusRef(v.id, tag);
    QVERIFY(!ref.isEmpty());
    QVERIFY(!ref.contains(v.id));
    QVERIFY(ref != store.statusRef(v.id, tag)); // a fresh nonce each time
    for (const char c : ref)
        QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');

    // Another store's, altered, or no ref at all: not this store's (the caller falls back).
    MemoryVerificationStore other(1h);
    a = {};
    QVERIFY(!store.deliveryOfSend(other.statusRef(v.id, tag), v.messageSid, DeliveryStatus::Sent, 0,
                                  into(a)));
    QByteArray altered = ref;
    altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
    QVERIFY(!store.deliveryOfSend(altered, v.messageSid, DeliveryStatus::Sent, 0, into(a)));
    QVERIFY(!store.deliveryOfSend(QByteArray(600, 'A'), v.messageSid, DeliveryStatus::Sent, 0,
                                  into(a)));
    QVERIFY(!a.answered);

    // Another message: nothing moves.
    QVERIFY(store.deliveryOfSend(ref, QStringLiteral("SM00000000000000000000000000000009"),
                                 DeliveryStatus::Sent, 0, into(a)));
    QCOMPARE(a.result, Result::NotFound);
    QVERIFY(store.deliveryOfSend(ref, QString(), DeliveryStatus::Sent, 0, into(a)));
    QCOMPARE(a.result, Result::NotFound);
    // Its message: moves on, never back.
    QVERIFY(store.deliveryOfSend(ref, v.messageSid, DeliveryStatus::Undelivered, 63016, into(a)));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.id, v.id);
    QCOMPARE(a.v.delivery, DeliveryStatus::Undelivered);
    QCOMPARE(a.v.deliveryError, 63016);
    QVERIFY(store.deliveryOfSend(ref, v.messageSid, DeliveryStatus::Delivered, 0, into(a)));
    QCOMPARE(a.result, Result::NotFound);

    // After a resend, the verification's earlier message no longer moves it.
    Verification code;
    code.messageSid = QStringLiteral("SM00000000000000000000000000000002");
    code.expiresAt = T0 + 20min;
    code.attemptsLeft = 5;
    store.codeSent(v.id, code, into(a));
    QVERIFY(store.deliveryOfSend(ref, v.messageSid, DeliveryStatus::Sent, 0, into(a)));
    QCOMPARE(a.result, Result::NotFound);
    QVERIFY(store.deliveryOfSend(ref, code.messageSid, DeliveryStatus::Read, 0, into(a)));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.delivery, DeliveryStatus::Read);
}

void tst_MemoryVerificationStore::messageOfNumber()
{
    MemoryVerificationStore store(1h);
    const PhoneNumber n = number(u"+447400123456");
    Verification v = sample(n);
    v.messageSid.clear();
    v.delivery = DeliveryStatus::Queued;
    Answer a;
    store.add(v, into(a));
    const QString sid = QStringLiteral("SMabcdefabcdefabcdefabcdefabcdefab");
    store.deliveryOfMessage(sid, DeliveryStatus::Sent, 0, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.messageOfNumber(n, sid, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.messageSid, sid);
    store.deliveryOfMessage(sid, DeliveryStatus::Sent, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.id, v.id);
    store.cancel(v.id, into(a));
    store.messageOfNumber(n, QStringLiteral("SMabcdefabcdefabcdefabcdefabcdef00"), into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.messageOfNumber(number(u"+447400123457"), sid, into(a));
    QCOMPARE(a.result, Result::NotFound);
}

void tst_MemoryVerificationStore::messageTakenOver()
{
    // Should one message id come back for another verification, its callbacks go to that one,
    // and forgetting the first does not lose it.
    MemoryVerificationStore store(1h);
    Verification first = sample(number(u"+919876543210"));
    first.expiresAt = T0;
    Verification second = sample(number(u"+919876543211"));
    second.delivery = DeliveryStatus::Queued;
    Answer a;
    store.add(first, into(a));
    store.add(second, into(a));
    store.deliveryOfMessage(second.messageSid, DeliveryStatus::Delivered, 0, into(a));
    QCOMPARE(a.v.id, second.id);
    store.sweep(T0 + 1h);
    QCOMPARE(store.size(), 1);
    store.deliveryOfMessage(second.messageSid, DeliveryStatus::Read, 0, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.id, second.id);
}

// A wrong code checked by the provider: one less than the verification has now, or the
// provider's count when that is lower; used up at none. Two answered from the same earlier
// reading each take one.
void tst_MemoryVerificationStore::wrongCodesTakeFromTheCurrentCount()
{
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+919876543210"));
    v.attemptsUsedUp = false;
    v.attemptsLeft = 5;
    Answer a;
    store.add(v, into(a));
    store.wrongCode(v.id, 59, into(a));
    QCOMPARE(a.result, Result::Ok);
    QCOMPARE(a.v.attemptsLeft, 4);
    store.wrongCode(v.id, 58, into(a));
    QCOMPARE(a.v.attemptsLeft, 3);
    QVERIFY(!a.v.attemptsUsedUp);
    store.wrongCode(v.id, 1, into(a)); // the provider's count is lower
    QCOMPARE(a.v.attemptsLeft, 1);
    store.wrongCode(v.id, 57, into(a));
    QCOMPARE(a.v.attemptsLeft, 0);
    QVERIFY(a.v.attemptsUsedUp);
    store.find(v.id, into(a));
    QCOMPARE(a.v.attemptsLeft, 0);
    QVERIFY(a.v.attemptsUsedUp);
    store.approve(v.id, into(a));
    store.wrongCode(v.id, 5, into(a));
    QCOMPARE(a.result, Result::NotFound);
}

void tst_MemoryVerificationStore::changesOnlyWhileOpen()
{
    MemoryVerificationStore store(1h);
    Verification v = sample(number(u"+919876543210"));
    v.attemptsUsedUp = false;
    Answer a;
    store.add(v, into(a));
    store.attemptsLeft(v.id, 0, true, into(a));
    QCOMPARE(a.v.attemptsLeft, 0);
    QVERIFY(a.v.attemptsUsedUp);
    store.approve(v.id, into(a));
    QCOMPARE(a.result, Result::Ok);
    QVERIFY(a.v.approved);
    store.approve(v.id, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.cancel(v.id, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.attemptsLeft(v.id, 3, false, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.codeSent(v.id, v, into(a));
    QCOMPARE(a.result, Result::NotFound);
    store.find(v.id, into(a));
    QCOMPARE(a.result, Result::Ok);
    QVERIFY(a.v.approved);
    store.find(randomId(), into(a));
    QCOMPARE(a.result, Result::NotFound);
}

void tst_MemoryVerificationStore::sweep()
{
    MemoryVerificationStore store(1h);
    QList<Verification> all;
    for (int i = 0; i < 3000; ++i) {
        Verification v =
            sample(number(QStringLiteral("+9198765%1").arg(40000 + i, 5, 10, QLatin1Char('0'))));
        v.expiresAt = T0 + std::chrono::minutes(i % 3);
        v.messageSid = QStringLiteral("SM%1").arg(i, 32, 16, QLatin1Char('0'));
        if (i % 10 == 0)
            v.locale = QStringLiteral("en");
        Answer a;
        store.add(v, into(a));
        all.append(v);
    }
    const std::size_t full = store.memoryUsed();
    // Retention: kept until an hour after the code's end, then forgotten, with its index entries.
    store.sweep(T0 + 1h);
    QCOMPARE(store.size(), 2000);
    store.sweep(T0 + 1h + 1min);
    QCOMPARE(store.size(), 1000);
    for (int i = 0; i < all.size(); ++i) {
        const bool kept = i % 3 == 2;
        Answer a;
        store.find(all[i].id, into(a));
        QCOMPARE(a.result, kept ? Result::Ok : Result::NotFound);
        if (kept)
            compareVerifications(a.v, all[i]);
        store.deliveryOfMessage(all[i].messageSid, DeliveryStatus::Delivered, 0, into(a));
        QCOMPARE(a.result, kept ? Result::Ok : Result::NotFound);
        store.deliveryOfNumber(all[i].number, DeliveryStatus::Read, 0, into(a));
        QCOMPARE(a.result, kept ? Result::Ok : Result::NotFound);
    }
    // Freed records are used again.
    for (int i = 0; i < 2000; ++i) {
        Verification v = sample(number(u"+919876543210"));
        v.messageSid.clear();
        Answer a;
        store.add(v, into(a));
    }
    QCOMPARE(store.size(), 3000);
    QVERIFY(store.memoryUsed() <= full);
    store.sweep(T0 + 2h);
    QCOMPARE(store.size(), 0);
    QCOMPARE(store.memoryUsed(), std::size_t(0)); // everything given back
}

void tst_MemoryVerificationStore::compact()
{
    // The packed form's size per verification, for numbers, ids and SIDs of the usual shapes.
    MemoryVerificationStore store(1h);
    const int n = 30000;
    for (int i = 0; i < n; ++i) {
        Verification v = sample(number(QStringLiteral("+918%1").arg(i, 9, 10, QLatin1Char('0'))));
        v.messageSid = QStringLiteral("SM%1").arg(i, 32, 16, QLatin1Char('0'));
        Answer a;
        store.add(v, into(a));
    }
    const double perVerification = double(store.memoryUsed()) / n;
    qInfo("%.0f bytes per verification", perVerification);
    QVERIFY(perVerification <= 160);
}

QTEST_GUILESS_MAIN(tst_MemoryVerificationStore)
#include "tst_memoryverificationstore.moc"
