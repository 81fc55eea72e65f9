#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

class QTcpServer;
class QTcpSocket;

namespace waotp::test {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

/// One request as the server received it.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< path and query, as sent
    QByteArray version;
    HeaderList headers; ///< in the order received
    QByteArray body;
    int connection = 0; ///< which connection (1, 2, ...) carried it
    std::chrono::steady_clock::time_point received; ///< when it arrived whole

    /// The first header called @p name (case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const;
    QString path() const;
    /// The body decoded as application/x-www-form-urlencoded, in order.
    QList<std::pair<QString, QString>> form() const;
    /// The first value of form field @p name.
    QString formValue(const QString &name) const;
    /// The raw "name=value" pairs of the body, undecoded.
    QList<QByteArray> rawFormPairs() const;
};

/// What the server does with a request.
struct HttpResponse
{
    enum class Action {
        Respond, ///< send status, headers and body
        Hang, ///< never answer (the connection stays open)
        Drop, ///< close the connection without a byte of answer
        Truncate, ///< announce the full body length, send half of it, close
    };
    Action action = Action::Respond;
    int status = 200;
    HeaderList headers;
    QByteArray body;
    std::chrono::milliseconds delay {0}; ///< wait before acting
    /// When > 0: a body of this many bytes, streamed as the client reads (the huge answer).
    qint64 streamBytes = 0;

    static HttpResponse json(int status, const QJsonObject &body, HeaderList headers = {});
    static HttpResponse raw(int status, QByteArray body, QByteArray contentType = "text/plain");
    static HttpResponse hang();
    static HttpResponse drop();
};

/// A small HTTP/1.1 server on 127.0.0.1 (port chosen by the system) for client tests: keep-alive,
/// one handler per test, every request recorded. A TLS variant serves a self-signed certificate.
class HttpTestServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &request)>;

    explicit HttpTestServer(Handler handler = {}, QObject *parent = nullptr);
    ~HttpTestServer() override;

    /// Listens on 127.0.0.1, port 0.
    bool listen();
    /// Listens with TLS, serving @p certificate.
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key);

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    quint16 port() const;
    /// "http://127.0.0.1:<port>" (https for the TLS variant).
    QUrl baseUrl() const;

    const QList<HttpRequest> &requests() const { return m_requests; }
    qsizetype requestCount() const { return m_requests.size(); }
    int connectionCount() const { return m_connections; }
    /// Bytes of streamed bodies actually written (to see a client stop reading).
    qint64 streamedBytes() const { return m_streamed; }
    void clear() { m_requests.clear(); }

    /// Makes a self-signed certificate for 127.0.0.1 with the openssl command. False (and the
    /// reason in @p error) if openssl is missing or fails.
    static bool makeSelfSignedCertificate(QSslCertificate *certificate, QSslKey *key,
                                          QString *error);

Q_SIGNALS:
    void requestReceived(const waotp::test::HttpRequest &request);

private:
    struct Connection;
    void accept();
    void onReadyRead(Connection *c);
    void act(Connection *c, const HttpResponse &response, bool close);
    void pump(Connection *c);

    Handler m_handler;
    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QList<HttpRequest> m_requests;
    int m_connections = 0;
    qint64 m_streamed = 0;
};

} // namespace waotp::test
