// Secrets never reach a log: the redacting message handler the app installs, and the masking of
// phone numbers in texts that come from Twilio.
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
    void handlerRedacts();
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
