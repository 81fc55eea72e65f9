#include "Theme.h"

#include <QApplication>
#include <QPalette>

namespace waotp {

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
    ThemeColors c;
    c.dark = dark;
    c.header = dark ? QColor(0x20, 0x2C, 0x33) : QColor(0x00, 0x80, 0x69);
    c.primary = dark ? QColor(0x00, 0xA8, 0x84) : QColor(0x25, 0xD3, 0x66);
    return c;
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
        < palette.color(QPalette::WindowText).lightness();
}

namespace {
bool g_dark = false;
}

void applyTheme(QApplication &app, Theme theme)
{
    g_dark = theme == Theme::Dark || (theme == Theme::System && isDarkPalette(app.palette()));
}

ThemeColors currentThemeColors()
{
    return themeColors(g_dark);
}

} // namespace waotp
