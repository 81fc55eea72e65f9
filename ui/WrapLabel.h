#pragma once

#include <QLabel>

#include <array>

namespace waotp {

/// A word-wrapped QLabel that remembers the heights it computed. A layout asks a wrapped label
/// for its height at a given width many times while it settles (QLabel lays the text out again
/// for every question); this one shapes the text once per width and answers again from memory
/// until its text, font, margins or alignment change.
class WrapLabel : public QLabel
{
    Q_OBJECT
public:
    explicit WrapLabel(QWidget *parent = nullptr);
    explicit WrapLabel(const QString &text, QWidget *parent = nullptr);

    int heightForWidth(int width) const override;

protected:
    /// Lays the text out for @p width (QLabel's answer); called once per remembered width.
    virtual int layoutHeightForWidth(int width) const;

private:
    // What QLabel's wrapped height depends on (besides the width).
    struct Inputs
    {
        QString text;
        QFont font;
        QMargins contents;
        int margin = 0;
        int indent = 0;
        Qt::Alignment alignment;
        Qt::TextFormat format = Qt::AutoText;
        Qt::LayoutDirection direction = Qt::LeftToRight;
        bool wrap = true;

        bool operator==(const Inputs &) const = default;
    };
    Inputs currentInputs() const;

    struct Answer
    {
        int width = -1;
        int height = -1;
    };
    mutable Inputs m_inputs;
    mutable std::array<Answer, 4> m_answers {};
    mutable std::size_t m_nextAnswer = 0;
};

} // namespace waotp
