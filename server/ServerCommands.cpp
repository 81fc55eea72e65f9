#include "server/ServerCommands.h"

#include "server/ServerCommandLine.h"
#include "server/token/AccountImport.h"
#include "server/token/ServerAccounts.h"

#include "engine/DataDirectory.h"

#include <QDateTime>

namespace waotp::server {

namespace {

QString utc(qint64 secsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secsSinceEpoch, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QStringLiteral(" UTC");
}

QString keyName(const SigningKey &key)
{
    return QStringLiteral("%1 (%2)").arg(QString::fromLatin1(key.kid), key.path);
}

} // namespace

int runRotateKey(const ServerSettings &settings, QTextStream &out, QTextStream &err,
                 SigningKeys::WallClock wallClock)
{
    QString error;
    auto keys = SigningKeys::open(settings.signingKeyDir, &error, std::move(wallClock));
    const auto rotation = keys ? keys->rotate(&error) : std::nullopt;
    if (!rotation) {
        err << "waotp-server: cannot rotate the signing key: " << error << Qt::endl;
        return ServerExitCannotStart;
    }
    for (const QString &path : rotation->removed)
        out << "Deleted " << path << ": every token it signed has expired." << Qt::endl;
    out << "New signing key " << keyName(rotation->added) << ": published now, signs from "
        << utc(rotation->added.signsFrom) << " (in " << SigningKeys::ActivationDelay.count() / 60
        << " minutes: a platform caches the key set for up to "
        << SigningKeys::JwksMaxAge.count() / 60 << " minutes)." << Qt::endl;
    const SigningKey &current = keys->current();
    const QList<SigningKey> &all = keys->keys();
    for (qsizetype i = 0; i + 1 < all.size(); ++i) { // the new key is the last
        const SigningKey &key = all.at(i);
        const qint64 until = all.at(i + 1).signsFrom;
        out << "Key " << keyName(key);
        if (key.path == current.path)
            out << " signs until " << utc(until);
        else if (key.signsFrom < until && key.signsFrom > keys->now())
            out << " signs from " << utc(key.signsFrom) << " until " << utc(until);
        else if (key.signsFrom >= until)
            out << " never signs: a later key replaces it first";
        else
            out << " no longer signs";
        out << "; published until " << utc(until + SigningKeys::MaxTokenLifetime.count())
            << ", when the last tokens it could sign have expired." << Qt::endl;
    }
    out << "Running servers that share " << keys->directory() << " publish the new key within "
        << SigningKeys::RescanInterval.count() << " seconds; nothing needs restarting." << Qt::endl;
    return ServerExitOk;
}

int runImportAccounts(const ServerSettings &settings, const QString &file, QTextStream &out,
                      QTextStream &err)
{
    QString error;
    if (!ensureDataDirectory(settings.dataDir, &error)) {
        err << "waotp-server: " << error << Qt::endl;
        return ServerExitCannotStart;
    }
    auto accounts = ServerAccounts::open(settings.accountDatabase(), &error);
    if (!accounts) {
        err << "waotp-server: cannot use the account database: " << error << Qt::endl;
        return ServerExitCannotStart;
    }
    const auto result = importAccounts(file, *accounts);
    if (const auto *why = std::get_if<QString>(&result)) {
        err << "waotp-server: " << *why << Qt::endl;
        return ServerExitCannotStart;
    }
    const AccountImportReport &r = std::get<AccountImportReport>(result);
    out << "Imported " << r.added << (r.added == 1 ? " account from " : " accounts from ") << file
        << " into " << settings.accountDatabase().display() << ": " << r.read << " in the file, "
        << r.alreadyThere << " already there";
    if (r.skipped > 0)
        out << ", " << r.skipped << " skipped (not valid mobile numbers in E.164)";
    out << "." << Qt::endl;
    return ServerExitOk;
}

} // namespace waotp::server
