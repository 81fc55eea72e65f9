#include "engine/Config.h"

#include "engine/PhoneNumber.h"
#include "engine/TwilioApi.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

#include <array>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace waotp {

namespace {

using namespace std::chrono_literals;

struct SettingName
{
    const char16_t *env;
    const char16_t *ini;
    bool secret;
};

constexpr std::array<SettingName, 20> Settings {{
    {u"TWILIO_ACCOUNT_SID", u"twilio/account_sid", false},
    {u"TWILIO_AUTH_TOKEN", u"twilio/auth_token", true},
    {u"TWILIO_API_KEY_SID", u"twilio/api_key_sid", false},
    {u"TWILIO_API_KEY_SECRET", u"twilio/api_key_secret", true},
    {u"TWILIO_WHATSAPP_FROM", u"twilio/whatsapp_from", false},
    {u"TWILIO_SMS_FROM", u"twilio/sms_from", false},
    {u"TWILIO_VERIFY_SERVICE_SID", u"twilio/verify_service_sid", false},
    {u"TWILIO_CONTENT_SID", u"twilio/content_sid", false},
    {u"TWILIO_API_BASE_URL", u"twilio/api_base_url", false},
    {u"WAOTP_BRAND", u"app/brand", false},
    {u"WAOTP_DEFAULT_COUNTRY", u"app/default_country", false},
    {u"WAOTP_ALLOW_DEMO_FALLBACK", u"app/allow_demo_fallback", false},
    {u"WAOTP_STORE", u"app/store", false},
    {u"WAOTP_STORE_SECRET", u"app/store_secret", true},
    {u"WAOTP_KIOSK_IDLE_TIMEOUT", u"app/kiosk_idle_timeout", false},
    {u"WAOTP_CODE_LIFETIME", u"policy/code_lifetime", false},
    {u"WAOTP_MAX_ATTEMPTS", u"policy/max_attempts", false},
    {u"WAOTP_RESEND_COOLDOWN", u"policy/resend_cooldown", false},
    {u"WAOTP_MAX_RESEND_COOLDOWN", u"policy/max_resend_cooldown", false},
    {u"WAOTP_MAX_SENDS_PER_HOUR", u"policy/max_sends_per_hour", false},
}};

const QString SourceCommandLine = QStringLiteral("command line");
const QString SourceEnvironment = QStringLiteral("environment");
const QString SourceFile = QStringLiteral("file");
const QString SourceDefault = QStringLiteral("default");

QString s(const char16_t *text)
{
    return QString::fromUtf16(text);
}

/// The password of a store URL (redis://:secret@host) is a secret too.
QString storePassword(const QString &store)
{
    const QUrl url(store);
    return url.isValid() ? url.password() : QString();
}

QString describeSid(const QString &value)
{
    return QStringLiteral("got %1 characters starting with '%2'")
        .arg(value.size())
        .arg(value.left(2));
}

class Loader
{
public:
    explicit Loader(ConfigResult &result) : r(result) { }

    QHash<QString, QString> raw; // env name -> effective text

    void error(const QString &text) { r.errors.append(text); }
    void warning(const QString &text) { r.warnings.append(text); }

    QString take(const char16_t *env) const { return raw.value(s(env)); }
    bool has(const char16_t *env) const { return raw.contains(s(env)); }

    QString sid(const char16_t *env, QStringView prefix)
    {
        const QString value = take(env);
        if (value.isEmpty())
            return value;
        static const QRegularExpression hex32(QStringLiteral("^[0-9a-fA-F]{32}$"));
        if (!value.startsWith(prefix) || !hex32.match(value.mid(2)).hasMatch()) {
            error(QStringLiteral("%1 must be '%2' followed by 32 hexadecimal digits (%3)")
                      .arg(s(env), prefix.toString(), describeSid(value)));
        }
        return value;
    }

    QString phone(const char16_t *env, bool allowWhatsAppPrefix)
    {
        QString value = take(env);
        if (value.isEmpty())
            return value;
        if (allowWhatsAppPrefix && value.startsWith(u"whatsapp:"))
            value = value.mid(9);
        static const QRegularExpression separators(QStringLiteral("[\\s().-]"));
        value.remove(separators);
        static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
        if (!e164.match(value).hasMatch()) {
            error(QStringLiteral("%1 must be a phone number in E.164 form, like +14155238886 "
                                 "(got '%2')")
                      .arg(s(env), take(env).left(40)));
        }
        return value;
    }

    bool boolean(const char16_t *env, bool fallback)
    {
        if (!has(env))
            return fallback;
        const QString v = take(env).toLower();
        if (v == u"1" || v == u"true" || v == u"yes" || v == u"on")
            return true;
        if (v == u"0" || v == u"false" || v == u"no" || v == u"off")
            return false;
        error(
            QStringLiteral("%1 must be true or false (got '%2')").arg(s(env), take(env).left(20)));
        return fallback;
    }

    /// Seconds, optionally with a unit: "300", "300s", "5m", "1h".
    std::chrono::seconds duration(const char16_t *env, std::chrono::seconds fallback,
                                  std::chrono::seconds min, std::chrono::seconds max)
    {
        if (!has(env))
            return fallback;
        static const QRegularExpression form(
            QStringLiteral("^\\s*([0-9]{1,7})\\s*(s|m|min|h)?\\s*$"));
        const QRegularExpressionMatch m = form.match(take(env));
        if (!m.hasMatch()) {
            error(QStringLiteral("%1 must be a duration in seconds, like 300, 300s, 5m or 1h "
                                 "(got '%2')")
                      .arg(s(env), take(env).left(20)));
            return fallback;
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
                      .arg(s(env))
                      .arg(min.count())
                      .arg(max.count())
                      .arg(seconds));
            return fallback;
        }
        return value;
    }

    int integer(const char16_t *env, int fallback, int min, int max)
    {
        if (!has(env))
            return fallback;
        bool ok = false;
        const int value = take(env).trimmed().toInt(&ok);
        if (!ok || value < min || value > max) {
            error(QStringLiteral("%1 must be a whole number from %2 to %3 (got '%4')")
                      .arg(s(env))
                      .arg(min)
                      .arg(max)
                      .arg(take(env).left(20)));
            return fallback;
        }
        return value;
    }

    ConfigResult &r;
};

QString defaultConfigPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("waotp.ini"));
}

/// ssh refuses a private key that others can read; a config file holding a secret is treated
/// the same way. Returns the error, or an empty string.
QString permissionProblem(const QString &path, const QStringList &secretNames)
{
#ifdef Q_OS_UNIX
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    const unsigned mode = unsigned(st.st_mode) & 07777u;
    if ((mode & 077u) == 0)
        return {};
    return QStringLiteral("Permissions %1 for '%2' are too open. The file holds %3, so it must "
                          "be readable by its owner only; it is ignored. Fix it with: chmod 600 "
                          "'%2'")
        .arg(QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0')), path,
             secretNames.join(QStringLiteral(", ")));
#else
    Q_UNUSED(path);
    Q_UNUSED(secretNames);
    return {};
#endif
}

/// Reads the INI file into env-named values. Keys may be "section/key" or the environment name.
QHash<QString, QString> readFile(const QString &path, ConfigResult &result)
{
    QHash<QString, QString> values;
    QSettings ini(path, QSettings::IniFormat);
    if (ini.status() != QSettings::NoError) {
        result.errors.append(QStringLiteral("The configuration file '%1' cannot be %2.")
                                 .arg(path,
                                      ini.status() == QSettings::AccessError
                                          ? QStringLiteral("read")
                                          : QStringLiteral("parsed (is it an INI file?)")));
        return values;
    }
    QStringList known;
    for (const SettingName &n : Settings) {
        const QString env = s(n.env);
        const QString iniKey = s(n.ini);
        known << env << iniKey;
        for (const QString &key : {iniKey, env}) {
            const QVariant v = ini.value(key);
            if (!v.isValid())
                continue;
            // QSettings splits a value with commas into a list: the value is the whole text.
            const QString text = v.metaType().id() == QMetaType::QStringList
                ? v.toStringList().join(QStringLiteral(", "))
                : v.toString();
            if (!text.trimmed().isEmpty())
                values.insert(env, text.trimmed());
        }
    }
    const QStringList keys = ini.allKeys();
    for (const QString &key : keys) {
        if (!known.contains(key))
            result.warnings.append(
                QStringLiteral("Unknown setting '%1' in '%2' is ignored.").arg(key, path));
    }
    return values;
}

} // namespace

bool TwilioSettings::hasCredentials() const
{
    return !accountSid.isEmpty() || !authToken.isEmpty() || !apiKeySid.isEmpty()
        || !apiKeySecret.isEmpty();
}

QStringList TwilioSettings::secrets() const
{
    QStringList out;
    for (const QString &secret : {authToken, apiKeySecret}) {
        if (!secret.isEmpty())
            out.append(secret);
    }
    if (!basicPassword().isEmpty()) {
        const QByteArray basic = (basicUser() + u':' + basicPassword()).toUtf8().toBase64();
        out.append(QString::fromLatin1(basic));
    }
    return out;
}

QStringList AppConfig::secrets() const
{
    QStringList out = twilio.secrets();
    if (!storeSecret.isEmpty())
        out.append(QString::fromUtf8(storeSecret));
    const QString password = storePassword(store);
    if (!password.isEmpty())
        out.append(password);
    return out;
}

QStringList configKeys()
{
    QStringList out;
    for (const SettingName &n : Settings)
        out.append(s(n.env));
    return out;
}

QString iniKeyFor(QStringView envName)
{
    for (const SettingName &n : Settings) {
        if (envName == QStringView(n.env))
            return s(n.ini);
    }
    return {};
}

bool isSecretKey(QStringView envName)
{
    for (const SettingName &n : Settings) {
        if (envName == QStringView(n.env))
            return n.secret;
    }
    return false;
}

ConfigResult loadConfig(const ConfigSource &source)
{
    ConfigResult result;
    Loader load(result);

    // The file.
    const bool explicitFile = !source.filePath.isEmpty();
    result.filePath = explicitFile ? source.filePath : defaultConfigPath();
    QHash<QString, QString> fileValues;
    if (!result.filePath.isEmpty()) {
        const QFileInfo info(result.filePath);
        if (!info.exists()) {
            if (explicitFile)
                load.error(QStringLiteral("The configuration file '%1' does not exist.")
                               .arg(result.filePath));
        } else if (!info.isFile() || !info.isReadable()) {
            load.error(
                QStringLiteral("The configuration file '%1' cannot be read.").arg(result.filePath));
        } else {
            fileValues = readFile(result.filePath, result);
            QStringList secretNames;
            for (auto it = fileValues.cbegin(); it != fileValues.cend(); ++it) {
                if (isSecretKey(it.key())
                    || (it.key() == u"WAOTP_STORE" && !storePassword(it.value()).isEmpty()))
                    secretNames.append(it.key());
            }
            secretNames.sort();
            const QString problem =
                secretNames.isEmpty() ? QString() : permissionProblem(result.filePath, secretNames);
            if (!problem.isEmpty()) {
                load.error(problem);
                fileValues.clear();
            } else {
                result.fileRead = true;
            }
        }
    }

    // Precedence: command line, environment, file.
    for (auto it = source.overrides.cbegin(); it != source.overrides.cend(); ++it) {
        if (iniKeyFor(it.key()).isEmpty())
            load.error(QStringLiteral("Unknown setting '%1'.").arg(it.key()));
    }
    for (const SettingName &n : Settings) {
        const QString env = s(n.env);
        const QString fromLine = source.overrides.value(env).trimmed();
        const QString fromEnv = source.environment.value(env).trimmed();
        if (!fromLine.isEmpty()) {
            load.raw.insert(env, fromLine);
            result.sources.insert(env, SourceCommandLine);
        } else if (!fromEnv.isEmpty()) {
            load.raw.insert(env, fromEnv);
            result.sources.insert(env, SourceEnvironment);
        } else if (fileValues.contains(env)) {
            load.raw.insert(env, fileValues.value(env));
            result.sources.insert(env, SourceFile);
        } else {
            result.sources.insert(env, SourceDefault);
        }
    }

    AppConfig &c = result.config;
    TwilioSettings &t = c.twilio;
    t.accountSid = load.sid(u"TWILIO_ACCOUNT_SID", u"AC");
    t.authToken = load.take(u"TWILIO_AUTH_TOKEN");
    t.apiKeySid = load.sid(u"TWILIO_API_KEY_SID", u"SK");
    t.apiKeySecret = load.take(u"TWILIO_API_KEY_SECRET");
    t.whatsappFrom = load.phone(u"TWILIO_WHATSAPP_FROM", true);
    t.smsFrom = load.phone(u"TWILIO_SMS_FROM", false);
    t.verifyServiceSid = load.sid(u"TWILIO_VERIFY_SERVICE_SID", u"VA");
    t.contentSid = load.sid(u"TWILIO_CONTENT_SID", u"HX");
    if (load.has(u"TWILIO_API_BASE_URL")) {
        const QUrl url(load.take(u"TWILIO_API_BASE_URL"), QUrl::StrictMode);
        QString why;
        if (!isAllowedTwilioUrl(url, &why))
            load.error(QStringLiteral("TWILIO_API_BASE_URL: %1 (got '%2')")
                           .arg(why, url.toDisplayString(QUrl::RemoveUserInfo).left(80)));
        else
            t.apiBaseUrl = url;
    }

    if (load.has(u"WAOTP_BRAND")) {
        const QString brand = load.take(u"WAOTP_BRAND");
        static const QRegularExpression control(QStringLiteral("[\\x00-\\x1f\\x7f]"));
        if (brand.size() > 40 || brand.contains(control))
            load.error(QStringLiteral("WAOTP_BRAND must be one line of at most 40 characters."));
        else
            c.brand = brand;
    }
    if (load.has(u"WAOTP_DEFAULT_COUNTRY")) {
        const QString region = load.take(u"WAOTP_DEFAULT_COUNTRY").toUpper();
        if (region.size() != 2 || PhoneNumber::callingCodeForRegion(region) == 0)
            load.error(QStringLiteral("WAOTP_DEFAULT_COUNTRY must be a two-letter country code "
                                      "such as IN or US (got '%1')")
                           .arg(load.take(u"WAOTP_DEFAULT_COUNTRY").left(10)));
        else
            c.defaultRegion = region;
    }
    c.allowDemoFallback = load.boolean(u"WAOTP_ALLOW_DEMO_FALLBACK", false);
    if (load.has(u"WAOTP_STORE")) {
        const QString store = load.take(u"WAOTP_STORE");
        const QUrl url(store);
        if (store == u"memory" || (url.isValid() && url.scheme().startsWith(u"redis")))
            c.store = store;
        else
            load.error(QStringLiteral("WAOTP_STORE must be 'memory' or a redis:// URL (got '%1')")
                           .arg(url.toDisplayString(QUrl::RemoveUserInfo).left(80)));
    }
    // The shared key of a fleet: it keys the hash of every number and code in the store, so a
    // short one would let anyone who reads the store guess them.
    if (load.has(u"WAOTP_STORE_SECRET")) {
        const QByteArray secret = load.take(u"WAOTP_STORE_SECRET").toUtf8();
        if (secret.size() >= 32)
            c.storeSecret = secret;
        else
            load.error(QStringLiteral("WAOTP_STORE_SECRET must be at least 32 characters, the "
                                      "same on every machine (got %1; make one with: openssl "
                                      "rand -hex 32)")
                           .arg(secret.size()));
    }
    c.kioskIdleTimeout = load.duration(u"WAOTP_KIOSK_IDLE_TIMEOUT", c.kioskIdleTimeout, 0s, 24h);
    if (c.kioskIdleTimeout > 0s && c.kioskIdleTimeout < 10s) {
        load.error(QStringLiteral("WAOTP_KIOSK_IDLE_TIMEOUT must be 0 (off) or at least 10 "
                                  "seconds (got %1)")
                       .arg(c.kioskIdleTimeout.count()));
        c.kioskIdleTimeout = 60s;
    }

    OtpPolicy &p = c.policy;
    using std::chrono::duration_cast;
    // Twilio's ValidityPeriod goes up to 36000 s: a code may not live longer.
    p.codeLifetime = load.duration(u"WAOTP_CODE_LIFETIME",
                                   duration_cast<std::chrono::seconds>(p.codeLifetime), 30s, 10h);
    p.maxAttempts = load.integer(u"WAOTP_MAX_ATTEMPTS", p.maxAttempts, 1, 10);
    p.firstResendCooldown =
        load.duration(u"WAOTP_RESEND_COOLDOWN",
                      duration_cast<std::chrono::seconds>(p.firstResendCooldown), 0s, 1h);
    p.maxResendCooldown =
        load.duration(u"WAOTP_MAX_RESEND_COOLDOWN",
                      duration_cast<std::chrono::seconds>(p.maxResendCooldown), 0s, 24h);
    if (p.maxResendCooldown < p.firstResendCooldown)
        load.error(QStringLiteral("WAOTP_MAX_RESEND_COOLDOWN (%1 s) must not be shorter than "
                                  "WAOTP_RESEND_COOLDOWN (%2 s).")
                       .arg(duration_cast<std::chrono::seconds>(p.maxResendCooldown).count())
                       .arg(duration_cast<std::chrono::seconds>(p.firstResendCooldown).count()));
    p.maxSendsPerHour = load.integer(u"WAOTP_MAX_SENDS_PER_HOUR", p.maxSendsPerHour, 1, 100);

    // The combination.
    if (c.mode() == AppConfig::Mode::Live) {
        if (t.accountSid.isEmpty())
            load.error(QStringLiteral("TWILIO_ACCOUNT_SID is required with Twilio credentials."));
        if (t.apiKeySid.isEmpty() != t.apiKeySecret.isEmpty())
            load.error(QStringLiteral("TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: "
                                      "set both or neither."));
        if (t.authToken.isEmpty() && t.apiKeySid.isEmpty() && t.apiKeySecret.isEmpty())
            load.error(QStringLiteral("Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY_SID and "
                                      "TWILIO_API_KEY_SECRET (recommended by Twilio)."));
        if (!t.authToken.isEmpty() && !t.apiKeySid.isEmpty())
            load.warning(QStringLiteral("Both an auth token and an API key are set: the API key "
                                        "is used."));
        static const QRegularExpression token(QStringLiteral("^[0-9a-fA-F]{32}$"));
        if (!t.authToken.isEmpty() && t.apiKeySid.isEmpty() && !token.match(t.authToken).hasMatch())
            load.warning(QStringLiteral("TWILIO_AUTH_TOKEN does not look like a Twilio auth token "
                                        "(32 hexadecimal digits, %1 characters given).")
                             .arg(t.authToken.size()));
        if (t.verifyServiceSid.isEmpty() && t.whatsappFrom.isEmpty())
            load.error(QStringLiteral("TWILIO_WHATSAPP_FROM is required to send codes by "
                                      "WhatsApp (or set TWILIO_VERIFY_SERVICE_SID to let Twilio "
                                      "Verify send them)."));
        if (!t.verifyServiceSid.isEmpty() && !t.contentSid.isEmpty())
            load.warning(QStringLiteral("TWILIO_CONTENT_SID is not used with Twilio Verify."));
        if (c.allowDemoFallback)
            load.warning(QStringLiteral("WAOTP_ALLOW_DEMO_FALLBACK is on: when Twilio fails, the "
                                        "code is shown on screen."));
    } else {
        QStringList unused;
        for (const char16_t *env :
             {u"TWILIO_WHATSAPP_FROM", u"TWILIO_SMS_FROM", u"TWILIO_VERIFY_SERVICE_SID",
              u"TWILIO_CONTENT_SID", u"TWILIO_API_BASE_URL"}) {
            if (load.has(env))
                unused.append(s(env));
        }
        if (!unused.isEmpty())
            load.warning(QStringLiteral("%1 set, but there are no Twilio credentials: the app "
                                        "runs in demo mode.")
                             .arg(unused.join(QStringLiteral(", "))));
    }
    return result;
}

namespace {

QString displayValue(const ConfigResult &r, const QString &env)
{
    const AppConfig &c = r.config;
    const TwilioSettings &t = c.twilio;
    auto secret = [](const QString &v) {
        return v.isEmpty() ? QStringLiteral("not set") : QStringLiteral("set (hidden)");
    };
    auto plain = [](const QString &v) { return v.isEmpty() ? QStringLiteral("not set") : v; };
    auto secs = [](auto d) {
        return QStringLiteral("%1 s").arg(
            std::chrono::duration_cast<std::chrono::seconds>(d).count());
    };
    if (env == u"TWILIO_ACCOUNT_SID")
        return plain(t.accountSid);
    if (env == u"TWILIO_AUTH_TOKEN")
        return secret(t.authToken);
    if (env == u"TWILIO_API_KEY_SID")
        return plain(t.apiKeySid);
    if (env == u"TWILIO_API_KEY_SECRET")
        return secret(t.apiKeySecret);
    if (env == u"TWILIO_WHATSAPP_FROM")
        return plain(t.whatsappFrom);
    if (env == u"TWILIO_SMS_FROM")
        return plain(t.smsFrom);
    if (env == u"TWILIO_VERIFY_SERVICE_SID")
        return plain(t.verifyServiceSid);
    if (env == u"TWILIO_CONTENT_SID")
        return plain(t.contentSid);
    if (env == u"TWILIO_API_BASE_URL")
        return t.apiBaseUrl.isEmpty()
            ? QStringLiteral("not set (api.twilio.com, verify.twilio.com)")
            : t.apiBaseUrl.toDisplayString(QUrl::RemoveUserInfo);
    if (env == u"WAOTP_BRAND")
        return c.brand;
    if (env == u"WAOTP_DEFAULT_COUNTRY")
        return c.defaultRegion;
    if (env == u"WAOTP_ALLOW_DEMO_FALLBACK")
        return c.allowDemoFallback ? QStringLiteral("on") : QStringLiteral("off");
    if (env == u"WAOTP_STORE")
        return c.store.isEmpty() ? QStringLiteral("memory")
                                 : QUrl(c.store).toDisplayString(QUrl::RemovePassword);
    if (env == u"WAOTP_STORE_SECRET")
        return secret(QString::fromUtf8(c.storeSecret));
    if (env == u"WAOTP_KIOSK_IDLE_TIMEOUT")
        return c.kioskIdleTimeout.count() ? secs(c.kioskIdleTimeout) : QStringLiteral("off");
    if (env == u"WAOTP_CODE_LIFETIME")
        return secs(c.policy.codeLifetime);
    if (env == u"WAOTP_MAX_ATTEMPTS")
        return QString::number(c.policy.maxAttempts);
    if (env == u"WAOTP_RESEND_COOLDOWN")
        return secs(c.policy.firstResendCooldown);
    if (env == u"WAOTP_MAX_RESEND_COOLDOWN")
        return secs(c.policy.maxResendCooldown);
    if (env == u"WAOTP_MAX_SENDS_PER_HOUR")
        return QString::number(c.policy.maxSendsPerHour);
    return {};
}

QString describeMode(const ConfigResult &r)
{
    const AppConfig &c = r.config;
    const TwilioSettings &t = c.twilio;
    if (!r.ok())
        return QStringLiteral("none: the configuration has errors, the app will not start");
    if (c.mode() == AppConfig::Mode::Demo)
        return QStringLiteral("demo: no Twilio credentials; nothing is sent, codes are shown on "
                              "screen");
    QString mode = t.verifyServiceSid.isEmpty()
        ? QStringLiteral("live: WhatsApp codes through the Twilio Messages API from %1%2")
              .arg(t.whatsappFrom,
                   t.contentSid.isEmpty() ? QStringLiteral(" (message text)")
                                          : QStringLiteral(" (template %1)").arg(t.contentSid))
        : QStringLiteral("live: Twilio Verify service %1 sends and checks the codes by WhatsApp")
              .arg(t.verifyServiceSid);
    if (!t.smsFrom.isEmpty())
        mode += QStringLiteral("; SMS fallback %1")
                    .arg(t.verifyServiceSid.isEmpty() ? QStringLiteral("from ") + t.smsFrom
                                                      : QStringLiteral("through Verify"));
    mode +=
        QStringLiteral("; authenticated with %1")
            .arg(t.usesApiKey() ? QStringLiteral("the API key") : QStringLiteral("the auth token"));
    mode += c.allowDemoFallback
        ? QStringLiteral("; demo fallback ON (codes shown when Twilio fails)")
        : QStringLiteral("; demo fallback off");
    return mode;
}

} // namespace

QString describeConfig(const ConfigResult &r)
{
    QStringList lines;
    if (r.filePath.isEmpty())
        lines << QStringLiteral("Configuration file: none");
    else
        lines << QStringLiteral("Configuration file: %1 (%2)")
                     .arg(r.filePath,
                          r.fileRead                          ? QStringLiteral("read")
                              : QFileInfo::exists(r.filePath) ? QStringLiteral("not used")
                                                              : QStringLiteral("not found"));
    lines << QStringLiteral("Mode: %1").arg(describeMode(r));
    lines << QStringLiteral("Settings:");
    for (const QString &env : configKeys())
        lines << QStringLiteral("  %1 %2 (%3)")
                     .arg(env.leftJustified(27), displayValue(r, env),
                          r.sources.value(env, SourceDefault));
    if (!r.errors.isEmpty()) {
        lines << QStringLiteral("Errors:");
        for (const QString &e : r.errors)
            lines << QStringLiteral("  - ") + e;
    }
    if (!r.warnings.isEmpty()) {
        lines << QStringLiteral("Warnings:");
        for (const QString &w : r.warnings)
            lines << QStringLiteral("  - ") + w;
    }
    lines << (r.ok() ? QStringLiteral("Result: OK")
                     : QStringLiteral("Result: %1 error(s)").arg(r.errors.size()));
    return lines.join(u'\n') + u'\n';
}

} // namespace waotp
