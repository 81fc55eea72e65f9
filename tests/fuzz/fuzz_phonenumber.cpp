// Fuzzes phone number parsing and formatting: PhoneNumber::parse() with every region,
// masked()/international(), and the as-you-type formatter.
//
// Input: byte 0 picks the region (a supported one, or an odd string), byte 1 bit 0 picks the
// text encoding (UTF-8 or raw UTF-16), the rest is the typed text.
#include "FuzzSupport.h"
#include "engine/PhoneNumber.h"

using namespace waotp;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    static const QList<PhoneRegion> regions = PhoneNumber::supportedRegions();
    static const QString odd[] = {
        QString(),           QStringLiteral("ZZ"),     QStringLiteral("001"), QStringLiteral("in"),
        QStringLiteral("I"), QStringLiteral("\u00DCX")};
    const qsizetype pick = data[0];
    const QString region =
        pick < regions.size() ? regions.at(pick).code : odd[std::size_t(pick) % std::size(odd)];
    const QString text = fuzz::decodeText(data + 2, size - 2, data[1] & 1);

    const PhoneParseResult r = PhoneNumber::parse(text, region);
    if (r.ok() != (r.error == PhoneError::None))
        fuzz::fail("parse: a number and an error, or neither");
    (void)describe(r.error);
    if (r.ok()) {
        const PhoneNumber &n = *r.number;
        const QString e164 = n.e164();
        if (e164.size() < 3 || e164.at(0) != u'+')
            fuzz::fail("e164 does not start with +");
        for (qsizetype i = 1; i < e164.size(); ++i) {
            if (e164.at(i) < u'0' || e164.at(i) > u'9')
                fuzz::fail("e164 holds a non-digit");
        }
        // One identity per number: what parse() hands out, in either form, parses back to
        // that very number (issue 2: a Mexican mobile typed with the old mobile "1", corpus
        // seeds mx-legacy-mobile-*, once gave +5215551245678 for +52 55 5124 5678).
        const PhoneParseResult again = PhoneNumber::parse(e164, u"ZZ");
        const PhoneParseResult shown = PhoneNumber::parse(n.international(), u"ZZ");
        if (!again.ok() || !shown.ok())
            fuzz::fail("a parsed number does not parse again");
        if (again.number->e164() != e164 || shown.number->e164() != e164)
            fuzz::fail("a number's E.164 or international form is another number");
        if (again.number->international() != n.international())
            fuzz::fail("one number, two international forms");
        // A log line keeps at most the last four digits of the national number.
        const QString masked = n.masked();
        const QString prefix = u'+' + QString::number(n.callingCode());
        int digits = 0;
        for (qsizetype i = prefix.size(); i < masked.size(); ++i)
            digits += masked.at(i).isDigit() ? 1 : 0;
        if (!masked.startsWith(prefix) || digits > 4)
            fuzz::fail("masked() shows more than the last four digits");
        (void)PhoneNumber::callingCodeForRegion(n.region());
    }
    (void)PhoneNumber::callingCodeForRegion(region);

    PhoneInputFormatter formatter(region);
    (void)formatter.format(text);
    (void)formatter.format(text.left(text.size() / 2)); // the formatter is reused while typing
    return 0;
}
