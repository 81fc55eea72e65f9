#include "server/api/ApiRequests.h"

#include "engine/CodeGenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrlQuery>

namespace waotp::server {

namespace {

RequestProblem problem(ApiError error, const QString &field = {}, const QString &expected = {})
{
    return {error, field, expected, {}};
}

// The name of a member that valid JSON object text @p body holds more than once at its top
// level, when it holds @p members distinct ones and more names than that; empty otherwise.
QString repeatedMember(QByteArrayView body, qsizetype members)
{
    QList<QByteArrayView> names; // as written, quotes and escapes included
    int depth = 0;
    qsizetype stringStart = -1;
    QByteArrayView lastString; // at depth 1: a name if a colon comes next
    for (qsizetype i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (stringStart >= 0) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                if (depth == 1)
                    lastString = body.sliced(stringStart, i - stringStart + 1);
                stringStart = -1;
            }
            continue;
        }
        if (c == '"')
            stringStart = i;
        else if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']')
            --depth;
        else if (c == ':' && depth == 1 && !lastString.isEmpty())
            names.append(std::exchange(lastString, {}));
    }
    if (names.size() <= members)
        return {};
    QSet<QString> seen;
    for (const QByteArrayView name : std::as_const(names)) {
        const QString text =
            QJsonDocument::fromJson('[' + name.toByteArray() + ']').array().at(0).toString();
        if (seen.contains(text))
            return text;
        seen.insert(text);
    }
    return {};
}

// The body as a JSON object, or the problem. A member named twice is refused: the parser keeps
// the last, and a proxy or a log in front may read the first.
std::variant<QJsonObject, RequestProblem> object(QByteArrayView body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return problem(ApiError::MalformedJson);
    QJsonObject o = doc.object();
    if (QString name = repeatedMember(body, o.size()); !name.isEmpty())
        return problem(ApiError::DuplicateField, name);
    return o;
}

// A member that must be a string when present; std::nullopt when absent (or null).
std::variant<std::optional<QString>, RequestProblem> optionalString(const QJsonObject &o,
                                                                    const QString &field)
{
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return std::optional<QString>();
    if (!v.isString())
        return problem(ApiError::WrongType, field, QStringLiteral("string"));
    return std::optional<QString>(v.toString());
}

// Reads an optional string member into @p out; a problem, or nothing.
template<typename Check>
std::optional<RequestProblem> readString(const QJsonObject &o, const QString &field, QString *out,
                                         Check &&check)
{
    auto value = optionalString(o, field);
    if (auto *p = std::get_if<RequestProblem>(&value))
        return *p;
    const auto &text = std::get<std::optional<QString>>(value);
    if (!text)
        return std::nullopt;
    *out = *text;
    return check(*out);
}

std::optional<Channel> channelFromName(QStringView name)
{
    if (name == u"whatsapp")
        return Channel::WhatsApp;
    if (name == u"sms")
        return Channel::Sms;
    return std::nullopt;
}

std::optional<RequestProblem> checkChannel(const QString &field, const QString &text,
                                           Channel *channel)
{
    const auto c = channelFromName(text);
    if (!c)
        return problem(ApiError::InvalidValue, field, QStringLiteral("whatsapp or sms"));
    *channel = *c;
    return std::nullopt;
}

} // namespace

QString flowName(Purpose flow)
{
    return flow == Purpose::SignUp ? QStringLiteral("signup") : QStringLiteral("signin");
}

QString channelName(Channel channel)
{
    return channel == Channel::Sms ? QStringLiteral("sms") : QStringLiteral("whatsapp");
}

HttpResponse problemResponse(const RequestProblem &p)
{
    QJsonObject extra;
    if (!p.field.isEmpty())
        extra.insert(p.error == ApiError::InvalidParameter ? QStringLiteral("parameter")
                                                           : QStringLiteral("field"),
                     p.field);
    if (!p.expected.isEmpty())
        extra.insert(p.error == ApiError::WrongType ? QStringLiteral("expected")
                                                    : QStringLiteral("allowed"),
                     p.expected);
    if (!p.reason.isEmpty())
        extra.insert(QStringLiteral("reason"), p.reason);
    return errorResponse(p.error, extra);
}

Parsed<CreateRequest> parseCreateRequest(QByteArrayView body)
{
    auto parsed = object(body);
    if (auto *p = std::get_if<RequestProblem>(&parsed))
        return *p;
    const QJsonObject &o = std::get<QJsonObject>(parsed);
    CreateRequest r;

    const QString phoneField = QStringLiteral("phone");
    if (!o.contains(phoneField) || o.value(phoneField).isNull())
        return problem(ApiError::MissingField, phoneField);
    if (auto p = readString(o, phoneField, &r.phone,
                            [](const QString &) { return std::optional<RequestProblem>(); }))
        return *p;

    const QString countryField = QStringLiteral("country");
    if (auto p = readString(o, countryField, &r.country, [&](QString &text) {
            text = text.toUpper();
            static const QRegularExpression form(QStringLiteral("^[A-Z]{2}$"));
            if (!form.match(text).hasMatch() || PhoneNumber::callingCodeForRegion(text) == 0)
                return std::optional(problem(ApiError::InvalidValue, countryField,
                                             QStringLiteral("an ISO 3166-1 alpha-2 code")));
            return std::optional<RequestProblem>();
        }))
        return *p;

    const QString flowField = QStringLiteral("flow");
    QString flow;
    if (auto p = readString(o, flowField, &flow, [&](const QString &text) {
            if (text == u"signup")
                r.flow = Purpose::SignUp;
            else if (text == u"signin")
                r.flow = Purpose::SignIn;
            else
                return std::optional(
                    problem(ApiError::InvalidValue, flowField, QStringLiteral("signup or signin")));
            return std::optional<RequestProblem>();
        }))
        return *p;

    const QString channelField = QStringLiteral("channel");
    QString channel;
    if (auto p = readString(o, channelField, &channel, [&](const QString &text) {
            return checkChannel(channelField, text, &r.channel);
        }))
        return *p;

    const QString localeField = QStringLiteral("locale");
    if (auto p = readString(o, localeField, &r.locale, [&](const QString &text) {
            // A BCP 47 tag as messages are chosen by: a language and optional subtags.
            static const QRegularExpression form(
                QStringLiteral("^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$"));
            if (!form.match(text).hasMatch())
                return std::optional(problem(ApiError::InvalidValue, localeField,
                                             QStringLiteral("a BCP 47 language tag")));
            return std::optional<RequestProblem>();
        }))
        return *p;

    const QString nonceField = QStringLiteral("nonce");
    if (auto p = readString(o, nonceField, &r.nonce, [&](const QString &text) {
            const qsizetype length = text.toUcs4().size();
            if (length < 1 || length > MaxNonceLength)
                return std::optional(
                    problem(ApiError::InvalidValue, nonceField,
                            QStringLiteral("1 to %1 characters").arg(MaxNonceLength)));
            return std::optional<RequestProblem>();
        }))
        return *p;
    return r;
}

Parsed<CheckRequest> parseCheckRequest(QByteArrayView body)
{
    auto parsed = object(body);
    if (auto *p = std::get_if<RequestProblem>(&parsed))
        return *p;
    const QJsonObject &o = std::get<QJsonObject>(parsed);
    const QString codeField = QStringLiteral("code");
    const QJsonValue v = o.value(codeField);
    if (v.isUndefined() || v.isNull())
        return problem(ApiError::MissingField, codeField);
    if (!v.isString())
        return problem(ApiError::WrongType, codeField, QStringLiteral("string"));
    CheckRequest r {v.toString()};
    if (!isWellFormedCode(r.code))
        return problem(ApiError::MalformedCode, codeField);
    return r;
}

Parsed<ResendRequest> parseResendRequest(QByteArrayView body)
{
    ResendRequest r;
    if (body.trimmed().isEmpty())
        return r;
    auto parsed = object(body);
    if (auto *p = std::get_if<RequestProblem>(&parsed))
        return *p;
    const QJsonObject &o = std::get<QJsonObject>(parsed);
    const QString channelField = QStringLiteral("channel");
    QString channel;
    Channel c = Channel::WhatsApp;
    if (auto p = readString(o, channelField, &channel, [&](const QString &text) {
            return checkChannel(channelField, text, &c);
        }))
        return *p;
    if (!channel.isEmpty())
        r.channel = c;
    return r;
}

QString phoneErrorName(PhoneError error)
{
    switch (error) {
    case PhoneError::None:
        return QString();
    case PhoneError::Empty:
        return QStringLiteral("empty");
    case PhoneError::InvalidCharacters:
        return QStringLiteral("invalid_characters");
    case PhoneError::TooShort:
        return QStringLiteral("too_short");
    case PhoneError::TooLong:
        return QStringLiteral("too_long");
    case PhoneError::UnknownCountryCode:
        return QStringLiteral("unknown_country_code");
    case PhoneError::InvalidNumber:
        return QStringLiteral("invalid_number");
    case PhoneError::NotMobile:
        return QStringLiteral("not_mobile");
    }
    return QStringLiteral("invalid_number");
}

Parsed<PhoneNumber> parsePhone(const CreateRequest &request, const QString &defaultRegion)
{
    const PhoneParseResult parsed = PhoneNumber::parse(
        request.phone, request.country.isEmpty() ? defaultRegion : request.country);
    if (parsed.ok())
        return *parsed.number;
    RequestProblem p = problem(ApiError::InvalidPhone, QStringLiteral("phone"));
    p.reason = phoneErrorName(parsed.error);
    return p;
}

PhoneParsing::PhoneParsing() : m_thread(std::make_unique<JobThread>("waotp-parse")) { }

PhoneParsing::~PhoneParsing()
{
    m_thread.reset(); // joined: what was not read is dropped with its callback
}

void PhoneParsing::parse(const CreateRequest &request, const QString &defaultRegion,
                         QObject *context, std::function<void(const Parsed<PhoneNumber> &)> done)
{
    const quint64 job = m_answers.add(context, std::move(done));
    // The thread by its address: the unique_ptr is null while it stops.
    m_thread->post([this, thread = m_thread.get(), job, request, defaultRegion] {
        Parsed<PhoneNumber> number = parsePhone(request, defaultRegion);
        thread->answer([this, job, number = std::move(number)] { m_answers.finish(job, number); });
    });
}

Parsed<std::chrono::seconds> parseWait(QByteArrayView query)
{
    const QString field = QStringLiteral("wait");
    const QUrlQuery q(QString::fromUtf8(query));
    if (!q.hasQueryItem(field))
        return std::chrono::seconds(0);
    const QString text = q.queryItemValue(field, QUrl::FullyDecoded);
    bool ok = false;
    const int seconds = text.toInt(&ok);
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,2}$"));
    if (!ok || !digits.match(text).hasMatch() || seconds > MaxWaitSeconds)
        return problem(ApiError::InvalidParameter, field,
                       QStringLiteral("0 to %1 seconds").arg(MaxWaitSeconds));
    return std::chrono::seconds(seconds);
}

} // namespace waotp::server
