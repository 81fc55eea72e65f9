#include "server/limits/ClientAddress.h"

#include "server/http/HttpMessage.h"

namespace waotp::server {

namespace {

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) as IPv4.
QHostAddress plain(const QHostAddress &address)
{
    bool ok = false;
    const quint32 v4 = address.toIPv4Address(&ok);
    return ok ? QHostAddress(v4) : address;
}

} // namespace

bool isInAny(const QHostAddress &address, const QList<Subnet> &subnets)
{
    const QHostAddress a = plain(address);
    for (const Subnet &subnet : subnets) {
        if (a.isInSubnet(subnet))
            return true;
    }
    return false;
}

QHostAddress clientAddress(const HttpRequest &request, const QList<Subnet> &trustedProxies)
{
    const QHostAddress peer = plain(request.peer);
    if (trustedProxies.isEmpty() || !isInAny(peer, trustedProxies))
        return peer;
    // Every X-Forwarded-For field, in order, as one list.
    QList<QByteArray> hops;
    for (const auto &[name, value] : request.headers) {
        if (name.compare("X-Forwarded-For", Qt::CaseInsensitive) == 0)
            hops += value.split(',');
    }
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        QHostAddress hop;
        if (!hop.setAddress(QString::fromLatin1(hops.at(i).trimmed())))
            return peer; // a hop that is not an address: trust nothing further left
        hop = plain(hop);
        if (!isInAny(hop, trustedProxies))
            return hop;
    }
    return peer;
}

QByteArray clientKey(const QHostAddress &address)
{
    const QHostAddress a = plain(address);
    if (a.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v4 = a.toIPv4Address();
        return QByteArray("4") + QByteArray::number(v4, 16);
    }
    const Q_IPV6ADDR v6 = a.toIPv6Address();
    return QByteArray("6") + QByteArray(reinterpret_cast<const char *>(v6.c), 8).toHex();
}

} // namespace waotp::server
