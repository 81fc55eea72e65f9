// The server's JSON answers are written without QJsonObject (JsonObjectWriter): every shape
// of them, with every kind of string, must be the bytes QJsonDocument writes for the same
// members.
#include "server/JsonWriter.h"
#include "server/api/ApiError.h"
#include "server/api/ApiRequests.h"
#include "server/api/Verifications.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace waotp;
using namespace waotp::server;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

const Clock::TimePoint T0 = Clock::TimePoint {} + 1000h;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Strings that take every path of the escaping.
QList<std::pair<const char *, QString>> trickyStrings()
{
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    controls += QChar(0x7f);
    return {
        {"plain", QStringLiteral("n-0S6_WzA2Mj")},
        {"empty", QString()},
        {"quotes and backslashes", QStringLiteral("a\"b\\c/d\"\"\\\\")},
        {"control characters", controls},
        {"named escapes", QStringLiteral("tab\there\nnew\rline\b\f")},
        {"two-byte UTF-8", QStringLiteral("\u00e9t\u00e9 \u0080\u00ff\u07ff")},
        {"three-byte UTF-8", QStringLiteral("\u0800 \u2028\u2029 \ufeff \uffff \u65e5\u672c")},
        {"non-BMP", QStringLiteral("\U0001F600 \U00010000\U0010FFFF")},
        {"right to left", QStringLiteral("\u05e9\u05dc\u05d5\u05dd \u202e")},
        {"lone high surrogate at the end", u"ab"_s + QChar(0xd83d)},
        {"lone high surrogate before text", QChar(0xd83d) + u"x"_s},
        {"two high surrogates", QString(QChar(0xd83d)) + QChar(0xd83d) + QChar(0xde00)},
        {"lone low surrogate", u"a"_s + QChar(0xde00) + u"b"_s},
        {"low before high", QString(QChar(0xde00)) + QChar(0xd83d)},
        {"everything", QStringLiteral("\"\\\u0001\u00e9\U0001F600\n") + QChar(0xdc00)},
    };
}

QList<std::pair<const char *, QByteArray>> trickyLatin1()
{
    QByteArray all;
    for (int c = 0; c < 256; ++c)
        all += char(c);
    return {
        {"plain", QByteArrayLiteral("n-0S6_WzA2Mj.eyJhbGciOiJFUzI1NiJ9")},
        {"empty", QByteArray()},
        {"every byte", all},
        {"quotes, controls and accents", QByteArrayLiteral("\"\\\x01\x1f\x7f\x80\xe9\xff")},
    };
}

Verification verification()
{
    Verification v;
    v.id = QByteArrayLiteral("Xk3w-0aQ_9mLzY1bC2dE3f");
    v.number =
        PhoneNumber::fromParsedParts(QStringLiteral("+919876543210"),
                                     QStringLiteral("+91 98765 43210"), QStringLiteral("IN"), 91);
    v.flow = Purpose::SignIn;
    v.channel = Channel::WhatsApp;
    v.delivery = DeliveryStatus::Queued;
    v.attemptsLeft = 5;
    v.expiresAt = T0 + 10min;
    v.nextSendAt = T0 + 31s + 7ms;
    return v;
}

qint64 secondsLeft(Clock::TimePoint when, Clock::TimePoint now)
{
    return when <= now ? 0 : std::chrono::ceil<std::chrono::seconds>(when - now).count();
}

// The create shape as it was built with a QJsonObject.
QJsonObject verificationObject(const Verification &v, Clock::TimePoint now,
                               const VerificationExtras &e)
{
    const VerificationStatus status = statusOf(v, now);
    const bool live = status == VerificationStatus::Pending;
    QJsonObject o {
        {QStringLiteral("id"), QString::fromLatin1(v.id)},
        {QStringLiteral("phone"), v.number.e164()},
        {QStringLiteral("channel"), channelName(v.channel)},
        {QStringLiteral("flow"), flowName(v.flow)},
        {QStringLiteral("status"), statusName(status)},
        {QStringLiteral("delivery"), deliveryName(v.delivery)},
        {QStringLiteral("expires_in"), live ? secondsLeft(v.expiresAt, now) : 0},
        {QStringLiteral("resend_in"), secondsLeft(resendAllowedAt(v), now)},
        {QStringLiteral("attempts_left"), live ? v.attemptsLeft : 0},
    };
    if (v.deliveryError != 0)
        o.insert(QStringLiteral("delivery_error"), v.deliveryError);
    if (e.demoCode && !v.demoCode.isEmpty())
        o.insert(QStringLiteral("demo_code"), v.demoCode);
    if (e.queuePosition > 0) {
        o.insert(QStringLiteral("queue_position"), e.queuePosition);
        o.insert(QStringLiteral("queue_wait"), e.queueWait);
    }
    if (e.registrationHints)
        o.insert(QStringLiteral("registration_hints"), true);
    return o;
}

void addVerificationRow(const QByteArray &name, const Verification &v, Clock::TimePoint now,
                        const VerificationExtras &e)
{
    QTest::newRow(name.constData())
        << verificationJson(v, now, e) << compact(verificationObject(v, now, e));
}

// The error answer as it was built with a QJsonObject.
QJsonObject errorObject(ApiError error, const QJsonObject &extra,
                        std::optional<std::chrono::seconds> retryAfter)
{
    QJsonObject o = extra;
    o.insert(QStringLiteral("error"), errorCode(error));
    o.insert(QStringLiteral("message"), errorMessage(error));
    const int status = httpStatus(error);
    if (status == 429 && !retryAfter)
        retryAfter = 0s;
    if (retryAfter && (status == 429 || status == 503))
        o.insert(QStringLiteral("retry_after"), std::max<qint64>(0, retryAfter->count()));
    return o;
}

void addErrorRow(const QByteArray &name, ApiError error, const QJsonObject &extra,
                 std::optional<std::chrono::seconds> retryAfter = std::nullopt)
{
    QTest::newRow(name.constData()) << errorResponse(error, extra, retryAfter).body
                                    << compact(errorObject(error, extra, retryAfter));
}

} // namespace

class tst_JsonWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameBytesAsQJsonDocument_data();
    void sameBytesAsQJsonDocument();
    void errorHeaders();
};

void tst_JsonWriter::sameBytesAsQJsonDocument_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<QByteArray>("expected");

    // The writer itself.
    for (const auto &[name, text] : trickyStrings()) {
        QTest::addRow("string: %s", name) << JsonObjectWriter().string("s", text).take()
                                          << compact({{QStringLiteral("s"), text}});
        QTest::addRow("name: %s", name)
            << JsonObjectWriter().value(text, 1).take() << compact({{text, 1}});
    }
    for (const auto &[name, bytes] : trickyLatin1()) {
        QTest::addRow("Latin-1 string: %s", name)
            << JsonObjectWriter().string("s", QLatin1StringView(bytes)).take()
            << compact({{QStringLiteral("s"), QString::fromLatin1(bytes)}});
    }
    QTest::newRow("numbers") << JsonObjectWriter()
                                    .number("a", 0)
                                    .number("b", -1)
                                    .number("c", std::numeric_limits<qint64>::max())
                                    .number("d", std::numeric_limits<qint64>::min())
                                    .number("e", 1000000000000000000)
                                    .take()
                             << compact({{QStringLiteral("a"), 0},
                                         {QStringLiteral("b"), -1},
                                         {QStringLiteral("c"), std::numeric_limits<qint64>::max()},
                                         {QStringLiteral("d"), std::numeric_limits<qint64>::min()},
                                         {QStringLiteral("e"), qint64(1000000000000000000)}});
    QTest::newRow("booleans and raw")
        << JsonObjectWriter().raw("amr", "[\"otp\"]").boolean("f", false).boolean("t", true).take()
        << compact({{QStringLiteral("amr"), QJsonArray {QStringLiteral("otp")}},
                    {QStringLiteral("f"), false},
                    {QStringLiteral("t"), true}});
    QTest::newRow("empty object") << JsonObjectWriter().take() << compact({});
    QTest::newRow("values of every type")
        << JsonObjectWriter()
               .value(u"array", QJsonArray {1, u"x"_s, QJsonValue::Null})
               .value(u"double", 1.5)
               .value(u"double whole", 1e17)
               .value(u"false", false)
               .value(u"int", 63024)
               .value(u"null", QJsonValue::Null)
               .value(u"object", QJsonObject {{u"b"_s, 2}, {u"a"_s, u"\u00e9"_s}})
               .value(u"string", u"\"\U0001F600\""_s)
               .take()
        << compact({
               {u"array"_s, QJsonArray {1, u"x"_s, QJsonValue::Null}},
               {u"double"_s, 1.5},
               {u"double whole"_s, 1e17},
               {u"false"_s, false},
               {u"int"_s, 63024},
               {u"null"_s, QJsonValue::Null},
               {u"object"_s, QJsonObject {{u"b"_s, 2}, {u"a"_s, u"\u00e9"_s}}},
               {u"string"_s, u"\"\U0001F600\""_s},
           });

    // The create shape (POST, resend, GET): every status and every delivery.
    const QList<DeliveryStatus> deliveries {DeliveryStatus::Unknown,    DeliveryStatus::Queued,
                                            DeliveryStatus::Sent,       DeliveryStatus::Delivered,
                                            DeliveryStatus::Read,       DeliveryStatus::Failed,
                                            DeliveryStatus::Undelivered};
    const QList<std::pair<const char *, std::function<void(Verification &, Clock::TimePoint &)>>>
        states {
            {"pending", [](Verification &, Clock::TimePoint &) {}},
            {"approved", [](Verification &v, Clock::TimePoint &) { v.approved = true; }},
            {"canceled", [](Verification &v, Clock::TimePoint &) { v.canceled = true; }},
            {"attempts used up",
             [](Verification &v, Clock::TimePoint &) {
                 v.attemptsUsedUp = true;
                 v.attemptsLeft = 0;
             }},
            {"expired", [](Verification &, Clock::TimePoint &now) { now = T0 + 11min; }},
            {"resend due", [](Verification &, Clock::TimePoint &now) { now = T0 + 40s; }},
        };
    for (const auto &[state, make] : states) {
        for (const DeliveryStatus delivery : deliveries) {
            Verification v = verification();
            Clock::TimePoint now = T0;
            make(v, now);
            v.delivery = delivery;
            addVerificationRow("create: " + QByteArray(state) + ", "
                                   + deliveryName(delivery).toLatin1(),
                               v, now, {});
        }
    }
    {
        Verification v = verification();
        v.demoCode = QStringLiteral("123456");
        v.flow = Purpose::SignUp;
        v.channel = Channel::Sms;
        addVerificationRow("create: demo code", v, T0, {.demoCode = true});
        addVerificationRow("create: demo code not asked for", v, T0, {});
        addVerificationRow("create: registration hints", v, T0, {.registrationHints = true});
        addVerificationRow("create: queue place", v, T0, {.queuePosition = 3, .queueWait = 12});
        v.delivery = DeliveryStatus::Failed;
        v.deliveryError = 63024;
        addVerificationRow("create: delivery error", v, T0, {});
        addVerificationRow(
            "create: every extra", v, T0,
            {.demoCode = true, .registrationHints = true, .queuePosition = 1, .queueWait = 0});
        v.demoCode.clear();
        addVerificationRow("create: demo without a code", v, T0, {.demoCode = true});
    }
    for (const auto &[name, text] : trickyStrings()) {
        Verification v = verification();
        v.number = PhoneNumber::fromParsedParts(text, text, text, 0);
        v.demoCode = text;
        v.id = text.toLatin1();
        addVerificationRow("create: strings " + QByteArray(name), v, T0,
                           {.demoCode = true, .registrationHints = true});
    }

    // The check that issued a token.
    QTest::newRow("approved") << approvedJson(u"+919876543210", u"created", u"acc_0123456789abcdef",
                                              "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", 600)
                              << compact(
                                     {{u"status"_s, u"approved"_s},
                                      {u"phone"_s, u"+919876543210"_s},
                                      {u"account"_s, u"created"_s},
                                      {u"account_id"_s, u"acc_0123456789abcdef"_s},
                                      {u"token"_s, u"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"_s},
                                      {u"expires_in"_s, 600}});
    for (const auto &[name, text] : trickyStrings()) {
        const QByteArray token = text.toLatin1();
        QTest::addRow("approved: strings %s", name)
            << approvedJson(text, text, text, token, 0)
            << compact({{u"status"_s, u"approved"_s},
                        {u"phone"_s, text},
                        {u"account"_s, text},
                        {u"account_id"_s, text},
                        {u"token"_s, QString::fromLatin1(token)},
                        {u"expires_in"_s, 0}});
    }

    // Every error, bare and with a wait; then the extra members the server gives them.
    for (int e = int(ApiError::MalformedJson); e <= int(ApiError::HttpVersionNotSupported); ++e) {
        const auto error = ApiError(e);
        const QByteArray code = errorCode(error).toLatin1();
        addErrorRow("error: " + code, error, {});
        addErrorRow("error: " + code + ", retry after", error, {}, 7s);
        addErrorRow("error: " + code + ", negative wait", error, {}, -3s);
    }
    addErrorRow("error: scope", ApiError::RateLimited, {{u"scope"_s, u"ip"_s}}, 30s);
    addErrorRow("error: budget", ApiError::SendBudgetExhausted, {{u"scope"_s, u"day"_s}}, 3600s);
    addErrorRow("error: attempts left", ApiError::WrongCode, {{u"attempts_left"_s, 2}});
    addErrorRow("error: provider code", ApiError::SendFailed,
                {{u"reason"_s, u"not_whatsapp_user"_s}, {u"provider_code"_s, 63024}});
    addErrorRow("error: queue full", ApiError::SendQueueFull, {{u"provider_code"_s, 0}}, 1s);
    addErrorRow("error: not ready", ApiError::NotReady,
                {{u"not_ready"_s, QJsonArray {u"accounts"_s, u"store"_s}}}, 10s);
    addErrorRow("error: field", ApiError::WrongType,
                {{u"field"_s, u"phone"_s}, {u"expected"_s, u"string"_s}});
    addErrorRow("error: members named as its own", ApiError::RateLimited,
                {{u"error"_s, u"x"_s}, {u"message"_s, 1}, {u"retry_after"_s, u"y"_s}}, 5s);
    addErrorRow("error: retry_after member without a wait", ApiError::NotFound,
                {{u"retry_after"_s, u"y"_s}});
    addErrorRow("error: members around its own", ApiError::ProviderUnavailable,
                {{u"a"_s, 1},
                 {u"errors"_s, 2},
                 {u"f"_s, 3},
                 {u"messages"_s, 4},
                 {u"n"_s, 5},
                 {u"retry"_s, 6},
                 {u"retry_aftermath"_s, 7},
                 {u"z"_s, 8},
                 {u"\u00e9"_s, 9}},
                2s);
    for (const auto &[name, text] : trickyStrings()) {
        addErrorRow("error: strings " + QByteArray(name), ApiError::InvalidValue,
                    {{u"field"_s, text}, {u"reason"_s, text}});
    }
}

void tst_JsonWriter::sameBytesAsQJsonDocument()
{
    QFETCH(QByteArray, written);
    QFETCH(QByteArray, expected);
    QCOMPARE(written, expected);
}

// The Retry-After header and the label go with the body as before.
void tst_JsonWriter::errorHeaders()
{
    const HttpResponse limited = errorResponse(ApiError::RateLimited, {{u"scope"_s, u"ip"_s}});
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.headers.size(), 1);
    QCOMPARE(limited.headers.first().first, QByteArray("Retry-After"));
    QCOMPARE(limited.headers.first().second, QByteArray("0"));
    QCOMPARE(QByteArray(limited.label), QByteArray("rate_limited"));

    const HttpResponse store = errorResponse(ApiError::StoreUnavailable, {}, 10s);
    QCOMPARE(store.headers.size(), 1);
    QCOMPARE(store.headers.first().second, QByteArray("10"));

    const HttpResponse notFound = errorResponse(ApiError::NotFound, {}, 10s);
    QVERIFY(notFound.headers.isEmpty()); // a wait only on a 429 or a 503
    QCOMPARE(QByteArray(notFound.label), QByteArray("not_found"));
}

QTEST_GUILESS_MAIN(tst_JsonWriter)
#include "tst_jsonwriter.moc"
