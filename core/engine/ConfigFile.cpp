#include "engine/ConfigFile.h"

#include "engine/ConfigSettings.h"
#include "engine/FileSafety.h"
#include "engine/IniText.h"
#include "engine/Wipe.h"

#include <QDir>
#include <QStandardPaths>

#include <optional>

namespace waotp {

namespace {

/// No configuration file is anywhere near this.
constexpr qint64 MaxConfigBytes = 1024 * 1024;

const QString What = QStringLiteral("The configuration file");

/// The settings of @p ini keyed by environment name. Keys may be "section/key" or the
/// environment name (in [General]); any other key is reported as unknown.
QHash<QString, QString> knownValues(const IniText &ini, const QString &path, ConfigResult &result)
{
    QHash<QString, QString> values;
    QStringList known;
    for (const ConfigSetting &setting : configSettings()) {
        const QString name = setting.nameString();
        const QString iniKey = setting.iniKeyString();
        known << name << iniKey;
        for (const QString &key : {iniKey, name}) {
            const QString text = ini.values.value(key).trimmed();
            if (!text.isEmpty())
                values.insert(name, text);
        }
    }
    for (auto it = ini.values.cbegin(); it != ini.values.cend(); ++it) {
        if (!known.contains(it.key()))
            result.warnings.append(
                QStringLiteral("Unknown setting '%1' in '%2' is ignored.").arg(it.key(), path));
    }
    return values;
}

/// The names of the settings in @p values that make the file need owner-only permissions.
QStringList secretNames(const QHash<QString, QString> &values)
{
    QStringList names;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const ConfigSetting *setting = findConfigSetting(it.key());
        if (setting && setting->needsPrivateFile(it.value()))
            names.append(it.key());
    }
    names.sort();
    return names;
}

/// Reads and parses @p path; std::nullopt (with the errors in @p errors) if it cannot be used.
std::optional<IniText> readIni(const QString &path, bool mustExist, OwnedFile *file,
                               QStringList &errors, QStringList &warnings)
{
    *file = readOwnedFile(path, What, MaxConfigBytes);
    if (file->status == OwnedFile::Status::Missing) {
        if (mustExist)
            errors.append(QStringLiteral("%1 '%2' does not exist.").arg(What, path));
        return std::nullopt;
    }
    if (file->status == OwnedFile::Status::Refused) {
        errors.append(file->error);
        return std::nullopt;
    }
    IniText ini = parseIni(file->content);
    wipe(file->content);
    for (const QString &warning : std::as_const(ini.warnings))
        warnings.append(QStringLiteral("%1 '%2', %3").arg(What, path, warning));
    if (!ini.errors.isEmpty()) {
        errors.append(QStringLiteral("%1 '%2' cannot be parsed (is it an INI file?): %3.")
                          .arg(What, path, ini.errors.join(QStringLiteral("; "))));
        return std::nullopt;
    }
    return ini;
}

} // namespace

QString defaultConfigPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("waotp.ini"));
}

QHash<QString, QString> readConfigFile(const QString &path, bool mustExist, ConfigResult &result)
{
    OwnedFile file;
    const std::optional<IniText> ini =
        readIni(path, mustExist, &file, result.errors, result.warnings);
    if (!ini)
        return {};
    const QHash<QString, QString> values = knownValues(*ini, path, result);
    const QStringList secrets = secretNames(values);
    if (!secrets.isEmpty() && file.othersCanRead) {
        result.errors.append(tooOpenForSecrets(path, file, secrets));
        return {};
    }
    result.fileRead = true;
    return values;
}

QMap<QString, QString> readConfigFileKeys(const QString &path, QStringList *errors)
{
    OwnedFile file;
    QStringList warnings;
    const std::optional<IniText> ini = readIni(path, true, &file, *errors, warnings);
    return ini ? ini->values : QMap<QString, QString>();
}

} // namespace waotp
