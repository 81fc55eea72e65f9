#include "CodeHasher.h"

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
    Digest a{};
    Digest b{};
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
    // (python3 -c "import hmac,hashlib;print(hmac.new(b'k',b'waotp-subject\0+10',hashlib.sha256).hexdigest())").
    CodeHasher h(QByteArrayLiteral("k"));
    QCOMPARE(CodeHasher::toHex(h.subjectKey(u"+10")), QByteArray("dcbe93094eb4fd078752ae08da94a4424662f612eaf4492758ee21c413650e27"));
}

QTEST_GUILESS_MAIN(tst_CodeHasher)
#include "tst_codehasher.moc"
