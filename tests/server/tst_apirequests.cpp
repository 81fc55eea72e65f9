// The API's pure parts: requests from bytes to a typed request or a typed problem, routes, and
// the one table of errors.
#include "server/api/ApiError.h"
#include "server/api/ApiRequests.h"
#include "server/api/Routes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace waotp;
using namespace waotp::server;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(waotp::server::ApiError)
Q_DECLARE_METATYPE(waotp::server::Endpoint)

namespace {

QJsonObject bodyOf(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class tst_ApiRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createAccepts();
    void createRefuses_data();
    void createRefuses();
    void phone_data();
    void phone();
    void checkRequest_data();
    void checkRequest();
    void resendRequest();
    void wait_data();
    void wait();
    void routes_data();
    void routes();
    void everyErrorHasARow();
    void errorBodies();
    void problemBodies();
};

void tst_ApiRequests::createAccepts()
{
    auto parsed = parseCreateRequest(R"({"phone":"98765 43210"})");
    QVERIFY(std::holds_alternative<CreateRequest>(parsed));
    CreateRequest r = std::get<CreateRequest>(parsed);
    QCOMPARE(r.phone, QStringLiteral("98765 43210"));
    QCOMPARE(r.flow, Purpose::SignIn); // the defaults
    QCOMPARE(r.channel, Channel::WhatsApp);
    QVERIFY(r.country.isEmpty() && r.locale.isEmpty() && r.nonce.isEmpty());

    parsed = parseCreateRequest(R"({"phone":"+14155552671","country":"us","flow":"signup",
        "channel":"sms","locale":"pt-BR","nonce":"abc","unknown":[1,2]})");
    QVERIFY(std::holds_alternative<CreateRequest>(parsed));
    r = std::get<CreateRequest>(parsed);
    QCOMPARE(r.country, QStringLiteral("US"));
    QCOMPARE(r.flow, Purpose::SignUp);
    QCOMPARE(r.channel, Channel::Sms);
    QCOMPARE(r.locale, QStringLiteral("pt-BR"));
    QCOMPARE(r.nonce, QStringLiteral("abc"));

    // A nonce of 128 characters, some outside the BMP, is the longest allowed.
    const QString longest = QString(64, u'n') + QString::fromUcs4(U"\U0001F600").repeated(64);
    parsed = parseCreateRequest(
        QJsonDocument(QJsonObject {{QStringLiteral("phone"), QStringLiteral("1")},
                                   {QStringLiteral("nonce"), longest}})
            .toJson());
    QVERIFY(std::holds_alternative<CreateRequest>(parsed));
}

void tst_ApiRequests::createRefuses_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ApiError>("error");
    QTest::addColumn<QString>("field");
    QTest::newRow("empty") << QByteArray() << ApiError::MalformedJson << QString();
    QTest::newRow("not JSON") << QByteArray("phone=1") << ApiError::MalformedJson << QString();
    QTest::newRow("cut short") << QByteArray(R"({"phone":"1)") << ApiError::MalformedJson
                               << QString();
    QTest::newRow("array") << QByteArray(R"(["phone"])") << ApiError::MalformedJson << QString();
    QTest::newRow("string") << QByteArray(R"("phone")") << ApiError::MalformedJson << QString();
    QTest::newRow("bad UTF-8") << QByteArray("{\"phone\":\"\xff\xfe\"}") << ApiError::MalformedJson
                               << QString();
    QTest::newRow("no phone") << QByteArray(R"({"country":"IN"})") << ApiError::MissingField
                              << QStringLiteral("phone");
    QTest::newRow("null phone") << QByteArray(R"({"phone":null})") << ApiError::MissingField
                                << QStringLiteral("phone");
    QTest::newRow("phone a number") << QByteArray(R"({"phone":919876543210})")
                                    << ApiError::WrongType << QStringLiteral("phone");
    QTest::newRow("phone an object")
        << QByteArray(R"({"phone":{}})") << ApiError::WrongType << QStringLiteral("phone");
    QTest::newRow("country a number") << QByteArray(R"({"phone":"1","country":91})")
                                      << ApiError::WrongType << QStringLiteral("country");
    QTest::newRow("unknown country") << QByteArray(R"({"phone":"1","country":"ZZ"})")
                                     << ApiError::InvalidValue << QStringLiteral("country");
    QTest::newRow("country not two letters") << QByteArray(R"({"phone":"1","country":"IND"})")
                                             << ApiError::InvalidValue << QStringLiteral("country");
    QTest::newRow("unknown flow") << QByteArray(R"({"phone":"1","flow":"login"})")
                                  << ApiError::InvalidValue << QStringLiteral("flow");
    QTest::newRow("flow a boolean") << QByteArray(R"({"phone":"1","flow":true})")
                                    << ApiError::WrongType << QStringLiteral("flow");
    QTest::newRow("unknown channel") << QByteArray(R"({"phone":"1","channel":"telegram"})")
                                     << ApiError::InvalidValue << QStringLiteral("channel");
    QTest::newRow("channel in capitals") << QByteArray(R"({"phone":"1","channel":"SMS"})")
                                         << ApiError::InvalidValue << QStringLiteral("channel");
    QTest::newRow("bad locale") << QByteArray(R"({"phone":"1","locale":"en US;rm"})")
                                << ApiError::InvalidValue << QStringLiteral("locale");
    QTest::newRow("empty nonce") << QByteArray(R"({"phone":"1","nonce":""})")
                                 << ApiError::InvalidValue << QStringLiteral("nonce");
    QTest::newRow("long nonce") << QByteArray(R"({"phone":"1","nonce":")" + QByteArray(129, 'n')
                                              + "\"}")
                                << ApiError::InvalidValue << QStringLiteral("nonce");
    QTest::newRow("nonce a number") << QByteArray(R"({"phone":"1","nonce":5})")
                                    << ApiError::WrongType << QStringLiteral("nonce");
    // The parser keeps the last of two; a proxy in front may read the first.
    QTest::newRow("phone twice") << QByteArray(
        R"({"phone":"+15005550006","phone":"+919876543210"})")
                                 << ApiError::DuplicateField << QStringLiteral("phone");
    QTest::newRow("country twice, once escaped")
        << QByteArray(R"({"country":"US","phone":"1", "c\u006funtry" : "IN"})")
        << ApiError::DuplicateField << QStringLiteral("country");
    QTest::newRow("flow twice, with nested members between")
        << QByteArray(R"({"flow":"signup","x":{"flow":1,"y":["flow",{"flow":2}]},"a\"":"flow",)"
                      R"("phone":"1","flow":"signin"})")
        << ApiError::DuplicateField << QStringLiteral("flow");
}

void tst_ApiRequests::createRefuses()
{
    QFETCH(QByteArray, body);
    QFETCH(ApiError, error);
    QFETCH(QString, field);
    const auto parsed = parseCreateRequest(body);
    QVERIFY(std::holds_alternative<RequestProblem>(parsed));
    const RequestProblem &p = std::get<RequestProblem>(parsed);
    QCOMPARE(p.error, error);
    QCOMPARE(p.field, field);
    QCOMPARE(httpStatus(p.error), 400);
}

void tst_ApiRequests::phone_data()
{
    QTest::addColumn<QString>("phone");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("e164"); // empty: refused
    QTest::addColumn<QString>("reason");
    QTest::newRow("national, default region") << "98765 43210"
                                              << ""
                                              << "+919876543210"
                                              << "";
    QTest::newRow("national, given country") << "(415) 555-2671"
                                             << "US"
                                             << "+14155552671"
                                             << "";
    QTest::newRow("international beats country") << "+91 98765 43210"
                                                 << "US"
                                                 << "+919876543210"
                                                 << "";
    QTest::newRow("empty") << "  "
                           << ""
                           << ""
                           << "empty";
    QTest::newRow("letters") << "call me"
                             << ""
                             << ""
                             << "invalid_characters";
    QTest::newRow("too short") << "98"
                               << ""
                               << ""
                               << "too_short";
    QTest::newRow("too long") << "+91 98765 43210 98765 4321"
                              << ""
                              << ""
                              << "too_long";
    QTest::newRow("unknown country code") << "+999 1234567"
                                          << ""
                                          << ""
                                          << "unknown_country_code";
    QTest::newRow("landline") << "+91 11 2345 6789"
                              << ""
                              << ""
                              << "not_mobile";
}

void tst_ApiRequests::phone()
{
    QFETCH(QString, phone);
    QFETCH(QString, country);
    QFETCH(QString, e164);
    QFETCH(QString, reason);
    CreateRequest r;
    r.phone = phone;
    r.country = country;
    const auto parsed = parsePhone(r, QStringLiteral("IN"));
    if (e164.isEmpty()) {
        QVERIFY(std::holds_alternative<RequestProblem>(parsed));
        const RequestProblem &p = std::get<RequestProblem>(parsed);
        QCOMPARE(p.error, ApiError::InvalidPhone);
        QCOMPARE(p.reason, reason);
        QCOMPARE(bodyOf(problemResponse(p)).value(u"reason").toString(), reason);
    } else {
        QVERIFY(std::holds_alternative<PhoneNumber>(parsed));
        QCOMPARE(std::get<PhoneNumber>(parsed).e164(), e164);
    }
}

void tst_ApiRequests::checkRequest_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("error"); // -1: accepted
    QTest::newRow("six digits") << QByteArray(R"({"code":"012345"})") << -1;
    QTest::newRow("five digits") << QByteArray(R"({"code":"12345"})")
                                 << int(ApiError::MalformedCode);
    QTest::newRow("seven digits") << QByteArray(R"({"code":"1234567"})")
                                  << int(ApiError::MalformedCode);
    QTest::newRow("letters") << QByteArray(R"({"code":"12345a"})") << int(ApiError::MalformedCode);
    QTest::newRow("arabic digits")
        << QByteArray("{\"code\":\"\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\"}")
        << int(ApiError::MalformedCode);
    QTest::newRow("spaces") << QByteArray(R"({"code":"123 456"})") << int(ApiError::MalformedCode);
    QTest::newRow("a number") << QByteArray(R"({"code":123456})") << int(ApiError::WrongType);
    QTest::newRow("missing") << QByteArray(R"({"kode":"123456"})") << int(ApiError::MissingField);
    QTest::newRow("not JSON") << QByteArray("123456") << int(ApiError::MalformedJson);
    QTest::newRow("code twice") << QByteArray(R"({"code":"000000","code":"123456"})")
                                << int(ApiError::DuplicateField);
    QTest::newRow("a name twice inside a member")
        << QByteArray(R"({"x":{"code":1,"code":2},"code":"123456"})") << -1;
}

void tst_ApiRequests::checkRequest()
{
    QFETCH(QByteArray, body);
    QFETCH(int, error);
    const auto parsed = parseCheckRequest(body);
    if (error < 0) {
        QVERIFY(std::holds_alternative<CheckRequest>(parsed));
        QCOMPARE(std::get<CheckRequest>(parsed).code.size(), 6);
    } else {
        QVERIFY(std::holds_alternative<RequestProblem>(parsed));
        QCOMPARE(std::get<RequestProblem>(parsed).error, ApiError(error));
    }
}

void tst_ApiRequests::resendRequest()
{
    auto parsed = parseResendRequest("");
    QVERIFY(std::holds_alternative<ResendRequest>(parsed));
    QVERIFY(!std::get<ResendRequest>(parsed).channel);
    parsed = parseResendRequest(R"({"channel":"sms"})");
    QCOMPARE(std::get<ResendRequest>(parsed).channel, std::optional(Channel::Sms));
    parsed = parseResendRequest(R"({})");
    QVERIFY(!std::get<ResendRequest>(parsed).channel);
    parsed = parseResendRequest(R"({"channel":"fax"})");
    QCOMPARE(std::get<RequestProblem>(parsed).error, ApiError::InvalidValue);
    parsed = parseResendRequest(R"([)");
    QCOMPARE(std::get<RequestProblem>(parsed).error, ApiError::MalformedJson);
}

void tst_ApiRequests::wait_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("seconds"); // -1: refused
    QTest::newRow("none") << QByteArray() << 0;
    QTest::newRow("other parameters") << QByteArray("x=1") << 0;
    QTest::newRow("zero") << QByteArray("wait=0") << 0;
    QTest::newRow("ten") << QByteArray("wait=10") << 10;
    QTest::newRow("thirty") << QByteArray("a=b&wait=30") << 30;
    QTest::newRow("thirty-one") << QByteArray("wait=31") << -1;
    QTest::newRow("negative") << QByteArray("wait=-1") << -1;
    QTest::newRow("empty") << QByteArray("wait=") << -1;
    QTest::newRow("letters") << QByteArray("wait=ten") << -1;
    QTest::newRow("fraction") << QByteArray("wait=1.5") << -1;
    QTest::newRow("huge") << QByteArray("wait=99999999999999999999") << -1;
}

void tst_ApiRequests::wait()
{
    QFETCH(QByteArray, query);
    QFETCH(int, seconds);
    const auto parsed = parseWait(query);
    if (seconds < 0) {
        QVERIFY(std::holds_alternative<RequestProblem>(parsed));
        const RequestProblem &p = std::get<RequestProblem>(parsed);
        QCOMPARE(p.error, ApiError::InvalidParameter);
        QCOMPARE(bodyOf(problemResponse(p)).value(u"parameter").toString(), QStringLiteral("wait"));
    } else {
        QCOMPARE(std::get<std::chrono::seconds>(parsed), std::chrono::seconds(seconds));
    }
}

void tst_ApiRequests::routes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("health") << QByteArray("GET") << QByteArray("/healthz") << Endpoint::Health
                            << true << QByteArray();
    QTest::newRow("ready") << QByteArray("GET") << QByteArray("/readyz") << Endpoint::Ready << true
                           << QByteArray();
    QTest::newRow("jwks") << QByteArray("GET") << QByteArray("/.well-known/jwks.json")
                          << Endpoint::Jwks << true << QByteArray();
    QTest::newRow("create") << QByteArray("POST") << QByteArray("/v1/verifications")
                            << Endpoint::Verifications << true << QByteArray();
    QTest::newRow("create by GET") << QByteArray("GET") << QByteArray("/v1/verifications")
                                   << Endpoint::Verifications << false << QByteArray();
    QTest::newRow("show") << QByteArray("GET") << QByteArray("/v1/verifications/Ab-_9")
                          << Endpoint::Verification << true << QByteArray("Ab-_9");
    QTest::newRow("delete") << QByteArray("DELETE") << QByteArray("/v1/verifications/x")
                            << Endpoint::Verification << true << QByteArray("x");
    QTest::newRow("put") << QByteArray("PUT") << QByteArray("/v1/verifications/x")
                         << Endpoint::Verification << false << QByteArray("x");
    QTest::newRow("check") << QByteArray("POST") << QByteArray("/v1/verifications/x/check")
                           << Endpoint::Check << true << QByteArray("x");
    QTest::newRow("resend") << QByteArray("POST") << QByteArray("/v1/verifications/x/resend")
                            << Endpoint::Resend << true << QByteArray("x");
    QTest::newRow("unknown action") << QByteArray("POST") << QByteArray("/v1/verifications/x/y")
                                    << Endpoint::None << false << QByteArray();
    QTest::newRow("trailing slash") << QByteArray("POST") << QByteArray("/v1/verifications/")
                                    << Endpoint::None << false << QByteArray();
    QTest::newRow("encoded id") << QByteArray("GET") << QByteArray("/v1/verifications/a%2Fb")
                                << Endpoint::None << false << QByteArray();
    QTest::newRow("dot segments") << QByteArray("GET") << QByteArray("/v1/verifications/../x")
                                  << Endpoint::None << false << QByteArray();
    QTest::newRow("long id") << QByteArray("GET") << "/v1/verifications/" + QByteArray(65, 'a')
                             << Endpoint::None << false << QByteArray();
    QTest::newRow("prefix only") << QByteArray("POST") << QByteArray("/v1/verificationsx")
                                 << Endpoint::None << false << QByteArray();
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << Endpoint::None << false
                          << QByteArray();
}

void tst_ApiRequests::routes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(Endpoint, endpoint);
    QFETCH(bool, allowed);
    QFETCH(QByteArray, id);
    const Route r = matchRoute(method, path);
    QCOMPARE(r.endpoint, endpoint);
    QCOMPARE(r.methodAllowed, allowed);
    QCOMPARE(r.id, id);
    if (endpoint != Endpoint::None)
        QVERIFY(!r.allow.isEmpty());
}

void tst_ApiRequests::everyErrorHasARow()
{
    QSet<QString> codes;
    for (int e = int(ApiError::MalformedJson); e <= int(ApiError::HttpVersionNotSupported); ++e) {
        const auto error = ApiError(e);
        const QString code = errorCode(error);
        QVERIFY2(!code.isEmpty() && !errorMessage(error).isEmpty(), qPrintable(QString::number(e)));
        QVERIFY2(!codes.contains(code), qPrintable(code));
        codes.insert(code);
        const int status = httpStatus(error);
        QVERIFY(status >= 400 && status < 600);
    }
    // The statuses the API promises.
    QCOMPARE(httpStatus(ApiError::WrongCode), 422);
    QCOMPARE(httpStatus(ApiError::Expired), 410);
    QCOMPARE(httpStatus(ApiError::TooManyAttempts), 429);
    QCOMPARE(httpStatus(ApiError::NotFound), 404);
    QCOMPARE(httpStatus(ApiError::MalformedCode), 400);
    QCOMPARE(httpStatus(ApiError::InvalidPhone), 400);
    QCOMPARE(httpStatus(ApiError::BodyTooLarge), 413);
    QCOMPARE(errorCode(ApiError::WrongCode), QStringLiteral("wrong_code"));
    QCOMPARE(errorCode(ApiError::TooManyAttempts), QStringLiteral("too_many_attempts"));
    QCOMPARE(errorCode(ApiError::SendFailed), QStringLiteral("send_failed"));
}

void tst_ApiRequests::errorBodies()
{
    HttpResponse r = errorResponse(ApiError::WrongCode, {{QStringLiteral("attempts_left"), 3}});
    QCOMPARE(r.status, 422);
    QCOMPARE(r.contentType, QByteArray("application/json"));
    QJsonObject o = bodyOf(r);
    QCOMPARE(o.value(u"error").toString(), QStringLiteral("wrong_code"));
    QCOMPARE(o.value(u"attempts_left").toInt(), 3);
    QVERIFY(!o.value(u"message").toString().isEmpty());

    // A 429 always says when to come back, in the header and the body.
    r = errorResponse(ApiError::TooManyAttempts);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.headers, (HttpHeaders {{"Retry-After", "0"}}));
    QCOMPARE(bodyOf(r).value(u"retry_after").toInt(), 0);
    r = errorResponse(ApiError::RateLimited, {}, 42s);
    QCOMPARE(r.headers, (HttpHeaders {{"Retry-After", "42"}}));
    QCOMPARE(bodyOf(r).value(u"retry_after").toInt(), 42);
    // Not on a 4xx that is not a 429.
    r = errorResponse(ApiError::NotFound, {}, 42s);
    QVERIFY(r.headers.isEmpty());
    QVERIFY(!bodyOf(r).contains(u"retry_after"));

    QCOMPARE(apiErrorFor(HttpFailure::BodyTooLarge), ApiError::BodyTooLarge);
    QCOMPARE(apiErrorFor(HttpFailure::Timeout), ApiError::RequestTimeout);
    QCOMPARE(httpStatus(apiErrorFor(HttpFailure::HeaderTooLarge)), 431);
}

void tst_ApiRequests::problemBodies()
{
    const auto parsed = parseCreateRequest(R"({"phone":5})");
    const QJsonObject o = bodyOf(problemResponse(std::get<RequestProblem>(parsed)));
    QCOMPARE(o.value(u"error").toString(), QStringLiteral("wrong_type"));
    QCOMPARE(o.value(u"field").toString(), QStringLiteral("phone"));
    QCOMPARE(o.value(u"expected").toString(), QStringLiteral("string"));
    const auto flow = parseCreateRequest(R"({"phone":"1","flow":"x"})");
    const QJsonObject f = bodyOf(problemResponse(std::get<RequestProblem>(flow)));
    QCOMPARE(f.value(u"error").toString(), QStringLiteral("invalid_value"));
    QCOMPARE(f.value(u"allowed").toString(), QStringLiteral("signup or signin"));
}

QTEST_GUILESS_MAIN(tst_ApiRequests)
#include "tst_apirequests.moc"
