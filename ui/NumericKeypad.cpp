#include "NumericKeypad.h"

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
        key->setMinimumSize(MinimumKeySize + 16, MinimumKeySize);
        key->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        key->setAutoRepeat(false);
        return key;
    };

    const QString layoutOrder = QStringLiteral("123456789");
    for (int i = 0; i < 9; ++i) {
        const QChar digit = layoutOrder.at(i);
        QPushButton *key = makeKey(QString(digit), QStringLiteral("keypadKey%1").arg(digit));
        key->setAccessibleName(QString(digit));
        connect(key, &QPushButton::clicked, this, [this, digit] { Q_EMIT digitPressed(digit); });
        grid->addWidget(key, i / 3, i % 3);
    }
    QPushButton *zero = makeKey(QStringLiteral("0"), QStringLiteral("keypadKey0"));
    zero->setAccessibleName(QStringLiteral("0"));
    connect(zero, &QPushButton::clicked, this, [this] { Q_EMIT digitPressed(QLatin1Char('0')); });
    grid->addWidget(zero, 3, 1);

    QPushButton *back = makeKey(QStringLiteral("\u232B"), QStringLiteral("keypadBackspace"));
    back->setAccessibleName(tr("Delete last digit"));
    back->setToolTip(tr("Delete last digit"));
    back->setAutoRepeat(true);
    connect(back, &QPushButton::clicked, this, &NumericKeypad::backspacePressed);
    grid->addWidget(back, 3, 2);
}

} // namespace waotp
