#include "server/JsonWriter.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cstring>

namespace waotp::server {

namespace {

constexpr char Hex[] = "0123456789abcdef";

// The letter of an ASCII character's short escape (\" \\ \b \f \n \r \t), 0 if it has none.
char shortEscape(char16_t u)
{
    switch (u) {
    case u'"':
        return '"';
    case u'\\':
        return '\\';
    case u'\b':
        return 'b';
    case u'\f':
        return 'f';
    case u'\n':
        return 'n';
    case u'\r':
        return 'r';
    case u'\t':
        return 't';
    default:
        return 0;
    }
}

bool plainAscii(char16_t u)
{
    return u >= 0x20 && u < 0x80 && u != u'"' && u != u'\\';
}

// The bytes an ASCII character takes in a JSON string.
qsizetype asciiSize(char16_t u)
{
    return plainAscii(u) ? 1 : shortEscape(u) ? 2 : 6;
}

char *writeUnicodeEscape(char *p, char16_t u) // \uXXXX, lowercase as QJsonDocument writes it
{
    *p++ = '\\';
    *p++ = 'u';
    *p++ = Hex[(u >> 12) & 0xf];
    *p++ = Hex[(u >> 8) & 0xf];
    *p++ = Hex[(u >> 4) & 0xf];
    *p++ = Hex[u & 0xf];
    return p;
}

char *writeAscii(char *p, char16_t u)
{
    if (plainAscii(u)) {
        *p++ = char(u);
    } else if (const char e = shortEscape(u)) {
        *p++ = '\\';
        *p++ = e;
    } else {
        p = writeUnicodeEscape(p, u);
    }
    return p;
}

bool pairAt(QStringView text, qsizetype i) // a high surrogate at i, a low one after it
{
    return QChar::isHighSurrogate(text[i].unicode()) && i + 1 < text.size()
        && QChar::isLowSurrogate(text[i + 1].unicode());
}

// Grows @p out by @p size bytes and gives where they start.
char *grow(QByteArray &out, qsizetype size)
{
    const qsizetype at = out.size();
    out.resize(at + size);
    return out.data() + at;
}

// How many characters from the start of @p text go as they are.
template<typename Unit> qsizetype plainPrefix(const Unit *text, qsizetype size)
{
    qsizetype i = 0;
    while (i < size && plainAscii(char16_t(text[i])))
        ++i;
    return i;
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    // Ids, numbers, codes and names: printable ASCII, straight through.
    const char16_t *units = text.utf16();
    if (plainPrefix(units, text.size()) == text.size()) {
        char *p = grow(out, text.size() + 2);
        *p++ = '"';
        for (qsizetype i = 0; i < text.size(); ++i)
            p[i] = char(units[i]);
        p[text.size()] = '"';
        return;
    }
    qsizetype size = 2;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u < 0x80) {
            size += asciiSize(u);
        } else if (u < 0x800) {
            size += 2;
        } else if (!QChar::isSurrogate(u)) {
            size += 3;
        } else if (pairAt(text, i)) {
            size += 4;
            ++i;
        } else {
            size += 6;
        }
    }
    char *p = grow(out, size);
    *p++ = '"';
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u < 0x80) {
            p = writeAscii(p, u);
        } else if (u < 0x800) {
            *p++ = char(0xc0 | (u >> 6));
            *p++ = char(0x80 | (u & 0x3f));
        } else if (!QChar::isSurrogate(u)) {
            *p++ = char(0xe0 | (u >> 12));
            *p++ = char(0x80 | ((u >> 6) & 0x3f));
            *p++ = char(0x80 | (u & 0x3f));
        } else if (pairAt(text, i)) {
            const char32_t c = QChar::surrogateToUcs4(u, text[i + 1].unicode());
            *p++ = char(0xf0 | (c >> 18));
            *p++ = char(0x80 | ((c >> 12) & 0x3f));
            *p++ = char(0x80 | ((c >> 6) & 0x3f));
            *p++ = char(0x80 | (c & 0x3f));
            ++i;
        } else {
            p = writeUnicodeEscape(p, u); // not UTF-16: QJsonDocument escapes it as it is
        }
    }
    *p = '"';
}

void appendJsonString(QByteArray &out, QLatin1StringView text)
{
    if (plainPrefix(reinterpret_cast<const uchar *>(text.data()), text.size()) == text.size()) {
        char *p = grow(out, text.size() + 2);
        *p++ = '"';
        if (!text.isEmpty())
            std::memcpy(p, text.data(), std::size_t(text.size()));
        p[text.size()] = '"';
        return;
    }
    qsizetype size = 2;
    for (const char c : text) {
        const auto u = char16_t(uchar(c));
        size += u < 0x80 ? asciiSize(u) : 2;
    }
    char *p = grow(out, size);
    *p++ = '"';
    for (const char c : text) {
        const auto u = char16_t(uchar(c));
        if (u < 0x80) {
            p = writeAscii(p, u);
        } else {
            *p++ = char(0xc0 | (u >> 6));
            *p++ = char(0x80 | (u & 0x3f));
        }
    }
    *p = '"';
}

void appendJsonNumber(QByteArray &out, qint64 value)
{
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end - digits);
}

JsonObjectWriter::JsonObjectWriter(qsizetype reserve)
{
    m_out.reserve(reserve);
    m_out += '{';
}

void JsonObjectWriter::next([[maybe_unused]] QByteArrayView name)
{
#ifndef QT_NO_DEBUG
    Q_ASSERT_X(m_last.isNull() || m_last < name, "JsonObjectWriter",
               "members out of QJsonObject's order");
    m_last = name.toByteArray();
#endif
}

void JsonObjectWriter::name(const char *name)
{
    next(name);
    // A plain ASCII name: nothing to escape. ',' before any member but the first.
    const auto length = qsizetype(std::strlen(name));
    const bool first = m_out.size() == 1;
    char *p = grow(m_out, length + (first ? 3 : 4));
    if (!first)
        *p++ = ',';
    *p++ = '"';
    std::memcpy(p, name, std::size_t(length));
    p += length;
    *p++ = '"';
    *p = ':';
}

JsonObjectWriter &JsonObjectWriter::string(const char *name, QStringView value)
{
    this->name(name);
    appendJsonString(m_out, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::string(const char *name, QLatin1StringView value)
{
    this->name(name);
    appendJsonString(m_out, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::number(const char *name, qint64 value)
{
    this->name(name);
    appendJsonNumber(m_out, value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::boolean(const char *name, bool value)
{
    this->name(name);
    m_out += value ? "true" : "false";
    return *this;
}

JsonObjectWriter &JsonObjectWriter::raw(const char *name, QByteArrayView json)
{
    this->name(name);
    m_out += json;
    return *this;
}

JsonObjectWriter &JsonObjectWriter::value(QStringView name, const QJsonValue &value)
{
#ifndef QT_NO_DEBUG
    next(name.toUtf8());
#endif
    if (m_out.size() > 1)
        m_out += ',';
    appendJsonString(m_out, name);
    m_out += ':';
    if (value.isString()) {
        appendJsonString(m_out, value.toString());
    } else if (value.isBool()) {
        m_out += value.toBool() ? "true" : "false";
    } else if (QCborValue::fromJsonValue(value).isInteger()) {
        appendJsonNumber(m_out, value.toInteger());
    } else { // a double, an array, an object, null: QJsonDocument's own form
        const QByteArray array = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
        m_out += QByteArrayView(array).sliced(1, array.size() - 2); // without [ and ]
    }
    return *this;
}

QByteArray JsonObjectWriter::take()
{
    m_out += '}';
    QByteArray out = std::move(m_out);
    m_out = QByteArray();
    return out;
}

} // namespace waotp::server
