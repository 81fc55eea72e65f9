// GET /metrics through a real HTTP client against the server in demo mode: the Prometheus text
// format (parsed here line by line: families, types, label sets, histograms), the counts after
// known traffic, no phone number anywhere, and who may read them (loopback, metrics_allow; a
// request forwarded by a proxy that is not trusted is refused).
#include "RawHttpClient.h"
#include "ServerApiFixture.h"

#include <QRegularExpression>

using namespace waotp;
using namespace waotp::server;
using namespace waotp::test;
using namespace std::chrono_literals;

namespace {

struct Sample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct Exposition
{
    QMap<QString, QString> types; // family -> counter, gauge, histogram
    QList<Sample> samples;
    QStringList errors;

    double value(const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        for (const Sample &s : samples) {
            if (s.name == name && s.labels == labels)
                return s.value;
        }
        return -1;
    }
};

// The family a sample belongs to: its name without a histogram's suffix.
QString familyOf(const QString &name, const QMap<QString, QString> &types)
{
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const QString s = QString::fromLatin1(suffix);
        if (name.endsWith(s) && types.value(name.chopped(s.size())) == u"histogram")
            return name.chopped(s.size());
    }
    return name;
}

// Prometheus' text format 0.0.4, strictly enough to catch what a scraper would refuse.
Exposition parse(const QByteArray &text)
{
    static const QRegularExpression comment(
        QStringLiteral("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$"));
    static const QRegularExpression sample(QStringLiteral(
        "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? ([-+]?(?:[0-9.eE+-]+|Inf|NaN))$"));
    static const QRegularExpression label(
        QStringLiteral("^([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(?:,|$)"));
    Exposition e;
    if (!text.endsWith('\n'))
        e.errors << QStringLiteral("no final newline");
    const QStringList lines = QString::fromUtf8(text).split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.startsWith(u'#')) {
            const auto m = comment.match(line);
            if (!m.hasMatch()) {
                e.errors << QStringLiteral("bad comment: ") + line;
                continue;
            }
            if (m.captured(1) == u"TYPE") {
                if (e.types.contains(m.captured(2)))
                    e.errors << QStringLiteral("two TYPE lines: ") + line;
                e.types.insert(m.captured(2), m.captured(3));
            }
            continue;
        }
        const auto m = sample.match(line);
        if (!m.hasMatch()) {
            e.errors << QStringLiteral("bad sample: ") + line;
            continue;
        }
        Sample s;
        s.name = m.captured(1);
        QString rest = m.captured(2);
        while (!rest.isEmpty()) {
            const auto l = label.match(rest);
            if (!l.hasMatch()) {
                e.errors << QStringLiteral("bad labels: ") + line;
                break;
            }
            if (s.labels.contains(l.captured(1)))
                e.errors << QStringLiteral("a label twice: ") + line;
            s.labels.insert(l.captured(1), l.captured(2));
            rest = rest.mid(l.capturedLength());
        }
        bool ok = true;
        s.value = m.captured(3) == u"+Inf" ? qInf() : m.captured(3).toDouble(&ok);
        if (!ok)
            e.errors << QStringLiteral("bad value: ") + line;
        const QString family = familyOf(s.name, e.types);
        if (!e.types.contains(family))
            e.errors << QStringLiteral("no TYPE before: ") + line;
        if (e.types.value(family) == u"counter" && !family.endsWith(u"_total"))
            e.errors << QStringLiteral("a counter not named _total: ") + family;
        e.samples.append(s);
    }
    return e;
}

// Every histogram: buckets in increasing order, cumulative, +Inf last and equal to _count.
QStringList histogramProblems(const Exposition &e)
{
    QStringList problems;
    for (auto it = e.types.cbegin(); it != e.types.cend(); ++it) {
        if (it.value() != u"histogram")
            continue;
        struct Series
        {
            QMap<QString, QString> labels; // without "le"
            QList<std::pair<double, double>> buckets; // le, count
        };
        QMap<QString, Series> series; // by the labels as text
        for (const Sample &s : e.samples) {
            if (s.name != it.key() + u"_bucket")
                continue;
            QMap<QString, QString> labels = s.labels;
            const QString le = labels.take(QStringLiteral("le"));
            QStringList key;
            for (auto l = labels.cbegin(); l != labels.cend(); ++l)
                key << l.key() + u'=' + l.value();
            Series &one = series[key.join(u',')];
            one.labels = labels;
            one.buckets.append({le == u"+Inf" ? qInf() : le.toDouble(), s.value});
        }
        for (const Series &one : std::as_const(series)) {
            const auto &buckets = one.buckets;
            for (qsizetype i = 1; i < buckets.size(); ++i) {
                if (buckets[i].first <= buckets[i - 1].first
                    || buckets[i].second < buckets[i - 1].second)
                    problems << it.key() + QStringLiteral(": buckets out of order");
            }
            if (buckets.isEmpty() || !qIsInf(buckets.last().first)
                || buckets.last().second != e.value(it.key() + u"_count", one.labels))
                problems << it.key() + QStringLiteral(": +Inf is not the count");
            if (e.value(it.key() + u"_sum", one.labels) < 0)
                problems << it.key() + QStringLiteral(": no sum");
        }
    }
    return problems;
}

} // namespace

class tst_ApiMetrics : public QObject, public ServerApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { setUpServer(); }
    void cleanup() { tearDownServer(); }

    void formatAndCounts();
    void onlyLoopbackAndAllowed();
    void connectionsOverTheClientCapAreCountedAndSaid();
};

void tst_ApiMetrics::formatAndCounts()
{
    const Reply created = create(); // a sign-up, sent
    const QString id = created.string(u"id");
    const QString wrong = created.string(u"demo_code") == u"000000" ? QStringLiteral("111111")
                                                                    : QStringLiteral("000000");
    QCOMPARE(check(id, wrong).status, 422);
    QCOMPARE(create().status, 429); // the cooldown
    QCOMPARE(check(id, created.string(u"demo_code")).status, 200);
    QCOMPARE(create(QStringLiteral("+919876500001"),
                    {{QStringLiteral("flow"), QStringLiteral("signin")}, // silent
                     {QStringLiteral("channel"), QStringLiteral("sms")}})
                 .status,
             201);
    QCOMPARE(call("GET", QStringLiteral("/v1/verifications/") + id).status, 200);
    QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200);

    const Reply r = call("GET", QStringLiteral("/metrics"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const Exposition e = parse(r.body);
    QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
    QVERIFY2(histogramProblems(e).isEmpty(), qPrintable(histogramProblems(e).join(u'\n')));

    QCOMPARE(e.types.value(QStringLiteral("waotp_http_request_duration_seconds")),
             QStringLiteral("histogram"));
    QCOMPARE(e.types.value(QStringLiteral("waotp_provider_request_duration_seconds")),
             QStringLiteral("histogram"));
    // The counts, as "name{key=value,...} count" (the silent send asked the provider nothing).
    const std::pair<const char *, double> expected[] = {
        {"waotp_verifications_started_total{channel=whatsapp}", 1},
        {"waotp_verifications_started_total{channel=sms}", 1},
        {"waotp_silent_sends_total{flow=signin}", 1},
        {"waotp_checks_total{result=wrong_code}", 1},
        {"waotp_checks_total{result=approved}", 1},
        {"waotp_rate_limited_total{scope=cooldown}", 1},
        {"waotp_tokens_issued_total{account=created}", 1},
        {"waotp_http_requests_total{route=/v1/verifications,status=201}", 2},
        {"waotp_http_requests_total{route=/v1/verifications/{id}/check,status=422}", 1},
        {"waotp_http_request_duration_seconds_count{route=/healthz}", 1},
        {"waotp_provider_request_duration_seconds_count{call=send}", 1},
    };
    for (const auto &[series, count] : expected) {
        const QString text = QString::fromLatin1(series);
        const qsizetype brace = text.indexOf(u'{');
        QMap<QString, QString> labels;
        const QStringList pairs = text.mid(brace + 1).chopped(1).split(u',');
        for (const QString &pair : pairs)
            labels.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
        QVERIFY2(e.value(text.left(brace), labels) == count, series);
    }
    QVERIFY(e.value(QStringLiteral("waotp_verifications")) >= 2);

    // No number, masked or not, and no verification id, in any label or anywhere.
    static const QRegularExpression digits(QStringLiteral("[0-9]{7,}"));
    for (const Sample &s : e.samples) {
        for (const QString &v : s.labels)
            QVERIFY2(!digits.match(v).hasMatch() && !v.contains(u'\u2022'), qPrintable(v));
    }
    QVERIFY(!r.body.contains("9876"));
    QVERIFY(!r.body.contains(id.toLatin1()));
}

void tst_ApiMetrics::onlyLoopbackAndAllowed()
{
    // Behind a trusted proxy, the client it names is judged.
    startServer([](ServerSettings &s) {
        s.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
    });
    const auto from = [this](const char *client) {
        return call("GET", QStringLiteral("/metrics"), {}, "application/json",
                    {{"X-Forwarded-For", client}});
    };
    Reply r = from("203.0.113.5");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.string(u"error"), QStringLiteral("forbidden"));
    QVERIFY(!r.body.contains("waotp_"));
    QCOMPARE(from("127.0.0.1").status, 200);
    QCOMPARE(call("GET", QStringLiteral("/metrics")).status, 200); // loopback itself

    startServer([](ServerSettings &s) {
        s.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
        s.metricsAllow = {QHostAddress::parseSubnet(QStringLiteral("203.0.113.0/24"))};
    });
    QCOMPARE(from("203.0.113.5").status, 200);
    QCOMPARE(from("198.51.100.7").status, 403);
    // A trusted proxy that names its client only in Forwarded (not read here): the socket's
    // loopback address would let anyone through.
    QCOMPARE(call("GET", QStringLiteral("/metrics"), {}, "application/json",
                  {{"Forwarded", "for=198.51.100.7"}})
                 .status,
             403);

    // A proxy that is not trusted forwards for someone: that may be anyone.
    startServer();
    QCOMPARE(from("127.0.0.1").status, 403);
    QCOMPARE(call("GET", QStringLiteral("/metrics"), {}, "application/json",
                  {{"Forwarded", "for=203.0.113.5"}})
                 .status,
             403);
    QCOMPARE(call("GET", QStringLiteral("/metrics")).status, 200);
}

void tst_ApiMetrics::connectionsOverTheClientCapAreCountedAndSaid()
{
    startServer([](ServerSettings &s) { s.http.maxConnectionsPerClient = 1; });
    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &message) { logged << message; });
    auto restore = qScopeGuard([previous] { qInstallMessageHandler(previous); });
    {
        RawHttpClient first, second, third;
        QVERIFY(first.connectTo(m_server->url().port()));
        QTRY_COMPARE(m_server->http().connectionCount(), 1);
        QVERIFY(second.connectTo(m_server->url().port()));
        QVERIFY(second.closedByServer(3000));
        QVERIFY(third.connectTo(m_server->url().port()));
        QVERIFY(third.closedByServer(3000));
    }
    // Said once at first (a client opening connections in a loop must not fill the log)...
    const auto said = [] { return logged.filter(QStringLiteral("max_connections_per_client")); };
    QCOMPARE(said().size(), 1);
    QVERIFY2(said().first().contains(u"refused 1 connection(s)")
                 && said().first().contains(u"from 127.0.0.1"),
             qPrintable(said().first()));
    // ...and the one refused since, once the interval has passed, though no other comes.
    m_clock->advance(std::chrono::milliseconds(9'000));
    QTest::qWait(800); // the server looks twice a second
    QCOMPARE(said().size(), 1);
    m_clock->advance(std::chrono::milliseconds(1'000));
    QTRY_COMPARE(said().size(), 2);
    QVERIFY2(said().last().contains(u"refused 1 connection(s)")
                 && said().last().contains(u"from 127.0.0.1"),
             qPrintable(said().last()));
    restore.dismiss();
    qInstallMessageHandler(previous);
    QTRY_COMPARE(m_server->http().connectionCount(), 0);

    const Reply r = call("GET", QStringLiteral("/metrics"));
    QCOMPARE(r.status, 200);
    QCOMPARE(parse(r.body).value(QStringLiteral("waotp_rate_limited_total"),
                                 {{QStringLiteral("scope"), QStringLiteral("client_connections")}}),
             2.0);
}

QTEST_GUILESS_MAIN(tst_ApiMetrics)
#include "tst_apimetrics.moc"
