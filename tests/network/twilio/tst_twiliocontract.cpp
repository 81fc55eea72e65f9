// Contract: the requests the Twilio clients build match Twilio's OpenAPI description
// (shared/twilio-oai) and the wire format of Twilio's official client (shared/twilio-fixtures):
// method, path, auth scheme, content type, field names and encoding, byte for byte where the
// inputs are the same.
#include "HttpTestServer.h"
#include "TwilioLogCapture.h"
#include "engine/PhoneNumber.h"
#include "network/twilio/TwilioHttp.h"
#include "network/twilio/TwilioMessagesSender.h"
#include "network/twilio/TwilioVerifySender.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace waotp;
using namespace waotp::test;

namespace {

const QString SharedDir = QStringLiteral(WAOTP_SHARED_DIR);
const QString FixtureSid = QStringLiteral("SM3a37dfe702393e0fa6c8bbc2a299e490");

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/// The raw "name=value" pairs of a form body, with the fixture's port placeholder filled in.
QList<QByteArray> pairs(QByteArray body)
{
    body.replace("<callback-port>", "4010");
    return body.isEmpty() ? QList<QByteArray>() : body.split('&');
}

QByteArray pairNamed(const QList<QByteArray> &list, QByteArrayView name)
{
    for (const QByteArray &p : list) {
        if (p.startsWith(QByteArray(name.toByteArray() + '=')))
            return p;
    }
    return {};
}

PhoneNumber india()
{
    return *PhoneNumber::parse(u"+919876543210", u"IN").number;
}

} // namespace

class tst_TwilioContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void fixtureEncoding_data();
    void fixtureEncoding();
    void fixturesMatchTheSpec_data();
    void fixturesMatchTheSpec();
    void messagesBody();
    void messagesTemplate();
    void messagesService();
    void messagesFetch();
    void verifyCreate();
    void verifyCheck_data();
    void verifyCheck();
    void verifyCancel();

private:
    QJsonObject fixture(const QString &label) const;
    /// The spec operation for @p method on @p path (matched against the path templates).
    QJsonObject operation(const QByteArray &method, const QString &path, QString *templ) const;
    void checkAgainstSpec(const HttpRequest &request) const;
    /// Sends the code 123456 to +919876543210 with @p settings; the request Twilio got.
    HttpRequest sendCode(const TwilioSettings &settings);
    void checkAgainstFixture(const HttpRequest &ours, const QJsonObject &theirs) const;
    TwilioSettings settings() const;

    QJsonObject m_api;
    QJsonObject m_verify;
    QJsonObject m_fixtures;
    std::unique_ptr<HttpTestServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_TwilioContract::initTestCase()
{
    TwilioLogCapture::install();
    m_api = readJson(SharedDir + QStringLiteral("/twilio-oai/twilio_api_v2010.json"));
    m_verify = readJson(SharedDir + QStringLiteral("/twilio-oai/twilio_verify_v2.json"));
    m_fixtures =
        readJson(SharedDir + QStringLiteral("/twilio-fixtures/official-client-requests.json"));
    if (m_api.isEmpty() || m_verify.isEmpty() || m_fixtures.isEmpty()) {
        const QString missing =
            QStringLiteral("Twilio's specs and fixtures are not in %1 (CI puts shared/ beside "
                           "the clone)")
                .arg(SharedDir);
        // A developer's checkout may lack them; CI must not pass without checking the contract.
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL(qPrintable(missing));
        QSKIP(qPrintable(missing));
    }
}

void tst_TwilioContract::init()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_server = std::make_unique<HttpTestServer>([](const HttpRequest &r) {
        QJsonObject o;
        o.insert(QStringLiteral("sid"),
                 r.path().contains(u"/v2/") ? QStringLiteral("VE1") : FixtureSid);
        // A new message is queued; polled, it has been read (so tracking stops at once).
        o.insert(QStringLiteral("status"),
                 r.path().contains(u"/VerificationCheck") ? QStringLiteral("pending")
                     : r.method == "GET"                  ? QStringLiteral("read")
                                                          : QStringLiteral("queued"));
        return HttpResponse::json(
            r.method == "GET" || r.path().endsWith(u"VerificationCheck") ? 200 : 201, o);
    });
    QVERIFY(m_server->listen());
}

TwilioSettings tst_TwilioContract::settings() const
{
    const QJsonObject p = m_fixtures.value(u"placeholders").toObject();
    TwilioSettings s;
    s.accountSid = p.value(u"account_sid").toString();
    s.authToken = p.value(u"auth_token").toString();
    s.verifyServiceSid = p.value(u"verify_service_sid").toString();
    s.whatsappFrom = QStringLiteral("+14155238886");
    s.apiBaseUrl = m_server->baseUrl();
    return s;
}

QJsonObject tst_TwilioContract::fixture(const QString &label) const
{
    const QJsonArray all = m_fixtures.value(u"requests").toArray();
    for (const QJsonValue &v : all) {
        if (v.toObject().value(u"label").toString().startsWith(label))
            return v.toObject();
    }
    qFatal("no fixture '%s'", qPrintable(label));
}

QJsonObject tst_TwilioContract::operation(const QByteArray &method, const QString &path,
                                          QString *templ) const
{
    const QJsonObject &spec = path.startsWith(u"/v2/") ? m_verify : m_api;
    const QJsonObject paths = spec.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        QString pattern = QRegularExpression::escape(it.key());
        pattern.replace(QRegularExpression(QStringLiteral("\\\\\\{[A-Za-z]+\\\\\\}")),
                        QStringLiteral("[^/]+"));
        if (!QRegularExpression(QLatin1Char('^') + pattern + QLatin1Char('$'))
                 .match(path)
                 .hasMatch())
            continue;
        const QJsonObject op =
            it.value().toObject().value(QString::fromLatin1(method.toLower())).toObject();
        if (op.isEmpty())
            continue;
        if (templ)
            *templ = it.key();
        return op;
    }
    return {};
}

void tst_TwilioContract::checkAgainstSpec(const HttpRequest &request) const
{
    QString templ;
    const QJsonObject op = operation(request.method, request.path(), &templ);
    QVERIFY2(!op.isEmpty(),
             qPrintable(QString::fromLatin1(request.method) + u' ' + request.path()));
    // HTTP Basic, sent with the request.
    const QJsonObject &spec = request.path().startsWith(u"/v2/") ? m_verify : m_api;
    const QJsonArray security = op.value(u"security").toArray();
    QVERIFY(!security.isEmpty());
    const QString scheme = security.first().toObject().keys().first();
    const QJsonObject definition = spec.value(u"components")
                                       .toObject()
                                       .value(u"securitySchemes")
                                       .toObject()
                                       .value(scheme)
                                       .toObject();
    QCOMPARE(definition.value(u"type").toString(), QStringLiteral("http"));
    QCOMPARE(definition.value(u"scheme").toString(), QStringLiteral("basic"));
    QVERIFY(request.header("Authorization").startsWith("Basic "));

    if (request.method == "GET") {
        QVERIFY(request.body.isEmpty());
        QVERIFY(request.header("Content-Type").isEmpty());
        return;
    }
    const QJsonObject content = op.value(u"requestBody").toObject().value(u"content").toObject();
    QVERIFY(content.contains(u"application/x-www-form-urlencoded"));
    QCOMPARE(request.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
    const QJsonObject schema =
        content.value(u"application/x-www-form-urlencoded").toObject().value(u"schema").toObject();
    const QJsonObject properties = schema.value(u"properties").toObject();
    QStringList names;
    for (const auto &[name, value] : request.form()) {
        QVERIFY2(properties.contains(name), qPrintable(templ + u": unknown field " + name));
        names.append(name);
    }
    for (const QJsonValue &required : schema.value(u"required").toArray())
        QVERIFY2(names.contains(required.toString()), qPrintable(required.toString()));
}

void tst_TwilioContract::checkAgainstFixture(const HttpRequest &ours,
                                             const QJsonObject &theirs) const
{
    QCOMPARE(QString::fromLatin1(ours.method), theirs.value(u"method").toString());
    QCOMPARE(ours.path(), theirs.value(u"path").toString());
    QCOMPARE(ours.version, theirs.value(u"http_version").toString().toLatin1());
    QByteArray authorization;
    QByteArray accept;
    for (const QJsonValue &h : theirs.value(u"headers").toArray()) {
        const QString name = h.toArray().at(0).toString();
        if (name == u"Authorization")
            authorization = h.toArray().at(1).toString().toLatin1();
        if (name == u"Accept")
            accept = h.toArray().at(1).toString().toLatin1();
    }
    // Same placeholders, same credentials: the header is the same, byte for byte.
    QCOMPARE(ours.header("Authorization"), authorization);
    QCOMPARE(ours.header("Accept"), accept);
    const QJsonValue contentType = theirs.value(u"content_type");
    QCOMPARE(ours.header("Content-Type"),
             contentType.isNull() ? QByteArray() : contentType.toString().toLatin1());
    QVERIFY(!ours.header("Host").isEmpty());
    if (ours.method == "POST")
        QCOMPARE(ours.header("Content-Length"), QByteArray::number(ours.body.size()));
}

void tst_TwilioContract::fixtureEncoding_data()
{
    QTest::addColumn<QJsonObject>("request");
    for (const QJsonValue &v : m_fixtures.value(u"requests").toArray()) {
        const QJsonObject r = v.toObject();
        if (!r.value(u"raw_body").toString().isEmpty())
            QTest::newRow(qPrintable(r.value(u"label").toString())) << r;
    }
}

void tst_TwilioContract::fixtureEncoding()
{
    // Our encoder, fed the official client's fields in its order, writes its body exactly.
    QFETCH(QJsonObject, request);
    const QByteArray raw = request.value(u"raw_body").toString().toUtf8();
    const QJsonObject form = request.value(u"form").toObject();
    FormFields fields;
    for (const QByteArray &pair : pairs(raw)) {
        const QString name = QString::fromLatin1(pair.left(pair.indexOf('=')));
        fields.append({name,
                       form.value(name).toString().replace(QStringLiteral("<callback-port>"),
                                                           QStringLiteral("4010"))});
    }
    QCOMPARE(fields.size(), form.size());
    QCOMPARE(formEncode(fields), pairs(raw).join('&'));
}

void tst_TwilioContract::fixturesMatchTheSpec_data()
{
    QTest::addColumn<QJsonObject>("request");
    for (const QJsonValue &v : m_fixtures.value(u"requests").toArray())
        QTest::newRow(qPrintable(v.toObject().value(u"label").toString())) << v.toObject();
}

void tst_TwilioContract::fixturesMatchTheSpec()
{
    // The two references agree with each other (so checking against both means something).
    QFETCH(QJsonObject, request);
    HttpRequest r;
    r.method = request.value(u"method").toString().toLatin1();
    r.target = request.value(u"path").toString().toLatin1();
    r.body = request.value(u"raw_body").toString().toUtf8().replace("<callback-port>", "4010");
    for (const QJsonValue &h : request.value(u"headers").toArray())
        r.headers.append(
            {h.toArray().at(0).toString().toLatin1(), h.toArray().at(1).toString().toLatin1()});
    checkAgainstSpec(r);
}

HttpRequest tst_TwilioContract::sendCode(const TwilioSettings &settings)
{
    TwilioTimings t;
    t.trackingLimit = std::chrono::milliseconds(0);
    TwilioMessagesSender sender(settings, QStringLiteral("Acme"), m_nam.get(), t);
    OutgoingCode code;
    code.to = india();
    code.code = QStringLiteral("123456");
    sender.send(code);
    if (!QTest::qWaitFor([this] { return m_server->requestCount() >= 1; }, 5000))
        return {};
    return m_server->requests().first();
}

void tst_TwilioContract::messagesBody()
{
    const HttpRequest ours = sendCode(settings());
    const QJsonObject theirs = fixture(QStringLiteral("messages.create (WhatsApp, Body)"));
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, theirs);
    const QList<QByteArray> mine = ours.rawFormPairs();
    const QList<QByteArray> official = pairs(theirs.value(u"raw_body").toString().toUtf8());
    // Same inputs (To, From): same bytes. The text differs by design.
    QCOMPARE(pairNamed(mine, "To"), pairNamed(official, "To"));
    QCOMPARE(pairNamed(mine, "From"), pairNamed(official, "From"));
    QVERIFY(pairNamed(mine, "Body").startsWith("Body=Your%20Acme%20sign-in%20code%20is%20123456."));
    QCOMPARE(pairNamed(mine, "ValidityPeriod"), QByteArray("ValidityPeriod=300"));
}

void tst_TwilioContract::messagesTemplate()
{
    const QJsonObject theirs = fixture(QStringLiteral("messages.create (WhatsApp template"));
    TwilioSettings s = settings();
    s.contentSid = theirs.value(u"form").toObject().value(u"ContentSid").toString();
    TwilioTimings t;
    t.trackingLimit = std::chrono::milliseconds(0);
    TwilioMessagesSender sender(s, QStringLiteral("Acme"), m_nam.get(), t);
    OutgoingCode code;
    code.to = india();
    code.code = QStringLiteral("654321"); // the fixture's code
    sender.send(code);
    QTRY_COMPARE(m_server->requestCount(), 1);
    const HttpRequest ours = m_server->requests().first();
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, theirs);
    const QList<QByteArray> mine = ours.rawFormPairs();
    const QList<QByteArray> official = pairs(theirs.value(u"raw_body").toString().toUtf8());
    for (const char *name : {"To", "From", "ContentSid", "ContentVariables"})
        QCOMPARE(pairNamed(mine, name), pairNamed(official, name));
    QVERIFY(pairNamed(mine, "Body").isEmpty());
}

void tst_TwilioContract::messagesService()
{
    // A messaging service instead of a sender: MessagingServiceSid, valid by the spec's own
    // pattern, and no From; the rest as the official client writes it.
    TwilioSettings s = settings();
    s.messagingServiceSid = QStringLiteral("MG0123456789abcdef0123456789abcdef");
    const HttpRequest ours = sendCode(s);
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, fixture(QStringLiteral("messages.create (WhatsApp, Body)")));
    const QJsonObject field = operation("POST", ours.path(), nullptr)
                                  .value(u"requestBody")
                                  .toObject()
                                  .value(u"content")
                                  .toObject()
                                  .value(u"application/x-www-form-urlencoded")
                                  .toObject()
                                  .value(u"schema")
                                  .toObject()
                                  .value(u"properties")
                                  .toObject()
                                  .value(u"MessagingServiceSid")
                                  .toObject();
    const QString value = ours.formValue(QStringLiteral("MessagingServiceSid"));
    QCOMPARE(value, s.messagingServiceSid);
    QVERIFY(QRegularExpression(field.value(u"pattern").toString()).match(value).hasMatch());
    QCOMPARE(value.size(), field.value(u"minLength").toInt());
    QVERIFY(ours.formValue(QStringLiteral("From")).isEmpty());
    const QList<QByteArray> official =
        pairs(fixture(QStringLiteral("messages.create (WhatsApp, Body)"))
                  .value(u"raw_body")
                  .toString()
                  .toUtf8());
    QCOMPARE(pairNamed(ours.rawFormPairs(), "To"), pairNamed(official, "To"));
    QCOMPARE(ours.rawFormPairs().first(), pairNamed(official, "To"));
    QCOMPARE(ours.rawFormPairs().at(1), QByteArray("MessagingServiceSid=") + value.toLatin1());
}

void tst_TwilioContract::messagesFetch()
{
    TwilioTimings t;
    t.firstPollDelay = std::chrono::milliseconds(1);
    TwilioMessagesSender sender(settings(), QStringLiteral("Acme"), m_nam.get(), t);
    OutgoingCode code;
    code.to = india();
    code.code = QStringLiteral("123456");
    sender.send(code); // the canned answer's sid is the fixture's
    QTRY_COMPARE(m_server->requestCount(), 2);
    const HttpRequest ours = m_server->requests().at(1);
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, fixture(QStringLiteral("messages.fetch")));
    QVERIFY(ours.body.isEmpty());
}

void tst_TwilioContract::verifyCreate()
{
    TwilioVerifySender sender(settings(), m_nam.get());
    OutgoingCode code;
    code.to = india();
    sender.send(code);
    QTRY_COMPARE(m_server->requestCount(), 1);
    const HttpRequest ours = m_server->requests().first();
    const QJsonObject theirs = fixture(QStringLiteral("verify.v2 verifications.create"));
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, theirs);
    QCOMPARE(ours.body, theirs.value(u"raw_body").toString().toUtf8());
}

void tst_TwilioContract::verifyCheck_data()
{
    QTest::addColumn<QString>("label");
    QTest::newRow("wrong code") << QStringLiteral("verify.v2 verificationChecks.create (wrong");
    QTest::newRow("right code") << QStringLiteral("verify.v2 verificationChecks.create (right");
}

void tst_TwilioContract::verifyCheck()
{
    QFETCH(QString, label);
    const QJsonObject theirs = fixture(label);
    TwilioVerifySender sender(settings(), m_nam.get());
    sender.check(india(), theirs.value(u"form").toObject().value(u"Code").toString());
    QTRY_COMPARE(m_server->requestCount(), 1);
    const HttpRequest ours = m_server->requests().first();
    checkAgainstSpec(ours);
    checkAgainstFixture(ours, theirs);
    QCOMPARE(ours.body, theirs.value(u"raw_body").toString().toUtf8());
}

void tst_TwilioContract::verifyCancel()
{
    // The official client's fixtures have no update; the spec says what it takes.
    TwilioVerifySender sender(settings(), m_nam.get());
    sender.cancelCode(QStringLiteral("VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    QTRY_COMPARE(m_server->requestCount(), 1);
    const HttpRequest ours = m_server->requests().first();
    checkAgainstSpec(ours);
    QString templ;
    const QJsonObject op = operation(ours.method, ours.path(), &templ);
    QCOMPARE(templ, QStringLiteral("/v2/Services/{ServiceSid}/Verifications/{Sid}"));
    QCOMPARE(op.value(u"operationId").toString(), QStringLiteral("UpdateVerification"));
    const QJsonArray statuses = m_verify.value(u"components")
                                    .toObject()
                                    .value(u"schemas")
                                    .toObject()
                                    .value(u"verification_enum_status")
                                    .toObject()
                                    .value(u"enum")
                                    .toArray();
    QVERIFY(statuses.contains(QStringLiteral("canceled")));
    QCOMPARE(ours.body, QByteArray("Status=canceled"));
    QCOMPARE(ours.header("Authorization"),
             "Basic " + (settings().accountSid + u':' + settings().authToken).toUtf8().toBase64());
}

QTEST_GUILESS_MAIN(tst_TwilioContract)
#include "tst_twiliocontract.moc"
