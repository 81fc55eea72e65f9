#pragma once

#include <QString>
#include <QStringView>
#include <QUrl>

// The address of a verification server (waotp-server), as the app's server_url setting takes
// it. In the engine (no QtNetwork): the configuration checks it before anything is loaded.

namespace waotp {

/// True if the app may talk to a verification server at @p url: https, or plain http to a
/// literal loopback address (127.0.0.0/8 or ::1; not the name localhost, which a hosts file or
/// a resolver could send elsewhere). No user info, query or fragment. Otherwise false, with the
/// reason in @p why.
bool isAllowedServerUrl(const QUrl &url, QString *why = nullptr);

/// @p path ("/v1/verifications") under @p base, whose own path (a reverse proxy's prefix such
/// as "/waotp") is kept.
QUrl serverEndpoint(const QUrl &base, QStringView path);

} // namespace waotp
