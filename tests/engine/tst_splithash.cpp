// SplitHash: a hash table in 256 parts that grow one at a time, and are pruned one at a time.
#include "engine/SplitHash.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <vector>

using waotp::SplitHash;

namespace {

QByteArray keyNumber(int i)
{
    return QByteArray::number(i).rightJustified(12, '0');
}

std::vector<qsizetype> capacities(const SplitHash<QByteArray, int> &table)
{
    std::vector<qsizetype> out;
    for (std::size_t p = 0; p < SplitHash<QByteArray, int>::Parts; ++p)
        out.push_back(table.part(p).capacity());
    return out;
}

} // namespace

class TestSplitHash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The same answers as one QHash, through random insertions, replacements and removals.
    void answersAsOneHashWould()
    {
        SplitHash<QByteArray, int> split;
        QHash<QByteArray, int> plain;
        QRandomGenerator random(20261207);
        for (int step = 0; step < 50000; ++step) {
            const QByteArray key = keyNumber(random.bounded(5000));
            switch (random.bounded(3)) {
            case 0:
            case 1:
                split.insert(key, step);
                plain.insert(key, step);
                break;
            case 2:
                QCOMPARE(split.remove(key), plain.remove(key));
                break;
            }
            if (step % 1000 == 0) {
                QCOMPARE(split.size(), plain.size());
                for (int k = 0; k < 5000; ++k) {
                    const QByteArray probe = keyNumber(k);
                    QCOMPARE(split.contains(probe), plain.contains(probe));
                    QCOMPARE(split.value(probe, -1), plain.value(probe, -1));
                }
            }
        }
        split.clear();
        QCOMPARE(split.size(), 0);
        QVERIFY(!split.contains(keyNumber(1)));
    }

    // Keys spread over every part, about evenly (each within a fifth of the mean: more than six
    // standard deviations at 1,000 keys a part).
    void keysSpreadOverTheParts()
    {
        SplitHash<QByteArray, int> table;
        constexpr int Keys = 256 * 1000;
        for (int i = 0; i < Keys; ++i)
            table.insert(keyNumber(i), i);
        QCOMPARE(table.size(), Keys);
        for (std::size_t p = 0; p < SplitHash<QByteArray, int>::Parts; ++p) {
            const qsizetype n = table.part(p).size();
            QVERIFY2(n > 800 && n < 1200,
                     qPrintable(QStringLiteral("part %1 has %2").arg(p).arg(n)));
        }
    }

    // What a growing table moves at once: one insertion grows at most one part, never the rest.
    void oneInsertionGrowsAtMostOnePart()
    {
        SplitHash<QByteArray, int> table;
        for (int i = 0; i < 100000; ++i)
            table.insert(keyNumber(i), i);
        int grew = 0;
        std::vector<qsizetype> before = capacities(table);
        for (int i = 100000; i < 120000; ++i) {
            table.insert(keyNumber(i), i);
            const std::vector<qsizetype> after = capacities(table);
            int changed = 0;
            for (std::size_t p = 0; p < after.size(); ++p)
                changed += after[p] != before[p];
            QVERIFY(changed <= 1);
            grew += changed;
            before = after;
        }
        QVERIFY(grew > 0); // the parts did grow in that time, one at a time
    }

    // Stale entries leave as their parts grow; what is still of use stays.
    void pruningKeepsWhatIsOfUse()
    {
        SplitHash<QByteArray, int> table;
        // 100,000 entries of "minute 0", then 100,000 of "minute 1", each pruned of what is
        // older than the minute before it: minute 0 is stale once minute 1 comes.
        int minute = 0;
        const auto stale = [&minute](int at) { return at < minute; };
        for (int i = 0; i < 100000; ++i) {
            table.pruneBefore(keyNumber(i), stale);
            table.insert(keyNumber(i), minute);
        }
        QCOMPARE(table.size(), 100000); // nothing was stale
        minute = 1;
        for (int i = 100000; i < 300000; ++i) {
            table.pruneBefore(keyNumber(i), stale);
            table.insert(keyNumber(i), minute);
        }
        // Every entry of minute 1 is there; most of minute 0 has gone, part by part.
        for (int i = 100000; i < 300000; ++i)
            QVERIFY(table.contains(keyNumber(i)));
        int left = 0;
        for (int i = 0; i < 100000; ++i)
            left += table.contains(keyNumber(i));
        QVERIFY2(left < 10000, qPrintable(QString::number(left)));
        // Without pruning, every entry stays.
        SplitHash<QByteArray, int> unpruned;
        for (int i = 0; i < 300000; ++i)
            unpruned.insert(keyNumber(i), 0);
        QCOMPARE(unpruned.size(), 300000);
    }
};

QTEST_APPLESS_MAIN(TestSplitHash)
#include "tst_splithash.moc"
