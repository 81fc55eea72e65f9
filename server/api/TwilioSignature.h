#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace waotp::server {

/// The parameters of a form body, in the order sent.
using FormParams = QList<std::pair<QString, QString>>;

/// Reads an application/x-www-form-urlencoded body: "a=1&b=x+y" ('+' is a space, %XX a byte of
/// UTF-8). Pure; std::nullopt if a name is empty or the text is not UTF-8.
std::optional<FormParams> parseForm(QByteArrayView body);

/// The value of the first parameter called @p name, or an empty string.
QString formValue(const FormParams &params, QStringView name);

/// Twilio's X-Twilio-Signature of a POST to @p url with @p params: base64 of the HMAC-SHA1, keyed
/// with the account's @p authToken, of the URL followed by every parameter's name and value,
/// sorted by name (https://www.twilio.com/docs/usage/security#validating-requests).
QByteArray twilioSignature(QByteArrayView authToken, const QString &url, FormParams params);

/// True if @p signature is twilioSignature() of @p url, or of the same URL with its scheme's
/// default port written out or left out (as Twilio's own validators accept). Compared in
/// constant time.
bool isValidTwilioSignature(QByteArrayView signature, QByteArrayView authToken, const QString &url,
                            const FormParams &params);

} // namespace waotp::server
