#include "Announcer.h"

#include <QAccessible>
#include <QWidget>

namespace waotp {

namespace {
Announcer::EventSink g_sink = &QAccessible::updateAccessibility;
} // namespace

void Announcer::setEventSink(EventSink sink)
{
    g_sink = sink ? sink : &QAccessible::updateAccessibility;
}

void Announcer::announce(QWidget *source, const QString &text)
{
    if (text.isEmpty())
        return;
    if (source) {
        // The source's accessible name carries the words (a label's name is its text); the
        // Alert makes a screen reader speak a widget that does not have focus.
        QAccessibleEvent nameChanged(source, QAccessible::NameChanged);
        g_sink(&nameChanged);
        QAccessibleEvent alert(source, QAccessible::Alert);
        g_sink(&alert);
    }
    Q_EMIT announced(text);
}

} // namespace waotp
