#include "server/token/AccountImport.h"

#include "server/token/ServerAccounts.h"

#include "engine/PhoneNumber.h"
#include "engine/SqliteAccountStore.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

namespace waotp::server {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("waotp-server-import-%1").arg(counter.fetchAndAddRelaxed(1));
}

// The 16 bytes every SQLite 3 database file starts with.
bool looksLikeSqlite(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(16) == QByteArray("SQLite format 3\0", 16);
}

// How SQLite opens the file to import. The app's database is in WAL mode, and a reader of a WAL
// database writes a shared-memory file beside it, which fails where the directory is read-only
// (a systemd credential, a read-only mount). Without a -wal file beside it no program has the
// database open, so it is opened as immutable: no lock, no file written. With one, the app is
// using it: it is read as a normal reader.
QString sourceUri(const QString &path)
{
    QUrl uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath());
    uri.setQuery(QFileInfo::exists(path + u"-wal") ? QStringLiteral("mode=ro")
                                                   : QStringLiteral("immutable=1"));
    return uri.toString(QUrl::FullyEncoded);
}

// The numbers of the account database at @p path, or why it is not one.
std::variant<QStringList, QString> readNumbers(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 does not exist").arg(path);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("%1 is not a readable file").arg(path);
    if (!looksLikeSqlite(path))
        return QStringLiteral("%1 is not an SQLite database, so not a waotp account database "
                              "(the app keeps its accounts in accounts.sqlite in its data "
                              "directory)")
            .arg(path);

    const QString connection = nextConnectionName();
    std::variant<QStringList, QString> out = QStringList();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(sourceUri(path));
        // Read-only: importing never changes the file (nor migrates it).
        db.setConnectOptions(
            QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=5000"));
        const bool opened = db.open();
        QSqlQuery q(db);
        const bool versionRead =
            opened && q.exec(QStringLiteral("PRAGMA user_version")) && q.next();
        const int version = versionRead ? q.value(0).toInt() : -1;
        // A database whose pages cannot be read is damaged, not someone else's: said apart.
        const bool tablesRead = versionRead
            && q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                     "AND name = 'accounts'"))
            && q.next();
        const bool hasAccounts = tablesRead && q.value(0).toInt() == 1;
        if (!versionRead || !tablesRead) {
            out = QStringLiteral("cannot read %1: %2")
                      .arg(path, opened ? q.lastError().text() : db.lastError().text());
        } else if (version > SqliteAccountStore::SchemaVersion) {
            out = QStringLiteral("%1 has account schema version %2; this build knows up to %3 "
                                 "(written by a newer waotp?)")
                      .arg(path)
                      .arg(version)
                      .arg(SqliteAccountStore::SchemaVersion);
        } else if (version < 1 || !hasAccounts) {
            out = QStringLiteral("%1 is an SQLite database but not a waotp account database (no "
                                 "accounts table of a known schema)")
                      .arg(path);
        } else if (!q.exec(QStringLiteral("SELECT e164 FROM accounts ORDER BY e164"))) {
            out = QStringLiteral("cannot read the accounts of %1: %2")
                      .arg(path, q.lastError().text());
        } else {
            QStringList numbers;
            while (q.next())
                numbers.append(q.value(0).toString());
            if (q.lastError().isValid())
                out = QStringLiteral("cannot read %1: %2").arg(path, q.lastError().text());
            else
                out = numbers;
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return out;
}

} // namespace

std::variant<AccountImportReport, QString> importAccounts(const QString &sourcePath,
                                                          ServerAccounts &target)
{
    auto numbers = readNumbers(sourcePath);
    if (auto *why = std::get_if<QString>(&numbers))
        return QString(QStringLiteral("nothing imported: ") + *why);
    // Each account is committed as it is added: a failure part-way keeps those before it.
    const auto failed = [](const AccountImportReport &report, const QString &why) -> QString {
        const QString what = QStringLiteral("the server's account store failed: ") + why;
        if (report.added == 0)
            return QStringLiteral("nothing imported: ") + what;
        return QStringLiteral("the import stopped after adding %1 (%2; running it again adds "
                              "the rest): %3")
            .arg(report.added == 1 ? QStringLiteral("1 account")
                                   : QStringLiteral("%1 accounts").arg(report.added),
                 report.added == 1 ? QStringLiteral("it stays") : QStringLiteral("they stay"),
                 what);
    };
    AccountImportReport report;
    AccountStore &store = target.store();
    for (const QString &e164 : std::get<QStringList>(numbers)) {
        ++report.read;
        const PhoneParseResult parsed = PhoneNumber::parse(e164, u"");
        if (!parsed.ok() || parsed.number->e164() != e164) {
            ++report.skipped;
            continue;
        }
        switch (store.createAccount(*parsed.number)) {
        case AccountStore::Result::Ok:
            ++report.added;
            break;
        case AccountStore::Result::AlreadyExists:
            ++report.alreadyThere;
            break;
        case AccountStore::Result::NotFound:
        case AccountStore::Result::StorageError:
            return failed(report, target.storeError());
        }
        // An id for every imported account, also for one an earlier, interrupted import added.
        if (!target.assignId(e164))
            return failed(report, target.lastError());
    }
    return report;
}

} // namespace waotp::server
