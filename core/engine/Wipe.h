#pragma once

// Overwriting the plain copies of secrets and codes once they are no longer needed, so that they
// do not linger in freed memory (a core dump, a swapped page, a later heap read).

#include <QByteArray>
#include <QString>

namespace waotp {

/// Overwrites the bytes of @p data with zeros in place, keeping its size, when @p data is their
/// only owner. Qt shares the bytes of copies (implicit sharing): bytes shared with another
/// QByteArray are left alone, as are bytes it does not own (fromRawData); their other owners
/// answer for them. True if the bytes were overwritten.
bool overwrite(QByteArray &data);
/// The same for the characters of @p text.
bool overwrite(QString &text);

/// overwrite(), then empties @p data.
void wipe(QByteArray &data);
/// overwrite(), then empties @p text.
void wipe(QString &text);

} // namespace waotp
