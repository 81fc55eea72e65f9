#include "VerificationDialog.h"

#include "AccountStore.h"

#include <QLabel>
#include <QVBoxLayout>

namespace waotp {

// A first cut with the final API; the pages arrive in the following commits.
VerificationDialog::VerificationDialog(OtpEngine &engine, AccountStore &accounts,
                                       const Clock &clock, DialogOptions options, QWidget *parent)
    : QDialog(parent), m_engine(engine), m_accounts(accounts), m_clock(clock),
      m_options(std::move(options))
{
    m_pendingFlow = m_options.initialFlow;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Verify your phone number"), this));
}

VerificationDialog::~VerificationDialog() = default;

Purpose VerificationDialog::flow() const
{
    return m_pendingFlow;
}

QWidget *VerificationDialog::currentPage() const
{
    return nullptr;
}

void VerificationDialog::sendCode() { }

void VerificationDialog::showDemoCode(const PhoneNumber &, const QString &) { }

void VerificationDialog::showDemoFallbackNotice() { }

void VerificationDialog::reset() { }

} // namespace waotp
