#include "engine/CodeHasher.h"

#include <QTest>

using namespace waotp;

class tst_CodeHasher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deterministicPerKey();
    void keysDiffer();
    void bindsCodeToSubject();
    void equalIsExact();
    void knownVector();
    void knownCodeVector();
    void longKeyAndNonAsciiText();
    void copiesShareTheKey();
};

void tst_CodeHasher::deterministicPerKey()
{
    CodeHasher h;
    QVERIFY(CodeHasher::equal(h.subjectKey(u"+919876543210"), h.subjectKey(u"+919876543210")));
    QVERIFY(!CodeHasher::equal(h.subjectKey(u"+919876543210"), h.subjectKey(u"+919876543211")));
}

void tst_CodeHasher::keysDiffer()
{
    // Two processes (two random keys) never agree: a stolen memory dump of one says nothing
    // about the numbers hashed by another.
    CodeHasher a, b;
    QVERIFY(!CodeHasher::equal(a.subjectKey(u"+919876543210"), b.subjectKey(u"+919876543210")));
    CodeHasher c(QByteArrayLiteral("shared secret"));
    CodeHasher d(QByteArrayLiteral("shared secret"));
    QVERIFY(CodeHasher::equal(c.subjectKey(u"+919876543210"), d.subjectKey(u"+919876543210")));
}

void tst_CodeHasher::bindsCodeToSubject()
{
    CodeHasher h;
    const Digest s1 = h.subjectKey(u"+919876543210");
    const Digest s2 = h.subjectKey(u"+14155552671");
    QVERIFY(!CodeHasher::equal(h.codeMac(s1, u"123456"), h.codeMac(s2, u"123456")));
    QVERIFY(!CodeHasher::equal(h.codeMac(s1, u"123456"), h.codeMac(s1, u"123457")));
    QVERIFY(CodeHasher::equal(h.codeMac(s1, u"123456"), h.codeMac(s1, u"123456")));
}

void tst_CodeHasher::equalIsExact()
{
    Digest a {};
    Digest b {};
    QVERIFY(CodeHasher::equal(a, b));
    for (std::size_t i = 0; i < b.size(); ++i) {
        b = a;
        b[i] = 1;
        QVERIFY(!CodeHasher::equal(a, b));
    }
}

void tst_CodeHasher::knownVector()
{
    // HMAC-SHA-256(key = "k", "waotp-subject" NUL "+10") computed independently
    // (python3 -c "import
    // hmac,hashlib;print(hmac.new(b'k',b'waotp-subject\0+10',hashlib.sha256).hexdigest())").
    CodeHasher h(QByteArrayLiteral("k"));
    QCOMPARE(CodeHasher::toHex(h.subjectKey(u"+10")),
             QByteArray("dcbe93094eb4fd078752ae08da94a4424662f612eaf4492758ee21c413650e27"));
}

void tst_CodeHasher::knownCodeVector()
{
    // HMAC-SHA-256(key = "k", "waotp-code" NUL subject "012345"), subject as in knownVector():
    // python3 -c "import
    // hmac,hashlib;s=hmac.new(b'k',b'waotp-subject\0+10',hashlib.sha256).digest();
    //             print(hmac.new(b'k',b'waotp-code\0'+s+b'012345',hashlib.sha256).hexdigest())"
    CodeHasher h(QByteArrayLiteral("k"));
    QCOMPARE(CodeHasher::toHex(h.codeMac(h.subjectKey(u"+10"), u"012345")),
             QByteArray("40430c5b1fb267e7b67b2ed2ea9dcdace8c7379a6440bcb4d6effe339a84b953"));
}

void tst_CodeHasher::longKeyAndNonAsciiText()
{
    // A key longer than SHA-256's block is hashed first (RFC 2104); text is hashed as UTF-8.
    QByteArray key(100, Qt::Uninitialized);
    for (int i = 0; i < key.size(); ++i)
        key[i] = char(i);
    QCOMPARE(CodeHasher::toHex(CodeHasher(key).subjectKey(u"+919876543210")),
             QByteArray("a8d6f93d40c2b18007621594558fa9df3f316c29106246a815f048af77a22cc3"));
    QCOMPARE(CodeHasher::toHex(CodeHasher(QByteArrayLiteral("k")).subjectKey(u"+\u00E9")),
             QByteArray("5c4d7699ef44321e187603e262605849e4bc43441a2504d2f62a973accce0147"));
}

void tst_CodeHasher::copiesShareTheKey()
{
    const CodeHasher a;
    const CodeHasher b = a; // the engine takes its hasher by value
    QVERIFY(CodeHasher::equal(a.subjectKey(u"+919876543210"), b.subjectKey(u"+919876543210")));
    const Digest s = a.subjectKey(u"+919876543210");
    QVERIFY(CodeHasher::equal(a.codeMac(s, u"123456"), b.codeMac(s, u"123456")));
}

QTEST_GUILESS_MAIN(tst_CodeHasher)
#include "tst_codehasher.moc"
