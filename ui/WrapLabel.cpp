#include "WrapLabel.h"

namespace waotp {

WrapLabel::WrapLabel(QWidget *parent) : WrapLabel(QString(), parent) { }

WrapLabel::WrapLabel(const QString &text, QWidget *parent) : QLabel(text, parent)
{
    setWordWrap(true);
}

WrapLabel::Inputs WrapLabel::currentInputs() const
{
    return {text(),      font(),       contentsMargins(), margin(),  indent(),
            alignment(), textFormat(), layoutDirection(), wordWrap()};
}

int WrapLabel::heightForWidth(int width) const
{
    Inputs inputs = currentInputs();
    if (inputs != m_inputs) {
        m_inputs = std::move(inputs);
        m_answers.fill({});
    }
    for (const Answer &a : m_answers) {
        if (a.width == width)
            return a.height;
    }
    const int height = layoutHeightForWidth(width);
    m_answers[m_nextAnswer] = {width, height};
    m_nextAnswer = (m_nextAnswer + 1) % m_answers.size();
    return height;
}

int WrapLabel::layoutHeightForWidth(int width) const
{
    return QLabel::heightForWidth(width);
}

} // namespace waotp
