#pragma once

// The fixture of the API tests (tst_apiflow, tst_apierrors, tst_apilimits): waotp-server on a
// free port of 127.0.0.1 in demo mode, the engine on a fake clock, and a real HTTP client
// (QNetworkAccessManager) to call it with.
#include "FakeClock.h"
#include "server/Server.h"
#include "server/api/VerificationApi.h"
#include "server/http/HttpServer.h"

#include "engine/DemoSender.h"
#include "engine/OtpEngine.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace waotp::test {

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QString string(QStringView key) const { return json.value(key).toString(); }
    int integer(QStringView key) const { return json.value(key).toInt(-1); }
};

/// The test classes derive from it and call setUpServer() from init(), tearDownServer() from
/// cleanup().
class ServerApiFixture
{
protected:
    using Tweak = std::function<void(server::ServerSettings &)>;

    void setUpServer()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<FakeClock>();
        m_nam = std::make_unique<QNetworkAccessManager>();
        startServer();
    }

    void tearDownServer()
    {
        m_nam.reset();
        m_server.reset();
        m_clock.reset();
    }

    void startServer(const Tweak &tweak = {})
    {
        using namespace std::chrono_literals;
        m_server.reset();
        server::ServerSetup setup;
        setup.demo = true;
        setup.settings.listenAddress = QHostAddress(QHostAddress::LocalHost);
        setup.settings.listenPort = 0;
        setup.settings.dataDir = m_dir->filePath(QStringLiteral("data"));
        setup.settings.signingKeyDir = m_dir->filePath(QStringLiteral("data/keys"));
        setup.settings.allowedCountries = {QStringLiteral("IN"), QStringLiteral("US")};
        setup.config.policy = m_policy;
        setup.config.store = m_store;
        if (!m_store.isEmpty())
            setup.config.storeSecret = "test-store-secret-0123456789abcdef";
        if (tweak)
            tweak(setup.settings);
        QString error;
        m_server = server::Server::create(setup, *m_clock, &error);
        QVERIFY2(m_server, qPrintable(error));
        QVERIFY2(m_server->start(&error), qPrintable(error));
        qobject_cast<DemoSender *>(&m_server->sender())->setStepDelay(20ms);
    }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QByteArray &contentType = "application/json",
               const server::HttpHeaders &headers = {})
    {
        QNetworkRequest request(QUrl(url() + path));
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
        Reply r;
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 40000)) {
            reply->abort();
            delete reply;
            return r;
        }
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        r.headers = reply->rawHeaderPairs();
        r.error = reply->error();
        delete reply;
        return r;
    }

    /// A sign-up of @p phone, unless @p more names another flow.
    Reply create(const QString &phone = QStringLiteral("+919876543210"),
                 const QJsonObject &more = {})
    {
        QJsonObject body = more;
        body.insert(QStringLiteral("phone"), phone);
        if (!body.contains(u"flow"))
            body.insert(QStringLiteral("flow"), QStringLiteral("signup"));
        return call("POST", QStringLiteral("/v1/verifications"), QJsonDocument(body).toJson());
    }

    Reply check(const QString &id, const QString &code)
    {
        return call("POST", QStringLiteral("/v1/verifications/%1/check").arg(id),
                    QJsonDocument(QJsonObject {{QStringLiteral("code"), code}}).toJson());
    }

    QString url() const { return m_server->url().toString(); }

    OtpPolicy m_policy; ///< the engine's, from the next startServer()
    QString m_store; ///< WAOTP_STORE from the next startServer(): empty for the process's memory
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeClock> m_clock;
    std::unique_ptr<server::Server> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

} // namespace waotp::test
