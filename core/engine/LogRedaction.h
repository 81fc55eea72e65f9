#pragma once

#include <QString>
#include <QStringList>

namespace waotp {

/// The text that replaces a secret in a log line.
inline constexpr QStringView RedactedMarker = u"[redacted]";

/// Returns @p text with every occurrence of each of @p secrets replaced by "[redacted]".
/// Secrets shorter than 4 characters are ignored: they would mangle ordinary words.
QString redactSecrets(QString text, const QStringList &secrets);

/// Returns @p text with every phone number written in E.164 form ("+919876543210", also inside
/// "whatsapp:+919876543210") masked like PhoneNumber::masked(): country code and last four
/// digits only. Used on texts that come from Twilio (error messages quote the number).
QString redactPhoneNumbers(QString text);

/// Returns @p text with every word of CodeLength digits (the shape of a one-time code) replaced
/// by dots. A text can quote a code back: a Twilio error that quotes the message it refused.
QString redactCodes(QString text);

/// Whether the log may show one-time codes.
enum class CodesInLog {
    Masked, ///< every message goes through redactCodes(): live mode, and the default
    Shown, ///< demo mode, where the demo sender logs its code on purpose
};

/// Installs a Qt message handler that removes @p secrets (see redactSecrets()) and, unless
/// @p codes says otherwise, codes (redactCodes()) from every message and then passes it to the
/// handler that was installed before. Calling it again replaces the list of secrets and the
/// choice for codes; the handler is installed only once. Thread-safe: messages may come from any
/// thread.
void installRedactingMessageHandler(const QStringList &secrets,
                                    CodesInLog codes = CodesInLog::Masked);

/// Restores the message handler that was active before installRedactingMessageHandler().
void removeRedactingMessageHandler();

} // namespace waotp
