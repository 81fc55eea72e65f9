#include "engine/CoreDumps.h"

#include "engine/Config.h"

#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

Q_LOGGING_CATEGORY(lcCoreDumps, "waotp.process", QtInfoMsg)

namespace waotp {

bool disableCoreDumps(QString *error)
{
    const auto failed = [error](const char *what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QLatin1String(what),
                                                  QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    };
    const struct rlimit none = {0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        return failed("setrlimit(RLIMIT_CORE, 0)");
#ifdef Q_OS_LINUX
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return failed("prctl(PR_SET_DUMPABLE, 0)");
#endif
    return true;
}

void disableCoreDumpsIfSecret(const AppConfig &config)
{
    if (config.secrets().isEmpty())
        return;
    QString error;
    if (!disableCoreDumps(&error))
        qCWarning(lcCoreDumps).noquote() << "cannot keep secrets out of core dumps:" << error;
}

} // namespace waotp
