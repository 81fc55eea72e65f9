#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QStringView>

namespace waotp::server {

/// Writes one JSON object straight into a QByteArray: the same bytes as QJsonDocument's
/// compact form of the QJsonObject with the same members (tst_jsonwriter compares them), at a
/// fraction of the cost. QJsonObject keeps its members sorted by name, so members must be
/// given in that order (checked in debug builds). Names given as `const char *` are plain
/// ASCII (letters, digits, '_'): they are written without escaping.
class JsonObjectWriter
{
public:
    /// @p reserve: the bytes the object is expected to take.
    explicit JsonObjectWriter(qsizetype reserve = 256);

    JsonObjectWriter &string(const char *name, QStringView value);
    /// A string given as Latin-1 (an id, a token, an ASCII code).
    JsonObjectWriter &string(const char *name, QLatin1StringView value);
    JsonObjectWriter &number(const char *name, qint64 value);
    JsonObjectWriter &boolean(const char *name, bool value);
    /// A value already in JSON form (written as it is).
    JsonObjectWriter &raw(const char *name, QByteArrayView json);
    /// Any value (a member of a QJsonObject); strings, booleans and integers written here,
    /// anything else by QJsonDocument.
    JsonObjectWriter &value(QStringView name, const QJsonValue &value);

    /// The object, closed. Once.
    QByteArray take();

private:
    void next(QByteArrayView name); // checks the order (debug builds)
    void name(const char *name);

    QByteArray m_out;
#ifndef QT_NO_DEBUG
    QByteArray m_last; // the last name, for the order
#endif
};

/// Appends @p text as a JSON string, escaped as QJsonDocument escapes it: '"', '\\' and the
/// control characters escaped (\b \f \n \r \t, else \u00XX), anything else as UTF-8, and a
/// lone surrogate as \uXXXX.
void appendJsonString(QByteArray &out, QStringView text);
void appendJsonString(QByteArray &out, QLatin1StringView text);
/// Appends @p value as QJsonDocument writes an integer.
void appendJsonNumber(QByteArray &out, qint64 value);

} // namespace waotp::server
