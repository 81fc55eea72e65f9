#include "OtpCodeInput.h"

#include "CodeExtraction.h"
#include "Theme.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QAction>
#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QScopeGuard>
#include <QScopedValueRollback>
#include <QStyle>
#include <QVariantAnimation>

#include <cmath>
#include <numbers>

namespace waotp {

namespace {

constexpr int ShakeAmplitude = 10; // px

// Screen readers should meet the six boxes as one "Verification code" group, not as six
// unrelated text fields.
QAccessibleInterface *groupFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String("waotp::OtpCodeInput") && object && object->isWidgetType())
        return new QAccessibleWidget(static_cast<QWidget *>(object), QAccessible::Grouping);
    return nullptr;
}

std::optional<int> digitValue(QChar c)
{
    const int v = c.digitValue();
    if (c.isDigit() && v >= 0 && v <= 9)
        return v;
    return std::nullopt;
}

QString asciiDigits(QStringView text)
{
    QString out;
    for (const QChar c : text) {
        if (const auto v = digitValue(c))
            out.append(QChar(u'0' + *v));
    }
    return out;
}

} // namespace

OtpCodeInput::OtpCodeInput(QWidget *parent) : QWidget(parent)
{
    static const bool factoryInstalled = [] {
        QAccessible::installFactory(groupFactory);
        return true;
    }();
    Q_UNUSED(factoryInstalled);

    setObjectName(QStringLiteral("otpCodeInput"));
    // Codes are read left to right in every language.
    setLayoutDirection(Qt::LeftToRight);
    setAccessibleName(tr("Verification code"));
    setAccessibleDescription(
        tr("Six boxes, one digit each. Typing moves to the next box; pasting fills all six."));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(ShakeAmplitude, 0, ShakeAmplitude, 0);
    layout->setSpacing(8);
    layout->addStretch(1);

    auto *pasteAction = new QAction(tr("&Paste code"), this);
    connect(pasteAction, &QAction::triggered, this, &OtpCodeInput::paste);

    for (int i = 0; i < Length; ++i) {
        auto *box = new QLineEdit(this);
        box->setObjectName(QStringLiteral("digitEdit%1").arg(i));
        box->setProperty("digitBox", true);
        box->setAlignment(Qt::AlignCenter);
        box->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhNoPredictiveText
                                 | Qt::ImhSensitiveData);
        box->setAcceptDrops(false);
        box->setContextMenuPolicy(Qt::ActionsContextMenu);
        box->addAction(pasteAction);
        box->setAccessibleName(tr("Verification code, digit %1 of %2").arg(i + 1).arg(Length));
        box->setAccessibleDescription(boxHint());
        box->installEventFilter(this);
        connect(box, &QLineEdit::textChanged, this, [this, i](const QString &text) {
            if (m_updating)
                m_shown[i] = text; // our own change
            else
                takeText(i, text);
        });
        layout->addWidget(box);
        m_boxes.append(box);
    }
    layout->addStretch(1);

    m_shake = new QVariantAnimation(this);
    m_shake->setStartValue(0.0);
    m_shake->setEndValue(1.0);
    connect(m_shake, &QVariantAnimation::valueChanged, this, [this](const QVariant &value) {
        const double t = value.toDouble();
        const int dx =
            int(std::lround(ShakeAmplitude * std::sin(t * 6 * std::numbers::pi) * (1.0 - t)));
        this->layout()->setContentsMargins(ShakeAmplitude + dx, 0, ShakeAmplitude - dx, 0);
    });
    connect(m_shake, &QVariantAnimation::finished, this,
            [this] { this->layout()->setContentsMargins(ShakeAmplitude, 0, ShakeAmplitude, 0); });

    changeEvent(nullptr);
    focusBox(0);
}

OtpCodeInput::~OtpCodeInput()
{
    // The boxes outlive this part of the object by a moment: no calls back into it.
    for (QLineEdit *box : std::as_const(m_boxes)) {
        box->removeEventFilter(this);
        box->disconnect(this);
    }
}

QString OtpCodeInput::code() const
{
    QString out;
    for (const QLineEdit *box : m_boxes)
        out += box->text();
    return out;
}

void OtpCodeInput::clear()
{
    {
        const QScopedValueRollback updating(m_updating, true);
        for (QLineEdit *box : m_boxes)
            box->clear();
    }
    m_lastCompleted.clear();
    m_pasted = false;
    focusBox(0);
    Q_EMIT codeChanged(QString());
}

void OtpCodeInput::setCode(const QString &digits)
{
    const QString ascii = asciiDigits(digits).left(Length);
    {
        const QScopedValueRollback updating(m_updating, true);
        for (int i = 0; i < Length; ++i)
            m_boxes.at(i)->setText(i < ascii.size() ? QString(ascii.at(i)) : QString());
    }
    m_pasted = false;
    focusBox(std::min<int>(int(ascii.size()), Length - 1));
    digitsChanged();
}

QString OtpCodeInput::boxHint()
{
    return tr("Type or paste the 6-digit code");
}

void OtpCodeInput::setFirstBoxDescription(const QString &description)
{
    m_boxes.first()->setAccessibleDescription(description.isEmpty() ? boxHint() : description);
}

void OtpCodeInput::setError(bool error)
{
    m_error = error;
    updateErrorLook();
    if (error)
        shake();
}

void OtpCodeInput::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QLineEdit *box : m_boxes)
        box->setReadOnly(readOnly);
}

void OtpCodeInput::typeDigit(QChar digit)
{
    const auto v = digitValue(digit);
    if (!v || m_readOnly || !isEnabled())
        return;
    const int index = m_current;
    setDigit(index, QChar(u'0' + *v));
    m_pasted = false;
    if (m_error)
        setError(false);
    if (index < Length - 1)
        focusBox(index + 1);
    digitsChanged();
}

void OtpCodeInput::backspace()
{
    if (m_readOnly || !isEnabled())
        return;
    if (!m_boxes.at(m_current)->text().isEmpty()) {
        setDigit(m_current, QChar());
    } else if (m_current > 0) {
        focusBox(m_current - 1);
        setDigit(m_current, QChar());
    }
    m_pasted = false;
    digitsChanged();
}

void OtpCodeInput::paste()
{
    pasteText(QGuiApplication::clipboard()->text());
}

void OtpCodeInput::pasteText(const QString &text)
{
    if (m_readOnly || !isEnabled())
        return;
    if (const std::optional<QString> found = extractCode(text))
        fill(0, *found, true);
    else
        Q_EMIT pasteIgnored();
}

void OtpCodeInput::takeText(int index, const QString &text)
{
    // Text that came without a key press: set through the accessibility API (a screen reader,
    // voice control, autofill over AT-SPI, where Qt calls QLineEdit::setText()), undo, or a
    // middle-click paste. It counts as typed: one digit moves on to the next box, a code fills
    // all six, and completed() comes once.
    if (m_readOnly || !isEnabled()) {
        const QScopedValueRollback updating(m_updating, true);
        m_boxes.at(index)->setText(m_shown.at(index)); // the boxes keep what is being checked
        return;
    }
    // What the boxes show afterwards is what a later change starts from (a digit typed over
    // the same digit changes nothing, so no textChanged records it).
    const auto recordShown = qScopeGuard([this] {
        for (int i = 0; i < Length; ++i)
            m_shown[i] = m_boxes.at(i)->text();
    });
    const QString digits = asciiDigits(text);
    m_current = index;
    if (digits.size() == 1) {
        typeDigit(digits.at(0));
        return;
    }
    if (digits.isEmpty()) { // deleted, or nothing but letters
        setDigit(index, QChar());
        m_pasted = false;
        focusBox(index);
        digitsChanged();
        return;
    }
    const std::optional<QString> found = extractCode(text);
    fill(found ? 0 : index, found.value_or(digits), false);
}

void OtpCodeInput::fill(int from, const QString &digits, bool pasted)
{
    QStringList next = m_shown;
    const int count = std::min<int>(int(digits.size()), Length - from);
    for (int k = 0; k < count; ++k)
        next[from + k] = digits.at(k);
    {
        const QScopedValueRollback updating(m_updating, true);
        for (int i = 0; i < Length; ++i)
            m_boxes.at(i)->setText(next.at(i));
    }
    m_pasted = pasted;
    if (m_error)
        setError(false);
    focusBox(from + count);
    digitsChanged();
}

void OtpCodeInput::setDigit(int index, QChar digit)
{
    const QScopedValueRollback updating(m_updating, true);
    m_boxes.at(index)->setText(digit.isNull() ? QString() : QString(digit));
}

void OtpCodeInput::focusBox(int index)
{
    m_current = std::clamp(index, 0, Length - 1);
    for (int i = 0; i < Length; ++i) {
        // Only the current box is in the Tab chain: the group is one stop for the keyboard.
        m_boxes.at(i)->setFocusPolicy(i == m_current ? Qt::StrongFocus : Qt::ClickFocus);
    }
    QLineEdit *box = m_boxes.at(m_current);
    setFocusProxy(box);
    box->setFocus(Qt::OtherFocusReason);
    box->selectAll();
}

void OtpCodeInput::digitsChanged()
{
    const QString c = code();
    Q_EMIT codeChanged(c);
    if (!isComplete()) {
        m_lastCompleted.clear();
        return;
    }
    if (c == m_lastCompleted)
        return;
    m_lastCompleted = c;
    Q_EMIT completed(c);
}

void OtpCodeInput::updateErrorLook()
{
    for (QLineEdit *box : m_boxes) {
        box->setProperty("error", m_error);
        repolish(box);
    }
}

void OtpCodeInput::shake()
{
    if (m_shakeMs <= 0)
        return;
    m_shake->stop();
    m_shake->setDuration(m_shakeMs);
    m_shake->start();
}

bool OtpCodeInput::handleKey(int index, QKeyEvent *event)
{
    m_current = index;
    switch (event->key()) {
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
    case Qt::Key_Escape:
        return false;
    default:
        break;
    }
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return true;
    }
    if (m_readOnly)
        return true;
    switch (event->key()) {
    case Qt::Key_Backspace:
        backspace();
        return true;
    case Qt::Key_Delete:
        setDigit(index, QChar());
        m_pasted = false;
        digitsChanged();
        return true;
    case Qt::Key_Left:
        focusBox(index - 1);
        return true;
    case Qt::Key_Right:
        focusBox(index + 1);
        return true;
    case Qt::Key_Home:
        focusBox(0);
        return true;
    case Qt::Key_End:
        focusBox(Length - 1);
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        // An explicit submit of a complete code that was not sent yet (see allowResubmit()).
        digitsChanged();
        return true;
    default:
        break;
    }
    const QString text = event->text();
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return true; // no shortcuts inside the boxes (undo, cut...) but paste
    if (text.size() == 1) {
        typeDigit(text.at(0));
    } else if (asciiDigits(text).size() > 1) {
        pasteText(text); // autotype tools send several characters in one event
    }
    return true; // letters and symbols are simply not accepted
}

bool OtpCodeInput::eventFilter(QObject *watched, QEvent *event)
{
    const int index = int(m_boxes.indexOf(static_cast<QLineEdit *>(watched)));
    if (index < 0)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::KeyPress:
        return handleKey(index, static_cast<QKeyEvent *>(event));
    case QEvent::ShortcutOverride: {
        // Keep the keys the boxes use away from window shortcuts.
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Paste) || key->key() == Qt::Key_Backspace
            || key->key() == Qt::Key_Delete || key->key() == Qt::Key_Home
            || key->key() == Qt::Key_End) {
            event->accept();
            return true;
        }
        return false;
    }
    case QEvent::FocusIn:
        if (m_current != index)
            focusBox(index);
        return false;
    case QEvent::InputMethod: {
        auto *im = static_cast<QInputMethodEvent *>(event);
        const QString commit = im->commitString();
        m_current = index;
        if (commit.size() == 1)
            typeDigit(commit.at(0));
        else if (!commit.isEmpty())
            pasteText(commit);
        return true; // no composing inside a digit box
    }
    default:
        return false;
    }
}

void OtpCodeInput::changeEvent(QEvent *event)
{
    if (event)
        QWidget::changeEvent(event);
    if (event && event->type() != QEvent::FontChange && event->type() != QEvent::StyleChange)
        return;
    // Big, bold digits; the boxes grow with the font (200% text size must still fit).
    QFont digitFont = font();
    digitFont.setPointSizeF(digitFont.pointSizeF() * 1.6);
    digitFont.setBold(true);
    const QFontMetrics fm(digitFont);
    const int w = fm.horizontalAdvance(QLatin1Char('0')) + fm.height();
    const int h = fm.height() + fm.height() / 2 + 8;
    for (QLineEdit *box : m_boxes) {
        box->setFont(digitFont);
        box->setMinimumSize(0, 0);
        box->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        const QSize styled = box->minimumSizeHint(); // the style sheet's frame and padding
        box->setFixedSize(std::max({w, 40, styled.width()}), std::max({h, 48, styled.height()}));
    }
}

} // namespace waotp
