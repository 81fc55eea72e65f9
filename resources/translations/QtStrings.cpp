// Not compiled: lists strings that Qt looks up in the application's translations, so that lupdate
// keeps them in every .ts file.
#include <QtGlobal>

// QGuiApplication lays every widget out right to left when the installed translation of this
// string is "RTL" (Arabic); the code boxes opt out and stay left to right.
QT_TRANSLATE_NOOP3("QGuiApplication", "QT_LAYOUT_DIRECTION",
                   "Translate this string to the string 'LTR' in left-to-right languages or to "
                   "'RTL' in right-to-left languages (such as Hebrew and Arabic) to get proper "
                   "widget layout.")
