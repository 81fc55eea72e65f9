#include "server/http/HttpServer.h"

#include "server/http/HttpConnection.h"

#include <QDateTime>
#include <QTcpServer>
#include <QTcpSocket>

namespace waotp::server {

namespace {

// A connection accepted but not yet taken by the server waits in QTcpServer's queue, where its
// socket reads as a connection's does: with the same cap on what it buffers.
class CappedTcpServer final : public QTcpServer
{
public:
    CappedTcpServer(qint64 readBufferSize, QObject *parent)
        : QTcpServer(parent), m_readBufferSize(readBufferSize)
    {
        // One waits at a time; the next wait in the kernel's listen backlog.
        setMaxPendingConnections(1);
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setReadBufferSize(m_readBufferSize);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        addPendingConnection(socket);
    }

private:
    qint64 m_readBufferSize;
};

} // namespace

HttpServer::HttpServer(HttpServerLimits limits, Handler handler, FailureHandler failureHandler,
                       QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler)),
      m_failureHandler(std::move(failureHandler)),
      m_tcpServer(new CappedTcpServer(limits.parse.maxHeaderBytes + limits.parse.maxBodyBytes
                                          + HttpConnection::ReadChunk,
                                      this))
{
    connect(m_tcpServer, &QTcpServer::newConnection, this, &HttpServer::acceptConnections);
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
    if (error)
        *error = m_tcpServer->errorString();
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
            // At the cap, a client waiting takes the place of the connection idle longest, so
            // that connections opened and left idle cannot keep others out. Its slot is free
            // once it is gone (connectionClosed()). With none idle, the client waits, and those
            // after it wait in the kernel's listen backlog.
            closeIdlest();
            return;
        }
        ++m_connections;
        new HttpConnection(*this, m_tcpServer->nextPendingConnection());
    }
}

void HttpServer::closeIdlest()
{
    HttpConnection *idlest = nullptr;
    qint64 since = 0;
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *c : connections) {
        const qint64 s = c->idleSince();
        if (s >= 0 && (!idlest || s < since)) {
            idlest = c;
            since = s;
        }
    }
    if (idlest)
        idlest->closeIdle();
}

void HttpServer::connectionIdle()
{
    if (m_connections >= m_limits.maxConnections && m_tcpServer->hasPendingConnections())
        closeIdlest();
}

void HttpServer::connectionClosed()
{
    --m_connections;
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
