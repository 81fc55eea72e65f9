#pragma once

#include <QString>

#include <variant>

namespace waotp::server {

class ServerAccounts;

/// What importAccounts() did.
struct AccountImportReport
{
    qint64 read = 0; ///< accounts in the file
    qint64 added = 0; ///< new in the server's store, each with a new stable id
    qint64 alreadyThere = 0; ///< the server had them (an earlier import, or a sign-in)
    qint64 skipped = 0; ///< numbers that are not valid E.164 mobile numbers
};

/// Imports the accounts of a waotp desktop or kiosk account database (SqliteAccountStore's
/// format, any schema version this build knows) into @p target, through its AccountStore
/// (createAccount: the server's store may be another database) and its stable ids. The file
/// is opened read-only and not changed. Importing the same file twice adds nothing.
///
/// The accounts' creation and last sign-in times are not carried over: AccountStore stamps an
/// account when it is created, and the server's answers do not use them.
///
/// A report, or a sentence saying what went wrong: why nothing was imported (the file is not
/// such a database, is of a newer schema, or the server's store failed at once), or after how
/// many accounts the server's store failed (those stay).
std::variant<AccountImportReport, QString> importAccounts(const QString &sourcePath,
                                                          ServerAccounts &target);

} // namespace waotp::server
