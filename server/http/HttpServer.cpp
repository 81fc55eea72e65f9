#include "server/http/HttpServer.h"

#include "server/http/HttpConnection.h"

#include <QDateTime>
#include <QTcpServer>
#include <QTcpSocket>

namespace waotp::server {

HttpServer::HttpServer(HttpServerLimits limits, Handler handler, FailureHandler failureHandler,
                       QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler)),
      m_failureHandler(std::move(failureHandler)), m_tcpServer(new QTcpServer(this))
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
    while (m_connections < m_limits.maxConnections) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (!socket)
            return;
        ++m_connections;
        new HttpConnection(*this, socket);
    }
    // At the cap: the next clients wait in the kernel's listen backlog until one leaves.
    m_tcpServer->pauseAccepting();
}

void HttpServer::connectionClosed()
{
    --m_connections;
    if (m_connections < m_limits.maxConnections && m_tcpServer->isListening()) {
        m_tcpServer->resumeAccepting();
        if (m_tcpServer->hasPendingConnections())
            QMetaObject::invokeMethod(this, &HttpServer::acceptConnections, Qt::QueuedConnection);
    }
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
