#pragma once

// An HTTP/1.1 client for the cluster tests: one request per connection, from a chosen loopback
// address (Linux answers on all of 127.0.0.0/8), so that one test plays several clients; any
// header can be sent (a forged X-Forwarded-For). Calls run side by side: start several, then
// wait for each. It waits by running the event loop.
#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <utility>

namespace waotp::test {

struct HttpAnswer
{
    int status = 0; ///< 0: no answer (refused, cut, timed out)
    QByteArray head;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString value(QStringView key) const { return json().value(key).toString(); }
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

using HeaderPairs = QList<std::pair<QByteArray, QByteArray>>;

class HttpCall
{
public:
    /// Starts @p method @p path to 127.0.0.1:@p port from @p from.
    HttpCall(quint16 port, const QByteArray &method, const QByteArray &path,
             const QByteArray &body = {}, const HeaderPairs &headers = {},
             const QHostAddress &from = QHostAddress::LocalHost)
        : m_socket(std::make_unique<QTcpSocket>())
    {
        m_request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        if (!body.isEmpty() || method == "POST")
            m_request += "Content-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n";
        for (const auto &[name, value] : headers)
            m_request += name + ": " + value + "\r\n";
        m_request += "\r\n" + body;
        QObject::connect(m_socket.get(), &QTcpSocket::connected, m_socket.get(),
                         [this] { m_socket->write(m_request); });
        if (!m_socket->bind(from)) {
            m_failed = true;
            return;
        }
        m_socket->connectToHost(QHostAddress::LocalHost, port);
    }

    HttpAnswer wait(int timeoutMs = 20000)
    {
        if (!m_failed) {
            const bool closed = QTest::qWaitFor(
                [this] {
                    m_buffer += m_socket->readAll();
                    return m_socket->state() == QAbstractSocket::UnconnectedState;
                },
                timeoutMs);
            m_buffer += m_socket->readAll();
            if (!closed) // no whole answer in time
                m_buffer.clear();
            m_socket->abort();
        }
        HttpAnswer a;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0 || !m_buffer.startsWith("HTTP/1.1 "))
            return a;
        a.head = m_buffer.left(end);
        a.body = m_buffer.mid(end + 4);
        a.status = m_buffer.mid(9, 3).toInt();
        return a;
    }

private:
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_request;
    QByteArray m_buffer;
    bool m_failed = false;
};

inline HttpAnswer http(quint16 port, const QByteArray &method, const QByteArray &path,
                       const QByteArray &body = {}, const HeaderPairs &headers = {},
                       const QHostAddress &from = QHostAddress::LocalHost)
{
    return HttpCall(port, method, path, body, headers, from).wait();
}

/// POST /v1/verifications for @p phone (@p flow "signup" or "signin").
inline HttpAnswer create(quint16 port, const QByteArray &phone, const QByteArray &flow = "signup",
                         const QHostAddress &from = QHostAddress::LocalHost,
                         const HeaderPairs &headers = {})
{
    return http(port, "POST", "/v1/verifications",
                "{\"phone\":\"" + phone + "\",\"flow\":\"" + flow + "\"}", headers, from);
}

inline QByteArray checkPath(const QString &id)
{
    return "/v1/verifications/" + id.toLatin1() + "/check";
}

inline QByteArray codeBody(const QString &code)
{
    return "{\"code\":\"" + code.toLatin1() + "\"}";
}

/// The claims of a token (its middle part), unchecked: the token tests check signatures.
inline QJsonObject tokenClaims(const QString &token)
{
    const QByteArray payload = token.section(u'.', 1, 1).toLatin1();
    return QJsonDocument::fromJson(QByteArray::fromBase64(payload, QByteArray::Base64UrlEncoding))
        .object();
}

} // namespace waotp::test
