#pragma once

// A loopback stand-in for waotp-server's /v1/verifications API, for the client's tests: one
// verification at a time, answers shaped as the server's, and any answer replaced at will (a
// hang, a drop, a 5xx, an answer that is not JSON...).
#include "HttpTestServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <functional>
#include <optional>

namespace waotp::test {

class FakeVerificationApi
{
public:
    using Override = std::function<std::optional<HttpResponse>(const HttpRequest &)>;

    FakeVerificationApi()
    {
        m_http.setHandler([this](const HttpRequest &r) { return handle(r); });
    }

    bool listen() { return m_http.listen(); }
    QUrl url() const { return m_http.baseUrl(); }
    HttpTestServer &http() { return m_http; }

    /// Answers with @p override's response when it gives one.
    void setOverride(Override override) { m_override = std::move(override); }

    // What the next answers say.
    QString code = QStringLiteral("123456");
    int expiresIn = 300;
    int resendIn = 30;
    int attempts = 5;
    QString delivery = QStringLiteral("queued");
    int deliveryError = 0;
    QString status = QStringLiteral("pending");
    QJsonObject extra; ///< added to every answer (e.g. "demo": true)
    std::chrono::milliseconds pollDelay {0}; ///< a GET ?wait= is answered this late
    QByteArray id = "VE_fake-1";

    /// The requests received whose method is @p method and whose path ends with @p suffix.
    QList<HttpRequest> requests(const QByteArray &method, const QString &suffix = {}) const
    {
        QList<HttpRequest> out;
        for (const HttpRequest &r : m_http.requests()) {
            if (r.method == method && r.path().endsWith(suffix))
                out.append(r);
        }
        return out;
    }
    static QJsonObject body(const HttpRequest &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }

    QJsonObject shape(const QString &channel) const
    {
        QJsonObject o = extra;
        o.insert(QStringLiteral("id"), QString::fromLatin1(id));
        o.insert(QStringLiteral("phone"), m_phone);
        o.insert(QStringLiteral("channel"), channel);
        o.insert(QStringLiteral("flow"), m_flow);
        o.insert(QStringLiteral("status"), status);
        o.insert(QStringLiteral("delivery"), delivery);
        o.insert(QStringLiteral("expires_in"), expiresIn);
        o.insert(QStringLiteral("resend_in"), resendIn);
        o.insert(QStringLiteral("attempts_left"), attempts);
        if (deliveryError)
            o.insert(QStringLiteral("delivery_error"), deliveryError);
        return o;
    }

    static HttpResponse error(int httpStatus, const QString &code, QJsonObject more = {},
                              int retryAfter = -1)
    {
        more.insert(QStringLiteral("error"), code);
        more.insert(QStringLiteral("message"), QStringLiteral("words"));
        HeaderList headers;
        if (retryAfter >= 0) {
            more.insert(QStringLiteral("retry_after"), retryAfter);
            headers.append({"Retry-After", QByteArray::number(retryAfter)});
        }
        return HttpResponse::json(httpStatus, more, headers);
    }

private:
    HttpResponse handle(const HttpRequest &r)
    {
        if (m_override) {
            if (auto answer = m_override(r))
                return *answer;
        }
        const QString path = r.path();
        const QString prefix = QStringLiteral("/v1/verifications/") + QString::fromLatin1(id);
        if (r.method == "POST" && path == u"/v1/verifications") {
            const QJsonObject b = body(r);
            m_phone = b.value(u"phone").toString();
            m_flow = b.value(u"flow").toString();
            m_channel = b.value(u"channel").toString();
            return created();
        }
        if (r.method == "POST" && path == prefix + u"/resend") {
            m_channel = body(r).value(u"channel").toString(m_channel);
            return created();
        }
        if (r.method == "POST" && path == prefix + u"/check")
            return check(body(r).value(u"code").toString());
        if (r.method == "GET" && path == prefix) {
            HttpResponse answer = HttpResponse::json(200, withExtra(shape(m_channel)));
            if (QUrlQuery(QUrl(QString::fromLatin1(r.target)).query())
                    .hasQueryItem(QStringLiteral("wait")))
                answer.delay = pollDelay;
            return answer;
        }
        if (r.method == "DELETE" && path == prefix) {
            HttpResponse gone;
            gone.status = 204;
            return gone;
        }
        if (r.method == "GET" && path == u"/healthz")
            return HttpResponse::json(
                200, withExtra({{QStringLiteral("status"), QStringLiteral("ok")}}));
        return error(404, QStringLiteral("no_route"));
    }

    HttpResponse created()
    {
        delivery = QStringLiteral("queued");
        QJsonObject o = shape(m_channel);
        if (extra.value(u"demo").toBool())
            o.insert(QStringLiteral("demo_code"), code);
        return HttpResponse::json(201, o);
    }

    HttpResponse check(const QString &given)
    {
        if (given != code) {
            --attempts;
            return attempts > 0 ? error(422, QStringLiteral("wrong_code"),
                                        {{QStringLiteral("attempts_left"), attempts}})
                                : error(429, QStringLiteral("too_many_attempts"), {}, 0);
        }
        QJsonObject o = extra;
        o.insert(QStringLiteral("status"), QStringLiteral("approved"));
        o.insert(QStringLiteral("phone"), m_phone);
        o.insert(QStringLiteral("account"),
                 m_flow == u"signup" ? QStringLiteral("created") : QStringLiteral("existing"));
        o.insert(QStringLiteral("account_id"), QStringLiteral("acct-1"));
        o.insert(QStringLiteral("token"),
                 QStringLiteral("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        o.insert(QStringLiteral("expires_in"), 300);
        return HttpResponse::json(200, o);
    }

    QJsonObject withExtra(QJsonObject o) const
    {
        for (auto it = extra.begin(); it != extra.end(); ++it)
            o.insert(it.key(), it.value());
        return o;
    }

    HttpTestServer m_http;
    Override m_override;
    QString m_phone = QStringLiteral("+919876543210");
    QString m_flow = QStringLiteral("signup");
    QString m_channel = QStringLiteral("whatsapp");
};

} // namespace waotp::test
