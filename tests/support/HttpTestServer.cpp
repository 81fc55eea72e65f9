#include "HttpTestServer.h"

#include <QJsonDocument>
#include <QPointer>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

namespace waotp::test {

namespace {

constexpr qint64 StreamChunk = 64 * 1024;
constexpr qint64 StreamHighWater = 256 * 1024;

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

bool hasHeader(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString HttpRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return QString::fromUtf8(q < 0 ? target : target.left(q));
}

QList<QByteArray> HttpRequest::rawFormPairs() const
{
    return body.isEmpty() ? QList<QByteArray>() : body.split('&');
}

QList<std::pair<QString, QString>> HttpRequest::form() const
{
    QList<std::pair<QString, QString>> out;
    for (QByteArray pair : rawFormPairs()) {
        pair.replace('+', ' '); // form encoding: a literal + would be a space
        const qsizetype eq = pair.indexOf('=');
        const QByteArray name = eq < 0 ? pair : pair.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        out.append({QString::fromUtf8(QByteArray::fromPercentEncoding(name)),
                    QString::fromUtf8(QByteArray::fromPercentEncoding(value))});
    }
    return out;
}

QString HttpRequest::formValue(const QString &name) const
{
    for (const auto &[key, value] : form()) {
        if (key == name)
            return value;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonObject &body, HeaderList headers)
{
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Type", "application/json; charset=utf-8"));
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse HttpResponse::raw(int status, QByteArray body, QByteArray contentType)
{
    HttpResponse r;
    r.status = status;
    r.headers.append(std::pair<QByteArray, QByteArray>("Content-Type", std::move(contentType)));
    r.body = std::move(body);
    return r;
}

HttpResponse HttpResponse::hang()
{
    HttpResponse r;
    r.action = Action::Hang;
    return r;
}

HttpResponse HttpResponse::drop()
{
    HttpResponse r;
    r.action = Action::Drop;
    return r;
}

struct HttpTestServer::Connection
{
    QPointer<QTcpSocket> socket;
    QByteArray buffer;
    int id = 0;
    bool busy = false; // answering a request: the next one waits
    bool closeAfter = false;
    qint64 streamLeft = 0;
};

HttpTestServer::HttpTestServer(Handler handler, QObject *parent)
    : QObject(parent), m_handler(std::move(handler))
{
    qRegisterMetaType<HttpRequest>();
}

HttpTestServer::~HttpTestServer() = default;

bool HttpTestServer::listen()
{
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::newConnection, this, &HttpTestServer::accept);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool HttpTestServer::listenTls(const QSslCertificate &certificate, const QSslKey &key)
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(certificate);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    m_server = std::move(server);
    m_tls = true;
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &HttpTestServer::accept);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 HttpTestServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl HttpTestServer::baseUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

void HttpTestServer::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto c = std::make_shared<Connection>();
        c->socket = socket;
        c->id = ++m_connections;
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, c] { onReadyRead(c.get()); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, c] { pump(c.get()); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // Keeps the state alive as long as the socket.
        connect(socket, &QObject::destroyed, this, [c] { c->streamLeft = 0; });
        if (socket->bytesAvailable() > 0)
            onReadyRead(c.get());
    }
}

void HttpTestServer::onReadyRead(Connection *c)
{
    if (!c->socket)
        return;
    c->buffer += c->socket->readAll();
    while (!c->busy) {
        const qsizetype end = c->buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = c->buffer.left(end).split('\n');
        HttpRequest request;
        const QList<QByteArray> first = lines.first().trimmed().split(' ');
        if (first.size() != 3) {
            c->socket->abort();
            return;
        }
        request.method = first.at(0);
        request.target = first.at(1);
        request.version = first.at(2);
        request.connection = c->id;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        const qint64 length = request.header("Content-Length").toLongLong();
        if (c->buffer.size() < end + 4 + length)
            return; // the body is still coming
        request.body = c->buffer.mid(end + 4, length);
        c->buffer.remove(0, end + 4 + length);

        request.received = std::chrono::steady_clock::now();
        m_requests.append(request);
        Q_EMIT requestReceived(request);
        const HttpResponse response =
            m_handler ? m_handler(request) : HttpResponse::raw(404, "no handler");
        c->busy = true;
        const bool close = request.header("Connection").compare("close", Qt::CaseInsensitive) == 0;
        if (response.delay.count() > 0) {
            QTimer::singleShot(response.delay, c->socket,
                               [this, c, response, close] { act(c, response, close); });
        } else {
            act(c, response, close);
        }
    }
}

void HttpTestServer::act(Connection *c, const HttpResponse &response, bool close)
{
    QTcpSocket *socket = c->socket;
    if (!socket)
        return;
    switch (response.action) {
    case HttpResponse::Action::Hang:
        return; // stays busy: nothing more is read from this connection
    case HttpResponse::Action::Drop:
        socket->disconnectFromHost();
        return;
    case HttpResponse::Action::Respond:
    case HttpResponse::Action::Truncate:
        break;
    }
    const qint64 length = response.streamBytes > 0 ? response.streamBytes : response.body.size();
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (!hasHeader(response.headers, "Content-Length"))
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    socket->write(head);
    if (response.action == HttpResponse::Action::Truncate) {
        socket->write(response.body.left(response.body.size() / 2));
        socket->disconnectFromHost();
        return;
    }
    if (response.streamBytes > 0) {
        c->streamLeft = response.streamBytes;
        c->closeAfter = close;
        pump(c);
        return;
    }
    socket->write(response.body);
    if (close) {
        socket->disconnectFromHost();
        return;
    }
    c->busy = false;
    if (!c->buffer.isEmpty())
        QTimer::singleShot(0, socket, [this, c] { onReadyRead(c); });
}

void HttpTestServer::pump(Connection *c)
{
    QTcpSocket *socket = c->socket;
    if (!socket || c->streamLeft <= 0)
        return;
    while (c->streamLeft > 0 && socket->bytesToWrite() < StreamHighWater
           && socket->state() == QAbstractSocket::ConnectedState) {
        const qint64 n = std::min(StreamChunk, c->streamLeft);
        socket->write(QByteArray(n, 'x'));
        c->streamLeft -= n;
        m_streamed += n;
    }
    if (c->streamLeft == 0) {
        if (c->closeAfter)
            socket->disconnectFromHost();
        c->busy = false;
    }
}

bool HttpTestServer::makeSelfSignedCertificate(QSslCertificate *certificate, QSslKey *key,
                                               QString *error)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = QStringLiteral("the openssl command is not installed");
        return false;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    QProcess p;
    p.start(openssl,
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
             QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
             QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
             QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath,
             QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
             QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
             QStringLiteral("subjectAltName=IP:127.0.0.1")});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error =
            QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(p.readAllStandardError());
        return false;
    }
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read what openssl wrote");
        return false;
    }
    *certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    *key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
    if (certificate->isNull() || key->isNull()) {
        *error = QStringLiteral("openssl wrote a certificate or key Qt cannot read");
        return false;
    }
    return true;
}

} // namespace waotp::test
