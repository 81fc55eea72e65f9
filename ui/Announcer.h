#pragma once

#include <QObject>
#include <QString>

class QAccessibleEvent;
class QWidget;

namespace waotp {

/// Tells screen readers about things that change without focus moving: errors, toasts, the
/// countdown's milestones. Qt 6.4 has no announcement API (it arrived in 6.8), so this sends
/// the accessibility events a screen reader acts on: a name change and an Alert from the
/// widget that shows the words. Every announcement is also emitted as announced(), for tests and
/// logs.
class Announcer : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Announces @p text from @p source, a widget whose accessible name is that text (a label
    /// or toast showing it).
    void announce(QWidget *source, const QString &text);

    /// Where the events go: QAccessible::updateAccessibility() by default. Qt drops events
    /// while no assistive technology is active (always, on the offscreen platform), so tests
    /// put a recorder here.
    using EventSink = void (*)(QAccessibleEvent *event);
    static void setEventSink(EventSink sink);

Q_SIGNALS:
    void announced(const QString &text);
};

} // namespace waotp
