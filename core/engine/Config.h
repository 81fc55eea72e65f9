#pragma once

#include "engine/OtpPolicy.h"

#include <QByteArray>
#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace waotp {

/// How the app reaches Twilio. Every field is optional; loadConfig() validates the combination.
struct TwilioSettings
{
    QString accountSid; ///< "AC" + 32 hex digits; always in the request path
    QString authToken; ///< secret; Basic auth password with accountSid as user name
    QString apiKeySid; ///< "SK" + 32 hex digits; when set, Basic auth uses the API key pair
    QString apiKeySecret; ///< secret
    QString whatsappFrom; ///< E.164 WhatsApp sender, without the "whatsapp:" prefix
    /// "MG" + 32 hex digits: a Messaging Service whose sender pool Twilio picks the WhatsApp
    /// sender from; when set, WhatsApp messages carry MessagingServiceSid instead of From.
    QString messagingServiceSid;
    QString smsFrom; ///< E.164 SMS sender; enables "Send by SMS instead"
    QString verifyServiceSid; ///< "VA" + 32 hex digits; when set, Twilio Verify owns the codes
    QString contentSid; ///< "HX" + 32 hex digits; an approved WhatsApp template for the code
    /// Replaces every Twilio host (api.twilio.com, verify.twilio.com): regional edges, tests.
    /// Empty: the real hosts.
    QUrl apiBaseUrl;

    /// True if any credential is set (an Account SID, an auth token or an API key).
    bool hasCredentials() const;
    /// True if the API key pair, not the auth token, signs requests.
    bool usesApiKey() const { return !apiKeySid.isEmpty(); }
    /// The user name and password of the Basic authorization.
    QString basicUser() const { return usesApiKey() ? apiKeySid : accountSid; }
    QString basicPassword() const { return usesApiKey() ? apiKeySecret : authToken; }
    /// Every form a secret of these settings can take in a text: the auth token, the API key
    /// secret and the base64 Basic credentials. For installRedactingMessageHandler().
    QStringList secrets() const;
};

/// The effective configuration of the app.
struct AppConfig
{
    TwilioSettings twilio;
    QString brand = QStringLiteral("waotp"); ///< the name in the message text
    QString defaultRegion = QStringLiteral("IN"); ///< country picker and parse default
    OtpPolicy policy; ///< lifetime, attempts, cooldowns, hourly cap
    QString store; ///< "" or "memory" (default), or "redis://..." (WAOTP_STORE)
    QByteArray storeSecret; ///< WAOTP_STORE_SECRET: shared HMAC key for a shared store
    std::chrono::seconds kioskIdleTimeout {60}; ///< 0: never reset for idleness
    /// WAOTP_SERVER_URL: a verification server (waotp-server) sends and checks the codes and
    /// keeps the accounts; this machine holds no secret. Empty: the engine runs in this process.
    QUrl serverUrl;

    enum class Mode {
        Demo, ///< no Twilio credentials: nothing is sent, codes are shown
        Live, ///< this process sends through Twilio
        Server, ///< a verification server does it all (serverUrl)
    };
    /// Server with a server URL, else Live with Twilio credentials, else Demo.
    Mode mode() const
    {
        if (!serverUrl.isEmpty())
            return Mode::Server;
        return twilio.hasCredentials() ? Mode::Live : Mode::Demo;
    }
    /// The secrets of the configuration (Twilio's and the store secret), for log redaction.
    QStringList secrets() const;
};

/// Where the settings come from. Precedence: overrides, then environment, then file, then
/// defaults.
struct ConfigSource
{
    /// --config FILE, or empty for the default (QStandardPaths::AppConfigLocation/waotp.ini).
    /// A missing default file is fine; a missing explicit one is an error.
    QString filePath;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    /// From the command line, keyed like the environment ("TWILIO_ACCOUNT_SID", ...).
    QHash<QString, QString> overrides;
};

/// The outcome of loadConfig(). With errors, the app must not start (it says why).
struct ConfigResult
{
    AppConfig config;
    QStringList errors;
    QStringList warnings;
    QString filePath; ///< the configuration file considered (read or not)
    bool fileRead = false; ///< true if filePath existed and was read
    /// Where each setting came from, keyed by its environment name: "command line",
    /// "environment", "file" or "default".
    QHash<QString, QString> sources;
    bool ok() const { return errors.isEmpty(); }
};

/// Every setting's environment name, in display order ("TWILIO_ACCOUNT_SID", ...). The same
/// names key ConfigSource::overrides; in the INI file they may be written as they are (in the
/// [General] section) or as "section/key" (see iniKeyFor()).
QStringList configKeys();
/// The INI key of @p envName, e.g. "twilio/account_sid"; empty for an unknown name.
QString iniKeyFor(QStringView envName);
/// True for the settings that hold secrets (shown masked, and they make a config file need
/// owner-only permissions).
bool isSecretKey(QStringView envName);

/// Reads and validates the configuration. Never throws; problems are in errors/warnings,
/// worded for a person and never quoting a secret.
ConfigResult loadConfig(const ConfigSource &source);

// The report of `waotp --check-config`, describeConfig(), is in engine/ConfigReport.h.

} // namespace waotp
