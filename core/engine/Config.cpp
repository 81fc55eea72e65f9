#include "engine/Config.h"

#include "engine/ConfigFile.h"
#include "engine/ConfigSettings.h"

#include <QRegularExpression>

namespace waotp {

namespace {

/// The password of a store URL (redis://:secret@host) is a secret too.
QString storePassword(const QString &store)
{
    const QUrl url(store);
    return url.isValid() ? url.password() : QString();
}

/// The effective text of every setting that is set, keyed by environment name. Precedence:
/// command line, environment, file. Records where each setting came from.
QHash<QString, QString> effectiveValues(const ConfigSource &source,
                                        const QHash<QString, QString> &fileValues,
                                        ConfigResult &result)
{
    for (auto it = source.overrides.cbegin(); it != source.overrides.cend(); ++it) {
        if (!findConfigSetting(it.key()))
            result.errors.append(QStringLiteral("Unknown setting '%1'.").arg(it.key()));
    }
    QHash<QString, QString> values;
    for (const ConfigSetting &setting : configSettings()) {
        const QString name = setting.nameString();
        const QString fromLine = source.overrides.value(name).trimmed();
        const QString fromEnv = source.environment.value(name).trimmed();
        QStringView from = SourceDefault;
        if (!fromLine.isEmpty()) {
            values.insert(name, fromLine);
            from = SourceCommandLine;
        } else if (!fromEnv.isEmpty()) {
            values.insert(name, fromEnv);
            from = SourceEnvironment;
        } else if (fileValues.contains(name)) {
            values.insert(name, fileValues.value(name));
            from = SourceFile;
        }
        result.sources.insert(name, from.toString());
    }
    return values;
}

/// A retired setting that is still set is ignored, and said so: it is never acted on.
void warnRetired(const ConfigSetting &setting, ConfigResult &result)
{
    const QString name = setting.nameString();
    const QString where = result.sources.value(name) == SourceFile
        ? QStringLiteral("%1 in '%2'").arg(setting.iniKeyString(), result.filePath)
        : name;
    result.warnings.append(
        QStringLiteral("%1 is no longer supported and is ignored: %2. Remove it.")
            .arg(where, QString::fromUtf16(setting.retiredBecause)));
}

/// Reads every setting into result.config, in the order of the table.
void readSettings(const QHash<QString, QString> &values, ConfigResult &result)
{
    for (const ConfigSetting &setting : configSettings()) {
        const QString name = setting.nameString();
        if (setting.isRetired()) {
            if (values.contains(name))
                warnRetired(setting, result);
            continue;
        }
        if (values.contains(name)) {
            SettingReader reader(name, values.value(name), result.errors);
            setting.read(reader, result.config);
        }
        if (setting.check)
            setting.check(result.config, result.errors);
    }
}

/// Live mode: the credentials and a way to send must go together.
void checkLiveCombination(const AppConfig &c, ConfigResult &result)
{
    const TwilioSettings &t = c.twilio;
    QStringList &errors = result.errors;
    QStringList &warnings = result.warnings;
    if (t.accountSid.isEmpty())
        errors.append(QStringLiteral("TWILIO_ACCOUNT_SID is required with Twilio credentials."));
    if (t.apiKeySid.isEmpty() != t.apiKeySecret.isEmpty())
        errors.append(QStringLiteral("TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: "
                                     "set both or neither."));
    if (t.authToken.isEmpty() && t.apiKeySid.isEmpty() && t.apiKeySecret.isEmpty())
        errors.append(QStringLiteral("Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY_SID and "
                                     "TWILIO_API_KEY_SECRET (recommended by Twilio)."));
    if (!t.authToken.isEmpty() && !t.apiKeySid.isEmpty())
        warnings.append(
            QStringLiteral("Both an auth token and an API key are set: the API key is used."));
    static const QRegularExpression token(QStringLiteral("^[0-9a-fA-F]{32}$"));
    if (!t.authToken.isEmpty() && t.apiKeySid.isEmpty() && !token.match(t.authToken).hasMatch())
        warnings.append(QStringLiteral("TWILIO_AUTH_TOKEN does not look like a Twilio auth token "
                                       "(32 hexadecimal digits, %1 characters given).")
                            .arg(t.authToken.size()));
    if (t.verifyServiceSid.isEmpty() && t.whatsappFrom.isEmpty() && t.messagingServiceSid.isEmpty())
        errors.append(QStringLiteral("TWILIO_WHATSAPP_FROM or TWILIO_MESSAGING_SERVICE_SID is "
                                     "required to send codes by WhatsApp (or set "
                                     "TWILIO_VERIFY_SERVICE_SID to let Twilio Verify send "
                                     "them)."));
    if (!t.verifyServiceSid.isEmpty() && !t.messagingServiceSid.isEmpty())
        warnings.append(
            QStringLiteral("TWILIO_MESSAGING_SERVICE_SID is not used with Twilio Verify."));
    else if (!t.messagingServiceSid.isEmpty() && !t.whatsappFrom.isEmpty())
        warnings.append(QStringLiteral("TWILIO_WHATSAPP_FROM is not used: the messaging service "
                                       "(TWILIO_MESSAGING_SERVICE_SID) picks the WhatsApp "
                                       "sender."));
    if (!t.verifyServiceSid.isEmpty() && !t.contentSid.isEmpty())
        warnings.append(QStringLiteral("TWILIO_CONTENT_SID is not used with Twilio Verify."));
}

/// A policy setting within its bounds but weaker than the product's default is allowed, and
/// said (--check-config and the log at start).
void checkPolicyStrength(const OtpPolicy &p, QStringList &warnings)
{
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    const OtpPolicy defaults;
    const auto weaker = [&warnings](const char16_t *name, qint64 value, qint64 byDefault,
                                    const char16_t *unit, const char16_t *why) {
        warnings.append(QStringLiteral("%1 (%2%4) is weaker than the default (%3%4): %5.")
                            .arg(QString::fromUtf16(name))
                            .arg(value)
                            .arg(byDefault)
                            .arg(QString::fromUtf16(unit), QString::fromUtf16(why)));
    };
    const auto secs = [](std::chrono::milliseconds d) { return duration_cast<seconds>(d).count(); };
    if (p.codeLifetime > defaults.codeLifetime)
        weaker(u"WAOTP_CODE_LIFETIME", secs(p.codeLifetime), secs(defaults.codeLifetime), u" s",
               u"each code can be guessed for longer");
    if (p.maxAttempts > defaults.maxAttempts)
        weaker(u"WAOTP_MAX_ATTEMPTS", p.maxAttempts, defaults.maxAttempts, u"",
               u"more guesses per code");
    if (p.firstResendCooldown < defaults.firstResendCooldown)
        weaker(u"WAOTP_RESEND_COOLDOWN", secs(p.firstResendCooldown),
               secs(defaults.firstResendCooldown), u" s", u"new codes, and guesses, come faster");
    if (p.maxResendCooldown < defaults.maxResendCooldown)
        weaker(u"WAOTP_MAX_RESEND_COOLDOWN", secs(p.maxResendCooldown),
               secs(defaults.maxResendCooldown), u" s", u"new codes, and guesses, come faster");
    if (p.maxSendsPerHour > defaults.maxSendsPerHour)
        weaker(u"WAOTP_MAX_SENDS_PER_HOUR", p.maxSendsPerHour, defaults.maxSendsPerHour, u"",
               u"more codes, and guesses, per hour");
}

/// Server mode: the server holds the Twilio credentials and the codes; this machine holds no
/// secret, so a Twilio credential or a shared store's secret here is refused, naming what to drop.
void checkServerCombination(const AppConfig &c, const QHash<QString, QString> &values,
                            ConfigResult &result)
{
    const auto setOnes = [&values](std::initializer_list<const char16_t *> names) {
        QStringList set;
        for (const char16_t *name : names) {
            if (values.contains(QString::fromUtf16(name)))
                set.append(QString::fromUtf16(name));
        }
        return set;
    };
    const QStringList credentials = setOnes({u"TWILIO_ACCOUNT_SID", u"TWILIO_AUTH_TOKEN",
                                             u"TWILIO_API_KEY_SID", u"TWILIO_API_KEY_SECRET"});
    if (!credentials.isEmpty())
        result.errors.append(
            QStringLiteral("WAOTP_SERVER_URL and Twilio credentials can't go together: the "
                           "server holds the Twilio credentials. Drop %1 from this machine's "
                           "settings (or drop WAOTP_SERVER_URL to send the codes from here).")
                .arg(credentials.join(QStringLiteral(", "))));
    QStringList store;
    if (!c.store.isEmpty() && c.store != u"memory")
        store.append(QStringLiteral("WAOTP_STORE"));
    store += setOnes({u"WAOTP_STORE_SECRET"});
    if (!store.isEmpty())
        result.errors.append(QStringLiteral("With WAOTP_SERVER_URL the server keeps the codes: "
                                            "drop %1 from this machine's settings.")
                                 .arg(store.join(QStringLiteral(", "))));
    const QStringList unused = setOnes(
        {u"TWILIO_WHATSAPP_FROM", u"TWILIO_MESSAGING_SERVICE_SID", u"TWILIO_SMS_FROM",
         u"TWILIO_VERIFY_SERVICE_SID", u"TWILIO_CONTENT_SID", u"TWILIO_API_BASE_URL",
         u"WAOTP_BRAND", u"WAOTP_CODE_LIFETIME", u"WAOTP_MAX_ATTEMPTS", u"WAOTP_RESEND_COOLDOWN",
         u"WAOTP_MAX_RESEND_COOLDOWN", u"WAOTP_MAX_SENDS_PER_HOUR"});
    if (!unused.isEmpty())
        result.warnings.append(QStringLiteral("%1 set, but the server's settings apply with "
                                              "WAOTP_SERVER_URL: not used here.")
                                   .arg(unused.join(QStringLiteral(", "))));
}

/// Demo mode: the Twilio settings that only matter with credentials are worth a warning.
void checkDemoCombination(const QHash<QString, QString> &values, ConfigResult &result)
{
    QStringList unused;
    for (const char16_t *name :
         {u"TWILIO_WHATSAPP_FROM", u"TWILIO_MESSAGING_SERVICE_SID", u"TWILIO_SMS_FROM",
          u"TWILIO_VERIFY_SERVICE_SID", u"TWILIO_CONTENT_SID", u"TWILIO_API_BASE_URL"}) {
        if (values.contains(QString::fromUtf16(name)))
            unused.append(QString::fromUtf16(name));
    }
    if (!unused.isEmpty())
        result.warnings.append(QStringLiteral("%1 set, but there are no Twilio credentials: the "
                                              "app runs in demo mode.")
                                   .arg(unused.join(QStringLiteral(", "))));
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
    for (const ConfigSetting &setting : configSettings())
        out.append(setting.nameString());
    return out;
}

QString iniKeyFor(QStringView envName)
{
    const ConfigSetting *setting = findConfigSetting(envName);
    return setting ? setting->iniKeyString() : QString();
}

bool isSecretKey(QStringView envName)
{
    const ConfigSetting *setting = findConfigSetting(envName);
    return setting && setting->secret;
}

ConfigResult loadConfig(const ConfigSource &source)
{
    ConfigResult result;
    const bool explicitFile = !source.filePath.isEmpty();
    result.filePath = explicitFile ? source.filePath : defaultConfigPath();
    const QHash<QString, QString> fileValues = result.filePath.isEmpty()
        ? QHash<QString, QString>()
        : readConfigFile(result.filePath, explicitFile, result);

    const QHash<QString, QString> values = effectiveValues(source, fileValues, result);
    readSettings(values, result);
    if (result.config.mode() != AppConfig::Mode::Server) // the server's own policy applies
        checkPolicyStrength(result.config.policy, result.warnings);
    if (result.config.mode() == AppConfig::Mode::Server)
        checkServerCombination(result.config, values, result);
    else if (result.config.mode() == AppConfig::Mode::Live)
        checkLiveCombination(result.config, result);
    else
        checkDemoCombination(values, result);
    return result;
}

} // namespace waotp
