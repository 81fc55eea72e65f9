#pragma once

#include "CountryFlags.h"

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
