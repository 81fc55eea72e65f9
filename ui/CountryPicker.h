#pragma once

#include <QIcon>
#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>

class QLineEdit;
class QModelIndex;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;
class QToolButton;
class QFrame;

namespace waotp {

/// One entry of the country picker.
struct Country
{
    QString region; ///< "IN"
    QString name; ///< "India", in the UI language
    int callingCode = 0; ///< 91
};

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

/// True if @p region (upper case) is one of allCountries().
bool isKnownRegion(const QString &region);
/// Every region libphonenumber knows, with names, sorted by name.
QList<Country> allCountries();

/// A button showing the chosen country's flag and calling code ("🇮🇳 +91"); it opens a popup
/// list with a search field that matches names, region codes and calling codes.
class CountryPicker : public QWidget
{
    Q_OBJECT
public:
    explicit CountryPicker(const QString &region, QWidget *parent = nullptr);
    ~CountryPicker() override;

    QString region() const { return m_region; }
    int callingCode() const;
    /// Selects @p region (ISO 3166-1 alpha-2); unknown regions are ignored.
    void setRegion(const QString &region);

    /// Opens (or closes) the search popup. The popup and its list are built when first opened.
    void showPopup();
    void hidePopup();
    bool isPopupVisible() const;
    /// The popup's search field and list; nullptr until the popup was first opened.
    QLineEdit *searchEdit() const { return m_search; }
    QListView *listView() const { return m_list; }
    QToolButton *button() const { return m_button; }

Q_SIGNALS:
    void regionChanged(const QString &region);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateButton();
    void chooseCurrent();
    void buildModel();
    void buildPopup();
    QModelIndex rowOf(const QString &region) const;

    QString m_region;
    QToolButton *m_button = nullptr;
    QFrame *m_popup = nullptr;
    QLineEdit *m_search = nullptr;
    QListView *m_list = nullptr;
    QStandardItemModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
};

} // namespace waotp
