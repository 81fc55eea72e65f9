#pragma once

// The table behind Config.h: one row per setting, with its names, its secrecy, how its text is
// read into AppConfig and how --check-config shows it. Loading the configuration, reading its
// file and the report all walk this one table.

#include "engine/Config.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <chrono>
#include <span>

namespace waotp {

/// Where a setting came from, as ConfigResult::sources words it.
inline constexpr QStringView SourceCommandLine = u"command line";
inline constexpr QStringView SourceEnvironment = u"environment";
inline constexpr QStringView SourceFile = u"file";
inline constexpr QStringView SourceDefault = u"default";

/// Reads the effective text of one setting (set, trimmed, never empty). The problems it finds
/// go to the errors of the load, worded for a person, naming the setting and never quoting a
/// secret. The typed readers leave the field alone on a problem, so it keeps its default.
class SettingReader
{
public:
    SettingReader(const QString &name, const QString &text, QStringList &errors);

    const QString &name() const { return m_name; }
    const QString &text() const { return m_text; }
    void error(const QString &message) { m_errors.append(message); }

    /// A Twilio SID: @p prefix ("AC", "SK", ...) and 32 hexadecimal digits. Returns the text
    /// as it is, even when it is refused (the error says so).
    QString sid(QStringView prefix);
    /// An E.164 phone number, separators removed; with @p allowWhatsAppPrefix a leading
    /// "whatsapp:" is dropped too.
    QString phone(bool allowWhatsAppPrefix);
    /// A whole number from @p min to @p max.
    void integer(int &field, int min, int max);
    /// Seconds, optionally with a unit ("300", "300s", "5m", "1h"), from @p min to @p max.
    template<class Rep, class Period>
    void duration(std::chrono::duration<Rep, Period> &field, std::chrono::seconds min,
                  std::chrono::seconds max)
    {
        std::chrono::seconds value;
        if (seconds(min, max, &value))
            field = value;
    }

private:
    bool seconds(std::chrono::seconds min, std::chrono::seconds max, std::chrono::seconds *out);

    QString m_name;
    QString m_text;
    QStringList &m_errors;
};

/// One setting.
struct ConfigSetting
{
    /// The environment name ("TWILIO_ACCOUNT_SID"): the name in the report, the key of
    /// ConfigSource::overrides and ConfigResult::sources, and a key of the [General] section.
    const char16_t *name = nullptr;
    /// The INI key ("twilio/account_sid").
    const char16_t *iniKey = nullptr;
    /// Shown masked, and a configuration file that sets it must be readable by its owner only.
    bool secret = false;
    /// For a setting that is not secret itself, a value that holds one (a store URL with a
    /// password) needs the same owner-only file.
    bool (*holdsSecret)(const QString &value) = nullptr;
    /// Reads the setting's text into the configuration, when it is set.
    void (*read)(SettingReader &reader, AppConfig &config) = nullptr;
    /// Runs after read(), set or not: checks the value against the settings read before it.
    void (*check)(const AppConfig &config, QStringList &errors) = nullptr;
    /// The effective value for the report: masked there if the setting is secret, and shown as
    /// "not set" if empty.
    QString (*display)(const AppConfig &config) = nullptr;
    /// Set for a setting that is no longer supported: why it is ignored. Such a setting is
    /// recognised (a configuration that still sets it loads) but never read: setting it only
    /// gives a warning with these words. It has no reader and no display.
    const char16_t *retiredBecause = nullptr;

    bool isRetired() const { return retiredBecause != nullptr; }
    QString nameString() const { return QString::fromUtf16(name); }
    QString iniKeyString() const { return QString::fromUtf16(iniKey); }
    /// True if the file that sets this setting to @p value must be owner-only.
    bool needsPrivateFile(const QString &value) const
    {
        return secret || (holdsSecret && holdsSecret(value));
    }
};

/// Every setting, in display order.
std::span<const ConfigSetting> configSettings();

/// The setting named @p name (its environment name), or nullptr.
const ConfigSetting *findConfigSetting(QStringView name);

} // namespace waotp
