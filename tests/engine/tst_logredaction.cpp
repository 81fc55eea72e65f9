// Secrets and live codes never reach a log: the redacting message handler the app installs
// (codes masked unless in demo mode), and the masking of phone numbers in texts that come from
// Twilio.
#include "engine/LogRedaction.h"

#include <QMutex>
#include <QMutexLocker>
#include <QTest>
#include <QThread>

using namespace waotp;

namespace {
QMutex g_mutex;
QStringList g_seen;

void record(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_mutex);
    g_seen.append(message);
}

QStringList seen()
{
    QMutexLocker lock(&g_mutex);
    return g_seen;
}

const QString Token = QStringLiteral("test-auth-token-0000");
} // namespace

class tst_LogRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redactSecrets_data();
    void redactSecrets();
    void redactPhoneNumbers_data();
    void redactPhoneNumbers();
    void redactCodes_data();
    void redactCodes();
    void handlerRedacts();
    void handlerMasksCodesUnlessShown();
    void handlerRedactsOtherThreads();
    void handlerCanChangeItsSecrets();
    void removeRestores();
};

void tst_LogRedaction::redactSecrets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << QStringLiteral("auth test-auth-token-0000!") << QStringList {Token}
                         << QStringLiteral("auth [redacted]!");
    QTest::newRow("twice") << QStringLiteral("a b a") << QStringList {QStringLiteral("a b")}
                           << QStringLiteral("a b a"); // too short: ignored
    QTest::newRow("several") << QStringLiteral("xx secret1 yy secret2")
                             << QStringList {QStringLiteral("secret1"), QStringLiteral("secret2")}
                             << QStringLiteral("xx [redacted] yy [redacted]");
    QTest::newRow("empty secret") << QStringLiteral("hello") << QStringList {QString()}
                                  << QStringLiteral("hello");
}

void tst_LogRedaction::redactSecrets()
{
    QFETCH(QString, text);
    QFETCH(QStringList, secrets);
    QFETCH(QString, expected);
    QCOMPARE(waotp::redactSecrets(text, secrets), expected);
}

void tst_LogRedaction::redactPhoneNumbers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("indian") << QStringLiteral("The 'To' number +919876543210 is not valid.")
                            << QStringLiteral("The 'To' number +91 \u2022\u2022\u2022\u2022\u2022 "
                                              "\u20223210 is not valid.");
    QTest::newRow("whatsapp prefix")
        << QStringLiteral("whatsapp:+919876543210")
        << QStringLiteral("whatsapp:+91 \u2022\u2022\u2022\u2022\u2022 "
                          "\u20223210");
    QTest::newRow("us") << QStringLiteral("+14155238886 x")
                        << QStringLiteral("+1 \u2022\u2022\u2022-\u2022\u2022\u2022-8886 x");
    QTest::newRow("landline: last four only")
        << QStringLiteral("+442079460958")
        << QStringLiteral("+\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220958");
    QTest::newRow("error codes stay")
        << QStringLiteral("error 21211 (HTTP 400)") << QStringLiteral("error 21211 (HTTP 400)");
}

void tst_LogRedaction::redactPhoneNumbers()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(waotp::redactPhoneNumbers(text), expected);
}

void tst_LogRedaction::redactCodes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QString dots(6, QChar(0x2022));
    QTest::newRow("quoted message")
        << QStringLiteral("Twilio error 21619 (HTTP 400): Body 'Your Acme code is 984128. It "
                          "expires in 5 minutes.'")
        << QStringLiteral("Twilio error 21619 (HTTP 400): Body 'Your Acme code is %1. It "
                          "expires in 5 minutes.'")
               .arg(dots);
    QTest::newRow("leading zero") << QStringLiteral("012345") << dots;
    QTest::newRow("two") << QStringLiteral("123456,654321") << dots + u',' + dots;
    QTest::newRow("form body") << QStringLiteral("Body=code%20is%20123456&To=whatsapp")
                               << QStringLiteral("Body=code%20is%20%1&To=whatsapp").arg(dots);
    QTest::newRow("json") << QStringLiteral(R"({"code":"123456"})")
                          << QStringLiteral(R"({"code":"%1"})").arg(dots);
    // Not a code: longer or shorter numbers, numbers inside words and identifiers.
    QTest::newRow("e164") << QStringLiteral("+919876543210") << QStringLiteral("+919876543210");
    QTest::newRow("masked number")
        << QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210")
        << QStringLiteral("+91 \u2022\u2022\u2022\u2022\u2022 \u20223210");
    QTest::newRow("seven digits") << QStringLiteral("1234567") << QStringLiteral("1234567");
    QTest::newRow("error code") << QStringLiteral("error 21211") << QStringLiteral("error 21211");
    QTest::newRow("sid") << QStringLiteral("SMab123456cd") << QStringLiteral("SMab123456cd");
}

void tst_LogRedaction::redactCodes()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(waotp::redactCodes(text), expected);
}

void tst_LogRedaction::handlerMasksCodesUnlessShown()
{
    const QtMessageHandler before = qInstallMessageHandler(record);
    installRedactingMessageHandler({Token}); // live mode: codes masked
    g_seen.clear();
    qWarning("send failed: Twilio says 'Your code is 984128.'");
    installRedactingMessageHandler({Token}, CodesInLog::Shown); // demo mode
    qInfo("[demo] code for +91: 123456");
    removeRedactingMessageHandler();
    qInstallMessageHandler(before);
    QCOMPARE(seen(),
             (QStringList {QStringLiteral("send failed: Twilio says 'Your code is "
                                          "\u2022\u2022\u2022\u2022\u2022\u2022.'"),
                           QStringLiteral("[demo] code for +91: 123456")}));
}

void tst_LogRedaction::handlerRedacts()
{
    const QtMessageHandler before = qInstallMessageHandler(record);
    installRedactingMessageHandler({Token});
    g_seen.clear();
    qWarning("credentials %s", qPrintable(Token));
    qInfo().noquote() << "Basic" << Token;
    removeRedactingMessageHandler();
    qInstallMessageHandler(before);
    QCOMPARE(seen().size(), 2);
    for (const QString &line : seen()) {
        QVERIFY2(!line.contains(Token), qPrintable(line));
        QVERIFY(line.contains(u"[redacted]"));
    }
}

void tst_LogRedaction::handlerRedactsOtherThreads()
{
    const QtMessageHandler before = qInstallMessageHandler(record);
    installRedactingMessageHandler({Token});
    g_seen.clear();
    QThread *thread = QThread::create([] {
        for (int i = 0; i < 50; ++i)
            qWarning("worker %d %s", i, qPrintable(Token));
    });
    thread->start();
    for (int i = 0; i < 50; ++i)
        qWarning("main %d %s", i, qPrintable(Token));
    thread->wait();
    delete thread;
    removeRedactingMessageHandler();
    qInstallMessageHandler(before);
    QCOMPARE(seen().size(), 100);
    for (const QString &line : seen())
        QVERIFY2(!line.contains(Token), qPrintable(line));
}

void tst_LogRedaction::handlerCanChangeItsSecrets()
{
    const QtMessageHandler before = qInstallMessageHandler(record);
    installRedactingMessageHandler({QStringLiteral("first-secret")});
    installRedactingMessageHandler({QStringLiteral("second-secret")}); // replaces, not stacks
    g_seen.clear();
    qWarning("first-secret second-secret");
    removeRedactingMessageHandler();
    qInstallMessageHandler(before);
    QCOMPARE(seen(), QStringList {QStringLiteral("first-secret [redacted]")});
}

void tst_LogRedaction::removeRestores()
{
    const QtMessageHandler before = qInstallMessageHandler(record);
    installRedactingMessageHandler({Token});
    removeRedactingMessageHandler();
    g_seen.clear();
    qWarning("%s", qPrintable(Token)); // the handler is gone: the text is untouched
    qInstallMessageHandler(before);
    QCOMPARE(seen(), QStringList {Token});
}

QTEST_GUILESS_MAIN(tst_LogRedaction)
#include "tst_logredaction.moc"
