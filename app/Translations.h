#pragma once

#include <QString>

class QApplication;

namespace waotp {

/// Loads the language of the user interface: @p lang (from --lang, e.g. "hi" or "pt_BR"), or the
/// system locale when empty. Installs two translators on @p app: the app's own strings
/// (`:/i18n/waotp_<lang>.qm`, compiled into the UI library) and Qt's standard ones
/// (`qtbase_<lang>.qm` from QLibraryInfo::TranslationsPath, e.g. the buttons of a message box).
/// Sets the default QLocale and the layout direction (right to left for Arabic).
///
/// Returns the name of the waotp translation loaded (e.g. "pt_BR"), or an empty string when the
/// interface stays in English (the source language, or no translation for @p lang).
QString installTranslators(QApplication &app, const QString &lang);

} // namespace waotp
