#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace waotp {

/// The time and size limits of the client of a verification server. Tests make them short.
struct ServerTimings
{
    /// The longest an ordinary request may take, from start to the last byte of the answer.
    std::chrono::milliseconds requestTimeout {15000};
    /// How long the server is asked to hold a delivery poll (GET ...?wait=N, at most 30 s)...
    std::chrono::seconds pollWait {25};
    /// ... and how much longer than that the client waits for its answer.
    std::chrono::milliseconds pollSlack {10000};
    /// A poll that comes back sooner than this without news waits out the rest before the
    /// next one (a server that doesn't hold polls is not asked in a tight loop).
    std::chrono::milliseconds minPollInterval {2000};
    /// After a failed poll the next waits 1 s, then twice as long each time, at most this long.
    std::chrono::milliseconds maxPollBackoff {30000};
    /// A larger answer is abandoned: no answer of the API comes near it.
    qint64 maxAnswerBytes = 64 * 1024;
};

/// What became of one request to the server.
struct ServerReply
{
    enum class Failure {
        None, ///< the server answered: status, body
        Unreachable, ///< no connection: refused, no route, name unknown, or closed before answering
        Tls, ///< the TLS handshake failed (certificate not trusted, wrong host, ...)
        Timeout, ///< no complete answer in time
        TooLarge, ///< the answer exceeded ServerTimings::maxAnswerBytes
    };
    Failure failure = Failure::None;
    int status = 0; ///< the HTTP status when answered
    QByteArray body;
    std::chrono::seconds retryAfter {-1}; ///< the Retry-After header in seconds; -1 if none
    QString detail; ///< what went wrong, in plain words (failures only); never a secret

    bool answered() const { return failure == Failure::None; }
};

/// Requests to one verification server over a QNetworkAccessManager: JSON bodies, a deadline per
/// request, a cap on the answer's size, no redirects followed, every failure typed. The answer
/// comes through a callback, once, always later from the event loop, unless the request is
/// aborted or this object is destroyed first.
class ServerHttp : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const ServerReply &reply)>;

    ServerHttp(QNetworkAccessManager *nam, QUrl baseUrl, ServerTimings timings,
               QObject *parent = nullptr);
    ~ServerHttp() override;

    const QUrl &baseUrl() const { return m_baseUrl; }
    const ServerTimings &timings() const { return m_timings; }

    /// Sends @p method to @p path (under the base URL; a query may follow "?") with @p body
    /// (JSON; none if empty), abandoned after @p timeout. Returns a handle for abort().
    quint64 send(const QByteArray &method, const QString &path, const QByteArray &body,
                 std::chrono::milliseconds timeout, Done done);
    /// As send(), with the ordinary timeout.
    quint64 send(const QByteArray &method, const QString &path, const QByteArray &body, Done done)
    {
        return send(method, path, body, m_timings.requestTimeout, std::move(done));
    }
    /// Forgets request @p handle: its callback is not called.
    void abort(quint64 handle);
    /// Requests not answered yet.
    int pendingCount() const { return int(m_pending.size()); }

private:
    struct Pending;
    void finish(quint64 handle, ServerReply::Failure forced = ServerReply::Failure::None);
    ServerReply replyOf(QNetworkReply *reply, const Pending &pending) const;

    QNetworkAccessManager *m_nam;
    QUrl m_baseUrl;
    ServerTimings m_timings;
    QHash<quint64, Pending *> m_pending;
    quint64 m_nextHandle = 1;
};

} // namespace waotp
