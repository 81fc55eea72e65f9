#pragma once

#include "network/serverclient/ServerHttp.h"

#include <QObject>
#include <QString>
#include <QUrl>

namespace waotp {

/// The online part of `waotp --check-config` in server mode: asks the verification server
/// whether it is ready (GET /readyz) and whether it publishes signing keys a platform can check
/// tokens with (GET /.well-known/jwks.json). Emits finished() once, always later.
class ServerCheck : public QObject
{
    Q_OBJECT
public:
    ServerCheck(const QUrl &serverUrl, QNetworkAccessManager *nam, ServerTimings timings = {},
                QObject *parent = nullptr);
    ~ServerCheck() override;

    void start();

Q_SIGNALS:
    /// @p ok if both answered as they should; @p plainWords says what was found.
    void finished(bool ok, const QString &plainWords);

private:
    void readyAnswered(const ServerReply &reply);
    void keysAnswered(const ServerReply &reply);
    void done(bool ok, const QString &words);

    ServerHttp m_http;
    bool m_demo = false;
};

} // namespace waotp
