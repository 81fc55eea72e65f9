#pragma once

#include <QByteArray>

namespace waotp::server {

/// @p bytes random bytes from the operating system's CSPRNG, as base64url without padding
/// (URL-safe: letters, digits, '-' and '_'). 16 bytes (128 bits) give 22 characters.
QByteArray randomId(int bytes = 16);

/// @p data as base64url without padding (RFC 7515, 2).
QByteArray base64Url(QByteArrayView data);

} // namespace waotp::server
