#pragma once

#include <QByteArray>
#include <QString>

#include <variant>

namespace waotp {

/// Where a Redis server is and how to log in to it, read from a `redis://` URL.
struct RedisEndpoint
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    /// ACL user (Redis 6+); empty for the `default` user.
    QByteArray username;
    /// Empty: no AUTH. Never logged.
    QByteArray password;
    /// Logical database (SELECT).
    int db = 0;

    /// Parses `redis://[[user]:password@]host[:port][/db]`. `rediss://` (TLS) is refused with a
    /// message that says why: the hiredis version this is built on (0.14) has no TLS. A host
    /// that is not a loopback address needs a password (AUTH, or an ACL user). Error texts
    /// never contain the password.
    static std::variant<RedisEndpoint, QString> fromUrl(const QString &url);
    /// True if host is a loopback address (127.0.0.0/8, ::1); a name never is.
    bool isLoopback() const;
    /// `host:port/db`, without credentials (for logs and messages).
    QString displayName() const;
};

} // namespace waotp
