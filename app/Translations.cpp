#include "Translations.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QTranslator>

Q_LOGGING_CATEGORY(lcI18n, "waotp.i18n", QtInfoMsg)

namespace waotp {

QString installTranslators(QApplication &app, const QString &lang)
{
    const QLocale locale = lang.isEmpty() ? QLocale::system() : QLocale(lang);
    QLocale::setDefault(locale);

    // QTranslator::load(QLocale, ...) tries "pt_BR", then "pt", so a regional variant without a
    // file of its own falls back to its language.
    auto *ours = new QTranslator(&app);
    QString loaded;
    if (ours->load(locale, QStringLiteral("waotp"), QStringLiteral("_"),
                   QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(ours);
        loaded = ours->language();
    } else {
        delete ours;
        if (locale.language() != QLocale::English && locale.language() != QLocale::C)
            qCInfo(lcI18n).noquote()
                << "no translation for" << locale.name() << "; the interface stays in English";
    }

    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    // Mirror the layout only when the words are translated too: English text laid out right
    // to left is harder to read than either.
    QGuiApplication::setLayoutDirection(loaded.isEmpty() ? Qt::LeftToRight
                                                         : locale.textDirection());
    return loaded;
}

} // namespace waotp
