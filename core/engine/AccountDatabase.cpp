#include "engine/AccountDatabase.h"

#include "engine/FileSafety.h"

#include <QFile>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace waotp {

namespace {

// libpq's names for the options a URL may carry. The password is not one of them.
constexpr const char16_t *UrlOptions[] = {
    u"host",    u"passfile", u"sslmode",         u"sslrootcert",
    u"sslcert", u"sslkey",   u"connect_timeout", u"application_name",
};

bool isUrlOption(const QString &key)
{
    for (const char16_t *name : UrlOptions) {
        if (key == QStringView(name))
            return true;
    }
    return false;
}

QString urlOptionNames()
{
    QStringList names;
    for (const char16_t *name : UrlOptions)
        names.append(QString::fromUtf16(name));
    return names.join(QStringLiteral(", "));
}

std::optional<AccountDatabaseLocation> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace

AccountDatabaseLocation AccountDatabaseLocation::sqlite(const QString &path)
{
    AccountDatabaseLocation location;
    location.sqlitePath = path;
    return location;
}

std::optional<AccountDatabaseLocation> AccountDatabaseLocation::parsePostgres(const QString &text,
                                                                              QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString shown = url.toDisplayString(QUrl::RemovePassword).left(120);
    if (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres"))
        return refuse(error,
                      QStringLiteral("must be a URL like postgresql://USER@HOST:PORT/DATABASE "
                                     "(got '%1')")
                          .arg(shown));
    // Checked before anything else, so that no later message quotes the password.
    if (url.userInfo().contains(u':'))
        return refuse(error,
                      QStringLiteral("must not hold a password: the URL is shown in logs and "
                                     "reports. Put the password in a file named by "
                                     "WAOTP_DATABASE_PASSWORD_FILE (readable by its owner only), "
                                     "or in a pgpass file (PGPASSFILE, or ?passfile=FILE in the "
                                     "URL); or let the server trust the host or the local user "
                                     "(got '%1')")
                          .arg(shown));
    if (url.hasFragment())
        return refuse(error, QStringLiteral("must not have a #fragment (got '%1')").arg(shown));

    AccountDatabaseLocation location;
    location.kind = Kind::PostgreSql;
    location.user = url.userName(QUrl::FullyDecoded);
    location.host = url.host(QUrl::FullyDecoded);
    location.port = url.port(-1);
    const QString path = url.path(QUrl::FullyDecoded);
    location.databaseName = path.mid(1);
    if (!path.startsWith(u'/') || location.databaseName.isEmpty()
        || location.databaseName.contains(u'/'))
        return refuse(error,
                      QStringLiteral("must name one database after the host, like "
                                     "postgresql://waotp@db.example.com/waotp (got '%1')")
                          .arg(shown));

    static const QRegularExpression unsafe(QStringLiteral("[;\\x00-\\x1f\\x7f]"));
    const QList<std::pair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == u"password")
            return refuse(error,
                          QStringLiteral("must not hold a password (?password=): the URL "
                                         "is shown in logs and reports. Use "
                                         "WAOTP_DATABASE_PASSWORD_FILE or a pgpass file"));
        if (!isUrlOption(key))
            return refuse(error,
                          QStringLiteral("'%1' is not an option waotp passes on (it knows "
                                         "%2)")
                              .arg(key.left(40), urlOptionNames()));
        if (value.isEmpty() || value.contains(unsafe))
            return refuse(
                error, QStringLiteral("the value of '%1' must be one line without ';'").arg(key));
        if (key == u"host") {
            if (!location.host.isEmpty())
                return refuse(error,
                              QStringLiteral("names its host twice (before the path and "
                                             "in ?host=)"));
            location.host = value;
        } else {
            location.options.append(key + u'=' + value);
        }
    }
    return location;
}

QString AccountDatabaseLocation::kindName() const
{
    return isPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
}

QString AccountDatabaseLocation::display() const
{
    if (!isPostgres())
        return QStringLiteral("SQLite ") + sqlitePath;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(user);
    QUrlQuery query;
    if (host.startsWith(u'/'))
        query.addQueryItem(QStringLiteral("host"), host);
    else
        url.setHost(host);
    url.setPort(port);
    url.setPath(u'/' + databaseName);
    for (const QString &option : options) {
        const qsizetype eq = option.indexOf(u'=');
        query.addQueryItem(option.left(eq), option.mid(eq + 1));
    }
    url.setQuery(query);
    // Encoded, so that the text reads back as the same place.
    QString text = url.toString(QUrl::FullyEncoded);
    if (url.host().isEmpty() && !text.startsWith(u"postgresql:///"))
        text.replace(QStringLiteral("postgresql:/"), QStringLiteral("postgresql:///"));
    return text;
}

std::optional<QString> readDatabasePasswordFile(const QString &path, QString *error)
{
    // Checked as a configuration file is (owner, writers, ACLs; a systemd credential passes),
    // and read by its owner alone.
    const OwnedFile file = readOwnedFile(path, QStringLiteral("The database password file"), 4097);
    if (file.status == OwnedFile::Status::Missing) {
        *error =
            QStringLiteral("cannot read the database password file %1: no such file").arg(path);
        return std::nullopt;
    }
    if (file.status != OwnedFile::Status::Read) {
        *error = file.error;
        return std::nullopt;
    }
    if (file.othersCanRead) {
        *error = QStringLiteral("the database password file %1 may be read by others than its "
                                "owner: chmod 600 it")
                     .arg(path);
        return std::nullopt;
    }
    const QByteArray &bytes = file.content;
    QString text = QString::fromUtf8(bytes);
    if (text.endsWith(u'\n'))
        text.chop(1);
    if (text.endsWith(u'\r'))
        text.chop(1);
    if (bytes.size() > 4096 || text.contains(u'\n')) {
        *error = QStringLiteral("the database password file %1 must hold the password alone, on "
                                "one line (a pgpass file goes in PGPASSFILE or ?passfile=)")
                     .arg(path);
        return std::nullopt;
    }
    if (text.isEmpty()) {
        *error = QStringLiteral("the database password file %1 is empty").arg(path);
        return std::nullopt;
    }
    return text;
}

} // namespace waotp
