#pragma once

// The INI text of a configuration file, parsed from bytes already read (readOwnedFile()), so the
// file is never opened a second time by name.

#include <QByteArrayView>
#include <QMap>
#include <QString>
#include <QStringList>

namespace waotp {

/// The values of an INI text.
struct IniText
{
    /// "section/key" -> value; "key" for a key before any section or in [General].
    QMap<QString, QString> values;
    /// Problems that make the text unusable ("line 3: ..."): a section without its "]", a
    /// quote that is not closed.
    QStringList errors;
    /// Lines that are ignored ("line 7: ...").
    QStringList warnings;
};

/// Parses @p text the way QSettings reads an INI file, for what configuration files hold:
/// - UTF-8, with or without a byte order mark; lines end with LF, CR LF or CR.
/// - A line starting with ';' or '#' is a comment.
/// - "[section]" starts a section; its keys are "section/key". [General] (in any case) is the
///   top level.
/// - "key = value": both trimmed. In the value, text in double quotes is taken as it is; outside
///   quotes a ';' starts a comment; a backslash escapes (\\ \" \' \? \a \b \f \n \r \t \v, \x
///   and hexadecimal digits, octal digits; other escapes are dropped); a backslash at the end
///   of a line continues the value on the next line; a leading "@@" stands for "@". A comma is
///   part of the value (QSettings would make a list of it: the same text, joined by ", ").
/// - A key given twice: the last value counts.
IniText parseIni(QByteArrayView text);

} // namespace waotp
