#include "engine/LogRedaction.h"

#include "engine/PhoneNumber.h"

#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>

namespace waotp {

namespace {

constexpr qsizetype MinSecretLength = 4;

struct HandlerState
{
    QMutex mutex;
    QStringList secrets;
    QtMessageHandler previous = nullptr;
    bool installed = false;
};

HandlerState &state()
{
    static HandlerState s;
    return s;
}

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QStringList secrets;
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker lock(&state().mutex);
        secrets = state().secrets;
        previous = state().previous;
    }
    const QString clean = redactSecrets(message, secrets);
    // qInstallMessageHandler() returns Qt's default handler when none was installed, so there
    // always is a previous handler; the check only guards against a broken chain.
    if (previous)
        previous(type, context, clean);
}

} // namespace

QString redactSecrets(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (secret.size() >= MinSecretLength)
            text.replace(secret, RedactedMarker.toString());
    }
    return text;
}

QString redactPhoneNumbers(QString text)
{
    static const QRegularExpression e164(QStringLiteral("\\+[1-9][0-9]{6,14}"));
    QString out;
    qsizetype last = 0;
    for (auto it = e164.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        const QString digits = m.captured();
        const PhoneParseResult parsed = PhoneNumber::parse(digits, u"ZZ");
        if (parsed.ok())
            out += parsed.number->masked();
        else
            out += QString(u'+') + QString(digits.size() - 5, QChar(0x2022)) + digits.right(4);
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

void installRedactingMessageHandler(const QStringList &secrets)
{
    QMutexLocker lock(&state().mutex);
    state().secrets = secrets;
    if (state().installed)
        return;
    state().installed = true;
    state().previous = qInstallMessageHandler(redactingHandler);
}

void removeRedactingMessageHandler()
{
    QMutexLocker lock(&state().mutex);
    if (!state().installed)
        return;
    qInstallMessageHandler(state().previous);
    state().previous = nullptr;
    state().installed = false;
    state().secrets.clear();
}

} // namespace waotp
