// WrapLabel answers heightForWidth() from memory: always what QLabel itself computes now.
#include "WrapLabel.h"

#include <QTest>

using namespace waotp;

class tst_WrapLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameAnswersAsQLabel();
    void answersFromMemory();
};

namespace {

const QString Long = QStringLiteral("Create your account with your phone number. We'll send you a "
                                    "6-digit code on WhatsApp.");

// A QLabel set up like @p label, to compute the expected height afresh.
int expected(const WrapLabel &label, int width)
{
    QLabel plain(label.text());
    plain.setWordWrap(label.wordWrap());
    plain.setFont(label.font());
    plain.setContentsMargins(label.contentsMargins());
    plain.setMargin(label.margin());
    plain.setIndent(label.indent());
    plain.setAlignment(label.alignment());
    plain.setTextFormat(label.textFormat());
    plain.setLayoutDirection(label.layoutDirection());
    return plain.heightForWidth(width);
}

// Counts how often the label really lays its text out.
class CountingLabel final : public WrapLabel
{
public:
    using WrapLabel::WrapLabel;
    mutable int layouts = 0;

protected:
    int layoutHeightForWidth(int width) const override
    {
        ++layouts;
        return WrapLabel::layoutHeightForWidth(width);
    }
};

} // namespace

void tst_WrapLabel::sameAnswersAsQLabel()
{
    WrapLabel label(Long);
    QVERIFY(label.wordWrap());
    const QList<int> widths {80, 160, 240, 400, 160, 80, 1000};
    auto check = [&](const char *what) {
        for (const int w : widths) {
            if (label.heightForWidth(w) != expected(label, w))
                return QString::fromLatin1("%1: width %2: %3, QLabel %4")
                    .arg(QLatin1String(what))
                    .arg(w)
                    .arg(label.heightForWidth(w))
                    .arg(expected(label, w));
        }
        return QString();
    };
    auto verify = [&](const char *what) {
        const QString problem = check(what);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    };
    verify("initial");
    QVERIFY(label.heightForWidth(80) > label.heightForWidth(400)); // it does wrap

    label.setText(Long + QLatin1Char(' ') + Long);
    verify("longer text");
    QFont big = label.font();
    big.setPointSizeF(big.pointSizeF() * 2);
    label.setFont(big);
    verify("larger font");
    label.setContentsMargins(30, 10, 30, 10);
    verify("contents margins");
    label.setMargin(12);
    verify("margin");
    label.setIndent(40);
    verify("indent");
    label.setTextFormat(Qt::RichText);
    label.setText(QStringLiteral("<b>%1</b><br><br>%1").arg(Long));
    verify("rich text");
    label.setWordWrap(false);
    verify("no wrap");
}

void tst_WrapLabel::answersFromMemory()
{
    CountingLabel label(Long);
    const int first = label.heightForWidth(120);
    QCOMPARE(label.layouts, 1);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(label.heightForWidth(120), first);
    QCOMPARE(label.layouts, 1);
    // A few widths are remembered at once (a layout alternates between some).
    const int wide = label.heightForWidth(400);
    label.heightForWidth(200);
    label.heightForWidth(120);
    label.heightForWidth(400);
    QCOMPARE(label.layouts, 3);
    QVERIFY(wide < first);
    // Anything the height depends on makes it lay the text out again.
    label.setText(QStringLiteral("Short"));
    QVERIFY(label.heightForWidth(120) < first);
    QCOMPARE(label.layouts, 4);
    label.setText(Long);
    QCOMPARE(label.heightForWidth(120), first);
    QCOMPARE(label.layouts, 5);
    QFont bold = label.font();
    bold.setBold(true);
    label.setFont(bold);
    label.heightForWidth(120);
    QCOMPARE(label.layouts, 6);
}

QTEST_MAIN(tst_WrapLabel)
#include "tst_wraplabel.moc"
