#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>
#include <utility>

namespace waotp {

/// Why a text is not a phone number that can receive a WhatsApp code.
enum class PhoneError {
    None,
    Empty, ///< nothing but white space
    InvalidCharacters, ///< letters or symbols that are not separators
    TooShort,
    TooLong,
    UnknownCountryCode,
    InvalidNumber, ///< right length, but no such number in the numbering plan
    NotMobile, ///< a fixed-line (or other non-mobile) number: cannot receive WhatsApp
};

/// A one-line English description of @p error (translatable, context "waotp::PhoneNumber").
QString describe(PhoneError error);

/// A region that phone numbers can belong to, for the country picker.
struct PhoneRegion
{
    QString code; ///< ISO 3166-1 alpha-2, e.g. "IN"
    int callingCode = 0; ///< e.g. 91
};

struct PhoneParseResult;

/// A validated phone number that can receive WhatsApp messages (mobile or fixed-line-or-mobile).
/// Value type; parsing and formatting go through libphonenumber.
class PhoneNumber
{
public:
    /// A null number; only parse() makes valid ones.
    PhoneNumber() = default;
    bool isNull() const { return m_e164.isEmpty(); }

    /// Parses @p text as written by a person. Numbers without a leading + (or international
    /// prefix such as 00) are read as numbers of @p defaultRegion (ISO 3166-1 alpha-2).
    static PhoneParseResult parse(QStringView text, QStringView defaultRegion);

    /// Every region libphonenumber knows, sorted by region code.
    static QList<PhoneRegion> supportedRegions();
    /// The calling code of @p region, or 0 if the region is unknown.
    static int callingCodeForRegion(QStringView region);
    /// Loads libphonenumber's metadata for every region now (tens of milliseconds; otherwise
    /// the first parse, format or formatter does). supportedRegions() and
    /// callingCodeForRegion() do not need it.
    static void loadMetadata();

    /// The number whose parts parse() gave earlier (for stores that keep numbers packed).
    static PhoneNumber fromParsedParts(QString e164, QString international, QString region,
                                       int callingCode)
    {
        PhoneNumber n;
        n.m_e164 = std::move(e164);
        n.m_international = std::move(international);
        n.m_region = std::move(region);
        n.m_callingCode = callingCode;
        return n;
    }

    /// "+919876543210": what the Twilio API wants.
    QString e164() const { return m_e164; }
    /// "+91 98765 43210": for display.
    QString international() const { return m_international; }
    /// "+91 ••••• •3210": for logs; only the country code and the last four digits remain.
    QString masked() const;
    /// The region the number belongs to ("IN"), or an empty string for non-geographic numbers.
    QString region() const { return m_region; }
    int callingCode() const { return m_callingCode; }

    friend bool operator==(const PhoneNumber &a, const PhoneNumber &b)
    {
        return a.m_e164 == b.m_e164;
    }

private:
    QString m_e164;
    QString m_international;
    QString m_region;
    int m_callingCode = 0;
};

/// A phone number as shown (PhoneNumber::international() or masked(), "+91 98765 43210") made
/// fit for running text in any language: one left-to-right isolate (U+2066 ... U+2069), so its
/// groups keep their order inside a right-to-left sentence, that never wraps (no-break spaces
/// U+00A0 between the groups, a word joiner U+2060 after each dash). Every sentence, label or
/// accessible text that shows a number to a person goes through this.
QString phoneNumberInText(QStringView shown);

/// The outcome of PhoneNumber::parse(): a number, or the reason there is none.
struct PhoneParseResult
{
    std::optional<PhoneNumber> number;
    PhoneError error = PhoneError::None;
    bool ok() const { return number.has_value(); }
};

/// Formats a phone number as it is typed, for one region (libphonenumber's AsYouTypeFormatter).
class PhoneInputFormatter
{
public:
    explicit PhoneInputFormatter(QStringView region);
    ~PhoneInputFormatter();
    PhoneInputFormatter(const PhoneInputFormatter &) = delete;
    PhoneInputFormatter &operator=(const PhoneInputFormatter &) = delete;

    /// Formats the digits (and a leading +) of @p raw; other characters are dropped.
    QString format(QStringView raw);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::PhoneNumber)
