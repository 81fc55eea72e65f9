// Which sender a configuration gets.
#include "network/SenderFactory.h"
#include "network/twilio/TwilioMessagesSender.h"
#include "network/twilio/TwilioVerifySender.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace waotp;

class tst_SenderFactory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoModeHasNoLiveSender();
    void messagesSender();
    void messagingServiceIsEnough();
    void smsFollowsTheSmsSender();
    void verifySender();
    void parentIsSet();

private:
    static AppConfig live()
    {
        AppConfig c;
        c.twilio.accountSid = QStringLiteral("AC00000000000000000000000000000000");
        c.twilio.authToken = QStringLiteral("test-auth-token-0000");
        c.twilio.whatsappFrom = QStringLiteral("+14155238886");
        return c;
    }
    QNetworkAccessManager m_nam;
};

void tst_SenderFactory::demoModeHasNoLiveSender()
{
    QCOMPARE(AppConfig().mode(), AppConfig::Mode::Demo);
    QTest::ignoreMessage(QtWarningMsg, "no Twilio credentials: no live sender");
    QVERIFY(!makeLiveSender(AppConfig(), &m_nam));
}

void tst_SenderFactory::messagesSender()
{
    auto sender = makeLiveSender(live(), &m_nam);
    QVERIFY(qobject_cast<TwilioMessagesSender *>(sender.get()));
    QVERIFY(!sender->generatesCodes());
    QVERIFY(!sender->isDemo());
}

void tst_SenderFactory::messagingServiceIsEnough()
{
    // A messaging service without a WhatsApp sender: the Messages API, from the service's pool.
    AppConfig c = live();
    c.twilio.whatsappFrom.clear();
    c.twilio.messagingServiceSid = QStringLiteral("MG00000000000000000000000000000000");
    auto sender = makeLiveSender(c, &m_nam);
    QVERIFY(qobject_cast<TwilioMessagesSender *>(sender.get()));
    QVERIFY(sender->supportsChannel(Channel::WhatsApp));
    c.twilio.messagingServiceSid.clear();
    QTest::ignoreMessage(QtWarningMsg,
                         "neither a WhatsApp sender, a messaging service nor a "
                         "Verify service configured");
    QVERIFY(!makeLiveSender(c, &m_nam));
}

void tst_SenderFactory::smsFollowsTheSmsSender()
{
    QVERIFY(!makeLiveSender(live(), &m_nam)->supportsChannel(Channel::Sms));
    AppConfig c = live();
    c.twilio.smsFrom = QStringLiteral("+15005550006");
    QVERIFY(makeLiveSender(c, &m_nam)->supportsChannel(Channel::Sms));
    c.twilio.verifyServiceSid = QStringLiteral("VA00000000000000000000000000000000");
    QVERIFY(makeLiveSender(c, &m_nam)->supportsChannel(Channel::Sms));
}

void tst_SenderFactory::verifySender()
{
    AppConfig c = live();
    c.twilio.whatsappFrom.clear();
    c.twilio.verifyServiceSid = QStringLiteral("VA00000000000000000000000000000000");
    auto sender = makeLiveSender(c, &m_nam);
    QVERIFY(qobject_cast<TwilioVerifySender *>(sender.get()));
    QVERIFY(sender->generatesCodes());
}

void tst_SenderFactory::parentIsSet()
{
    QObject parent;
    auto sender = makeLiveSender(live(), &m_nam, &parent);
    QCOMPARE(sender->parent(), &parent);
    sender.reset(); // leaves the parent's children
    QVERIFY(parent.children().isEmpty());
}

QTEST_GUILESS_MAIN(tst_SenderFactory)
#include "tst_senderfactory.moc"
