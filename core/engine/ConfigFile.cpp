#include "engine/ConfigFile.h"

#include "engine/ConfigSettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace waotp {

namespace {

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

/// The text of an INI value. QSettings splits a value with commas into a list: the value is
/// the whole text.
QString valueText(const QVariant &value)
{
    return value.metaType().id() == QMetaType::QStringList
        ? value.toStringList().join(QStringLiteral(", "))
        : value.toString();
}

/// Reads the INI file into env-named values. Keys may be "section/key" or the environment name.
QHash<QString, QString> readValues(const QString &path, ConfigResult &result)
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
    for (const ConfigSetting &setting : configSettings()) {
        const QString name = setting.nameString();
        const QString iniKey = setting.iniKeyString();
        known << name << iniKey;
        for (const QString &key : {iniKey, name}) {
            const QVariant v = ini.value(key);
            if (!v.isValid())
                continue;
            const QString text = valueText(v).trimmed();
            if (!text.isEmpty())
                values.insert(name, text);
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

} // namespace

QString defaultConfigPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return dir.isEmpty() ? QString() : QDir(dir).filePath(QStringLiteral("waotp.ini"));
}

QHash<QString, QString> readConfigFile(const QString &path, bool mustExist, ConfigResult &result)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        if (mustExist)
            result.errors.append(
                QStringLiteral("The configuration file '%1' does not exist.").arg(path));
        return {};
    }
    if (!info.isFile() || !info.isReadable()) {
        result.errors.append(
            QStringLiteral("The configuration file '%1' cannot be read.").arg(path));
        return {};
    }
    const QHash<QString, QString> values = readValues(path, result);
    const QStringList secrets = secretNames(values);
    const QString problem = secrets.isEmpty() ? QString() : permissionProblem(path, secrets);
    if (!problem.isEmpty()) {
        result.errors.append(problem);
        return {};
    }
    result.fileRead = true;
    return values;
}

} // namespace waotp
