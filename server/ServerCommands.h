#pragma once

#include "server/ServerSettings.h"
#include "server/token/SigningKeys.h"

#include <QTextStream>

namespace waotp::server {

/// `waotp-server --rotate-key`: adds a signing key to the key directory of @p settings (see
/// SigningKeys::rotate()) and reports on @p out every key and when it signs or retires; errors
/// on @p err. Returns the exit code.
int runRotateKey(const ServerSettings &settings, QTextStream &out, QTextStream &err,
                 SigningKeys::WallClock wallClock = {});

/// `waotp-server --import-accounts FILE`: imports a waotp desktop or kiosk account database
/// into the server's (see importAccounts()) and reports the counts on @p out; errors on @p err.
/// Returns the exit code: 2 if @p file is not such a database.
int runImportAccounts(const ServerSettings &settings, const QString &file, QTextStream &out,
                      QTextStream &err);

} // namespace waotp::server
