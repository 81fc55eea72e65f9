#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

#include <optional>

namespace waotp::test {

/// An HTTP client on a bare socket, for what a real client would not send: half requests, floods,
/// pipelines. It reads answers as the server wrote them. It waits by running the event loop, so
/// that a server in the same thread goes on working.
class RawHttpClient
{
public:
    struct Response
    {
        int status = 0;
        QByteArray head; ///< the status line and the header fields
        QByteArray body;
        QByteArray header(QByteArrayView name) const
        {
            const QList<QByteArray> lines = head.split('\n');
            for (const QByteArray &line : lines) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                    return line.mid(colon + 1).trimmed();
            }
            return {};
        }
    };

    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    QTcpSocket &socket() { return m_socket; }

    /// The next answer, or std::nullopt if none is complete within @p timeoutMs.
    std::optional<Response> read(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            m_buffer += m_socket.readAll();
            if (auto r = take())
                return r;
            const int left = timeoutMs - int(timer.elapsed());
            if (left <= 0 || m_socket.state() != QAbstractSocket::ConnectedState)
                return take();
            QTest::qWait(std::min(left, 5));
        }
    }

    /// True once the server has closed the connection, within @p timeoutMs.
    bool closedByServer(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
            QTest::qWait(5);
            m_buffer += m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }

private:
    std::optional<Response> take()
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        Response r;
        r.head = m_buffer.left(end);
        r.status = r.head.mid(9, 3).toInt();
        const qsizetype length = r.header("Content-Length").toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return std::nullopt;
        r.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        return r;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace waotp::test
