#include "engine/ConfigSettings.h"

#include "engine/PhoneNumber.h"
#include "engine/ServerUrl.h"
#include "engine/TwilioApi.h"

#include <QRegularExpression>
#include <QUrl>

#include <array>
#include <optional>

namespace waotp {

using namespace std::chrono_literals;

// The reader of one setting's text.

SettingReader::SettingReader(const QString &name, const QString &text, QStringList &errors)
    : m_name(name), m_text(text), m_errors(errors)
{ }

QString SettingReader::sid(QStringView prefix)
{
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-fA-F]{32}$"));
    if (!m_text.startsWith(prefix) || !hex32.match(m_text.mid(2)).hasMatch()) {
        error(QStringLiteral("%1 must be '%2' followed by 32 hexadecimal digits (%3)")
                  .arg(m_name, prefix.toString(),
                       QStringLiteral("got %1 characters starting with '%2'")
                           .arg(m_text.size())
                           .arg(m_text.left(2))));
    }
    return m_text;
}

QString SettingReader::phone(bool allowWhatsAppPrefix)
{
    QString value = m_text;
    if (allowWhatsAppPrefix && value.startsWith(u"whatsapp:"))
        value = value.mid(9);
    static const QRegularExpression separators(QStringLiteral("[\\s().-]"));
    value.remove(separators);
    static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
    if (!e164.match(value).hasMatch()) {
        error(QStringLiteral("%1 must be a phone number in E.164 form, like +14155238886 "
                             "(got '%2')")
                  .arg(m_name, m_text.left(40)));
    }
    return value;
}

void SettingReader::integer(int &field, int min, int max)
{
    bool ok = false;
    const int value = m_text.trimmed().toInt(&ok);
    if (!ok || value < min || value > max) {
        error(QStringLiteral("%1 must be a whole number from %2 to %3 (got '%4')")
                  .arg(m_name)
                  .arg(min)
                  .arg(max)
                  .arg(m_text.left(20)));
        return;
    }
    field = value;
}

bool SettingReader::seconds(std::chrono::seconds min, std::chrono::seconds max,
                            std::chrono::seconds *out)
{
    static const QRegularExpression form(QStringLiteral("^\\s*([0-9]{1,7})\\s*(s|m|min|h)?\\s*$"));
    const QRegularExpressionMatch m = form.match(m_text);
    if (!m.hasMatch()) {
        error(QStringLiteral("%1 must be a duration in seconds, like 300, 300s, 5m or 1h "
                             "(got '%2')")
                  .arg(m_name, m_text.left(20)));
        return false;
    }
    qint64 seconds = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    if (unit == u"m" || unit == u"min")
        seconds *= 60;
    else if (unit == u"h")
        seconds *= 3600;
    const std::chrono::seconds value(seconds);
    if (value < min || value > max) {
        error(QStringLiteral("%1 must be between %2 and %3 seconds (got %4)")
                  .arg(m_name)
                  .arg(min.count())
                  .arg(max.count())
                  .arg(seconds));
        return false;
    }
    *out = value;
    return true;
}

namespace {

// How the report words values.

QString secondsText(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 s").arg(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

// The settings whose reading is more than one call of the reader.

// A URL that @p allowed accepts; otherwise std::nullopt, and the error says why.
std::optional<QUrl> readUrl(SettingReader &r, bool (*allowed)(const QUrl &, QString *))
{
    const QUrl url(r.text(), QUrl::StrictMode);
    QString why;
    if (allowed(url, &why))
        return url;
    r.error(QStringLiteral("%1: %2 (got '%3')")
                .arg(r.name(), why, url.toDisplayString(QUrl::RemoveUserInfo).left(80)));
    return std::nullopt;
}

void readApiBaseUrl(SettingReader &r, AppConfig &c)
{
    if (const auto url = readUrl(r, isAllowedTwilioUrl))
        c.twilio.apiBaseUrl = *url;
}

void readBrand(SettingReader &r, AppConfig &c)
{
    static const QRegularExpression control(QStringLiteral("[\\x00-\\x1f\\x7f]"));
    if (r.text().size() > 40 || r.text().contains(control))
        r.error(QStringLiteral("WAOTP_BRAND must be one line of at most 40 characters."));
    else
        c.brand = r.text();
}

void readDefaultCountry(SettingReader &r, AppConfig &c)
{
    const QString region = r.text().toUpper();
    if (region.size() != 2 || PhoneNumber::callingCodeForRegion(region) == 0)
        r.error(QStringLiteral("WAOTP_DEFAULT_COUNTRY must be a two-letter country code such as "
                               "IN or US (got '%1')")
                    .arg(r.text().left(10)));
    else
        c.defaultRegion = region;
}

void readStore(SettingReader &r, AppConfig &c)
{
    const QUrl url(r.text());
    if (r.text() == u"memory" || (url.isValid() && url.scheme().startsWith(u"redis")))
        c.store = r.text();
    else
        r.error(QStringLiteral("WAOTP_STORE must be 'memory' or a redis:// URL (got '%1')")
                    .arg(url.toDisplayString(QUrl::RemoveUserInfo).left(80)));
}

/// The password of a store URL (redis://:secret@host) is a secret too.
bool storeHoldsSecret(const QString &store)
{
    const QUrl url(store);
    return url.isValid() && !url.password().isEmpty();
}

// The shared key of a fleet: it keys the hash of every number and code in the store, so a
// short one would let anyone who reads the store guess them.
void readStoreSecret(SettingReader &r, AppConfig &c)
{
    const QByteArray secret = r.text().toUtf8();
    if (secret.size() >= 32)
        c.storeSecret = secret;
    else
        r.error(QStringLiteral("WAOTP_STORE_SECRET must be at least 32 characters, the same on "
                               "every machine (got %1; make one with: openssl rand -hex 32)")
                    .arg(secret.size()));
}

void readServerUrl(SettingReader &r, AppConfig &c)
{
    if (const auto url = readUrl(r, isAllowedServerUrl))
        c.serverUrl = url->path() == u"/" ? url->adjusted(QUrl::RemovePath)
                                          : url->adjusted(QUrl::StripTrailingSlash);
}

void readKioskIdleTimeout(SettingReader &r, AppConfig &c)
{
    r.duration(c.kioskIdleTimeout, 0s, 24h);
    if (c.kioskIdleTimeout > 0s && c.kioskIdleTimeout < 10s) {
        r.error(QStringLiteral("WAOTP_KIOSK_IDLE_TIMEOUT must be 0 (off) or at least 10 seconds "
                               "(got %1)")
                    .arg(c.kioskIdleTimeout.count()));
        c.kioskIdleTimeout = AppConfig().kioskIdleTimeout;
    }
}

void checkResendCooldowns(const AppConfig &c, QStringList &errors)
{
    using std::chrono::duration_cast;
    const OtpPolicy &p = c.policy;
    if (p.maxResendCooldown < p.firstResendCooldown)
        errors.append(QStringLiteral("WAOTP_MAX_RESEND_COOLDOWN (%1 s) must not be shorter than "
                                     "WAOTP_RESEND_COOLDOWN (%2 s).")
                          .arg(duration_cast<std::chrono::seconds>(p.maxResendCooldown).count())
                          .arg(duration_cast<std::chrono::seconds>(p.firstResendCooldown).count()));
}

using R = SettingReader;
using C = AppConfig;

constexpr std::array<ConfigSetting, 22> Settings {{
    // Twilio.
    {.name = u"TWILIO_ACCOUNT_SID",
     .iniKey = u"twilio/account_sid",
     .read = [](R &r, C &c) { c.twilio.accountSid = r.sid(u"AC"); },
     .display = [](const C &c) { return c.twilio.accountSid; }},
    {.name = u"TWILIO_AUTH_TOKEN",
     .iniKey = u"twilio/auth_token",
     .secret = true,
     .read = [](R &r, C &c) { c.twilio.authToken = r.text(); },
     .display = [](const C &c) { return c.twilio.authToken; }},
    {.name = u"TWILIO_API_KEY_SID",
     .iniKey = u"twilio/api_key_sid",
     .read = [](R &r, C &c) { c.twilio.apiKeySid = r.sid(u"SK"); },
     .display = [](const C &c) { return c.twilio.apiKeySid; }},
    {.name = u"TWILIO_API_KEY_SECRET",
     .iniKey = u"twilio/api_key_secret",
     .secret = true,
     .read = [](R &r, C &c) { c.twilio.apiKeySecret = r.text(); },
     .display = [](const C &c) { return c.twilio.apiKeySecret; }},
    {.name = u"TWILIO_WHATSAPP_FROM",
     .iniKey = u"twilio/whatsapp_from",
     .read = [](R &r, C &c) { c.twilio.whatsappFrom = r.phone(true); },
     .display = [](const C &c) { return c.twilio.whatsappFrom; }},
    {.name = u"TWILIO_MESSAGING_SERVICE_SID",
     .iniKey = u"twilio/messaging_service_sid",
     .read = [](R &r, C &c) { c.twilio.messagingServiceSid = r.sid(u"MG"); },
     .display = [](const C &c) { return c.twilio.messagingServiceSid; }},
    {.name = u"TWILIO_SMS_FROM",
     .iniKey = u"twilio/sms_from",
     .read = [](R &r, C &c) { c.twilio.smsFrom = r.phone(false); },
     .display = [](const C &c) { return c.twilio.smsFrom; }},
    {.name = u"TWILIO_VERIFY_SERVICE_SID",
     .iniKey = u"twilio/verify_service_sid",
     .read = [](R &r, C &c) { c.twilio.verifyServiceSid = r.sid(u"VA"); },
     .display = [](const C &c) { return c.twilio.verifyServiceSid; }},
    {.name = u"TWILIO_CONTENT_SID",
     .iniKey = u"twilio/content_sid",
     .read = [](R &r, C &c) { c.twilio.contentSid = r.sid(u"HX"); },
     .display = [](const C &c) { return c.twilio.contentSid; }},
    {.name = u"TWILIO_API_BASE_URL",
     .iniKey = u"twilio/api_base_url",
     .read = readApiBaseUrl,
     .display =
         [](const C &c) {
             return c.twilio.apiBaseUrl.isEmpty()
                 ? QStringLiteral("not set (api.twilio.com, verify.twilio.com)")
                 : c.twilio.apiBaseUrl.toDisplayString(QUrl::RemoveUserInfo);
         }},

    // The app.
    {.name = u"WAOTP_BRAND",
     .iniKey = u"app/brand",
     .read = readBrand,
     .display = [](const C &c) { return c.brand; }},
    {.name = u"WAOTP_DEFAULT_COUNTRY",
     .iniKey = u"app/default_country",
     .read = readDefaultCountry,
     .display = [](const C &c) { return c.defaultRegion; }},
    // Showed the code on screen (and in the log) when Twilio failed: a live code revealed.
    {.name = u"WAOTP_ALLOW_DEMO_FALLBACK",
     .iniKey = u"app/allow_demo_fallback",
     .retiredBecause = u"a failed send is never shown as a code (to reproduce Twilio's failures, "
                       u"use --demo with --demo-scenario)"},
    {.name = u"WAOTP_STORE",
     .iniKey = u"app/store",
     .holdsSecret = storeHoldsSecret,
     .read = readStore,
     .display =
         [](const C &c) {
             return c.store.isEmpty() ? QStringLiteral("memory")
                                      : QUrl(c.store).toDisplayString(QUrl::RemovePassword);
         }},
    {.name = u"WAOTP_STORE_SECRET",
     .iniKey = u"app/store_secret",
     .secret = true,
     .read = readStoreSecret,
     .display = [](const C &c) { return QString::fromUtf8(c.storeSecret); }},
    {.name = u"WAOTP_SERVER_URL",
     .iniKey = u"app/server_url",
     .read = readServerUrl,
     .display =
         [](const C &c) {
             return c.serverUrl.isEmpty()
                 ? QStringLiteral("not set (codes handled in this process)")
                 : c.serverUrl.toDisplayString();
         }},
    {.name = u"WAOTP_KIOSK_IDLE_TIMEOUT",
     .iniKey = u"app/kiosk_idle_timeout",
     .read = readKioskIdleTimeout,
     .display =
         [](const C &c) {
             return c.kioskIdleTimeout.count() ? secondsText(c.kioskIdleTimeout)
                                               : QStringLiteral("off");
         }},

    // The policy. Past these bounds a setting is refused, not weakened: a code lives at most 10
    // minutes (NIST SP 800-63B §5.1.3), a number has at most 10 attempts per code and 10 sends
    // an hour. Within them, a value weaker than the default is a warning (Config.cpp).
    {.name = u"WAOTP_CODE_LIFETIME",
     .iniKey = u"policy/code_lifetime",
     .read = [](R &r, C &c) { r.duration(c.policy.codeLifetime, 30s, 10min); },
     .display = [](const C &c) { return secondsText(c.policy.codeLifetime); }},
    {.name = u"WAOTP_MAX_ATTEMPTS",
     .iniKey = u"policy/max_attempts",
     .read = [](R &r, C &c) { r.integer(c.policy.maxAttempts, 1, 10); },
     .display = [](const C &c) { return QString::number(c.policy.maxAttempts); }},
    {.name = u"WAOTP_RESEND_COOLDOWN",
     .iniKey = u"policy/resend_cooldown",
     .read = [](R &r, C &c) { r.duration(c.policy.firstResendCooldown, 0s, 1h); },
     .display = [](const C &c) { return secondsText(c.policy.firstResendCooldown); }},
    {.name = u"WAOTP_MAX_RESEND_COOLDOWN",
     .iniKey = u"policy/max_resend_cooldown",
     .read = [](R &r, C &c) { r.duration(c.policy.maxResendCooldown, 0s, 24h); },
     .check = checkResendCooldowns,
     .display = [](const C &c) { return secondsText(c.policy.maxResendCooldown); }},
    {.name = u"WAOTP_MAX_SENDS_PER_HOUR",
     .iniKey = u"policy/max_sends_per_hour",
     .read = [](R &r, C &c) { r.integer(c.policy.maxSendsPerHour, 1, 10); },
     .display = [](const C &c) { return QString::number(c.policy.maxSendsPerHour); }},
}};

constexpr bool sameText(const char16_t *a, const char16_t *b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

/// Every row has its names, and a reader and a display unless it is retired (then neither);
/// no two rows share a name or a key.
constexpr bool rowsAreComplete()
{
    for (std::size_t i = 0; i < Settings.size(); ++i) {
        const ConfigSetting &row = Settings[i];
        if (!row.name || !row.iniKey)
            return false;
        const bool retired = row.retiredBecause != nullptr;
        if (retired ? (row.read || row.check || row.display || row.secret)
                    : (!row.read || !row.display))
            return false;
        for (std::size_t j = 0; j < i; ++j) {
            if (sameText(row.name, Settings[j].name) || sameText(row.iniKey, Settings[j].iniKey))
                return false;
        }
    }
    return true;
}
static_assert(rowsAreComplete(),
              "a setting without a name, a key, a reader or a display (or a "
              "retired one with any of them)");

} // namespace

std::span<const ConfigSetting> configSettings()
{
    return Settings;
}

const ConfigSetting *findConfigSetting(QStringView name)
{
    for (const ConfigSetting &setting : Settings) {
        if (name == QStringView(setting.name))
            return &setting;
    }
    return nullptr;
}

} // namespace waotp
