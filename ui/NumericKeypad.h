#pragma once

#include <QChar>
#include <QWidget>

namespace waotp {

/// An on-screen keypad for kiosks: 1-9, 0 and a delete key, each at least 56 px square. Its
/// keys never take the focus, so the field being typed into keeps it.
class NumericKeypad : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MinimumKeySize = 56;

    explicit NumericKeypad(QWidget *parent = nullptr);

Q_SIGNALS:
    void digitPressed(QChar digit);
    void backspacePressed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    static void fitKey(QWidget *key);
};

} // namespace waotp
