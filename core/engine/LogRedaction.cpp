#include "engine/LogRedaction.h"

#include "engine/CodeGenerator.h"
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
    CodesInLog codes = CodesInLog::Masked;
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
    CodesInLog codes = CodesInLog::Masked;
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker lock(&state().mutex);
        secrets = state().secrets;
        codes = state().codes;
        previous = state().previous;
    }
    QString clean = redactSecrets(message, secrets);
    if (codes == CodesInLog::Masked)
        clean = redactCodes(std::move(clean));
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

QString redactCodes(QString text)
{
    // A whole word (not the digits of a longer number, a SID or an E.164 number), also right
    // after a percent-encoded character, as in a form body ("is%20123456").
    static const QRegularExpression code(
        QStringLiteral("(?:\\b|(?<=%[0-9A-Fa-f]{2}))[0-9]{%1}\\b").arg(CodeLength));
    return text.replace(code, QString(CodeLength, QChar(0x2022)));
}

void installRedactingMessageHandler(const QStringList &secrets, CodesInLog codes)
{
    QMutexLocker lock(&state().mutex);
    state().secrets = secrets;
    state().codes = codes;
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
    state().codes = CodesInLog::Masked;
}

} // namespace waotp
