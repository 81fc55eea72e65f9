#include "engine/CodeGenerator.h"

#include <QRandomGenerator>

namespace waotp {

namespace {
constexpr std::uint32_t CodeSpace = 1'000'000;
// The largest multiple of CodeSpace that fits in 32 bits; words at or above it are redrawn.
constexpr std::uint64_t AcceptLimit = (std::uint64_t(1) << 32) / CodeSpace * CodeSpace;
} // namespace

QString generateCode(const RandomWords &random)
{
    std::uint32_t word = random();
    while (word >= AcceptLimit)
        word = random();
    return QStringLiteral("%1").arg(word % CodeSpace, CodeLength, 10, QLatin1Char('0'));
}

QString generateCode()
{
    return generateCode([] { return QRandomGenerator::system()->generate(); });
}

bool isWellFormedCode(QStringView code)
{
    if (code.size() != CodeLength)
        return false;
    for (QChar c : code) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

} // namespace waotp
