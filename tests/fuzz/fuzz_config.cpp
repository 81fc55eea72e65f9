// Fuzzes configuration loading: the INI file, the environment and the command-line overrides
// (loadConfig), and the report of `waotp --check-config` (describeConfig).
//
// Input: byte 0 says where the rest goes: bit 0 clear, an INI file (owner-only, as the app
// requires for secrets); bit 0 set, "KEY=VALUE" lines of the environment (bit 1 set: of the
// command-line overrides instead).
#include "FuzzSupport.h"
#include "engine/Config.h"
#include "engine/ConfigReport.h"

#include <QFile>
#include <QTemporaryDir>

using namespace waotp;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::ensureApplication();
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    static QTemporaryDir dir;
    static quint64 serial = 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    ConfigSource source;
    source.environment = QProcessEnvironment();
    QString path;
    if ((data[0] & 1) == 0) {
        // A fresh name per input, owner-only: a file with a secret that others may read is
        // refused before it is parsed.
        path = dir.filePath(QStringLiteral("waotp-%1.ini").arg(++serial));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            fuzz::fail("cannot write the configuration file");
        file.write(rest);
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        source.filePath = path;
    } else {
        // An empty file: a default path would read the fuzzing machine's own configuration.
        static const QString empty = [] {
            const QString p = dir.filePath(QStringLiteral("empty.ini"));
            QFile f(p);
            if (!f.open(QIODevice::WriteOnly))
                fuzz::fail("cannot write the empty configuration file");
            return p;
        }();
        source.filePath = empty;
        for (const QByteArray &line : rest.split('\n')) {
            const qsizetype eq = line.indexOf('=');
            if (eq <= 0)
                continue;
            const QString key = QString::fromUtf8(line.left(eq));
            const QString value = QString::fromUtf8(line.mid(eq + 1));
            if (data[0] & 2)
                source.overrides.insert(key, value);
            else
                source.environment.insert(key, value);
        }
    }

    const ConfigResult result = loadConfig(source);
    (void)describeConfig(result);
    (void)result.config.secrets();
    (void)result.config.mode();
    if (!path.isEmpty())
        QFile::remove(path);
    return 0;
}
