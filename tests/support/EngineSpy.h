#pragma once

#include "engine/OtpEngine.h"

#include <QSignalSpy>
#include <QTest>

namespace waotp::test {

/// Synchronous wrappers over the engine's asynchronous calls, for tests.
inline CodeRequestResult requestAndWait(OtpEngine &engine, const PhoneNumber &number,
                                        Channel channel = Channel::WhatsApp,
                                        Purpose purpose = Purpose::SignIn)
{
    QSignalSpy spy(&engine, &OtpEngine::codeRequested);
    const quint64 id = engine.requestCode(number, purpose, channel);
    for (int waited = 0; waited < 100; ++waited) {
        for (const QList<QVariant> &args : spy) {
            if (args.at(0).toULongLong() == id)
                return args.at(2).value<CodeRequestResult>();
        }
        spy.wait(50);
    }
    qFatal("no codeRequested for request %llu", static_cast<unsigned long long>(id));
}

inline VerifyResult verifyAndWait(OtpEngine &engine, const PhoneNumber &number, const QString &code)
{
    QSignalSpy spy(&engine, &OtpEngine::codeChecked);
    const quint64 id = engine.verifyCode(number, code);
    for (int waited = 0; waited < 100; ++waited) {
        for (const QList<QVariant> &args : spy) {
            if (args.at(0).toULongLong() == id)
                return args.at(2).value<VerifyResult>();
        }
        spy.wait(50);
    }
    qFatal("no codeChecked for request %llu", static_cast<unsigned long long>(id));
}

/// A well-formed code that is not @p right.
inline QString wrongCode(QStringView right)
{
    return right == u"000000" ? QStringLiteral("000001") : QStringLiteral("000000");
}

inline PhoneNumber number(QStringView text)
{
    auto r = PhoneNumber::parse(text, u"IN");
    if (!r.ok())
        qFatal("test number does not parse");
    return *r.number;
}

} // namespace waotp::test
