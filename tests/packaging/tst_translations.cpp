// The translations: every string of every language is translated with its placeholders and
// keyboard accelerator intact; the compiled translations are in the UI library's resources; the
// dialog and the message templates come out translated at run time; Arabic is laid out right to
// left, with the code boxes still left to right.
#include "OtpCodeInput.h"
#include "VerificationDialog.h"
#include "engine/AccountStore.h"
#include "engine/CodeHasher.h"
#include "engine/DemoSender.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"
#include "network/twilio/TwilioError.h"
#include "network/twilio/TwilioMessagesSender.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QString comment;
    bool finished = true;
    QStringList translations; // one, or one per plural form
};

// Reads a Qt Linguist .ts file.
std::vector<TsMessage> readTs(const QString &path)
{
    std::vector<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            message = TsMessage {context, {}, {}, true, {}};
        } else if (name == u"source") {
            message.source = xml.readElementText();
        } else if (name == u"comment") {
            message.comment = xml.readElementText();
        } else if (name == u"translation") {
            const auto type = xml.attributes().value(QLatin1String("type"));
            message.finished = type.isEmpty();
            // A plural message holds <numerusform> children; a plain one holds the text.
            QString text;
            while (!(xml.isEndElement() && xml.name() == u"translation") && !xml.atEnd()) {
                xml.readNext();
                if (xml.isStartElement() && xml.name() == u"numerusform")
                    message.translations.append(xml.readElementText());
                else if (xml.isCharacters())
                    text += xml.text();
            }
            if (message.translations.isEmpty())
                message.translations.append(text);
            messages.push_back(message);
        }
    }
    if (xml.hasError())
        qWarning("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return messages;
}

// %1, %2, %n, %L1 ... in the order of their numbers: what QString::arg() and tr() fill in.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(L?[0-9]+|n|Ln)"));
    QStringList found;
    for (const auto &match : re.globalMatch(text))
        found.append(match.captured());
    found.sort();
    found.removeDuplicates();
    return found;
}

// A keyboard accelerator: "&" before a character other than "&" ("&&" is a literal "&").
bool hasAccelerator(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("(^|[^&])(&&)*&[^&\\s]"));
    return re.match(text).hasMatch();
}

const QString tsDir = QStringLiteral(WAOTP_TS_DIR);

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void tsFileComplete_data();
    void tsFileComplete();
    void compiledIntoResources_data();
    void compiledIntoResources();
    void messageTemplate_data();
    void messageTemplate();
    void pluralForms_data();
    void pluralForms();
    void sendErrorDescribed_data();
    void sendErrorDescribed();
    void dialogTranslated_data();
    void dialogTranslated();
    void layoutDirection_data();
    void layoutDirection();
    void codeBoxesStayLeftToRight();

private:
    bool installLanguage(const QString &lang);
    std::vector<std::unique_ptr<QTranslator>> m_translators;
};

bool tst_Translations::installLanguage(const QString &lang)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(QStringLiteral(":/i18n/waotp_") + lang)
        || !QCoreApplication::installTranslator(translator.get())) {
        qWarning("cannot load or install :/i18n/waotp_%s.qm", qPrintable(lang));
        return false;
    }
    m_translators.push_back(std::move(translator));
    return true;
}

void tst_Translations::cleanup()
{
    for (const auto &translator : m_translators)
        QCoreApplication::removeTranslator(translator.get());
    m_translators.clear();
    // Back to "follow the translation", which is what an application that sets nothing gets.
    QGuiApplication::setLayoutDirection(Qt::LayoutDirectionAuto);
}

void tst_Translations::tsFileComplete_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("direction");
    QTest::newRow("hi") << u"hi"_s << u"LTR"_s;
    QTest::newRow("es") << u"es"_s << u"LTR"_s;
    QTest::newRow("pt_BR") << u"pt_BR"_s << u"LTR"_s;
    QTest::newRow("ar") << u"ar"_s << u"RTL"_s;
}

void tst_Translations::tsFileComplete()
{
    QFETCH(QString, lang);
    QFETCH(QString, direction);
    const auto messages = readTs(tsDir + u"/waotp_" + lang + u".ts");
    QVERIFY(messages.size() > 50);

    QStringList problems;
    for (const TsMessage &m : messages) {
        const QString where = m.context + u": \"" + m.source + u'"';
        if (!m.finished)
            problems.append(where + u" is not translated (or not finished)");
        for (const QString &t : m.translations) {
            if (t.isEmpty()) {
                problems.append(where + u" has an empty translation");
                continue;
            }
            // %n may be left out of a form that names one number ("un minuto").
            QStringList expected = placeholders(m.source);
            QStringList got = placeholders(t);
            if (m.translations.size() > 1) {
                expected.removeAll(u"%n"_s);
                got.removeAll(u"%n"_s);
            }
            if (got != expected)
                problems.append(where + u": placeholders " + got.join(u',') + u" instead of "
                                + expected.join(u','));
            if (hasAccelerator(m.source) != hasAccelerator(t))
                problems.append(where + u": the keyboard accelerator (&) is lost or added in \"" + t
                                + u'"');
        }
        if (m.source == u"QT_LAYOUT_DIRECTION" && m.translations.value(0) != direction)
            problems.append(u"QT_LAYOUT_DIRECTION must be " + direction);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void tst_Translations::compiledIntoResources_data()
{
    QTest::addColumn<QString>("lang");
    for (const char *lang : {"en", "hi", "es", "pt_BR", "ar"})
        QTest::newRow(lang) << QString::fromLatin1(lang);
}

void tst_Translations::compiledIntoResources()
{
    QFETCH(QString, lang);
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/waotp_") + lang));
    QVERIFY(!translator.isEmpty());
}

void tst_Translations::messageTemplate_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<waotp::Purpose>("purpose");
    QTest::addColumn<int>("validitySeconds");
    QTest::addColumn<QString>("expected");

    QTest::newRow("en sign-up") << u"en"_s << waotp::Purpose::SignUp << 300
                                << u"Your Acme sign-up code is 123456. It expires in 5 minutes. "
                                   "Do not share it."_s;
    QTest::newRow("en 1 s") << u"en"_s << waotp::Purpose::SignIn << 1
                            << u"Your Acme sign-in code is 123456. It expires in 1 second. "
                               "Do not share it."_s;
    QTest::newRow("en 60 s") << u"en"_s << waotp::Purpose::SignIn << 60
                             << u"Your Acme sign-in code is 123456. It expires in 1 minute. "
                                "Do not share it."_s;
    QTest::newRow("hi sign-up")
        << u"hi"_s << waotp::Purpose::SignUp << 300
        << u"आपका Acme साइन-अप कोड 123456 है। यह 5 मिनट में समाप्त हो जाएगा। इसे किसी के साथ साझा न करें।"_s;
    QTest::newRow("es sign-in")
        << u"es"_s << waotp::Purpose::SignIn << 60
        << u"Tu código de inicio de sesión de Acme es 123456. Caduca en 1 minuto. No lo "
           "compartas."_s;
    QTest::newRow("pt_BR sign-up")
        << u"pt_BR"_s << waotp::Purpose::SignUp << 300
        << u"Seu código de cadastro no Acme é 123456. Ele expira em 5 minutos. Não "
           "compartilhe com ninguém."_s;
    QTest::newRow("ar sign-in")
        << u"ar"_s << waotp::Purpose::SignIn << 300
        << u"رمز تسجيل الدخول إلى Acme هو 123456. تنتهي صلاحيته خلال 5 دقائق. لا تشاركه مع أحد."_s;
}

void tst_Translations::messageTemplate()
{
    QFETCH(QString, lang);
    QFETCH(waotp::Purpose, purpose);
    QFETCH(int, validitySeconds);
    QFETCH(QString, expected);
    QVERIFY(installLanguage(lang));

    waotp::OutgoingCode code;
    code.code = u"123456"_s;
    code.purpose = purpose;
    code.validity = std::chrono::seconds(validitySeconds);
    QCOMPARE(waotp::TwilioMessagesSender::messageText(code, u"Acme"_s), expected);
}

void tst_Translations::pluralForms_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("expected");
    // English is the source language, yet "%n attempt(s)" needs waotp_en for "1 attempt".
    QTest::newRow("en 1") << u"en"_s << 1 << u"Wrong code — 1 attempt left"_s;
    QTest::newRow("en 4") << u"en"_s << 4 << u"Wrong code — 4 attempts left"_s;
    QTest::newRow("es 1") << u"es"_s << 1 << u"Código incorrecto — queda 1 intento"_s;
    QTest::newRow("pt_BR 3") << u"pt_BR"_s << 3 << u"Código incorreto — restam 3 tentativas"_s;
    // Arabic has six forms: a word of its own for two, another for 3-10, the singular for 11+.
    QTest::newRow("ar 2") << u"ar"_s << 2 << u"رمز خاطئ — تبقّت محاولتان"_s;
    QTest::newRow("ar 4") << u"ar"_s << 4 << u"رمز خاطئ — تبقّت 4 محاولات"_s;
    QTest::newRow("ar 11") << u"ar"_s << 11 << u"رمز خاطئ — تبقّت 11 محاولة"_s;
}

void tst_Translations::pluralForms()
{
    QFETCH(QString, lang);
    QFETCH(int, attempts);
    QFETCH(QString, expected);
    QVERIFY(installLanguage(lang));
    QCOMPARE(QCoreApplication::translate("waotp::Messages", "Wrong code — %n attempt(s) left",
                                         nullptr, attempts),
             expected);
}

void tst_Translations::sendErrorDescribed_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("expected");
    QTest::newRow("es")
        << u"es"_s << u"Este número de teléfono no es válido. Revísalo e inténtalo de nuevo."_s;
    QTest::newRow("ar") << u"ar"_s << u"رقم الهاتف هذا غير صالح. تحقّق منه وحاول مرة أخرى."_s;
}

// The provider's errors as --check-config words them: translated under the context the core
// looks them up in.
void tst_Translations::sendErrorDescribed()
{
    QFETCH(QString, lang);
    QFETCH(QString, expected);
    QVERIFY(installLanguage(lang));
    waotp::SendResult result;
    result.error = waotp::SendError::InvalidNumber;
    QCOMPARE(waotp::describeSendError(result), expected);
}

void tst_Translations::dialogTranslated_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("title");
    QTest::newRow("hi") << u"hi"_s << u"अपना फ़ोन नंबर सत्यापित करें"_s;
    QTest::newRow("es") << u"es"_s << u"Verifica tu número de teléfono"_s;
    QTest::newRow("pt_BR") << u"pt_BR"_s << u"Verifique seu número de telefone"_s;
    QTest::newRow("ar") << u"ar"_s << u"تحقّق من رقم هاتفك"_s;
}

// The dialog as an application shows it: its words come from the translation.
void tst_Translations::dialogTranslated()
{
    QFETCH(QString, lang);
    QFETCH(QString, title);
    QVERIFY(installLanguage(lang));

    waotp::SteadyClock clock;
    waotp::MemoryCodeStore codes;
    waotp::MemoryAccountStore accounts;
    waotp::DemoSender sender;
    waotp::OtpEngine engine(clock, codes, waotp::CodeHasher(), sender);
    waotp::VerificationDialog dialog(engine, accounts, clock, waotp::DialogOptions {});
    QCOMPARE(dialog.windowTitle(), title);
}

void tst_Translations::layoutDirection_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<Qt::LayoutDirection>("direction");
    QTest::newRow("en") << u"en"_s << Qt::LeftToRight;
    QTest::newRow("hi") << u"hi"_s << Qt::LeftToRight;
    QTest::newRow("es") << u"es"_s << Qt::LeftToRight;
    QTest::newRow("pt_BR") << u"pt_BR"_s << Qt::LeftToRight;
    QTest::newRow("ar") << u"ar"_s << Qt::RightToLeft;
}

// Qt mirrors the whole interface when the translation says QT_LAYOUT_DIRECTION is "RTL".
void tst_Translations::layoutDirection()
{
    QFETCH(QString, lang);
    QFETCH(Qt::LayoutDirection, direction);
    QVERIFY(installLanguage(lang));
    QCOMPARE(QGuiApplication::layoutDirection(), direction);
}

// In Arabic the page is mirrored, but a code is read and typed left to right: box 0 (the first
// digit) stays on the left.
void tst_Translations::codeBoxesStayLeftToRight()
{
    QVERIFY(installLanguage(u"ar"_s));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::RightToLeft);

    waotp::OtpCodeInput input;
    input.resize(480, 80);
    input.show();
    QVERIFY(QTest::qWaitForWindowExposed(&input));
    const auto x = [&input](int box) { return input.box(box)->mapTo(&input, QPoint(0, 0)).x(); };
    for (int i = 1; i < waotp::OtpCodeInput::Length; ++i)
        QVERIFY2(x(i - 1) < x(i),
                 qPrintable(QStringLiteral("box %1 is not left of box %2").arg(i - 1).arg(i)));

    input.typeDigit(u'4');
    input.typeDigit(u'2');
    QCOMPARE(input.box(0)->text(), u"4"_s);
    QCOMPARE(input.code(), u"42"_s);
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
