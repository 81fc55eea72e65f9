#include "engine/PhoneNumber.h"

#include <QCoreApplication>

#include <phonenumbers/asyoutypeformatter.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

namespace waotp {

namespace pn = i18n::phonenumbers;

namespace {

pn::PhoneNumberUtil &util()
{
    return *pn::PhoneNumberUtil::GetInstance();
}

// Characters people use to group digits. Anything else (letters included, although
// libphonenumber would read them as vanity digits) is refused.
bool isSeparator(QChar c)
{
    switch (c.unicode()) {
    case ' ':
    case '-':
    case '.':
    case '(':
    case ')':
    case '/':
    case 0x00A0: // no-break space
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
    case 0x202F: // narrow no-break space
        return true;
    default:
        return false;
    }
}

PhoneError checkCharacters(QStringView text)
{
    bool seenDigit = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c >= u'0' && c <= u'9') {
            seenDigit = true;
        } else if (c == u'+' || c == u'\uFF0B') {
            if (seenDigit)
                return PhoneError::InvalidCharacters; // a plus only before the first digit
        } else if (!isSeparator(c)) {
            return PhoneError::InvalidCharacters;
        }
    }
    return seenDigit ? PhoneError::None : PhoneError::InvalidCharacters;
}

PhoneError fromParseError(pn::PhoneNumberUtil::ErrorType error)
{
    switch (error) {
    case pn::PhoneNumberUtil::NO_PARSING_ERROR:
        return PhoneError::None;
    case pn::PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return PhoneError::UnknownCountryCode;
    case pn::PhoneNumberUtil::NOT_A_NUMBER: // characters were checked before: too few digits
    case pn::PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case pn::PhoneNumberUtil::TOO_SHORT_NSN:
        return PhoneError::TooShort;
    case pn::PhoneNumberUtil::TOO_LONG_NSN:
        return PhoneError::TooLong;
    }
    return PhoneError::InvalidNumber;
}

PhoneError fromValidation(pn::PhoneNumberUtil::ValidationResult result)
{
    switch (result) {
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

bool canReceiveWhatsApp(pn::PhoneNumberUtil::PhoneNumberType type)
{
    return type == pn::PhoneNumberUtil::MOBILE || type == pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
}

std::string formatted(const pn::PhoneNumber &number, pn::PhoneNumberUtil::PhoneNumberFormat format)
{
    std::string out;
    util().Format(number, format, &out);
    return out;
}

bool hasPlus(QStringView text)
{
    return text.contains(u'+') || text.contains(u'\uFF0B');
}

// The same ASCII digits, in the same order (checkCharacters() allows no other digits).
bool sameDigits(QStringView text, std::string_view formatted)
{
    auto f = formatted.begin();
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            continue;
        f = std::find_if(f, formatted.end(), [](char d) { return d >= '0' && d <= '9'; });
        if (f == formatted.end() || *f != char(c.unicode()))
            return false;
        ++f;
    }
    return std::none_of(f, formatted.end(), [](char d) { return d >= '0' && d <= '9'; });
}

// The same E.164 form: the country code and the national significant number (with an Italian
// leading zero), which is all that form has (a parsed number keeps no raw input).
bool sameE164(const pn::PhoneNumber &a, const pn::PhoneNumber &b)
{
    if (a.country_code() != b.country_code())
        return false;
    std::string nsnA;
    std::string nsnB;
    util().GetNationalSignificantNumber(a, &nsnA);
    util().GetNationalSignificantNumber(b, &nsnB);
    return nsnA == nsnB;
}

// One number, one identity: the number as libphonenumber reads its own international form.
// Parsing can keep a form that the numbering plan no longer uses: a Mexican mobile typed with
// the old mobile "1" twice ("+52 1 1 55 5124 5678") keeps the national number 1 55 5124 5678,
// valid under the old plan, although it is shown as "+52 55 5124 5678" and that parses to
// +525551245678, the number written without the "1". Reading the international form again
// until it is stable gives every spelling the E.164 that libphonenumber gives the number today
// (issue 2: one account, one code and one cooldown per person). A reading that is not a valid
// number that can receive WhatsApp is not taken. @p international is the international form
// of @p number, before and after.
//
// libphonenumber's calls cost (every one runs regular expressions), so each is made once: a
// reading with the same E.164 ends the search before it is validated (it would not be taken
// either way), and the international form of the number taken is the one read.
void canonical(pn::PhoneNumber &number, std::string &international)
{
    for (int round = 0; round < 3; ++round) {
        pn::PhoneNumber again;
        if (util().Parse(international, "ZZ", &again) != pn::PhoneNumberUtil::NO_PARSING_ERROR
            || sameE164(again, number) || !canReceiveWhatsApp(util().GetNumberType(again)))
            break;
        number = std::move(again);
        international = formatted(number, pn::PhoneNumberUtil::INTERNATIONAL);
    }
}

} // namespace

QString describe(PhoneError error)
{
    const char *text = nullptr;
    switch (error) {
    case PhoneError::None:
        return {};
    case PhoneError::Empty:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber", "Enter your phone number.");
        break;
    case PhoneError::InvalidCharacters:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber",
                                 "Use digits only (spaces, dashes and brackets are fine).");
        break;
    case PhoneError::TooShort:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber", "This number is too short.");
        break;
    case PhoneError::TooLong:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber", "This number is too long.");
        break;
    case PhoneError::UnknownCountryCode:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber", "This country code does not exist.");
        break;
    case PhoneError::InvalidNumber:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber",
                                 "This is not a valid phone number for the selected country.");
        break;
    case PhoneError::NotMobile:
        text = QT_TRANSLATE_NOOP("waotp::PhoneNumber",
                                 "This is a landline number; WhatsApp needs a mobile number.");
        break;
    }
    return QCoreApplication::translate("waotp::PhoneNumber", text);
}

PhoneParseResult PhoneNumber::parse(QStringView text, QStringView defaultRegion)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {std::nullopt, PhoneError::Empty};
    if (const PhoneError e = checkCharacters(trimmed); e != PhoneError::None)
        return {std::nullopt, e};

    pn::PhoneNumber parsed;
    const std::string input = trimmed.toUtf8().toStdString();
    const std::string region = defaultRegion.toString().toUpper().toStdString();
    if (const PhoneError e = fromParseError(util().Parse(input, region, &parsed));
        e != PhoneError::None)
        return {std::nullopt, e};
    if (const PhoneError e = fromValidation(util().IsPossibleNumberWithReason(parsed));
        e != PhoneError::None)
        return {std::nullopt, e};
    // GetNumberType() is UNKNOWN exactly when IsValidNumber() is false: both find the number's
    // region the same way and match its national number against the region's plan.
    const auto type = util().GetNumberType(parsed);
    if (type == pn::PhoneNumberUtil::UNKNOWN)
        return {std::nullopt, PhoneError::InvalidNumber};
    if (!canReceiveWhatsApp(type))
        return {std::nullopt, PhoneError::NotMobile};
    std::string international = formatted(parsed, pn::PhoneNumberUtil::INTERNATIONAL);
    // Text with a leading + that has the digits of the international form reads as that form
    // does (with a +, the default region plays no part, and the separators allowed here make
    // no extension): it is its own reading, and canonical() would stop at once.
    if (!(hasPlus(trimmed) && sameDigits(trimmed, international)))
        canonical(parsed, international);

    PhoneNumber number;
    number.m_international = QString::fromStdString(international);
    std::string out;
    util().Format(parsed, pn::PhoneNumberUtil::E164, &out);
    number.m_e164 = QString::fromStdString(out);
    util().GetRegionCodeForNumber(parsed, &out);
    number.m_region = out == "ZZ" || out == "001" ? QString() : QString::fromStdString(out);
    number.m_callingCode = parsed.country_code();
    return {number, PhoneError::None};
}

QString phoneNumberInText(QStringView shown)
{
    constexpr QChar LeftToRightIsolate(0x2066);
    constexpr QChar PopDirectionalIsolate(0x2069);
    constexpr QChar NoBreakSpace(0x00A0);
    constexpr QChar WordJoiner(0x2060);
    shown = shown.trimmed();
    QString out;
    out.reserve(shown.size() + 6);
    out.append(LeftToRightIsolate);
    for (const QChar c : shown) {
        if (c.isSpace()) {
            out.append(NoBreakSpace);
        } else {
            out.append(c);
            if (c == u'-') // a line may break after a dash ("•••-•••"), never after this one
                out.append(WordJoiner);
        }
    }
    out.append(PopDirectionalIsolate);
    return out;
}

QString PhoneNumber::masked() const
{
    // Mask every digit of the national part but the last four, keeping the grouping.
    const QString prefix = u'+' + QString::number(m_callingCode);
    QString out = m_international;
    if (!out.startsWith(prefix))
        out = m_e164;
    int nationalDigits = 0;
    for (qsizetype i = prefix.size(); i < out.size(); ++i)
        nationalDigits += out.at(i).isDigit() ? 1 : 0;
    int seen = 0;
    for (qsizetype i = prefix.size(); i < out.size(); ++i) {
        if (!out.at(i).isDigit())
            continue;
        if (seen++ < nationalDigits - 4)
            out[i] = QChar(0x2022); // bullet
    }
    if (!out.startsWith(prefix + u' ') && out.size() > prefix.size())
        out.insert(prefix.size(), u' ');
    return out;
}

namespace {
struct RegionEntry
{
    char16_t code[3];
    int callingCode;
};
// Sorted by region code, as libphonenumber lists them.
constexpr RegionEntry Regions[] = {
#include "PhoneRegions.inc"
};
} // namespace

QList<PhoneRegion> PhoneNumber::supportedRegions()
{
    QList<PhoneRegion> out;
    out.reserve(qsizetype(std::size(Regions)));
    for (const RegionEntry &r : Regions)
        out.append({QString::fromUtf16(r.code, 2), r.callingCode});
    return out;
}

int PhoneNumber::callingCodeForRegion(QStringView region)
{
    // From the table made at build time: no need to load the metadata for this.
    if (region.size() != 2)
        return 0;
    const char16_t key[2] = {QChar(region[0]).toUpper().unicode(),
                             QChar(region[1]).toUpper().unicode()};
    const auto *end = std::end(Regions);
    const auto *it = std::lower_bound(
        std::begin(Regions), end, key, [](const RegionEntry &e, const char16_t *k) {
            return std::u16string_view(e.code, 2) < std::u16string_view(k, 2);
        });
    return it != end && std::u16string_view(it->code, 2) == std::u16string_view(key, 2)
        ? it->callingCode
        : 0;
}

void PhoneNumber::loadMetadata()
{
    util();
}

struct PhoneInputFormatter::Private
{
    std::unique_ptr<pn::AsYouTypeFormatter> formatter;
};

PhoneInputFormatter::PhoneInputFormatter(QStringView region) : d(std::make_unique<Private>())
{
    d->formatter.reset(util().GetAsYouTypeFormatter(region.toString().toUpper().toStdString()));
}

PhoneInputFormatter::~PhoneInputFormatter() = default;

QString PhoneInputFormatter::format(QStringView raw)
{
    d->formatter->Clear();
    std::string result;
    bool any = false;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        const bool plus = (c == u'+' && !any);
        if (!(c >= u'0' && c <= u'9') && !plus)
            continue;
        any = true;
        d->formatter->InputDigit(static_cast<char32_t>(c.unicode()), &result);
    }
    return any ? QString::fromStdString(result) : QString();
}

} // namespace waotp
