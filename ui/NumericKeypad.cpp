#include "NumericKeypad.h"

#include <QEvent>
#include <QGridLayout>
#include <QPushButton>

namespace waotp {

NumericKeypad::NumericKeypad(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("numericKeypad"));
    setAccessibleName(tr("Number keypad"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(8);

    auto makeKey = [this](const QString &label, const QString &name) {
        auto *key = new QPushButton(label, this);
        key->setObjectName(name);
        key->setProperty("keypadKey", true);
        key->setFocusPolicy(Qt::NoFocus);
        key->setAutoDefault(false);
        key->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        key->setAutoRepeat(false);
        key->installEventFilter(this);
        fitKey(key);
        return key;
    };

    const QString layoutOrder = QStringLiteral("123456789");
    for (int i = 0; i < 9; ++i) {
        const QChar digit = layoutOrder.at(i);
        QPushButton *key = makeKey(QString(digit), QStringLiteral("keypadKey%1").arg(digit));
        key->setAccessibleName(QString(digit));
        key->setAccessibleDescription(tr("Types %1").arg(digit));
        connect(key, &QPushButton::clicked, this, [this, digit] { Q_EMIT digitPressed(digit); });
        grid->addWidget(key, i / 3, i % 3);
    }
    QPushButton *zero = makeKey(QStringLiteral("0"), QStringLiteral("keypadKey0"));
    zero->setAccessibleName(QStringLiteral("0"));
    zero->setAccessibleDescription(tr("Types %1").arg(QLatin1Char('0')));
    connect(zero, &QPushButton::clicked, this, [this] { Q_EMIT digitPressed(QLatin1Char('0')); });
    grid->addWidget(zero, 3, 1);

    QPushButton *back = makeKey(QStringLiteral("\u232B"), QStringLiteral("keypadBackspace"));
    back->setAccessibleName(tr("Delete last digit"));
    back->setToolTip(tr("Delete last digit"));
    back->setAccessibleDescription(tr("Removes the digit before the cursor"));
    back->setAutoRepeat(true);
    connect(back, &QPushButton::clicked, this, &NumericKeypad::backspacePressed);
    grid->addWidget(back, 3, 2);
}

void NumericKeypad::fitKey(QWidget *key)
{
    // Touch targets of at least 56 px, growing with the digits' font.
    const QFontMetrics fm(key->font());
    key->setMinimumSize(std::max(MinimumKeySize + 16, fm.horizontalAdvance(QLatin1Char('0')) * 3),
                        std::max(MinimumKeySize, fm.height() + 24));
}

bool NumericKeypad::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FontChange && watched->isWidgetType())
        fitKey(static_cast<QWidget *>(watched));
    return QWidget::eventFilter(watched, event);
}

} // namespace waotp
