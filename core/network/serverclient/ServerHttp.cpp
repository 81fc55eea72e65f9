#include "network/serverclient/ServerHttp.h"

#include "network/OneShotBody.h"

#include "WaotpVersion.h"
#include "engine/ServerUrl.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace waotp {

struct ServerHttp::Pending
{
    QNetworkReply *reply = nullptr;
    QTimer timer;
    QByteArray body;
    Done done;
};

namespace {

QString unreachableWords(QNetworkReply::NetworkError error, const QString &qtWords)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("the connection was refused (is the server running?)");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("the server's name is not known (DNS)");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed the connection without answering");
    case QNetworkReply::ContentReSendError: // see OneShotBody
        return QStringLiteral("the connection closed before any answer; not sent again, because "
                              "the server may have acted on it");
    default:
        return QStringLiteral("no connection (%1)").arg(qtWords);
    }
}

bool isTlsError(QNetworkReply::NetworkError error)
{
    return error == QNetworkReply::SslHandshakeFailedError;
}

std::chrono::seconds retryAfterOf(const QNetworkReply *reply)
{
    bool ok = false;
    const qint64 seconds = reply->rawHeader("Retry-After").trimmed().toLongLong(&ok);
    return ok && seconds >= 0 ? std::chrono::seconds(std::min<qint64>(seconds, 86400))
                              : std::chrono::seconds(-1);
}

} // namespace

ServerHttp::ServerHttp(QNetworkAccessManager *nam, QUrl baseUrl, ServerTimings timings,
                       QObject *parent)
    : QObject(parent), m_nam(nam), m_baseUrl(std::move(baseUrl)), m_timings(timings)
{ }

ServerHttp::~ServerHttp()
{
    for (Pending *p : std::as_const(m_pending)) {
        p->reply->disconnect(this);
        p->reply->abort();
        p->reply->deleteLater();
        delete p;
    }
}

quint64 ServerHttp::send(const QByteArray &method, const QString &path, const QByteArray &body,
                         std::chrono::milliseconds timeout, Done done)
{
    const qsizetype question = path.indexOf(u'?');
    QUrl url = serverEndpoint(m_baseUrl,
                              question < 0 ? QStringView(path) : QStringView(path).first(question));
    if (question >= 0)
        url.setQuery(path.mid(question + 1));
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("waotp/" WAOTP_ENGINE_VERSION));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    // A redirect is not followed: the API never sends one, and one could lead off https.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(0); // the deadline below covers the whole exchange

    const quint64 handle = m_nextHandle++;
    auto *pending = new Pending;
    pending->done = std::move(done);
    if (body.isEmpty() && method != "POST") {
        pending->reply = m_nam->sendCustomRequest(request, method);
    } else {
        // Sent once: a connection that closes before the answer fails the request, rather than
        // Qt sending it again (a create or resend would send a second code and void the first,
        // a check already approved would come back not_found).
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *device = new OneShotBody(QByteArray(body.constData(), body.size()), nullptr);
        pending->reply = m_nam->sendCustomRequest(request, method, device);
        device->setParent(pending->reply); // lives as long as Qt may read it
    }
    m_pending.insert(handle, pending);

    QNetworkReply *reply = pending->reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, handle, reply] {
        Pending *p = m_pending.value(handle);
        if (!p)
            return;
        p->body += reply->readAll();
        if (p->body.size() > m_timings.maxAnswerBytes)
            finish(handle, ServerReply::Failure::TooLarge);
    });
    connect(reply, &QNetworkReply::finished, this, [this, handle] { finish(handle); });
    pending->timer.setSingleShot(true);
    connect(&pending->timer, &QTimer::timeout, this,
            [this, handle] { finish(handle, ServerReply::Failure::Timeout); });
    pending->timer.start(timeout);
    return handle;
}

void ServerHttp::abort(quint64 handle)
{
    Pending *p = m_pending.take(handle);
    if (!p)
        return;
    p->reply->disconnect(this);
    p->reply->abort();
    p->reply->deleteLater();
    delete p;
}

ServerReply ServerHttp::replyOf(QNetworkReply *reply, const Pending &pending) const
{
    ServerReply r;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    if (status.isValid() && status.toInt() > 0) {
        r.status = status.toInt();
        r.body = pending.body;
        r.retryAfter = retryAfterOf(reply);
        return r;
    }
    if (isTlsError(error)) {
        r.failure = ServerReply::Failure::Tls;
        r.detail = QStringLiteral("the TLS handshake failed (%1)").arg(reply->errorString());
    } else if (error == QNetworkReply::TimeoutError) {
        r.failure = ServerReply::Failure::Timeout;
    } else {
        r.failure = ServerReply::Failure::Unreachable;
        r.detail = unreachableWords(error, reply->errorString());
    }
    return r;
}

void ServerHttp::finish(quint64 handle, ServerReply::Failure forced)
{
    Pending *p = m_pending.take(handle);
    if (!p)
        return;
    p->timer.stop();
    QNetworkReply *reply = p->reply;
    reply->disconnect(this);
    ServerReply r;
    if (forced == ServerReply::Failure::None) {
        p->body += reply->readAll();
        if (p->body.size() > m_timings.maxAnswerBytes)
            r.failure = ServerReply::Failure::TooLarge;
        else
            r = replyOf(reply, *p);
    } else {
        r.failure = forced;
        reply->abort();
    }
    if (r.failure == ServerReply::Failure::Timeout)
        r.detail = QStringLiteral("no answer in time (%1 s)")
                       .arg(std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::milliseconds(p->timer.interval()))
                                .count());
    else if (r.failure == ServerReply::Failure::TooLarge)
        r.detail = QStringLiteral("the answer is larger than %1 KiB: not the API's")
                       .arg(m_timings.maxAnswerBytes / 1024);
    reply->deleteLater();
    const Done done = std::move(p->done);
    delete p;
    if (done)
        done(r);
}

} // namespace waotp
