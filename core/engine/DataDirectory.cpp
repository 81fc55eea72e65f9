#include "engine/DataDirectory.h"

#include <QDir>
#include <QFileInfo>

namespace waotp {

bool ensureDataDirectory(const QString &dir, QString *error)
{
    const QFileInfo info(dir);
    if (info.isDir())
        return true;
    if (info.exists()) {
        *error = QStringLiteral("the data directory %1 is a file").arg(dir);
        return false;
    }
    const QDir d(dir);
    if (!QDir().mkpath(QFileInfo(d.absolutePath()).absolutePath())
        || !QDir().mkdir(d.absolutePath(),
                         QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(dir);
        return false;
    }
    return true;
}

} // namespace waotp
