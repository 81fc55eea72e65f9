#include "CountryFlags.h"

#include <QApplication>
#include <QFont>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHash>
#include <QIconEngine>
#include <QPaintDevice>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>

#include <algorithm>
#include <future>
#include <optional>

namespace waotp {

QString flagFor(const QString &region)
{
    if (region.size() != 2 || !flagsAvailable())
        return region;
    QString flag;
    for (const QChar c : region.toUpper()) {
        if (c < u'A' || c > u'Z')
            return region;
        const char32_t indicator = 0x1F1E6 + (c.unicode() - u'A');
        flag += QString::fromUcs4(&indicator, 1);
    }
    return flag;
}

QString colorEmojiFamily()
{
    static const QString family = [] {
        const QStringList families = QFontDatabase::families();
        const auto found = std::find_if(families.cbegin(), families.cend(), [](const QString &f) {
            return f.contains(QLatin1String("Emoji"), Qt::CaseInsensitive)
                && f.contains(QLatin1String("Color"), Qt::CaseInsensitive);
        });
        return found == families.cend() ? QString() : *found;
    }();
    return family;
}

bool flagsAvailable()
{
    return !colorEmojiFamily().isEmpty();
}

int textPixelSize(const QFont &font, const QPaintDevice *device)
{
    if (font.pixelSize() > 0)
        return font.pixelSize();
    return std::max(1, qRound(font.pointSizeF() * device->logicalDpiY() / 72.0));
}

QSize flagSize(int pixelSize)
{
    // The box of a colour emoji at that size (Noto Color Emoji: 136 x 128 pixels at 109 ppem).
    return {qRound(pixelSize * 1.25), qRound(pixelSize * 1.175)};
}

QImage drawFlag(const QString &region, int pixelSize, qreal devicePixelRatio)
{
    const QString flag = flagFor(region);
    if (pixelSize <= 0 || flag == region || !flagsAvailable())
        return {};
    const qreal dpr = std::max<qreal>(1.0, devicePixelRatio);
    // The emoji font named explicitly: no fallback font has to be searched for.
    QFont font(colorEmojiFamily());
    font.setPixelSize(pixelSize);
    const QFontMetricsF metrics(font);
    const QSizeF glyph(metrics.horizontalAdvance(flag), metrics.height());
    const QSizeF box(flagSize(pixelSize));
    if (glyph.isEmpty())
        return {};
    QImage image((box * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    // Centred and scaled to fit the box, whatever the emoji font's own proportions.
    const qreal scale = std::min(box.width() / glyph.width(), box.height() / glyph.height());
    painter.translate(box.width() / 2, box.height() / 2);
    painter.scale(scale, scale);
    painter.setFont(font);
    painter.drawText(QRectF(QPointF(-glyph.width() / 2, -glyph.height() / 2), glyph),
                     Qt::AlignCenter, flag);
    return image;
}

namespace {

struct FlagKey
{
    QString region;
    int pixelSize = 0;
    qreal dpr = 1;
    bool operator==(const FlagKey &) const = default;
};

size_t qHash(const FlagKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.region, key.pixelSize, key.dpr);
}

// Flags drawn or being drawn; touched by the main thread only (the futures carry the images
// across).
QHash<FlagKey, std::shared_future<QImage>> &flagCache()
{
    static QHash<FlagKey, std::shared_future<QImage>> cache;
    return cache;
}

std::optional<std::shared_future<QImage>> flagFuture(const QString &region, int pixelSize,
                                                     qreal devicePixelRatio)
{
    if (region.size() != 2 || pixelSize <= 0 || !flagsAvailable() || flagFor(region) == region)
        return std::nullopt;
    const FlagKey key {region.toUpper(), pixelSize, std::max<qreal>(1.0, devicePixelRatio)};
    auto &cache = flagCache();
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;
    // QPainter on a QImage with fontconfig fonts works on any thread.
    return *cache.insert(
        key, std::async(std::launch::async, drawFlag, key.region, key.pixelSize, key.dpr).share());
}

// An icon whose image is drawn on another thread: its size is known at once (for layouts), its
// pixels are waited for when it is first painted.
class FlagIconEngine final : public QIconEngine
{
public:
    FlagIconEngine(std::shared_future<QImage> image, QSize size)
        : m_image(std::move(image)), m_size(size)
    { }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        return m_size.scaled(m_size.boundedTo(size), Qt::KeepAspectRatio);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal) override
    {
        if (m_pixmap.isNull())
            m_pixmap = QPixmap::fromImage(m_image.get());
        QPixmap out = m_pixmap;
        if (!out.isNull() && out.size() != size)
            out = out.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        if (mode == QIcon::Disabled) {
            QStyleOption option;
            option.palette = QApplication::palette();
            out = QApplication::style()->generatedIconPixmap(mode, out, &option);
        }
        return out;
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatio() : 1.0;
        QPixmap pm = scaledPixmap(rect.size() * dpr, mode, state, dpr);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }

    QIconEngine *clone() const override { return new FlagIconEngine(*this); }
    QString key() const override { return QStringLiteral("waotp-flag"); }

private:
    std::shared_future<QImage> m_image;
    QSize m_size;
    QPixmap m_pixmap;
};

} // namespace

QIcon flagIcon(const QString &region, int pixelSize, qreal devicePixelRatio)
{
    auto image = flagFuture(region, pixelSize, devicePixelRatio);
    if (!image)
        return {};
    return QIcon(new FlagIconEngine(std::move(*image), flagSize(pixelSize)));
}

QImage flagImage(const QString &region, int pixelSize, qreal devicePixelRatio)
{
    const auto image = flagFuture(region, pixelSize, devicePixelRatio);
    return image ? image->get() : QImage();
}

void prefetchFlag(const QString &region, int pixelSize, qreal devicePixelRatio)
{
    flagFuture(region, pixelSize, devicePixelRatio);
}

void waitForFlags()
{
    for (const auto &image : std::as_const(flagCache()))
        image.wait();
}

} // namespace waotp
