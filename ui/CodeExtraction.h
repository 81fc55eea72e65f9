#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace waotp {

/// Finds the one 6-digit code in pasted text: "123456", "123 456", "123-456", "1 2 3 4 5 6",
/// "Your code is 123456. Do not share it." Any Unicode decimal digits count (an Arabic-Indic
/// code comes back as ASCII). Runs of more or fewer digits (phone numbers, "5 minutes") are not
/// codes; text with two different codes, or none, gives std::nullopt. Pure, for fuzzing.
std::optional<QString> extractCode(QStringView text);

} // namespace waotp
