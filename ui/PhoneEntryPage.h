#pragma once

#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace waotp {

class CountryPicker;

/// The first page: sign up / sign in toggle, country picker, a phone field that formats as
/// you type and says what is wrong inline, and "Send code on WhatsApp" (enabled only for a
/// valid number). The page decides nothing: it asks for a send with sendRequested().
class PhoneEntryPage : public QWidget
{
    Q_OBJECT
public:
    explicit PhoneEntryPage(const QString &defaultRegion, QWidget *parent = nullptr);
    ~PhoneEntryPage() override;

    Purpose flow() const { return m_flow; }
    void setFlow(Purpose flow);
    QString region() const;
    void setRegion(const QString &region);
    /// The text as shown (formatted).
    QString phoneText() const;
    /// Replaces the text and formats it, as if it had been typed.
    void setPhoneText(const QString &text);
    /// The number, if the text is valid.
    std::optional<PhoneNumber> number() const { return m_parsed.number; }
    PhoneError phoneError() const { return m_parsed.error; }

    /// "Sending…": the button and the field are disabled while a send is on its way.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }

    /// An error from the sender, in plain words, under the button.
    void showSendError(const QString &message);
    /// "No account uses … " with a button offering the other flow (@p switchLabel), or a
    /// button offering SMS (showSmsOffer()).
    void showAccountHint(const QString &message, const QString &switchLabel);
    void showSmsOffer(bool show);
    void clearMessages();
    /// Empties the field and every message; back to @p region and @p flow.
    void reset(const QString &region, Purpose flow);
    /// Puts the keyboard focus in the phone field.
    void focusPhone();

    /// The message shown under the button (send error or account hint), for tests.
    QString messageText() const;
    /// The inline validation error under the field, for tests.
    QString validationText() const;

    QPushButton *sendButton() const { return m_sendButton; }
    QLineEdit *phoneEdit() const { return m_phoneEdit; }
    CountryPicker *countryPicker() const { return m_picker; }
    QPushButton *switchFlowButton() const { return m_switchButton; }
    QPushButton *smsButton() const { return m_smsButton; }
    QAbstractButton *flowButton(Purpose flow) const;
    /// The label errors are announced from.
    QLabel *messageLabel() const { return m_messageLabel; }

public Q_SLOTS:
    /// As if @p digit were typed at the cursor (on-screen keypad).
    void typeDigit(QChar digit);
    /// As if Backspace were pressed (on-screen keypad).
    void backspace();

Q_SIGNALS:
    /// "Send code on WhatsApp" was pressed with a valid number.
    void sendRequested();
    /// The offered other flow ("Sign up instead") was chosen.
    void switchFlowRequested();
    /// "Send by SMS instead" was chosen.
    void smsRequested();
    void flowChanged(waotp::Purpose flow);
    void numberChanged();
    /// A validation error for screen readers (shown when typing is finished), from @p source.
    void announcementDue(QWidget *source, const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The page from top to bottom, as the constructor builds it.
    void buildFlowToggle(QVBoxLayout *layout); ///< sign up / sign in, a segmented toggle
    void buildHeading(QVBoxLayout *layout);
    void buildPhoneField(QVBoxLayout *layout, const QString &defaultRegion);
    void buildSendButton(QVBoxLayout *layout); ///< and the message under it
    void buildOffers(QVBoxLayout *layout); ///< the other flow and SMS, hidden until offered
    void connectPhoneField();
    void setTabOrders();

    void reformat(const QString &raw, int digitsBeforeCursor);
    void validate(bool finished);
    void updateTexts();

    QButtonGroup *m_flowGroup = nullptr;
    QLabel *m_titleLabel = nullptr;
    QLabel *m_subtitleLabel = nullptr;
    CountryPicker *m_picker = nullptr;
    QLineEdit *m_phoneEdit = nullptr;
    QLabel *m_validationLabel = nullptr;
    QPushButton *m_sendButton = nullptr;
    QLabel *m_messageLabel = nullptr;
    QPushButton *m_switchButton = nullptr;
    QPushButton *m_smsButton = nullptr;
    std::unique_ptr<PhoneInputFormatter> m_formatter;
    PhoneParseResult m_parsed;
    QString m_lastText; ///< the text as last formatted, to recognise a deleted separator
    Purpose m_flow = Purpose::SignUp;
    bool m_busy = false;
    bool m_showTooShort = false;
    bool m_reformatting = false; ///< the formatter is setting the text: not a change to react to
};

} // namespace waotp
