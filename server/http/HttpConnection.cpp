#include "server/http/HttpConnection.h"

#include <QDeadlineTimer>
#include <QMetaObject>
#include <QTcpSocket>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>

#include <sys/ioctl.h>
#include <sys/socket.h>

namespace waotp::server {

namespace {
// Answers not yet taken by a client that pipelines requests without reading: past this, the
// next requests wait until it reads.
constexpr qint64 WriteBacklog = 256 * 1024;
// After the last answer of a connection, how long its client may take to read it, and how much
// more it may send meanwhile (discarded), before the connection is reset. Closing at once
// would reset it while the client is still sending a refused body, and it might never see the
// answer (the "lingering close" of RFC 9112, 9.6).
constexpr auto LingerTime = std::chrono::seconds(2);
constexpr qint64 LingerDiscardLimit = 4 * 1024 * 1024;
} // namespace

HttpConnection::HttpConnection(HttpServer &server, QTcpSocket *socket, QByteArray capKey)
    : QObject(&server), m_server(server), m_socket(socket), m_parser(server.limits().parse),
      m_peer(socket->peerAddress()), m_capKey(std::move(capKey))
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // While a request is handled nothing is read: Qt keeps at most this much in its buffer and
    // leaves the rest in the kernel's, so a client that floods cannot fill our memory.
    const auto &limits = server.limits().parse;
    m_socket->setReadBufferSize(limits.maxHeaderBytes + limits.maxBodyBytes + ReadChunk);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::processInput);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_state == State::Closing)
            shutdownWhenWritten();
        else if (m_socket->bytesToWrite() < WriteBacklog)
            processInput(); // the client has read; pipelined requests may go on
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            deleteLater();
    });
    becomeIdle();
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        // Its client left while it waited in QTcpServer's queue: no signal will say so.
        deleteLater();
        return;
    }
    // A socket that waited in QTcpServer's queue may have read its request already, and told
    // no one.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    m_server.connectionClosed(m_capKey);
}

void HttpConnection::startTimer(QBasicTimer &timer, std::chrono::milliseconds timeout)
{
    timer.start(int(timeout.count()), Qt::CoarseTimer, this);
}

void HttpConnection::stopTimers()
{
    m_idleTimer.stop();
    m_readTimer.stop();
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    const int id = event->timerId();
    if (id == m_readTimer.timerId()) {
        fail(HttpFailure::Timeout);
    } else if (id == m_idleTimer.timerId()) {
        closeIdle();
    } else if (id == m_lingerTimer.timerId()) {
        m_lingerTimer.stop();
        m_socket->abort();
        deleteLater();
    } else {
        QObject::timerEvent(event);
    }
}

void HttpConnection::becomeIdle()
{
    m_state = State::Idle;
    m_idleSince = QDeadlineTimer::current().deadline();
    startTimer(m_idleTimer, m_server.limits().idleTimeout);
}

qint64 HttpConnection::idleSince() const
{
    if (m_state != State::Idle || m_parser.started() || !m_input.isEmpty()
        || m_socket->bytesAvailable() > 0)
        return -1;
    int unread = 0; // what the kernel holds and Qt has not read yet
    if (::ioctl(int(m_socket->socketDescriptor()), FIONREAD, &unread) != 0 || unread > 0)
        return -1;
    return m_idleSince;
}

bool HttpConnection::isLeaving() const
{
    return m_state == State::Closing || m_socket->state() != QAbstractSocket::ConnectedState;
}

void HttpConnection::closeIdle()
{
    stopTimers();
    m_state = State::Closing;
    m_socket->disconnectFromHost();
    startTimer(m_lingerTimer, LingerTime);
}

void HttpConnection::drain()
{
    // Idle with nothing unread: no request to finish. A request begun (or bytes of one that
    // came) is answered first, and respond() closes after it.
    if (idleSince() >= 0)
        closeIdle();
}

// Moves what the socket has into m_input; false if it had nothing.
bool HttpConnection::pull()
{
    // As much as the socket's buffer holds, up to a chunk: QIODevice::read(n) makes an n-byte
    // array first and shrinks it, a large block from the heap for every request; a read of the
    // buffer's first block takes that block without a copy.
    const qint64 available = std::min(m_socket->bytesAvailable(), ReadChunk);
    if (available <= 0)
        return false;
    const QByteArray more = m_socket->read(available);
    if (more.isEmpty())
        return false;
    if (m_input.isEmpty())
        m_input = more;
    else
        m_input += more;
    return true;
}

void HttpConnection::processInput()
{
    if (m_state == State::Closing) {
        m_discarded += m_socket->skip(m_socket->bytesAvailable());
        if (m_discarded > LingerDiscardLimit) {
            m_socket->abort();
            deleteLater();
        }
        return;
    }
    if (m_processing)
        return; // the loop below is already running further up the stack
    m_processing = true;
    while (m_state == State::Idle || m_state == State::Reading) {
        if (m_socket->bytesToWrite() >= WriteBacklog)
            break; // resumed by bytesWritten
        if (m_input.isEmpty() && !pull())
            break; // resumed by readyRead
        const HttpRequestParser::Step step = m_parser.feed(m_input);
        if (step.consumed == m_input.size())
            m_input.clear();
        else
            m_input.remove(0, step.consumed);

        if (step.state == HttpRequestParser::Step::State::Failed) {
            switch (step.error) {
            case HttpParseError::HeaderTooLarge:
                fail(HttpFailure::HeaderTooLarge);
                break;
            case HttpParseError::BodyTooLarge:
                fail(HttpFailure::BodyTooLarge);
                break;
            case HttpParseError::BadHost:
                fail(HttpFailure::BadHost);
                break;
            case HttpParseError::UnsupportedVersion:
                fail(HttpFailure::UnsupportedVersion);
                break;
            case HttpParseError::Malformed:
            case HttpParseError::None:
                fail(HttpFailure::Malformed);
                break;
            }
            break;
        }
        if (step.state == HttpRequestParser::Step::State::Complete) {
            dispatch(); // may answer at once: the loop then reads the next request
            continue;
        }
        // Needs more.
        if (m_state == State::Idle && m_parser.started()) {
            m_state = State::Reading;
            m_idleTimer.stop();
            startTimer(m_readTimer, m_server.limits().readTimeout);
        } else if (m_state == State::Reading && !m_parser.started() && m_input.isEmpty()) {
            // What began a request (a CR) was one more empty line after all.
            m_readTimer.stop();
            becomeIdle();
        }
        if (m_parser.expectsContinue() && !m_continueSent) {
            m_continueSent = true; // the body is within the limit: let the client send it
            send("HTTP/1.1 100 Continue\r\n\r\n");
        }
        if (!pull())
            break;
    }
    m_processing = false;
}

void HttpConnection::dispatch()
{
    HttpRequest request = m_parser.take();
    request.peer = m_peer;
    stopTimers();
    m_state = State::Handling;
    m_continueSent = false;
    m_keepAlive = request.keepAlive;
    m_answerTo = {request.method == "HEAD", request.http10};
    m_server.m_handler(std::move(request), HttpResponder(this));
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (m_state != State::Handling)
        return; // answered already (a failure), or closing
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        deleteLater(); // the client has gone
        return;
    }
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return; // closing: the socket says when it is done
    // A client waits at the cap and no connection has been idle long enough to make room:
    // this one does, after its answer ("Connection: close").
    if (m_keepAlive && m_server.needsRoom() && !m_server.closeIdlest())
        m_keepAlive = false;
    if (m_server.isDraining())
        m_keepAlive = false;
    send(serialize(response, m_keepAlive, m_server.currentDate(), m_answerTo));
    if (!m_keepAlive) {
        closeAfterWriting();
        return;
    }
    becomeIdle();
    // Pipelined requests, or bytes that came while this one was handled: read them from the
    // event loop, not from inside the caller of respond().
    if (!m_processing && (!m_input.isEmpty() || m_socket->bytesAvailable() > 0))
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

// Straight to the kernel when nothing waits in Qt's buffer, which is the rule for answers that
// fit in the socket's send buffer: QTcpSocket::write() would enable the write notifier, wait
// for the next pass of the loop, write, and disable it again, two changes to the loop's poll
// set and a wake-up each. What the kernel does not take now goes through Qt's buffer, after
// what is there already, and so does everything after an error, which the socket then reports.
void HttpConnection::send(QByteArrayView bytes)
{
    qsizetype sent = 0;
    if (m_socket->bytesToWrite() == 0) {
        const int fd = int(m_socket->socketDescriptor());
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd, bytes.data() + sent, std::size_t(bytes.size() - sent),
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0)
                sent += n;
            else if (n < 0 && errno == EINTR)
                continue;
            else
                break;
        }
    }
    if (sent < bytes.size())
        m_socket->write(bytes.data() + sent, bytes.size() - sent);
}

void HttpConnection::fail(HttpFailure failure)
{
    stopTimers();
    if (m_state == State::Closing)
        return;
    m_state = State::Handling; // so that respond() writes
    m_keepAlive = false;
    m_answerTo = {}; // of no request that was read
    respond(m_server.m_failureHandler(failure));
}

void HttpConnection::respondUnanswered()
{
    if (m_state == State::Handling)
        respond(m_server.m_failureHandler(HttpFailure::Unanswered));
}

void HttpConnection::closeAfterWriting()
{
    stopTimers();
    m_state = State::Closing;
    m_input.clear();
    startTimer(m_lingerTimer, LingerTime);
    shutdownWhenWritten();
    processInput(); // discard what is already here
}

// Once the last answer has left, tells the client that nothing more comes (a half close); it
// then closes its side and the socket reports the disconnection.
void HttpConnection::shutdownWhenWritten()
{
    if (m_shutdownPending || m_socket->bytesToWrite() > 0)
        return;
    m_shutdownPending = true;
    m_socket->flush();
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

HttpResponder::HttpResponder(HttpConnection *connection) : m_connection(connection) { }

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
{ }

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        if (HttpConnection *connection = std::exchange(m_connection, nullptr))
            connection->respondUnanswered();
        m_connection = std::exchange(other.m_connection, nullptr);
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (m_connection)
        m_connection->respondUnanswered();
}

void HttpResponder::respond(HttpResponse response)
{
    if (HttpConnection *connection = std::exchange(m_connection, nullptr))
        connection->respond(response);
}

QObject *HttpResponder::connection() const
{
    return m_connection.data();
}

} // namespace waotp::server
