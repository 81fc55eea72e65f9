#include "PlaceholderWindow.h"

#include <QLabel>
#include <QVBoxLayout>

namespace waotp {

PlaceholderWindow::PlaceholderWindow(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("waotp demo mode"), this));
}

} // namespace waotp
