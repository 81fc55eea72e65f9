#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <utility>

namespace waotp::server {

struct HttpRequest;

/// A subnet, e.g. 10.0.0.0/8 or fd00::/8.
using Subnet = std::pair<QHostAddress, int>;

/// True when @p address (an IPv4-mapped IPv6 address as IPv4) is in one of @p subnets.
bool isInAny(const QHostAddress &address, const QList<Subnet> &subnets);

/// The client of @p request: the socket's peer, or, when the peer is one of @p trustedProxies,
/// the nearest address in X-Forwarded-For that is not a trusted proxy (read from the right: a
/// client can write anything to the left of what its proxy appended).
QHostAddress clientAddress(const HttpRequest &request, const QList<Subnet> &trustedProxies);

/// The key that limits count @p address under: an IPv4 address (an IPv4-mapped IPv6 one
/// included) as itself, an IPv6 address by its /64 (one subscriber's usual share).
QByteArray clientKey(const QHostAddress &address);

} // namespace waotp::server
