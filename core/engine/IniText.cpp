#include "engine/IniText.h"

#include "engine/Wipe.h"

namespace waotp {

namespace {

bool isLineEnd(QChar c)
{
    return c == u'\n' || c == u'\r';
}

/// Reads an INI text line by line, with the position of its cursor.
class IniReader
{
public:
    explicit IniReader(const QString &text) : m_text(text) { }

    IniText read()
    {
        while (m_at < m_text.size()) {
            ++m_line;
            readLine();
        }
        return std::move(m_out);
    }

private:
    QChar peek(qsizetype ahead = 0) const
    {
        return m_at + ahead < m_text.size() ? m_text.at(m_at + ahead) : QChar();
    }
    bool atLineEnd() const { return m_at >= m_text.size() || isLineEnd(m_text.at(m_at)); }

    /// Moves past the end of the current line (LF, CR LF or CR).
    void skipLineEnd()
    {
        if (peek() == u'\r')
            ++m_at;
        if (peek() == u'\n')
            ++m_at;
    }

    void skipSpaces()
    {
        while (!atLineEnd() && m_text.at(m_at).isSpace())
            ++m_at;
    }

    /// The rest of the line, the cursor then past its end.
    QString restOfLine()
    {
        const qsizetype start = m_at;
        while (!atLineEnd())
            ++m_at;
        const QString rest = m_text.sliced(start, m_at - start);
        skipLineEnd();
        return rest;
    }

    void problem(QStringList &list, const QString &what)
    {
        list.append(QStringLiteral("line %1: %2").arg(m_line).arg(what));
    }

    void readLine()
    {
        skipSpaces();
        const QChar first = peek();
        if (atLineEnd() || first == u';' || first == u'#') {
            restOfLine();
            return;
        }
        if (first == u'[') {
            readSection();
            return;
        }
        const qsizetype start = m_at;
        while (!atLineEnd() && m_text.at(m_at) != u'=')
            ++m_at;
        if (atLineEnd()) {
            problem(m_out.warnings, QStringLiteral("no '=', so it is ignored"));
            skipLineEnd();
            return;
        }
        const QString key = m_text.sliced(start, m_at - start).trimmed();
        ++m_at; // '='
        QString value;
        if (!readValue(&value))
            return;
        if (key.isEmpty()) {
            problem(m_out.warnings, QStringLiteral("a value without a key is ignored"));
            return;
        }
        m_out.values.insert(m_section.isEmpty() ? key : m_section + u'/' + key, value);
    }

    void readSection()
    {
        const QString line = restOfLine().trimmed();
        const qsizetype close = line.indexOf(u']');
        if (close < 0) {
            problem(m_out.errors, QStringLiteral("a section without its ']'"));
            return;
        }
        const QString name = line.sliced(1, close - 1).trimmed();
        m_section = name.compare(u"General", Qt::CaseInsensitive) == 0 ? QString() : name;
    }

    /// Reads a value up to the end of its line (or of the lines it continues on), the cursor then
    /// past it. False if it is unusable (the error is recorded).
    bool readValue(QString *out)
    {
        skipSpaces();
        QString value;
        qsizetype significant = 0; // the length without trailing unquoted spaces
        bool quoted = false;
        while (m_at < m_text.size()) {
            const QChar c = m_text.at(m_at);
            if (isLineEnd(c)) {
                if (quoted) {
                    problem(m_out.errors, QStringLiteral("a quote that is not closed"));
                    skipLineEnd();
                    return false;
                }
                break;
            }
            ++m_at;
            if (c == u'"') {
                quoted = !quoted;
                significant = value.size();
            } else if (c == u';' && !quoted) {
                restOfLine();
                break;
            } else if (c == u'\\') {
                readEscape(value);
                significant = value.size();
            } else {
                value.append(c);
                if (quoted || !c.isSpace())
                    significant = value.size();
            }
        }
        if (m_at < m_text.size() && isLineEnd(m_text.at(m_at)))
            skipLineEnd();
        value.truncate(significant);
        if (value.startsWith(u"@@"))
            value.remove(0, 1);
        *out = value;
        return true;
    }

    /// After a backslash: appends what it escapes to @p value.
    void readEscape(QString &value)
    {
        if (m_at >= m_text.size())
            return;
        const QChar c = m_text.at(m_at);
        if (isLineEnd(c)) { // continues on the next line
            ++m_line;
            skipLineEnd();
            return;
        }
        ++m_at;
        static const QString plain = QStringLiteral("\\\"'?");
        static const QString letters = QStringLiteral("abfnrtv");
        static const QString controls = QStringLiteral("\a\b\f\n\r\t\v");
        if (plain.contains(c)) {
            value.append(c);
        } else if (const qsizetype i = letters.indexOf(c); i >= 0) {
            value.append(controls.at(i));
        } else if (c == u'x') {
            value.append(QChar(char16_t(number(16, 4))));
        } else if (c >= u'0' && c <= u'7') {
            --m_at;
            value.append(QChar(char16_t(number(8, 3))));
        }
        // Any other escape is dropped, as QSettings drops it.
    }

    /// Up to @p maxDigits digits in @p base (8 or 16) at the cursor.
    uint number(uint base, int maxDigits)
    {
        uint n = 0;
        for (int i = 0; i < maxDigits && m_at < m_text.size(); ++i) {
            const char16_t c = m_text.at(m_at).toLower().unicode();
            uint digit = base;
            if (c >= u'0' && c <= u'9')
                digit = uint(c - u'0');
            else if (c >= u'a' && c <= u'f')
                digit = uint(c - u'a' + 10);
            if (digit >= base)
                break;
            n = n * base + digit;
            ++m_at;
        }
        return n;
    }

    const QString &m_text;
    qsizetype m_at = 0;
    int m_line = 0;
    QString m_section;
    IniText m_out;
};

} // namespace

IniText parseIni(QByteArrayView text)
{
    if (text.startsWith("\xEF\xBB\xBF"))
        text = text.sliced(3);
    QString decoded = QString::fromUtf8(text);
    IniText out = IniReader(decoded).read();
    wipe(decoded); // it holds the file's secrets
    return out;
}

} // namespace waotp
