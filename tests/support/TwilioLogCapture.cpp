#include "TwilioLogCapture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QMutexLocker>

namespace waotp::test {

namespace {

struct State
{
    QMutex mutex;
    QStringList messages;
    QtMessageHandler previous = nullptr;
    QLoggingCategory::CategoryFilter previousFilter = nullptr;
    std::unique_ptr<QFile> file;
    bool installed = false;
};

State &state()
{
    static State s;
    return s;
}

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    State &s = state();
    {
        QMutexLocker lock(&s.mutex);
        const QString line = QStringLiteral("%1: %2").arg(
            QString::fromLatin1(context.category ? context.category : "default"), message);
        s.messages.append(line);
        if (s.file) {
            s.file->write(line.toUtf8() + '\n');
            s.file->flush();
        }
    }
    if (type != QtDebugMsg && s.previous)
        s.previous(type, context, message);
}

void enableAppDebug(QLoggingCategory *category)
{
    if (state().previousFilter)
        state().previousFilter(category);
    // The scan must see what a debug build would log too.
    if (qstrncmp(category->categoryName(), "waotp", 5) == 0)
        category->setEnabled(QtDebugMsg, true);
}

} // namespace

void TwilioLogCapture::install()
{
    State &s = state();
    {
        QMutexLocker lock(&s.mutex);
        if (s.installed)
            return;
        s.installed = true;
        const QString dir = qEnvironmentVariable("WAOTP_TEST_LOG_DIR");
        if (!dir.isEmpty() && QDir().mkpath(dir)) {
            s.file = std::make_unique<QFile>(
                QDir(dir).filePath(QCoreApplication::applicationName() + QStringLiteral(".log")));
            if (!s.file->open(QIODevice::WriteOnly | QIODevice::Truncate))
                s.file.reset();
        }
    }
    s.previous = qInstallMessageHandler(capture);
    s.previousFilter = QLoggingCategory::installFilter(enableAppDebug);
}

QStringList TwilioLogCapture::messages()
{
    QMutexLocker lock(&state().mutex);
    return state().messages;
}

void TwilioLogCapture::clear()
{
    QMutexLocker lock(&state().mutex);
    state().messages.clear();
}

} // namespace waotp::test
