#pragma once

#include <QIcon>
#include <QImage>
#include <QString>

class QFont;
class QPaintDevice;

namespace waotp {

/// The regional-indicator flag of @p region ("🇮🇳"), or the region code itself when no colour
/// emoji font is installed (Debian: fonts-noto-color-emoji).
QString flagFor(const QString &region);
/// True if a colour emoji font is available to draw flags.
bool flagsAvailable();
/// The colour emoji font flags are drawn with; empty if none is installed.
QString colorEmojiFamily();

/// The size of a flag drawn for text of @p pixelSize pixels (device-independent).
QSize flagSize(int pixelSize);
/// The flag of @p region drawn from the colour emoji font into flagSize(@p pixelSize) on a
/// screen of @p devicePixelRatio, now, on any thread; a null image if flagsAvailable() is false
/// or the region is not two letters.
QImage drawFlag(const QString &region, int pixelSize, qreal devicePixelRatio);
/// The same flag as an icon of flagSize(@p pixelSize), drawn on another thread: drawing the
/// first flag loads the emoji font and decodes its bitmap (several milliseconds), so the icon
/// is ready for layouts at once and waits for its pixels only when first painted. Drawings are
/// kept per region, size and ratio. Main thread only; a null icon when drawFlag() would give a
/// null image.
QIcon flagIcon(const QString &region, int pixelSize, qreal devicePixelRatio);
/// flagIcon()'s image, waited for.
QImage flagImage(const QString &region, int pixelSize, qreal devicePixelRatio);
/// Starts drawing flagIcon(@p region, @p pixelSize, @p devicePixelRatio) ahead of its use.
void prefetchFlag(const QString &region, int pixelSize, qreal devicePixelRatio);
/// Waits until no flag is being drawn (before the application goes).
void waitForFlags();
/// The pixel size text of @p font has on @p device (the key of flagImage()).
int textPixelSize(const QFont &font, const QPaintDevice *device);

} // namespace waotp
