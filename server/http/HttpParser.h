#pragma once

#include "server/http/HttpMessage.h"

#include <QByteArrayView>

#include <memory>

namespace waotp::server {

/// The limits of one request, enforced while it is read (see HttpServerLimits).
struct HttpParseLimits
{
    /// The request line and every header field together, in bytes.
    qsizetype maxHeaderBytes = 8 * 1024;
    /// The body, in bytes, after removing any chunked framing. A Content-Length above it is
    /// refused as soon as the header has arrived, before any of the body is read.
    qsizetype maxBodyBytes = 16 * 1024;
};

/// Why a request cannot be read. After any of them the connection cannot be trusted to be at
/// the start of the next request: the server answers and closes it.
enum class HttpParseError {
    None,
    Malformed, ///< not HTTP/1.x: a bad request line, header field, chunk or framing (400)
    HeaderTooLarge, ///< over maxHeaderBytes (431)
    BodyTooLarge, ///< over maxBodyBytes, or a Content-Length that says so (413)
    UnsupportedVersion, ///< a request line with a version other than HTTP/1.x (505)
    /// An HTTP/1.1 request without a Host field, or any request with two or with a value that
    /// is no host[:port] (400, RFC 9112, 3.2)
    BadHost,
};

/// Reads HTTP/1.0 and HTTP/1.1 requests from bytes as they arrive, one request at a time, with
/// the limits above. A later HTTP/1.x is read as HTTP/1.1 (RFC 9110, 2.5), and a target in
/// absolute form ("http://host/path") as its path (RFC 9112, 3.2.2). Boost.Beast's parser does the
/// reading (request line, fields, Content-Length and chunked bodies, keep-alive rules); this class
/// adds the limits' policy and hands out HttpRequest values. No I/O and no Qt event loop: feed it
/// bytes, it says what it has.
class HttpRequestParser
{
public:
    /// What feed() found.
    struct Step
    {
        enum class State {
            NeedMore, ///< everything offered was consumed; feed more when it arrives
            Complete, ///< a request is complete: take() it; the rest was not consumed
            Failed, ///< see error; the connection must be closed
        };
        State state = State::NeedMore;
        qsizetype consumed = 0; ///< bytes of the input used; offer the rest again later
        HttpParseError error = HttpParseError::None;
    };

    explicit HttpRequestParser(HttpParseLimits limits = {});
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    /// Reads from @p bytes. Unconsumed bytes (a request line not yet whole, the rest of a header
    /// after its first piece, a chunk's size line; each bounded by maxHeaderBytes) must be
    /// offered again, followed by those that arrive next.
    Step feed(QByteArrayView bytes);
    /// The end of the stream: a request cut short is Malformed; none started is fine (NeedMore).
    Step finish();

    /// True once the current request's header is complete.
    bool headerComplete() const;
    /// True when the current request's header asked for "Expect: 100-continue".
    bool expectsContinue() const;
    /// True once a byte of the current request has been read.
    bool started() const;

    /// The completed request; the parser is then ready for the next one.
    HttpRequest take();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace waotp::server
