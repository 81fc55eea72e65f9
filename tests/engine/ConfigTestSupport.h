#pragma once

#include "engine/Config.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>

#include <initializer_list>
#include <utility>

namespace waotp::test {

/// Twilio credentials of the right shape.
inline const QString Sid = QStringLiteral("AC0123456789abcdef0123456789abcdef");
inline const QString Token = QStringLiteral("test-auth-token-0000");

/// A configuration source with only @p env in its environment and @p file as its config file.
inline ConfigSource source(std::initializer_list<std::pair<const char *, const char *>> env = {},
                           const QString &file = QStringLiteral("-"))
{
    ConfigSource s;
    s.environment = QProcessEnvironment();
    for (const auto &[k, v] : env)
        s.environment.insert(QString::fromLatin1(k), QString::fromUtf8(v));
    // "-": no file at all (a path that cannot exist, given explicitly, is an error; so point the
    // default location at an empty test directory instead).
    if (file != u"-")
        s.filePath = file;
    return s;
}

/// Moves the default config file to a test location (see source()); true if none is there.
inline bool useTestConfigLocation()
{
    QStandardPaths::setTestModeEnabled(true); // the default file lives in a test location
    const QString defaultFile = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/waotp.ini");
    return !QFile::exists(defaultFile);
}

} // namespace waotp::test
