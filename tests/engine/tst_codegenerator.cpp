#include "engine/CodeGenerator.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <array>
#include <vector>

using namespace waotp;

namespace {

// Pearson's chi-square statistic of observed counts against a uniform expectation.
double chiSquare(const std::array<qint64, 10> &counts)
{
    qint64 total = 0;
    for (qint64 c : counts)
        total += c;
    const double expected = double(total) / 10.0;
    double chi = 0;
    for (qint64 c : counts)
        chi += (double(c) - expected) * (double(c) - expected) / expected;
    return chi;
}

// Critical value for 9 degrees of freedom at p = 1e-6: a correct generator fails this check
// about once in a million runs per position.
constexpr double ChiSquareLimit = 45.3;

struct DigitStats
{
    std::array<std::array<qint64, 10>, CodeLength> perPosition {};
    std::array<qint64, 10> overall {};
};

DigitStats collect(const RandomWords &random, int samples)
{
    DigitStats s;
    for (int i = 0; i < samples; ++i) {
        const QString code = generateCode(random);
        for (int p = 0; p < CodeLength; ++p) {
            const int d = code.at(p).unicode() - u'0';
            ++s.perPosition[p][d];
            ++s.overall[d];
        }
    }
    return s;
}

} // namespace

class tst_CodeGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shape();
    void digitsAreUniform();
    void statisticCatchesABiasedSource();
    void rejectsWordsAboveTheLimit();
    void keepsLeadingZeros();
    void wellFormed_data();
    void wellFormed();
};

void tst_CodeGenerator::shape()
{
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i) {
        const QString code = generateCode();
        QVERIFY(isWellFormedCode(code));
        seen.insert(code);
    }
    // 1000 draws from a million values: a repeat or two is possible, many are not.
    QVERIFY(seen.size() > 990);
}

void tst_CodeGenerator::digitsAreUniform()
{
    const int samples = 200'000;
    const DigitStats s = collect([] { return QRandomGenerator::system()->generate(); }, samples);
    for (int p = 0; p < CodeLength; ++p) {
        const double chi = chiSquare(s.perPosition[p]);
        QVERIFY2(chi < ChiSquareLimit,
                 qPrintable(QStringLiteral("position %1: chi2 = %2").arg(p).arg(chi)));
    }
    const double chi = chiSquare(s.overall);
    QVERIFY2(chi < ChiSquareLimit, qPrintable(QStringLiteral("all digits: chi2 = %1").arg(chi)));
}

void tst_CodeGenerator::statisticCatchesABiasedSource()
{
    // A source whose words cluster in the lower part of the range makes leading digits small:
    // the same check must fail for it, or it proves nothing.
    quint32 state = 1;
    const RandomWords biased = [&state] {
        state = state * 1664525u + 1013904223u;
        return quint32(state % 600'000u);
    };
    const DigitStats s = collect(biased, 200'000);
    QVERIFY(chiSquare(s.perPosition[0]) > ChiSquareLimit);
}

void tst_CodeGenerator::rejectsWordsAboveTheLimit()
{
    // 4,294,000,000 is the largest multiple of 10^6 below 2^32: from there on words are redrawn.
    std::vector<quint32> words {4'294'000'000u, 4'294'967'295u, 4'293'999'999u};
    std::size_t used = 0;
    const QString code = generateCode([&] { return words.at(used++); });
    QCOMPARE(used, std::size_t(3));
    QCOMPARE(code, QStringLiteral("999999"));
}

void tst_CodeGenerator::keepsLeadingZeros()
{
    QCOMPARE(generateCode([] { return 42u; }), QStringLiteral("000042"));
    QCOMPARE(generateCode([] { return 0u; }), QStringLiteral("000000"));
    QCOMPARE(generateCode([] { return 1'000'007u; }), QStringLiteral("000007"));
}

void tst_CodeGenerator::wellFormed_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("ok");
    QTest::newRow("six digits") << QStringLiteral("012345") << true;
    QTest::newRow("five") << QStringLiteral("12345") << false;
    QTest::newRow("seven") << QStringLiteral("1234567") << false;
    QTest::newRow("letter") << QStringLiteral("12345a") << false;
    QTest::newRow("space") << QStringLiteral("123 45") << false;
    QTest::newRow("arabic-indic digits")
        << QStringLiteral("\u0661\u0662\u0663\u0664\u0665\u0666") << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_CodeGenerator::wellFormed()
{
    QFETCH(QString, code);
    QFETCH(bool, ok);
    QCOMPARE(isWellFormedCode(code), ok);
}

QTEST_GUILESS_MAIN(tst_CodeGenerator)
#include "tst_codegenerator.moc"
