#include "network/LiveNetworkBackend.h"

#include "network/SenderFactory.h"
#include "network/redis/RedisCodeStore.h"
#include "network/serverclient/ServerCheck.h"
#include "network/serverclient/ServerVerificationBackend.h"
#include "network/twilio/TwilioOnlineCheck.h"

#include <QNetworkAccessManager>

namespace waotp {

namespace {

class LiveNetworkBackend final : public NetworkBackend
{
public:
    std::unique_ptr<CodeSender> makeLiveSender(const AppConfig &config, QString *error) override
    {
        auto sender = waotp::makeLiveSender(config, &m_nam);
        if (!sender && error)
            *error = QStringLiteral("cannot send with this configuration (run waotp "
                                    "--check-config)");
        return sender;
    }

    std::variant<std::unique_ptr<CodeStore>, QString> makeRedisStore(const QString &url) override
    {
        auto made = RedisCodeStore::create(url);
        if (auto *why = std::get_if<QString>(&made))
            return *why;
        return std::unique_ptr<CodeStore>(
            std::get<std::unique_ptr<RedisCodeStore>>(std::move(made)));
    }

    void checkOnline(const AppConfig &config, QObject *context,
                     std::function<void(bool ok, const QString &plainWords)> done) override
    {
        run(new OnlineCheck(config, &m_nam, &m_checks), context, std::move(done));
    }

    std::unique_ptr<RemoteVerificationBackend> makeServerBackend(const QUrl &serverUrl,
                                                                 const Clock &clock) override
    {
        return std::make_unique<ServerVerificationBackend>(serverUrl, clock, &m_nam);
    }

    void checkServer(const QUrl &serverUrl, QObject *context,
                     std::function<void(bool ok, const QString &plainWords)> done) override
    {
        run(new ServerCheck(serverUrl, &m_nam, {}, &m_checks), context, std::move(done));
    }

private:
    // Starts @p check; its answer goes to @p done unless @p context is gone first (then the
    // check, which has no one to answer, stops).
    template<class Check>
    static void run(Check *check, QObject *context,
                    std::function<void(bool ok, const QString &plainWords)> done)
    {
        QObject::connect(check, &Check::finished, context,
                         [check, done = std::move(done)](bool ok, const QString &words) {
                             check->deleteLater();
                             done(ok, words);
                         });
        QObject::connect(context, &QObject::destroyed, check, &QObject::deleteLater);
        check->start();
    }

    QNetworkAccessManager m_nam;
    QObject m_checks; // parent of the checks still running; declared after m_nam, gone before
};

} // namespace

std::unique_ptr<NetworkBackend> makeNetworkBackend()
{
    return std::make_unique<LiveNetworkBackend>();
}

} // namespace waotp
