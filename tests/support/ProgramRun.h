#pragma once

// Running the project's programs (waotp, waotp-server) from a test as a person runs them, cut
// off from the credentials, settings and data of the machine that runs the tests.

#include <QByteArray>
#include <QDebug>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

#include <chrono>
#include <functional>

namespace waotp::test {

/// What a program left when it ended.
struct ProgramRun
{
    int exitCode = -1; ///< -1: it did not start; -2: it crashed or was killed
    QByteArray out;
    QByteArray err;
};

/// An environment without the machine's credentials, settings or data: no TWILIO_*, WAOTP_* or
/// PG* (PostgreSQL's) variables, no QT_LOGGING_RULES (log lines are part of what is tested), HOME
/// and the XDG folders inside @p dir, offscreen; then @p extra on top.
inline QProcessEnvironment isolatedEnvironment(const QString &dir,
                                               const QHash<QString, QString> &extra = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"TWILIO_") || key.startsWith(u"WAOTP_") || key.startsWith(u"PG"))
            env.remove(key);
    }
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    env.insert(QStringLiteral("HOME"), dir + QStringLiteral("/home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir + QStringLiteral("/share"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

/// Runs @p program with @p args in @p env to its end, or kills it after @p limit. The event loop
/// runs meanwhile, so servers living in the test process (a fake Twilio) keep answering;
/// @p whileRunning is called once the program has started.
inline ProgramRun runProgram(const QString &program, const QStringList &args,
                             const QProcessEnvironment &env,
                             std::chrono::milliseconds limit = std::chrono::seconds(60),
                             const std::function<void(QProcess &)> &whileRunning = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    ProgramRun r;
    if (!p.waitForStarted())
        return r;
    if (whileRunning)
        whileRunning(p);
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, int(limit.count()))) {
        p.kill();
        p.waitForFinished();
        qWarning() << program << args << "did not finish";
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace waotp::test
