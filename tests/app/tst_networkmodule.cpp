// The network module as the app uses it. This test is linked like the waotp executable: the
// engine whole and exported (app/waotp.dynlist), the Twilio clients and the Redis store not at
// all, so every sender it gets comes from waotp-network.so. A sign-in goes through it end to
// end against the loopback fake Twilio.
#include "EngineSpy.h"
#include "FakeTwilioServer.h"
#include "NetworkModule.h"
#include "engine/MemoryCodeStore.h"
#include "engine/OtpEngine.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using waotp::test::FakeTwilioServer;
using waotp::test::HttpRequest;

class tst_NetworkModule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void signInThroughTheModule();
    void senderIsTheEnginesClass();
    void checkOnline();
    void redisStoreNeedsAValidUrl();
    void missingModule();
    void notAModule();
    void moduleOfAnotherBuild();

private:
    AppConfig liveConfig() const;
    std::unique_ptr<NetworkBackend> backend();

    FakeTwilioServer m_twilio;
};

void tst_NetworkModule::initTestCase()
{
    QVERIFY(m_twilio.listen());
}

AppConfig tst_NetworkModule::liveConfig() const
{
    AppConfig config;
    config.twilio = m_twilio.settings();
    return config;
}

std::unique_ptr<NetworkBackend> tst_NetworkModule::backend()
{
    QString error;
    auto made = loadNetworkBackend(QStringLiteral(WAOTP_NETWORK_MODULE), &error);
    if (!made)
        qWarning() << error;
    return made;
}

void tst_NetworkModule::signInThroughTheModule()
{
    const auto network = backend();
    QVERIFY(network);
    QString error;
    std::unique_ptr<CodeSender> sender = network->makeLiveSender(liveConfig(), &error);
    QVERIFY2(sender, qPrintable(error));
    QCOMPARE(sender->metaObject()->className(), "waotp::TwilioMessagesSender");

    SteadyClock clock;
    MemoryCodeStore store;
    OtpEngine engine(clock, store, CodeHasher(), *sender, OtpPolicy());
    const PhoneNumber number = test::number(u"9876543210");
    const CodeRequestResult sent = test::requestAndWait(engine, number);
    QCOMPARE(sent.status, CodeRequestResult::Status::Sent);

    const QList<HttpRequest> creates = m_twilio.messageCreates();
    QCOMPARE(creates.size(), 1);
    QCOMPARE(creates.first().formValue(QStringLiteral("To")),
             QStringLiteral("whatsapp:+919876543210"));
    static const QRegularExpression sixDigits(QStringLiteral("\\b(\\d{6})\\b"));
    const QString code =
        sixDigits.match(creates.first().formValue(QStringLiteral("Body"))).captured(1);
    QCOMPARE(code.size(), 6);

    QCOMPARE(test::verifyAndWait(engine, number, code).status, VerifyResult::Status::Verified);
}

void tst_NetworkModule::senderIsTheEnginesClass()
{
    // The module's senders derive from the engine's CodeSender. qobject_cast finds it only
    // while the module uses the executable's meta-object: this fails if the module is ever
    // linked with an engine of its own (a second copy of every class).
    const auto network = backend();
    QVERIFY(network);
    QString error;
    const std::unique_ptr<CodeSender> sender = network->makeLiveSender(liveConfig(), &error);
    QVERIFY2(sender, qPrintable(error));
    QObject *object = sender.get();
    QVERIFY(qobject_cast<CodeSender *>(object));
    QCOMPARE(object->metaObject()->superClass()->superClass(), &CodeSender::staticMetaObject);
}

void tst_NetworkModule::checkOnline()
{
    const auto network = backend();
    QVERIFY(network);
    bool done = false;
    bool ok = false;
    QString words;
    QObject context;
    network->checkOnline(liveConfig(), &context, [&](bool passed, const QString &plainWords) {
        done = true;
        ok = passed;
        words = plainWords;
    });
    QVERIFY(!done); // always later, from the event loop
    QTRY_VERIFY(done);
    QVERIFY2(ok, qPrintable(words));
    QVERIFY2(words.contains(FakeTwilioServer::accountSid()), qPrintable(words));
}

void tst_NetworkModule::redisStoreNeedsAValidUrl()
{
    const auto network = backend();
    QVERIFY(network);
    auto made = network->makeRedisStore(QStringLiteral("redis://127.0.0.1:notaport"));
    QVERIFY(std::holds_alternative<QString>(made));
    QVERIFY(!std::get<QString>(made).isEmpty());
}

void tst_NetworkModule::missingModule()
{
    QString error;
    QVERIFY(!loadNetworkBackend(QStringLiteral("/nonexistent/waotp-network.so"), &error));
    QCOMPARE(error,
             QStringLiteral("the network module /nonexistent/waotp-network.so is missing: "
                            "reinstall waotp"));
}

void tst_NetworkModule::notAModule()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("waotp-network.so"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a shared object");
    file.close();
    QString error;
    QVERIFY(!loadNetworkBackend(path, &error));
    QVERIFY2(error.startsWith(u"cannot load the network module: "), qPrintable(error));
}

void tst_NetworkModule::moduleOfAnotherBuild()
{
    QString error;
    QVERIFY(!loadNetworkBackend(QStringLiteral(WAOTP_STALE_NETWORK_MODULE), &error));
    QVERIFY2(error.contains(
                 u"belongs to another version or build of waotp (this is " WAOTP_ENGINE_VERSION
                 ")"),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_NetworkModule)
#include "tst_networkmodule.moc"
