#pragma once

#include <QWidget>

namespace waotp {

class PlaceholderWindow : public QWidget
{
    Q_OBJECT
public:
    explicit PlaceholderWindow(QWidget *parent = nullptr);
};

} // namespace waotp
