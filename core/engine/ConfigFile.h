#pragma once

// The configuration file of loadConfig(): where it is, reading it, and refusing it when others
// could change it or read the secrets it holds.

#include "engine/Config.h"

#include <QHash>
#include <QMap>
#include <QString>

namespace waotp {

/// waotp.ini in QStandardPaths::AppConfigLocation, or empty if there is no such location.
QString defaultConfigPath();

/// Reads the INI file @p path into values keyed by environment name ("TWILIO_ACCOUNT_SID").
/// A key may be written as "section/key" or as the environment name. Problems are appended to
/// @p result's errors and warnings; result.fileRead is set if the values can be used.
///
/// A missing file is an error only if @p mustExist. The file is opened once, checked on the
/// opened descriptor and read from it (readOwnedFile()): a symbolic link, a file that is not
/// regular, that belongs to someone but the user or root, or that others may write is refused,
/// and so is a file that sets a secret but that others can read, like ssh refuses such a private
/// key. No value of a refused file is used; the error names the command that fixes it.
QHash<QString, QString> readConfigFile(const QString &path, bool mustExist, ConfigResult &result);

/// Every key of the configuration file @p path ("section/key" -> value), read with the checks of
/// readConfigFile() but the one for secrets: for a program that keeps its own settings in the
/// same file (waotp-server). Problems are appended to @p errors, and then nothing is returned.
QMap<QString, QString> readConfigFileKeys(const QString &path, QStringList *errors);

} // namespace waotp
