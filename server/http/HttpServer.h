#pragma once

// The HTTP layer of waotp-server: a QTcpServer on the Qt event loop, Boost.Beast's HTTP/1.1
// parser for reading requests, and the limits a public endpoint needs.
//
// Why this and not a ready server: the engine lives on a Qt event loop and answers later
// (OtpEngine's signals), and GET ...?wait=N holds answers for up to 30 s. On the same loop a
// held answer costs a socket and a timer, not a thread, and no request hops between threads.
// Qt HttpServer 6.4 also runs there, but has none of the limits (it buffered a 200 MB body and
// kept a client that never finished its header): adding them below it would mean framing every
// request a second time to know where one ends. Boost.Beast's parser has the header and body
// limits built in (a Content-Length over the cap fails as soon as the header is in) and needs no
// I/O of its own, so it reads from Qt's sockets; the timeouts and the connection cap are timers
// and counters here. cpp-httplib blocks a pool thread per request, a long poll included.

#include "server/http/HttpMessage.h"
#include "server/http/HttpParser.h"
#include "server/limits/ClientAddress.h"

#include <QBasicTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>

class QTcpServer;

namespace waotp::server {

class HttpConnection;

/// Every limit of the HTTP layer. Each is a server setting (ServerSettings) with this default.
struct HttpServerLimits
{
    HttpParseLimits parse; ///< header and body sizes
    /// From a request's first byte to its last: a client slower than this (or one that stops
    /// in the middle) gets 408 and is disconnected.
    std::chrono::milliseconds readTimeout = std::chrono::seconds(10);
    /// A kept-alive connection with no request in progress is closed after this.
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(60);
    /// Open connections at most. A client that comes at the cap takes the place of the
    /// connection idle longest; with none idle, it waits in the listen backlog.
    int maxConnections = 512;
    /// Open connections from one client (an IPv4 address, an IPv6 /64) at most; 0: no cap. A
    /// connection over it is closed as soon as it is accepted, unread and unanswered, so that
    /// one client cannot take every place (idle or not). Clients in uncappedClients (trusted
    /// proxies, which carry many clients' connections) have no cap of their own.
    int maxConnectionsPerClient = 128;
    QList<Subnet> uncappedClients;
};

/// Why the HTTP layer answered by itself, before any route saw the request.
enum class HttpFailure {
    Malformed, ///< 400
    BadHost, ///< 400: no Host field in HTTP/1.1, two, or one that names no host
    HeaderTooLarge, ///< 431
    BodyTooLarge, ///< 413
    UnsupportedVersion, ///< 505
    Timeout, ///< 408: the request did not arrive within readTimeout
    Unanswered, ///< 500: the handler dropped its HttpResponder without answering
};

/// The one answer a request is owed. Move-only; respond() once, now or later from the event
/// loop. An answer to a connection that has gone is dropped. Destroyed without an answer, it
/// answers 500, so that no client waits for an answer that never comes.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;
    ~HttpResponder();

    void respond(HttpResponse response);
    /// True until respond() and while the client is connected.
    bool isOpen() const { return !m_connection.isNull(); }
    /// An object destroyed when the client goes, e.g. to stop waiting for a long poll; nullptr
    /// once answered or gone.
    QObject *connection() const;

private:
    friend class HttpConnection;
    explicit HttpResponder(HttpConnection *connection);
    QPointer<HttpConnection> m_connection;
};

/// Accepts connections and hands each complete request to a handler, one request at a time
/// per connection (pipelined requests wait their turn), keeping connections alive.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(HttpRequest &&request, HttpResponder &&responder)>;
    /// The answer the HTTP layer sends by itself (the API words it).
    using FailureHandler = std::function<HttpResponse(HttpFailure failure)>;

    HttpServer(HttpServerLimits limits, Handler handler, FailureHandler failureHandler,
               QObject *parent = nullptr);
    ~HttpServer() override;

    /// Listens on @p address and @p port (0: any free port). False, and why in @p error.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    /// Open connections now.
    int connectionCount() const { return m_connections; }
    /// Stops taking connections and lets the open ones finish: an idle one closes at once, and a
    /// request being read or handled is answered first, with "Connection: close". @p drained
    /// runs once, when every connection has gone or at @p deadline, whichever comes first.
    void drain(std::chrono::milliseconds deadline, std::function<void()> drained);
    bool isDraining() const { return m_draining; }
    const HttpServerLimits &limits() const { return m_limits; }

Q_SIGNALS:
    /// A connection from @p client was closed at once: the client had
    /// maxConnectionsPerClient open already.
    void connectionRefused(const QHostAddress &client);

private:
    friend class HttpConnection;
    void acceptConnections();
    /// True at the cap while a client waits and no connection is on its way out.
    bool needsRoom() const;
    /// Closes the connection idle longest for a client waiting; false if none has been idle
    /// long enough (then looks again when one has).
    bool closeIdlest();
    /// True (and connectionRefused()) when a connection from @p peer is over its client's cap.
    bool refuses(const QHostAddress &peer);
    /// The key @p peer's connections are counted under; empty when they are not capped.
    QByteArray capKey(const QHostAddress &peer) const;
    void connectionClosed(const QByteArray &capKey);
    void finishDrain();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    QByteArray currentDate();

    HttpServerLimits m_limits;
    Handler m_handler;
    FailureHandler m_failureHandler;
    QTcpServer *m_tcpServer;
    int m_connections = 0;
    QHash<QByteArray, int> m_perClient; // open connections by capKey(), those capped only
    QBasicTimer m_roomTimer;
    bool m_draining = false;
    std::function<void()> m_drained; // until it has run
    qint64 m_dateSecond = -1;
    QByteArray m_date;
};

} // namespace waotp::server
