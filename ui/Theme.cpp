#include "Theme.h"

#include "Icons.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

namespace waotp {

namespace {

ThemeColors g_current = themeColors(false);

QString hex(const QColor &c)
{
    return c.alpha() == 255 ? c.name(QColor::HexRgb) : c.name(QColor::HexArgb);
}

QPalette paletteFor(const ThemeColors &c)
{
    QPalette p;
    p.setColor(QPalette::Window, c.background);
    p.setColor(QPalette::WindowText, c.text);
    p.setColor(QPalette::Base, c.inputBackground);
    p.setColor(QPalette::AlternateBase, c.card);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::PlaceholderText, c.secondaryText);
    p.setColor(QPalette::Button, c.card);
    p.setColor(QPalette::ButtonText, c.text);
    p.setColor(QPalette::BrightText, c.error);
    p.setColor(QPalette::Highlight, c.header);
    p.setColor(QPalette::HighlightedText, c.headerText);
    p.setColor(QPalette::Link, c.link);
    p.setColor(QPalette::LinkVisited, c.link);
    p.setColor(QPalette::ToolTipBase, c.toastBackground);
    p.setColor(QPalette::ToolTipText, c.toastText);
    p.setColor(QPalette::Light, c.card.lighter(110));
    p.setColor(QPalette::Midlight, c.border.lighter(110));
    p.setColor(QPalette::Mid, c.border);
    p.setColor(QPalette::Dark, c.border.darker(130));
    p.setColor(QPalette::Shadow, QColor(0, 0, 0, 80));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        QColor disabled = c.secondaryText;
        disabled.setAlpha(170);
        p.setColor(QPalette::Disabled, role, disabled);
    }
    return p;
}

QString styleSheetFor(const ThemeColors &c)
{
    initUiResources();
    QFile file(QStringLiteral(":/styles/app.qss"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString qss = QString::fromUtf8(file.readAll());
    const std::pair<const char *, QColor> tokens[] = {
        {"@header@", c.header},
        {"@headerText@", c.headerText},
        {"@primary@", c.primary},
        {"@primaryHover@", c.primaryHover},
        {"@primaryText@", c.primaryText},
        {"@background@", c.background},
        {"@card@", c.card},
        {"@text@", c.text},
        {"@secondaryText@", c.secondaryText},
        {"@border@", c.border},
        {"@inputBackground@", c.inputBackground},
        {"@focus@", c.focus},
        {"@error@", c.error},
        {"@errorBackground@", c.errorBackground},
        {"@link@", c.link},
        {"@tickRead@", c.tickRead},
        {"@toastBackground@", c.toastBackground},
        {"@toastText@", c.toastText},
        {"@badge@", c.badge},
        {"@badgeText@", c.badgeText},
        {"@subtle@", c.subtle},
        {"@selection@", c.selection},
        {"@disabled@", c.disabled},
    };
    for (const auto &[token, color] : tokens)
        qss.replace(QLatin1String(token), hex(color));
    return qss;
}

} // namespace

std::optional<Theme> themeFromName(QStringView name)
{
    if (name == u"system")
        return Theme::System;
    if (name == u"light")
        return Theme::Light;
    if (name == u"dark")
        return Theme::Dark;
    return std::nullopt;
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QStringLiteral("system");
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    }
    return {};
}

ThemeColors themeColors(bool dark)
{
    // WhatsApp's own palette (web and desktop, 2023). Button text is dark on green: white on
    // #25D366 would fail WCAG contrast.
    ThemeColors c;
    c.dark = dark;
    if (!dark) {
        c.header = QColor(0x00, 0x80, 0x69);
        c.headerText = QColor(0xFF, 0xFF, 0xFF);
        c.primary = QColor(0x25, 0xD3, 0x66);
        c.primaryHover = QColor(0x1F, 0xC0, 0x5B);
        c.primaryText = QColor(0x11, 0x1B, 0x21);
        c.background = QColor(0xF0, 0xF2, 0xF5);
        c.card = QColor(0xFF, 0xFF, 0xFF);
        c.text = QColor(0x11, 0x1B, 0x21);
        c.secondaryText = QColor(0x54, 0x65, 0x6F);
        c.border = QColor(0xD1, 0xD7, 0xDB);
        c.inputBackground = QColor(0xFF, 0xFF, 0xFF);
        c.focus = QColor(0x00, 0x80, 0x69);
        c.error = QColor(0xD4, 0x2A, 0x3C);
        c.errorBackground = QColor(0xFD, 0xE8, 0xEB);
        c.link = QColor(0x00, 0x80, 0x69);
        c.tickRead = QColor(0x02, 0x7E, 0xB5);
        c.toastBackground = QColor(0x11, 0x1B, 0x21);
        c.toastText = QColor(0xFF, 0xFF, 0xFF);
        c.badge = QColor(0xFF, 0xD2, 0x79);
        c.badgeText = QColor(0x11, 0x1B, 0x21);
        c.subtle = QColor(0xF0, 0xF2, 0xF5);
        c.selection = QColor(0xD9, 0xFD, 0xD3);
        c.disabled = QColor(0xE9, 0xED, 0xEF);
    } else {
        c.header = QColor(0x20, 0x2C, 0x33);
        c.headerText = QColor(0xE9, 0xED, 0xEF);
        c.primary = QColor(0x00, 0xA8, 0x84);
        c.primaryHover = QColor(0x06, 0xCF, 0x9C);
        c.primaryText = QColor(0x11, 0x1B, 0x21);
        c.background = QColor(0x0B, 0x14, 0x1A);
        c.card = QColor(0x11, 0x1B, 0x21);
        c.text = QColor(0xE9, 0xED, 0xEF);
        c.secondaryText = QColor(0x8D, 0x9D, 0xA6);
        c.border = QColor(0x37, 0x42, 0x48);
        c.inputBackground = QColor(0x20, 0x2C, 0x33);
        c.focus = QColor(0x00, 0xA8, 0x84);
        c.error = QColor(0xF1, 0x5C, 0x6D);
        c.errorBackground = QColor(0x3B, 0x1F, 0x25);
        c.link = QColor(0x00, 0xA8, 0x84);
        c.tickRead = QColor(0x53, 0xBD, 0xEB);
        c.toastBackground = QColor(0xE9, 0xED, 0xEF);
        c.toastText = QColor(0x11, 0x1B, 0x21);
        c.badge = QColor(0xFF, 0xD2, 0x79);
        c.badgeText = QColor(0x11, 0x1B, 0x21);
        c.subtle = QColor(0x20, 0x2C, 0x33);
        c.selection = QColor(0x00, 0x5C, 0x4B);
        c.disabled = QColor(0x2A, 0x39, 0x42);
    }
    return c;
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
        < palette.color(QPalette::WindowText).lightness();
}

void applyTheme(QApplication &app, Theme theme)
{
    // The platform's palette as the application started: what "system" means.
    static const bool systemIsDark = isDarkPalette(QApplication::palette());
    const bool dark = theme == Theme::Dark || (theme == Theme::System && systemIsDark);
    g_current = themeColors(dark);
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(paletteFor(g_current));
    app.setStyleSheet(styleSheetFor(g_current));
    app.setProperty("waotpTheme", dark ? QStringLiteral("dark") : QStringLiteral("light"));
}

namespace {
void scaledFont(QWidget *w, const QFont &base, double factor, bool bold)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * factor);
    f.setBold(bold);
    w->setFont(f);
}
} // namespace

void applyRoleFonts(QWidget *root)
{
    const QFont base = root->font();
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (w->property("digitBox").toBool())
            continue;
        const QString role = w->property("role").toString();
        if (w->property("keypadKey").toBool())
            scaledFont(w, base, 1.4, true);
        else if (role == QLatin1String("title"))
            scaledFont(w, base, 1.45, true);
        else if (role == QLatin1String("headerTitle"))
            scaledFont(w, base, 1.15, true);
        else if (role == QLatin1String("number"))
            scaledFont(w, base, 1.2, true);
        else if (role == QLatin1String("primary"))
            scaledFont(w, base, 1.05, true);
        else if (qobject_cast<QAbstractButton *>(w) || w->property("bold").toBool())
            scaledFont(w, base, 1.0, true);
        else
            w->setFont(base);
    }
}

void repolish(QWidget *widget)
{
    const QFont font = widget->font();
    const bool explicitFont = widget->testAttribute(Qt::WA_SetFont);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    if (explicitFont)
        widget->setFont(font);
    widget->update();
}

ThemeColors currentThemeColors()
{
    return g_current;
}

} // namespace waotp
