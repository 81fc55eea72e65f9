#pragma once

#include "server/http/HttpParser.h"
#include "server/http/HttpServer.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QObject>

class QTcpSocket;

namespace waotp::server {

/// One client connection of HttpServer: reads requests with the limits, hands them to the
/// handler one at a time, writes the answers, and closes on a failure or a timeout.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    /// Read from the socket in pieces of this size at most.
    static constexpr qint64 ReadChunk = 64 * 1024;

    /// @p capKey: what the server counts the connection under (HttpServer::capKey()).
    HttpConnection(HttpServer &server, QTcpSocket *socket, QByteArray capKey);
    ~HttpConnection() override;

    /// The answer to the request being handled (HttpResponder::respond()).
    void respond(const HttpResponse &response);
    /// The handler dropped its responder without answering: 500.
    void respondUnanswered();
    /// When the connection last became idle (between requests, no byte of the next one read),
    /// on the steady clock in milliseconds; -1 while it is not idle.
    qint64 idleSince() const;
    /// Closes an idle connection, as its idle timeout does (for a client waiting at the cap).
    void closeIdle();
    /// True once the connection is closing, or its client has gone: its slot is being freed.
    bool isLeaving() const;
    /// The server stops (HttpServer::drain()): closes now if idle, else after the answer to
    /// the request in progress.
    void drain();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State {
        Idle, ///< between requests: the idle timeout runs
        Reading, ///< a request has begun: the read timeout runs
        Handling, ///< the handler has the request; nothing more is read meanwhile
        Closing, ///< the last answer is on its way; what arrives is discarded
    };

    void processInput();
    bool pull();
    void dispatch();
    void send(QByteArrayView bytes);
    void fail(HttpFailure failure);
    void closeAfterWriting();
    void shutdownWhenWritten();
    void startTimer(QBasicTimer &timer, std::chrono::milliseconds timeout);
    void stopTimers();
    void becomeIdle();

    HttpServer &m_server;
    QTcpSocket *m_socket;
    HttpRequestParser m_parser;
    QByteArray m_input; // received, not yet consumed by the parser
    QHostAddress m_peer;
    QByteArray m_capKey;
    State m_state = State::Idle;
    bool m_keepAlive = true; // of the request being handled
    AnswerTo m_answerTo; // of the request being handled
    bool m_processing = false; // processInput() is on the stack
    bool m_continueSent = false;
    bool m_shutdownPending = false;
    qint64 m_discarded = 0;
    qint64 m_idleSince = 0; // steady clock, ms: see idleSince()
    QBasicTimer m_idleTimer;
    QBasicTimer m_readTimer;
    QBasicTimer m_lingerTimer;
};

} // namespace waotp::server
