#include "server/http/HttpParser.h"

// Beast's assertions stay on in builds that have assertions (not NDEBUG), through this handler,
// except one that is wrong: Boost 1.74's basic_parser asserts that a final chunk read again holds
// 5 bytes, but when the body is empty ("0\r\n" right after the header) and arrives in pieces it
// may hold 4; the code after the assertion handles that (fixed upstream, boostorg/beast#2861).
#define BOOST_ENABLE_ASSERT_DEBUG_HANDLER
#include <boost/assert.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed(char const *expr, char const *function, char const *file, long line)
{
    const bool knownFalse =
        std::strcmp(expr, "n >= 5") == 0 && std::strstr(function, "parse_chunk_header") != nullptr;
    if (knownFalse)
        return;
    std::fprintf(stderr, "%s:%ld: %s: assertion '%s' failed\n", file, line, function, expr);
    std::abort();
}

void assertion_failed_msg(char const *expr, char const *msg, char const *function, char const *file,
                          long line)
{
    std::fprintf(stderr, "%s:%ld: %s: assertion '%s' failed: %s\n", file, line, function, expr,
                 msg);
    std::abort();
}

} // namespace boost

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>

namespace waotp::server {

namespace http = boost::beast::http;

namespace {

using BeastParser = http::request_parser<http::string_body>;

HttpParseError fromBeast(const boost::system::error_code &ec)
{
    if (ec == http::error::header_limit)
        return HttpParseError::HeaderTooLarge;
    if (ec == http::error::body_limit)
        return HttpParseError::BodyTooLarge;
    if (ec == http::error::bad_version) // Beast takes HTTP/1.0 and HTTP/1.1 only
        return HttpParseError::UnsupportedVersion;
    return HttpParseError::Malformed;
}

QByteArray bytes(boost::beast::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// Transfer-Encoding: "chunked" alone, or none. Beast reads a body as chunked when chunked is the
// last coding and otherwise as having no length (a request's body then ends at the header), so
// any other coding would make the bytes of the body a request of their own, and a proxy in
// front that reads them as a body would disagree (request smuggling; RFC 9112, 6.1 and 6.3).
bool hasReadableFraming(const BeastParser &parser)
{
    int codings = 0;
    for (const auto &field : parser.get()) {
        if (field.name() != http::field::transfer_encoding)
            continue;
        boost::beast::string_view value = field.value();
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        if (++codings > 1 || !boost::beast::iequals(value, "chunked"))
            return false;
    }
    return true;
}

// RFC 9112, 3.2: an HTTP/1.1 request has one Host field, an HTTP/1.0 one at most, and its value
// is a uri-host with an optional port (empty when the target has no authority). Anything else
// could name one host to a proxy in front and another here.
bool hasGoodHost(const BeastParser &parser)
{
    int hosts = 0;
    for (const auto &field : parser.get()) {
        if (field.name() != http::field::host)
            continue;
        if (++hosts > 1)
            return false;
        for (const char c : field.value()) {
            const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || std::strchr("-._~!$&'()*+,;=%:[]", c) != nullptr;
            if (!allowed)
                return false;
        }
    }
    return hosts == 1 || parser.get().version() == 10;
}

// True when @p requestLine ends in a later HTTP/1.x than HTTP/1.1 (one digit).
bool isLaterMinorVersion(QByteArrayView requestLine)
{
    constexpr QByteArrayView Prefix(" HTTP/1.");
    if (requestLine.size() < Prefix.size() + 1)
        return false;
    const char minor = requestLine.back();
    return requestLine.chopped(1).endsWith(Prefix) && minor >= '2' && minor <= '9';
}

// True when the last word of @p requestLine (without its line end) is an HTTP version, as
// "HTTP/" DIGIT "." DIGIT, of another major version than 1: a version this server does not
// speak (505), as opposed to a request line that is not HTTP at all (400).
bool isOtherMajorVersion(QByteArrayView requestLine)
{
    while (!requestLine.isEmpty() && (requestLine.back() == '\n' || requestLine.back() == '\r'))
        requestLine.chop(1);
    const qsizetype space = requestLine.lastIndexOf(' ');
    const QByteArrayView v = requestLine.sliced(space + 1);
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return space > 0 && v.size() == 8 && v.startsWith("HTTP/") && digit(v[5]) && v[6] == '.'
        && digit(v[7]) && v[5] != '1';
}

// RFC 9110, 5.6.2: a tchar, which a method begins with.
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

} // namespace

struct HttpRequestParser::Private
{
    HttpParseLimits limits;
    std::optional<BeastParser> parser;
    bool headerChecked = false;
    bool begun = false; // a byte of the request (not of an empty line before it) was offered
    // The header's fields, copied once the header is checked: Beast adds a chunked body's
    // trailer fields to its list (a field next to the others of its name), and they are not
    // checked as the header's are and must not pass for them (a trailer "X-Forwarded-For" would
    // name any client).
    HttpHeaders headerFields;
    bool lineTaken = false; // Beast has taken the request line
    // The header's bytes Beast has taken: the rest of the limit is what it may take more. Beast
    // counts its limit against what each put() offers, and takes complete fields as they come,
    // so without this a header sent in pieces could grow past the limit.
    qsizetype headerBytes = 0;

    BeastParser &current()
    {
        if (!parser) {
            parser.emplace();
            parser->header_limit(std::uint32_t(limits.maxHeaderBytes));
            parser->body_limit(std::uint64_t(limits.maxBodyBytes));
            // The header alone first, to be checked before any of the body is read (a chunked
            // body's trailer fields would join it); then the body as far as it has arrived.
            parser->eager(false);
        }
        return *parser;
    }

    Step feed(QByteArrayView input);

    static Step failed(qsizetype consumed, HttpParseError error)
    {
        return {Step::State::Failed, consumed, error};
    }
};

HttpRequestParser::HttpRequestParser(HttpParseLimits limits) : d(std::make_unique<Private>())
{
    d->limits = limits;
}

HttpRequestParser::~HttpRequestParser() = default;

HttpRequestParser::Step HttpRequestParser::feed(QByteArrayView input)
{
    if (d->lineTaken)
        return d->feed(input); // Beast has the request line: it goes on from there
    // Before the request line goes to Beast (which may then take it and the complete fields
    // at once): empty lines before it are skipped (RFC 9112, 2.2), and it is held back until
    // it is whole, so that a later HTTP/1.x is read as HTTP/1.1 however its bytes arrive
    // (RFC 9110, 2.5; Beast refuses any version but 1.0 and 1.1). What cannot begin a request
    // line goes to Beast at once, to be refused.
    qsizetype skipped = 0;
    while (input.size() - skipped >= 2 && input[skipped] == '\r' && input[skipped + 1] == '\n')
        skipped += 2;
    const QByteArrayView rest = input.sliced(skipped);
    // A lone CR may be half of one more empty line, but it is a byte the connection holds: the
    // request's read timeout runs from it.
    d->begun = !rest.isEmpty();
    if (rest.isEmpty() || rest == "\r")
        return {Step::State::NeedMore, skipped, HttpParseError::None};
    if (!isTokenChar(rest.front())) { // not a request line: Beast's to refuse
        Step step = d->feed(rest);
        d->lineTaken = step.consumed > 0;
        step.consumed += skipped;
        return step;
    }
    const qsizetype eol = rest.indexOf('\n');
    const qsizetype lineLength = eol + 1;
    // The line and the header's fields share one limit (Beast would give each its own), and the
    // empty line that ends the header needs two bytes of it.
    if ((eol < 0 && rest.size() > d->limits.maxHeaderBytes)
        || lineLength + 2 > d->limits.maxHeaderBytes)
        return Private::failed(skipped, HttpParseError::HeaderTooLarge);
    if (eol < 0)
        return {Step::State::NeedMore, skipped, HttpParseError::None};
    QByteArray line = rest.first(lineLength).toByteArray();
    // A line that does not end in CRLF is Beast's to refuse.
    if (eol > 0 && rest[eol - 1] == '\r' && isLaterMinorVersion(rest.first(eol - 1)))
        line[eol - 2] = '1';
    // The line alone first: once Beast has taken it, the fields have the rest of the limit.
    // A line Beast cannot judge alone (it looks for what follows) goes with the rest.
    Step step = d->feed(line);
    if (step.state == Step::State::NeedMore && step.consumed == lineLength) {
        step = d->feed(rest.sliced(lineLength));
        step.consumed += lineLength;
    } else if (step.state == Step::State::NeedMore && step.consumed == 0
               && rest.size() > lineLength) {
        step = d->feed(QByteArray(line + rest.sliced(lineLength)));
    }
    d->lineTaken = step.consumed > 0;
    step.consumed += skipped;
    if (step.state == Step::State::Failed && step.error == HttpParseError::UnsupportedVersion
        && !isOtherMajorVersion(line))
        step.error = HttpParseError::Malformed; // Beast says bad_version of any bad ending
    return step;
}

HttpRequestParser::Step HttpRequestParser::Private::feed(QByteArrayView input)
{
    BeastParser &parser = current();
    qsizetype consumed = 0;
    while (!parser.is_done()) {
        const QByteArrayView rest = input.sliced(consumed);
        if (rest.isEmpty())
            break;
        if (!headerChecked) {
            if (headerBytes >= limits.maxHeaderBytes)
                return failed(consumed, HttpParseError::HeaderTooLarge);
            parser.header_limit(std::uint32_t(limits.maxHeaderBytes - headerBytes));
        }
        boost::system::error_code ec;
        const std::size_t n = parser.put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
        consumed += qsizetype(n);
        if (!headerChecked) // not eager yet: what Beast took is the header's
            headerBytes += qsizetype(n);
        if (ec == http::error::need_more)
            break;
        if (ec)
            return failed(consumed, fromBeast(ec));
        if (parser.is_header_done() && !headerChecked) {
            headerChecked = true;
            for (const auto &field : parser.get())
                headerFields.emplaceBack(bytes(field.name_string()), bytes(field.value()));
            if (!hasReadableFraming(parser))
                return failed(consumed, HttpParseError::Malformed);
            if (!hasGoodHost(parser))
                return failed(consumed, HttpParseError::BadHost);
            parser.eager(true);
            continue;
        }
        if (n == 0)
            break; // nothing more to take now (Beast wants more before it goes on)
    }
    // Beast bounds the header but not a chunk's size line (its extensions) or the trailer: it
    // takes none of either until the line or the section is whole, and the bytes wait here. Held
    // to the header's limit, so that one request cannot make its connection buffer without end.
    if (!parser.is_done() && input.size() - consumed > limits.maxHeaderBytes)
        return failed(consumed, HttpParseError::HeaderTooLarge);
    if (parser.is_done())
        return {Step::State::Complete, consumed, HttpParseError::None};
    return {Step::State::NeedMore, consumed, HttpParseError::None};
}

HttpRequestParser::Step HttpRequestParser::finish()
{
    if (!started())
        return {};
    if (!d->parser || !d->parser->got_some()) // a request line cut short
        return Private::failed(0, HttpParseError::Malformed);
    BeastParser &parser = *d->parser;
    if (parser.is_done())
        return {Step::State::Complete, 0, HttpParseError::None};
    boost::system::error_code ec;
    parser.put_eof(ec);
    if (ec || !parser.is_done())
        return Private::failed(0, HttpParseError::Malformed);
    return {Step::State::Complete, 0, HttpParseError::None};
}

bool HttpRequestParser::headerComplete() const
{
    return d->parser && d->parser->is_header_done();
}

bool HttpRequestParser::expectsContinue() const
{
    if (!headerComplete())
        return false;
    // RFC 9110, 10.1.1: an HTTP/1.0 client's expectation is ignored.
    const auto value = d->parser->get()[http::field::expect];
    return d->parser->get().version() == 11 && boost::beast::iequals(value, "100-continue");
}

bool HttpRequestParser::started() const
{
    return d->begun || (d->parser && d->parser->got_some());
}

HttpRequest HttpRequestParser::take()
{
    Q_ASSERT(d->parser && d->parser->is_done());
    HttpRequest r;
    const auto &message = d->parser->get();
    r.method = bytes(message.method_string());
    QByteArray target = bytes(message.target());
    // Absolute form: the path and query after the authority ("http://host" alone is "/").
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf("://");
        const QByteArray name = target.left(std::max<qsizetype>(scheme, 0)).toLower();
        if (name == "http" || name == "https") {
            const qsizetype path = target.indexOf('/', scheme + 3);
            const qsizetype query = target.indexOf('?', scheme + 3);
            if (path >= 0 && (query < 0 || path < query))
                target = target.mid(path);
            else
                target = '/' + (query >= 0 ? target.mid(query) : QByteArray());
        }
    }
    const qsizetype question = target.indexOf('?');
    r.path = question < 0 ? target : target.left(question);
    r.query = question < 0 ? QByteArray() : target.mid(question + 1);
    // The header's fields only: a chunked body's trailer fields are dropped (RFC 9110, 6.5.1: a
    // recipient may; nothing here needs one).
    r.headers = std::move(d->headerFields);
    r.body = QByteArray(message.body().data(), qsizetype(message.body().size()));
    r.keepAlive = d->parser->keep_alive();
    r.http10 = message.version() == 10;
    d->parser.reset();
    d->headerChecked = false;
    d->headerFields.clear();
    d->headerBytes = 0;
    d->lineTaken = false;
    d->begun = false;
    return r;
}

} // namespace waotp::server
