#include "network/serverclient/ServerCheck.h"

#include "network/serverclient/ServerAnswers.h"

#include <QJsonArray>

namespace waotp {

namespace {

// A public key a platform can verify the server's ES256 tokens with.
bool isSigningKey(const QJsonObject &key)
{
    return key.value(u"kty").toString() == u"EC" && key.value(u"crv").toString() == u"P-256"
        && !key.value(u"kid").toString().isEmpty() && !key.value(u"x").toString().isEmpty()
        && !key.value(u"y").toString().isEmpty() && !key.contains(u"d"); // never a private key
}

} // namespace

ServerCheck::ServerCheck(const QUrl &serverUrl, QNetworkAccessManager *nam, ServerTimings timings,
                         QObject *parent)
    : QObject(parent), m_http(nam, serverUrl, timings)
{ }

ServerCheck::~ServerCheck() = default;

void ServerCheck::start()
{
    m_http.send("GET", QStringLiteral("/readyz"), {},
                [this](const ServerReply &reply) { readyAnswered(reply); });
}

void ServerCheck::readyAnswered(const ServerReply &reply)
{
    const auto o = reply.answered() ? answerObject(reply.body) : std::nullopt;
    if (o)
        m_demo = isDemoAnswer(*o);
    if (reply.answered() && reply.status == 503 && o) {
        QStringList what;
        for (const QJsonValue &v : o->value(u"not_ready").toArray())
            what.append(v.toString().left(40));
        done(false,
             QStringLiteral("%1 answers but is not ready (%2)")
                 .arg(m_http.baseUrl().toDisplayString(),
                      what.isEmpty() ? QStringLiteral("no reason given")
                                     : what.join(QStringLiteral(", "))));
        return;
    }
    if (!reply.answered() || reply.status != 200 || !o) {
        const QString problem = serverProblem(reply);
        done(false,
             problem.isEmpty()
                 ? QStringLiteral("/readyz answered HTTP %1, not 200").arg(reply.status)
                 : problem);
        return;
    }
    m_http.send("GET", QStringLiteral("/.well-known/jwks.json"), {},
                [this](const ServerReply &keys) { keysAnswered(keys); });
}

void ServerCheck::keysAnswered(const ServerReply &reply)
{
    const auto o =
        reply.answered() && reply.status == 200 ? answerObject(reply.body) : std::nullopt;
    if (!o) {
        const QString problem = serverProblem(reply);
        done(false,
             QStringLiteral("no signing keys at /.well-known/jwks.json: %1")
                 .arg(problem.isEmpty() ? QStringLiteral("HTTP %1").arg(reply.status) : problem));
        return;
    }
    const QJsonArray keys = o->value(u"keys").toArray();
    for (const QJsonValue &key : keys) {
        if (!isSigningKey(key.toObject())) {
            done(false,
                 QStringLiteral("/.well-known/jwks.json holds a key that is not a public "
                                "P-256 signing key"));
            return;
        }
    }
    if (keys.isEmpty()) {
        done(false, QStringLiteral("/.well-known/jwks.json publishes no signing key"));
        return;
    }
    QString words = QStringLiteral("%1 is ready and publishes %2 signing key(s) at "
                                   "/.well-known/jwks.json")
                        .arg(m_http.baseUrl().toDisplayString())
                        .arg(keys.size());
    if (m_demo)
        words += QStringLiteral("; it is a demo server: it sends nothing, and no platform may "
                                "accept its tokens");
    done(true, words);
}

void ServerCheck::done(bool ok, const QString &words)
{
    Q_EMIT finished(ok, words);
}

} // namespace waotp
