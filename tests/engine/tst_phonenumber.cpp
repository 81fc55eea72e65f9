#include "engine/PhoneNumber.h"

#include <QTest>

#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace waotp;

Q_DECLARE_METATYPE(waotp::PhoneError)

class tst_PhoneNumber : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // First: it meets libphonenumber cold (its instance made, its regular expressions compiled
    // and cached while the threads race).
    void parsesFromSeveralThreadsAtOnce();
    void parsesIndianForms_data();
    void parsesIndianForms();
    void parsesInternational_data();
    void parsesInternational();
    void oneIdentityForMexicanMobiles_data();
    void oneIdentityForMexicanMobiles();
    void identityIsAFixedPoint_data();
    void identityIsAFixedPoint();
    void errors_data();
    void errors();
    void sameAsTheFullReadingEverywhere();
    void defaultRegionIsConfigurable();
    void formats();
    void maskedKeepsOnlyLastFourDigits_data();
    void maskedKeepsOnlyLastFourDigits();
    void inRunningText_data();
    void inRunningText();
    void everyErrorHasAMessage();
    void regions();
    void asYouType_data();
    void asYouType();
};

void tst_PhoneNumber::parsesIndianForms_data()
{
    QTest::addColumn<QString>("input");
    // The original system's accepted inputs, default region IN.
    QTest::newRow("national") << QStringLiteral("9876543210");
    QTest::newRow("country code without plus") << QStringLiteral("919876543210");
    QTest::newRow("e164") << QStringLiteral("+919876543210");
    QTest::newRow("grouped") << QStringLiteral("98765 43210");
    QTest::newRow("brackets and dash") << QStringLiteral("+91 (98765) 43-210");
    QTest::newRow("trunk prefix") << QStringLiteral("098765 43210");
    QTest::newRow("international prefix") << QStringLiteral("0091 98765 43210");
    QTest::newRow("surrounding space") << QStringLiteral("  9876543210 \t");
    QTest::newRow("dots") << QStringLiteral("98765.43210");
    QTest::newRow("no-break space") << QStringLiteral("98765\u00A043210");
}

void tst_PhoneNumber::parsesIndianForms()
{
    QFETCH(QString, input);
    const auto r = PhoneNumber::parse(input, u"IN");
    QVERIFY2(r.ok(), qPrintable(describe(r.error)));
    QCOMPARE(r.error, PhoneError::None);
    QCOMPARE(r.number->e164(), QStringLiteral("+919876543210"));
    QCOMPARE(r.number->region(), QStringLiteral("IN"));
    QCOMPARE(r.number->callingCode(), 91);
}

void tst_PhoneNumber::parsesInternational_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<QString>("region");
    QTest::newRow("US") << QStringLiteral("+1 415 555 2671") << QStringLiteral("+14155552671")
                        << QStringLiteral("US");
    // +44 7911 is a Guernsey range in libphonenumber's metadata.
    QTest::newRow("UK mobile (Guernsey range)")
        << QStringLiteral("+44 7911 123456") << QStringLiteral("+447911123456")
        << QStringLiteral("GG");
    QTest::newRow("UK mobile") << QStringLiteral("+44 7400 123456")
                               << QStringLiteral("+447400123456") << QStringLiteral("GB");
    QTest::newRow("Brazil mobile") << QStringLiteral("+55 11 91234 5678")
                                   << QStringLiteral("+5511912345678") << QStringLiteral("BR");
    QTest::newRow("fullwidth plus") << QStringLiteral("\uFF0B44 7400 123456")
                                    << QStringLiteral("+447400123456") << QStringLiteral("GB");
}

void tst_PhoneNumber::parsesInternational()
{
    QFETCH(QString, input);
    QFETCH(QString, e164);
    QFETCH(QString, region);
    // The default region does not matter once a number starts with +.
    for (const auto *def : {u"IN", u"US", u"DE"}) {
        const auto r = PhoneNumber::parse(input, QStringView(def));
        QVERIFY2(r.ok(), qPrintable(describe(r.error)));
        QCOMPARE(r.number->e164(), e164);
        QCOMPARE(r.number->region(), region);
    }
}

void tst_PhoneNumber::oneIdentityForMexicanMobiles_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("region");
    // Until 2019 a Mexican mobile was dialled from abroad with a "1" after +52; people still
    // write it. Every spelling is one person: the E.164 libphonenumber gives the number today.
    const QString mx = QStringLiteral("MX");
    const QString in = QStringLiteral("IN");
    QTest::newRow("+52, today's form") << QStringLiteral("+52 55 5124 5678") << in;
    QTest::newRow("+52 with the old mobile 1") << QStringLiteral("+52 1 55 5124 5678") << in;
    QTest::newRow("+52 1, no spaces") << QStringLiteral("+5215551245678") << in;
    QTest::newRow("+52, no spaces") << QStringLiteral("+525551245678") << in;
    QTest::newRow("old mobile 1 twice") << QStringLiteral("+52 1 1 55 5124 5678") << in;
    QTest::newRow("fuzz seed mx-legacy-mobile-1") << QStringLiteral("+52 1 1555 12.4 5678") << in;
    QTest::newRow("00 52 1") << QStringLiteral("0052 1 55 5124 5678") << QStringLiteral("DE");
    QTest::newRow("national") << QStringLiteral("55 5124 5678") << mx;
    QTest::newRow("national with the old mobile 1") << QStringLiteral("1 55 5124 5678") << mx;
    QTest::newRow("national with 044") << QStringLiteral("044 55 5124 5678") << mx;
    QTest::newRow("national with 045") << QStringLiteral("045 55 5124 5678") << mx;
    QTest::newRow("national 1 twice") << QStringLiteral("1 1 55 5124 5678") << mx;
}

void tst_PhoneNumber::oneIdentityForMexicanMobiles()
{
    QFETCH(QString, input);
    QFETCH(QString, region);
    const auto r = PhoneNumber::parse(input, region);
    QVERIFY2(r.ok(), qPrintable(describe(r.error)));
    QCOMPARE(r.number->e164(), QStringLiteral("+525551245678"));
    QCOMPARE(r.number->international(), QStringLiteral("+52 55 5124 5678"));
    QCOMPARE(r.number->region(), QStringLiteral("MX"));
    QCOMPARE(r.number->callingCode(), 52);
    QCOMPARE(*r.number, *PhoneNumber::parse(u"+52 55 5124 5678", u"IN").number);
}

void tst_PhoneNumber::identityIsAFixedPoint_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("region");
    QTest::newRow("IN national") << QStringLiteral("098765 43210") << QStringLiteral("IN");
    QTest::newRow("US") << QStringLiteral("+1 415 555 2671") << QStringLiteral("IN");
    QTest::newRow("GB national") << QStringLiteral("07400 123456") << QStringLiteral("GB");
    QTest::newRow("BR") << QStringLiteral("+55 11 91234 5678") << QStringLiteral("IN");
    QTest::newRow("AR mobile 9") << QStringLiteral("+54 9 11 2345 6789") << QStringLiteral("IN");
    QTest::newRow("IT leading zero") << QStringLiteral("+39 312 345 6789") << QStringLiteral("IN");
    QTest::newRow("MX 1 1") << QStringLiteral("+52 1 1 222 123 4567") << QStringLiteral("IN");
    QTest::newRow("MX 044 1") << QStringLiteral("044 1 222 123 4567") << QStringLiteral("MX");
}

void tst_PhoneNumber::identityIsAFixedPoint()
{
    // What parse() hands out, in either form, parses back to the same number.
    QFETCH(QString, input);
    QFETCH(QString, region);
    const auto r = PhoneNumber::parse(input, region);
    QVERIFY2(r.ok(), qPrintable(describe(r.error)));
    for (const QString &form : {r.number->e164(), r.number->international()}) {
        for (const auto *def : {u"ZZ", u"IN", u"US"}) {
            const auto again = PhoneNumber::parse(form, QStringView(def));
            QVERIFY2(again.ok(), qPrintable(form));
            QCOMPARE(again.number->e164(), r.number->e164());
            QCOMPARE(again.number->international(), r.number->international());
        }
    }
}

void tst_PhoneNumber::errors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("region");
    QTest::addColumn<PhoneError>("error");
    const QString in = QStringLiteral("IN");
    QTest::newRow("empty") << QString() << in << PhoneError::Empty;
    QTest::newRow("blank") << QStringLiteral("   ") << in << PhoneError::Empty;
    QTest::newRow("letters") << QStringLiteral("98765abcde") << in << PhoneError::InvalidCharacters;
    QTest::newRow("vanity letters")
        << QStringLiteral("1-800-FLOWERS") << QStringLiteral("US") << PhoneError::InvalidCharacters;
    QTest::newRow("symbols") << QStringLiteral("98765#43210") << in
                             << PhoneError::InvalidCharacters;
    QTest::newRow("plus in the middle")
        << QStringLiteral("98765+43210") << in << PhoneError::InvalidCharacters;
    QTest::newRow("only separators")
        << QStringLiteral("--( )") << in << PhoneError::InvalidCharacters;
    QTest::newRow("too short") << QStringLiteral("98765") << in << PhoneError::TooShort;
    QTest::newRow("one digit") << QStringLiteral("9") << in << PhoneError::TooShort;
    QTest::newRow("too long") << QStringLiteral("98765432109876") << in << PhoneError::TooLong;
    QTest::newRow("far too long") << QStringLiteral("+91 98765 43210 98765 43210") << in
                                  << PhoneError::TooLong;
    QTest::newRow("unknown country code")
        << QStringLiteral("+999 1234 5678") << in << PhoneError::UnknownCountryCode;
    QTest::newRow("invalid for the plan")
        << QStringLiteral("5555555555") << in << PhoneError::InvalidNumber;
    QTest::newRow("fixed line India")
        << QStringLiteral("+91 11 2345 6789") << in << PhoneError::NotMobile;
    QTest::newRow("fixed line UK")
        << QStringLiteral("+44 20 7946 0958") << in << PhoneError::NotMobile;
    QTest::newRow("toll free US") << QStringLiteral("+1 800 555 0199") << in
                                  << PhoneError::NotMobile;
}

void tst_PhoneNumber::errors()
{
    QFETCH(QString, input);
    QFETCH(QString, region);
    QFETCH(PhoneError, error);
    const auto r = PhoneNumber::parse(input, region);
    QVERIFY(!r.ok());
    QCOMPARE(r.error, error);
}

namespace {

namespace pn = i18n::phonenumbers;

// The reading parse() gave when it asked libphonenumber everything, each time: IsValidNumber
// and GetNumberType, and the international form read again until its E.164 was stable, every
// reading validated. parse() skips what cannot change the result; this is what it must equal.
struct Reading
{
    PhoneError error = PhoneError::None;
    QString e164, international, region;
    int callingCode = 0;
    bool operator==(const Reading &) const = default;
};

PhoneError referenceParseError(pn::PhoneNumberUtil::ErrorType e)
{
    switch (e) {
    case pn::PhoneNumberUtil::NO_PARSING_ERROR:
        return PhoneError::None;
    case pn::PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return PhoneError::UnknownCountryCode;
    case pn::PhoneNumberUtil::NOT_A_NUMBER:
    case pn::PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case pn::PhoneNumberUtil::TOO_SHORT_NSN:
        return PhoneError::TooShort;
    case pn::PhoneNumberUtil::TOO_LONG_NSN:
        return PhoneError::TooLong;
    }
    return PhoneError::InvalidNumber;
}

PhoneError referenceValidation(pn::PhoneNumberUtil::ValidationResult r)
{
    switch (r) {
    case pn::PhoneNumberUtil::IS_POSSIBLE:
    case pn::PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
        return PhoneError::None;
    case pn::PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return PhoneError::UnknownCountryCode;
    case pn::PhoneNumberUtil::TOO_SHORT:
        return PhoneError::TooShort;
    case pn::PhoneNumberUtil::TOO_LONG:
        return PhoneError::TooLong;
    case pn::PhoneNumberUtil::INVALID_LENGTH:
        return PhoneError::InvalidNumber;
    }
    return PhoneError::InvalidNumber;
}

Reading referenceReading(const QString &text, const QString &defaultRegion)
{
    auto &util = *pn::PhoneNumberUtil::GetInstance();
    const auto mobile = [&](const pn::PhoneNumber &n) {
        const auto type = util.GetNumberType(n);
        return type == pn::PhoneNumberUtil::MOBILE
            || type == pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
    };
    const auto format = [&](const pn::PhoneNumber &n, pn::PhoneNumberUtil::PhoneNumberFormat f) {
        std::string out;
        util.Format(n, f, &out);
        return out;
    };
    Reading r;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        r.error = PhoneError::Empty;
        return r;
    }
    // The characters are checked by parse() alone: only texts that pass reach libphonenumber.
    if (const auto own = PhoneNumber::parse(text, defaultRegion);
        own.error == PhoneError::InvalidCharacters) {
        r.error = own.error;
        return r;
    }
    pn::PhoneNumber n;
    r.error = referenceParseError(
        util.Parse(trimmed.toStdString(), defaultRegion.toUpper().toStdString(), &n));
    if (r.error == PhoneError::None)
        r.error = referenceValidation(util.IsPossibleNumberWithReason(n));
    if (r.error == PhoneError::None && !util.IsValidNumber(n))
        r.error = PhoneError::InvalidNumber;
    if (r.error == PhoneError::None && !mobile(n))
        r.error = PhoneError::NotMobile;
    if (r.error != PhoneError::None)
        return r;
    for (int round = 0; round < 3; ++round) {
        pn::PhoneNumber again;
        if (util.Parse(format(n, pn::PhoneNumberUtil::INTERNATIONAL), "ZZ", &again)
                != pn::PhoneNumberUtil::NO_PARSING_ERROR
            || !util.IsValidNumber(again) || !mobile(again))
            break;
        if (format(again, pn::PhoneNumberUtil::E164) == format(n, pn::PhoneNumberUtil::E164))
            break;
        n = again;
    }
    r.e164 = QString::fromStdString(format(n, pn::PhoneNumberUtil::E164));
    r.international = QString::fromStdString(format(n, pn::PhoneNumberUtil::INTERNATIONAL));
    std::string region;
    util.GetRegionCodeForNumber(n, &region);
    r.region = region == "ZZ" || region == "001" ? QString() : QString::fromStdString(region);
    r.callingCode = n.country_code();
    return r;
}

Reading ownReading(const QString &text, const QString &defaultRegion)
{
    const PhoneParseResult parsed = PhoneNumber::parse(text, defaultRegion);
    Reading r;
    r.error = parsed.error;
    if (parsed.ok()) {
        r.e164 = parsed.number->e164();
        r.international = parsed.number->international();
        r.region = parsed.number->region();
        r.callingCode = parsed.number->callingCode();
    }
    return r;
}

} // namespace

void tst_PhoneNumber::sameAsTheFullReadingEverywhere()
{
    // libphonenumber's example numbers of every region and of every non-geographic calling
    // code, of every type, each written in several ways (as typed at home and abroad, with and
    // without a +, spaced or not, a digit short, a digit long), read at home and from another
    // region: parse() gives exactly the reading above for every one.
    auto &util = *pn::PhoneNumberUtil::GetInstance();
    using T = pn::PhoneNumberUtil::PhoneNumberType;
    const T types[] = {T::MOBILE,       T::FIXED_LINE, T::FIXED_LINE_OR_MOBILE, T::TOLL_FREE,
                       T::PREMIUM_RATE, T::VOIP,       T::PERSONAL_NUMBER,      T::UAN};
    std::vector<std::pair<pn::PhoneNumber, std::string>> examples; // number, its region
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    for (const std::string &region : regions) {
        for (const T type : types) {
            pn::PhoneNumber n;
            if (util.GetExampleNumberForType(region, type, &n))
                examples.emplace_back(n, region);
        }
    }
    std::set<int> global;
    util.GetSupportedGlobalNetworkCallingCodes(&global);
    for (const int code : global) {
        pn::PhoneNumber n;
        if (util.GetExampleNumberForNonGeoEntity(code, &n))
            examples.emplace_back(n, "ZZ");
    }
    QVERIFY(examples.size() > 1000);

    QStringList texts;
    for (const auto &[n, region] : examples) {
        std::string international, national, e164;
        util.Format(n, pn::PhoneNumberUtil::INTERNATIONAL, &international);
        util.Format(n, pn::PhoneNumberUtil::NATIONAL, &national);
        util.Format(n, pn::PhoneNumberUtil::E164, &e164);
        const QString i = QString::fromStdString(international);
        const QString e = QString::fromStdString(e164);
        texts << i << e << QString::fromStdString(national) << e.mid(1) // no +
              << u"00" + e.mid(1) << e.chopped(1) << e + u'7' << u"+ " + e.mid(1)
              << u'(' + i.section(u' ', 0, 0) + u") " + i.section(u' ', 1);
    }
    // The Mexican spellings with the old mobile "1" (once, twice), an Argentine mobile with
    // and without its 9 and 15, Italian leading zeros, a NANP number in every form.
    texts << QStringLiteral("+52 1 55 5124 5678") << QStringLiteral("+52 1 1 55 5124 5678")
          << QStringLiteral("+52 1 1555 12.4 5678") << QStringLiteral("0052 1 55 5124 5678")
          << QStringLiteral("+54 9 11 2345 6789") << QStringLiteral("+54 11 15 2345 6789")
          << QStringLiteral("011 15 2345 6789") << QStringLiteral("+39 06 6988 0000")
          << QStringLiteral("+39 312 345 6789") << QStringLiteral("+1 (415) 555-2671")
          << QStringLiteral("1 415 555 2671") << QStringLiteral("+44 07400 123456");

    const QString homes[] = {QStringLiteral("IN"), QStringLiteral("MX"), QStringLiteral("ZZ")};
    int compared = 0;
    int numbers = 0;
    for (const QString &text : std::as_const(texts)) {
        for (const QString &home : homes) {
            const Reading expected = referenceReading(text, home);
            const Reading own = ownReading(text, home);
            if (!(own == expected))
                QFAIL(
                    qPrintable(QStringLiteral("%1 from %2: %3 (error %4) instead of %5 (error %6)")
                                   .arg(text, home, own.e164)
                                   .arg(int(own.error))
                                   .arg(expected.e164)
                                   .arg(int(expected.error))));
            ++compared;
            numbers += expected.error == PhoneError::None ? 1 : 0;
        }
    }
    // Both kinds are there in numbers: readings that are WhatsApp numbers, and refusals.
    qInfo("%d readings compared, %d of them numbers", compared, numbers);
    QVERIFY2(numbers > 3000, qPrintable(QString::number(numbers)));
    QVERIFY2(compared - numbers > 5000, qPrintable(QString::number(compared - numbers)));
}

void tst_PhoneNumber::defaultRegionIsConfigurable()
{
    const auto us = PhoneNumber::parse(u"415 555 2671", u"US");
    QVERIFY(us.ok());
    QCOMPARE(us.number->e164(), QStringLiteral("+14155552671"));
    const auto gb = PhoneNumber::parse(u"07911 123456", u"gb");
    QVERIFY(gb.ok());
    QCOMPARE(gb.number->e164(), QStringLiteral("+447911123456"));
    // The same digits mean something else in another region.
    const auto inAsUs = PhoneNumber::parse(u"9876543210", u"US");
    QVERIFY(!inAsUs.ok() || inAsUs.number->e164() != QStringLiteral("+919876543210"));
}

void tst_PhoneNumber::formats()
{
    const auto r = PhoneNumber::parse(u"9876543210", u"IN");
    QVERIFY(r.ok());
    QCOMPARE(r.number->e164(), QStringLiteral("+919876543210"));
    QCOMPARE(r.number->international(), QStringLiteral("+91 98765 43210"));
    QCOMPARE(r.number->masked(), QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210"));
    QVERIFY(!r.number->isNull());
    QVERIFY(PhoneNumber().isNull());
}

void tst_PhoneNumber::maskedKeepsOnlyLastFourDigits_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("masked");
    QTest::newRow("US") << QStringLiteral("+1 415 555 2671")
                        << QStringLiteral("+1 \u2022\u2022\u2022-\u2022\u2022\u2022-2671");
    QTest::newRow("UK") << QStringLiteral("+44 7911 123456")
                        << QStringLiteral("+44 \u2022\u2022\u2022\u2022 \u2022\u20223456");
    QTest::newRow("BR") << QStringLiteral("+55 11 91234 5678")
                        << QStringLiteral("+55 \u2022\u2022 \u2022\u2022\u2022\u2022\u2022-5678");
}

void tst_PhoneNumber::maskedKeepsOnlyLastFourDigits()
{
    QFETCH(QString, input);
    QFETCH(QString, masked);
    const auto r = PhoneNumber::parse(input, u"IN");
    QVERIFY(r.ok());
    QCOMPARE(r.number->masked(), masked);
    // No digit of the national number but the last four survives.
    const QString national =
        r.number->e164().mid(1 + QString::number(r.number->callingCode()).size());
    int digits = 0;
    for (QChar c : r.number->masked().mid(1 + QString::number(r.number->callingCode()).size()))
        digits += c.isDigit() ? 1 : 0;
    QCOMPARE(digits, 4);
    QVERIFY(r.number->masked().endsWith(national.right(4)));
}

void tst_PhoneNumber::inRunningText_data()
{
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("inText");
    QTest::newRow("IN") << QStringLiteral("+91 98765 43210")
                        << QStringLiteral("\u2066+91\u00A098765\u00A043210\u2069");
    QTest::newRow("IN masked") << QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210")
                               << QStringLiteral("\u2066+91\u00A0\u2022\u2022\u2022\u2022\u2022"
                                                 "\u00A0\u20223210\u2069");
    QTest::newRow("US dashes") << QStringLiteral("+1 415-555-2671")
                               << QStringLiteral("\u2066+1\u00A0415-\u2060555-\u20602671\u2069");
    QTest::newRow("surrounding space") << QStringLiteral(" +44 7400 123456\t")
                                       << QStringLiteral("\u2066+44\u00A07400\u00A0123456\u2069");
    QTest::newRow("already no-break")
        << QStringLiteral("+91\u00A098765") << QStringLiteral("\u2066+91\u00A098765\u2069");
}

void tst_PhoneNumber::inRunningText()
{
    QFETCH(QString, shown);
    QFETCH(QString, inText);
    QCOMPARE(phoneNumberInText(shown), inText);
    // Only the marks are added: the digits, in their order, are what was shown.
    QString bare = phoneNumberInText(shown);
    bare.remove(QChar(0x2066)).remove(QChar(0x2069)).remove(QChar(0x2060));
    bare.replace(QChar(0x00A0), QLatin1Char(' '));
    QCOMPARE(bare, QString(shown).replace(QChar(0x00A0), QLatin1Char(' ')).trimmed());
}

void tst_PhoneNumber::everyErrorHasAMessage()
{
    QVERIFY(describe(PhoneError::None).isEmpty());
    const PhoneError all[] = {
        PhoneError::Empty,    PhoneError::InvalidCharacters,  PhoneError::TooShort,
        PhoneError::TooLong,  PhoneError::UnknownCountryCode, PhoneError::InvalidNumber,
        PhoneError::NotMobile};
    QSet<QString> seen;
    for (PhoneError e : all) {
        const QString text = describe(e);
        QVERIFY(!text.isEmpty());
        QVERIFY2(!seen.contains(text), qPrintable(text));
        seen.insert(text);
    }
    QVERIFY(describe(PhoneError::NotMobile).contains(QStringLiteral("WhatsApp")));
}

void tst_PhoneNumber::regions()
{
    const QList<PhoneRegion> regions = PhoneNumber::supportedRegions();
    QVERIFY(regions.size() > 200);
    bool foundIndia = false;
    for (const PhoneRegion &r : regions) {
        QCOMPARE(r.code.size(), 2);
        QVERIFY(r.callingCode > 0);
        if (r.code == u"IN") {
            foundIndia = true;
            QCOMPARE(r.callingCode, 91);
        }
    }
    QVERIFY(foundIndia);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"BR"), 55);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"br"), 55);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"XX"), 0);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u""), 0);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"B"), 0);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"BRA"), 0);
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"AA"), 0); // before the first entry
    QCOMPARE(PhoneNumber::callingCodeForRegion(u"ZZ"), 0); // after the last

    // The table made at build time is the library's own answer, region by region.
    const auto *util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    std::set<std::string> live;
    util->GetSupportedRegions(&live);
    QCOMPARE(regions.size(), qsizetype(live.size()));
    auto it = live.cbegin();
    for (const PhoneRegion &r : regions) {
        QCOMPARE(r.code.toStdString(), *it);
        QCOMPARE(r.callingCode, util->GetCountryCodeForRegion(*it));
        QCOMPARE(PhoneNumber::callingCodeForRegion(r.code), r.callingCode);
        ++it;
    }
}

void tst_PhoneNumber::asYouType_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("shown");
    QTest::newRow("IN partial") << QStringLiteral("IN") << QStringLiteral("98765")
                                << QStringLiteral("98765");
    QTest::newRow("IN full") << QStringLiteral("IN") << QStringLiteral("9876543210")
                             << QStringLiteral("098765 43210").mid(1);
    QTest::newRow("IN with junk") << QStringLiteral("IN") << QStringLiteral("98-765 43(210)")
                                  << QStringLiteral("98765 43210");
    QTest::newRow("international") << QStringLiteral("IN") << QStringLiteral("+14155552671")
                                   << QStringLiteral("+1 415-555-2671");
    QTest::newRow("US") << QStringLiteral("US") << QStringLiteral("4155552671")
                        << QStringLiteral("(415) 555-2671");
    QTest::newRow("nothing") << QStringLiteral("IN") << QStringLiteral("abc") << QString();
}

void tst_PhoneNumber::asYouType()
{
    QFETCH(QString, region);
    QFETCH(QString, typed);
    QFETCH(QString, shown);
    PhoneInputFormatter formatter(region);
    QCOMPARE(formatter.format(typed), shown);
    // Reusable: formatting again gives the same text.
    QCOMPARE(formatter.format(typed), shown);
}

// The server reads numbers on a worker thread while its event loop reads others (stored numbers,
// a resend's): libphonenumber as Debian builds it guards its shared state (the instance,
// pthread_once; the cache of compiled expressions, a pthread mutex) and each match has a matcher
// of its own. Several threads parsing at once get what one thread alone gets (and, under
// AddressSanitizer, touch nothing freed).
void tst_PhoneNumber::parsesFromSeveralThreadsAtOnce()
{
    const std::vector<std::pair<QString, QString>> inputs = {
        {QStringLiteral("+91 98765 43210"), QStringLiteral("IN")},
        {QStringLiteral("098765 43210"), QStringLiteral("IN")},
        {QStringLiteral("0091 98765 43210"), QStringLiteral("IN")},
        {QStringLiteral("+1 415 555 2671"), QStringLiteral("US")},
        {QStringLiteral("07911 123456"), QStringLiteral("GB")},
        {QStringLiteral("06 12 34 56 78"), QStringLiteral("FR")},
        {QStringLiteral("+49 1512 3456789"), QStringLiteral("DE")},
        {QStringLiteral("+52 1 55 1234 5678"), QStringLiteral("MX")},
        {QStringLiteral("090-1234-5678"), QStringLiteral("JP")},
        {QStringLiteral("(11) 91234-5678"), QStringLiteral("BR")},
        {QStringLiteral("0802 123 4567"), QStringLiteral("NG")},
        {QStringLiteral("+971 50 123 4567"), QStringLiteral("AE")},
        {QStringLiteral("138 0013 8000"), QStringLiteral("CN")},
        {QStringLiteral("8 912 345-67-89"), QStringLiteral("RU")},
        {QStringLiteral("0412 345 678"), QStringLiteral("AU")},
        {QStringLiteral("12"), QStringLiteral("IN")},
        {QStringLiteral("+999 123 456"), QStringLiteral("IN")},
        {QStringLiteral("+1 212 555 0100"), QStringLiteral("US")},
    };
    const auto reading = [&inputs] {
        QStringList out;
        for (const auto &[text, region] : inputs) {
            const PhoneParseResult r = PhoneNumber::parse(text, region);
            out.append(r.ok() ? r.number->e164() + u' ' + r.number->international() + u' '
                               + r.number->region()
                              : QString::number(int(r.error)));
        }
        return out;
    };
    constexpr int Threads = 4;
    constexpr int Rounds = 40;
    std::vector<std::vector<QStringList>> seen(Threads);
    {
        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t)
            threads.emplace_back([&seen, &reading, t] {
                for (int i = 0; i < Rounds; ++i)
                    seen[std::size_t(t)].push_back(reading());
            });
        for (std::thread &thread : threads)
            thread.join();
    }
    const QStringList alone = reading();
    QCOMPARE(alone.size(), qsizetype(inputs.size()));
    QVERIFY(alone.first().startsWith(u"+919876543210 "));
    for (const auto &rounds : seen) {
        QCOMPARE(rounds.size(), std::size_t(Rounds));
        for (const QStringList &round : rounds)
            QCOMPARE(round, alone);
    }
}

QTEST_GUILESS_MAIN(tst_PhoneNumber)
#include "tst_phonenumber.moc"
