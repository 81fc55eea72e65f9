#include "Icons.h"

#include <QPainter>
#include <QSvgRenderer>

// The resources live in the static waotp_ui library: register them explicitly so a program
// linking it never ends up without its icons.
static void initWaotpUiResources()
{
    Q_INIT_RESOURCE(waotp_ui_resources);
}

namespace waotp {

void initUiResources()
{
    static const bool done = [] {
        initWaotpUiResources();
        return true;
    }();
    Q_UNUSED(done);
}

QPixmap renderIcon(const QString &resourcePath, QSize size, qreal devicePixelRatio)
{
    initUiResources();
    QSvgRenderer renderer(resourcePath);
    if (!renderer.isValid())
        return {};
    const qreal dpr = std::max<qreal>(1.0, devicePixelRatio);
    QPixmap pixmap(size * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)));
    return pixmap;
}

} // namespace waotp
