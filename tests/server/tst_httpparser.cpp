// The request parser on its own: bytes in, requests or a typed error out, whatever the pieces
// the bytes arrive in.
#include "server/http/HttpParser.h"

#include <QTest>

using namespace waotp::server;
using State = HttpRequestParser::Step::State;

Q_DECLARE_METATYPE(waotp::server::HttpParseError)

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    HttpParseError error = HttpParseError::None;
    bool pending = false; ///< a request begun and not finished
};

// Feeds @p input in pieces of @p piece bytes (0: all at once), as a connection would.
Outcome parseAll(const QByteArray &input, qsizetype piece, HttpParseLimits limits = {})
{
    HttpRequestParser parser(limits);
    Outcome out;
    QByteArray buffered;
    qsizetype offered = 0;
    while (offered < input.size() || !buffered.isEmpty()) {
        if (offered < input.size()) {
            const qsizetype n =
                piece > 0 ? std::min(piece, input.size() - offered) : input.size() - offered;
            buffered += input.mid(offered, n);
            offered += n;
        }
        for (;;) {
            const auto step = parser.feed(buffered);
            buffered.remove(0, step.consumed);
            if (step.state == State::Failed) {
                out.error = step.error;
                return out;
            }
            if (step.state == State::Complete) {
                out.requests.append(parser.take());
                continue;
            }
            break;
        }
        if (offered == input.size() && !buffered.isEmpty() && parser.started()) {
            out.pending = true;
            return out;
        }
        if (offered == input.size())
            break;
    }
    out.pending = parser.started();
    return out;
}

} // namespace

class tst_HttpParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsARequestInAnyPieces_data();
    void readsARequestInAnyPieces();
    void readsPipelinedRequests();
    void keepAlive_data();
    void keepAlive();
    void chunkedBody_data();
    void chunkedBody();
    void trailerFieldsAreNotHeaderFields();
    void chunkFramingOverTheHeaderLimit_data();
    void chunkFramingOverTheHeaderLimit();
    void emptyChunkedBodyInPieces();
    void refuses_data();
    void refuses();
    void bodyOverTheCapIsRefusedAtTheHeader();
    void chunkedBodyOverTheCap();
    void headerFlood();
    void requestLineAndFieldsShareTheLimit();
    void aLoneCarriageReturnStartsARequest();
    void expectContinue();
    void endOfStream();
    void hostsVersionsAndTargetForms_data();
    void hostsVersionsAndTargetForms();
    void pipelinedRequestsSplitAnywhere();
};

void tst_HttpParser::readsARequestInAnyPieces_data()
{
    QTest::addColumn<qsizetype>("piece");
    for (qsizetype piece : {0, 1, 2, 3, 7, 16, 64})
        QTest::addRow("pieces of %lld", qint64(piece)) << piece;
}

void tst_HttpParser::readsARequestInAnyPieces()
{
    QFETCH(qsizetype, piece);
    const QByteArray input = "POST /v1/verifications/abc/check?wait=3&x=%20 HTTP/1.1\r\n"
                             "Host: localhost\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: 17\r\n"
                             "\r\n"
                             R"({"code":"123456"})";
    const Outcome out = parseAll(input, piece);
    QCOMPARE(out.error, HttpParseError::None);
    QCOMPARE(out.requests.size(), 1);
    const HttpRequest &r = out.requests.first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/v1/verifications/abc/check"));
    QCOMPARE(r.query, QByteArray("wait=3&x=%20"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.header("HOST"), QByteArray("localhost"));
    QCOMPARE(r.body, QByteArray(R"({"code":"123456"})"));
    QVERIFY(r.keepAlive);
    QVERIFY(!out.pending);
}

void tst_HttpParser::readsPipelinedRequests()
{
    const QByteArray input =
        "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
        "POST /v1/verifications HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"
        "DELETE /v1/verifications/x HTTP/1.1\r\nHost: a\r\n\r\n";
    for (qsizetype piece : {0, 1, 5}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 3);
        QCOMPARE(out.requests.at(0).method, QByteArray("GET"));
        QCOMPARE(out.requests.at(1).body, QByteArray("{}"));
        QCOMPARE(out.requests.at(2).path, QByteArray("/v1/verifications/x"));
    }
}

void tst_HttpParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray(
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                               << false;
    QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
}

void tst_HttpParser::keepAlive()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    const Outcome out = parseAll(head, 0);
    QCOMPARE(out.requests.size(), 1);
    QCOMPARE(out.requests.first().keepAlive, keepAlive);
}

void tst_HttpParser::chunkedBody_data()
{
    QTest::addColumn<QByteArray>("coding");
    QTest::newRow("chunked") << QByteArray("chunked");
    QTest::newRow("another case, spaces") << QByteArray("  Chunked ");
}

void tst_HttpParser::chunkedBody()
{
    QFETCH(QByteArray, coding);
    const QByteArray input = "POST /v1/verifications HTTP/1.1\r\nHost: a\r\n"
                             "Transfer-Encoding:"
        + coding
        + "\r\n\r\n"
          "5\r\n{\"pho\r\n"
          "3\r\nne\"\r\n"
          "0\r\n\r\n";
    for (qsizetype piece : {0, 1, 4}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests.first().body, QByteArray("{\"phone\""));
    }
}

// A chunked body's trailer may carry fields (RFC 9112, 7.1.2); they are dropped, not added to
// the header, where they would pass for fields the header was checked for (an X-Forwarded-For
// from a trusted proxy, a second Host).
void tst_HttpParser::trailerFieldsAreNotHeaderFields()
{
    const QByteArray input = "POST /v1/verifications HTTP/1.1\r\nHost: a\r\n"
                             "X-Forwarded-For: 198.51.100.1\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n"
                             "2\r\n{}\r\n"
                             "0\r\nX-Forwarded-For: 203.0.113.77\r\nHost: b\r\n\r\n"
                             "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
    // A trailer of one field only, named as a header field is (Beast keeps fields of one name
    // together, so it would sit among the header's).
    const QByteArray alone = "POST /v1/verifications HTTP/1.1\r\nHost: a\r\n"
                             "X-Forwarded-For: 198.51.100.1\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n"
                             "2\r\n{}\r\n"
                             "0\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n";
    for (qsizetype piece : {0, 1, 7}) {
        const Outcome out = parseAll(alone, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 1);
        const HttpHeaders expected {
            {"Host", "a"}, {"X-Forwarded-For", "198.51.100.1"}, {"Transfer-Encoding", "chunked"}};
        QCOMPARE(out.requests.first().headers, expected);
    }
    for (qsizetype piece : {0, 1, 7}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 2);
        const HttpRequest &r = out.requests.first();
        QCOMPARE(r.body, QByteArray("{}"));
        QCOMPARE(r.headers.size(), 3);
        int forwarded = 0;
        for (const auto &[name, value] : r.headers) {
            if (name.compare("X-Forwarded-For", Qt::CaseInsensitive) == 0) {
                ++forwarded;
                QCOMPARE(value, QByteArray("198.51.100.1"));
            }
        }
        QCOMPARE(forwarded, 1);
        QCOMPARE(r.header("Host"), QByteArray("a"));
        QCOMPARE(out.requests.last().headers.size(), 1); // the next request starts clean
    }
}

void tst_HttpParser::chunkFramingOverTheHeaderLimit_data()
{
    QTest::addColumn<QByteArray>("framing");
    const QByteArray endless(20'000, 'x');
    QTest::newRow("a chunk extension") << "1;" + endless;
    QTest::newRow("a chunk size of zeros") << QByteArray(20'000, '0');
    QTest::newRow("a trailer") << "0\r\nX-Trailer: " + endless;
    QTest::newRow("many trailer fields") << "0\r\n" + QByteArray("X-T: y\r\n").repeated(3000);
}

void tst_HttpParser::chunkFramingOverTheHeaderLimit()
{
    // Beast takes none of a chunk's size line or of the trailer until it is whole: past the
    // header's limit, the request is refused rather than buffered on.
    QFETCH(QByteArray, framing);
    const QByteArray input =
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + framing;
    for (qsizetype piece : {0, 1000}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::HeaderTooLarge);
        QVERIFY(out.requests.isEmpty());
    }
}

void tst_HttpParser::emptyChunkedBodyInPieces()
{
    // The final chunk right after the header, then its end one byte at a time (it once tripped
    // an assertion in Beast, found by fuzz_httprequest).
    const QByteArray input =
        "POST /v1/verifications HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    for (qsizetype piece : {1, 2, 3}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 2);
        QVERIFY(out.requests.first().body.isEmpty());
    }
    // With a trailer field.
    const Outcome trailer =
        parseAll("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "0\r\nX-Trailer: 1\r\n\r\n",
                 1);
    QCOMPARE(trailer.requests.size(), 1);
}

void tst_HttpParser::refuses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<HttpParseError>("error");
    QTest::newRow("not HTTP") << QByteArray("HELLO\r\n\r\n") << HttpParseError::Malformed;
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n")
                            << HttpParseError::Malformed;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << HttpParseError::Malformed;
    QTest::newRow("HTTP/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << HttpParseError::UnsupportedVersion;
    QTest::newRow("HTTP/2.0 in an HTTP/1 request")
        << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << HttpParseError::UnsupportedVersion;
    QTest::newRow("HTTP/3.1") << QByteArray("GET / HTTP/3.1\r\nHost: a\r\n\r\n")
                              << HttpParseError::UnsupportedVersion;
    // A version token that is not HTTP/<digit>.<digit> is a malformed line (400), not another
    // version of HTTP (505).
    QTest::newRow("bare LF after the version")
        << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << HttpParseError::Malformed;
    QTest::newRow("lower-case version")
        << QByteArray("GET / http/1.1\r\nHost: a\r\n\r\n") << HttpParseError::Malformed;
    QTest::newRow("space after the version")
        << QByteArray("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") << HttpParseError::Malformed;
    QTest::newRow("not a version")
        << QByteArray("GET / FOO\r\nHost: a\r\n\r\n") << HttpParseError::Malformed;
    // RFC 9112, 3.2: a proxy in front and this server must not see different hosts.
    QTest::newRow("no Host in HTTP/1.1")
        << QByteArray("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n") << HttpParseError::BadHost;
    QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                               << HttpParseError::BadHost;
    QTest::newRow("two Hosts in HTTP/1.0")
        << QByteArray("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n") << HttpParseError::BadHost;
    QTest::newRow("Host with a path")
        << QByteArray("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") << HttpParseError::BadHost;
    QTest::newRow("Host with a space")
        << QByteArray("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") << HttpParseError::BadHost;
    QTest::newRow("space in a field name")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nBad Name: x\r\n\r\n")
        << HttpParseError::Malformed;
    QTest::newRow("bad length") << QByteArray(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n")
                                << HttpParseError::Malformed;
    QTest::newRow("two lengths") << QByteArray(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
                                 << HttpParseError::Malformed;
    QTest::newRow("length and chunked (request smuggling)") << QByteArray(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n") << HttpParseError::Malformed;
    // Only chunked is read: with another coding Beast would end the body at the header, and the
    // body would be read as the next request.
    for (const char *coding : {"gzip", "chunked, gzip", "gzip, chunked", "identity"})
        QTest::addRow("Transfer-Encoding: %s", coding)
            << "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + QByteArray(coding)
                + "\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
            << HttpParseError::Malformed;
    QTest::newRow("Transfer-Encoding twice")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << HttpParseError::Malformed;
    QTest::newRow("Transfer-Encoding on a GET")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
        << HttpParseError::Malformed;
    QTest::newRow("bad chunk size")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        << HttpParseError::Malformed;
}

void tst_HttpParser::refuses()
{
    QFETCH(QByteArray, input);
    QFETCH(HttpParseError, error);
    for (qsizetype piece : {0, 1}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, error);
        QVERIFY(out.requests.isEmpty());
    }
}

void tst_HttpParser::bodyOverTheCapIsRefusedAtTheHeader()
{
    HttpParseLimits limits;
    limits.maxBodyBytes = 1000;
    // Only the header has arrived: the announced length is enough to refuse.
    const QByteArray head =
        "POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    HttpRequestParser parser(limits);
    const auto step = parser.feed(head);
    QCOMPARE(step.state, State::Failed);
    QCOMPARE(step.error, HttpParseError::BodyTooLarge);

    // At the cap is fine.
    const QByteArray atCap =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + QByteArray(1000, 'x');
    const Outcome out = parseAll(atCap, 100, limits);
    QCOMPARE(out.error, HttpParseError::None);
    QCOMPARE(out.requests.size(), 1);
    QCOMPARE(out.requests.first().body.size(), 1000);
}

void tst_HttpParser::chunkedBodyOverTheCap()
{
    HttpParseLimits limits;
    limits.maxBodyBytes = 1000;
    QByteArray input = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i)
        input += "64\r\n" + QByteArray(100, 'x') + "\r\n";
    input += "0\r\n\r\n";
    QCOMPARE(parseAll(input, 0, limits).error, HttpParseError::BodyTooLarge);
    QCOMPARE(parseAll(input, 37, limits).error, HttpParseError::BodyTooLarge);
}

void tst_HttpParser::headerFlood()
{
    HttpParseLimits limits;
    limits.maxHeaderBytes = 4096;
    QByteArray input = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 1000; ++i)
        input += "X-Flood-" + QByteArray::number(i) + ": " + QByteArray(20, 'a') + "\r\n";
    input += "\r\n";
    QCOMPARE(parseAll(input, 0, limits).error, HttpParseError::HeaderTooLarge);
    QCOMPARE(parseAll(input, 512, limits).error, HttpParseError::HeaderTooLarge);
    // One endless line, never finished: refused once it passes the limit, not buffered on.
    HttpRequestParser parser(limits);
    const QByteArray line = "GET /" + QByteArray(8000, 'a');
    QCOMPARE(parser.feed(line).state, State::Failed);
}

// The limit is for the request line and the fields together (README: 431 over 8 KB of both).
void tst_HttpParser::requestLineAndFieldsShareTheLimit()
{
    HttpParseLimits limits;
    limits.maxHeaderBytes = 4096;
    const auto request = [](qsizetype target, qsizetype field) -> QByteArray {
        return "GET /" + QByteArray(target, 'a')
            + " HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(field, 'b') + "\r\n\r\n";
    };
    // 3,000 bytes of line and 3,000 of fields: each under the limit, together over it.
    for (qsizetype piece : {0, 1, 100}) {
        QCOMPARE(parseAll(request(3000, 3000), piece, limits).error,
                 HttpParseError::HeaderTooLarge);
        const Outcome fits = parseAll(request(2000, 2000), piece, limits);
        QCOMPARE(fits.error, HttpParseError::None);
        QCOMPARE(fits.requests.size(), 1);
    }
    // Fields sent in pieces that each end just inside the next field: Beast takes the complete
    // ones as they come, and would count only what each piece offers.
    {
        HttpRequestParser parser(limits);
        QByteArray buffered;
        HttpRequestParser::Step step;
        buffered = "GET / HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 400; ++i) {
            buffered += "X-F" + QByteArray::number(i) + ": " + QByteArray(40, 'v') + "\r\nX";
            step = parser.feed(buffered);
            buffered.remove(0, step.consumed);
            buffered.chop(1); // the "X" comes again with the next field
            if (step.state == State::Failed)
                break;
        }
        QCOMPARE(step.state, State::Failed);
        QCOMPARE(step.error, HttpParseError::HeaderTooLarge);
    }
    // Exactly at the limit is fine; one byte more is not.
    const QByteArray exact = request(3000, 4096 - request(3000, 0).size());
    QCOMPARE(exact.size(), 4096);
    QCOMPARE(parseAll(exact, 0, limits).requests.size(), 1);
    QCOMPARE(parseAll(exact, 1, limits).requests.size(), 1);
    const QByteArray over = request(3000, 4097 - request(3000, 0).size());
    QCOMPARE(parseAll(over, 0, limits).error, HttpParseError::HeaderTooLarge);
    QCOMPARE(parseAll(over, 1, limits).error, HttpParseError::HeaderTooLarge);
}

// A lone CR is a byte of a request begun (its read timeout runs); CRLF alone is not.
void tst_HttpParser::aLoneCarriageReturnStartsARequest()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("\r\n").consumed, 2);
    QVERIFY(!parser.started());
    const auto step = parser.feed("\r");
    QCOMPARE(step.state, State::NeedMore);
    QCOMPARE(step.consumed, 0);
    QVERIFY(parser.started());
    QCOMPARE(parser.feed("\r\n").consumed, 2); // it was one more empty line after all
    QVERIFY(!parser.started());
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n").state, State::Complete);
}

void tst_HttpParser::expectContinue()
{
    HttpRequestParser parser;
    const QByteArray head =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n";
    const auto step = parser.feed(head);
    QCOMPARE(step.state, State::NeedMore);
    QCOMPARE(step.consumed, head.size());
    QVERIFY(parser.headerComplete());
    QVERIFY(parser.expectsContinue());
    QCOMPARE(parser.feed("{}").state, State::Complete);
    QCOMPARE(parser.take().body, QByteArray("{}"));
    QVERIFY(!parser.started());
    QVERIFY(!parser.expectsContinue());

    // RFC 9110, 10.1.1: an HTTP/1.0 client's expectation is ignored.
    HttpRequestParser old;
    QCOMPARE(old.feed("POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n").state,
             State::NeedMore);
    QVERIFY(old.headerComplete());
    QVERIFY(!old.expectsContinue());
}

void tst_HttpParser::endOfStream()
{
    HttpRequestParser idle;
    QCOMPARE(idle.finish().state, State::NeedMore); // nothing begun: a clean end

    HttpRequestParser cut;
    cut.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    QVERIFY(cut.started());
    QCOMPARE(cut.finish().state, State::Failed);
}

void tst_HttpParser::hostsVersionsAndTargetForms_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<bool>("http10");
    QTest::newRow("HTTP/1.0 without Host") << QByteArray("GET /healthz HTTP/1.0\r\n\r\n")
                                           << QByteArray("/healthz") << QByteArray() << true;
    QTest::newRow("empty Host") << QByteArray("GET /a HTTP/1.1\r\nHost:\r\n\r\n")
                                << QByteArray("/a") << QByteArray() << false;
    QTest::newRow("IPv6 Host with a port")
        << QByteArray("GET /a HTTP/1.1\r\nHost: [::1]:8470\r\n\r\n") << QByteArray("/a")
        << QByteArray() << false;
    // RFC 9110, 2.5: a later minor version is read as the highest known.
    QTest::newRow("HTTP/1.2 as HTTP/1.1")
        << QByteArray("\r\nPOST /b?c=1 HTTP/1.2\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}")
        << QByteArray("/b") << QByteArray("c=1") << false;
    QTest::newRow("HTTP/1.9 as HTTP/1.1") << QByteArray("GET / HTTP/1.9\r\nHost: a\r\n\r\n")
                                          << QByteArray("/") << QByteArray() << false;
    // RFC 9112, 3.2.2: the absolute form is taken; its authority, not Host, names the host.
    QTest::newRow("absolute form")
        << QByteArray("GET http://auth.example.com:8470/v1/verifications/x?wait=3 HTTP/1.1\r\n"
                      "Host: other\r\n\r\n")
        << QByteArray("/v1/verifications/x") << QByteArray("wait=3") << false;
    QTest::newRow("absolute form without a path")
        << QByteArray("GET HTTPS://auth.example.com?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
        << QByteArray("/") << QByteArray("x=1") << false;
    QTest::newRow("another scheme is no absolute form")
        << QByteArray("GET ftp://h/a HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("ftp://h/a")
        << QByteArray() << false;
}

void tst_HttpParser::hostsVersionsAndTargetForms()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(bool, http10);
    for (qsizetype piece : {0, 1, 3}) {
        const Outcome out = parseAll(input, piece);
        QCOMPARE(out.error, HttpParseError::None);
        QCOMPARE(out.requests.size(), 1);
        const HttpRequest &r = out.requests.first();
        QCOMPARE(r.path, path);
        QCOMPARE(r.query, query);
        QCOMPARE(r.http10, http10);
        QCOMPARE(r.keepAlive, !http10);
        QVERIFY(!out.pending);
    }
    // Followed by another request, which is read as it is.
    const Outcome two = parseAll(input + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    QCOMPARE(two.error, HttpParseError::None);
    QCOMPARE(two.requests.size(), 2);
}

// Two requests, the bytes split in two at every place (as reads may split them): each is read
// whole, and only it. A split just after a field's CRLF (Beast then takes the fields so far)
// or inside the empty lines before a request must not lose or invent a line.
void tst_HttpParser::pipelinedRequestsSplitAnywhere()
{
    const QByteArray input = "\r\nPOST /a HTTP/1.2\r\nHost: a\r\nContent-Length: 4\r\n\r\nx: y"
                             "GET /b HTTP/1.0\r\n\r\n"
                             "\r\n\r\nGET /c HTTP/1.1\r\nHost: c\r\nX: 1\r\n\r\n";
    for (qsizetype split = 0; split <= input.size(); ++split) {
        HttpRequestParser parser;
        QList<HttpRequest> requests;
        QByteArray buffered;
        for (const QByteArray &piece : {input.left(split), input.mid(split)}) {
            buffered += piece;
            for (;;) {
                const auto step = parser.feed(buffered);
                buffered.remove(0, step.consumed);
                QVERIFY2(step.state != State::Failed, qPrintable(QString::number(split)));
                if (step.state != State::Complete)
                    break;
                requests.append(parser.take());
            }
        }
        QVERIFY2(requests.size() == 3, qPrintable(QString::number(split)));
        QCOMPARE(requests.at(0).path, QByteArray("/a"));
        QCOMPARE(requests.at(0).body, QByteArray("x: y"));
        QVERIFY(!requests.at(0).http10);
        QCOMPARE(requests.at(1).path, QByteArray("/b"));
        QVERIFY(requests.at(1).http10);
        QCOMPARE(requests.at(2).path, QByteArray("/c"));
        QCOMPARE(requests.at(2).header("X"), QByteArray("1"));
        QVERIFY(buffered.isEmpty() && !parser.started());
    }
}

QTEST_GUILESS_MAIN(tst_HttpParser)
#include "tst_httpparser.moc"
