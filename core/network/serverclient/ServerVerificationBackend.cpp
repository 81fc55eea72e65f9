#include "network/serverclient/ServerVerificationBackend.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QScopeGuard>

Q_LOGGING_CATEGORY(lcServerClient, "waotp.serverclient", QtInfoMsg)

namespace waotp {

namespace {

using namespace std::chrono_literals;

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A language tag the server takes (a BCP 47 language and optional subtags); anything else is
// left out rather than refused.
bool isLocaleTag(const QString &locale)
{
    static const QRegularExpression form(
        QStringLiteral("^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$"));
    return form.match(locale).hasMatch();
}

QString verificationPath(const QByteArray &id, QStringView action = {})
{
    QString path = QStringLiteral("/v1/verifications/") + QString::fromLatin1(id);
    if (!action.isEmpty())
        path += u'/' + action.toString();
    return path;
}

bool isFinalDelivery(DeliveryStatus status)
{
    return status == DeliveryStatus::Read || status == DeliveryStatus::Failed
        || status == DeliveryStatus::Undelivered;
}

} // namespace

ServerVerificationBackend::ServerVerificationBackend(const QUrl &serverUrl, const Clock &clock,
                                                     QNetworkAccessManager *nam,
                                                     ServerTimings timings, QObject *parent)
    : RemoteVerificationBackend(parent), m_clock(clock), m_http(nam, serverUrl, timings)
{ }

ServerVerificationBackend::~ServerVerificationBackend()
{
    for (const Open &o : std::as_const(m_open))
        delete o.pollTimer;
}

// --- sending ------------------------------------------------------------------------------------

quint64 ServerVerificationBackend::requestCode(const PhoneNumber &number, Purpose purpose,
                                               Channel channel, const QString &locale)
{
    const Send send {m_nextId++, number, purpose, channel, locale};
    const auto it = m_open.constFind(number.e164());
    if (it != m_open.cend() && it->purpose == purpose) {
        resend(send, it->id);
    } else {
        cancel(number); // another purpose: that verification is over
        create(send);
    }
    return send.id;
}

void ServerVerificationBackend::create(const Send &send)
{
    QJsonObject body {
        {QStringLiteral("phone"), send.number.e164()},
        {QStringLiteral("flow"), apiFlowName(send.purpose)},
        {QStringLiteral("channel"), apiChannelName(send.channel)},
    };
    if (isLocaleTag(send.locale))
        body.insert(QStringLiteral("locale"), send.locale);
    if (!m_nonce.isEmpty())
        body.insert(QStringLiteral("nonce"), m_nonce);
    ++m_sendsOnTheirWay;
    m_http.send("POST", QStringLiteral("/v1/verifications"), json(body),
                [this, send](const ServerReply &reply) { sendAnswered(send, reply, {}); });
}

void ServerVerificationBackend::resend(const Send &send, const QByteArray &verificationId)
{
    const QJsonObject body {{QStringLiteral("channel"), apiChannelName(send.channel)}};
    ++m_sendsOnTheirWay;
    m_http.send("POST", verificationPath(verificationId, u"resend"), json(body),
                [this, send, verificationId](const ServerReply &reply) {
                    sendAnswered(send, reply, verificationId);
                });
}

void ServerVerificationBackend::sendAnswered(const Send &send, const ServerReply &reply,
                                             const QByteArray &resent)
{
    const bool wasResend = !resent.isEmpty();
    // A resend whose verification was cancelled meanwhile (the person went back): the server
    // had the DELETE, and its answer opens nothing again.
    const auto openNow = m_open.constFind(send.number.e164());
    const bool cancelled = wasResend && (openNow == m_open.cend() || openNow->id != resent);
    --m_sendsOnTheirWay;
    // After the answer is handled: a send the flow abandoned is cancelled (DELETE) from it.
    const auto after = qScopeGuard([this] { quitWaitIfDone(); });
    noticeAnswer(reply);
    SendOutcome out = sendOutcome(reply, m_clock.now());
    if (cancelled
        && (out.kind == SendOutcome::Kind::VerificationGone
            || out.kind == SendOutcome::Kind::Sent)) {
        // Gone because it was cancelled, or resent before the DELETE came: nothing to start
        // afresh or to open again (the flow, which no longer waits for it, ignores the answer).
        Q_EMIT codeRequested(send.id, send.number, out.result);
        return;
    }
    switch (out.kind) {
    case SendOutcome::Kind::VerificationGone:
        if (wasResend) {
            // Forgotten by the server (kept for a while after its code ended): start afresh.
            close(send.number.e164());
            create(send);
            return;
        }
        out.result.send.error = SendError::BadResponse;
        break;
    case SendOutcome::Kind::AccountMismatch:
        m_registrationHints = true; // only a server that gives hints says so
        Q_EMIT accountMismatch(send.id, send.number);
        return;
    case SendOutcome::Kind::Sent: {
        const ServerVerification &v = out.verification;
        if (v.phone != send.number.e164()) {
            out.result = {};
            out.result.status = CodeRequestResult::Status::SendFailed;
            out.result.send.error = SendError::BadResponse;
            out.result.send.detail =
                QStringLiteral("the verification server answered for another number");
            break;
        }
        schedulePoll(open(send.number, v, send.purpose), 0ms);
        if (v.attemptsLeft > 0)
            m_attemptsPerCode = v.attemptsLeft;
        if (v.demo && !v.demoCode.isEmpty())
            Q_EMIT codeShown(send.number, v.demoCode);
        Q_EMIT codeRequested(send.id, send.number, out.result);
        return;
    }
    case SendOutcome::Kind::Refused:
        break;
    }
    out.result.channel = send.channel;
    if (!out.result.send.detail.isEmpty())
        qCWarning(lcServerClient).noquote()
            << "no code sent to" << send.number.masked() << "-" << out.result.send.detail;
    Q_EMIT codeRequested(send.id, send.number, out.result);
}

// --- checking -----------------------------------------------------------------------------------

quint64 ServerVerificationBackend::checkCode(const PhoneNumber &number, const QString &code)
{
    const quint64 id = m_nextId++;
    const auto it = m_open.constFind(number.e164());
    if (it == m_open.cend()) {
        QTimer::singleShot(0, this, [this, id, number] {
            VerifyResult none;
            none.status = VerifyResult::Status::NoCode;
            Q_EMIT codeChecked(id, number, none);
        });
        return id;
    }
    const QJsonObject body {{QStringLiteral("code"), code}};
    m_http.send("POST", verificationPath(it->id, u"check"), json(body),
                [this, id, number](const ServerReply &reply) { checkAnswered(id, number, reply); });
    return id;
}

void ServerVerificationBackend::checkAnswered(quint64 id, const PhoneNumber &number,
                                              const ServerReply &reply)
{
    noticeAnswer(reply);
    CheckAnswer answer = checkAnswer(reply);
    if (answer.approval && answer.approval->phone != number.e164()) {
        answer.result = {};
        answer.result.providerError.error = SendError::BadResponse;
        answer.result.providerError.detail =
            QStringLiteral("the verification server approved another number");
        answer.approval.reset();
    }
    if (!answer.result.providerError.detail.isEmpty())
        qCWarning(lcServerClient).noquote() << "code not checked for" << number.masked() << "-"
                                            << answer.result.providerError.detail;
    if (answer.accountMismatch) {
        close(number.e164()); // the code is used up
        Q_EMIT accountMismatch(id, number);
        return;
    }
    if (answer.approval) {
        const ServerApproval &a = *answer.approval;
        m_lastToken = VerificationToken {
            number, a.accountCreated, a.accountId, a.token, m_clock.now() + a.expiresIn, a.demo};
        close(number.e164()); // used up
        Q_EMIT tokenIssued(*m_lastToken);
    }
    Q_EMIT codeChecked(id, number, answer.result);
}

// --- cancelling ---------------------------------------------------------------------------------

void ServerVerificationBackend::cancel(const PhoneNumber &number)
{
    const auto it = m_open.constFind(number.e164());
    if (it == m_open.cend())
        return;
    const QByteArray id = it->id;
    close(number.e164());
    deleteVerification(id);
}

void ServerVerificationBackend::deleteVerification(const QByteArray &id)
{
    auto handle = std::make_shared<quint64>(0);
    *handle = m_http.send("DELETE", verificationPath(id), {}, [this, handle](const ServerReply &) {
        m_cancels.remove(*handle);
        quitWaitIfDone();
    });
    m_cancels.insert(*handle);
}

void ServerVerificationBackend::quitWaitIfDone()
{
    if (m_cancelWait && m_cancels.isEmpty() && m_sendsOnTheirWay == 0)
        m_cancelWait->quit();
}

// Also for a send still on its way (the window closed while the first code was being asked
// for): its answer comes, the flow that abandoned it cancels it, and that DELETE is waited for.
void ServerVerificationBackend::finishCancellations(std::chrono::milliseconds limit)
{
    if (m_cancels.isEmpty() && m_sendsOnTheirWay == 0)
        return;
    QEventLoop loop;
    QTimer::singleShot(limit, &loop, &QEventLoop::quit);
    m_cancelWait = &loop;
    loop.exec();
    m_cancelWait = nullptr;
}

// --- accounts: the server did the account step when it approved the code ----------------------

void ServerVerificationBackend::findAccount(const PhoneNumber &, RegisteredAnswer answer)
{
    answer(std::nullopt); // not revealed (findsAccounts() is false: the flow doesn't ask)
}

void ServerVerificationBackend::createAccount(const PhoneNumber &number, AccountAnswer answer)
{
    if (!m_lastToken || m_lastToken->number != number)
        answer(AccountStore::Result::StorageError);
    else
        answer(m_lastToken->accountCreated ? AccountStore::Result::Ok
                                           : AccountStore::Result::AlreadyExists);
}

void ServerVerificationBackend::recordSignIn(const PhoneNumber &number, AccountAnswer answer)
{
    answer(m_lastToken && m_lastToken->number == number ? AccountStore::Result::Ok
                                                        : AccountStore::Result::StorageError);
}

// --- what the server is -------------------------------------------------------------------------

void ServerVerificationBackend::noticeAnswer(const ServerReply &reply)
{
    const auto o = reply.answered() ? answerObject(reply.body) : std::nullopt;
    if (!o)
        return;
    if (isDemoAnswer(*o))
        m_demo = true;
    if (hasRegistrationHints(*o))
        m_registrationHints = true;
    if (!m_known) {
        m_known = true;
        Q_EMIT serviceKnown(m_demo);
    }
}

void ServerVerificationBackend::probe()
{
    m_http.send("GET", QStringLiteral("/healthz"), {}, [this](const ServerReply &reply) {
        const bool known = m_known;
        noticeAnswer(reply);
        const auto o = reply.answered() ? answerObject(reply.body) : std::nullopt;
        if (!o || reply.status != 200) {
            const QString words = serverProblem(reply);
            Q_EMIT serviceUnreachable(
                words.isEmpty()
                    ? QStringLiteral("the verification server did not answer /healthz (HTTP %1)")
                          .arg(reply.status)
                    : words);
        } else if (known) {
            Q_EMIT serviceKnown(m_demo); // the probe always gets its answer
        }
    });
}

QByteArray ServerVerificationBackend::verificationId(const PhoneNumber &number) const
{
    return m_open.value(number.e164()).id;
}

// --- delivery, by long polls --------------------------------------------------------------------

ServerVerificationBackend::Open &ServerVerificationBackend::open(const PhoneNumber &number,
                                                                 const ServerVerification &v,
                                                                 Purpose purpose)
{
    const QString key = number.e164();
    Open &o = m_open[key];
    if (o.poll) {
        m_http.abort(o.poll);
        o.poll = 0;
    }
    if (!o.pollTimer) {
        o.pollTimer = new QTimer(this);
        o.pollTimer->setSingleShot(true);
        connect(o.pollTimer, &QTimer::timeout, this, [this, key] { poll(key); });
    }
    o.id = v.id;
    o.number = number;
    o.purpose = purpose;
    o.delivery = v.delivery;
    o.backoff = 0ms;
    o.expiresAt = m_clock.now() + v.expiresIn;
    return o;
}

void ServerVerificationBackend::close(const QString &e164)
{
    const auto it = m_open.find(e164);
    if (it == m_open.end())
        return;
    if (it->poll)
        m_http.abort(it->poll);
    delete it->pollTimer;
    m_open.erase(it);
}

void ServerVerificationBackend::schedulePoll(Open &o, std::chrono::milliseconds delay)
{
    o.pollTimer->start(delay);
}

void ServerVerificationBackend::poll(const QString &e164)
{
    const auto it = m_open.find(e164);
    if (it == m_open.end() || it->poll)
        return;
    const ServerTimings &t = m_http.timings();
    const qint64 wait = std::clamp<qint64>(t.pollWait.count(), 1, 30);
    QElapsedTimer started;
    started.start();
    ++m_pollCount;
    it->poll = m_http.send(
        "GET", verificationPath(it->id) + QStringLiteral("?wait=%1").arg(wait), {},
        std::chrono::seconds(wait) + t.pollSlack, [this, e164, started](const ServerReply &reply) {
            pollAnswered(e164, reply, std::chrono::milliseconds(started.elapsed()));
        });
}

void ServerVerificationBackend::pollAnswered(const QString &e164, const ServerReply &reply,
                                             std::chrono::milliseconds took)
{
    const auto it = m_open.find(e164);
    if (it == m_open.end())
        return;
    Open &o = *it;
    o.poll = 0;
    noticeAnswer(reply);
    if (reply.answered() && reply.status == 404)
        return; // gone (deleted elsewhere, or forgotten): nothing more to follow
    const auto answer =
        reply.answered() && reply.status == 200 ? answerObject(reply.body) : std::nullopt;
    const auto v = answer ? parseVerification(*answer) : std::nullopt;
    const ServerTimings &t = m_http.timings();
    if (!v || v->id != o.id) {
        // The server is down or answers nonsense: ask again later, less and less often, while
        // the code lives.
        if (m_clock.now() < o.expiresAt) {
            o.backoff = o.backoff == 0ms ? 1000ms : std::min(o.backoff * 2, t.maxPollBackoff);
            schedulePoll(o, o.backoff);
        }
        return;
    }
    o.backoff = 0ms;
    const bool changed = v->delivery != o.delivery;
    const bool over = v->status != u"pending" || isFinalDelivery(v->delivery);
    if (!over)
        schedulePoll(o, changed || took >= t.minPollInterval ? 0ms : t.minPollInterval - took);
    if (changed) {
        o.delivery = v->delivery;
        const PhoneNumber number = o.number; // the slot may close it
        Q_EMIT deliveryStatusChanged(number, v->delivery, v->deliveryError);
    }
}

} // namespace waotp
