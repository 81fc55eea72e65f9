#include "CodeExtraction.h"

#include <QList>

namespace waotp {

namespace {

constexpr int CodeLength = 6;
// Clipboard contents can be anything; a code is in the first few lines of a message.
constexpr qsizetype MaxScanned = 4096;

bool isGroupSeparator(QChar c)
{
    switch (c.unicode()) {
    case ' ':
    case '-':
    case 0x00A0: // no-break space
    case 0x2009: // thin space
    case 0x202F: // narrow no-break space
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2013: // en dash
        return true;
    default:
        return false;
    }
}

struct DigitRun
{
    qsizetype begin = 0; // index in the text
    qsizetype end = 0; // one past the last digit
    QString digits; // ASCII
};

QList<DigitRun> digitRuns(QStringView text)
{
    QList<DigitRun> runs;
    DigitRun current;
    bool inRun = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const int value = c.digitValue();
        if (c.isDigit() && value >= 0) {
            if (!inRun) {
                current = DigitRun {i, i, {}};
                inRun = true;
            }
            current.digits.append(QChar(u'0' + value));
            current.end = i + 1;
        } else if (inRun) {
            runs.append(current);
            inRun = false;
        }
    }
    if (inRun)
        runs.append(current);
    return runs;
}

bool onlySeparatorsBetween(QStringView text, qsizetype from, qsizetype to)
{
    if (to - from != 1) // one separator: "123 456", never "123   456" (two numbers in a sentence)
        return false;
    return isGroupSeparator(text.at(from));
}

} // namespace

std::optional<QString> extractCode(QStringView text)
{
    text = text.left(MaxScanned);
    const QList<DigitRun> runs = digitRuns(text);
    if (runs.isEmpty())
        return std::nullopt;

    // The whole text is a spaced-out code: "1 2 3 4 5 6", "12-34-56".
    {
        QString all;
        bool onlyDigitsAndSeparators = true;
        for (const QChar c : text.trimmed()) {
            if (c.isDigit() && c.digitValue() >= 0)
                all.append(QChar(u'0' + c.digitValue()));
            else if (!isGroupSeparator(c))
                onlyDigitsAndSeparators = false;
        }
        if (onlyDigitsAndSeparators)
            return all.size() == CodeLength ? std::optional<QString>(all) : std::nullopt;
    }

    // In a sentence: a run of exactly six digits, or two runs of three joined by one separator
    // ("123 456"), that is not part of a longer group of digits.
    std::optional<QString> found;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const DigitRun &run = runs.at(i);
        const bool joinedToPrevious =
            i > 0 && onlySeparatorsBetween(text, runs.at(i - 1).end, run.begin);
        const bool joinedToNext =
            i + 1 < runs.size() && onlySeparatorsBetween(text, run.end, runs.at(i + 1).begin);
        QString candidate;
        if (run.digits.size() == CodeLength && !joinedToPrevious && !joinedToNext) {
            candidate = run.digits;
        } else if (run.digits.size() == CodeLength / 2 && joinedToNext && !joinedToPrevious
                   && runs.at(i + 1).digits.size() == CodeLength / 2) {
            const bool nextJoinedFurther = i + 2 < runs.size()
                && onlySeparatorsBetween(text, runs.at(i + 1).end, runs.at(i + 2).begin);
            if (!nextJoinedFurther)
                candidate = run.digits + runs.at(i + 1).digits;
        }
        if (candidate.isEmpty())
            continue;
        if (found && *found != candidate)
            return std::nullopt; // two different codes: refuse to guess
        found = candidate;
    }
    return found;
}

} // namespace waotp
