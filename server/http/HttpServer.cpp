#include "server/http/HttpServer.h"

#include "server/http/HttpConnection.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QTimerEvent>

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

namespace waotp::server {

namespace {

using namespace std::chrono_literals;

// How long a connection must have been idle before a client waiting at the cap may take its
// place, and how soon accepting resumes after an accept error.
constexpr auto MinIdleBeforeRoom = 1000ms;
constexpr auto AcceptRetry = 100ms;

// A connection accepted but not yet taken by the server waits in QTcpServer's queue, where its
// socket reads as a connection's does: with the same cap on what it buffers.
class CappedTcpServer final : public QTcpServer
{
public:
    /// @p refuse: whether a connection from this peer is closed at once (HttpServer::refuses()).
    CappedTcpServer(qint64 readBufferSize, std::function<bool(const QHostAddress &)> refuse,
                    QObject *parent)
        : QTcpServer(parent), m_readBufferSize(readBufferSize), m_refuse(std::move(refuse))
    {
        // One waits at a time; the next wait in the kernel's listen backlog.
        setMaxPendingConnections(1);
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        // Non-blocking already: Qt closes the descriptor itself when it fails to make it so,
        // and leaves it open on its other failures, which are ours to close.
        const int fd = int(descriptor);
        const int flags = ::fcntl(fd, F_GETFL);
        if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
            ::close(fd);
            return;
        }
        auto *socket = new QTcpSocket(this);
        socket->setReadBufferSize(m_readBufferSize);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            ::close(fd);
            return;
        }
        // Before it waits for a place: at the cap, one that is refused makes no room.
        if (m_refuse(socket->peerAddress())) {
            socket->close();
            socket->deleteLater();
            return;
        }
        addPendingConnection(socket);
    }

private:
    qint64 m_readBufferSize;
    std::function<bool(const QHostAddress &)> m_refuse;
};

} // namespace

HttpServer::HttpServer(HttpServerLimits limits, Handler handler, FailureHandler failureHandler,
                       QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler)),
      m_failureHandler(std::move(failureHandler)),
      m_tcpServer(new CappedTcpServer(
          limits.parse.maxHeaderBytes + limits.parse.maxBodyBytes + HttpConnection::ReadChunk,
          [this](const QHostAddress &peer) { return refuses(peer); }, this))
{
    connect(m_tcpServer, &QTcpServer::newConnection, this, &HttpServer::acceptConnections);
    // QTcpServer pauses on an accept error other than a passing one (no file descriptor left):
    // try again a little later rather than never.
    connect(m_tcpServer, &QTcpServer::acceptError, this, [this] {
        QTimer::singleShot(AcceptRetry, this, [this] {
            if (m_tcpServer->isListening())
                m_tcpServer->resumeAccepting();
        });
    });
}

HttpServer::~HttpServer()
{
    // Connections are children: they go first and must not call back into a half-destroyed
    // server.
    m_tcpServer->close();
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *c : connections)
        delete c;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_tcpServer->listen(address, port))
        return true;
    if (error) {
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(host, QString::number(port), m_tcpServer->errorString());
    }
    return false;
}

QHostAddress HttpServer::serverAddress() const
{
    return m_tcpServer->serverAddress();
}

quint16 HttpServer::serverPort() const
{
    return m_tcpServer->serverPort();
}

void HttpServer::acceptConnections()
{
    while (m_tcpServer->hasPendingConnections()) {
        if (m_connections >= m_limits.maxConnections) {
            // At the cap, a client waiting takes the place of a connection left idle, so that
            // connections opened and left idle cannot keep others out. Its slot is free once
            // that one is gone (connectionClosed()). With none idle, the client waits, and those
            // after it wait in the kernel's listen backlog.
            if (needsRoom())
                closeIdlest();
            return;
        }
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        const QByteArray key = capKey(socket->peerAddress());
        ++m_connections;
        if (!key.isEmpty())
            ++m_perClient[key];
        new HttpConnection(*this, socket, key);
    }
}

bool HttpServer::refuses(const QHostAddress &peer)
{
    const QByteArray key = capKey(peer);
    if (key.isEmpty() || m_perClient.value(key) < m_limits.maxConnectionsPerClient)
        return false;
    Q_EMIT connectionRefused(peer);
    return true;
}

QByteArray HttpServer::capKey(const QHostAddress &peer) const
{
    if (m_limits.maxConnectionsPerClient <= 0 || isInAny(peer, m_limits.uncappedClients))
        return {};
    return clientKey(peer);
}

bool HttpServer::needsRoom() const
{
    if (m_connections < m_limits.maxConnections || !m_tcpServer->hasPendingConnections())
        return false;
    // One client at most waits in QTcpServer's queue: one connection on its way out, for
    // whatever reason, makes room for it.
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    return std::none_of(connections.cbegin(), connections.cend(),
                        [](const HttpConnection *c) { return c->isLeaving(); });
}

bool HttpServer::closeIdlest()
{
    // The connection idle longest, if it has been idle a while: one that came a moment ago
    // (its request perhaps still in the kernel) or has just been answered is left alone.
    const qint64 now = QDeadlineTimer::current().deadline();
    const qint64 idleEnough = now - MinIdleBeforeRoom.count();
    HttpConnection *idlest = nullptr;
    qint64 since = 0;
    qint64 nextEligible = -1;
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *c : connections) {
        const qint64 s = c->idleSince();
        if (s < 0)
            continue;
        if (s > idleEnough) {
            nextEligible = nextEligible < 0 ? s : std::min(nextEligible, s);
            continue;
        }
        if (!idlest || s < since) {
            idlest = c;
            since = s;
        }
    }
    if (idlest) {
        idlest->closeIdle();
        return true;
    }
    if (nextEligible >= 0) // look again when that one has been idle long enough
        m_roomTimer.start(int(nextEligible + MinIdleBeforeRoom.count() - now + 1), this);
    return false;
}

void HttpServer::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_roomTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_roomTimer.stop();
    if (needsRoom())
        closeIdlest();
}

void HttpServer::drain(std::chrono::milliseconds deadline, std::function<void()> drained)
{
    m_draining = true;
    m_drained = std::move(drained);
    m_tcpServer->close();
    m_roomTimer.stop();
    for (HttpConnection *c : findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly))
        c->drain();
    QTimer::singleShot(deadline, this, &HttpServer::finishDrain);
    if (m_connections == 0)
        QMetaObject::invokeMethod(this, &HttpServer::finishDrain, Qt::QueuedConnection);
}

void HttpServer::finishDrain()
{
    if (auto drained = std::exchange(m_drained, {}))
        drained();
}

void HttpServer::connectionClosed(const QByteArray &capKey)
{
    --m_connections;
    if (!capKey.isEmpty()) {
        const auto it = m_perClient.find(capKey);
        if (it != m_perClient.end() && --*it <= 0)
            m_perClient.erase(it);
    }
    if (m_draining) {
        if (m_connections == 0)
            finishDrain();
        return;
    }
    if (!m_tcpServer->isListening())
        return;
    // Accepting may have paused on an error (out of file descriptors): a slot and a descriptor
    // are free now.
    m_tcpServer->resumeAccepting();
    if (m_tcpServer->hasPendingConnections())
        QMetaObject::invokeMethod(this, &HttpServer::acceptConnections, Qt::QueuedConnection);
}

QByteArray HttpServer::currentDate()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != m_dateSecond) {
        m_dateSecond = now;
        m_date = httpDate(now);
    }
    return m_date;
}

} // namespace waotp::server
