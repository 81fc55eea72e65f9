// Fuzzes what waotp-server reads from a client before any rule of codes applies: the HTTP
// request parser (fed in pieces, with small limits), the routes, the request bodies and query
// strings of the API, Twilio's form-encoded callbacks and their signature, and the headers the
// gateway reads (Origin, X-Request-Id).
//
// Input: byte 0 sets the size of the pieces the bytes arrive in (0: all at once); the rest is
// what a client sends on one connection. Each request that completes is routed, and its body
// and query parsed as every endpoint would; the raw input is also parsed as a body directly.
#include "FuzzSupport.h"
#include "server/api/ApiRequests.h"
#include "server/api/Cors.h"
#include "server/api/Routes.h"
#include "server/api/TwilioSignature.h"
#include "server/http/HttpParser.h"
#include "server/monitor/AccessLog.h"

#include "engine/CodeGenerator.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace waotp;
using namespace waotp::server;

namespace {

constexpr HttpParseLimits Limits {1024, 2048};

void checkProblem(const RequestProblem &p)
{
    const HttpResponse r = problemResponse(p);
    if (r.status < 400 || r.status > 499)
        fuzz::fail("a request problem that is not a 4xx");
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    if (o.value(u"error").toString().isEmpty() || o.value(u"message").toString().isEmpty())
        fuzz::fail("an error answer without error or message");
}

void parseBody(QByteArrayView body)
{
    const auto create = parseCreateRequest(body);
    if (const auto *r = std::get_if<CreateRequest>(&create)) {
        if (!r->country.isEmpty()
            && (r->country.size() != 2 || r->country != r->country.toUpper()
                || PhoneNumber::callingCodeForRegion(r->country) == 0))
            fuzz::fail("a country that is not a known region code");
        if (r->nonce.toUcs4().size() > MaxNonceLength)
            fuzz::fail("a nonce over the limit");
        if (r->locale.size() > 35)
            fuzz::fail("a locale longer than a language tag");
        const auto number = parsePhone(*r, QStringLiteral("IN"));
        if (const auto *p = std::get_if<RequestProblem>(&number)) {
            if (p->error != ApiError::InvalidPhone || p->reason.isEmpty())
                fuzz::fail("a refused phone without its reason");
            checkProblem(*p);
        }
    } else {
        checkProblem(std::get<RequestProblem>(create));
    }

    const auto check = parseCheckRequest(body);
    if (const auto *r = std::get_if<CheckRequest>(&check)) {
        if (!isWellFormedCode(r->code))
            fuzz::fail("a check accepted with a code that is not six digits");
    } else {
        checkProblem(std::get<RequestProblem>(check));
    }

    const auto resend = parseResendRequest(body);
    if (const auto *p = std::get_if<RequestProblem>(&resend))
        checkProblem(*p);

    // A status callback's form, and its signature.
    if (const auto form = parseForm(body)) {
        for (const auto &[name, value] : *form) {
            if (name.isEmpty())
                fuzz::fail("a form parameter without a name");
        }
        const QString url = QStringLiteral("https://auth.example.com/v1/twilio/status");
        const QByteArray signature = twilioSignature("token", url, *form);
        if (!isValidTwilioSignature(signature, "token", url, *form))
            fuzz::fail("a form's own signature refused");
        if (isValidTwilioSignature(signature, "other", url, *form))
            fuzz::fail("a signature accepted with another token");
    }
}

void checkHeaders(const HttpRequest &request)
{
    if (const auto id = acceptedRequestId(request.header("X-Request-Id"))) {
        if (id->isEmpty() || id->size() > 128 || id->contains(' ') || id->contains('"')
            || id->contains('\n'))
            fuzz::fail("a request id that would break its log line");
    }
    if (const auto origin = normalizedOrigin(QString::fromUtf8(request.header("Origin")))) {
        if (!(origin->startsWith("https://") || origin->startsWith("http://"))
            || origin->indexOf('/', 8) >= 0 || origin->contains('*')
            || *origin != origin->toLower())
            fuzz::fail("an origin that is not scheme://host[:port]");
    }
}

void handle(const HttpRequest &request)
{
    if (request.method.isEmpty())
        fuzz::fail("a request without a method");
    if (request.path.contains('?'))
        fuzz::fail("a query left in the path");
    if (request.body.size() > Limits.maxBodyBytes)
        fuzz::fail("a body over the limit");
    const Route route = matchRoute(request.method, request.path);
    if (route.endpoint == Endpoint::None && (route.methodAllowed || !route.id.isEmpty()))
        fuzz::fail("no route, yet an id or an allowed method");
    for (char c : route.id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
            fuzz::fail("an id that is not URL-safe");
    }
    if (route.id.size() > 64)
        fuzz::fail("an id over 64 characters");
    const auto wait = parseWait(request.query);
    if (const auto *seconds = std::get_if<std::chrono::seconds>(&wait)) {
        if (seconds->count() < 0 || seconds->count() > MaxWaitSeconds)
            fuzz::fail("a wait outside 0 to 30 s");
    } else {
        checkProblem(std::get<RequestProblem>(wait));
    }
    parseBody(request.body);
    checkHeaders(request);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype piece = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    HttpRequestParser parser(Limits);
    QByteArray buffered;
    qsizetype offered = 0;
    int requests = 0;
    bool failed = false;
    while (!failed && offered < input.size()) {
        const qsizetype n =
            piece > 0 ? std::min(piece, input.size() - offered) : input.size() - offered;
        buffered += input.sliced(offered, n);
        offered += n;
        for (;;) {
            const auto step = parser.feed(buffered);
            if (step.consumed < 0 || step.consumed > buffered.size())
                fuzz::fail("consumed more than was offered");
            buffered.remove(0, step.consumed);
            if (step.state == HttpRequestParser::Step::State::Failed) {
                if (step.error == HttpParseError::None)
                    fuzz::fail("failed without a reason");
                failed = true;
                break;
            }
            if (step.state != HttpRequestParser::Step::State::Complete)
                break;
            handle(parser.take());
            ++requests;
        }
        // A header never consumed in part must stay within its limit.
        if (!failed && !parser.headerComplete() && buffered.size() > Limits.maxHeaderBytes + 256)
            fuzz::fail("an unfinished header buffered past its limit");
    }
    if (!failed)
        (void)parser.finish();
    parseBody(input);
    (void)requests;
    return 0;
}
