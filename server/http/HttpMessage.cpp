#include "server/http/HttpMessage.h"

#include <QDateTime>

namespace waotp::server {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

QByteArray serialize(const HttpResponse &response, bool keepAlive, QByteArrayView date,
                     AnswerTo request)
{
    // 204 and 304 have no body and no Content-Length (RFC 9110, 8.6).
    const bool bodyless = response.status == 204 || response.status == 304;
    QByteArray out;
    out.reserve(160 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
        + "\r\nDate: " + date + "\r\n";
    if (!bodyless) {
        if (!response.body.isEmpty())
            out += "Content-Type: " + response.contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    }
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (request.http10)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!bodyless && !request.head) // HEAD: the length of the body GET would have (RFC 9110 9.3.2)
        out += response.body;
    return out;
}

QByteArray httpDate(qint64 secsSinceEpoch)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime t = QDateTime::fromSecsSinceEpoch(secsSinceEpoch, Qt::UTC);
    const QDate d = t.date();
    const QTime time = t.time();
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  days[d.dayOfWeek() - 1], d.day(), months[d.month() - 1], d.year(), time.hour(),
                  time.minute(), time.second());
    return QByteArray(buffer);
}

} // namespace waotp::server
