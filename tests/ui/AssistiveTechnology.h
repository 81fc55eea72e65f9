#pragma once

// What an assistive technology (a screen reader, voice control, an automation tool) does to the
// widgets through the accessibility API, as AT-SPI's EditableText and Action interfaces reach
// Qt: no key is pressed. Qt 6.4's QAccessibleLineEdit turns insertText(), replaceText() and
// deleteText() into QLineEdit::setText(), which emits textChanged but not textEdited; AT-SPI's
// SetTextContents is replaceText() over the whole text.

#include <QAccessible>
#include <QAccessibleActionInterface>
#include <QAccessibleEditableTextInterface>
#include <QStringList>
#include <QWidget>

namespace waotp::test {

inline QAccessibleEditableTextInterface *editableText(QWidget *w)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    return iface ? iface->editableTextInterface() : nullptr;
}

/// SetTextContents: replaces the whole text of @p w with @p text.
inline bool assistiveSetText(QWidget *w, const QString &text)
{
    QAccessibleEditableTextInterface *editable = editableText(w);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    if (!editable || !iface->textInterface())
        return false;
    editable->replaceText(0, iface->textInterface()->characterCount(), text);
    return true;
}

/// InsertText: inserts @p text at @p offset.
inline bool assistiveInsertText(QWidget *w, int offset, const QString &text)
{
    QAccessibleEditableTextInterface *editable = editableText(w);
    if (!editable)
        return false;
    editable->insertText(offset, text);
    return true;
}

/// DeleteText: removes the whole text of @p w.
inline bool assistiveDeleteText(QWidget *w)
{
    QAccessibleEditableTextInterface *editable = editableText(w);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    if (!editable || !iface->textInterface())
        return false;
    editable->deleteText(0, iface->textInterface()->characterCount());
    return true;
}

/// The actions @p w offers ("Press" for an enabled button).
inline QStringList accessibleActions(QWidget *w)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    QAccessibleActionInterface *actions = iface ? iface->actionInterface() : nullptr;
    return actions ? actions->actionNames() : QStringList();
}

/// Does @p w's Press action, if it offers one.
inline bool assistivePress(QWidget *w)
{
    if (!accessibleActions(w).contains(QAccessibleActionInterface::pressAction()))
        return false;
    QAccessible::queryAccessibleInterface(w)->actionInterface()->doAction(
        QAccessibleActionInterface::pressAction());
    return true;
}

} // namespace waotp::test
