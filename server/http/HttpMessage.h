#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <utility>

namespace waotp::server {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

/// One complete request, as the parser hands it over.
struct HttpRequest
{
    QByteArray method; ///< as sent, e.g. "GET"
    QByteArray path; ///< the target up to '?', not decoded
    QByteArray query; ///< after '?', not decoded; empty without one
    HttpHeaders headers; ///< in the order received, names as sent
    QByteArray body; ///< decoded from chunks if it came chunked
    bool keepAlive = true; ///< the connection may carry another request after this one
    bool http10 = false; ///< sent as HTTP/1.0 (its keep-alive must be said in the answer)
    QHostAddress peer; ///< the client's address (the socket's)

    /// The first header called @p name (case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

/// One answer. The HTTP layer adds Content-Length, Date and, to close, Connection.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    HttpHeaders headers; ///< extra headers, e.g. Retry-After, Cache-Control
    QByteArray body;
    /// What the answer says, for the metrics (not sent): the API's error code, or null.
    const char *label = nullptr;
};

/// The reason phrase of @p status ("Not Found"); "Unknown" for a code without one here.
QByteArray reasonPhrase(int status);

/// What of the request shapes the bytes of its answer.
struct AnswerTo
{
    bool head = false; ///< a HEAD request: the header fields of GET's answer, no body
    bool http10 = false; ///< an HTTP/1.0 request: a connection kept alive says so
};

/// The response as bytes on the wire (HTTP/1.1), with Content-Length, the Date header
/// @p httpDate (see httpDate()) and, when @p keepAlive is false, "Connection: close" (to an
/// HTTP/1.0 request kept alive, "Connection: keep-alive").
QByteArray serialize(const HttpResponse &response, bool keepAlive, QByteArrayView httpDate,
                     AnswerTo request = {});

/// @p secsSinceEpoch as an HTTP date (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
QByteArray httpDate(qint64 secsSinceEpoch);

} // namespace waotp::server
