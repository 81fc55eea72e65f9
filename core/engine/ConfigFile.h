#pragma once

// The configuration file of loadConfig(): where it is, reading it, and refusing it when others
// can read the secrets it holds.

#include "engine/Config.h"

#include <QHash>
#include <QString>

namespace waotp {

/// waotp.ini in QStandardPaths::AppConfigLocation, or empty if there is no such location.
QString defaultConfigPath();

/// Reads the INI file @p path into values keyed by environment name ("TWILIO_ACCOUNT_SID").
/// A key may be written as "section/key" or as the environment name. Problems are appended to
/// @p result's errors and warnings; result.fileRead is set if the values can be used.
///
/// A missing file is an error only if @p mustExist. A file that sets a secret but that others
/// can read is refused, like ssh refuses such a private key: no value of it is used.
QHash<QString, QString> readConfigFile(const QString &path, bool mustExist, ConfigResult &result);

} // namespace waotp
