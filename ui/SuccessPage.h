#pragma once

#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace waotp {

/// The last page: a green tick, "Account created" or "Welcome back", and the number.
class SuccessPage : public QWidget
{
    Q_OBJECT
public:
    explicit SuccessPage(QWidget *parent = nullptr);

    /// Fills the page for a verified @p number.
    void showResult(const PhoneNumber &number, bool accountCreated);
    QString title() const;
    QLabel *titleLabel() const { return m_title; }
    QLabel *numberLabel() const { return m_number; }
    QPushButton *continueButton() const { return m_continue; }

Q_SIGNALS:
    void continueRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateIcon();

    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_number = nullptr;
    QLabel *m_detail = nullptr;
    QPushButton *m_continue = nullptr;
};

} // namespace waotp
