#include "Announcer.h"

#include <QAccessible>
#include <QWidget>

namespace waotp {

void Announcer::announce(QWidget *source, const QString &text)
{
    if (text.isEmpty())
        return;
    if (source) {
        // The source's accessible name carries the words (a label's name is its text); the
        // Alert makes a screen reader speak a widget that does not have focus.
        QAccessibleEvent nameChanged(source, QAccessible::NameChanged);
        QAccessible::updateAccessibility(&nameChanged);
        QAccessibleEvent alert(source, QAccessible::Alert);
        QAccessible::updateAccessibility(&alert);
    }
    Q_EMIT announced(text);
}

} // namespace waotp
