#pragma once

#include <QPixmap>
#include <QSize>
#include <QString>

namespace waotp {

/// Renders the SVG at @p resourcePath to a pixmap of @p size device-independent pixels at
/// @p devicePixelRatio, so it is crisp at 1x, 2x and anything between. Returns a null pixmap
/// if the resource is missing.
QPixmap renderIcon(const QString &resourcePath, QSize size, qreal devicePixelRatio);

/// Makes the ui library's resources (icons, style sheet) available; safe to call repeatedly.
void initUiResources();

} // namespace waotp
