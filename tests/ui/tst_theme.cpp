// The light and dark themes: WhatsApp's colours, readable contrast, applied to the whole app.
#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QTest>

#include <cmath>

using namespace waotp;

namespace {

// WCAG 2 relative luminance and contrast ratio.
double luminance(const QColor &c)
{
    auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class tst_Theme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void whatsAppColours();
    void contrast_data();
    void contrast();
    void apply_data();
    void apply();
    void systemFollowsThePlatform();
};

void tst_Theme::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("theme"); // -1: not a theme
    QTest::newRow("system") << QStringLiteral("system") << int(Theme::System);
    QTest::newRow("light") << QStringLiteral("light") << int(Theme::Light);
    QTest::newRow("dark") << QStringLiteral("dark") << int(Theme::Dark);
    QTest::newRow("upper case") << QStringLiteral("Dark") << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("other") << QStringLiteral("blue") << -1;
}

void tst_Theme::names()
{
    QFETCH(QString, name);
    QFETCH(int, theme);
    const std::optional<Theme> parsed = themeFromName(name);
    QCOMPARE(parsed ? int(*parsed) : -1, theme);
    if (parsed)
        QCOMPARE(themeName(*parsed), name);
}

void tst_Theme::whatsAppColours()
{
    QCOMPARE(themeColors(false).header, QColor(QStringLiteral("#008069")));
    QCOMPARE(themeColors(true).header, QColor(QStringLiteral("#202C33")));
    QCOMPARE(themeColors(false).primary, QColor(QStringLiteral("#25D366")));
    QCOMPARE(themeColors(true).primary, QColor(QStringLiteral("#00A884")));
}

void tst_Theme::contrast_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_Theme::contrast()
{
    QFETCH(bool, dark);
    const ThemeColors c = themeColors(dark);
    // WCAG AA: 4.5:1 for text.
    const struct
    {
        const char *what;
        QColor fg, bg;
    } pairs[] = {
        {"text on card", c.text, c.card},
        {"secondary text on card", c.secondaryText, c.card},
        {"error on card", c.error, c.card},
        {"link on card", c.link, c.card},
        {"button text on primary", c.primaryText, c.primary},
        {"header text on header", c.headerText, c.header},
        {"toast text", c.toastText, c.toastBackground},
        {"badge text", c.badgeText, c.badge},
        {"text in inputs", c.text, c.inputBackground},
        {"read ticks on card", c.tickRead, c.card},
    };
    for (const auto &p : pairs) {
        const double ratio = ::contrast(p.fg, p.bg);
        QVERIFY2(ratio >= 4.5,
                 qPrintable(
                     QStringLiteral("%1: %2:1").arg(QLatin1String(p.what)).arg(ratio, 0, 'f', 2)));
    }
}

void tst_Theme::apply_data()
{
    QTest::addColumn<Theme>("theme");
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << Theme::Light << false;
    QTest::newRow("dark") << Theme::Dark << true;
}

void tst_Theme::apply()
{
    QFETCH(Theme, theme);
    QFETCH(bool, dark);
    applyTheme(*qApp, theme);
    const ThemeColors c = themeColors(dark);
    QCOMPARE(currentThemeColors().header, c.header);
    QCOMPARE(QApplication::palette().color(QPalette::Window), c.background);
    QCOMPARE(isDarkPalette(QApplication::palette()), dark);
    const QString qss = qApp->styleSheet();
    QVERIFY(qss.contains(c.header.name(), Qt::CaseInsensitive));
    QVERIFY(qss.contains(c.primary.name(), Qt::CaseInsensitive));
    QVERIFY2(!qss.contains(QLatin1Char('@')), "a colour token was not replaced");
}

void tst_Theme::systemFollowsThePlatform()
{
    // The offscreen platform's palette is light: "system" resolves to the light theme, even
    // after the dark one was applied.
    applyTheme(*qApp, Theme::Dark);
    applyTheme(*qApp, Theme::System);
    QVERIFY(!currentThemeColors().dark);
    QCOMPARE(QApplication::palette().color(QPalette::Window), themeColors(false).background);
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
