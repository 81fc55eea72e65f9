#pragma once

#include <QString>

namespace waotp {

/// Creates @p dir if needed (its parents as the system makes them); the directory itself is
/// private to the user (0700): it holds who signed up. False with a sentence in @p error when it
/// is a file or cannot be created. The app and waotp-server both keep their data this way.
bool ensureDataDirectory(const QString &dir, QString *error);

} // namespace waotp
