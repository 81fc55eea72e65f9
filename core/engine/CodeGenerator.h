#pragma once

#include <QString>

#include <cstdint>
#include <functional>

namespace waotp {

/// A source of uniformly distributed 32-bit words.
using RandomWords = std::function<std::uint32_t()>;

/// The number of digits in a one-time code.
inline constexpr int CodeLength = 6;

/// Draws a 6-digit code from @p random with rejection sampling, so every code from 000000 to
/// 999999 is equally likely (no modulo bias). Leading zeros are kept.
QString generateCode(const RandomWords &random);

/// Draws a 6-digit code from the operating system's CSPRNG (QRandomGenerator::system()).
QString generateCode();

/// True if @p code is exactly six ASCII digits.
bool isWellFormedCode(QStringView code);

} // namespace waotp
