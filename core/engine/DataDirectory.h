#pragma once

#include <QString>

namespace waotp {

/// Makes @p dir the user's private data directory (it holds who signed up). A missing one is
/// created with mode 0700 (its parents as the system makes them). An existing one must be a real
/// directory (not a symbolic link) owned by the user running the program; if group or others
/// have any permission on it, they lose it (0700) and a warning says so. Checked and changed on
/// the opened directory, not by name. False with a sentence in @p error, naming the command that
/// fixes it where there is one. The app and waotp-server both keep their data this way.
bool ensureDataDirectory(const QString &dir, QString *error);
/// What ensureDataDirectory() would refuse in @p dir, found without creating or changing
/// anything (a check of the settings): an error sentence, or an empty string. A directory open
/// to others is not refused: it is made private then.
QString dataDirectoryProblem(const QString &dir);
/// Why the missing directory @p dir (a @p what, e.g. "key directory") could not be created
/// where it is, found without creating anything: an error sentence, or an empty string.
QString creationProblem(const QString &dir, QStringView what);

} // namespace waotp
