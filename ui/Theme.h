#pragma once

#include <QColor>
#include <QString>
#include <QStringView>

#include <optional>

class QApplication;
class QPalette;
class QWidget;

namespace waotp {

/// The app's colour scheme: WhatsApp's light or dark palette, or whichever the system uses.
enum class Theme { System, Light, Dark };

/// "system", "light" or "dark" (for --theme); std::nullopt for anything else.
std::optional<Theme> themeFromName(QStringView name);
QString themeName(Theme theme);

/// The colours of one resolved (light or dark) theme.
struct ThemeColors
{
    bool dark = false;
    QColor header; ///< teal header bar: #008069 light, #202C33 dark
    QColor headerText;
    QColor primary; ///< green primary button: #25D366 light, #00A884 dark
    QColor primaryHover;
    QColor primaryText;
    QColor background; ///< behind the card
    QColor card;
    QColor text;
    QColor secondaryText;
    QColor border;
    QColor inputBackground;
    QColor focus;
    QColor error;
    QColor errorBackground;
    QColor link;
    QColor tickRead; ///< blue double tick
    QColor toastBackground;
    QColor toastText;
    QColor badge;
    QColor badgeText;
    QColor subtle; ///< the segmented toggle's track, the keypad keys
    QColor selection; ///< the chosen row of a list
    QColor disabled; ///< the background of disabled controls
};

/// The colours of the light (@p dark false) or dark theme.
ThemeColors themeColors(bool dark);
/// True if @p palette looks dark (its window colour is darker than its text).
bool isDarkPalette(const QPalette &palette);

/// Applies @p theme to the whole application: Fusion style, palette and style sheet.
/// Theme::System follows the palette the platform gave the application at start-up.
/// Call after QApplication is constructed; calling again switches the theme.
void applyTheme(QApplication &app, Theme theme);
/// Gives every widget under @p root a font derived from root's font by its role: titles
/// larger and bold (dynamic property role="title", "headerTitle", "number"), primary buttons
/// and keypad keys bold and larger, other buttons and widgets with bold=true bold, the rest
/// root's font. Digit boxes (digitBox=true) size their own font. Call again after root's font
/// changes. (An application style sheet stops Qt from passing fonts down by itself.)
void applyRoleFonts(QWidget *root);

/// Re-applies the style sheet to @p widget after one of its dynamic properties changed (the
/// style sheet styles by property, e.g. [error="true"]), keeping the widget's font: unpolishing
/// would otherwise drop a font set on it.
void repolish(QWidget *widget);

/// The colours applied last (light until applyTheme() is called).
ThemeColors currentThemeColors();

} // namespace waotp
