#include "network/redis/RedisEndpoint.h"

#include <QHostAddress>
#include <QUrl>

namespace waotp {

std::variant<RedisEndpoint, QString> RedisEndpoint::fromUrl(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    // Never echo the password back: messages name the URL without its user info.
    const QString shown = u.isValid() ? u.toDisplayString(QUrl::RemoveUserInfo) : QString();
    if (!u.isValid() || u.scheme().isEmpty())
        return QStringLiteral("not a redis:// URL");
    const QString scheme = u.scheme().toLower();
    if (scheme == u"rediss") {
        return QStringLiteral("%1: TLS (rediss://) is not supported: this build uses hiredis 0.14, "
                              "which has no TLS. Use redis:// on a trusted network or through a "
                              "TLS tunnel (e.g. stunnel or spiped).")
            .arg(shown);
    }
    if (scheme != u"redis")
        return QStringLiteral("%1: unsupported scheme (expected redis://host:port/db)").arg(shown);
    if (u.host().isEmpty())
        return QStringLiteral("%1: no host").arg(shown);

    RedisEndpoint e;
    e.host = u.host();
    const int port = u.port(6379);
    if (port <= 0 || port > 65535)
        return QStringLiteral("%1: bad port").arg(shown);
    e.port = quint16(port);
    e.username = u.userName(QUrl::FullyDecoded).toUtf8();
    e.password = u.password(QUrl::FullyDecoded).toUtf8();
    if (!e.username.isEmpty() && e.password.isEmpty())
        return QStringLiteral("%1: a user name needs a password").arg(shown);
    // Anyone who reaches the server could read the fleet's state and unlock numbers: beyond this
    // machine, only with a password. A name is not an address: "localhost" depends on the
    // resolver.
    if (e.password.isEmpty() && !e.isLoopback())
        return QStringLiteral("%1: a Redis server that is not on this machine needs a password: "
                              "redis://:PASSWORD@host, or an ACL user, redis://USER:PASSWORD@host "
                              "(only a loopback address such as 127.0.0.1 or ::1 may go without)")
            .arg(shown);
    QString path = u.path();
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        e.db = path.toInt(&ok);
        if (!ok || e.db < 0)
            return QStringLiteral("%1: the path must be a database number").arg(shown);
    }
    if (u.hasQuery() || u.hasFragment())
        return QStringLiteral("%1: unexpected query or fragment").arg(shown);
    return e;
}

bool RedisEndpoint::isLoopback() const
{
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

QString RedisEndpoint::displayName() const
{
    const QString h = host.contains(u':') ? u'[' + host + u']' : host;
    return QStringLiteral("%1:%2/%3").arg(h).arg(port).arg(db);
}

} // namespace waotp
