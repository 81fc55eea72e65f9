#pragma once

// Runs the app as main() does (runApplication(): the configuration, the wiring, the window and
// the exit status) inside the test process, offscreen, and drives its window from the event loop
// as a person would. It does what a run of the real binary cannot: type a wrong code, press
// Escape after a given error, and read every text the window shows.

#include "Announcer.h"
#include "Application.h"
#include "CommandLine.h"
#include "OtpCodeInput.h"
#include "VerificationDialog.h"
#include "engine/LogRedaction.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMutex>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <unistd.h>

namespace waotp::test {

/// What one run of the app left behind.
struct AppRunOutcome
{
    int exitCode = -1;
    QByteArray out; ///< what the app wrote to stdout
    QByteArray err; ///< what it wrote to stderr itself (its messages are in `messages`)
    QStringList messages; ///< every message it logged, debug ones included, as the log gets them
    QStringList shown; ///< the window's texts when the driver looked, and every announcement

    /// Everything above in one text, for scans.
    QString everything() const
    {
        return QString::fromLocal8Bit(out) + u'\n' + QString::fromLocal8Bit(err) + u'\n'
            + messages.join(u'\n') + u'\n' + shown.join(u'\n');
    }
};

/// Sends what is written to file descriptor @p fd (1 or 2) to a temporary file until finish().
class FdCapture
{
public:
    explicit FdCapture(int fd) : m_fd(fd)
    {
        std::fflush(stdout);
        std::fflush(stderr);
        if (!m_file.open())
            qFatal("cannot make a temporary file");
        m_saved = ::dup(fd);
        ::dup2(m_file.handle(), fd);
    }
    Q_DISABLE_COPY_MOVE(FdCapture)
    ~FdCapture() { finish(); }

    QByteArray finish()
    {
        if (m_saved < 0)
            return m_text;
        std::fflush(stdout);
        std::fflush(stderr);
        ::dup2(m_saved, m_fd);
        ::close(m_saved);
        m_saved = -1;
        m_file.seek(0);
        m_text = m_file.readAll();
        return m_text;
    }

private:
    int m_fd;
    int m_saved = -1;
    QTemporaryFile m_file;
    QByteArray m_text;
};

/// Where a run keeps its files: an empty private configuration file and a data directory of its
/// own. Making one also clears the machine's settings and credentials (TWILIO_*, WAOTP_*) from
/// the environment.
class AppRunPlace
{
public:
    AppRunPlace()
    {
        for (const QString &key : QProcessEnvironment::systemEnvironment().keys()) {
            if (key.startsWith(u"TWILIO_") || key.startsWith(u"WAOTP_"))
                qunsetenv(key.toLocal8Bit().constData());
        }
        QFile config(configFile());
        m_valid = m_dir.isValid() && config.open(QIODevice::WriteOnly | QIODevice::NewOnly)
            && config.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }

    bool isValid() const { return m_valid; }
    QString configFile() const { return m_dir.filePath(QStringLiteral("waotp.ini")); }
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    /// The options that keep a run here and in English, then @p extra.
    QStringList arguments(const QStringList &extra = {}) const
    {
        return QStringList {QStringLiteral("--config"),   configFile(),
                            QStringLiteral("--data-dir"), dataDir(),
                            QStringLiteral("--lang"),     QStringLiteral("en")}
        + extra;
    }

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};

/// Every text a person (or a screen reader) could get from @p root and its children: labels,
/// buttons, fields, tooltips, accessible names, descriptions and values, visible or not.
inline QStringList windowTexts(QWidget &root)
{
    QStringList texts {root.windowTitle()};
    QList<QWidget *> widgets = root.findChildren<QWidget *>();
    widgets.prepend(&root);
    for (QWidget *w : std::as_const(widgets)) {
        texts << w->toolTip() << w->accessibleName() << w->accessibleDescription() << w->statusTip()
              << w->whatsThis();
        if (auto *label = qobject_cast<QLabel *>(w))
            texts << label->text();
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            texts << button->text();
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            texts << edit->text() << edit->placeholderText();
        if (QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w)) {
            for (const QAccessible::Text t : {QAccessible::Name, QAccessible::Description,
                                              QAccessible::Value, QAccessible::Help})
                texts << a->text(t);
        }
    }
    texts.removeAll(QString());
    return texts;
}

/// True once a visible label of @p dialog shows a text containing @p words (within @p ms).
inline bool waitForLabel(VerificationDialog &dialog, QStringView words, int ms = 15000)
{
    return QTest::qWaitFor(
        [&] {
            const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
            return std::any_of(labels.cbegin(), labels.cend(), [&](const QLabel *label) {
                return label->isVisible() && label->text().contains(words);
            });
        },
        ms);
}

/// Types @p code into the code boxes key by key, as a keyboard would.
inline bool typeCode(VerificationDialog &dialog, const QString &code)
{
    auto *input = dialog.findChild<OtpCodeInput *>();
    if (!input || !QTest::qWaitFor([input] { return input->isVisible(); }, 10000))
        return false;
    for (const QChar digit : code) {
        QLineEdit *box = input->box(input->currentIndex());
        if (!box)
            return false;
        QTest::keyClick(box, char(digit.toLatin1()));
    }
    return true;
}

/// True once @p dialog has closed (within @p ms).
inline bool waitForClose(VerificationDialog &dialog, int ms = 10000)
{
    return QTest::qWaitFor([&dialog] { return !dialog.isVisible(); }, ms);
}

/// What --print-result prints for a new account of +91 98765 43210 verified in @p mode.
inline QByteArray signUpLine(QByteArrayView mode)
{
    return R"({"verified":true,"phone":"+919876543210","flow":"signup","account":"created",)"
           R"("mode":")"
        + mode.toByteArray() + "\"}\n";
}

/// Escape, where the keyboard focus is (it reaches the dialog if nothing takes it first).
inline void pressEscape(VerificationDialog &dialog)
{
    QWidget *focus = dialog.focusWidget();
    QTest::keyClick(focus ? focus : &dialog, Qt::Key_Escape);
}

/// Calls a function, from the event loop, once a VerificationDialog is first shown; until then
/// it sees every Show event of the application.
class DialogShownWatcher final : public QObject
{
public:
    explicit DialogShownWatcher(std::function<void(VerificationDialog &)> then)
        : m_then(std::move(then))
    {
        QCoreApplication::instance()->installEventFilter(this);
    }
    ~DialogShownWatcher() override { QCoreApplication::instance()->removeEventFilter(this); }
    bool seen() const { return m_seen; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        auto *dialog =
            event->type() == QEvent::Show ? qobject_cast<VerificationDialog *>(watched) : nullptr;
        if (dialog && !m_seen) {
            m_seen = true;
            m_then(*dialog);
        }
        return false;
    }

private:
    std::function<void(VerificationDialog &)> m_then;
    bool m_seen = false;
};

/// Runs the app's runApplication() with @p arguments (as after "waotp" on a command line) and
/// calls @p drive once its window is shown. @p drive closes the window, or leaves the app to end
/// the run itself. A failure in @p drive closes the window; a run that does not end within 60 s
/// fails the test.
class AppRun
{
public:
    using Driver = std::function<void(VerificationDialog &dialog, AppRunOutcome &outcome)>;

    static AppRunOutcome run(const QStringList &arguments, const Driver &drive)
    {
        AppRunOutcome outcome;
        const ParsedCommandLine parsed =
            parseCommandLine(QStringList {QStringLiteral("waotp")} + arguments);
        if (parsed.action != ParsedCommandLine::Action::Run) {
            qWarning() << "not a command line to run:" << parsed.text;
            return outcome;
        }

        // Every announcement from the first (before the event loop runs), then the driver.
        DialogShownWatcher watcher([&](VerificationDialog &dialog) {
            QObject::connect(dialog.announcer(), &Announcer::announced, &dialog,
                             [&outcome](const QString &text) { outcome.shown << text; });
            QTimer::singleShot(0, &dialog, [&] {
                drive(dialog, outcome);
                if (QTest::currentTestFailed() && dialog.isVisible())
                    dialog.reject();
            });
        });
        // A run that hangs ends, and fails the test, instead of the whole test run.
        QTimer watchdog;
        watchdog.setSingleShot(true);
        QObject::connect(&watchdog, &QTimer::timeout, [] {
            QTest::qFail("the app did not end within 60 s", __FILE__, __LINE__);
            QCoreApplication::exit(-3);
        });
        watchdog.start(60'000);

        s_messages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(capture);
        FdCapture out(STDOUT_FILENO);
        FdCapture err(STDERR_FILENO);
        auto &app = static_cast<QApplication &>(*QCoreApplication::instance());
        outcome.exitCode = runApplication(app, parsed.options);
        outcome.out = out.finish();
        outcome.err = err.finish();
        removeRedactingMessageHandler(); // runApplication() installed it over ours
        qInstallMessageHandler(previous);
        {
            QMutexLocker lock(&s_mutex);
            outcome.messages = s_messages;
        }
        if (!watcher.seen())
            qWarning("the window was never shown");
        return outcome;
    }

private:
    static void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
    {
        QMutexLocker lock(&s_mutex);
        s_messages << QStringLiteral("%1: %2").arg(QLatin1StringView(context.category), message);
    }

    static inline QMutex s_mutex;
    static inline QStringList s_messages;
};

} // namespace waotp::test
