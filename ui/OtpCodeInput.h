#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QLineEdit;
class QVariantAnimation;

namespace waotp {

/// Six one-digit boxes for a verification code, as on the best web OTP forms.
///
/// Digits only; typing advances; Backspace clears (and steps back from an empty box); Delete
/// clears in place; Left/Right/Home/End move; typing over a filled box replaces it. A paste (or
/// an input method's commit) of text holding a code fills all six boxes. When the sixth box is
/// filled, completed() is emitted once for that code. Text that arrives without a key press
/// (set through the accessibility API by a screen reader or voice control, undo, a middle-click
/// paste) counts as typed: one digit moves on, a code fills all six, completed() still comes
/// once. The boxes are one accessible group and always run left to right, also in right-to-left
/// layouts. Tab enters and leaves the group as one stop.
class OtpCodeInput : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(QString code READ code NOTIFY codeChanged)
public:
    static constexpr int Length = 6;

    explicit OtpCodeInput(QWidget *parent = nullptr);
    ~OtpCodeInput() override;

    /// The digits typed so far, left to right, without gaps ("12" when two boxes are filled).
    QString code() const;
    bool isComplete() const { return code().size() == Length; }
    /// Empties every box, clears the error look and focuses the first box.
    void clear();
    /// Fills the boxes from @p digits (at most six digits are used; other characters are
    /// ignored). Emits completed() if that fills all six.
    void setCode(const QString &digits);

    /// What a screen reader says on the first box, where the cursor waits: where the code was
    /// sent ("Code sent to … on WhatsApp, expires in 5 minutes"). Empty: the boxes' own hint.
    void setFirstBoxDescription(const QString &description);

    /// Red boxes and a short shake (@p error true); cleared by the next digit typed.
    void setError(bool error = true);
    bool hasError() const { return m_error; }

    /// While read-only (the code is being checked) input is ignored.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    /// The box with the keyboard focus (or that would have it), 0-based.
    int currentIndex() const { return m_current; }
    /// The box widgets, for tests and styling (object names digitEdit0 ... digitEdit5).
    QLineEdit *box(int index) const { return m_boxes.value(index); }

    /// True if the current code came from a paste; the dialog then clears the clipboard after
    /// the code is verified.
    bool codeWasPasted() const { return m_pasted; }
    /// Forgets that completed() was emitted for the current code, so retyping a digit (or
    /// Enter) submits it again; for a check that could not be made (no connection).
    void allowResubmit() { m_lastCompleted.clear(); }

    /// Milliseconds of the shake; 0 turns it off (tests, reduced motion).
    void setShakeDuration(int ms) { m_shakeMs = ms; }

public Q_SLOTS:
    /// As if @p digit were typed in the current box (on-screen keypad).
    void typeDigit(QChar digit);
    /// As if Backspace were pressed in the current box (on-screen keypad).
    void backspace();
    /// Reads the clipboard and fills the boxes from it, like Ctrl+V.
    void paste();

Q_SIGNALS:
    /// All six boxes are filled; emitted once per distinct code.
    void completed(const QString &code);
    void codeChanged(const QString &code);
    /// A paste held no 6-digit code and was ignored; the page shows a hint.
    void pasteIgnored();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    static QString boxHint();
    bool handleKey(int index, class QKeyEvent *event);
    void pasteText(const QString &text);
    void takeText(int index, const QString &text);
    /// Puts @p digits in the boxes from box @p from on, moves past them and submits if complete.
    void fill(int from, const QString &digits, bool pasted);
    void setDigit(int index, QChar digit);
    void focusBox(int index);
    void digitsChanged();
    void updateErrorLook();
    void shake();

    QList<QLineEdit *> m_boxes;
    QStringList m_shown = QStringList(Length); ///< each box's text as this class last set it
    QVariantAnimation *m_shake = nullptr;
    QString m_lastCompleted;
    int m_current = 0;
    int m_shakeMs = 360;
    bool m_error = false;
    bool m_readOnly = false;
    bool m_pasted = false;
    bool m_updating = false;
};

} // namespace waotp
